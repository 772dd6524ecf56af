/**
 * Archives: zip (PyTorch, NumPy .npz, Keras .keras, plain zips of models), 7z and tar. Every member
 * is handed back to the dispatcher, which decides by content what it is; names are only used to
 * say where a finding is. Stored members are windows on the file (nothing copied, tensor data never
 * read beyond a sniff); deflated members are inflated on demand under the file's budget.
 */
import { WindowByteSource } from './byte-source.js';
import type { ByteSource } from './byte-source.js';
import { RULE } from './model-rules.js';
import { compressedBlob, joinMember, memoryBlob, sourceBlob } from './scan-context.js';
import type { Blob, FileScanContext } from './scan-context.js';
import { readSevenZip } from './sevenzip-reader.js';
import { describeMethod, listZip } from './zip-reader.js';
import type { ZipMember } from './zip-reader.js';

const MAX_ANOMALIES_REPORTED = 20;

export async function scanZip(ctx: FileScanContext, source: ByteSource, member: string | undefined, depth: number): Promise<void> {
  const listing = await listZip(source, ctx.budget);
  for (const anomaly of listing.anomalies.slice(0, MAX_ANOMALIES_REPORTED)) {
    ctx.issue({
      ruleId: RULE.archiveAnomaly,
      severity: 'medium',
      message: `Zip structure: ${anomaly}.`,
      ...(member !== undefined && { member }),
      key: anomaly,
      properties: { format: 'zip' },
    });
  }
  if (!listing.hasCentralDirectory) {
    ctx.fail(member, 'zip archive has no end-of-central-directory record (truncated or damaged); members found through their local headers were scanned');
  }
  if (listing.members.length === 0) {
    ctx.fail(member, 'zip archive with no readable member');
    return;
  }
  for (const entry of listing.members) {
    ctx.budget.checkTime();
    ctx.members += 1;
    const path = joinMember(member, memberLabel(entry));
    await scanZipMember(ctx, source, entry, path, depth);
  }
}

function memberLabel(entry: ZipMember): string {
  if (entry.localName !== undefined && entry.centralName !== undefined && entry.localName !== entry.centralName) {
    return `${entry.centralName} (local header: ${entry.localName})`;
  }
  return entry.name.length > 0 ? entry.name : `@${entry.localOffset}`;
}

async function scanZipMember(ctx: FileScanContext, source: ByteSource, entry: ZipMember, path: string, depth: number): Promise<void> {
  const encrypted = (entry.flags & 0x01) !== 0 || (entry.flags & 0x40) !== 0;
  const end = entry.compressedSize !== undefined ? entry.dataOffset + entry.compressedSize : await findDataEnd(source, entry.dataOffset, ctx);
  if (end > source.size) {
    ctx.fail(path, `member data runs past the end of the file (truncated archive)`);
    return;
  }
  const errors: string[] = [];
  // Try each method the headers claim: a loader that trusts the other header must not win.
  for (const method of entry.methods) {
    let blob: Blob;
    if (method === 0) blob = sourceBlob(new WindowByteSource(source, entry.dataOffset, end - entry.dataOffset));
    else if (method === 8) blob = compressedBlob(source, entry.dataOffset, end, 'deflate-raw', ctx.budget, entry.uncompressedSize);
    else {
      errors.push(`compression ${describeMethod(method)} is not supported`);
      continue;
    }
    try {
      const recognised = await ctx.nested(blob, path, depth + 1);
      if (recognised || !encrypted) return;
      errors.push('the member is encrypted');
    } catch (error) {
      errors.push(encrypted ? `the member is encrypted (${(error as Error).message})` : (error as Error).message);
    }
  }
  if (errors.length > 0) ctx.fail(path, [...new Set(errors)].join('; '));
}

/**
 * Where a member of unknown size (data descriptor, no central entry) ends: at the next zip record
 * signature, searched within the gap-scan budget, or at the end of the file.
 */
async function findDataEnd(source: ByteSource, start: number, ctx: FileScanContext): Promise<number> {
  const limit = Math.min(source.size, start + ctx.budget.limits.maxGapScanBytes);
  const chunkSize = 1024 * 1024;
  for (let at = start; at < limit; at += chunkSize - 3) {
    ctx.budget.checkTime();
    const chunk = await source.read(at, Math.min(chunkSize, limit - at));
    for (let i = chunk.indexOf(0x50); i >= 0 && i + 3 < chunk.length; i = chunk.indexOf(0x50, i + 1)) {
      if (chunk[i + 1] !== 0x4b) continue;
      const a = chunk[i + 2];
      const b = chunk[i + 3];
      if ((a === 7 && b === 8) || (a === 3 && b === 4) || (a === 1 && b === 2)) return at + i;
    }
    if (chunk.length < chunkSize) break;
  }
  return source.size;
}

export async function scanSevenZip(ctx: FileScanContext, source: ByteSource, member: string | undefined, depth: number): Promise<void> {
  const files = await readSevenZip(source, ctx.budget);
  if (files.length === 0) ctx.fail(member, '7z archive with no readable file');
  for (const file of files) {
    ctx.members += 1;
    const path = joinMember(member, file.name);
    if (file.data === undefined) {
      ctx.fail(path, file.problem ?? '7z member could not be decoded');
      continue;
    }
    try {
      await ctx.nested(memoryBlob(file.data), path, depth + 1);
    } catch (error) {
      ctx.fail(path, (error as Error).message);
    }
  }
}

/** POSIX ustar and GNU tar, as used by the oldest torch.save format and by model bundles. */
export async function scanTar(ctx: FileScanContext, source: ByteSource, member: string | undefined, depth: number): Promise<void> {
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= source.size) {
    ctx.budget.tick();
    const header = await source.read(offset, 512);
    if (header.every((b) => b === 0)) break;
    const sizeField = header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim();
    const size = /^[0-7]+$/.test(sizeField) ? parseInt(sizeField, 8) : header[124] === 0x80 ? Number(header.readBigUInt64BE(128)) : NaN;
    if (!Number.isSafeInteger(size) || size < 0) {
      ctx.fail(member, `tar header at offset ${offset} has an unreadable size`);
      return;
    }
    const type = String.fromCharCode(header[156] as number);
    const rawName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '') : '';
    const dataStart = offset + 512;
    if (type === 'L') {
      longName = (await source.read(dataStart, Math.min(size, 4096))).toString('utf8').replace(/\0.*$/s, '');
    } else if (type === '0' || type === '\0' || type === '7') {
      ctx.members += 1;
      const name = longName ?? (prefix.length > 0 ? `${prefix}/${rawName}` : rawName);
      longName = undefined;
      const path = joinMember(member, name);
      if (dataStart + size > source.size) {
        ctx.fail(path, 'tar member runs past the end of the file (truncated archive)');
        return;
      }
      try {
        await ctx.nested(sourceBlob(new WindowByteSource(source, dataStart, size)), path, depth + 1);
      } catch (error) {
        ctx.fail(path, (error as Error).message);
      }
    }
    offset = dataStart + Math.ceil(size / 512) * 512;
  }
}
