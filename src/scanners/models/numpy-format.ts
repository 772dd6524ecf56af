/**
 * The `.npy` format (numpy/lib/format.py, NEP 1): magic `\x93NUMPY`, version, header length, then a
 * Python dict literal `{'descr': …, 'fortran_order': …, 'shape': (…), }`. Object arrays (`descr`
 * containing `O`) are written with `pickle.dump` right after the header, and `np.load(...,
 * allow_pickle=True)` unpickles them: that pickle is what we scan.
 *
 * The header is parsed by a tiny literal parser (strings, numbers, booleans, None, tuples, lists,
 * dicts) with a depth and size bound: it is never evaluated.
 */
import { MalformedInputError } from './scan-limits.js';

export const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Largest header numpy itself accepts when reading (format.py _MAX_HEADER_SIZE). */
export const MAX_NPY_HEADER = 10_000;

export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

export interface NpyHeader {
  readonly version: string;
  /** Offset of the array data (or of the pickle, for object arrays). */
  readonly dataOffset: number;
  readonly descr: PyLiteral;
  readonly shape: number[];
  readonly hasObject: boolean;
  /** Bytes of array data, when the dtype has a fixed size. */
  readonly dataBytes?: number;
}

/** Bytes needed to parse the header: call with the first 10 bytes, then read that much. */
export function npyHeaderLength(prefix: Uint8Array): number {
  if (prefix.length < 10 || !Buffer.from(prefix.subarray(0, 6)).equals(NPY_MAGIC)) throw new MalformedInputError('not a .npy file');
  const major = prefix[6] as number;
  const view = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.length);
  if (major === 1) return 10 + view.readUInt16LE(8);
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new MalformedInputError('.npy header is truncated');
    return 12 + view.readUInt32LE(8);
  }
  throw new MalformedInputError(`.npy format version ${major} is unknown`);
}

export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const total = npyHeaderLength(bytes);
  if (total > MAX_NPY_HEADER + 12) throw new MalformedInputError(`.npy header of ${total} bytes is larger than numpy accepts`);
  if (bytes.length < total) throw new MalformedInputError('.npy header is truncated');
  const major = bytes[6] as number;
  const start = major === 1 ? 10 : 12;
  const text = Buffer.from(bytes.subarray(start, total)).toString(major === 3 ? 'utf8' : 'latin1');
  const value = new LiteralParser(text).parseAll();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedInputError('.npy header is not a dict');
  const descr = value['descr'];
  const shapeValue = value['shape'];
  if (descr === undefined || !Array.isArray(shapeValue)) throw new MalformedInputError('.npy header lacks descr or shape');
  const shape = shapeValue.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw new MalformedInputError('.npy shape is not a tuple of sizes');
    return d;
  });
  const itemSize = descrItemSize(descr);
  const count = shape.reduce((a, b) => a * b, 1);
  const hasObject = descrHasObject(descr);
  return {
    version: `${major}.${bytes[7] as number}`,
    dataOffset: total,
    descr,
    shape,
    hasObject,
    ...(itemSize !== undefined && !hasObject && Number.isSafeInteger(count * itemSize) && { dataBytes: count * itemSize }),
  };
}

function descrHasObject(descr: PyLiteral): boolean {
  if (typeof descr === 'string') return /^[<>|=]?O/.test(descr);
  if (Array.isArray(descr)) return descr.some((field) => (Array.isArray(field) ? field.slice(1).some((part) => descrHasObject(part)) : descrHasObject(field)));
  return false;
}

function descrItemSize(descr: PyLiteral): number | undefined {
  if (typeof descr === 'string') {
    const match = /^[<>|=]?([a-zA-Z])(\d+)/.exec(descr);
    if (match === null) return undefined;
    const size = Number(match[2]);
    return match[1] === 'U' ? size * 4 : size;
  }
  if (Array.isArray(descr)) {
    let total = 0;
    for (const field of descr) {
      if (!Array.isArray(field) || field.length < 2) return undefined;
      const inner = descrItemSize(field[1] as PyLiteral);
      if (inner === undefined) return undefined;
      const sub = field[2];
      const repeat = Array.isArray(sub) ? sub.reduce<number>((a, b) => a * (typeof b === 'number' ? b : NaN), 1) : 1;
      total += inner * repeat;
    }
    return Number.isFinite(total) ? total : undefined;
  }
  return undefined;
}

/** A bounded parser for the Python literals numpy writes into headers. */
class LiteralParser {
  #pos = 0;
  #depth = 0;
  constructor(readonly text: string) {}

  parseAll(): PyLiteral {
    const value = this.#value();
    this.#ws();
    if (this.#pos !== this.text.length) throw new MalformedInputError('.npy header has trailing characters');
    return value;
  }

  #ws(): void {
    while (this.#pos < this.text.length && /\s/.test(this.text[this.#pos] as string)) this.#pos += 1;
  }

  #value(): PyLiteral {
    this.#ws();
    const c = this.text[this.#pos];
    if (c === undefined) throw new MalformedInputError('.npy header ends early');
    if (c === "'" || c === '"') return this.#string(c);
    if (c === '(' || c === '[') return this.#sequence(c === '(' ? ')' : ']');
    if (c === '{') return this.#dict();
    const word = /^(True|False|None|[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.#pos, this.#pos + 64));
    if (word === null) throw new MalformedInputError(`.npy header has an unexpected "${c}"`);
    this.#pos += (word[1] as string).length;
    if (word[1] === 'True') return true;
    if (word[1] === 'False') return false;
    if (word[1] === 'None') return null;
    return Number(word[1]);
  }

  #enter(): void {
    this.#depth += 1;
    if (this.#depth > 32) throw new MalformedInputError('.npy header nests too deeply');
  }

  #string(quote: string): string {
    let out = '';
    this.#pos += 1;
    while (this.#pos < this.text.length) {
      const c = this.text[this.#pos] as string;
      this.#pos += 1;
      if (c === quote) return out;
      if (c === '\\') {
        const next = this.text[this.#pos];
        if (next === undefined) break;
        out += next;
        this.#pos += 1;
      } else {
        out += c;
      }
    }
    throw new MalformedInputError('.npy header has an unterminated string');
  }

  #sequence(close: string): PyLiteral[] {
    this.#enter();
    this.#pos += 1;
    const items: PyLiteral[] = [];
    for (;;) {
      this.#ws();
      if (this.text[this.#pos] === close) {
        this.#pos += 1;
        this.#depth -= 1;
        return items;
      }
      items.push(this.#value());
      this.#ws();
      if (this.text[this.#pos] === ',') this.#pos += 1;
      else if (this.text[this.#pos] !== close) throw new MalformedInputError('.npy header has a malformed sequence');
    }
  }

  #dict(): { [key: string]: PyLiteral } {
    this.#enter();
    this.#pos += 1;
    const out = Object.create(null) as { [key: string]: PyLiteral };
    for (;;) {
      this.#ws();
      if (this.text[this.#pos] === '}') {
        this.#pos += 1;
        this.#depth -= 1;
        return out;
      }
      const key = this.#value();
      if (typeof key !== 'string') throw new MalformedInputError('.npy header has a non-string key');
      this.#ws();
      if (this.text[this.#pos] !== ':') throw new MalformedInputError('.npy header has a malformed dict');
      this.#pos += 1;
      out[key] = this.#value();
      this.#ws();
      if (this.text[this.#pos] === ',') this.#pos += 1;
      else if (this.text[this.#pos] !== '}') throw new MalformedInputError('.npy header has a malformed dict');
    }
  }
}
