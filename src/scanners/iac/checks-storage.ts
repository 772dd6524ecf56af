/**
 * Public storage: ACLs, policies and IAM members granting everyone, missing public-access
 * blocks, storage accounts open to every network. AWS S3, Google Cloud Storage, Azure Blob; in
 * Terraform (HCL, JSON, plan) and CloudFormation.
 */
import { reportResource, resourcesOf } from './check-context.js';
import type { CheckContext } from './check-context.js';
import type { CloudResource } from './iac-inventory.js';
import { blocks, bool, display, field, isUnknown, mapsOf, path, str, strings, toPlain } from './iac-model.js';
import type { IacNode } from './iac-model.js';
import { dataReference, identityKeys, indexByTarget, pointingAt } from './resource-links.js';

const S3_PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const CFN_PUBLIC_ACLS = new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead']);
const GCS_PUBLIC_ACLS = new Set(['publicRead', 'publicReadWrite', 'authenticatedRead']);
const PUBLIC_MEMBERS = new Set(['allUsers', 'allAuthenticatedUsers']);
const AWS_PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

export function checkPublicAcls(context: CheckContext): void {
  const rule = 'iac/storage-public-acl';
  for (const r of resourcesOf(context, 'aws_s3_bucket', 'aws_s3_bucket_acl')) {
    const acl = field(r.body, 'acl');
    const value = str(acl);
    if (value !== undefined && S3_PUBLIC_ACLS.has(value)) {
      reportResource(context, r, rule, `S3 ${r.address} uses the canned ACL "${value}": ${value === 'authenticated-read' ? 'every AWS account' : 'anyone'} can read it${value.endsWith('write') ? ' and write to it' : ''}.`, {
        line: acl?.line,
        detail: value,
        evidence: `acl = "${value}"`,
      });
    }
    for (const grant of mapsOf(path(r.body, 'access_control_policy.grant'))) {
      const uri = str(path(grant, 'grantee.uri'));
      if (uri !== undefined && AWS_PUBLIC_GRANTEES.test(uri)) {
        reportResource(context, r, rule, `S3 ${r.address} grants ${str(field(grant, 'permission')) ?? 'access'} to ${uri.replace(/.*\//, '')}.`, {
          line: grant.line,
          detail: uri,
          evidence: `grantee.uri = "${uri}"`,
        });
      }
    }
  }
  for (const r of resourcesOf(context, 'AWS::S3::Bucket')) {
    const acl = field(r.body, 'AccessControl');
    const value = str(acl);
    if (value !== undefined && CFN_PUBLIC_ACLS.has(value)) {
      reportResource(context, r, rule, `S3 bucket ${r.address} uses AccessControl ${value}.`, { line: acl?.line, detail: value, evidence: `AccessControl: ${value}` });
    }
  }
  for (const r of resourcesOf(context, 'google_storage_bucket_acl', 'google_storage_default_object_acl', 'google_storage_object_acl')) {
    const predefined = str(field(r.body, 'predefined_acl'));
    if (predefined !== undefined && GCS_PUBLIC_ACLS.has(predefined)) {
      reportResource(context, r, rule, `GCS ${r.address} applies the predefined ACL "${predefined}".`, { line: field(r.body, 'predefined_acl')?.line, detail: predefined, evidence: `predefined_acl = "${predefined}"` });
    }
    for (const entity of strings(field(r.body, 'role_entity'))) {
      const member = entity.split(':')[1] ?? '';
      if (PUBLIC_MEMBERS.has(member)) {
        reportResource(context, r, rule, `GCS ${r.address} grants ${entity}.`, { line: field(r.body, 'role_entity')?.line, detail: entity, evidence: `role_entity = "${entity}"` });
      }
    }
  }
  for (const r of resourcesOf(context, 'google_storage_bucket_access_control', 'google_storage_default_object_access_control', 'google_storage_object_access_control')) {
    const entity = str(field(r.body, 'entity'));
    if (entity !== undefined && PUBLIC_MEMBERS.has(entity)) {
      reportResource(context, r, rule, `GCS ${r.address} grants ${str(field(r.body, 'role')) ?? 'a role'} to ${entity}.`, { line: field(r.body, 'entity')?.line, detail: entity, evidence: `entity = "${entity}"` });
    }
  }
  for (const r of resourcesOf(context, 'azurerm_storage_container')) {
    const type = field(r.body, 'container_access_type');
    const value = str(type);
    if (value === 'blob' || value === 'container') {
      reportResource(context, r, rule, `Azure container ${r.address} allows anonymous ${value === 'container' ? 'listing and reading of every blob' : 'reading of blobs'} (container_access_type = "${value}").`, {
        line: type?.line,
        detail: value,
        evidence: `container_access_type = "${value}"`,
      });
    }
  }
}

// ---------------------------------------------------------------- policies

interface Statement {
  readonly effect: string;
  readonly principal: unknown;
  readonly conditioned: boolean;
}

