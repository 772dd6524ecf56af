/**
 * A pickle disassembler: bytes → opcodes with decoded arguments, protocols 0 to 5. It never builds
 * a Python object and never imports anything; it only tells what an unpickler *would* do.
 *
 * Decoding follows CPython's `_pickle.c` where the two differ from `pickletools` (which is stricter),
 * because what matters is what the real unpickler accepts: e.g. STRING arguments are escape-decoded
 * like `codecs.escape_decode`, UNICODE ones like `raw_unicode_escape`, GLOBAL lines are strict UTF-8.
 * Threat assumptions: lengths are hostile (a 2^63 byte string), so long arguments are skipped, not
 * read; lines are capped; every error says where it happened.
 */
import { BufferByteSource } from './byte-source.js';
import { SourceStream, StreamCursor } from './byte-stream.js';
import { OPCODES } from './pickle-opcodes.js';
import { MalformedInputError } from './scan-limits.js';

export interface PickleOp {
  /** Offset of the opcode byte from the start of the stream. */
  readonly offset: number;
  readonly code: number;
  readonly name: string;
  /** Integer argument: INT/LONG/BININT*, memo index of GET/PUT, PROTO, EXT code, FRAME length. */
  readonly int?: bigint;
  /** Decoded text argument (UNICODE, STRING, BINUNICODE…, PERSID) when it is short enough to keep. */
  readonly text?: string;
  /** True when the op carries text we did not keep or could not decode exactly. */
  readonly textUnknown?: boolean;
  /** Length of a bytes argument (BINBYTES…, BYTEARRAY8). */
  readonly byteLength?: number;
  /** The bytes themselves, for short byte strings. */
  readonly bytes?: Buffer;
  /** GLOBAL and INST: the two lines. */
  readonly module?: string;
  readonly qualname?: string;
}

export interface DisassembleOptions {
  /** Longest text argument kept, in bytes; longer ones are skipped and marked unknown. */
  readonly maxKeptText?: number;
  /** Longest protocol-0 line accepted. */
  readonly maxLine?: number;
}

