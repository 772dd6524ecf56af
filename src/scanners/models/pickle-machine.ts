/**
 * The stack machine behind the pickle analyzer: one instance per pickle, mirroring CPython's
 * unpickler opcode by opcode on symbolic values (see pickle-analyzer.ts for what is followed and
 * why). Every structure it keeps is bounded by the scan limits.
 */
import { normaliseModule } from './import-policy.js';
import type { PickleOp } from './pickle-disassembler.js';
import { HIGHEST_PROTOCOL } from './pickle-opcodes.js';
import { MalformedInputError, ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';
import {
  KEPT_ITEMS,
  NONE,
  certainlyNotText,
  describeArgs,
  describeValue,
  globalPath,
  itemAt,
} from './pickle-values.js';
import type { ImportRecord, PValue } from './pickle-values.js';

export interface PickleIssue {
  readonly kind: 'unresolved-import' | 'global-mutation';
  readonly opcode: string;
  readonly offset: number;
  readonly pickle: number;
  readonly detail: string;
  /** Best description of the import or target, `module.name` where known. */
  readonly target: string;
}

export interface PickleStreamAnalysis {
  /** Pickles fully read (ending in STOP). */
  pickles: number;
  ops: number;
  highestProtocol: number;
  readonly imports: ImportRecord[];
  readonly issues: PickleIssue[];
  /** Why the analysis stopped early, when it did: the stream is then unscannable (or partly). */
  error?: string;
  /** Set when the error came after at least one complete pickle (trailing bytes that are not a pickle). */
  errorAfterComplete?: boolean;
  /** Set when the error is a budget running out rather than malformed bytes. */
  errorIsLimit?: boolean;
  /** The stream is a legacy (pre-1.6) PyTorch file: magic-number pickle first. */
  legacyTorch: boolean;
  /** joblib arrays whose bytes were skipped. */
  joblibArrays: number;
  /** Stream offset where reading stopped. */
  endOffset: number;
}

export const JOBLIB_WRAPPERS: ReadonlySet<string> = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);

/** State that outlives one pickle: module attribute overrides are process-wide in CPython. */
export class SharedState {
  readonly overrides = new Map<string, PValue>();
  keptItems = 0;
  constructor(
    readonly budget: ScanBudget,
    readonly result: PickleStreamAnalysis,
  ) {}
}

export class PickleMachine {
  readonly #stack: PValue[] = [];
  readonly #marks: number[] = [];
  readonly #memo = new Map<bigint, PValue>();
  readonly #shared: SharedState;
  readonly #index: number;

  constructor(shared: SharedState, index: number) {
    this.#shared = shared;
    this.#index = index;
  }

