/**
 * One position-aware value tree for every IaC format. HCL, Terraform plan JSON, CloudFormation
 * (YAML and JSON), Kubernetes manifests and compose files are all converted into `IacNode`s so that
 * the checks read one shape and every finding can name a file and a line.
 *
 * Values that cannot be known statically (a Terraform reference, a CloudFormation `!Ref`, a
 * template string with `${…}`) are kept as text and marked unknown; checks never guess their value.
 */

export interface IacScalar {
  readonly kind: 'scalar';
  readonly line: number;
  readonly value: string | number | boolean | null;
  /** A template string holding interpolations (`"${var.x}"`): its value is not known statically. */
  readonly dynamic?: boolean;
}

export interface IacList {
  readonly kind: 'list';
  readonly line: number;
  readonly items: readonly IacNode[];
}

export interface IacEntry {
  readonly key: string;
  readonly line: number;
  readonly value: IacNode;
}

export interface IacMap {
  readonly kind: 'map';
  readonly line: number;
  readonly entries: readonly IacEntry[];
}

/** An expression we do not evaluate: a reference, a function call, a CloudFormation intrinsic. */
export interface IacExpr {
  readonly kind: 'expr';
  readonly line: number;
  /** Source text (bounded in length). */
  readonly text: string;
  /** Function or intrinsic name (`jsonencode`, `Ref`, `Fn::Sub`), when the expression is a call. */
  readonly fn?: string;
  readonly args?: readonly IacNode[];
}

export type IacNode = IacScalar | IacList | IacMap | IacExpr;

/** Longest expression text kept; longer text is cut so hostile input cannot bloat the model. */
export const MAX_EXPR_TEXT = 2048;

export function scalar(value: IacScalar['value'], line: number, dynamic = false): IacScalar {
  return dynamic ? { kind: 'scalar', value, line, dynamic } : { kind: 'scalar', value, line };
}

export function emptyMap(line: number): IacMap {
  return { kind: 'map', line, entries: [] };
}

export function isMap(node: IacNode | undefined): node is IacMap {
  return node?.kind === 'map';
}

/** A value that is present and not null. Null and absent mean the same to every check. */
export function present(node: IacNode | undefined): node is IacNode {
  return node !== undefined && !(node.kind === 'scalar' && node.value === null);
}

/** The last entry with `key` (explicit keys are placed after merged ones, so they win). */
export function field(node: IacNode | undefined, key: string): IacNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i -= 1) {
    const entry = node.entries[i] as IacEntry;
    if (entry.key === key) return present(entry.value) ? entry.value : undefined;
  }
  return undefined;
}

/**
 * The maps under `key`: Terraform nested blocks are lists of maps (plan JSON) or one map, so
 * both shapes read the same.
 */
export function blocks(node: IacNode | undefined, key: string): IacMap[] {
  return mapsOf(field(node, key));
}

export function mapsOf(node: IacNode | undefined): IacMap[] {
  if (node === undefined) return [];
  if (node.kind === 'map') return [node];
  if (node.kind === 'list') return node.items.filter((item): item is IacMap => item.kind === 'map');
  return [];
}

/** Walks `a.b.c`, taking the first block where a step is a list of blocks. */
export function path(node: IacNode | undefined, dotted: string): IacNode | undefined {
  let current = node;
  for (const step of dotted.split('.')) {
    if (current?.kind === 'list') current = current.items.find((item) => item.kind === 'map');
    current = field(current, step);
    if (current === undefined) return undefined;
  }
  return current;
}

export function itemsOf(node: IacNode | undefined): readonly IacNode[] {
  if (node === undefined) return [];
  if (node.kind === 'list') return node.items;
  return [node];
}

/** Known string form of a scalar; undefined for unknown, null, lists and maps. */
export function str(node: IacNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.dynamic === true || node.value === null) return undefined;
  return String(node.value);
}

/** Booleans written as `true`, `"true"`, `"True"` all count: providers accept each form. */
export function bool(node: IacNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar' || node.dynamic === true) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string') {
    const lower = node.value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

export function num(node: IacNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.dynamic === true) return undefined;
  if (typeof node.value === 'number') return Number.isFinite(node.value) ? node.value : undefined;
  if (typeof node.value === 'string' && /^\s*-?\d+\s*$/.test(node.value)) return Number.parseInt(node.value, 10);
  return undefined;
}

/** Known strings of a list (or of a single scalar); unknown items are left out. */
export function strings(node: IacNode | undefined): string[] {
  const out: string[] = [];
  for (const item of itemsOf(node)) {
    const value = str(item);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** True when the value is present but cannot be known statically. */
export function isUnknown(node: IacNode | undefined): boolean {
  if (node === undefined) return false;
  if (node.kind === 'expr') return true;
  return node.kind === 'scalar' && node.dynamic === true;
}

/** Plain JavaScript value of a node (expressions become their text), for policy documents. */
export function toPlain(node: IacNode | undefined, depth = 0): unknown {
  if (node === undefined || depth > 64) return undefined;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'expr':
      return node.text;
    case 'list':
      return node.items.map((item) => toPlain(item, depth + 1));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = toPlain(entry.value, depth + 1);
      return out;
    }
  }
}

/** Short display form of a value for finding evidence. */
export function display(node: IacNode | undefined): string {
  if (node === undefined) return '(omitted)';
  if (node.kind === 'scalar') return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
  if (node.kind === 'expr') return node.text.length > 80 ? `${node.text.slice(0, 77)}...` : node.text;
  if (node.kind === 'list') return `[${node.items.slice(0, 4).map(display).join(', ')}${node.items.length > 4 ? ', ...' : ''}]`;
  return '{...}';
}
