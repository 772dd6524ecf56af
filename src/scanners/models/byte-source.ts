/**
 * Random-access views of scanned bytes. A model file can be tens of gigabytes of tensor data around
 * a few kilobytes that matter, so nothing here reads a whole file: callers ask for ranges, reads go
 * through a file handle at an offset, and every byte that comes off the disk is charged to the
 * file's budget (which is what `stats.bytesRead` reports).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ScanBudget } from './scan-limits.js';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset`; fewer only where the source ends. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** Small reads (headers) are rounded up to this many bytes and kept, so neighbours cost nothing. */
const SMALL_READ = 4096;
/** Reads up to this size are kept in a small cache (headers, tails, directory records). */
const CACHED_READ = 64 * 1024;
const CACHE_ENTRIES = 16;

export class FileByteSource implements ByteSource {
  readonly size: number;
  readonly #handle: FileHandle;
  readonly #budget: ScanBudget;
  readonly #cache: { offset: number; bytes: Buffer }[] = [];

  private constructor(handle: FileHandle, size: number, budget: ScanBudget) {
    this.#handle = handle;
    this.size = size;
    this.#budget = budget;
  }

  static async open(path: string, budget: ScanBudget): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      return new FileByteSource(handle, info.size, budget);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, Math.min(offset, this.size));
    const want = Math.max(0, Math.min(length, this.size - start));
    if (want === 0) return Buffer.alloc(0);
    for (const entry of this.#cache) {
      if (start >= entry.offset && start + want <= entry.offset + entry.bytes.length) {
        return entry.bytes.subarray(start - entry.offset, start - entry.offset + want);
      }
    }
    if (want <= CACHED_READ) {
      const blockLength = Math.min(Math.max(want, SMALL_READ), this.size - start);
      const block = await this.#readRaw(start, blockLength);
      this.#cache.unshift({ offset: start, bytes: block });
      if (this.#cache.length > CACHE_ENTRIES) this.#cache.pop();
      return block.subarray(0, Math.min(want, block.length));
    }
    return this.#readRaw(start, want);
  }

  async #readRaw(offset: number, length: number): Promise<Buffer> {
    this.#budget.checkTime();
    this.#budget.chargeRead(length);
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.#handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) break; // the file shrank under us: return what there is
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.subarray(0, filled);
  }
}

export class BufferByteSource implements ByteSource {
  readonly size: number;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(start + Math.max(0, length), this.size));
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + start, end - start);
  }
}

/** A window on another source, e.g. one stored member of an archive: no copy, no read until asked. */
export class WindowByteSource implements ByteSource {
  readonly size: number;
  readonly #parent: ByteSource;
  readonly #offset: number;

  constructor(parent: ByteSource, offset: number, length: number) {
    this.#parent = parent;
    this.#offset = Math.max(0, Math.min(offset, parent.size));
    this.size = Math.max(0, Math.min(length, parent.size - this.#offset));
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, Math.min(offset, this.size));
    const want = Math.max(0, Math.min(length, this.size - start));
    if (want === 0) return Buffer.alloc(0);
    return this.#parent.read(this.#offset + start, want);
  }
}
