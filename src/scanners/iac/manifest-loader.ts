/**
 * YAML/JSON documents into the inventory: the kind is decided by content (a CloudFormation
 * template has `Resources` of `AWS::…` types, a Kubernetes object `apiVersion` and `kind`, a
 * compose file `services` of containers, a plan `format_version` and `planned_values`), so a
 * template saved as `stack.txt` or a manifest called `app.json` is still read.
 */
import type { IacFormat, IacInventory } from './iac-inventory.js';
import { nameOf } from './iac-inventory.js';
import { emptyMap, field, isMap, mapsOf, str } from './iac-model.js';
import type { IacEntry, IacMap, IacNode } from './iac-model.js';

export type DocumentKind = Exclude<IacFormat, 'dockerfile' | 'shell'> | 'terraform-json';

const TF_JSON_KEYS = new Set(['resource', 'data', 'variable', 'locals', 'module', 'output', 'provider', 'terraform']);
const COMPOSE_SERVICE_KEYS = ['image', 'build', 'command', 'ports', 'entrypoint', 'environment'];
const JUPYTER_CLASSES = ['ServerApp', 'NotebookApp', 'IdentityProvider', 'LabApp', 'PasswordIdentityProvider'];

/** Cheap test on raw text before parsing, so large non-IaC JSON/YAML files are not parsed at all. */
export const MAYBE_IAC_TEXT =
  /AWSTemplateFormatVersion|["']?Type["']?\s*:\s*["']?(AWS|Custom|Alexa)::|\bapiVersion\b|^["']?services["']?\s*:|"services"\s*:|format_version|["']resource["']\s*:|ServerApp|NotebookApp|IdentityProvider/m;

export function classifyDocument(node: IacNode | undefined, fileName: string): DocumentKind | undefined {
  if (!isMap(node)) return undefined;
  if (field(node, 'AWSTemplateFormatVersion') !== undefined) return 'cloudformation';
  const resources = field(node, 'Resources');
  if (isMap(resources) && resources.entries.some((e) => /^[A-Za-z0-9]+::/.test(str(field(e.value, 'Type')) ?? ''))) {
    return 'cloudformation';
  }
  if (str(field(node, 'format_version')) !== undefined && (field(node, 'planned_values') ?? field(node, 'values')) !== undefined) {
    return 'terraform-plan';
  }
  if (str(field(node, 'apiVersion')) !== undefined && str(field(node, 'kind')) !== undefined) return 'kubernetes';
  const services = field(node, 'services');
  if (isMap(services) && services.entries.some((e) => COMPOSE_SERVICE_KEYS.some((k) => field(e.value, k) !== undefined))) {
    return 'compose';
  }
  if (fileName.endsWith('.tf.json') || (node.entries.length > 0 && node.entries.every((e) => TF_JSON_KEYS.has(e.key)) && field(node, 'resource') !== undefined)) {
    return 'terraform-json';
  }
  if (JUPYTER_CLASSES.some((cls) => isMap(field(node, cls)))) return 'jupyter-config';
  return undefined;
}

// ---------------------------------------------------------------- CloudFormation

export function loadCloudFormation(inventory: IacInventory, file: string, root: IacMap): void {
  const parameters = field(root, 'Parameters');
  if (isMap(parameters)) {
    for (const entry of parameters.entries) {
      const value = field(entry.value, 'Default');
      if (value !== undefined) inventory.define('variables', file, entry.key, value);
    }
  }
  const resources = field(root, 'Resources');
  if (!isMap(resources)) return;
  for (const entry of resources.entries) {
    const type = str(field(entry.value, 'Type'));
    if (type === undefined) continue;
    const properties = normaliseIntrinsics(field(entry.value, 'Properties') ?? emptyMap(entry.line), 0);
    inventory.resources.push({
      format: 'cloudformation',
      type,
      name: entry.key,
      address: entry.key,
      file,
      line: entry.line,
      body: isMap(properties) ? properties : emptyMap(entry.line),
      scope: file,
    });
  }
}

/**
 * JSON templates write intrinsics as one-key objects (`{"Ref": "X"}`, `{"Fn::GetAtt": […]}`);
 * turn them into the same unknown expressions the YAML short forms become.
 */
function normaliseIntrinsics(node: IacNode, depth: number): IacNode {
  if (depth > 128) return node;
  if (node.kind === 'list') return { ...node, items: node.items.map((item) => normaliseIntrinsics(item, depth + 1)) };
  if (node.kind !== 'map') return node;
  const only = node.entries.length === 1 ? node.entries[0] : undefined;
  if (only !== undefined && (only.key === 'Ref' || only.key.startsWith('Fn::'))) {
    const arg = normaliseIntrinsics(only.value, depth + 1);
    const text = `${only.key}: ${arg.kind === 'scalar' ? String(arg.value) : '...'}`;
    return { kind: 'expr', line: node.line, fn: only.key, args: [arg], text };
  }
  const entries: IacEntry[] = node.entries.map((e) => ({ ...e, value: normaliseIntrinsics(e.value, depth + 1) }));
  return { ...node, entries };
}

// ---------------------------------------------------------------- Kubernetes

export function loadKubernetes(inventory: IacInventory, file: string, root: IacMap, depth = 0): void {
  const kind = str(field(root, 'kind')) ?? '';
  const apiVersion = str(field(root, 'apiVersion')) ?? '';
  if (kind.endsWith('List') && depth < 4) {
    for (const item of mapsOf(field(root, 'items'))) loadKubernetes(inventory, file, item, depth + 1);
    return;
  }
  const metadata = field(root, 'metadata');
  inventory.k8s.push({
    file,
    line: root.line,
    kind,
    apiVersion,
    name: nameOf(metadata),
    namespace: str(field(metadata, 'namespace')),
    body: root,
  });
}

// ---------------------------------------------------------------- docker compose

export function loadCompose(inventory: IacInventory, file: string, root: IacMap): void {
  const services = field(root, 'services');
  if (!isMap(services)) return;
  for (const entry of services.entries) {
    if (!isMap(entry.value)) continue;
    inventory.compose.push({ file, line: entry.line, name: entry.key, body: entry.value });
  }
}
