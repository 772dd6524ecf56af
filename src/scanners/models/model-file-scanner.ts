/**
 * One model file, end to end: detect the format by content (never by extension), dispatch to the
 * format's reader, recurse into archive members and compressed streams, and collect issues and
 * unscannable parts. Nothing here (or below) imports, unpickles or evaluates anything.
 *
 * Error policy: a reader that meets bytes it cannot make sense of (truncated, corrupt, encrypted,
 * unsupported) or runs over a budget throws; we record that part as unscannable with the reason and
 * keep everything found before it. Even an unexpected exception is recorded, not propagated: a
 * hostile file must not be able to crash a scan of a folder.
 */
import { ArchiveKinds, detectFormat } from './format-detector.js';
import type { DetectedFormat } from './format-detector.js';
import { scanSevenZip, scanTar, scanZip } from './archive-scanner.js';
import { BufferByteSource, FileByteSource } from './byte-source.js';
import type { ByteSource } from './byte-source.js';
import { scanGguf, checkTemplate } from './gguf-scanner.js';
import { scanHdf5 } from './hdf5-scanner.js';
import { analyzeKerasConfig, looksLikeKerasConfig } from './keras-config.js';
import { RULE } from './model-rules.js';
import { scanNpy } from './numpy-scanner.js';
import { scanOnnx } from './onnx-scanner.js';
import { reportAnalysis } from './pickle-scanner.js';
import { analyzePickleStream } from './pickle-analyzer.js';
import { scanSafetensors } from './safetensors-scanner.js';
import { scanSavedModel } from './savedmodel-scanner.js';
import { FileScanContext, compressedBlob, joinMember, sourceBlob } from './scan-context.js';
import type { Blob, ModelIssue, UnscannablePart } from './scan-context.js';
import { DEFAULT_MODEL_SCAN_LIMITS, ScanBudget } from './scan-limits.js';
import type { ModelScanLimits } from './scan-limits.js';
import { findEndOfCentralDirectory, looksLikeZip } from './zip-reader.js';

export interface ScanModelOptions {
  readonly limits?: Partial<ModelScanLimits>;
  readonly signal?: AbortSignal;
}

export interface ModelFileReport {
  /** Bytes of the file on disk. */
  readonly size: number;
  /** Formats found, outermost first (e.g. zip, pytorch-zip, pickle). */
  readonly formats: string[];
  /** False when the content matched no format we know. */
  readonly recognised: boolean;
  readonly issues: ModelIssue[];
  readonly unscannable: UnscannablePart[];
  readonly bytesRead: number;
  readonly bytesExpanded: number;
  readonly members: number;
  readonly pickles: number;
  readonly durationMs: number;
}

/** Scans one file by path, reading it through a file handle at offsets. */
export async function scanModelFile(path: string, options: ScanModelOptions = {}): Promise<ModelFileReport> {
  const budget = new ScanBudget({ ...DEFAULT_MODEL_SCAN_LIMITS, ...options.limits }, options.signal);
  const source = await FileByteSource.open(path, budget);
  try {
    return await scanSource(source, budget);
  } finally {
    await source.close();
  }
}

/** Scans bytes already in memory (tests, other modules). */
export async function scanModelBytes(bytes: Uint8Array, options: ScanModelOptions = {}): Promise<ModelFileReport> {
  const budget = new ScanBudget({ ...DEFAULT_MODEL_SCAN_LIMITS, ...options.limits }, options.signal);
  return scanSource(new BufferByteSource(bytes), budget);
}

async function scanSource(source: ByteSource, budget: ScanBudget): Promise<ModelFileReport> {
  const started = Date.now();
  const ctx: FileScanContext = new FileScanContext(budget, (blob, member, depth) => scanBlob(ctx, blob, member, depth));
  let recognised: boolean;
  try {
    recognised = await scanBlob(ctx, sourceBlob(source), undefined, 0);
    if (!ctx.formats.has('zip')) recognised = (await scanEmbeddedZip(ctx, source)) || recognised;
  } catch (error) {
    ctx.fail(undefined, reasonOf(error));
    recognised = true;
  }
  return {
    size: source.size,
    formats: [...ctx.formats],
    recognised,
    issues: ctx.issues,
    unscannable: ctx.unscannable,
    bytesRead: budget.bytesRead,
    bytesExpanded: budget.bytesExpanded,
    members: ctx.members,
    pickles: ctx.pickles,
    durationMs: Date.now() - started,
  };
}

/**
 * Dispatches one piece of content. Returns false when the content matched no known format (the
 * caller decides whether that matters); errors while *detecting* propagate (an archive member
 * that cannot even be decompressed), errors while *reading* a detected format are recorded.
 */
async function scanBlob(ctx: FileScanContext, blob: Blob, member: string | undefined, depth: number): Promise<boolean> {
  if (depth > ctx.budget.limits.maxDepth) {
    ctx.fail(member, `nested more than ${ctx.budget.limits.maxDepth} levels deep`);
    return true;
  }
  ctx.budget.checkTime();
  const format = await detectFormat(blob, ctx);
  if (format === undefined) return false;
  try {
    return await readFormat(ctx, blob, format, member, depth);
  } catch (error) {
    ctx.fail(member, reasonOf(error));
    return true;
  }
}

