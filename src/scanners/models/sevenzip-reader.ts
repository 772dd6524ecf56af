/**
 * Reading 7z archives far enough to hand each file's bytes to the model scanner. Structure as
 * documented in 7-Zip's `7zFormat.txt`. Supported coders: copy, LZMA, LZMA2 and deflate, one coder
 * per folder (what 7-Zip and py7zr write by default); anything else (filters, AES encryption, PPMd,
 * BZip2) is reported as unscannable rather than guessed at.
 *
 * Threat assumptions: every count and size in the headers is hostile. Headers and decoded folders
 * live in memory under the in-memory cap; nested encoded headers are followed a bounded number of
 * times; every read of the header buffer is bounds-checked.
 */
import { inflateRawSync } from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import { decodeLzma, decodeLzma2 } from './lzma-decoder.js';
import { MalformedInputError, ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';

export const SEVEN_ZIP_MAGIC = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);

export interface SevenZipFile {
  readonly name: string;
  readonly data?: Uint8Array;
  /** Why the data could not be had, when it could not. */
  readonly problem?: string;
}

interface Coder {
  readonly id: string;
  readonly props: Uint8Array;
}

interface Folder {
  readonly coders: Coder[];
  readonly numPackedStreams: number;
  /** [coder input index, coder output index] pairs wiring one coder's output into another. */
  readonly bindPairs: [number, number][];
  unpackSizes: number[];
}

interface StreamsInfo {
  packPos: number;
  packSizes: number[];
  folders: Folder[];
  /** Per folder: the sizes of the files (substreams) it holds. */
  substreams: number[][];
}

const ID = {
  end: 0x00, header: 0x01, archiveProperties: 0x02, additionalStreams: 0x03, mainStreams: 0x04, filesInfo: 0x05,
  packInfo: 0x06, unpackInfo: 0x07, substreamsInfo: 0x08, size: 0x09, crc: 0x0a, folder: 0x0b,
  codersUnpackSize: 0x0c, numUnpackStream: 0x0d, emptyStream: 0x0e, name: 0x11, encodedHeader: 0x17,
} as const;

class HeaderReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new MalformedInputError('7z header is truncated');
    return this.bytes[this.pos++] as number;
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length) throw new MalformedInputError('7z header is truncated');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** 7z's variable-length number: leading one bits of the first byte say how many bytes follow. */
  number(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let i = 0; i < 8; i += 1) {
      if ((first & mask) === 0) {
        const high = first & (mask - 1);
        value += high * 2 ** (8 * i);
        break;
      }
      value += this.byte() * 2 ** (8 * i);
      mask >>>= 1;
    }
    if (!Number.isSafeInteger(value)) throw new MalformedInputError('7z number out of range');
    return value;
  }

  count(limit: number, what: string): number {
    const n = this.number();
    if (n > limit) throw new ScanLimitError(`7z ${what} count ${n} is above the limit`);
    return n;
  }

  bits(n: number): boolean[] {
    const out: boolean[] = [];
    let current = 0;
    for (let i = 0; i < n; i += 1) {
      if (i % 8 === 0) current = this.byte();
      out.push((current & (0x80 >>> (i % 8))) !== 0);
    }
    return out;
  }

  skipDigests(n: number): void {
    const allDefined = this.byte();
    const defined = allDefined !== 0 ? new Array<boolean>(n).fill(true) : this.bits(n);
    this.take(4 * defined.filter(Boolean).length);
  }
}

export async function readSevenZip(source: ByteSource, budget: ScanBudget): Promise<SevenZipFile[]> {
  const start = await source.read(0, 32);
  if (start.length < 32 || !start.subarray(0, 6).equals(SEVEN_ZIP_MAGIC)) throw new MalformedInputError('not a 7z archive');
  const nextOffset = Number(start.readBigUInt64LE(12));
  const nextSize = Number(start.readBigUInt64LE(20));
  const cap = budget.limits.maxInMemoryBytes;
  if (nextSize > cap) throw new ScanLimitError('7z header larger than the in-memory limit');
  if (32 + nextOffset + nextSize > source.size || nextSize === 0) throw new MalformedInputError('7z header lies outside the file (truncated archive?)');
  let header: Uint8Array = await source.read(32 + nextOffset, nextSize);
  for (let round = 0; round < 4; round += 1) {
    const reader = new HeaderReader(header);
    const kind = reader.byte();
    if (kind === ID.header) return readMainHeader(reader, source, budget);
    if (kind !== ID.encodedHeader) throw new MalformedInputError(`7z header starts with unknown id ${kind}`);
    const info = readStreamsInfo(reader, budget);
    const folders = await decodeFolders(source, info, budget);
    const first = folders[0];
    if (first === undefined || first.data === undefined) throw new MalformedInputError(`7z encoded header: ${first?.problem ?? 'no data'}`);
    header = first.data;
  }
  throw new MalformedInputError('7z headers nested too deeply');
}

