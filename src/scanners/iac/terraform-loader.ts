/**
 * Terraform into the inventory, from three sources:
 * - HCL native syntax (`.tf`), parsed by our own tolerant parser;
 * - JSON syntax (`.tf.json`), same block structure as objects;
 * - plan or state JSON from `terraform show -json` (documented "JSON Output Format": format_version,
 *   planned_values / values → root_module → resources[{address,type,name,values}] and
 *   child_modules[], plus configuration → root_module → resources[].expressions.*.references).
 */
import { parseHcl } from './hcl-parser.js';
import type { HclParseError } from './hcl-parser.js';
import type { IacInventory } from './iac-inventory.js';
import { emptyMap, field, isMap, itemsOf, mapsOf, str, strings } from './iac-model.js';
import type { IacMap, IacNode } from './iac-model.js';

export function loadTerraformHcl(
  inventory: IacInventory,
  file: string,
  scope: string,
  text: string,
  deadline: number,
): readonly HclParseError[] {
  const parsed = parseHcl(text, { deadline });
  for (const block of parsed.blocks) {
    const [first, second] = block.labels;
    switch (block.type) {
      case 'resource':
        if (first !== undefined && second !== undefined) {
          inventory.resources.push({
            format: 'terraform',
            type: first,
            name: second,
            address: `${first}.${second}`,
            file,
            line: block.line,
            body: block.body,
            scope,
          });
        }
        break;
      case 'data':
        if (first !== undefined && second !== undefined) {
          inventory.dataSources.push({ type: first, name: second, scope, file, line: block.line, body: block.body });
        }
        break;
      case 'variable': {
        const value = field(block.body, 'default');
        if (first !== undefined && value !== undefined) inventory.define('variables', scope, first, value);
        break;
      }
      case 'locals':
        for (const entry of block.body.entries) inventory.define('locals', scope, entry.key, entry.value);
        break;
      default:
        break;
    }
  }
  return parsed.errors;
}

/** Terraform JSON syntax: `{"resource": {"TYPE": {"NAME": {…}}}, "variable": {…}, "locals": {…}}`. */
export function loadTerraformJson(inventory: IacInventory, file: string, scope: string, root: IacMap): void {
  for (const byType of mapsOf(field(root, 'resource'))) {
    for (const typeEntry of byType.entries) {
      for (const byName of mapsOf(typeEntry.value)) {
        for (const nameEntry of byName.entries) {
          for (const body of mapsOf(nameEntry.value)) {
            inventory.resources.push({
              format: 'terraform',
              type: typeEntry.key,
              name: nameEntry.key,
              address: `${typeEntry.key}.${nameEntry.key}`,
              file,
              line: nameEntry.line,
              body,
              scope,
            });
          }
        }
      }
    }
  }
  for (const byType of mapsOf(field(root, 'data'))) {
    for (const typeEntry of byType.entries) {
      for (const byName of mapsOf(typeEntry.value)) {
        for (const nameEntry of byName.entries) {
          for (const body of mapsOf(nameEntry.value)) {
            inventory.dataSources.push({ type: typeEntry.key, name: nameEntry.key, scope, file, line: nameEntry.line, body });
          }
        }
      }
    }
  }
  for (const variables of mapsOf(field(root, 'variable'))) {
    for (const entry of variables.entries) {
      const value = field(entry.value, 'default');
      if (value !== undefined) inventory.define('variables', scope, entry.key, value);
    }
  }
  for (const locals of mapsOf(field(root, 'locals'))) {
    for (const entry of locals.entries) inventory.define('locals', scope, entry.key, entry.value);
  }
}

const MAX_MODULE_DEPTH = 32;

/** A plan (`planned_values`) or state (`values`) document from `terraform show -json`. */
export function loadTerraformPlan(inventory: IacInventory, file: string, root: IacMap): number {
  const references = new Map<string, Map<string, string[]>>();
  collectConfiguration(field(field(root, 'configuration'), 'root_module'), '', references, 0);
  const values = field(root, 'planned_values') ?? field(root, 'values');
  let count = 0;
  const visit = (module: IacNode | undefined, depth: number): void => {
    if (!isMap(module) || depth > MAX_MODULE_DEPTH) return;
    const moduleAddress = str(field(module, 'address')) ?? '';
    for (const resource of mapsOf(field(module, 'resources'))) {
      const mode = str(field(resource, 'mode'));
      if (mode !== undefined && mode !== 'managed') continue;
      const type = str(field(resource, 'type'));
      const name = str(field(resource, 'name'));
      const address = str(field(resource, 'address'));
      if (type === undefined || name === undefined || address === undefined) continue;
      const body = field(resource, 'values');
      const refs = references.get(stripIndexes(address));
      inventory.resources.push({
        format: 'terraform-plan',
        type,
        name,
        address,
        file,
        line: resource.line,
        body: isMap(body) ? body : emptyMap(resource.line),
        scope: `${file}#${moduleAddress}`,
        ...(refs !== undefined && { refs }),
      });
      count += 1;
    }
    for (const child of itemsOf(field(module, 'child_modules'))) visit(child, depth + 1);
  };
  visit(field(values, 'root_module'), 0);
  return count;
}

/** Maps `module.a.aws_s3_bucket.b` (indexes removed) to attribute → referenced addresses. */
function collectConfiguration(
  module: IacNode | undefined,
  prefix: string,
  out: Map<string, Map<string, string[]>>,
  depth: number,
): void {
  if (!isMap(module) || depth > MAX_MODULE_DEPTH) return;
  for (const resource of mapsOf(field(module, 'resources'))) {
    const address = str(field(resource, 'address'));
    const expressions = field(resource, 'expressions');
    if (address === undefined || !isMap(expressions)) continue;
    const byAttribute = new Map<string, string[]>();
    for (const entry of expressions.entries) {
      const refs = strings(field(entry.value, 'references'));
      if (refs.length > 0) byAttribute.set(entry.key, refs);
    }
    out.set(`${prefix}${address}`, byAttribute);
  }
  const calls = field(module, 'module_calls');
  if (isMap(calls)) {
    for (const call of calls.entries) collectConfiguration(field(call.value, 'module'), `${prefix}module.${call.key}.`, out, depth + 1);
  }
}

function stripIndexes(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}
