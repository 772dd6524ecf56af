/**
 * The symbolic values of the pickle machine: just enough of each Python object to know what an
 * import resolves to, what is called with what, and which objects are modules or classes being
 * mutated. Containers keep only their first few items, so a hostile pickle cannot make us hold
 * more than a bounded number of values.
 */

export interface ImportRecord {
  /** The module as written in the pickle. */
  readonly rawModule: string;
  /** The module after CPython's Python 2 name mapping. */
  readonly module: string;
  readonly name: string;
  readonly opcode: string;
  readonly offset: number;
  readonly pickle: number;
  /** Times the imported object was called (REDUCE, NEWOBJ, OBJ, INST) and a sample of the arguments. */
  calls: number;
  evidence?: string;
}

export type PValue =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'text?' } // text we did not keep or could not decode
  | { readonly t: 'bytes'; readonly n: number; readonly v?: Buffer }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'float' }
  | { readonly t: 'global'; readonly ref?: ImportRecord; readonly label: string }
  | { readonly t: 'obj'; readonly fn: PValue; readonly args: PValue; state?: PValue }
  | { readonly t: 'seq'; readonly kind: 'tuple' | 'list' | 'set' | 'frozenset'; readonly items: PValue[]; more: boolean }
  | { readonly t: 'dict'; readonly items: [PValue, PValue][]; more: boolean }
  | { readonly t: 'opaque'; readonly what: string };

export const KEPT_ITEMS = 16;

export const NONE: PValue = { t: 'none' };

/** A short Python-like rendering for messages and evidence; bounded in length. */
export function describeValue(value: PValue, depth = 0): string {
  if (depth > 3) return '…';
  switch (value.t) {
    case 'str':
      return pyRepr(value.v.length > 120 ? `${value.v.slice(0, 120)}…` : value.v);
    case 'text?':
      return '<text>';
    case 'bytes':
      return `<${value.n} bytes>`;
    case 'int':
      return value.v.toString();
    case 'bool':
      return value.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'float':
      return '<float>';
    case 'global':
      return value.label;
    case 'obj':
      return `${calleeLabel(value.fn)}(${describeArgs(value.args, depth + 1)})`;
    case 'seq': {
      const inner = value.items.map((item) => describeValue(item, depth + 1)).join(', ') + (value.more ? ', …' : '');
      if (value.kind === 'tuple') return value.items.length === 1 && !value.more ? `(${inner},)` : `(${inner})`;
      if (value.kind === 'list') return `[${inner}]`;
      return `{${inner}}`;
    }
    case 'dict':
      return `{${value.items.map(([k, v]) => `${describeValue(k, depth + 1)}: ${describeValue(v, depth + 1)}`).join(', ')}${value.more ? ', …' : ''}}`;
    case 'opaque':
      return `<${value.what}>`;
  }
}

export function describeArgs(args: PValue, depth = 0): string {
  if (args.t === 'seq' && args.kind === 'tuple') {
    return args.items.map((item) => describeValue(item, depth)).join(', ') + (args.more ? ', …' : '');
  }
  return `*${describeValue(args, depth)}`;
}

export function calleeLabel(fn: PValue): string {
  if (fn.t === 'global') return fn.label;
  return `(${describeValue(fn, 1)})`;
}

function pyRepr(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/** The `module.name` a value stands for when it is an imported global. */
export function globalPath(value: PValue): string | undefined {
  if (value.t !== 'global' || value.ref === undefined) return undefined;
  return `${value.ref.module}.${value.ref.name}`;
}

/** Item `index` of a tuple/list value, when we kept it. */
export function itemAt(value: PValue | undefined, index: number): PValue | undefined {
  if (value === undefined || value.t !== 'seq') return undefined;
  return value.items[index];
}

/** Value for a string key of a dict value, when we kept it. */
export function dictGet(value: PValue | undefined, key: string): PValue | undefined {
  if (value === undefined || value.t !== 'dict') return undefined;
  for (const [k, v] of value.items) if (k.t === 'str' && k.v === key) return v;
  return undefined;
}

export function asInt(value: PValue | undefined): bigint | undefined {
  return value !== undefined && value.t === 'int' ? value.v : undefined;
}

export function asStr(value: PValue | undefined): string | undefined {
  return value !== undefined && value.t === 'str' ? value.v : undefined;
}

/** True when the value is certainly not a `str` at run time (CPython then refuses STACK_GLOBAL). */
export function certainlyNotText(value: PValue): boolean {
  return ['bytes', 'int', 'bool', 'none', 'float', 'seq', 'dict'].includes(value.t);
}