async function readMainHeader(reader: HeaderReader, source: ByteSource, budget: ScanBudget): Promise<SevenZipFile[]> {
  let info: StreamsInfo | undefined;
  let names: string[] = [];
  let emptyStream: boolean[] = [];
  let numFiles = 0;
  for (;;) {
    const id = reader.byte();
    if (id === ID.end) break;
    if (id === ID.archiveProperties) {
      for (;;) {
        const type = reader.number();
        if (type === 0) break;
        reader.take(reader.number());
      }
    } else if (id === ID.additionalStreams) {
      throw new MalformedInputError('7z additional streams are not supported');
    } else if (id === ID.mainStreams) {
      info = readStreamsInfo(reader, budget);
    } else if (id === ID.filesInfo) {
      numFiles = reader.count(budget.limits.maxMembers, 'file');
      for (;;) {
        const type = reader.number();
        if (type === ID.end) break;
        const size = reader.number();
        const body = new HeaderReader(reader.take(size));
        if (type === ID.emptyStream) emptyStream = body.bits(numFiles);
        else if (type === ID.name) names = readNames(body, numFiles);
      }
    } else {
      throw new MalformedInputError(`unexpected 7z header id ${id}`);
    }
  }
  if (info === undefined) return [];
  const streams = await decodeFolders(source, info, budget);
  const files: SevenZipFile[] = [];
  let streamIndex = 0;
  const total = Math.max(numFiles, streams.length);
  for (let i = 0; i < total; i += 1) {
    if (emptyStream[i] === true) continue;
    const stream = streams[streamIndex];
    streamIndex += 1;
    if (stream === undefined) break;
    files.push({ ...stream, name: names[i] ?? `#${i}` });
  }
  return files;
}

function readNames(reader: HeaderReader, count: number): string[] {
  if (reader.byte() !== 0) return [];
  const text = Buffer.from(reader.take(reader.bytes.length - reader.pos)).toString('utf16le');
  return text.split('\u0000').slice(0, count);
}

function readStreamsInfo(reader: HeaderReader, budget: ScanBudget): StreamsInfo {
  const info: StreamsInfo = { packPos: 0, packSizes: [], folders: [], substreams: [] };
  const limit = budget.limits.maxMembers;
  for (;;) {
    const id = reader.byte();
    if (id === ID.end) break;
    if (id === ID.packInfo) {
      info.packPos = reader.number();
      const n = reader.count(limit, 'pack stream');
      for (;;) {
        const sub = reader.byte();
        if (sub === ID.end) break;
        if (sub === ID.size) info.packSizes = Array.from({ length: n }, () => reader.number());
        else if (sub === ID.crc) reader.skipDigests(n);
        else throw new MalformedInputError(`unexpected 7z pack-info id ${sub}`);
      }
    } else if (id === ID.unpackInfo) {
      if (reader.byte() !== ID.folder) throw new MalformedInputError('7z unpack info without folders');
      const n = reader.count(limit, 'folder');
      if (reader.byte() !== 0) throw new MalformedInputError('7z external folder data is not supported');
      info.folders = Array.from({ length: n }, () => readFolder(reader));
      if (reader.byte() !== ID.codersUnpackSize) throw new MalformedInputError('7z folders without unpack sizes');
      for (const folder of info.folders) {
        folder.unpackSizes = Array.from({ length: folder.coders.length }, () => reader.number());
      }
      for (;;) {
        const sub = reader.byte();
        if (sub === ID.end) break;
        if (sub === ID.crc) reader.skipDigests(info.folders.length);
        else throw new MalformedInputError(`unexpected 7z unpack-info id ${sub}`);
      }
    } else if (id === ID.substreamsInfo) {
      const counts = info.folders.map(() => 1);
      let sub = reader.byte();
      if (sub === ID.numUnpackStream) {
        for (let i = 0; i < counts.length; i += 1) counts[i] = reader.count(limit, 'substream');
        sub = reader.byte();
      }
      info.substreams = info.folders.map((folder, i) => {
        const total = folder.unpackSizes[folder.unpackSizes.length - 1] ?? 0;
        const n = counts[i] ?? 1;
        if (n === 0) return [];
        const sizes: number[] = [];
        if (sub === ID.size) for (let k = 0; k < n - 1; k += 1) sizes.push(reader.number());
        sizes.push(total - sizes.reduce((a, b) => a + b, 0));
        return sizes;
      });
      if (sub === ID.size) sub = reader.byte();
      while (sub !== ID.end) {
        if (sub === ID.crc) {
          const digests = info.substreams.reduce((a, s) => a + s.length, 0);
          reader.skipDigests(digests);
        } else {
          throw new MalformedInputError(`unexpected 7z substream id ${sub}`);
        }
        sub = reader.byte();
      }
    } else {
      throw new MalformedInputError(`unexpected 7z streams id ${id}`);
    }
  }
  if (info.substreams.length === 0) {
    info.substreams = info.folders.map((f) => [f.unpackSizes[f.unpackSizes.length - 1] ?? 0]);
  }
  return info;
}

