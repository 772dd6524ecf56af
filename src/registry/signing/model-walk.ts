/**
 * Listing the files of a model the way the OpenSSF model signing format (model_signing v1.x,
 * sigstore/model-transparency) does, so that our manifests and theirs name the same files:
 *
 * - A model is a directory (every regular file below it, hidden ones included) or a single file
 *   (then its one resource is named ".").
 * - Resource names are POSIX paths relative to the model root.
 * - Ignored paths are model-relative; an ignored directory hides everything below it. By default the
 *   git metadata at the model root (.git, .gitattributes, .github, .gitignore) is ignored, like the
 *   reference tool does.
 * - With allow_symlinks=false (the default and what we sign with) any symbolic link in the model is
 *   an error, not something to skip: skipping would let a swapped-in link go unnoticed.
 *
 * Threat assumption: the model folder is attacker-controlled (downloaded weights). We never follow a
 * symbolic link to a directory (loops, escapes), refuse special files (FIFOs would block a reader
 * forever), and bound the walk in depth and entry count.
 */
import { lstat, opendir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { WardenError, describeError } from '../../domain/index.js';

/** Paths the reference tool ignores at the model root unless told otherwise. */
export const GIT_IGNORE_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

export interface ModelFile {
  /** Path to open. */
  readonly path: string;
  /** Resource name: POSIX path relative to the model root, or "." for a single-file model. */
  readonly name: string;
  readonly size: number;
  /** True when `path` is a symbolic link (only listed when symlinks are allowed). */
  readonly viaSymlink: boolean;
}

export interface ModelListing {
  readonly root: string;
  /** Final component of the model path: the in-toto subject name (informative only). */
  readonly modelName: string;
  readonly isSingleFile: boolean;
  /** Sorted in the reference tool's canonical order (see `compareResourcePaths`). */
  readonly files: readonly ModelFile[];
}

export interface WalkModelOptions {
  /** Model-relative ignore paths (already normalised with `normaliseIgnorePath`). */
  readonly ignorePaths: readonly string[];
  readonly allowSymlinks: boolean;
  readonly maxEntries?: number;
  readonly maxDepth?: number;
}

/**
 * Normalises a model-relative ignore path to POSIX form without "./", duplicate or trailing slashes.
 * Returns null for a path that cannot name anything inside the model (absolute, or climbing out
 * with ".."): such an entry ignores nothing, the same as in the reference tool.
 */
export function normaliseIgnorePath(raw: string): string | null {
  const posix = raw.replace(/\\/g, '/');
  if (posix.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of posix.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** True when `name` is an ignore path or lies below one. */
export function isIgnored(name: string, ignorePaths: readonly string[]): boolean {
  for (const ignored of ignorePaths) {
    if (ignored === '.' || name === ignored || name.startsWith(`${ignored}/`)) return true;
  }
  return false;
}

/**
 * A file name made safe to print: control characters (which a hostile file name could use to
 * rewrite the terminal) are shown as \u escapes.
 */
export function printable(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Compares two strings by Unicode code point, as Python does (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * The reference sorts resources as Python `PurePosixPath` objects, which compare their component
 * lists, not the joined string: "a/b" sorts before "a-c" although "-" < "/".
 */
export function compareResourcePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareCodePoints(pa[i] as string, pb[i] as string);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function modelNameOf(modelPath: string): string {
  return basename(resolve(modelPath));
}

/** Lists the files of a model (a directory or a single file). Throws WardenError INPUT_* on problems. */
export async function walkModel(modelPath: string, options: WalkModelOptions): Promise<ModelListing> {
  const maxEntries = options.maxEntries ?? 5_000_000;
  const maxDepth = options.maxDepth ?? 128;
  let top;
  try {
    top = await lstat(modelPath);
  } catch (error) {
    throw new WardenError('INPUT_NOT_FOUND', `model path ${modelPath} cannot be read: ${describeError(error)}`, {
      cause: error,
      details: { path: modelPath },
    });
  }
  if (top.isSymbolicLink()) {
    if (!options.allowSymlinks) {
      throw new WardenError('INPUT_INVALID', `model path ${modelPath} is a symbolic link; pass the real path`, {
        details: { path: modelPath },
      });
    }
    top = await stat(modelPath);
  }
  if (top.isFile()) {
    return {
      root: modelPath,
      modelName: modelNameOf(modelPath),
      isSingleFile: true,
      files: [{ path: modelPath, name: '.', size: top.size, viaSymlink: false }],
    };
  }
  if (!top.isDirectory()) {
    throw new WardenError('INPUT_INVALID', `model path ${modelPath} is neither a file nor a directory`, {
      details: { path: modelPath },
    });
  }

  const files: ModelFile[] = [];
  let seen = 0;
  const stack: { dir: string; rel: string; depth: number }[] = [{ dir: modelPath, rel: '', depth: 0 }];
  while (stack.length > 0) {
    const { dir, rel, depth } = stack.pop() as { dir: string; rel: string; depth: number };
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      throw new WardenError('INPUT_INVALID', `cannot list ${dir}: ${describeError(error)}`, { cause: error });
    }
    for await (const entry of handle) {
      seen += 1;
      if (seen > maxEntries) {
        throw new WardenError('SCAN_LIMIT', `model has more than ${maxEntries} entries`, { details: { path: modelPath } });
      }
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (isIgnored(name, options.ignorePaths)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth + 1 > maxDepth) {
          throw new WardenError('SCAN_LIMIT', `model is nested deeper than ${maxDepth} levels at ${printable(name)}`);
        }
        stack.push({ dir: full, rel: name, depth: depth + 1 });
      } else if (entry.isFile()) {
        const info = await lstat(full);
        files.push({ path: full, name, size: info.size, viaSymlink: false });
      } else if (entry.isSymbolicLink()) {
        if (!options.allowSymlinks) {
          throw new WardenError('INPUT_INVALID', `${printable(name)} is a symbolic link; symbolic links are not allowed in a signed model`, {
            details: { path: name },
          });
        }
        // Allowed links are hashed by their target's content (as the reference does), but only links
        // to regular files: following a link to a directory could loop or leave the model.
        const target = await stat(full).catch((error: unknown) => {
          throw new WardenError('INPUT_INVALID', `${printable(name)} is a dangling symbolic link: ${describeError(error)}`, { cause: error });
        });
        if (!target.isFile()) {
          throw new WardenError('INPUT_INVALID', `${printable(name)} is a symbolic link to something other than a regular file`, {
            details: { path: name },
          });
        }
        files.push({ path: full, name, size: target.size, viaSymlink: true });
      } else {
        throw new WardenError('INPUT_INVALID', `${printable(name)} is a special file (socket, FIFO or device); it cannot be part of a model`, {
          details: { path: name },
        });
      }
    }
  }
  files.sort((a, b) => compareResourcePaths(a.name, b.name));
  return { root: modelPath, modelName: modelNameOf(modelPath), isSingleFile: false, files };
}
