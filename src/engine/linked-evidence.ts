/**
 * Scanner findings about another asset than the one scanned. A repository's Terraform defines the
 * bucket behind a dataset and the firewall in front of a notebook server; a finding there is
 * evidence about that dataset or server as much as about the repository. Two links are followed:
 * the storage name a finding reports (`storageName`) against the bucket or account in an asset's
 * location, and an explicit `assetTag` (a `warden-asset` tag in the code) against asset ids.
 *
 * Both values come from scanned files and are attacker-controlled; they are only compared with
 * the workspace's own ids and locations, so a hostile file can at worst attach its findings to an
 * asset it names — which makes that asset look worse, never better.
 */
import type { Asset, Finding } from '../domain/index.js';
import type { AssetEvidence } from './assessment-context.js';

/** The bucket (S3, GCS) or storage account (Azure) an asset's location names, lower-cased. */
export function storageNameOfLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const value = location.trim();
  const bucket = /^(?:s3|s3a|s3n|gs):\/\/([^/?#]+)/i.exec(value);
  if (bucket !== null) return (bucket[1] as string).toLowerCase();
  const azure = /^(?:https|abfss?|wasbs?):\/\/(?:[^@/]+@)?([a-z0-9]+)\.(?:blob|dfs)\.core\.windows\.net/i.exec(value);
  if (azure !== null) return (azure[1] as string).toLowerCase();
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Adds every finding that names another asset to that asset's evidence of the same kind. Returns
 * how many links were made. The scanned asset keeps its own copy: both are accountable.
 */
export function linkEvidence(evidence: Map<string, Map<string, AssetEvidence>>, assets: readonly Asset[]): number {
  const byId = new Set(assets.map((a) => a.id));
  const byStorage = new Map<string, string[]>();
  for (const asset of assets) {
    const name = storageNameOfLocation(asset.location);
    if (name === undefined) continue;
    const list = byStorage.get(name);
    if (list === undefined) byStorage.set(name, [asset.id]);
    else list.push(asset.id);
  }
  let links = 0;
  for (const byAsset of evidence.values()) {
    const additions = new Map<string, { scanner: string; findings: Finding[] }>();
    for (const [scannedId, found] of byAsset) {
      for (const finding of found.findings) {
        const targets = new Set<string>();
        const tag = text(finding.properties?.['assetTag']);
        if (tag !== undefined && byId.has(tag)) targets.add(tag);
        const storage = text(finding.properties?.['storageName'])?.toLowerCase();
        for (const id of storage === undefined ? [] : (byStorage.get(storage) ?? [])) targets.add(id);
        targets.delete(scannedId);
        for (const id of targets) {
          const entry = additions.get(id) ?? { scanner: found.scanner, findings: [] };
          entry.findings.push(finding);
          additions.set(id, entry);
          links += 1;
        }
      }
    }
    for (const [id, add] of additions) {
      const previous = byAsset.get(id);
      byAsset.set(id, {
        scanner: previous?.scanner ?? add.scanner,
        findings: [...(previous?.findings ?? []), ...add.findings],
        unscannable: previous?.unscannable ?? 0,
        ...(previous?.error !== undefined && { error: previous.error }),
        ...((previous === undefined || previous.linkedOnly === true) && { linkedOnly: true }),
      });
    }
  }
  return links;
}