function statementsOf(document: unknown): Statement[] {
  if (typeof document !== 'object' || document === null) return [];
  const raw = (document as Record<string, unknown>)['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Statement[] = [];
  for (const s of list) {
    if (typeof s !== 'object' || s === null) continue;
    const stmt = s as Record<string, unknown>;
    const condition = stmt['Condition'];
    out.push({
      effect: typeof stmt['Effect'] === 'string' ? stmt['Effect'] : 'Allow',
      principal: stmt['Principal'],
      conditioned: typeof condition === 'object' && condition !== null && Object.keys(condition).length > 0,
    });
  }
  return out;
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>)['AWS'];
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

const MAX_POLICY_CHARS = 1024 * 1024;

/** A policy attribute as a plain document: JSON string, heredoc, jsonencode(), or a policy-document data source. */
function policyDocument(context: CheckContext, resource: CloudResource, node: IacNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.kind === 'map') return toPlain(node);
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.value.length <= MAX_POLICY_CHARS) {
    try {
      return JSON.parse(node.value) as unknown;
    } catch (error) {
      // A template we cannot read as JSON: the policy is unknown, not public.
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }
  if (node.kind === 'expr' && node.fn === 'jsonencode') return toPlain(node.args?.[0]);
  if (node.kind === 'expr') {
    const ref = dataReference(node.text);
    if (ref?.type === 'aws_iam_policy_document') {
      const data = context.inventory.dataSources.find((d) => d.scope === resource.scope && d.type === ref.type && d.name === ref.name);
      return data === undefined ? undefined : { Statement: blocks(data.body, 'statement').map(policyDocumentStatement) };
    }
  }
  return undefined;
}

/** `data "aws_iam_policy_document"` statement block → JSON statement shape. */
function policyDocumentStatement(statement: IacNode): Record<string, unknown> {
  const principal: Record<string, unknown> = {};
  let everyone = false;
  for (const p of blocks(statement, 'principals')) {
    const type = str(field(p, 'type'));
    const identifiers = strings(field(p, 'identifiers'));
    if (type === '*') everyone = true;
    else if (type !== undefined) principal[type] = identifiers;
  }
  return {
    Effect: str(field(statement, 'effect')) ?? 'Allow',
    Principal: everyone ? '*' : principal,
    ...(blocks(statement, 'condition').length > 0 && { Condition: { present: true } }),
  };
}

export function checkPublicPolicies(context: CheckContext): void {
  const rule = 'iac/storage-public-policy';
  const candidates: [CloudResource, string][] = [
    ...resourcesOf(context, 'aws_s3_bucket_policy', 'aws_s3_bucket').map((r): [CloudResource, string] => [r, 'policy']),
    ...resourcesOf(context, 'AWS::S3::BucketPolicy').map((r): [CloudResource, string] => [r, 'PolicyDocument']),
  ];
  for (const [r, attribute] of candidates) {
    const node = field(r.body, attribute);
    const document = policyDocument(context, r, node);
    const open = statementsOf(document).filter((s) => s.effect === 'Allow' && isPublicPrincipal(s.principal) && !s.conditioned);
    if (open.length > 0) {
      reportResource(context, r, rule, `Bucket policy ${r.address} allows Principal "*" without a condition: anyone on the internet can use the granted actions.`, {
        line: node?.line,
        detail: 'principal-*',
        evidence: 'Effect: Allow, Principal: "*"',
      });
    }
  }
  for (const r of resourcesOf(context, 'google_storage_bucket_iam_member', 'google_storage_bucket_iam_binding')) {
    const members = [...strings(field(r.body, 'member')), ...strings(field(r.body, 'members'))];
    for (const member of members.filter((m) => PUBLIC_MEMBERS.has(m))) {
      reportResource(context, r, rule, `GCS IAM ${r.address} grants ${str(field(r.body, 'role')) ?? 'a role'} to ${member}.`, {
        line: (field(r.body, 'member') ?? field(r.body, 'members'))?.line,
        detail: member,
        evidence: `member = "${member}"`,
      });
    }
  }
  for (const r of resourcesOf(context, 'google_storage_bucket_iam_policy')) {
    const node = field(r.body, 'policy_data');
    let members: string[] = [];
    if (node?.kind === 'expr') {
      const ref = dataReference(node.text);
      const data = ref === undefined ? undefined : context.inventory.dataSources.find((d) => d.scope === r.scope && d.type === ref.type && d.name === ref.name);
      members = blocks(data?.body, 'binding').flatMap((b) => strings(field(b, 'members')));
    } else if (node?.kind === 'scalar' && typeof node.value === 'string') {
      members = JSON.stringify(policyDocument(context, r, node) ?? {}).match(/allUsers|allAuthenticatedUsers/g) ?? [];
    }
    for (const member of new Set(members.filter((m) => PUBLIC_MEMBERS.has(m)))) {
      reportResource(context, r, rule, `GCS IAM policy ${r.address} grants a role to ${member}.`, { line: node?.line, detail: member, evidence: member });
    }
  }
}

