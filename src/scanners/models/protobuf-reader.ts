/**
 * A small, bounded protobuf wire-format reader over a random-access source (protobuf encoding as
 * documented at protobuf.dev/programming-guides/encoding). It yields each field's number and wire
 * type, varint values, and for length-delimited fields their offset and length, so a caller reads
 * only the strings it needs and descends only into the messages it knows; tensor payloads are
 * skipped by length and never read.
 *
 * Threat assumptions: varints longer than 10 bytes, lengths past the enclosing message, group wire
 * types and unknown wire types are errors; the caller bounds recursion depth.
 */
import type { ByteSource } from './byte-source.js';
import { MalformedInputError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';

export interface PbField {
  readonly field: number;
  readonly wire: number;
  /** Varint value (wire type 0). */
  readonly value?: bigint;
  /** Start of a length-delimited payload (wire type 2). */
  readonly offset: number;
  readonly length: number;
}

const WINDOW = 64 * 1024;

/** Reads through a 64 KiB window so that walking small fields costs one read per window. */
export class PbReader {
  #windowStart = -1;
  #window: Buffer = Buffer.alloc(0);

  constructor(
    readonly source: ByteSource,
    readonly budget: ScanBudget,
  ) {}

  async bytes(offset: number, length: number): Promise<Buffer> {
    if (length > WINDOW) return this.source.read(offset, length);
    if (this.#windowStart < 0 || offset < this.#windowStart || offset + length > this.#windowStart + this.#window.length) {
      this.#windowStart = offset;
      this.#window = await this.source.read(offset, Math.max(WINDOW, length));
    }
    const at = offset - this.#windowStart;
    return this.#window.subarray(at, Math.min(at + length, this.#window.length));
  }

  async string(field: PbField, cap = 1024 * 1024): Promise<string> {
    const bytes = await this.bytes(field.offset, Math.min(field.length, cap));
    return bytes.toString('utf8');
  }

  /** Every field of the message in [start, end). */
  async *fields(start: number, end: number): AsyncGenerator<PbField> {
    let at = start;
    while (at < end) {
      this.budget.tick();
      const head = await this.bytes(at, Math.min(20, end - at));
      const [key, keyLength] = varint(head, 0, at);
      const field = Number(key >> 3n);
      const wire = Number(key & 7n);
      if (field === 0) throw new MalformedInputError(`protobuf field number 0 at offset ${at}`);
      at += keyLength;
      if (wire === 0) {
        const [value, n] = varint(head, keyLength, at);
        yield { field, wire, value, offset: at, length: n };
        at += n;
      } else if (wire === 1 || wire === 5) {
        const n = wire === 1 ? 8 : 4;
        yield { field, wire, offset: at, length: n };
        at += n;
      } else if (wire === 2) {
        const [length, n] = varint(head, keyLength, at);
        at += n;
        if (length > BigInt(end - at)) throw new MalformedInputError(`protobuf field ${field} at offset ${at} runs past its message`);
        yield { field, wire, offset: at, length: Number(length) };
        at += Number(length);
      } else {
        throw new MalformedInputError(`protobuf wire type ${wire} at offset ${at} is not supported`);
      }
      if (at > end) throw new MalformedInputError(`protobuf message overruns at offset ${at}`);
    }
  }
}

function varint(bytes: Buffer, start: number, offset: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 10; i += 1) {
    const b = bytes[start + i];
    if (b === undefined) throw new MalformedInputError(`protobuf varint truncated at offset ${offset}`);
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new MalformedInputError(`protobuf varint longer than 10 bytes at offset ${offset}`);
}

/** Quick structural check of a message's first bytes: plausible field numbers and wire types. */
export function plausibleProtobufStart(head: Uint8Array, allowedFirstFields: readonly number[]): boolean {
  const first = head[0];
  if (first === undefined) return false;
  const field = first >>> 3;
  const wire = first & 7;
  return allowedFirstFields.includes(field) && (wire === 0 || wire === 2);
}
