/**
 * The manifest of a model: one (name, algorithm, digest) resource per file, or per shard of a file,
 * in the canonical order of the reference tool (model_signing v1.x):
 *
 * - method "files": one resource per regular file, algorithm "sha256", digest of the whole file.
 * - method "shards": files are cut at multiples of `shard_size`; each shard is a resource named
 *   "path:start:end" (end exclusive) with the SHA-256 of those bytes. The reference names the
 *   algorithm "sha256-sharded-<shard_size>" and skips empty files (no shard to hash).
 *
 * Resources are sorted by path components, then start and end offsets, like the reference's
 * dataclass ordering, so the subject digest (SHA-256 over the concatenated raw digests in resource
 * order) comes out identical for identical models.
 */
import { createHash } from 'node:crypto';
import { WardenError } from '../../domain/index.js';
import { hashRanges } from './hash-pool.js';
import type { HashPoolOptions, HashTask } from './hash-pool.js';
import { compareResourcePaths } from './model-walk.js';
import type { ModelListing } from './model-walk.js';

/** Default shard size of the reference tool (1 GB, decimal). */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

export type SerializationMethod = 'files' | 'shards';

export interface Serialization {
  readonly method: SerializationMethod;
  /** Only "sha256" is supported; the reference also knows blake2 and blake3. */
  readonly hashType: 'sha256';
  readonly allowSymlinks: boolean;
  /** Shard size in bytes (method "shards" only). */
  readonly shardSize?: number;
  /** Model-relative ignore paths recorded by the signer (absent in bundles made before v1.1). */
  readonly ignorePaths?: readonly string[];
}

export interface ManifestResource {
  readonly name: string;
  readonly algorithm: string;
  readonly digestHex: string;
}

