/**
 * The workspace a command works in when one is optional: the folder given with `--workspace`, or
 * a warden.yaml in the current folder, or none. A warden.yaml that exists but is broken is an
 * error, never silently ignored.
 */
import { resolve } from 'node:path';
import { WardenError } from '../domain/index.js';
import type { Workspace } from '../domain/index.js';
import { findWorkspaceFile, loadWorkspace } from '../workspace/index.js';
import type { CliIO } from './cli-io.js';

export async function optionalWorkspace(io: CliIO, given: string | undefined): Promise<{ workspace: Workspace; dir: string } | undefined> {
  if (given !== undefined) {
    const loaded = await loadWorkspace(resolve(io.cwd, given));
    return { workspace: loaded.workspace, dir: loaded.dir };
  }
  try {
    await findWorkspaceFile(io.cwd);
  } catch (error) {
    if (error instanceof WardenError && error.code === 'WORKSPACE_NOT_FOUND') return undefined;
    throw error;
  }
  const loaded = await loadWorkspace(io.cwd);
  return { workspace: loaded.workspace, dir: loaded.dir };
}