/** Reads a detected format; false when a closer look shows the content is not that format after all. */
async function readFormat(ctx: FileScanContext, blob: Blob, format: DetectedFormat, member: string | undefined, depth: number): Promise<boolean> {
  if (ArchiveKinds.has(format.kind)) ctx.formats.add(format.kind);
  switch (format.kind) {
    case 'zip':
      await scanZip(ctx, await blob.random(), member, depth);
      return true;
    case '7z':
      await scanSevenZip(ctx, await blob.random(), member, depth);
      return true;
    case 'tar':
      await scanTar(ctx, await blob.random(), member, depth);
      return true;
    case 'gzip':
    case 'zlib': {
      const source = await blob.random();
      const inner = compressedBlob(source, 0, source.size, format.kind, ctx.budget);
      const path = joinMember(member, `<${format.kind}>`);
      if (!(await scanBlob(ctx, inner, path, depth + 1))) ctx.fail(path, `${format.kind} stream holds no format Warden recognises`);
      return true;
    }
    case 'unsupported-compression':
      ctx.fail(member, `compressed with ${format.detail ?? 'an unsupported method'}, which Warden cannot decompress`);
      return true;
    case 'pickle':
      return readPickle(ctx, blob, member);
    case 'npy':
      await scanNpy(ctx, blob, member);
      return true;
    case 'safetensors':
      await scanSafetensors(ctx, await blob.random(), member);
      return true;
    case 'gguf':
      await scanGguf(ctx, await blob.random(), member);
      return true;
    case 'hdf5':
      await scanHdf5(ctx, await blob.random(), member);
      return true;
    case 'onnx':
      await scanOnnx(ctx, await blob.random(), member);
      return true;
    case 'tf-savedmodel':
      await scanSavedModel(ctx, await blob.random(), member);
      return true;
    case 'json':
      scanJson(ctx, format.json, member);
      return true;
  }
}

/**
 * Tensor bytes start like a pickle by chance about once in ten thousand members. Content that was
 * taken for a pickle but fails before completing one, importing anything or touching anything is
 * such a coincidence: an unpickler would have failed at the same point without running anything,
 * so it is "not a pickle" rather than an unscannable one.
 */
async function readPickle(ctx: FileScanContext, blob: Blob, member: string | undefined): Promise<boolean> {
  const analysis = await analyzePickleStream(blob.stream(), { budget: ctx.budget, mode: 'many' });
  const accidental =
    analysis.error !== undefined && !analysis.errorIsLimit && analysis.pickles === 0 && analysis.imports.length === 0 && analysis.issues.length === 0;
  if (accidental) return false;
  ctx.formats.add('pickle');
  if (analysis.legacyTorch) ctx.formats.add('pytorch-legacy');
  if (analysis.joblibArrays > 0) ctx.formats.add('joblib');
  ctx.pickles += analysis.pickles;
  reportAnalysis(ctx, analysis, member, 'pickle');
  return true;
}

function scanJson(ctx: FileScanContext, value: unknown, member: string | undefined): void {
  if (looksLikeKerasConfig(value)) {
    ctx.formats.add('keras-config');
    analyzeKerasConfig(ctx, value, member, 'keras');
  }
  const template = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['chat_template'] : undefined;
  if (typeof template === 'string') {
    ctx.formats.add('tokenizer-config');
    checkTemplate(ctx, 'chat_template', template, member, 'tokenizer-config');
  }
}

/**
 * A file that starts as one format and ends with a zip end record is also a zip to every reader
 * that looks at the end (Python's zipfile, Keras). Only the last 1 KiB is searched, so a zip
 * comment longer than that hides the record from this check (documented limit).
 */
async function scanEmbeddedZip(ctx: FileScanContext, source: ByteSource): Promise<boolean> {
  if (source.size < 22) return false;
  const tailLength = Math.min(source.size, 1024 + 22);
  const tail = await source.read(source.size - tailLength, tailLength);
  const head = await source.read(0, 4);
  let found = false;
  for (let i = tail.length - 22; i >= 0 && !found; i -= 1) found = tail.readUInt32LE(i) === 0x06054b50;
  if (!found || looksLikeZip(head) || (await findEndOfCentralDirectory(source)) === undefined) return false;
  ctx.issue({
    ruleId: RULE.polyglot,
    severity: 'medium',
    message: 'The file also ends with a zip archive that zip readers (Python zipfile, Keras) will open; its members are scanned too.',
    key: 'embedded-zip',
    properties: { format: 'zip' },
  });
  ctx.formats.add('zip');
  try {
    await scanZip(ctx, source, '<embedded zip>', 1);
  } catch (error) {
    ctx.fail('<embedded zip>', reasonOf(error));
  }
  return true;
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) return `compressed data is corrupt (${error.message})`;
    if (error.name === 'WardenError' || error instanceof RangeError) return error.message;
    return `internal error while reading: ${error.message}`;
  }
  return String(error);
}

