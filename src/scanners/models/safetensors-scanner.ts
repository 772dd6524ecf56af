/**
 * safetensors (huggingface/safetensors, format documented in its README): an 8-byte little-endian
 * header length N, N bytes of JSON, then the tensor bytes. The format runs no code; what can go
 * wrong is a header that lies. We check it the way the reference implementation does: N sane (at
 * most 100 MB, inside the file), JSON object, known dtypes, byte ranges that match dtype × shape,
 * start at 0, follow each other with no gap or overlap, and end exactly at the end of the file.
 * Tensor bytes are never read.
 */
import type { ByteSource } from './byte-source.js';
import { RULE } from './model-rules.js';
import type { FileScanContext } from './scan-context.js';
import { MalformedInputError } from './scan-limits.js';

/** The reference implementation's header limit (safetensors MAX_HEADER_SIZE). */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

/** Bits per element; sub-byte types are packed. */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32,
  F32: 32, F64: 64, I64: 64, U64: 64, C64: 64, F4: 4, F6_E2M3: 6, F6_E3M2: 6,
};

export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9) return false;
  const n = Buffer.from(head.buffer, head.byteOffset, head.length).readBigUInt64LE(0);
  return head[8] === 0x7b && n >= 2n && n + 8n <= BigInt(size);
}

export async function scanSafetensors(ctx: FileScanContext, source: ByteSource, member: string | undefined): Promise<void> {
  ctx.formats.add('safetensors');
  const n = Number((await source.read(0, 8)).readBigUInt64LE(0));
  if (n > MAX_SAFETENSORS_HEADER) throw new MalformedInputError(`safetensors header of ${n} bytes is above the format's 100 MB limit`);
  if (8 + n > source.size) throw new MalformedInputError('safetensors header runs past the end of the file');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await source.read(8, n))) as unknown;
  } catch (error) {
    throw new MalformedInputError(`safetensors header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new MalformedInputError('safetensors header is not a JSON object');
  const problems: string[] = [];
  const ranges: { name: string; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    ctx.budget.tick();
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string')) {
        problems.push('__metadata__ is not a map of strings');
      }
      continue;
    }
    const entry = value as Record<string, unknown> | null;
    const dtype = entry?.['dtype'];
    const shape = entry?.['shape'];
    const offsets = entry?.['data_offsets'];
    if (typeof dtype !== 'string' || !Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      problems.push(`tensor "${name}" lacks dtype, shape or data_offsets`);
      continue;
    }
    const [begin, end] = offsets as unknown[];
    if (!isSize(begin) || !isSize(end) || end < begin) {
      problems.push(`tensor "${name}" has invalid data_offsets`);
      continue;
    }
    ranges.push({ name, begin, end });
    const bits = DTYPE_BITS[dtype];
    if (bits === undefined) {
      problems.push(`tensor "${name}" has unknown dtype ${dtype}`);
      continue;
    }
    if (!shape.every(isSize)) {
      problems.push(`tensor "${name}" has an invalid shape`);
      continue;
    }
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = Math.ceil((elements * bits) / 8);
    if (end - begin !== expected) problems.push(`tensor "${name}" spans ${end - begin} bytes, ${dtype} ${JSON.stringify(shape)} needs ${expected}`);
  }
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const range of ranges) {
    if (range.begin > cursor) problems.push(`bytes ${cursor}–${range.begin} before tensor "${range.name}" belong to no tensor`);
    if (range.begin < cursor) problems.push(`tensor "${range.name}" overlaps the tensor before it`);
    cursor = Math.max(cursor, range.end);
  }
  const dataLength = source.size - 8 - n;
  if (cursor > dataLength) problems.push(`tensors end at byte ${cursor} of the data, which has only ${dataLength}`);
  else if (cursor < dataLength) problems.push(`${dataLength - cursor} bytes at the end belong to no tensor`);
  if (problems.length > 0) {
    ctx.issue({
      ruleId: RULE.safetensorsInconsistent,
      severity: 'medium',
      message: `safetensors header does not match the file: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`,
      ...(member !== undefined && { member }),
      key: 'header',
      properties: { format: 'safetensors', problems: problems.length, tensors: ranges.length },
    });
  }
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
