/**
 * A tolerant zip reader. Tolerant the way PyTorch's loader is, because scanners that were stricter
 * than the loader have been bypassed: a bad CRC, an "encrypted" flag on plain data, a central
 * directory that disagrees with the local headers, or a misleading member name must not hide a
 * member. So we list members from the central directory *and* by walking local headers from the
 * start of the file *and* by searching the bytes that no known member accounts for; we never check
 * CRCs; we report the disagreements instead of trusting one side.
 *
 * Threat assumptions: counts, sizes and offsets are hostile. Members are capped, the central
 * directory is read once with a size cap, the hidden-header search is capped, and member data is
 * never read here (callers read what they need, through windows or a capped inflater).
 */
import type { ByteSource } from './byte-source.js';
import { ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';

export interface ZipMember {
  /** Central-directory name when there is one, else the local header's. */
  readonly name: string;
  readonly localName?: string;
  readonly centralName?: string;
  readonly localOffset: number;
  readonly dataOffset: number;
  /** Compressed size; undefined when neither header says (data descriptor without a central entry). */
  readonly compressedSize?: number;
  readonly uncompressedSize?: number;
  /** Compression methods claimed (central first); they can disagree. */
  readonly methods: readonly number[];
  readonly flags: number;
  readonly foundBy: 'central' | 'local' | 'both';
}

export interface ZipListing {
  readonly members: ZipMember[];
  /** Things a loader may read differently from us, worth reporting. */
  readonly anomalies: string[];
  readonly hasCentralDirectory: boolean;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const DESCRIPTOR_SIG = 0x08074b50;
const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

interface LocalHeader {
  name: string;
  flags: number;
  method: number;
  compressedSize: number | undefined;
  uncompressedSize: number | undefined;
  dataOffset: number;
}

/** True when the bytes start like a zip archive (local header, or an empty archive's EOCD). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/**
 * Offset of the end-of-central-directory record. It sits in the last 22 bytes unless the archive
 * has a comment (at most 65,535 bytes), so the last KiB is searched first and the full span only
 * when that fails.
 */
export async function findEndOfCentralDirectory(source: ByteSource): Promise<number | undefined> {
  if (source.size < 22) return undefined;
  for (const span of [Math.min(source.size, 1024), Math.min(source.size, 65_535 + 22)]) {
    const tail = await source.read(source.size - span, span);
    for (let i = tail.length - 22; i >= 0; i -= 1) {
      if (tail.readUInt32LE(i) === EOCD_SIG) return source.size - span + i;
    }
    if (span === source.size) break;
  }
  return undefined;
}

export async function listZip(source: ByteSource, budget: ScanBudget): Promise<ZipListing> {
  const anomalies: string[] = [];
  const byOffset = new Map<number, ZipMember>();
  const maxMembers = budget.limits.maxMembers;
  const addMember = (member: ZipMember): void => {
    if (byOffset.size >= maxMembers && !byOffset.has(member.localOffset)) {
      throw new ScanLimitError(`more than ${maxMembers} archive members`);
    }
    byOffset.set(member.localOffset, member);
  };
  const covered: [number, number][] = [];

  // 1. The central directory, as zipfile and PyTorch read it.
  const central = await readCentralDirectory(source, budget, anomalies);
  if (central !== undefined) covered.push([central.start, source.size]);
  for (const entry of central?.entries ?? []) {
    budget.tick();
    const local = await readLocalHeader(source, entry.localOffset);
    if (local === undefined) {
      anomalies.push(`central entry "${entry.name}" points at offset ${entry.localOffset}, where there is no local header`);
      continue;
    }
    if (local.name !== entry.name) {
      anomalies.push(`member named "${entry.name}" in the central directory is "${local.name}" in its local header`);
    }
    const compressedSize = entry.compressedSize;
    addMember({
      name: entry.name,
      localName: local.name,
      centralName: entry.name,
      localOffset: entry.localOffset,
      dataOffset: local.dataOffset,
      compressedSize,
      uncompressedSize: entry.uncompressedSize,
      methods: unique([entry.method, local.method]),
      flags: entry.flags | local.flags,
      foundBy: 'both',
    });
    covered.push([entry.localOffset, local.dataOffset + compressedSize]);
  }

  // 2. Walk local headers from the start, the way streaming unzippers do.
  let position = 0;
  while (position + 30 <= source.size) {
    budget.tick();
    const known = byOffset.get(position);
    const local = await readLocalHeader(source, position);
    if (local === undefined) break;
    const size = known?.compressedSize ?? local.compressedSize;
    if (known === undefined) {
      addMember(localOnlyMember(position, local));
      anomalies.push(`member "${local.name}" at offset ${position} is not in the central directory`);
    }
    if (size === undefined) break;
    covered.push([position, local.dataOffset + size]);
    position = await skipDescriptor(source, local.dataOffset + size, local.flags);
  }

  // 3. Search what no member accounts for, for local headers the other two passes missed.
  await searchGaps(source, budget, covered, async (offset) => {
    if (byOffset.has(offset)) return;
    const local = await readLocalHeader(source, offset);
    if (local === undefined) return;
    addMember(localOnlyMember(offset, local));
    anomalies.push(`member "${local.name}" at offset ${offset} is hidden between other members`);
  });

  const members = [...byOffset.values()].sort((a, b) => a.localOffset - b.localOffset);
  return { members, anomalies, hasCentralDirectory: central !== undefined };
}

function localOnlyMember(offset: number, local: LocalHeader): ZipMember {
  return {
    name: local.name,
    localName: local.name,
    localOffset: offset,
    dataOffset: local.dataOffset,
    ...(local.compressedSize !== undefined && { compressedSize: local.compressedSize }),
    ...(local.uncompressedSize !== undefined && { uncompressedSize: local.uncompressedSize }),
    methods: [local.method],
    flags: local.flags,
    foundBy: 'local',
  };
}

async function readCentralDirectory(
  source: ByteSource,
  budget: ScanBudget,
  anomalies: string[] = [],
): Promise<{ start: number; entries: CentralEntry[] } | undefined> {
  const eocd = await findEndOfCentralDirectory(source);
  if (eocd === undefined) return undefined;
  const record = await source.read(eocd, 22);
  let count = record.readUInt16LE(10);
  let size = record.readUInt32LE(12);
  let offset = record.readUInt32LE(16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const zip64 = await readZip64End(source, eocd);
    if (zip64 !== undefined) ({ count, size, offset } = zip64);
  }
  // A prefix before the archive (self-extractor, polyglot) shifts every offset by the same amount.
  let shift = 0;
  const expectedStart = eocd - size;
  if (expectedStart >= 0 && expectedStart !== offset && (await u32At(source, expectedStart)) === CENTRAL_SIG) {
    shift = expectedStart - offset;
    anomalies.push(`archive offsets are shifted by ${shift} bytes (data before the archive)`);
  }
  const start = offset + shift;
  if (start < 0 || start > eocd) {
    anomalies.push('central directory offset points outside the file');
    return undefined;
  }
  const length = eocd - start;
  if (length > budget.limits.maxInMemoryBytes) throw new ScanLimitError('central directory larger than the in-memory limit');
  const bytes = await source.read(start, length);
  const entries: CentralEntry[] = [];
  let at = 0;
  while (at + 46 <= bytes.length && bytes.readUInt32LE(at) === CENTRAL_SIG) {
    budget.tick();
    if (entries.length >= budget.limits.maxMembers) throw new ScanLimitError(`more than ${budget.limits.maxMembers} archive members`);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), bytes.readUInt16LE(at + 8));
    const entry: CentralEntry = {
      name,
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entry.localOffset += shift;
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== count && count !== 0xffff) {
    anomalies.push(`end record announces ${count} members, the central directory holds ${entries.length}`);
  }
  return { start, entries };
}

async function readZip64End(source: ByteSource, eocd: number): Promise<{ count: number; size: number; offset: number } | undefined> {
  if (eocd < 20) return undefined;
  const locator = await source.read(eocd - 20, 20);
  if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) return undefined;
  const at = safeNumber(locator.readBigUInt64LE(8));
  if (at === undefined) return undefined;
  const record = await source.read(at, 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIG) return undefined;
  const count = safeNumber(record.readBigUInt64LE(32));
  const size = safeNumber(record.readBigUInt64LE(40));
  const offset = safeNumber(record.readBigUInt64LE(48));
  if (count === undefined || size === undefined || offset === undefined) return undefined;
  return { count, size, offset };
}

