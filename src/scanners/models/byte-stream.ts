/**
 * Sequential reading: pickles are read front to back, sometimes out of a decompressor. A stream can
 * skip forward without reading when it sits on a random-access source (so a 5 GB byte string in a
 * pickle costs nothing), and only decompresses-and-discards when it sits on a compressed one.
 */
import { Readable } from 'node:stream';
import type { Transform } from 'node:stream';
import { createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import { MalformedInputError, ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';

export interface ByteStream {
  /** Bytes consumed so far (read or skipped). */
  readonly position: number;
  /** Up to `max` bytes; an empty buffer at the end. */
  read(max: number): Promise<Buffer>;
  /** Skips up to `count` bytes; returns how many were skipped (fewer only at the end). */
  skip(count: number): Promise<number>;
  /** Releases a decompressor early; harmless on other streams. */
  close?(): void;
}

const CHUNK = 64 * 1024;

/** A range of a random-access source, read in chunks. */
export class SourceStream implements ByteStream {
  #position: number;
  readonly #source: ByteSource;
  readonly #start: number;
  readonly #end: number;

  constructor(source: ByteSource, start = 0, end = source.size) {
    this.#source = source;
    this.#start = start;
    this.#end = Math.min(end, source.size);
    this.#position = start;
  }

  get position(): number {
    return this.#position - this.#start;
  }

  async read(max: number): Promise<Buffer> {
    const length = Math.min(max, this.#end - this.#position);
    if (length <= 0) return Buffer.alloc(0);
    const bytes = await this.#source.read(this.#position, length);
    this.#position += bytes.length;
    return bytes;
  }

  async skip(count: number): Promise<number> {
    const skipped = Math.max(0, Math.min(count, this.#end - this.#position));
    this.#position += skipped;
    return skipped;
  }
}

export type CompressionKind = 'deflate-raw' | 'zlib' | 'gzip';

/**
 * A decompressing stream with a byte cap and a bomb check (output/input ratio after the first MiB).
 * Node's zlib does the inflating; we only pull from it, so at most a few chunks sit in memory.
 */
export class InflateStream implements ByteStream {
  #position = 0;
  #pending: Buffer = Buffer.alloc(0);
  #consumed = 0;
  #produced = 0;
  #done = false;
  readonly #iterator: AsyncIterator<Buffer>;
  readonly #inflater: Transform;
  readonly #feed: Readable;
  readonly #budget: ScanBudget;
  readonly #cap: number;

  constructor(input: ByteStream, kind: CompressionKind, budget: ScanBudget, cap: number) {
    this.#budget = budget;
    this.#cap = cap;
    const counter = (bytes: number): void => {
      this.#consumed += bytes;
    };
    const feed: Readable = Readable.from(
      (async function* source(): AsyncGenerator<Buffer> {
        for (;;) {
          const chunk = await input.read(CHUNK);
          if (chunk.length === 0) return;
          counter(chunk.length);
          yield chunk;
        }
      })(),
    );
    this.#inflater =
      kind === 'deflate-raw' ? createInflateRaw() : kind === 'zlib' ? createInflate() : createGunzip();
    feed.on('error', (error: unknown) => this.#inflater.destroy(error instanceof Error ? error : new Error(String(error))));
    feed.pipe(this.#inflater);
    this.#feed = feed;
    this.#iterator = this.#inflater[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get position(): number {
    return this.#position;
  }

  close(): void {
    this.#done = true;
    this.#feed.unpipe(this.#inflater);
    this.#feed.destroy();
    this.#inflater.destroy();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    let next: IteratorResult<Buffer>;
    try {
      next = await this.#iterator.next();
    } catch (error) {
      this.close();
      throw new MalformedInputError(`compressed data is corrupt: ${(error as Error).message}`, { cause: error });
    }
    if (next.done === true) {
      this.#done = true;
      return false;
    }
    const chunk = next.value;
    this.#produced += chunk.length;
    this.#budget.chargeExpanded(chunk.length);
    this.#budget.checkTime();
    if (this.#produced > this.#cap) {
      this.close();
      throw new ScanLimitError(`decompressed size passed the ${this.#cap}-byte limit`);
    }
    const ratioLimit = this.#budget.limits.maxExpansionRatio;
    if (this.#produced > 1024 * 1024 && this.#produced > ratioLimit * Math.max(1, this.#consumed)) {
      this.close();
      throw new ScanLimitError(`expansion ratio above ${ratioLimit}:1 (a decompression bomb?)`);
    }
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    return true;
  }

  async read(max: number): Promise<Buffer> {
    while (this.#pending.length === 0) {
      if (!(await this.#fill())) return Buffer.alloc(0);
    }
    const out = this.#pending.subarray(0, Math.min(max, this.#pending.length));
    this.#pending = this.#pending.subarray(out.length);
    this.#position += out.length;
    return out;
  }

  async skip(count: number): Promise<number> {
    let skipped = 0;
    while (skipped < count) {
      const chunk = await this.read(Math.min(CHUNK, count - skipped));
      if (chunk.length === 0) break;
      skipped += chunk.length;
    }
    return skipped;
  }
}

/** Collects a whole stream into memory, refusing past `cap` bytes. */
export async function collectStream(stream: ByteStream, cap: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = await stream.read(CHUNK);
    if (chunk.length === 0) break;
    total += chunk.length;
    if (total > cap) {
      stream.close?.();
      throw new ScanLimitError(`stream passed the ${cap}-byte in-memory limit`);
    }
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts, total);
}

/**
 * A buffered cursor over a stream for parsers that want "ensure n bytes, then read them
 * synchronously": the hot path of the pickle disassembler touches no promise.
 */
export class StreamCursor {
  #buffer: Buffer = Buffer.alloc(0);
  #index = 0;
  /** Stream position of #buffer[0]. */
  #base = 0;
  #eof = false;
  #chunk = 4096;
  readonly #stream: ByteStream;

  constructor(stream: ByteStream) {
    this.#stream = stream;
    this.#base = stream.position;
  }

  /** Position of the next unread byte, counted from the start of the stream. */
  get offset(): number {
    return this.#base + this.#index;
  }

  get available(): number {
    return this.#buffer.length - this.#index;
  }

  /** True when `n` bytes can be read synchronously; false when the stream ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.available < n) {
      if (this.#eof) return false;
      const rest = this.#buffer.subarray(this.#index);
      // Start small (most pickles in model files are a few KiB) and grow to CHUNK.
      const chunk = await this.#stream.read(Math.max(this.#chunk, n - rest.length));
      this.#chunk = Math.min(CHUNK, this.#chunk * 2);
      if (chunk.length === 0) {
        this.#eof = true;
        return this.available >= n;
      }
      this.#base += this.#index;
      this.#buffer = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      this.#index = 0;
    }
    return true;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  u8(): number {
    const value = this.#buffer[this.#index];
    if (value === undefined) throw new MalformedInputError('read past the end of the data');
    this.#index += 1;
    return value;
  }

  peek(): number | undefined {
    return this.#buffer[this.#index];
  }

  take(n: number): Buffer {
    if (this.available < n) throw new MalformedInputError('read past the end of the data');
    const out = this.#buffer.subarray(this.#index, this.#index + n);
    this.#index += n;
    return out;
  }

  /** Skips `n` bytes; returns false when the stream ended first. */
  async skip(n: number): Promise<boolean> {
    const inBuffer = Math.min(n, this.available);
    this.#index += inBuffer;
    let remaining = n - inBuffer;
    if (remaining === 0) return true;
    this.#base += this.#buffer.length;
    this.#buffer = Buffer.alloc(0);
    this.#index = 0;
    const skipped = await this.#stream.skip(remaining);
    this.#base += skipped;
    remaining -= skipped;
    if (remaining > 0) this.#eof = true;
    return remaining === 0;
  }

  /**
   * The bytes up to the next newline (not included; the newline is consumed). Undefined when the
   * stream ends first. Lines longer than `max` are an error: nothing legitimate in a pickle is
   * that long, and holding it would let the input choose our memory use.
   */
  async readLine(max: number): Promise<Buffer | undefined> {
    let searchFrom = 0;
    for (;;) {
      const end = this.#buffer.indexOf(0x0a, this.#index + searchFrom);
      if (end >= 0) {
        const line = this.#buffer.subarray(this.#index, end);
        this.#index = end + 1;
        return line;
      }
      searchFrom = this.available;
      if (searchFrom > max) throw new MalformedInputError(`line longer than ${max} bytes`);
      if (!(await this.ensure(this.available + 1))) return undefined;
    }
  }

  close(): void {
    this.#stream.close?.();
  }
}
