/**
 * Symbolic execution of pickle opcodes: a stack machine that mirrors CPython's unpickler closely
 * enough to know, for every opcode that imports or calls, *what* it imports or calls, without ever
 * doing either.
 *
 * - STACK_GLOBAL operands are followed through the memo (PUT/BINPUT/LONG_BINPUT/MEMOIZE,
 *   GET/BINGET/LONG_BINGET), DUP, and every string opcode. When an operand is not a constant string
 *   (the result of a call, an imported object, text we could not decode) the import is reported as
 *   unresolved, which the policy treats as dangerous.
 * - BUILD applied to an imported module or class sets attributes on it (a known way to swap a
 *   harmless function for `eval`); we report it, and remember constant string overrides so later
 *   lookups of the same attribute resolve to the substituted value.
 * - EXT1/EXT2/EXT4 name objects through the process's extension registry, which the file cannot
 *   vouch for: unresolved.
 * - joblib writes raw array bytes *between* opcodes, right after BUILD of a NumpyArrayWrapper; we
 *   skip exactly those bytes (or scan the nested pickle joblib writes for object arrays).
 *
 * Threat assumptions: the stack, memo and kept values are bounded; a malformed opcode ends the
 * analysis with an error that the caller reports as unscannable (after reporting everything seen
 * up to it, because an unpickler would already have executed that much).
 */