  finish(op: PickleOp): PValue | undefined {
    if (this.#stack.length === 0) throw bad(op, 'STOP with an empty stack');
    return this.#stack[this.#stack.length - 1];
  }

  /** Applies one opcode. Returns the BUILD state when joblib array data follows in the stream. */
  apply(op: PickleOp): PValue | undefined {
    const stack = this.#stack;
    switch (op.name) {
      case 'PROTO': {
        const version = Number(op.int ?? 0n);
        if (version > HIGHEST_PROTOCOL) throw bad(op, `unsupported pickle protocol ${version}`);
        this.#shared.result.highestProtocol = Math.max(this.#shared.result.highestProtocol, version);
        return undefined;
      }
      case 'FRAME':
        return undefined;
      case 'MARK':
        if (this.#marks.length >= this.#shared.budget.limits.maxPickleMemo) throw new ScanLimitError('pickle marks beyond limit');
        this.#marks.push(stack.length);
        return undefined;
      case 'POP':
        if (this.#marks.length > 0 && stack.length === this.#marks[this.#marks.length - 1]) this.#popMark(op);
        else this.#pop(op);
        return undefined;
      case 'POP_MARK':
        this.#popMark(op);
        return undefined;
      case 'DUP':
        this.#push(this.#top(op));
        return undefined;
      case 'NONE':
        this.#push(NONE);
        return undefined;
      case 'NEWTRUE':
      case 'NEWFALSE':
        this.#push({ t: 'bool', v: op.name === 'NEWTRUE' });
        return undefined;
      case 'INT':
        // Protocol 0 writes True/False as INT "01"/"00"; the value is enough for us either way.
        this.#push({ t: 'int', v: op.int ?? 0n });
        return undefined;
      case 'BININT':
      case 'BININT1':
      case 'BININT2':
      case 'LONG':
      case 'LONG1':
      case 'LONG4':
        this.#push(op.int === undefined ? { t: 'opaque', what: 'big int' } : { t: 'int', v: op.int });
        return undefined;
      case 'FLOAT':
      case 'BINFLOAT':
        this.#push({ t: 'float' });
        return undefined;
      case 'STRING':
      case 'BINSTRING':
      case 'SHORT_BINSTRING':
      case 'UNICODE':
      case 'BINUNICODE':
      case 'SHORT_BINUNICODE':
      case 'BINUNICODE8':
        this.#push(op.text !== undefined ? { t: 'str', v: op.text } : { t: 'text?' });
        return undefined;
      case 'BINBYTES':
      case 'SHORT_BINBYTES':
      case 'BINBYTES8':
      case 'BYTEARRAY8':
        this.#push({ t: 'bytes', n: op.byteLength ?? 0, ...(op.bytes !== undefined && { v: op.bytes }) });
        return undefined;
      case 'NEXT_BUFFER':
        this.#push({ t: 'opaque', what: 'out-of-band buffer' });
        return undefined;
      case 'READONLY_BUFFER':
        this.#top(op);
        return undefined;
      case 'EMPTY_LIST':
        this.#push(this.#seq('list', []));
        return undefined;
      case 'EMPTY_TUPLE':
        this.#push(this.#seq('tuple', []));
        return undefined;
      case 'EMPTY_DICT':
        this.#push({ t: 'dict', items: [], more: false });
        return undefined;
      case 'EMPTY_SET':
        this.#push(this.#seq('set', []));
        return undefined;
      case 'LIST':
      case 'TUPLE':
      case 'FROZENSET':
        this.#push(this.#seq(op.name === 'LIST' ? 'list' : op.name === 'TUPLE' ? 'tuple' : 'frozenset', this.#popMark(op)));
        return undefined;
      case 'TUPLE1':
      case 'TUPLE2':
      case 'TUPLE3': {
        const n = op.name === 'TUPLE1' ? 1 : op.name === 'TUPLE2' ? 2 : 3;
        const items: PValue[] = [];
        for (let i = 0; i < n; i += 1) items.unshift(this.#pop(op));
        this.#push(this.#seq('tuple', items));
        return undefined;
      }
      case 'DICT': {
        const items = this.#popMark(op);
        const dict: PValue = { t: 'dict', items: [], more: false };
        this.#addPairs(op, dict, items);
        this.#push(dict);
        return undefined;
      }
      case 'APPEND':
        this.#addItems(op, [this.#pop(op)]);
        return undefined;
      case 'APPENDS':
      case 'ADDITEMS':
        this.#addItems(op, this.#popMark(op));
        return undefined;
      case 'SETITEM': {
        const value = this.#pop(op);
        const key = this.#pop(op);
        this.#setItems(op, [key, value]);
        return undefined;
      }
      case 'SETITEMS':
        this.#setItems(op, this.#popMark(op));
        return undefined;
      case 'PUT':
      case 'BINPUT':
      case 'LONG_BINPUT':
        this.#memoPut(op, op.int ?? 0n);
        return undefined;
      case 'MEMOIZE':
        this.#memoPut(op, BigInt(this.#memo.size));
        return undefined;
      case 'GET':
      case 'BINGET':
      case 'LONG_BINGET': {
        const value = this.#memo.get(op.int ?? -1n);
        if (value === undefined) throw bad(op, `memo key ${String(op.int)} was never stored`);
        this.#push(value);
        return undefined;
      }
      case 'PERSID':
        this.#push({ t: 'opaque', what: 'persistent id' });
        return undefined;
      case 'BINPERSID':
        this.#pop(op);
        this.#push({ t: 'opaque', what: 'persistent id' });
        return undefined;
      case 'GLOBAL':
        this.#push(this.#import(op, op.module ?? '', op.qualname ?? ''));
        return undefined;
      case 'STACK_GLOBAL': {
        const name = this.#pop(op);
        const module = this.#pop(op);
        this.#push(this.#stackGlobal(op, module, name));
        return undefined;
      }
      case 'INST': {
        const args = this.#popMark(op);
        const cls = this.#import(op, op.module ?? '', op.qualname ?? '');
        this.#push(this.#call(cls, this.#seq('tuple', args)));
        return undefined;
      }
      case 'OBJ': {
        const items = this.#popMark(op);
        const cls = items.shift();
        if (cls === undefined) throw bad(op, 'OBJ without a class');
        this.#push(this.#call(cls, this.#seq('tuple', items)));
        return undefined;
      }
      case 'REDUCE': {
        const args = this.#pop(op);
        const fn = this.#pop(op);
        this.#push(this.#call(fn, args));
        return undefined;
      }
      case 'NEWOBJ': {
        const args = this.#pop(op);
        const cls = this.#pop(op);
        this.#push(this.#call(cls, args));
        return undefined;
      }
      case 'NEWOBJ_EX': {
        this.#pop(op); // kwargs
        const args = this.#pop(op);
        const cls = this.#pop(op);
        this.#push(this.#call(cls, args));
        return undefined;
      }
      case 'BUILD':
        return this.#build(op);
      case 'EXT1':
      case 'EXT2':
      case 'EXT4': {
        const label = `<extension code ${String(op.int)}>`;
        this.#issue(op, 'unresolved-import', label, `${op.name} names an object through the copyreg extension registry of the loading process, which the file cannot vouch for`);
        this.#push({ t: 'global', label });
        return undefined;
      }
      default:
        throw bad(op, `opcode ${op.name} is not handled`);
    }
  }

  #import(op: PickleOp, rawModule: string, name: string): PValue {
    const module = normaliseModule(rawModule);
    const path = `${module}.${name}`;
    const override = this.#override(path);
    const record: ImportRecord = { rawModule, module, name, opcode: op.name, offset: op.offset, pickle: this.#index, calls: 0 };
    this.#shared.result.imports.push(record);
    if (override !== undefined) {
      if (override.value !== undefined) return override.value;
      this.#issue(op, 'unresolved-import', path, `${path} is looked up after the pickle changed ${override.key}`);
      return { t: 'global', label: `<${path} after mutation>` };
    }
    return { t: 'global', ref: record, label: path };
  }

  #stackGlobal(op: PickleOp, module: PValue, name: PValue): PValue {
    if (module.t === 'str' && name.t === 'str') return this.#import(op, module.v, name.v);
    if (certainlyNotText(module) || certainlyNotText(name)) throw bad(op, 'STACK_GLOBAL requires two strings');
    const label = `${operandLabel(module)}.${operandLabel(name)}`;
    this.#issue(
      op,
      'unresolved-import',
      label,
      `STACK_GLOBAL takes its module or name from ${module.t === 'str' ? describeValue(name) : describeValue(module)}, not a constant string`,
    );
    return { t: 'global', label: `<unresolved ${label}>` };
  }

  /** A recorded attribute override that decides how `path` resolves. */
  #override(path: string): { key: string; value: PValue | undefined } | undefined {
    for (const [key, value] of this.#shared.overrides) {
      if (key === path) return { key, value };
      if (path.startsWith(`${key}.`)) return { key, value: undefined };
    }
    return undefined;
  }

  #call(fn: PValue, args: PValue): PValue {
    if (fn.t === 'global' && fn.ref !== undefined) {
      fn.ref.calls += 1;
      if (fn.ref.evidence === undefined) fn.ref.evidence = `${fn.label}(${describeArgs(args)})`.slice(0, 300);
    }
    return { t: 'obj', fn, args };
  }

