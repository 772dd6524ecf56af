/**
 * Relating user-given paths (signature file, ignore paths) to the model root. Paths are compared
 * after resolving symbolic links of existing directories, so "./model/model.sig" and
 * "/abs/model/model.sig" name the same resource.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    // The path does not exist yet (a signature about to be written): canonicalise its folder.
    try {
      return join(await realpath(dirname(absolute)), basename(absolute));
    } catch {
      // Neither exists: the plain absolute path is the best name we have.
      return absolute;
    }
  }
}

/**
 * `path` relative to the model directory in POSIX form, or null when it is not inside it (or the
 * model is a single file).
 */
export async function modelRelative(modelPath: string, path: string): Promise<string | null> {
  const info = await stat(modelPath).catch(() => null);
  if (info === null || !info.isDirectory()) return null;
  const root = await canonical(modelPath);
  const target = await canonical(path);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/**
 * Interprets an ignore path from the command line: if it names something inside the model when
 * read from the working directory (e.g. "model/ignore-me"), that is used; otherwise it is taken
 * as relative to the model root (e.g. "ignore-me"), which is how signatures record them.
 */
export async function resolveIgnorePath(modelPath: string, raw: string): Promise<string> {
  if (isAbsolute(raw) || (await stat(raw).catch(() => null)) !== null) {
    const inside = await modelRelative(modelPath, raw);
    if (inside !== null) return inside;
  }
  return raw;
}
