/**
 * GGUF (ggml's docs/gguf.md): magic "GGUF", version, tensor and metadata counts, typed key/value
 * metadata, tensor descriptors, then aligned tensor data. Nothing in GGUF is code, except that the
 * chat template (`tokenizer.chat_template*`) is a Jinja2 template that servers render; a template
 * that reaches Python internals is a server-side template injection (CVE-2024-34359 in
 * llama-cpp-python). We read the metadata and descriptors sequentially, keep only chat templates,
 * skip every other value by its length, and check that tensor data fits the file.
 */
import type { ByteSource } from './byte-source.js';
import { SourceStream, StreamCursor } from './byte-stream.js';
import { RULE } from './model-rules.js';
import type { FileScanContext } from './scan-context.js';
import { MalformedInputError } from './scan-limits.js';
import { templateInjectionSignals } from './template-check.js';

export const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');

const MAX_KEY = 64 * 1024;
const MAX_TEMPLATE = 16 * 1024 * 1024;
const MAX_COUNT = 100_000_000n;
/** Fixed sizes of scalar value types 0–12 (string 8 and array 9 are variable). */
const SCALAR_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
/** ggml tensor types whose block layout is well established: [elements per block, bytes per block]. */
const GGML_BLOCKS: Readonly<Record<number, [number, number]>> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36], 10: [256, 84],
  11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292], 24: [1, 1], 25: [1, 2], 26: [1, 4],
  27: [1, 8], 28: [1, 8], 30: [1, 2],
};

class GgufCursor {
  constructor(
    readonly cursor: StreamCursor,
    readonly version: number,
  ) {}

  async need(n: number): Promise<void> {
    if (!(await this.cursor.ensure(n))) throw new MalformedInputError(`GGUF metadata truncated at offset ${this.cursor.offset}`);
  }

  async u32(): Promise<number> {
    await this.need(4);
    return this.cursor.take(4).readUInt32LE(0);
  }

  async u64(): Promise<bigint> {
    await this.need(8);
    return this.cursor.take(8).readBigUInt64LE(0);
  }

  /** Counts and string lengths are 32-bit in version 1, 64-bit after. */
  async count(): Promise<bigint> {
    const value = this.version === 1 ? BigInt(await this.u32()) : await this.u64();
    if (value > MAX_COUNT) throw new MalformedInputError(`GGUF count ${value} at offset ${this.cursor.offset} is implausible`);
    return value;
  }

  async string(keep: number): Promise<string | undefined> {
    const length = Number(await this.count());
    if (length > keep) {
      if (!(await this.cursor.skip(length))) throw new MalformedInputError('GGUF string truncated');
      return undefined;
    }
    await this.need(length);
    return this.cursor.take(length).toString('utf8');
  }

  async skip(n: number): Promise<void> {
    if (!(await this.cursor.skip(n))) throw new MalformedInputError('GGUF value truncated');
  }
}

export async function scanGguf(ctx: FileScanContext, source: ByteSource, member: string | undefined): Promise<void> {
  ctx.formats.add('gguf');
  const cursor = new StreamCursor(new SourceStream(source));
  await cursor.ensure(8);
  if (!cursor.take(4).equals(GGUF_MAGIC)) throw new MalformedInputError('not a GGUF file');
  const version = cursor.take(4).readUInt32LE(0);
  if (version < 1 || version > 3) throw new MalformedInputError(`GGUF version ${version} is not supported`);
  const r = new GgufCursor(cursor, version);
  const tensorCount = Number(await r.count());
  const kvCount = Number(await r.count());
  let alignment = 32;
  for (let i = 0; i < kvCount; i += 1) {
    ctx.budget.tick();
    const key = (await r.string(MAX_KEY)) ?? '';
    const type = await r.u32();
    const template = key.includes('chat_template');
    if (type === 8) {
      const value = await r.string(template ? MAX_TEMPLATE : 0);
      if (template && value !== undefined) checkTemplate(ctx, key, value, member);
    } else if (type === 9) {
      await skipArray(ctx, r, template, key, member);
    } else {
      const size = SCALAR_SIZE[type];
      if (size === undefined) throw new MalformedInputError(`GGUF metadata "${key}" has unknown type ${type}`);
      if (key === 'general.alignment' && type === 4) alignment = await r.u32();
      else await r.skip(size);
    }
  }
  if (alignment === 0 || alignment > 1 << 20) throw new MalformedInputError(`GGUF alignment ${alignment} is invalid`);
  const problems: string[] = [];
  const tensors: { name: string; offset: bigint; bytes?: bigint }[] = [];
  for (let i = 0; i < tensorCount; i += 1) {
    ctx.budget.tick();
    const name = (await r.string(MAX_KEY)) ?? '?';
    const dims = await r.u32();
    if (dims > 8) throw new MalformedInputError(`GGUF tensor "${name}" has ${dims} dimensions`);
    let elements = 1n;
    for (let d = 0; d < dims; d += 1) elements *= await r.u64();
    const type = await r.u32();
    const offset = await r.u64();
    const block = GGML_BLOCKS[type];
    tensors.push({ name, offset, ...(block !== undefined && { bytes: (elements / BigInt(block[0])) * BigInt(block[1]) }) });
    if (offset % BigInt(alignment) !== 0n) problems.push(`tensor "${name}" is not aligned`);
  }
  const dataStart = BigInt(Math.ceil(cursor.offset / alignment) * alignment);
  const dataLength = BigInt(source.size) - dataStart;
  for (const tensor of tensors) {
    const end = tensor.offset + (tensor.bytes ?? 0n);
    if (end > dataLength) problems.push(`tensor "${tensor.name}" ends past the end of the file`);
  }
  if (problems.length > 0) {
    ctx.issue({
      ruleId: RULE.ggufInconsistent,
      severity: 'medium',
      message: `GGUF tensor table does not fit the file: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`,
      ...(member !== undefined && { member }),
      key: 'tensors',
      properties: { format: 'gguf', problems: problems.length },
    });
  }
}

async function skipArray(ctx: FileScanContext, r: GgufCursor, template: boolean, key: string, member: string | undefined): Promise<void> {
  const itemType = await r.u32();
  const count = Number(await r.count());
  if (itemType === 8) {
    for (let i = 0; i < count; i += 1) {
      ctx.budget.tick();
      const value = await r.string(template ? MAX_TEMPLATE : 0);
      if (template && value !== undefined) checkTemplate(ctx, `${key}[${i}]`, value, member);
    }
    return;
  }
  if (itemType === 9) throw new MalformedInputError(`GGUF metadata "${key}" nests arrays`);
  const size = SCALAR_SIZE[itemType];
  if (size === undefined) throw new MalformedInputError(`GGUF metadata "${key}" has unknown array type ${itemType}`);
  await r.skip(size * count);
}

export function checkTemplate(ctx: FileScanContext, key: string, template: string, member: string | undefined, format = 'gguf'): void {
  const signals = templateInjectionSignals(template);
  if (signals === undefined) return;
  ctx.issue({
    ruleId: RULE.ggufTemplate,
    severity: signals.severity,
    message: `Chat template "${key}" ${signals.severity === 'high' ? 'reaches Python object internals' : 'builds attribute names indirectly'} (${signals.signals.slice(0, 5).join(', ')}): a template-injection risk when rendered.`,
    ...(member !== undefined && { member }),
    key,
    evidence: signals.excerpt,
    properties: { format, key, signals: signals.signals.join(',') },
  });
}
