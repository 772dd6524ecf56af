/**
 * Checks of the files warden.yaml refers to (trusted model-signing keys). They need the file
 * system, so they run after the pure reference checks; a missing or unusable trust anchor is a
 * workspace error like any dangling reference, reported with its field path.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { TrustedKey, Workspace } from '../domain/index.js';
import { workspaceRelativeProblem } from './workspace-references.js';
import type { ReferenceProblem } from './workspace-references.js';

/** A key or certificate file is small; anything larger is a mistake. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

export interface TrustedKeyFiles {
  readonly id: string;
  readonly publicKeyPath?: string;
  readonly certificateChainPaths?: readonly string[];
  readonly expiresOn?: string;
}

/** Absolute paths of a trusted key's files (the workspace has been validated). */
export function trustedKeyFiles(key: TrustedKey, workspaceDir: string): TrustedKeyFiles {
  return {
    id: key.id,
    ...(key.public_key !== undefined && { publicKeyPath: resolve(workspaceDir, key.public_key) }),
    ...(key.certificate_chain !== undefined && { certificateChainPaths: key.certificate_chain.map((p) => resolve(workspaceDir, p)) }),
    ...(key.expires_on !== undefined && { expiresOn: key.expires_on }),
  };
}

export async function checkWorkspaceFiles(ws: Workspace, workspaceDir: string): Promise<ReferenceProblem[]> {
  const problems: ReferenceProblem[] = [];
  const keys = ws.model_signing?.trusted_keys ?? [];
  if (keys.length === 0) return problems;
  const root = await realpath(workspaceDir).catch(() => resolve(workspaceDir));
  for (const [i, key] of keys.entries()) {
    const refs: { path: (string | number)[]; file: string }[] = [];
    if (key.public_key !== undefined) refs.push({ path: ['model_signing', 'trusted_keys', i, 'public_key'], file: key.public_key });
    key.certificate_chain?.forEach((file, j) => refs.push({ path: ['model_signing', 'trusted_keys', i, 'certificate_chain', j], file }));
    for (const ref of refs) {
      if (workspaceRelativeProblem(ref.file) !== undefined) continue; // reported by the reference checks
      const message = await keyFileProblem(root, resolve(workspaceDir, ref.file), ref.file);
      if (message !== undefined) problems.push({ path: ref.path, message });
    }
  }
  return problems;
}

async function keyFileProblem(root: string, absolute: string, shown: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    // realpath fails for a missing file or a dangling link; both mean there is no key to trust.
    return `key file "${shown}" does not exist`;
  }
  const rel = relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return `key file "${shown}" resolves (through a symbolic link) outside the workspace folder`;
  }
  const info = await stat(real);
  if (!info.isFile()) return `key file "${shown}" is not a regular file`;
  if (info.size === 0) return `key file "${shown}" is empty`;
  if (info.size > MAX_KEY_FILE_BYTES) return `key file "${shown}" is larger than ${MAX_KEY_FILE_BYTES} bytes; it is not a key`;
  return undefined;
}
