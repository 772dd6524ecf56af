/**
 * Re-checking the staged and production copies for the assessment: every file is hashed again
 * and compared with the digests registered for the version; a file changed, missing or added
 * since promotion means production no longer runs the reviewed weights. The CLI gathers these
 * (I/O) and hands them to the engine, which judges them.
 */
import { describeError, modelRef } from '../domain/index.js';
import type { ArtifactCheck, ModelRegistryEvidence, ModelStage } from '../domain/index.js';
import { artifactDir, artifactModelPath } from './artifact-store.js';
import { computeManifest, walkModel } from './signing/index.js';

export async function checkStagedArtifacts(
  workspaceDir: string,
  evidence: ModelRegistryEvidence,
  now: () => Date = () => new Date(),
  workers?: number,
): Promise<Record<string, ArtifactCheck>> {
  const out: Record<string, ArtifactCheck> = {};
  for (const { version } of evidence.versions) {
    if (version.stage === 'development') continue;
    const dir = artifactDir(workspaceDir, version.stage as Exclude<ModelStage, 'development'>, version.name, version.version);
    const path = artifactModelPath(dir, version);
    const checkedAt = now().toISOString();
    try {
      const listing = await walkModel(path, { ignorePaths: [], allowSymlinks: false });
      const manifest = await computeManifest(listing, { method: 'files', hashType: 'sha256', allowSymlinks: false }, workers === undefined ? {} : { workers });
      const actual = new Map(manifest.resources.map((r) => [r.name, r.digestHex]));
      const changed: string[] = [];
      const missing: string[] = [];
      for (const file of version.files) {
        const digest = actual.get(file.path);
        if (digest === undefined) missing.push(file.path);
        else if (digest !== file.sha256) changed.push(file.path);
        actual.delete(file.path);
      }
      const added = [...actual.keys()];
      const parts = [
        ...(changed.length > 0 ? [`changed: ${changed.slice(0, 5).join(', ')}`] : []),
        ...(missing.length > 0 ? [`missing: ${missing.slice(0, 5).join(', ')}`] : []),
        ...(added.length > 0 ? [`added: ${added.slice(0, 5).join(', ')}`] : []),
      ];
      out[modelRef(version.name, version.version)] = {
        checkedAt,
        path,
        ok: parts.length === 0,
        detail: parts.length === 0 ? `${version.fileCount} file(s) of the ${version.stage} copy match the registered digests` : `the ${version.stage} copy differs from the registered files; ${parts.join('; ')}`,
      };
    } catch (error) {
      out[modelRef(version.name, version.version)] = { checkedAt, path, ok: false, detail: `the ${version.stage} copy cannot be checked: ${describeError(error)}` };
    }
  }
  return out;
}