function readFolder(reader: HeaderReader): Folder {
  const numCoders = reader.count(8, 'coder');
  const coders: Coder[] = [];
  let totalIn = 0;
  let totalOut = 0;
  for (let i = 0; i < numCoders; i += 1) {
    const flags = reader.byte();
    if ((flags & 0x80) !== 0) throw new MalformedInputError('7z alternative coder methods are not supported');
    const id = Buffer.from(reader.take(flags & 0x0f)).toString('hex');
    let inStreams = 1;
    let outStreams = 1;
    if ((flags & 0x10) !== 0) {
      inStreams = reader.count(32, 'coder stream');
      outStreams = reader.count(32, 'coder stream');
    }
    totalIn += inStreams;
    totalOut += outStreams;
    const props = (flags & 0x20) !== 0 ? reader.take(reader.number()) : new Uint8Array(0);
    coders.push({ id, props });
  }
  const bindPairs: [number, number][] = [];
  for (let i = 0; i < totalOut - 1; i += 1) bindPairs.push([reader.number(), reader.number()]);
  const numPackedStreams = totalIn - (totalOut - 1);
  if (numPackedStreams > 1) for (let i = 0; i < numPackedStreams; i += 1) reader.number();
  return { coders, numPackedStreams, bindPairs, unpackSizes: [] };
}

const CODER_NAMES: Readonly<Record<string, string>> = {
  '06f10701': 'AES-256 encryption',
  '030401': 'PPMd',
  '040202': 'BZip2',
  '03030103': 'BCJ x86 filter',
  '03030205': 'PPC filter',
  '03': 'delta filter',
};

interface ChainPlan {
  readonly compressor: Coder;
  readonly compressorIndex: number;
  readonly filter?: Coder;
}

/** One compressor, optionally followed by the x86 BCJ filter (7-Zip's default for mixed content). */
function chainPlan(folder: Folder): ChainPlan | string {
  const names = folder.coders.map((c) => CODER_NAMES[c.id] ?? `coder ${c.id}`).join(' + ');
  if (folder.coders.length === 1) return { compressor: folder.coders[0] as Coder, compressorIndex: 0 };
  if (folder.coders.length === 2 && folder.numPackedStreams === 1) {
    const filterIndex = folder.coders.findIndex((c) => c.id === BCJ_X86);
    const compressorIndex = 1 - filterIndex;
    const pair = folder.bindPairs[0];
    // The filter's input must be fed by the compressor's output.
    if (filterIndex >= 0 && pair !== undefined && pair[0] === filterIndex && pair[1] === compressorIndex) {
      return { compressor: folder.coders[compressorIndex] as Coder, compressorIndex, filter: folder.coders[filterIndex] as Coder };
    }
  }
  return `7z folder uses a coder chain (${names}) that is not supported`;
}

function decodeCoder(coder: Coder, packed: Uint8Array, unpackSize: number, budget: ScanBudget, cap: number): Uint8Array | string {
  if (coder.id === '00') return packed;
  if (coder.id === '21') return decodeLzma2(packed, unpackSize, budget, cap);
  if (coder.id === '030101') return decodeLzma(packed, coder.props, unpackSize, budget, cap);
  if (coder.id === '040108') {
    try {
      return inflateRawSync(packed, { maxOutputLength: Math.max(1, unpackSize) });
    } catch (error) {
      throw new MalformedInputError(`7z deflate data is corrupt: ${(error as Error).message}`);
    }
  }
  return `7z coder ${CODER_NAMES[coder.id] ?? coder.id} is not supported`;
}