import type { ByteStream } from './byte-stream.js';
import { StreamCursor } from './byte-stream.js';
import { PickleReader } from './pickle-disassembler.js';
import type { PickleOp } from './pickle-disassembler.js';
import { PickleMachine, SharedState } from './pickle-machine.js';
import type { PickleStreamAnalysis } from './pickle-machine.js';
import { MalformedInputError, ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';
import { asInt, asStr, dictGet, globalPath, itemAt } from './pickle-values.js';
import type { PValue } from './pickle-values.js';

export type { ImportRecord } from './pickle-values.js';
export type { PickleIssue, PickleStreamAnalysis } from './pickle-machine.js';

export interface AnalyzeOptions {
  readonly budget: ScanBudget;
  /** 'one': exactly one pickle (np.load of an object array). 'many': pickles until the data ends. */
  readonly mode: 'one' | 'many';
}

/** Legacy torch.save writes this number as the first pickle (torch/serialization.py MAGIC_NUMBER). */
const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** Legacy torch files hold five pickles: magic, protocol, sys_info, the object, storage keys. */
const TORCH_LEGACY_PICKLES = 5;

export async function analyzePickleStream(stream: ByteStream, options: AnalyzeOptions): Promise<PickleStreamAnalysis> {
  const cursor = new StreamCursor(stream);
  const result: PickleStreamAnalysis = {
    pickles: 0,
    ops: 0,
    highestProtocol: 0,
    imports: [],
    issues: [],
    legacyTorch: false,
    joblibArrays: 0,
    endOffset: 0,
  };
  const shared = new SharedState(options.budget, result);
  try {
    for (;;) {
      const top = await runOnePickle(cursor, shared, result.pickles);
      result.pickles += 1;
      if (result.pickles === 1 && top !== undefined && top.t === 'int' && top.v === TORCH_LEGACY_MAGIC) {
        result.legacyTorch = true;
      }
      if (options.mode === 'one') break;
      if (result.legacyTorch && result.pickles >= TORCH_LEGACY_PICKLES) break;
      if (await cursor.atEnd()) break;
      if (result.pickles >= options.budget.limits.maxPicklesPerStream) {
        throw new ScanLimitError(`more than ${options.budget.limits.maxPicklesPerStream} pickles in one stream`);
      }
    }
  } catch (error) {
    if (!(error instanceof MalformedInputError) && !(error instanceof ScanLimitError)) throw error;
    result.error = error.message;
    result.errorAfterComplete = result.pickles > 0;
    result.errorIsLimit = error instanceof ScanLimitError;
  } finally {
    result.endOffset = cursor.offset;
    cursor.close();
  }
  return result;
}

async function runOnePickle(cursor: StreamCursor, shared: SharedState, index: number): Promise<PValue | undefined> {
  const machine = new PickleMachine(shared, index);
  const reader = new PickleReader(cursor);
  const { budget, result } = shared;
  const maxOps = budget.limits.maxPickleOps;
  let opsHere = 0;
  for (;;) {
    const op = await reader.next();
    result.ops += 1;
    opsHere += 1;
    budget.tick();
    if (opsHere > maxOps) throw new ScanLimitError(`more than ${maxOps} opcodes in one pickle`);
    if (op.name === 'STOP') return machine.finish(op);
    const wrapper = machine.apply(op);
    if (wrapper !== undefined) await skipJoblibArray(cursor, shared, wrapper, op, index);
  }
}

/**
 * joblib's NumpyUnpickler reads the array right after BUILD of a NumpyArrayWrapper: a nested pickle
 * for object arrays, else an optional alignment pad (one length byte, then that many bytes) and
 * the raw data (joblib/numpy_pickle.py, NumpyArrayWrapper.read_array).
 */
async function skipJoblibArray(cursor: StreamCursor, shared: SharedState, state: PValue, op: PickleOp, index: number): Promise<void> {
  const dtype = dictGet(state, 'dtype');
  const info = dtypeInfo(dtype);
  if (info === undefined) throw new MalformedInputError(`joblib array at offset ${op.offset} has a dtype we cannot size`);
  shared.result.joblibArrays += 1;
  if (info.hasObject) {
    // The array was written with pickle.dump: its imports are the file's imports.
    await runOnePickle(cursor, shared, index);
    return;
  }
  const shape = dictGet(state, 'shape');
  if (shape === undefined || shape.t !== 'seq' || shape.more) {
    throw new MalformedInputError(`joblib array at offset ${op.offset} has no readable shape`);
  }
  let count = 1n;
  for (const dim of shape.items) {
    const n = asInt(dim);
    if (n === undefined || n < 0n) throw new MalformedInputError(`joblib array at offset ${op.offset} has a bad shape`);
    count *= n;
  }
  if (dictGet(state, 'numpy_array_alignment_bytes') !== undefined) {
    if (!(await cursor.ensure(1))) throw new MalformedInputError('joblib array padding truncated');
    const pad = cursor.u8();
    if (!(await cursor.skip(pad))) throw new MalformedInputError('joblib array padding truncated');
  }
  const bytes = count * BigInt(info.itemSize);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedInputError('joblib array larger than any file');
  if (!(await cursor.skip(Number(bytes)))) throw new MalformedInputError(`joblib array data at offset ${op.offset} is truncated`);
}

/** Item size and object-ness of a `numpy.dtype(...)` value with its BUILD state. */
function dtypeInfo(dtype: PValue | undefined): { itemSize: number; hasObject: boolean } | undefined {
  if (dtype === undefined || dtype.t !== 'obj' || globalPath(dtype.fn) !== 'numpy.dtype') return undefined;
  const spec = asStr(itemAt(dtype.args, 0));
  if (spec === undefined) return undefined;
  const state = dtype.state;
  const elsize = asInt(itemAt(state, 5));
  const flags = asInt(itemAt(state, 7));
  const kind = spec.replace(/^[<>|=]/, '').charAt(0);
  const hasObject = kind === 'O' || (flags !== undefined && (flags & 1n) === 1n);
  const digits = /^[<>|=]?[a-zA-Z](\d+)/.exec(spec);
  let itemSize = elsize !== undefined && elsize >= 0n ? Number(elsize) : digits !== null ? Number(digits[1]) : NaN;
  if (kind === 'U' && (elsize === undefined || elsize < 0n) && digits !== null) itemSize = Number(digits[1]) * 4;
  if (!Number.isFinite(itemSize) || itemSize < 0) return hasObject ? { itemSize: 0, hasObject } : undefined;
  return { itemSize, hasObject };
}