export interface ShardKey {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export function shardAlgorithm(shardSize: number): string {
  return `sha256-sharded-${shardSize}`;
}

export function shardName(key: ShardKey): string {
  return `${key.path}:${key.start}:${key.end}`;
}

/** Parses "path:start:end"; the path itself may contain ":" (we split from the right). */
export function parseShardName(name: string): ShardKey | null {
  const last = name.lastIndexOf(':');
  if (last <= 0) return null;
  const middle = name.lastIndexOf(':', last - 1);
  if (middle <= 0) return null;
  const startText = name.slice(middle + 1, last);
  const endText = name.slice(last + 1);
  if (!/^\d{1,16}$/.test(startText) || !/^\d{1,16}$/.test(endText)) return null;
  const start = Number(startText);
  const end = Number(endText);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  return { path: name.slice(0, middle), start, end };
}

/** The file a resource belongs to: its own name for files, the path part for shards. */
export function resourceFile(name: string, method: SerializationMethod): string {
  if (method === 'files') return name;
  return parseShardName(name)?.path ?? name;
}

export function compareShardKeys(a: ShardKey, b: ShardKey): number {
  return compareResourcePaths(a.path, b.path) || a.start - b.start || a.end - b.end;
}

/** Offsets where the reference cuts a file of `size` bytes: every `step` bytes, last one at `size`. */
export function shardRanges(size: number, step: number): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  while (start < size) {
    const end = Math.min(start + step, size);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

export interface ComputeManifestOptions extends HashPoolOptions {
  /**
   * Shard names "path:0:0" to emit for empty files. Some reference versions list an empty file as
   * an empty shard; when a signature we verify does, we hash the empty file the same way.
   */
  readonly emptyShards?: ReadonlySet<string>;
}

export interface ComputedManifest {
  readonly resources: ManifestResource[];
  readonly fileCount: number;
  readonly totalBytes: number;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** Hashes the listed files (streaming, in worker threads) into sorted manifest resources. */
export async function computeManifest(
  listing: ModelListing,
  serialization: Serialization,
  options: ComputeManifestOptions = {},
): Promise<ComputedManifest> {
  const tasks: HashTask[] = [];
  const sizes: number[] = [];
  const names: string[] = [];
  const algorithms: string[] = [];
  const extra: ManifestResource[] = [];
  let totalBytes = 0;
  for (const file of listing.files) {
    totalBytes += file.size;
    const followSymlinks = serialization.allowSymlinks && file.viaSymlink;
    if (serialization.method === 'files') {
      tasks.push({ path: file.path, start: 0, end: null, followSymlinks });
      sizes.push(file.size);
      names.push(file.name);
      algorithms.push('sha256');
      continue;
    }
    const step = serialization.shardSize ?? DEFAULT_SHARD_SIZE;
    const algorithm = shardAlgorithm(step);
    if (file.size === 0) {
      const name = shardName({ path: file.name, start: 0, end: 0 });
      if (options.emptyShards?.has(name) === true) extra.push({ name, algorithm, digestHex: EMPTY_SHA256 });
      continue;
    }
    for (const range of shardRanges(file.size, step)) {
      tasks.push({ path: file.path, start: range.start, end: range.end, followSymlinks });
      sizes.push(range.end - range.start);
      names.push(shardName({ path: file.name, ...range }));
      algorithms.push(algorithm);
    }
  }
  const hashed = await hashRanges(tasks, sizes, options);
  const resources: ManifestResource[] = hashed.map((result, index) => ({
    name: names[index] as string,
    algorithm: algorithms[index] as string,
    digestHex: result.digestHex,
  }));
  resources.push(...extra);
  sortResources(resources, serialization.method);
  return { resources, fileCount: listing.files.length, totalBytes };
}

export function sortResources(resources: ManifestResource[], method: SerializationMethod): void {
  if (method === 'files') {
    resources.sort((a, b) => compareResourcePaths(a.name, b.name));
    return;
  }
  resources.sort((a, b) => {
    const ka = parseShardName(a.name);
    const kb = parseShardName(b.name);
    if (ka === null || kb === null) return compareResourcePaths(a.name, b.name);
    return compareShardKeys(ka, kb);
  });
}

/** SHA-256 over the raw digests in resource order: the in-toto subject digest. */
export function subjectDigest(resources: readonly ManifestResource[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digestHex, 'hex'));
  return hash.digest('hex');
}

export interface ManifestDifference {
  /** Files whose content no longer matches the signed digest. */
  readonly changed: readonly string[];
  /** Files present on disk that the signature does not cover. */
  readonly added: readonly string[];
  /** Signed files that are not on disk. */
  readonly missing: readonly string[];
}

/**
 * Compares a signed manifest with the one computed from disk. Differences are reported per file
 * (a changed shard reports its file once).
 */
export function diffManifests(
  expected: readonly ManifestResource[],
  actual: readonly ManifestResource[],
  method: SerializationMethod,
): ManifestDifference {
  const expectedByName = new Map(expected.map((r) => [r.name, r.digestHex.toLowerCase()]));
  const actualByName = new Map(actual.map((r) => [r.name, r.digestHex.toLowerCase()]));
  const changed = new Set<string>();
  const added = new Set<string>();
  const missing = new Set<string>();
  for (const [name, digest] of expectedByName) {
    const got = actualByName.get(name);
    if (got === undefined) missing.add(resourceFile(name, method));
    else if (got !== digest) changed.add(resourceFile(name, method));
  }
  for (const name of actualByName.keys()) {
    if (!expectedByName.has(name)) added.add(resourceFile(name, method));
  }
  // A file that grew or shrank shows as both added and missing shards: call it changed.
  for (const file of [...added]) {
    if (missing.has(file)) {
      added.delete(file);
      missing.delete(file);
      changed.add(file);
    }
  }
  for (const file of changed) {
    added.delete(file);
    missing.delete(file);
  }
  const sorted = (set: Set<string>): string[] => [...set].sort(compareResourcePaths);
  return { changed: sorted(changed), added: sorted(added), missing: sorted(missing) };
}

export function assertSupportedAlgorithm(resource: ManifestResource, serialization: Serialization): void {
  const accepted =
    serialization.method === 'files'
      ? ['sha256']
      : ['sha256', shardAlgorithm(serialization.shardSize ?? DEFAULT_SHARD_SIZE)];
  if (!accepted.includes(resource.algorithm)) {
    throw new WardenError('SIGNATURE_INVALID', `resource ${resource.name} uses unsupported algorithm ${resource.algorithm}`, {
      details: { resource: resource.name, algorithm: resource.algorithm },
    });
  }
}