const BCJ_X86 = '03030103';
const BCJ_ALLOWED = [true, true, true, false, true, false, false, false];
const BCJ_BIT = [0, 1, 2, 2, 3, 3, 3, 3];

/**
 * Undoes 7-Zip's x86 branch-converter filter (relative CALL/JMP targets made absolute before
 * compression), as specified by the LZMA SDK's x86 filter, decoding direction, start address 0.
 */
export function bcjX86Decode(data: Uint8Array): Uint8Array {
  const size = data.length;
  if (size < 5) return data;
  const isMsByte = (b: number): boolean => b === 0 || b === 0xff;
  let pos = 0;
  let prevPos = -16;
  let prevMask = 0;
  const ip = 5;
  while (pos < size - 4) {
    if (((data[pos] as number) & 0xfe) !== 0xe8) {
      pos += 1;
      continue;
    }
    const gap = pos - prevPos;
    if (gap > 3) {
      prevMask = 0;
    } else {
      prevMask = (prevMask << (gap - 1)) & 7;
      if (prevMask !== 0) {
        const b = data[pos + 4 - (BCJ_BIT[prevMask] as number)] as number;
        if (!(BCJ_ALLOWED[prevMask] as boolean) || isMsByte(b)) {
          prevPos = pos;
          prevMask = ((prevMask << 1) & 7) | 1;
          pos += 1;
          continue;
        }
      }
    }
    prevPos = pos;
    if (isMsByte(data[pos + 4] as number)) {
      let src = ((data[pos + 4] as number) * 2 ** 24 + ((data[pos + 3] as number) << 16) + ((data[pos + 2] as number) << 8) + (data[pos + 1] as number)) >>> 0;
      let dest = 0;
      for (;;) {
        dest = (src - (ip + pos)) >>> 0;
        if (prevMask === 0) break;
        const index = (BCJ_BIT[prevMask] as number) * 8;
        const b = (dest >>> (24 - index)) & 0xff;
        if (!isMsByte(b)) break;
        src = (dest ^ (2 ** (32 - index) - 1)) >>> 0;
      }
      data[pos + 4] = ((dest >>> 24) & 1) === 1 ? 0xff : 0x00;
      data[pos + 3] = (dest >>> 16) & 0xff;
      data[pos + 2] = (dest >>> 8) & 0xff;
      data[pos + 1] = dest & 0xff;
      pos += 5;
    } else {
      prevMask = ((prevMask << 1) & 7) | 1;
      pos += 1;
    }
  }
  return data;
}

/** Decodes every folder and splits it into its files' streams. */
async function decodeFolders(source: ByteSource, info: StreamsInfo, budget: ScanBudget): Promise<SevenZipFile[]> {
  const out: SevenZipFile[] = [];
  let packIndex = 0;
  let packOffset = 32 + info.packPos;
  const cap = budget.limits.maxInMemoryBytes;
  for (let f = 0; f < info.folders.length; f += 1) {
    budget.checkTime();
    const folder = info.folders[f] as Folder;
    const packSize = info.packSizes[packIndex] ?? 0;
    const sizes = info.substreams[f] ?? [];
    const unpackSize = folder.unpackSizes[folder.unpackSizes.length - 1] ?? 0;
    const start = packOffset;
    for (let k = 0; k < folder.numPackedStreams; k += 1) packOffset += info.packSizes[packIndex + k] ?? 0;
    packIndex += folder.numPackedStreams;
    let data: Uint8Array | undefined;
    let problem: string | undefined;
    const plan = chainPlan(folder);
    if (typeof plan === 'string') {
      problem = plan;
    } else if (packSize > cap || unpackSize > cap) {
      throw new ScanLimitError('7z folder larger than the in-memory limit');
    } else if (start + packSize > source.size) {
      problem = '7z packed data lies outside the file (truncated archive?)';
    } else {
      const packed = await source.read(start, packSize);
      const decoded = decodeCoder(plan.compressor, packed, folder.unpackSizes[plan.compressorIndex] ?? unpackSize, budget, cap);
      if (typeof decoded === 'string') problem = decoded;
      else data = plan.filter === undefined ? decoded : bcjX86Decode(Buffer.from(decoded));
    }
    let at = 0;
    for (const size of sizes.length > 0 ? sizes : [unpackSize]) {
      if (data !== undefined) {
        out.push({ name: '', data: data.subarray(at, Math.min(at + size, data.length)) });
      } else {
        out.push({ name: '', problem: problem ?? 'no data' });
      }
      at += size;
    }
  }
  return out;
}
