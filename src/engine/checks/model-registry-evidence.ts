/**
 * Model registry records as evidence for the model controls. The CLI reads them from the store
 * (and re-hashes the staged and production copies); here they are only judged, no I/O.
 *
 * Which versions are judged: those in production when there are any, else those in staging, else
 * the latest registered one — what runs, or what would run next. A registry holding no version at
 * all means the registry is not in use yet; the checks then judge declarations as before.
 */
import { atOrAbove, effectiveReviews, modelRef } from '../../domain/index.js';
import type { Asset, EvidenceRef, ModelRegistryEvidence, ModelVersionHistory, PromotionRecord, Severity } from '../../domain/index.js';
import { accessAdmits, modelAccessList } from '../../workspace/index.js';
import type { AssessmentContext, ModelRegistryIndex } from '../assessment-context.js';
import type { RiskCategory } from './check-types.js';

export type Problem = { reason: string; severity: Severity; status: 'fail' | 'partial'; category?: RiskCategory };

/** A registry scan older than this no longer vouches for files scanned with today's rules. */
export const REGISTRY_SCAN_MAX_AGE_DAYS = 90;

export function indexModelRegistry(evidence: ModelRegistryEvidence, assets: readonly Asset[]): ModelRegistryIndex {
  const models = new Set(assets.filter((a) => a.kind === 'model').map((a) => a.id));
  const byAsset = new Map<string, ModelVersionHistory[]>();
  for (const history of evidence.versions) {
    // A version registered before its asset was declared still belongs to it by name.
    const id = history.version.assetId ?? history.version.name;
    if (!models.has(id)) continue;
    const list = byAsset.get(id);
    if (list === undefined) byAsset.set(id, [history]);
    else list.push(history);
  }
  return { byAsset, artifactChecks: evidence.artifactChecks };
}

/** The asset's registry versions; undefined when the registry was not consulted or holds none for it. */
export function registryVersionsOf(ctx: AssessmentContext, asset: Asset): readonly ModelVersionHistory[] | undefined {
  const versions = ctx.modelRegistry?.byAsset.get(asset.id);
  return versions === undefined || versions.length === 0 ? undefined : versions;
}

/** What runs (production), else what is staged, else the latest registration. */
export function judgedVersions(versions: readonly ModelVersionHistory[]): readonly ModelVersionHistory[] {
  const production = versions.filter((h) => h.version.stage === 'production');
  if (production.length > 0) return production;
  const staging = versions.filter((h) => h.version.stage === 'staging');
  if (staging.length > 0) return staging;
  const latest = [...versions].sort((a, b) => b.version.registeredAt.localeCompare(a.version.registeredAt))[0];
  return latest === undefined ? [] : [latest];
}

const refOf = (h: ModelVersionHistory): string => modelRef(h.version.name, h.version.version);

function lastAllowedPromotion(h: ModelVersionHistory): PromotionRecord | undefined {
  return [...h.promotions].reverse().find((p) => p.decision === 'allowed' && p.toStage === h.version.stage);
}

function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

export interface RegistryJudgement {
  readonly problems: Problem[];
  readonly evidence: EvidenceRef[];
  readonly passReason: string;
}

/**
 * Model integrity from the registry: the versions judged are signed and verified against a
 * trusted key; a staged or production version got there through the gate (an allowed promotion
 * is recorded), its copy still matches the registered digests, and (production) its approval
 * stands; a model declared in production has a version that passed the gate into production.
 */
