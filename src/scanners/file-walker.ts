/**
 * Walking a scanned tree. Threat assumption: the tree is attacker-controlled (a cloned repository,
 * a downloaded model folder). So: symbolic links are never followed (they could point at /etc or
 * loop), special files are skipped, and the walk is bounded in depth and entry count.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { normalisePath } from './finding-factory.js';

export interface WalkOptions {
  /** Folder names never descended into. */
  readonly skipDirs?: ReadonlySet<string>;
  readonly maxDepth?: number;
  readonly maxEntries?: number;
  readonly signal?: AbortSignal;
}

export interface WalkedFile {
  /** Absolute (or as given) path to open. */
  readonly path: string;
  /** Path relative to the root, forward slashes. */
  readonly relativePath: string;
  readonly size: number;
}

export const DEFAULT_SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.warden', '__pycache__', '.venv']);

/**
 * Yields every regular file under `input` (or `input` itself when it is a file), relative to `root`.
 * Throws when the walk passes `maxEntries`, rather than silently reporting a partial tree as clean.
 */
export async function* walkFiles(root: string, input: string, options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const skipDirs = options.skipDirs ?? DEFAULT_SKIP_DIRS;
  const maxDepth = options.maxDepth ?? 64;
  const maxEntries = options.maxEntries ?? 5_000_000;
  let seen = 0;

  const start = await lstat(input);
  if (start.isFile()) {
    yield { path: input, relativePath: relativeTo(root, input), size: start.size };
    return;
  }
  if (!start.isDirectory()) return;

  const stack: { dir: string; depth: number }[] = [{ dir: input, depth: 0 }];
  while (stack.length > 0) {
    const { dir, depth } = stack.pop() as { dir: string; depth: number };
    const handle = await opendir(dir);
    const entries: { name: string; isDir: boolean; isFile: boolean }[] = [];
    for await (const entry of handle) {
      entries.push({ name: entry.name, isDir: entry.isDirectory(), isFile: entry.isFile() });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (options.signal?.aborted) return;
      seen += 1;
      if (seen > maxEntries) throw new Error(`more than ${maxEntries} entries under ${input}`);
      const full = join(dir, entry.name);
      if (entry.isDir) {
        if (!skipDirs.has(entry.name) && depth + 1 <= maxDepth) subdirs.push(full);
      } else if (entry.isFile) {
        const info = await lstat(full);
        yield { path: full, relativePath: relativeTo(root, full), size: info.size };
      }
    }
    // Push in reverse so the walk visits folders in name order.
    for (let i = subdirs.length - 1; i >= 0; i -= 1) stack.push({ dir: subdirs[i] as string, depth: depth + 1 });
  }
}

export function relativeTo(root: string, path: string): string {
  const rel = relative(root, path);
  return normalisePath(rel === '' ? path.split(/[\\/]/).pop() ?? path : rel);
}
