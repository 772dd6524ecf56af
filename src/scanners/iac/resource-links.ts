/**
 * Which resource another one points at: `bucket = aws_s3_bucket.data.id` (HCL reference text),
 * a plan's configuration references, `Bucket: !Ref DataBucket` (CloudFormation), or a literal
 * name equal to the target's name. Keys are scoped to the Terraform module or template, since
 * `aws_s3_bucket.data` in two modules are two buckets.
 */
import type { CloudResource } from './iac-inventory.js';
import { field, str } from './iac-model.js';
import type { IacNode } from './iac-model.js';

const TF_REFERENCE = /\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;
const MAX_REFERENCES = 32;

/** Keys that identify `resource`: its scoped address, and its literal name when `nameAttribute` holds one. */
export function identityKeys(resource: CloudResource, nameAttribute?: string): string[] {
  const keys = [resource.format === 'cloudformation' ? `${resource.scope}|${resource.name}` : `${resource.scope}|${resource.type}.${resource.name}`];
  const literal = nameAttribute === undefined ? undefined : str(field(resource.body, nameAttribute));
  if (literal !== undefined && literal !== '') keys.push(`name:${literal}`);
  return keys;
}

/** Keys of the resources `resource`'s attribute points at. */
export function targetKeys(resource: CloudResource, attribute: string): string[] {
  const keys: string[] = [];
  const fromPlan = resource.refs?.get(attribute);
  if (fromPlan !== undefined) {
    for (const ref of fromPlan.slice(0, MAX_REFERENCES)) {
      const parts = ref.split('.');
      if (parts.length >= 2 && !ref.startsWith('var.') && !ref.startsWith('local.')) {
        keys.push(`${resource.scope}|${(parts[0] as string).replace(/\[.*$/, '')}.${(parts[1] as string).replace(/\[.*$/, '')}`);
      }
    }
  }
  const node = field(resource.body, attribute);
  keys.push(...nodeTargets(resource, node));
  return keys;
}

function nodeTargets(resource: CloudResource, node: IacNode | undefined): string[] {
  if (node === undefined) return [];
  if (resource.format === 'cloudformation') {
    if (node.kind === 'expr' && (node.fn === 'Ref' || node.fn === 'Fn::GetAtt')) {
      const arg = node.args?.[0];
      const first = arg?.kind === 'list' ? str(arg.items[0]) : str(arg);
      if (first !== undefined) return [`${resource.scope}|${first.split('.')[0] as string}`];
    }
    const literal = str(node);
    return literal === undefined ? [] : [`name:${literal}`];
  }
  const text = node.kind === 'expr' ? node.text : node.kind === 'scalar' && node.dynamic === true ? String(node.value) : undefined;
  if (text === undefined) {
    const literal = str(node);
    return literal === undefined ? [] : [`name:${literal}`];
  }
  const keys: string[] = [];
  for (const match of text.matchAll(TF_REFERENCE)) {
    const index = match.index ?? 0;
    if (text.slice(Math.max(0, index - 5), index) === 'data.' || keys.length >= MAX_REFERENCES) continue;
    keys.push(`${resource.scope}|${match[1] as string}.${match[2] as string}`);
  }
  return keys;
}

/**
 * Resources by the keys their `attribute` points at, so matching N buckets against M blocks is
 * N + M work instead of N × M (a large estate has thousands of both).
 */
export function indexByTarget(resources: readonly CloudResource[], attribute: string): Map<string, CloudResource[]> {
  const index = new Map<string, CloudResource[]>();
  for (const resource of resources) {
    for (const key of new Set(targetKeys(resource, attribute))) {
      const list = index.get(key);
      if (list === undefined) index.set(key, [resource]);
      else list.push(resource);
    }
  }
  return index;
}

/** Resources in `index` that point at any of `identity`. */
export function pointingAt(index: ReadonlyMap<string, readonly CloudResource[]>, identity: readonly string[]): CloudResource[] {
  const out = new Set<CloudResource>();
  for (const key of identity) for (const r of index.get(key) ?? []) out.add(r);
  return [...out];
}

/** `data.TYPE.NAME…` reference in an HCL expression, resolved to the data source's body. */
export function dataReference(text: string): { type: string; name: string } | undefined {
  const match = /\bdata\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/.exec(text);
  return match === null ? undefined : { type: match[1] as string, name: match[2] as string };
}