export function registryIntegrity(ctx: AssessmentContext, asset: Asset): RegistryJudgement | undefined {
  const versions = registryVersionsOf(ctx, asset);
  if (versions === undefined) return undefined;
  const production = asset.environment === 'production';
  const problems: Problem[] = [];
  const evidence: EvidenceRef[] = [];
  const passes: string[] = [];
  for (const h of judgedVersions(versions)) {
    const v = h.version;
    const ref = refOf(h);
    const where = `registry:${ref}`;
    const severity: Severity = production || v.stage === 'production' ? 'high' : 'medium';
    if (v.signature === null) {
      problems.push({ reason: `${ref} (${v.stage}) is not signed`, severity, status: 'fail' });
    } else if (v.stage === 'development' && v.signatureCheck.status !== 'verified') {
      problems.push({ reason: `${ref}'s signature did not verify against a trusted key when registered (${v.signatureCheck.status})`, severity, status: 'fail' });
    }
    evidence.push({ kind: 'registry', summary: `${ref} in ${v.stage}; signature at registration: ${v.signatureCheck.status}`, ref: where });
    if (v.stage === 'development') {
      if (v.signatureCheck.status === 'verified') passes.push(`${ref}: signature verified with trusted key ${v.signatureCheck.keyId ?? '?'}`);
      continue;
    }
    const promotion = lastAllowedPromotion(h);
    if (promotion === undefined) {
      problems.push({ reason: `${ref} is in ${v.stage} without a recorded allowed promotion: it did not pass the deployment gate`, severity: 'high', status: 'fail' });
      continue;
    }
    const signatureCheck = promotion.checks.find((c) => c.id === 'signature');
    evidence.push({ kind: 'registry', summary: `promoted to ${v.stage} on ${promotion.at.slice(0, 10)} by ${promotion.by}: ${signatureCheck?.detail ?? 'gate passed'}`, ref: `${where}#promotion-${promotion.id}` });
    const artifact = ctx.modelRegistry?.artifactChecks?.[ref];
    if (artifact !== undefined) {
      evidence.push({ kind: 'registry', summary: artifact.detail, ref: artifact.path });
      if (!artifact.ok) problems.push({ reason: `${ref}: ${artifact.detail}`, severity: v.stage === 'production' ? 'critical' : 'high', status: 'fail' });
    }
    if (v.stage === 'production') {
      const inForce = effectiveReviews(h.reviews);
      const rejected = inForce.filter((r) => r.decision === 'rejected');
      const approvals = inForce.filter((r) => r.decision === 'approved' && r.by !== promotion.by && ctx.people.get(r.by)?.active !== false && ctx.people.has(r.by));
      for (const r of rejected) problems.push({ reason: `${ref} runs in production but its security review was rejected by ${r.by} on ${r.at.slice(0, 10)}`, severity: 'high', status: 'fail' });
      if (approvals.length === 0) problems.push({ reason: `${ref} runs in production without a standing approval by someone other than its promoter ${promotion.by}`, severity: 'high', status: 'fail' });
      else evidence.push({ kind: 'registry', summary: `security review approved by ${approvals.map((r) => r.by).join(', ')}`, ref: where });
    }
    passes.push(`${ref} in ${v.stage} through the gate on ${promotion.at.slice(0, 10)} (${signatureCheck?.detail ?? 'signature verified'})${artifact?.ok === true ? '; copy matches its registered digests' : ''}`);
  }
  if (production && !versions.some((h) => h.version.stage === 'production')) {
    const latest = judgedVersions(versions)[0];
    problems.push({
      reason: `declared in production, but no registered version has passed the deployment gate into production${latest === undefined ? '' : ` (most advanced: ${refOf(latest)} in ${latest.version.stage})`}`,
      severity: 'high',
      status: 'fail',
    });
  }
  return { problems, evidence, passReason: passes.join('; ') };
}

export interface RegistryScanJudgement {
  readonly status: 'pass' | 'fail' | 'partial' | 'needs-evidence';
  readonly reason: string;
  readonly severity?: Severity;
  readonly evidence: EvidenceRef[];
}

