/**
 * Listing the files to scan. Directory entries come from readdir's own type information, so no
 * per-file stat is needed (20,000 stats would cost more than reading small files); symbolic links
 * and special files are never followed or opened, and the walk is bounded in depth and count.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DEFAULT_SKIP_DIRS, normalisePath } from '../index.js';

export interface InputFile {
  readonly path: string;
  readonly relativePath: string;
}

export interface CollectResult {
  readonly files: InputFile[];
  readonly missing: { path: string; reason: string }[];
}

const MAX_DEPTH = 64;
const MAX_FILES = 2_000_000;

function rel(root: string, path: string): string {
  const r = relative(root, path);
  return normalisePath(r === '' ? (path.split(/[\\/]/).pop() ?? path) : r);
}

export async function collectFiles(root: string, inputs: readonly string[], signal?: AbortSignal): Promise<CollectResult> {
  const files: InputFile[] = [];
  const missing: { path: string; reason: string }[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await lstat(input);
    } catch (error) {
      missing.push({ path: rel(root, input), reason: error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'not found' : `cannot read: ${String(error)}` });
      continue;
    }
    if (info.isFile()) {
      files.push({ path: input, relativePath: rel(root, input) });
      continue;
    }
    if (!info.isDirectory()) {
      missing.push({ path: rel(root, input), reason: info.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file or folder' });
      continue;
    }
    const stack: { dir: string; depth: number }[] = [{ dir: input, depth: 0 }];
    while (stack.length > 0) {
      if (signal?.aborted === true) break;
      const { dir, depth } = stack.pop() as { dir: string; depth: number };
      const names: { name: string; dir: boolean }[] = [];
      try {
        for await (const entry of await opendir(dir)) {
          if (entry.isDirectory()) names.push({ name: entry.name, dir: true });
          else if (entry.isFile()) names.push({ name: entry.name, dir: false });
          else if (!entry.isSymbolicLink() && !entry.isFIFO() && !entry.isSocket() && !entry.isBlockDevice() && !entry.isCharacterDevice()) {
            // The file system did not report a type (DT_UNKNOWN): ask, without following links.
            const known = await lstat(join(dir, entry.name));
            if (known.isDirectory() || known.isFile()) names.push({ name: entry.name, dir: known.isDirectory() });
          }
        }
      } catch (error) {
        missing.push({ path: rel(root, dir), reason: `cannot list folder: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const entry of names) {
        const full = join(dir, entry.name);
        if (entry.dir) {
          if (DEFAULT_SKIP_DIRS.has(entry.name)) continue;
          if (depth + 1 > MAX_DEPTH) missing.push({ path: rel(root, full), reason: `deeper than ${MAX_DEPTH} folders` });
          else subdirs.push(full);
        } else {
          if (files.length >= MAX_FILES) {
            missing.push({ path: rel(root, dir), reason: `more than ${MAX_FILES} files: the rest were not scanned` });
            return { files, missing };
          }
          files.push({ path: full, relativePath: rel(root, full) });
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i -= 1) stack.push({ dir: subdirs[i] as string, depth: depth + 1 });
    }
  }
  return { files, missing };
}
