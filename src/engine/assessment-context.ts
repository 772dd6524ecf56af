/**
 * Everything an evaluation needs, computed once per assessment: indexes over the workspace, the
 * lineage reach of every asset, and the scanner evidence grouped by asset and evidence kind.
 */
import { atOrAbove, classificationRank } from '../domain/index.js';
import type {
  ArtifactCheck,
  Asset,
  Classification,
  Finding,
  ModelVersionHistory,
  Person,
  ScannerRun,
  Severity,
  SizeProfile,
  Workspace,
} from '../domain/index.js';
import { LineageGraph, classificationFromRank, recordsOf } from '../lineage/index.js';
import type { DataReach } from '../lineage/index.js';
import type { Catalog } from '../catalog/index.js';
import { EVERYONE, ROLE_PREFIX } from '../workspace/index.js';

/** Evidence gathered by one scanner for one asset. */
export interface AssetEvidence {
  readonly scanner: string;
  readonly findings: readonly Finding[];
  readonly unscannable: number;
  readonly error?: string;
  /**
   * True when the scanner never examined this asset itself and these are only findings about it
   * from another asset's scan (linked-evidence.ts): they can fail a control, but their absence
   * proves nothing.
   */
  readonly linkedOnly?: boolean;
}

export interface AssessmentContext {
  readonly workspace: Workspace;
  readonly catalog: Catalog;
  readonly sizeProfile: SizeProfile;
  /** YYYY-MM-DD of the assessment, for expiry comparisons. */
  readonly today: string;
  readonly people: ReadonlyMap<string, Person>;
  readonly peopleByRole: ReadonlyMap<string, readonly Person[]>;
  readonly graph: LineageGraph;
  readonly reach: readonly DataReach[];
  readonly assetLines: ReadonlyMap<string, number>;
  /** evidenceKind → assetId → evidence; a kind missing here has no registered scanner. */
  readonly evidence: ReadonlyMap<string, ReadonlyMap<string, AssetEvidence>>;
  /** Evidence kinds that have a registered scanner (whether or not it ran). */
  readonly evidenceProviders: ReadonlySet<string>;
  /** Whether scanners were run in this assessment (`--no-scan` turns them off). */
  readonly scanned: boolean;
  /** evidenceKind → the assets a registered scanner would examine (whether or not it ran). */
  readonly plannedEvidence: ReadonlyMap<string, ReadonlySet<string>>;
  readonly scannerRuns: readonly ScannerRun[];
  /** Model registry records, when the caller read them from the store; undefined: not consulted. */
  readonly modelRegistry?: ModelRegistryIndex;
}

/** Registry evidence indexed for the checks: versions by the workspace model asset they belong to. */
export interface ModelRegistryIndex {
  readonly byAsset: ReadonlyMap<string, readonly ModelVersionHistory[]>;
  /** `name@version` → re-check of its staged or production copy (gathered only with scans on). */
  readonly artifactChecks: Readonly<Record<string, ArtifactCheck>> | undefined;
}

export function reachOf(ctx: AssessmentContext, asset: Asset): DataReach {
  return ctx.reach[ctx.graph.indexOf(asset.id)] as DataReach;
}

/** The asset's own classification or, when higher, the highest of everything upstream. */
export function effectiveClassification(ctx: AssessmentContext, asset: Asset): Classification | undefined {
  return classificationFromRank(reachOf(ctx, asset).classification);
}

export function isSensitive(classification: Classification | undefined): boolean {
  return classification !== undefined && classificationRank(classification) >= classificationRank('confidential');
}

export function recordsReachable(ctx: AssessmentContext, asset: Asset): number {
  return recordsOf(ctx.graph, reachOf(ctx, asset));
}

/** Expands an access list to people; `everyone` is the whole organisation. */
export function expandAccess(ctx: AssessmentContext, entries: readonly string[]): { people: Person[]; everyone: boolean; roles: string[] } {
  const out = new Map<string, Person>();
  let everyone = false;
  const roles: string[] = [];
  for (const entry of entries) {
    if (entry === EVERYONE) {
      everyone = true;
      for (const p of ctx.people.values()) out.set(p.id, p);
    } else if (entry.startsWith(ROLE_PREFIX)) {
      const role = entry.slice(ROLE_PREFIX.length);
      roles.push(role);
      for (const p of ctx.peopleByRole.get(role) ?? []) out.set(p.id, p);
    } else {
      const p = ctx.people.get(entry);
      if (p !== undefined) out.set(p.id, p);
    }
  }
  return { people: [...out.values()], everyone, roles };
}

export function findingsAtOrAbove(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => atOrAbove(f.severity, threshold));
}

export function listNames(ids: readonly string[], max = 5): string {
  if (ids.length <= max) return ids.join(', ');
  return `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