/** The zip64 extra field (id 1) carries the sizes and offset that were too big for 32 bits. */
function applyZip64Extra(entry: CentralEntry, extra: Buffer): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let field = at + 4;
      const next = (): number | undefined => {
        if (field + 8 > at + 4 + length || field + 8 > extra.length) return undefined;
        const value = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    at += 4 + length;
  }
}

export async function readLocalHeader(source: ByteSource, offset: number): Promise<LocalHeader | undefined> {
  if (offset < 0 || offset + 30 > source.size) return undefined;
  const fixed = await source.read(offset, 30);
  if (fixed.length < 30 || fixed.readUInt32LE(0) !== LOCAL_SIG) return undefined;
  const flags = fixed.readUInt16LE(6);
  const nameLength = fixed.readUInt16LE(26);
  const extraLength = fixed.readUInt16LE(28);
  const variable = await source.read(offset + 30, nameLength + extraLength);
  const name = decodeName(variable.subarray(0, nameLength), flags);
  let compressedSize: number | undefined = fixed.readUInt32LE(18);
  let uncompressedSize: number | undefined = fixed.readUInt32LE(22);
  if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) {
    const entry: CentralEntry = { name, flags, method: 0, compressedSize, uncompressedSize, localOffset: 0 };
    applyZip64Extra(entry, variable.subarray(nameLength));
    compressedSize = entry.compressedSize;
    uncompressedSize = entry.uncompressedSize;
  }
  // With a data descriptor (flag bit 3) the local sizes are usually zero: unknown, not empty.
  if ((flags & 0x08) !== 0 && compressedSize === 0) {
    compressedSize = undefined;
    uncompressedSize = undefined;
  }
  return {
    name,
    flags,
    method: fixed.readUInt16LE(8),
    compressedSize,
    uncompressedSize,
    dataOffset: offset + 30 + nameLength + extraLength,
  };
}