// ---------------------------------------------------------------- public access blocks

const PAB_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const CFN_PAB_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

function falseFlags(node: IacNode | undefined, flags: readonly string[]): string[] {
  // Omitted flags default to false in the AWS API and both tools; unknown values are given the benefit of the doubt.
  return flags.filter((flag) => {
    const value = field(node, flag);
    return !isUnknown(value) && bool(value) !== true;
  });
}

export function checkPublicAccessBlocks(context: CheckContext): void {
  const rule = 'iac/storage-public-access-block';
  const accountBlocks = resourcesOf(context, 'aws_s3_account_public_access_block');
  const accountWide = accountBlocks.some((b) => falseFlags(b.body, PAB_FLAGS).length === 0);
  const bucketBlocks = resourcesOf(context, 'aws_s3_bucket_public_access_block');
  for (const b of [...accountBlocks, ...bucketBlocks]) {
    const off = falseFlags(b.body, PAB_FLAGS);
    if (off.length > 0) {
      reportResource(context, b, rule, `Public access block ${b.address} leaves ${off.join(', ')} off.`, {
        line: field(b.body, off[0] as string)?.line,
        detail: 'disabled',
        evidence: off.map((f) => `${f} = ${display(field(b.body, f))}`).join(', '),
      });
    }
  }
  if (!accountWide) {
    const blocksByBucket = indexByTarget(bucketBlocks, 'bucket');
    for (const bucket of resourcesOf(context, 'aws_s3_bucket')) {
      if (pointingAt(blocksByBucket, identityKeys(bucket, 'bucket')).length > 0) continue;
      reportResource(context, bucket, rule, `S3 bucket ${bucket.address} has no aws_s3_bucket_public_access_block (and no account-wide block in the scanned code).`, {
        detail: 'missing',
        evidence: 'no aws_s3_bucket_public_access_block for this bucket',
      });
    }
  }
  for (const bucket of resourcesOf(context, 'AWS::S3::Bucket')) {
    const config = field(bucket.body, 'PublicAccessBlockConfiguration');
    if (config === undefined) {
      reportResource(context, bucket, rule, `S3 bucket ${bucket.address} has no PublicAccessBlockConfiguration.`, { detail: 'missing', evidence: 'PublicAccessBlockConfiguration (omitted)' });
      continue;
    }
    const off = falseFlags(config, CFN_PAB_FLAGS);
    if (off.length > 0) {
      reportResource(context, bucket, rule, `S3 bucket ${bucket.address} leaves ${off.join(', ')} off.`, { line: config.line, detail: 'disabled', evidence: off.join(', ') });
    }
  }
  for (const bucket of resourcesOf(context, 'google_storage_bucket')) {
    const prevention = field(bucket.body, 'public_access_prevention');
    if (isUnknown(prevention) || str(prevention) === 'enforced') continue;
    reportResource(context, bucket, rule, `GCS bucket ${bucket.address} does not enforce public access prevention (${prevention === undefined ? 'omitted, so it is inherited from whatever the organisation policy says' : display(prevention)}).`, {
      line: prevention?.line,
      detail: 'gcs',
      evidence: `public_access_prevention = ${display(prevention)}`,
      severity: 'low',
    });
  }
  for (const account of resourcesOf(context, 'azurerm_storage_account')) {
    const nested = field(account.body, 'allow_nested_items_to_be_public') ?? field(account.body, 'allow_blob_public_access');
    if (isUnknown(nested) || bool(nested) === false) continue;
    reportResource(context, account, rule, `Azure storage account ${account.address} lets containers be made public (allow_nested_items_to_be_public is ${nested === undefined ? 'omitted; the azurerm default is true' : display(nested)}).`, {
      line: nested?.line,
      detail: 'azure-nested',
      evidence: `allow_nested_items_to_be_public = ${display(nested)}`,
    });
  }
}

export function checkStoragePublicNetwork(context: CheckContext): void {
  const rule = 'iac/storage-public-network';
  const networkRules = indexByTarget(resourcesOf(context, 'azurerm_storage_account_network_rules'), 'storage_account_id');
  for (const account of resourcesOf(context, 'azurerm_storage_account')) {
    const access = field(account.body, 'public_network_access_enabled');
    if (isUnknown(access) || bool(access) === false) continue;
    const inlineDeny = blocks(account.body, 'network_rules').some((b) => str(field(b, 'default_action'))?.toLowerCase() !== 'allow');
    const separateDeny = pointingAt(networkRules, identityKeys(account, 'name')).some((n) => str(field(n.body, 'default_action'))?.toLowerCase() !== 'allow');
    if (inlineDeny || separateDeny) continue;
    reportResource(context, account, rule, `Azure storage account ${account.address} accepts connections from any network (public_network_access_enabled ${access === undefined ? 'omitted; the default is true' : `= ${display(access)}`}, no default-deny network rule).`, {
      line: access?.line,
      detail: 'public-network',
      evidence: `public_network_access_enabled = ${display(access)}`,
    });
  }
}