/** Model vulnerability from the registry: the latest recorded scan of each judged version. */
export function registryScan(ctx: AssessmentContext, asset: Asset, failOn: Severity): RegistryScanJudgement | undefined {
  const versions = registryVersionsOf(ctx, asset);
  if (versions === undefined) return undefined;
  const evidence: EvidenceRef[] = [];
  const fails: { reason: string; severity: Severity }[] = [];
  const partials: string[] = [];
  const pending: string[] = [];
  const clean: string[] = [];
  for (const h of judgedVersions(versions)) {
    const ref = refOf(h);
    const scan = h.scans[h.scans.length - 1];
    if (scan === undefined) {
      pending.push(`${ref} has no recorded scan ('warden model scan ${ref}')`);
      continue;
    }
    const day = scan.scannedAt.slice(0, 10);
    evidence.push({ kind: 'registry:scan', summary: `${scan.trigger} scan of ${ref} on ${day}: ${scan.error ?? `${scan.counts.critical} critical, ${scan.counts.high} high, ${scan.counts.medium} medium`}`, ref: `registry:${ref}#scan-${scan.id}` });
    if (scan.error !== null) {
      pending.push(`the latest scan of ${ref} failed (${scan.error})`);
      continue;
    }
    const failing = scan.findings.filter((f) => atOrAbove(f.severity, failOn));
    if (scan.highest !== null && atOrAbove(scan.highest, failOn)) {
      const rules = [...new Set(failing.map((f) => f.ruleId))].slice(0, 3);
      fails.push({ reason: `the latest scan of ${ref} (${day}) found ${failing.length || 'some'} problem(s) at or above ${failOn}${rules.length > 0 ? ` (${rules.join(', ')})` : ''}`, severity: scan.highest });
      for (const f of failing.slice(0, 3)) evidence.push({ kind: 'registry:scan', summary: `${f.severity}: ${f.message}`, ref: f.path });
      continue;
    }
    const age = daysBetween(scan.scannedAt, ctx.today);
    if (age > REGISTRY_SCAN_MAX_AGE_DAYS) partials.push(`the latest scan of ${ref} is ${age} days old; rescan with 'warden model scan ${ref}'`);
    else clean.push(`${ref} scanned on ${day}: nothing at or above ${failOn}`);
  }
  if (fails.length > 0) {
    const rank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
    const worst = fails.reduce((a, b) => (rank[b.severity] > rank[a.severity] ? b : a));
    return { status: 'fail', reason: fails.map((f) => f.reason).join('; '), severity: worst.severity, evidence };
  }
  if (partials.length > 0) return { status: 'partial', reason: partials.join('; '), severity: 'low', evidence };
  if (pending.length > 0) return { status: 'needs-evidence', reason: pending.join('; '), evidence };
  return { status: 'pass', reason: clean.join('; '), evidence };
}

/**
 * Model access from the workspace's model permissions and the registry: `everyone` may not
 * export or promote, leavers are not named, a model that runs somewhere says who may promote it,
 * and versions in production were promoted by someone the promote list still admits.
 */
export function modelPermissionProblems(ctx: AssessmentContext, asset: Asset, sensitivity: Severity): { problems: Problem[]; evidence: EvidenceRef[] } {
  const problems: Problem[] = [];
  const evidence: EvidenceRef[] = [];
  const declared = asset.controls?.model_access;
  for (const permission of ['read', 'export', 'promote', 'review'] as const) {
    const entries = declared?.[permission];
    if (entries === undefined) continue;
    evidence.push({ kind: 'workspace', summary: `${permission}: ${entries.join(', ') || 'nobody'}`, ref: `warden.yaml#assets[${asset.id}].controls.model_access.${permission}` });
    // read and export are judged with the asset's access list (they fall back to it).
    if ((permission === 'promote' || permission === 'review') && entries.includes('everyone')) {
      problems.push({ reason: `everyone may ${permission} the model`, severity: permission === 'promote' ? 'high' : sensitivity, status: 'fail', category: 'overly-broad-access' });
    }
    const leavers = entries.filter((e) => ctx.people.get(e)?.active === false);
    if (leavers.length > 0) problems.push({ reason: `${leavers.join(', ')} left but may still ${permission} the model`, severity: 'medium', status: 'fail' });
  }
  const runs = asset.kind === 'model' && (asset.environment === 'production' || asset.environment === 'staging');
  if (runs && declared?.promote === undefined) {
    problems.push({ reason: 'who may promote the model is not declared (controls.model_access.promote): no version can pass the deployment gate', severity: 'low', status: 'partial' });
  }
  const versions = registryVersionsOf(ctx, asset) ?? [];
  const promote = modelAccessList(asset, 'promote').entries;
  for (const h of versions) {
    if (h.version.stage === 'development') continue;
    const promotion = lastAllowedPromotion(h);
    if (promotion === undefined) continue;
    const person = ctx.people.get(promotion.by);
    if (person === undefined || promote === undefined || !accessAdmits(promote, person)) {
      problems.push({ reason: `${refOf(h)} was promoted to ${h.version.stage} by ${promotion.by}, who may not (or no longer) promote it`, severity: 'medium', status: 'partial' });
    }
  }
  return { problems, evidence };
}
