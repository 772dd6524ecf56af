/**
 * Encryption at rest: resources whose provider default is "unencrypted" (EBS, RDS, EFS,
 * ElastiCache, OpenSearch), and — when the organisation requires it — resources encrypted only
 * with the provider's own key. Storage that every cloud now encrypts by default (S3, GCS, Azure
 * Storage, DynamoDB) is only judged on who holds the key.
 */
import { reportResource, resourcesOf } from './check-context.js';
import type { CheckContext } from './check-context.js';
import type { CloudResource } from './iac-inventory.js';
import { blocks, bool, display, field, isUnknown, path, present, str } from './iac-model.js';
import { identityKeys, indexByTarget, pointingAt } from './resource-links.js';

interface EncryptionSpec {
  readonly type: string;
  /** Dotted path of the boolean that turns encryption on. */
  readonly flag: string;
  readonly what: string;
  /** Resources whose encryption is decided elsewhere (replicas, Aurora members, serverless). */
  readonly inherited?: (r: CloudResource) => boolean;
}

const isAuroraMember = (r: CloudResource): boolean => /^aurora/.test(str(field(r.body, 'engine')) ?? str(field(r.body, 'Engine')) ?? '');
const fromSnapshotOrReplica = (r: CloudResource): boolean =>
  ['replicate_source_db', 'snapshot_identifier', 'SourceDBInstanceIdentifier', 'DBSnapshotIdentifier', 'snapshot_id', 'SnapshotId'].some((k) => present(field(r.body, k)));

const ENCRYPTION_SPECS: readonly EncryptionSpec[] = [
  { type: 'aws_ebs_volume', flag: 'encrypted', what: 'EBS volume', inherited: fromSnapshotOrReplica },
  { type: 'aws_db_instance', flag: 'storage_encrypted', what: 'RDS instance', inherited: (r) => isAuroraMember(r) || fromSnapshotOrReplica(r) },
  { type: 'aws_rds_cluster', flag: 'storage_encrypted', what: 'RDS cluster', inherited: (r) => str(field(r.body, 'engine_mode')) === 'serverless' || fromSnapshotOrReplica(r) },
  { type: 'aws_efs_file_system', flag: 'encrypted', what: 'EFS file system' },
  { type: 'aws_elasticache_replication_group', flag: 'at_rest_encryption_enabled', what: 'ElastiCache replication group' },
  { type: 'aws_opensearch_domain', flag: 'encrypt_at_rest.enabled', what: 'OpenSearch domain' },
  { type: 'aws_elasticsearch_domain', flag: 'encrypt_at_rest.enabled', what: 'Elasticsearch domain' },
  { type: 'AWS::EC2::Volume', flag: 'Encrypted', what: 'EBS volume', inherited: fromSnapshotOrReplica },
  { type: 'AWS::RDS::DBInstance', flag: 'StorageEncrypted', what: 'RDS instance', inherited: (r) => isAuroraMember(r) || fromSnapshotOrReplica(r) },
  { type: 'AWS::RDS::DBCluster', flag: 'StorageEncrypted', what: 'RDS cluster', inherited: (r) => str(field(r.body, 'EngineMode')) === 'serverless' || fromSnapshotOrReplica(r) },
  { type: 'AWS::EFS::FileSystem', flag: 'Encrypted', what: 'EFS file system' },
  { type: 'AWS::ElastiCache::ReplicationGroup', flag: 'AtRestEncryptionEnabled', what: 'ElastiCache replication group' },
  { type: 'AWS::OpenSearchService::Domain', flag: 'EncryptionAtRestOptions.Enabled', what: 'OpenSearch domain' },
  { type: 'AWS::Elasticsearch::Domain', flag: 'EncryptionAtRestOptions.Enabled', what: 'Elasticsearch domain' },
];