  #build(op: PickleOp): PValue | undefined {
    const state = this.#pop(op);
    const target = this.#top(op);
    if (target.t === 'global') {
      const base = globalPath(target) ?? target.label;
      const keys: string[] = [];
      const dict = state.t === 'dict' ? state : itemAt(state, 0)?.t === 'dict' ? itemAt(state, 0) : undefined;
      const slots = itemAt(state, 1);
      for (const source of [dict, slots?.t === 'dict' ? slots : undefined]) {
        if (source === undefined || source.t !== 'dict') continue;
        for (const [key, value] of source.items) {
          if (key.t !== 'str') continue;
          keys.push(key.v);
          this.#shared.overrides.set(`${base}.${key.v}`, value);
        }
      }
      const what = keys.length > 0 ? `sets ${keys.map((k) => `${base}.${k}`).join(', ')}` : 'sets attributes of it';
      this.#issue(op, 'global-mutation', base, `BUILD on the imported object ${base} ${what} for every later user`);
      return undefined;
    }
    if (target.t === 'obj') {
      target.state = state;
      const path = globalPath(target.fn);
      if (path !== undefined && JOBLIB_WRAPPERS.has(path)) return state;
    }
    return undefined;
  }

  #addItems(op: PickleOp, items: PValue[]): void {
    const target = this.#top(op);
    if (target.t === 'global') {
      this.#issue(op, 'global-mutation', globalPath(target) ?? target.label, `${op.name} calls append/extend/add on the imported object ${target.label}`);
      return;
    }
    if (target.t !== 'seq') return;
    for (const item of items) this.#keep(target, item);
  }

  #setItems(op: PickleOp, flat: PValue[]): void {
    const target = this.#top(op);
    if (target.t === 'global') {
      this.#issue(op, 'global-mutation', globalPath(target) ?? target.label, `${op.name} stores items into the imported object ${target.label}`);
      return;
    }
    if (target.t === 'dict') this.#addPairs(op, target, flat);
  }

  #addPairs(op: PickleOp, dict: PValue, flat: PValue[]): void {
    if (flat.length % 2 !== 0) throw bad(op, 'odd number of items for a dict');
    if (dict.t !== 'dict') return;
    for (let i = 0; i < flat.length; i += 2) {
      if (dict.items.length >= KEPT_ITEMS || !this.#canKeep()) {
        dict.more = true;
        return;
      }
      dict.items.push([flat[i] as PValue, flat[i + 1] as PValue]);
    }
  }

  #seq(kind: 'tuple' | 'list' | 'set' | 'frozenset', items: PValue[]): PValue {
    const keep = Math.min(items.length, KEPT_ITEMS);
    const kept = this.#canKeep(keep) ? items.slice(0, keep) : [];
    return { t: 'seq', kind, items: kept, more: kept.length < items.length };
  }

  #keep(target: PValue, item: PValue): void {
    if (target.t !== 'seq') return;
    if (target.items.length >= KEPT_ITEMS || !this.#canKeep()) {
      target.more = true;
      return;
    }
    target.items.push(item);
  }

  /** A global cap on kept container items, so containers cannot pin memory beyond the budget. */
  #canKeep(n = 1): boolean {
    if (this.#shared.keptItems + n > this.#shared.budget.limits.maxPickleMemo) return false;
    this.#shared.keptItems += n;
    return true;
  }

  #memoPut(op: PickleOp, key: bigint): void {
    if (this.#memo.size >= this.#shared.budget.limits.maxPickleMemo && !this.#memo.has(key)) {
      throw new ScanLimitError(`pickle memo beyond ${this.#shared.budget.limits.maxPickleMemo} entries`);
    }
    this.#memo.set(key, this.#top(op));
  }

  #issue(op: PickleOp, kind: PickleIssue['kind'], target: string, detail: string): void {
    this.#shared.result.issues.push({ kind, opcode: op.name, offset: op.offset, pickle: this.#index, detail, target });
  }

  #push(value: PValue): void {
    if (this.#stack.length >= this.#shared.budget.limits.maxPickleMemo) throw new ScanLimitError('pickle stack beyond limit');
    this.#stack.push(value);
  }

  #pop(op: PickleOp): PValue {
    const floor = this.#marks.length > 0 ? (this.#marks[this.#marks.length - 1] as number) : 0;
    if (this.#stack.length <= floor) throw bad(op, 'stack underflow');
    return this.#stack.pop() as PValue;
  }

  #top(op: PickleOp): PValue {
    const floor = this.#marks.length > 0 ? (this.#marks[this.#marks.length - 1] as number) : 0;
    if (this.#stack.length <= floor) throw bad(op, 'stack underflow');
    return this.#stack[this.#stack.length - 1] as PValue;
  }

  #popMark(op: PickleOp): PValue[] {
    const mark = this.#marks.pop();
    if (mark === undefined) throw bad(op, 'could not find MARK');
    return this.#stack.splice(mark);
  }
}

function operandLabel(value: PValue): string {
  if (value.t === 'str') return value.v;
  if (value.t === 'global') return `<${value.label}>`;
  if (value.t === 'obj') return `<result of ${describeValue(value.fn)}>`;
  return `<${describeValue(value)}>`;
}

function bad(op: PickleOp, message: string): MalformedInputError {
  return new MalformedInputError(`${message} (${op.name} at offset ${op.offset})`);
}
