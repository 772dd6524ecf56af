// Builders for the model scanner tests: raw pickle opcodes and hand-made zip archives, so each test
// states exactly which bytes it feeds the scanner.
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { projectRoot } from '../../helpers/paths.js';

export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'models');

/** SHORT_BINUNICODE. */
export function su(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([0x8c, bytes.length]), bytes]);
}

/** PROTO 4, the body, STOP. */
export function proto4(...body: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0x80, 0x04]), ...body, Buffer.from('.')]);
}

/** Protocol 0: `module.name(arg)` through GLOBAL and REDUCE. */
export function globalCallV0(module: string, name: string, arg: string): Buffer {
  return Buffer.from(`c${module}\n${name}\n(V${arg}\ntR.`, 'latin1');
}

export const op = (text: string): Buffer => Buffer.from(text, 'latin1');

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly method?: 0 | 8;
  readonly flags?: number;
  /** Name written into the local header when it should differ from the central one. */
  readonly localName?: string;
  /** Leave this entry out of the central directory. */
  readonly hidden?: boolean;
  readonly crc?: number;
}

export interface ZipOptions {
  readonly centralDirectory?: boolean;
  readonly prefix?: Buffer;
}

/** A zip archive written by hand, with the knobs that real bypasses turned. */
export function zipArchive(entries: readonly ZipEntry[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = options.prefix?.length ?? 0;
  if (options.prefix !== undefined) parts.push(options.prefix);
  let count = 0;
  for (const entry of entries) {
    const method = entry.method ?? 0;
    const body = method === 8 ? deflateRawSync(entry.data) : entry.data;
    const localName = Buffer.from(entry.localName ?? entry.name, 'utf8');
    const centralName = Buffer.from(entry.name, 'utf8');
    const crc = entry.crc ?? 0x12345678; // deliberately wrong unless given: readers must not care
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(localName.length, 26);
    parts.push(local, localName, body);
    if (!entry.hidden) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(entry.flags ?? 0, 8);
      record.writeUInt16LE(method, 10);
      record.writeUInt32LE(crc, 16);
      record.writeUInt32LE(body.length, 20);
      record.writeUInt32LE(entry.data.length, 24);
      record.writeUInt16LE(centralName.length, 28);
      record.writeUInt32LE(offset - (options.prefix?.length ?? 0), 42);
      central.push(record, centralName);
      count += 1;
    }
    offset += 30 + localName.length + body.length;
  }
  if (options.centralDirectory !== false) {
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset - (options.prefix?.length ?? 0), 16);
    parts.push(directory, end);
  }
  return Buffer.concat(parts);
}

/** A deterministic PRNG (mulberry32) so that fuzz failures reproduce. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
