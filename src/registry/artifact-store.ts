/**
 * The artifact store: where staged and production copies of model versions live, apart from the
 * development folders they were registered from.
 *
 *   <workspace>/.warden/artifacts/<stage>/<name>/<version>/model/…      the verified files
 *   <workspace>/.warden/artifacts/<stage>/<name>/<version>/model.sig    the signature bundle
 *   <workspace>/.warden/artifacts/<stage>/<name>/<version>/artifact.json what was promoted, by whom
 *   <workspace>/.warden/artifacts/.incoming/<random>/                   a promotion in progress
 *
 * A promotion copies into `.incoming`, verifies and scans the copy, and only then renames it into
 * place (a rename within one file system is atomic: a reader sees the whole artifact or none).
 * Files are made read-only. Threat assumption: this separates production from the development
 * folder (edits there never reach production) and guards against accidents; someone with the
 * workspace owner's account can still change the copy, which is why `warden assess` re-hashes
 * every staged and production artifact against the registered digests.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { WardenError, modelRef } from '../domain/index.js';
import { basename, join } from 'node:path';
import type { ModelStage, ModelVersionRecord } from '../domain/index.js';

export const ARTIFACTS_DIR = join('.warden', 'artifacts');

export function artifactsRoot(workspaceDir: string): string {
  return join(workspaceDir, ARTIFACTS_DIR);
}

/** The folder of a version's artifact in a stage (development has none: it is the source folder). */
export function artifactDir(workspaceDir: string, stage: Exclude<ModelStage, 'development'>, name: string, version: string): string {
  return join(artifactsRoot(workspaceDir), stage, name, version);
}

/** The model path inside an artifact folder: the folder `model/`, or the single file in it. */
export function artifactModelPath(dir: string, version: Pick<ModelVersionRecord, 'singleFile' | 'sourcePath'>): string {
  return version.singleFile ? join(dir, 'model', basename(version.sourcePath)) : join(dir, 'model');
}

export function artifactSignaturePath(dir: string): string {
  return join(dir, 'model.sig');
}

/** Where the files of a version in its current stage are: the artifact copy, or the source. */
export function currentModelPath(workspaceDir: string, version: ModelVersionRecord): string {
  if (version.stage === 'development') return version.sourcePath;
  return artifactModelPath(artifactDir(workspaceDir, version.stage, version.name, version.version), version);
}

/** A fresh folder for a promotion in progress; `.warden` stays owner-only as the database's. */
export async function createIncoming(workspaceDir: string): Promise<string> {
  await mkdir(join(workspaceDir, '.warden'), { recursive: true, mode: 0o700 });
  const dir = join(artifactsRoot(workspaceDir), '.incoming', randomUUID());
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return dir;
}

export async function discardIncoming(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Moves a verified incoming copy into its stage folder and makes its files read-only. A folder
 * already there belongs to no recorded promotion (the store says this version is not in that
 * stage: a crash between placing and recording), so it is replaced.
 */
export async function placeArtifact(incoming: string, target: string, record: Readonly<Record<string, unknown>>): Promise<void> {
  await writeFile(join(incoming, 'artifact.json'), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 });
  await makeReadOnly(incoming);
  await mkdir(join(target, '..'), { recursive: true, mode: 0o755 });
  if ((await lstat(target).catch(() => null)) !== null) await rm(target, { recursive: true, force: true });
  await rename(incoming, target);
}

/** Files 0444; folders stay 0755 so the owner can still remove a retired artifact. */
async function makeReadOnly(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isDirectory()) {
    for (const entry of await readdir(path)) await makeReadOnly(join(path, entry));
  } else if (info.isFile()) {
    await chmod(path, 0o444);
  }
}

/**
 * One promotion of a version at a time on this workspace: two promoters racing could otherwise
 * place and record over each other. The lock is a file created exclusively; one left behind by a
 * process that no longer runs (a crash) is taken over.
 */
export async function lockVersion(workspaceDir: string, name: string, version: string): Promise<() => Promise<void>> {
  const dir = join(artifactsRoot(workspaceDir), '.locks');
  await mkdir(join(workspaceDir, '.warden'), { recursive: true, mode: 0o700 });
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const path = join(dir, `${name}@${version}.lock`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && processRuns(holder)) {
        throw new WardenError('USAGE', `another promotion of ${modelRef(name, version)} is in progress (process ${holder}); try again when it is done`, {
          details: { lock: path, pid: holder },
        });
      }
      await rm(path, { force: true }); // left by a process that is gone
    }
  }
  throw new WardenError('USAGE', `could not lock ${modelRef(name, version)} for promotion (${path})`);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; ESRCH: it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
