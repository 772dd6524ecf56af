/**
 * Format detection by content. Magic numbers first (zip, 7z, npy, GGUF, HDF5, compressors), then
 * structural sniffs for formats without one (safetensors' length-prefixed JSON, pickles, protobuf
 * models, JSON configs). File names are never consulted: a pickle named `.png` is a pickle.
 */
import { looksLikeOnnx } from './onnx-scanner.js';
import { looksLikePickle, mightStartPickle } from './pickle-scanner.js';
import { looksLikeSafetensors } from './safetensors-scanner.js';
import { looksLikeSavedModel } from './savedmodel-scanner.js';
import type { Blob, FileScanContext } from './scan-context.js';
import { NPY_MAGIC } from './numpy-format.js';
import { GGUF_MAGIC } from './gguf-scanner.js';
import { HDF5_MAGIC, HDF5_SUPERBLOCK_OFFSETS } from './hdf5-scanner.js';
import { SEVEN_ZIP_MAGIC } from './sevenzip-reader.js';
import { looksLikeZip } from './zip-reader.js';
import { inflateSync } from 'node:zlib';

export type FormatKind =
  | 'zip'
  | '7z'
  | 'tar'
  | 'gzip'
  | 'zlib'
  | 'unsupported-compression'
  | 'pickle'
  | 'npy'
  | 'safetensors'
  | 'gguf'
  | 'hdf5'
  | 'onnx'
  | 'tf-savedmodel'
  | 'json';

export interface DetectedFormat {
  readonly kind: FormatKind;
  readonly detail?: string;
  /** The parsed document, for `json`. */
  readonly json?: unknown;
}

export const ArchiveKinds: ReadonlySet<FormatKind> = new Set(['zip', '7z', 'tar', 'gzip', 'zlib']);

const HEAD = 512;
const PICKLE_TRIAL = 4096;
const MAX_JSON = 16 * 1024 * 1024;

const COMPRESSORS: readonly [Buffer, string][] = [
  [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), 'xz'],
  [Buffer.from('BZh', 'latin1'), 'bzip2'],
  [Buffer.from([0x04, 0x22, 0x4d, 0x18]), 'lz4'],
  [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 'zstd'],
  [Buffer.from('ZF', 'latin1'), 'the pre-0.10 joblib zlib container'],
];

function startsWith(head: Buffer, magic: Buffer, at = 0): boolean {
  return head.length >= at + magic.length && head.subarray(at, at + magic.length).equals(magic);
}

export async function detectFormat(blob: Blob, ctx: FileScanContext): Promise<DetectedFormat | undefined> {
  const head = await blob.head(HEAD);
  if (head.length === 0) return undefined;
  if (looksLikeZip(head)) return { kind: 'zip' };
  if (startsWith(head, SEVEN_ZIP_MAGIC)) return { kind: '7z' };
  if (startsWith(head, NPY_MAGIC)) return { kind: 'npy' };
  if (startsWith(head, GGUF_MAGIC)) return { kind: 'gguf' };
  if (startsWith(head, HDF5_MAGIC)) return { kind: 'hdf5' };
  if (blob.size !== undefined && looksLikeSafetensors(head, blob.size)) return { kind: 'safetensors' };
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return { kind: 'tar' };
  if (mightStartPickle(head)) {
    const trial = head[0] !== 0x80 && head.length === HEAD ? await blob.head(PICKLE_TRIAL) : head;
    if (await looksLikePickle(trial)) return { kind: 'pickle' };
  }
  for (const [magic, name] of COMPRESSORS) {
    if (startsWith(head, magic) && (name !== 'bzip2' || /^BZh[1-9]1AY&SY/.test(head.subarray(0, 10).toString('latin1')))) {
      if (name.includes('joblib') && !/^ZF0x[0-9a-f]/.test(head.subarray(0, 6).toString('latin1'))) continue;
      return { kind: 'unsupported-compression', detail: name };
    }
  }
  if (await looksLikeZlibModel(head)) return { kind: 'zlib' };
  if (head[0] === 0x08 || head[0] === 0x12) {
    if (blob.seekable || (blob.size ?? Infinity) <= ctx.budget.limits.maxInMemoryBytes) {
      const source = await blob.random();
      if (await looksLikeOnnx(source, ctx)) return { kind: 'onnx' };
      if (await looksLikeSavedModel(source, ctx)) return { kind: 'tf-savedmodel' };
    }
  }
  const json = await readJson(blob, head);
  if (json !== undefined) return { kind: 'json', json };
  // A user block may precede the HDF5 superblock (at 512, 1024, 2048 …).
  for (const offset of HDF5_SUPERBLOCK_OFFSETS.slice(1)) {
    if (blob.seekable && (blob.size ?? 0) > offset + 8) {
      const probe = await (await blob.random()).read(offset, 8);
      if (probe.equals(HDF5_MAGIC)) return { kind: 'hdf5' };
    }
  }
  return undefined;
}

/** A zlib stream (joblib's default compressor) whose first bytes decompress to a pickle or array. */
async function looksLikeZlibModel(head: Buffer): Promise<boolean> {
  const cmf = head[0];
  const flg = head[1];
  if (cmf === undefined || flg === undefined || (cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) return false;
  let inner: Buffer;
  try {
    inner = inflateSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a truncated stream */, maxOutputLength: 64 * 1024 });
  } catch {
    // Not zlib after all.
    return false;
  }
  return startsWith(inner, NPY_MAGIC) || looksLikeZip(inner) || (await looksLikePickle(inner));
}

async function readJson(blob: Blob, head: Buffer): Promise<unknown> {
  const text = head.toString('latin1').trimStart();
  if (!text.startsWith('{')) return undefined;
  if (blob.size !== undefined && blob.size > MAX_JSON) return undefined;
  const bytes = blob.size !== undefined && blob.size <= head.length ? head : await blob.head(MAX_JSON + 1);
  if (bytes.length > MAX_JSON) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    // Not JSON: not a config we analyse.
    return undefined;
  }
}