/** Returns the addresses reported, so the key check does not report the same resource twice. */
export function checkEncryptionAtRest(context: CheckContext): Set<CloudResource> {
  const rule = 'iac/encryption-at-rest-missing';
  const reported = new Set<CloudResource>();
  // Account-level EBS default encryption makes every new volume encrypted.
  const ebsDefault = resourcesOf(context, 'aws_ebs_encryption_by_default').some((r) => bool(field(r.body, 'enabled')) !== false);
  for (const spec of ENCRYPTION_SPECS) {
    if (ebsDefault && (spec.type === 'aws_ebs_volume' || spec.type === 'AWS::EC2::Volume')) continue;
    for (const r of resourcesOf(context, spec.type)) {
      if (spec.inherited?.(r) === true) continue;
      const flag = path(r.body, spec.flag);
      if (isUnknown(flag) || bool(flag) === true) continue;
      reportResource(context, r, rule, `${spec.what} ${r.address} is not encrypted at rest (${spec.flag} ${flag === undefined ? 'omitted; the default is false' : `= ${display(flag)}`}).`, {
        line: flag?.line,
        detail: spec.flag,
        evidence: `${spec.flag} = ${display(flag)}`,
      });
      reported.add(r);
    }
  }
  // Block devices written out in an instance or launch template: the AMI decides when they are not.
  for (const r of resourcesOf(context, 'aws_instance', 'aws_launch_template')) {
    if (ebsDefault) continue;
    const devices = [
      ...blocks(r.body, 'root_block_device'),
      ...blocks(r.body, 'ebs_block_device'),
      ...blocks(r.body, 'block_device_mappings').flatMap((m) => blocks(m, 'ebs')),
    ];
    for (const device of devices) {
      const flag = field(device, 'encrypted');
      if (isUnknown(flag) || bool(flag) === true || present(field(device, 'snapshot_id'))) continue;
      reportResource(context, r, rule, `Block device of ${r.address} is not encrypted (encrypted ${flag === undefined ? 'omitted' : `= ${display(flag)}`}).`, {
        line: flag?.line ?? device.line,
        detail: `device@${device.line}`,
        evidence: `encrypted = ${display(flag)}`,
      });
      reported.add(r);
    }
  }
  return reported;
}

interface KeySpec {
  readonly type: string;
  /** Any of these paths holding a value means a customer-managed key is used. */
  readonly keys: readonly string[];
  readonly what: string;
}

const KEY_SPECS: readonly KeySpec[] = [
  { type: 'aws_ebs_volume', keys: ['kms_key_id'], what: 'EBS volume' },
  { type: 'aws_db_instance', keys: ['kms_key_id'], what: 'RDS instance' },
  { type: 'aws_rds_cluster', keys: ['kms_key_id'], what: 'RDS cluster' },
  { type: 'aws_efs_file_system', keys: ['kms_key_id'], what: 'EFS file system' },
  { type: 'aws_dynamodb_table', keys: ['server_side_encryption.kms_key_arn'], what: 'DynamoDB table' },
  { type: 'aws_sagemaker_endpoint_configuration', keys: ['kms_key_arn'], what: 'SageMaker endpoint configuration' },
  { type: 'aws_sagemaker_domain', keys: ['kms_key_id'], what: 'SageMaker domain' },
  { type: 'aws_ecr_repository', keys: ['encryption_configuration.kms_key'], what: 'ECR repository' },
  { type: 'aws_elasticache_replication_group', keys: ['kms_key_id'], what: 'ElastiCache replication group' },
  { type: 'aws_opensearch_domain', keys: ['encrypt_at_rest.kms_key_id'], what: 'OpenSearch domain' },
  { type: 'google_storage_bucket', keys: ['encryption.default_kms_key_name'], what: 'GCS bucket' },
  { type: 'google_compute_disk', keys: ['disk_encryption_key.kms_key_self_link', 'disk_encryption_key.raw_key'], what: 'Compute disk' },
  { type: 'google_bigquery_dataset', keys: ['default_encryption_configuration.kms_key_name'], what: 'BigQuery dataset' },
  { type: 'google_sql_database_instance', keys: ['encryption_key_name'], what: 'Cloud SQL instance' },
  { type: 'google_notebooks_instance', keys: ['kms_key'], what: 'Notebooks instance' },
  { type: 'google_vertex_ai_dataset', keys: ['encryption_spec.kms_key_name'], what: 'Vertex AI dataset' },
  { type: 'google_vertex_ai_endpoint', keys: ['encryption_spec.kms_key_name'], what: 'Vertex AI endpoint' },
  { type: 'azurerm_machine_learning_workspace', keys: ['encryption.key_id'], what: 'Azure ML workspace' },
  { type: 'azurerm_managed_disk', keys: ['disk_encryption_set_id'], what: 'Azure managed disk' },
  { type: 'AWS::EC2::Volume', keys: ['KmsKeyId'], what: 'EBS volume' },
  { type: 'AWS::RDS::DBInstance', keys: ['KmsKeyId'], what: 'RDS instance' },
  { type: 'AWS::RDS::DBCluster', keys: ['KmsKeyId'], what: 'RDS cluster' },
  { type: 'AWS::EFS::FileSystem', keys: ['KmsKeyId'], what: 'EFS file system' },
  { type: 'AWS::DynamoDB::Table', keys: ['SSESpecification.KMSMasterKeyId'], what: 'DynamoDB table' },
  { type: 'AWS::SageMaker::EndpointConfig', keys: ['KmsKeyId'], what: 'SageMaker endpoint configuration' },
];

