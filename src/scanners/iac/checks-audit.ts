/**
 * Audit logging, judged only when the organisation requires it (organisation.policy.
 * require_audit_logging): a cloud audit trail for each cloud the scanned code provisions, and
 * server access logging for buckets. Buckets that receive other buckets' logs are exempt (logging
 * a log bucket into itself loops).
 */
import { reportResource, resourcesOf } from './check-context.js';
import type { CheckContext } from './check-context.js';
import type { CloudResource } from './iac-inventory.js';
import { blocks, bool, field, isMap, isUnknown } from './iac-model.js';
import { identityKeys, indexByTarget, pointingAt, targetKeys } from './resource-links.js';

interface CloudFamily {
  readonly name: string;
  readonly member: (r: CloudResource) => boolean;
  readonly trail: (r: CloudResource) => boolean;
  readonly expected: string;
}

const FAMILIES: readonly CloudFamily[] = [
  {
    name: 'AWS',
    member: (r) => r.type.startsWith('aws_') || r.type.startsWith('AWS::'),
    trail: (r) =>
      (r.type === 'aws_cloudtrail' && bool(field(r.body, 'enable_logging')) !== false) ||
      (r.type === 'AWS::CloudTrail::Trail' && (isUnknown(field(r.body, 'IsLogging')) || bool(field(r.body, 'IsLogging')) === true)),
    expected: 'an aws_cloudtrail (or AWS::CloudTrail::Trail) with logging enabled',
  },
  {
    name: 'Google Cloud',
    member: (r) => r.type.startsWith('google_'),
    trail: (r) => /^google_(project|folder|organization)_iam_audit_config$/.test(r.type),
    expected: 'a google_project_iam_audit_config (or folder/organization) enabling data access logs',
  },
  {
    name: 'Azure',
    member: (r) => r.type.startsWith('azurerm_'),
    trail: (r) => r.type === 'azurerm_monitor_diagnostic_setting',
    expected: 'an azurerm_monitor_diagnostic_setting shipping logs to a workspace or storage account',
  },
];

export function checkAuditLogging(context: CheckContext): void {
  if (!context.settings.requireAuditLogging) return;
  const resources = context.inventory.resources;
  for (const family of FAMILIES) {
    const members = resources.filter(family.member);
    const first = members[0];
    if (first === undefined || members.some(family.trail)) continue;
    const disabledTrail = members.find((r) => r.type === 'aws_cloudtrail' || r.type === 'AWS::CloudTrail::Trail');
    const at = disabledTrail ?? first;
    context.report({
      rule: 'iac/audit-trail-missing',
      file: at.file,
      line: at.line,
      format: at.format,
      message: disabledTrail !== undefined
        ? `${family.name} trail ${disabledTrail.address} has logging turned off, and the organisation requires audit logging.`
        : `The scanned ${family.name} code defines ${members.length} resource(s) but no audit trail (expected ${family.expected}); the organisation requires audit logging.`,
      key: `audit-trail|${family.name}`,
      evidence: disabledTrail !== undefined ? 'logging disabled' : `no audit trail among ${members.length} ${family.name} resources`,
      resource: at.address,
    });
  }
  checkBucketAccessLogs(context);
}

function checkBucketAccessLogs(context: CheckContext): void {
  const rule = 'iac/storage-access-logging-missing';
  const loggingResources = resourcesOf(context, 'aws_s3_bucket_logging');
  const s3Buckets = resourcesOf(context, 'aws_s3_bucket');
  // Log targets: named by logging blocks/resources in Terraform, or LoggingConfiguration in CloudFormation.
  const targets = new Set<string>([
    ...loggingResources.flatMap((l) => targetKeys(l, 'target_bucket')),
    ...s3Buckets.flatMap((b) => blocks(b.body, 'logging').flatMap((l) => targetKeys({ ...b, body: l }, 'target_bucket'))),
  ]);
  const loggingByBucket = indexByTarget(loggingResources, 'bucket');
  for (const bucket of s3Buckets) {
    const identity = identityKeys(bucket, 'bucket');
    if (identity.some((k) => targets.has(k))) continue;
    if (blocks(bucket.body, 'logging').length > 0) continue;
    if (pointingAt(loggingByBucket, identity).length > 0) continue;
    reportResource(context, bucket, rule, `S3 bucket ${bucket.address} has no server access logging, and the organisation requires audit logging.`, { detail: 'access-logs', evidence: 'no logging block or aws_s3_bucket_logging' });
  }
  const cfnBuckets = resourcesOf(context, 'AWS::S3::Bucket');
  const cfnTargets = new Set(
    cfnBuckets.flatMap((b) => {
      const config = field(b.body, 'LoggingConfiguration');
      return isMap(config) ? targetKeys({ ...b, body: config }, 'DestinationBucketName') : [];
    }),
  );
  for (const bucket of cfnBuckets) {
    if (field(bucket.body, 'LoggingConfiguration') !== undefined) continue;
    if (identityKeys(bucket, 'BucketName').some((k) => cfnTargets.has(k))) continue;
    reportResource(context, bucket, rule, `S3 bucket ${bucket.address} has no LoggingConfiguration, and the organisation requires audit logging.`, { detail: 'access-logs', evidence: 'LoggingConfiguration (omitted)' });
  }
  const gcsBuckets = resourcesOf(context, 'google_storage_bucket');
  const gcsTargets = new Set(gcsBuckets.flatMap((b) => blocks(b.body, 'logging').flatMap((l) => targetKeys({ ...b, body: l }, 'log_bucket'))));
  for (const bucket of gcsBuckets) {
    if (blocks(bucket.body, 'logging').length > 0) continue;
    if (identityKeys(bucket, 'name').some((k) => gcsTargets.has(k))) continue;
    reportResource(context, bucket, rule, `GCS bucket ${bucket.address} has no access logging, and the organisation requires audit logging.`, { detail: 'access-logs', evidence: 'no logging block' });
  }
}