/** Position after a member's data and its data descriptor, if it has one. */
async function skipDescriptor(source: ByteSource, end: number, flags: number): Promise<number> {
  if ((flags & 0x08) === 0) return end;
  if ((await u32At(source, end)) === LOCAL_SIG) return end;
  const signed = (await u32At(source, end)) === DESCRIPTOR_SIG ? 4 : 0;
  for (const width of [12, 20]) {
    if ((await u32At(source, end + signed + width)) === LOCAL_SIG) return end + signed + width;
  }
  return end + signed + 12;
}

async function searchGaps(
  source: ByteSource,
  budget: ScanBudget,
  covered: [number, number][],
  found: (offset: number) => Promise<void>,
): Promise<void> {
  const sorted = covered.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const gaps: [number, number][] = [];
  let cursor = 0;
  for (const [start, end] of sorted) {
    if (start > cursor) gaps.push([cursor, start]);
    cursor = Math.max(cursor, end);
  }
  if (cursor < source.size) gaps.push([cursor, source.size]);
  let budgetLeft = budget.limits.maxGapScanBytes;
  for (const [start, end] of gaps) {
    const length = Math.min(end - start, budgetLeft);
    if (length < 30) continue;
    budgetLeft -= length;
    const chunkSize = 1024 * 1024;
    for (let at = start; at < start + length; at += chunkSize - 3) {
      budget.checkTime();
      const chunk = await source.read(at, Math.min(chunkSize, start + length - at));
      let i = chunk.indexOf(LOCAL_HEADER);
      while (i >= 0) {
        await found(at + i);
        i = chunk.indexOf(LOCAL_HEADER, i + 1);
      }
      if (chunk.length < chunkSize) break;
    }
    if (budgetLeft <= 0) {
      throw new ScanLimitError(`more than ${budget.limits.maxGapScanBytes} bytes outside any archive member`);
    }
  }
}

async function u32At(source: ByteSource, offset: number): Promise<number | undefined> {
  if (offset < 0 || offset + 4 > source.size) return undefined;
  const bytes = await source.read(offset, 4);
  return bytes.length === 4 ? bytes.readUInt32LE(0) : undefined;
}

function decodeName(bytes: Buffer, flags: number): string {
  // Bit 11 says UTF-8; otherwise CP437, which agrees with latin-1 on the ASCII names that matter.
  return (flags & 0x800) !== 0 ? bytes.toString('utf8') : bytes.toString('latin1');
}

function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}

export function describeMethod(method: number): string {
  const names: Record<number, string> = { 0: 'stored', 8: 'deflate', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstd', 95: 'xz', 99: 'AES' };
  return names[method] ?? `method ${method}`;
}