const DEFAULT_MAX_KEPT_TEXT = 64 * 1024;
const DEFAULT_MAX_LINE = 1024 * 1024;
const KEPT_BYTES = 256;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class PickleReader {
  readonly #cursor: StreamCursor;
  readonly #maxKeptText: number;
  readonly #maxLine: number;

  constructor(cursor: StreamCursor, options: DisassembleOptions = {}) {
    this.#cursor = cursor;
    this.#maxKeptText = options.maxKeptText ?? DEFAULT_MAX_KEPT_TEXT;
    this.#maxLine = options.maxLine ?? DEFAULT_MAX_LINE;
  }

  get cursor(): StreamCursor {
    return this.#cursor;
  }

  /** The next opcode; throws MalformedInputError on a byte that is not one or a truncated argument. */
  async next(): Promise<PickleOp> {
    const cursor = this.#cursor;
    const offset = cursor.offset;
    if (!(await cursor.ensure(9))) {
      if (cursor.available === 0) throw malformed(offset, 'pickle data was truncated (no STOP opcode)');
    }
    const code = cursor.u8();
    const info = OPCODES[code];
    if (info === undefined) {
      throw malformed(offset, `invalid opcode 0x${code.toString(16).padStart(2, '0')}`);
    }
    const base = { offset, code, name: info.name };
    switch (info.arg) {
      case 'none':
        return base;
      case 'u8':
        return { ...base, int: BigInt(await this.#fixed(offset, 1)) };
      case 'u16':
        return { ...base, int: BigInt(await this.#fixed(offset, 2)) };
      case 'u32':
        return { ...base, int: BigInt(await this.#fixed(offset, 4)) };
      case 'i32':
        return { ...base, int: BigInt((await this.#fixed(offset, 4)) | 0) };
      case 'u64':
        return { ...base, int: await this.#u64(offset) };
      case 'f64':
        await this.#take(offset, 8);
        return base;
      case 'long1':
      case 'long4': {
        const n = info.arg === 'long1' ? await this.#fixed(offset, 1) : (await this.#fixed(offset, 4)) | 0;
        if (n < 0) throw malformed(offset, 'LONG4 with a negative byte count');
        if (n > 64) {
          await this.#skip(offset, n);
          return base;
        }
        return { ...base, int: littleEndianSigned(await this.#take(offset, n)) };
      }
      case 'line-int': {
        const line = await this.#line(offset);
        const value = parsePythonInt(latin1(line), info.name === 'INT' || info.name === 'LONG');
        if (value === undefined) throw malformed(offset, `${info.name} argument is not an integer`);
        return { ...base, int: value };
      }
      case 'line-float':
        await this.#line(offset);
        return base;
      case 'line-raw': {
        const line = await this.#line(offset);
        return { ...base, text: latin1(line) };
      }
      case 'line-string': {
        const line = await this.#line(offset);
        const text = decodeStringLiteral(line);
        if (text === null) throw malformed(offset, 'the STRING opcode argument must be quoted');
        return text === undefined ? { ...base, textUnknown: true } : { ...base, text };
      }
      case 'line-unicode': {
        const line = await this.#line(offset);
        const text = decodeRawUnicodeEscape(line);
        if (text === undefined) throw malformed(offset, 'UNICODE argument has a broken \\u escape');
        return { ...base, text };
      }
      case 'two-lines': {
        const module = decodeUtf8Strict(await this.#line(offset));
        const qualname = decodeUtf8Strict(await this.#line(offset));
        if (module === undefined || qualname === undefined) {
          throw malformed(offset, `${info.name} module or name is not valid UTF-8`);
        }
        return { ...base, module, qualname };
      }
      case 'text-u8':
      case 'text-u32':
      case 'text-u64': {
        const length = await this.#length(offset, info.arg);
        if (length > this.#maxKeptText) {
          await this.#skip(offset, length);
          return { ...base, textUnknown: true, byteLength: length };
        }
        const text = decodeUtf8Strict(await this.#take(offset, length));
        // CPython decodes with "surrogatepass"; text we cannot decode the same way is not trusted.
        return text === undefined ? { ...base, textUnknown: true } : { ...base, text };
      }
      case 'str-u8':
      case 'str-i32': {
        const length = info.arg === 'str-u8' ? await this.#fixed(offset, 1) : (await this.#fixed(offset, 4)) | 0;
        if (length < 0) throw malformed(offset, `${info.name} with a negative length`);
        if (length > this.#maxKeptText) {
          await this.#skip(offset, length);
          return { ...base, textUnknown: true, byteLength: length };
        }
        // Decoded with the unpickler's `encoding`: ASCII by default, latin-1 in numpy and torch. We
        // take latin-1, which agrees with ASCII wherever ASCII succeeds.
        return { ...base, text: latin1(await this.#take(offset, length)) };
      }
      case 'bytes-u8':
      case 'bytes-u32':
      case 'bytes-u64': {
        const length = await this.#length(offset, info.arg);
        if (length > KEPT_BYTES) {
          await this.#skip(offset, length);
          return { ...base, byteLength: length };
        }
        return { ...base, byteLength: length, bytes: Buffer.from(await this.#take(offset, length)) };
      }
    }
  }

  async #length(offset: number, kind: 'text-u8' | 'text-u32' | 'text-u64' | 'bytes-u8' | 'bytes-u32' | 'bytes-u64'): Promise<number> {
    if (kind.endsWith('u8')) return this.#fixed(offset, 1);
    if (kind.endsWith('u32')) return this.#fixed(offset, 4);
    const big = await this.#u64(offset);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(offset, 'argument length beyond any file size');
    return Number(big);
  }

  async #fixed(offset: number, width: 1 | 2 | 4): Promise<number> {
    const bytes = await this.#take(offset, width);
    if (width === 1) return bytes[0] as number;
    if (width === 2) return bytes.readUInt16LE(0);
    return bytes.readUInt32LE(0);
  }

  async #u64(offset: number): Promise<bigint> {
    return (await this.#take(offset, 8)).readBigUInt64LE(0);
  }

  async #take(offset: number, n: number): Promise<Buffer> {
    if (!(await this.#cursor.ensure(n))) throw malformed(offset, 'pickle data was truncated inside an argument');
    return this.#cursor.take(n);
  }

  async #skip(offset: number, n: number): Promise<void> {
    if (!(await this.#cursor.skip(n))) throw malformed(offset, 'pickle data was truncated inside an argument');
  }

  async #line(offset: number): Promise<Buffer> {
    const line = await this.#cursor.readLine(this.#maxLine);
    if (line === undefined) throw malformed(offset, 'pickle data was truncated (no newline)');
    return line;
  }
}

/** Disassembles every pickle in `bytes` (one after another) into a list of opcodes. */
export async function disassemblePickle(bytes: Uint8Array, options: DisassembleOptions = {}): Promise<PickleOp[]> {
  const cursor = new StreamCursor(new SourceStream(new BufferByteSource(bytes)));
  const reader = new PickleReader(cursor, options);
  const ops: PickleOp[] = [];
  while (!(await cursor.atEnd())) {
    const op = await reader.next();
    ops.push(op);
  }
  return ops;
}

function malformed(offset: number, message: string): MalformedInputError {
  return new MalformedInputError(`${message} at offset ${offset}`);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    // Undecodable: the caller treats the value as unknown (never as a harmless name).
    return undefined;
  }
}

function littleEndianSigned(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i] as number);
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/**
 * Python's int() on a protocol-0 line: surrounding whitespace, a sign, underscores between digits;
 * INT and LONG accept base prefixes (CPython parses them with base 0) and LONG a trailing "L".
 */
export function parsePythonInt(raw: string, anyBase: boolean): bigint | undefined {
  let text = raw.trim();
  if (anyBase && text.endsWith('L')) text = text.slice(0, -1);
  let sign = 1n;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1n;
    text = text.slice(1);
  }
  if (!/^[0-9a-zA-Z_]+$/.test(text) || text.startsWith('_') || text.endsWith('_') || text.includes('__')) return undefined;
  text = text.replace(/_/g, '');
  try {
    if (anyBase && /^0[xob]/i.test(text)) return sign * BigInt(text.toLowerCase());
    if (!/^[0-9]+$/.test(text)) return undefined;
    return sign * BigInt(text);
  } catch {
    // Not a number by Python's rules either.
    return undefined;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x5c: '\\', 0x27: "'", 0x22: '"', 0x61: '\x07', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t', 0x76: '\v', 0x0a: '',
};

/**
 * The argument of STRING: quotes stripped, then `codecs.escape_decode`. Returns null when it is not
 * quoted (CPython refuses it), undefined when it holds an escape we do not reproduce exactly.
 */
export function decodeStringLiteral(line: Uint8Array): string | undefined | null {
  let end = line.length;
  if (end < 2) return null;
  const quote = line[0];
  if ((quote !== 0x27 && quote !== 0x22) || line[end - 1] !== quote) return null;
  end -= 1;
  let out = '';
  for (let i = 1; i < end; i += 1) {
    const c = line[i] as number;
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    i += 1;
    if (i >= end) return undefined; // trailing backslash: CPython raises
    const e = line[i] as number;
    const mapped = SIMPLE_ESCAPES[e];
    if (mapped !== undefined) {
      out += mapped;
    } else if (e >= 0x30 && e <= 0x37) {
      let value = e - 0x30;
      for (let k = 0; k < 2 && i + 1 < end && (line[i + 1] as number) >= 0x30 && (line[i + 1] as number) <= 0x37; k += 1) {
        i += 1;
        value = value * 8 + ((line[i] as number) - 0x30);
      }
      out += String.fromCharCode(value & 0xff);
    } else if (e === 0x78) {
      const hex = Buffer.from(line.subarray(i + 1, i + 3)).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else {
      out += '\\' + String.fromCharCode(e);
    }
  }
  return out;
}

/** `raw_unicode_escape` decoding: \uXXXX and \UXXXXXXXX after an odd run of backslashes. */
export function decodeRawUnicodeEscape(bytes: Uint8Array): string | undefined {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      i += 1;
      continue;
    }
    let run = 0;
    while (i < bytes.length && bytes[i] === 0x5c) {
      run += 1;
      i += 1;
    }
    out += '\\'.repeat(run);
    const next = bytes[i];
    if (run % 2 === 0 || (next !== 0x75 && next !== 0x55)) continue;
    out = out.slice(0, -1);
    const digits = next === 0x75 ? 4 : 8;
    const hex = Buffer.from(bytes.subarray(i + 1, i + 1 + digits)).toString('latin1');
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const point = parseInt(hex, 16);
    if (point > 0x10ffff) return undefined;
    out += String.fromCodePoint(point);
    i += 1 + digits;
  }
  return out;
}
