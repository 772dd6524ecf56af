/**
 * The files of a registered version: hashing them at registration, copying them (hashing as the
 * bytes pass) into the artifact store, and comparing what was copied with what was registered.
 *
 * Threat assumptions: the development folder is writable by many people and tools and may change
 * at any moment. So promotion never trusts a check made on that folder: it copies first and
 * verifies the copy, which nobody else writes to. Files are opened without following symbolic
 * links (a link swapped in after listing is refused, not read), and only regular files are copied.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WardenError, describeError } from '../domain/index.js';
import type { ModelFileDigest } from '../domain/index.js';
import { computeManifest, subjectDigest, walkModel } from './signing/index.js';

export interface RegisteredManifest {
  readonly singleFile: boolean;
  readonly files: ModelFileDigest[];
  readonly totalBytes: number;
  readonly manifestDigest: string;
}

/** Lists and hashes a model (folder or single file), leaving out `ignorePaths` (model-relative). */
export async function hashModel(modelPath: string, ignorePaths: readonly string[], workers?: number): Promise<RegisteredManifest> {
  const listing = await walkModel(modelPath, { ignorePaths, allowSymlinks: false });
  if (listing.files.length === 0) throw new WardenError('INPUT_INVALID', `model ${modelPath} has no files to register`);
  const manifest = await computeManifest(listing, { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths }, workers === undefined ? {} : { workers });
  const sizes = new Map(listing.files.map((f) => [f.name, f.size]));
  return {
    singleFile: listing.isSingleFile,
    files: manifest.resources.map((r) => ({ path: r.name, sha256: r.digestHex, size: sizes.get(r.name) ?? 0 })),
    totalBytes: manifest.totalBytes,
    manifestDigest: subjectDigest(manifest.resources),
  };
}

export interface CopyOutcome {
  /** Registered files whose copied bytes hash differently. */
  readonly changed: string[];
  /** Registered files that are not in the source any more. */
  readonly missing: string[];
  /** Files that could not be copied (not a regular file, a symbolic link, unreadable). */
  readonly unreadable: { readonly path: string; readonly reason: string }[];
}

/** Where a registered file lives below a model root ("." is the single file itself). */
export function filePathIn(modelPath: string, file: ModelFileDigest): string {
  return file.path === '.' ? modelPath : join(modelPath, ...file.path.split('/'));
}

/**
 * Copies the registered files from `sourceModelPath` to `targetModelPath`, hashing each on the
 * way, and reports every difference from the registered digests. Only registered files are
 * copied: anything added to the source since registration never reaches a stage.
 */
export async function copyRegisteredFiles(files: readonly ModelFileDigest[], sourceModelPath: string, targetModelPath: string): Promise<CopyOutcome> {
  const outcome: CopyOutcome = { changed: [], missing: [], unreadable: [] };
  for (const file of files) {
    const source = filePathIn(sourceModelPath, file);
    const target = filePathIn(targetModelPath, file);
    let digest: string;
    try {
      digest = await copyHashing(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') outcome.missing.push(file.path);
      else if (code === 'ELOOP') outcome.unreadable.push({ path: file.path, reason: 'is now a symbolic link' });
      else outcome.unreadable.push({ path: file.path, reason: describeError(error) });
      continue;
    }
    if (digest !== file.sha256) outcome.changed.push(file.path);
  }
  return outcome;
}

/** Copies one regular file without following a link at its last component; returns its sha256. */
export async function copyHashing(source: string, target: string): Promise<string> {
  const input = await open(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await input.stat();
    if (!info.isFile()) throw new WardenError('INPUT_INVALID', `${source} is not a regular file`);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    const output = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(input.createReadStream({ autoClose: false }), tap, output.createWriteStream());
    return hash.digest('hex');
  } finally {
    await input.close();
  }
}