export function checkCustomerManagedKeys(context: CheckContext, unencrypted: ReadonlySet<CloudResource>): void {
  if (!context.settings.requireCustomerManagedKeys) return;
  const rule = 'iac/customer-managed-key-missing';
  const message = (what: string, r: CloudResource, missing: string): string =>
    `${what} ${r.address} is encrypted with a provider-managed key, but the organisation requires customer-managed keys (${missing} not set).`;
  for (const spec of KEY_SPECS) {
    for (const r of resourcesOf(context, spec.type)) {
      if (unencrypted.has(r)) continue;
      if (spec.keys.some((k) => present(path(r.body, k)))) continue;
      reportResource(context, r, rule, message(spec.what, r, spec.keys[0] as string), { detail: 'cmk', evidence: `${spec.keys[0] as string} (omitted)` });
    }
  }
  // S3: the key lives in an inline block, a separate resource, or the CloudFormation BucketEncryption.
  const sseConfigs = indexByTarget(resourcesOf(context, 'aws_s3_bucket_server_side_encryption_configuration'), 'bucket');
  for (const bucket of resourcesOf(context, 'aws_s3_bucket')) {
    const defaults = [
      ...blocks(bucket.body, 'server_side_encryption_configuration').flatMap((c) => blocks(c, 'rule')),
      ...pointingAt(sseConfigs, identityKeys(bucket, 'bucket')).flatMap((c) => blocks(c.body, 'rule')),
    ].flatMap((rule_) => blocks(rule_, 'apply_server_side_encryption_by_default'));
    const customer = defaults.some((d) => (str(field(d, 'sse_algorithm')) ?? '').startsWith('aws:kms') && present(field(d, 'kms_master_key_id')));
    if (!customer) reportResource(context, bucket, rule, message('S3 bucket', bucket, 'sse_algorithm "aws:kms" with kms_master_key_id'), { detail: 'cmk', evidence: 'SSE-S3 or aws/s3 managed key' });
  }
  for (const bucket of resourcesOf(context, 'AWS::S3::Bucket')) {
    const defaults = blocks(path(bucket.body, 'BucketEncryption'), 'ServerSideEncryptionConfiguration').map((c) => field(c, 'ServerSideEncryptionByDefault'));
    const customer = defaults.some((d) => (str(field(d, 'SSEAlgorithm')) ?? '').startsWith('aws:kms') && present(field(d, 'KMSMasterKeyID')));
    if (!customer) reportResource(context, bucket, rule, message('S3 bucket', bucket, 'SSEAlgorithm aws:kms with KMSMasterKeyID'), { detail: 'cmk', evidence: 'SSE-S3 or aws/s3 managed key' });
  }
  const cmkResources = indexByTarget(resourcesOf(context, 'azurerm_storage_account_customer_managed_key'), 'storage_account_id');
  for (const account of resourcesOf(context, 'azurerm_storage_account')) {
    if (blocks(account.body, 'customer_managed_key').length > 0) continue;
    if (pointingAt(cmkResources, identityKeys(account, 'name')).length > 0) continue;
    reportResource(context, account, rule, message('Azure storage account', account, 'customer_managed_key'), { detail: 'cmk', evidence: 'customer_managed_key (omitted)' });
  }
}
