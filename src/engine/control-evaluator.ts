/**
 * Evaluating one control for one asset (or for the organisation): run each of the control's
 * evaluations — checks, evidence, attestations — and combine them. Combination is pessimistic:
 * any failure fails the control, and a pass with some evidence still missing is only partial.
 */
import { WardenError, sizeProfileRank, sortFindings } from '../domain/index.js';
import type { Asset, Control, ControlEvaluation, ControlResult, EvidenceRef, Severity } from '../domain/index.js';
import { findingsAtOrAbove, listNames, plural } from './assessment-context.js';
import type { AssessmentContext } from './assessment-context.js';
import { DATA_CHECKS } from './checks/data-checks.js';
import { ORGANISATION_CHECKS } from './checks/organisation-checks.js';
import { SYSTEM_CHECKS } from './checks/system-checks.js';
import type { Check, RiskCategory } from './checks/check-types.js';
import { registryScan } from './checks/model-registry-evidence.js';

/** The model scanner's evidence kind, which registry scans also provide. */
const MODEL_SCAN_EVIDENCE = 'scan:models';

export const CHECKS: Readonly<Record<string, Check>> = { ...DATA_CHECKS, ...SYSTEM_CHECKS, ...ORGANISATION_CHECKS };

/** A control result whose category is one of the engine's risk categories. */
export interface EvaluatedControl extends ControlResult {
  readonly category?: RiskCategory | undefined;
}

interface Partial {
  readonly status: ControlResult['status'];
  readonly reason: string;
  readonly evidence: readonly EvidenceRef[];
  readonly severity?: Severity;
  readonly category?: RiskCategory;
}

/** Catalog and engine must agree on check names; fail at start-up rather than mid-assessment. */
export function assertChecksExist(controls: readonly Control[]): void {
  for (const control of controls) {
    for (const e of control.evaluation) {
      if (e.type === 'check' && CHECKS[e.check] === undefined) {
        throw new WardenError('CATALOG_INVALID', `Control ${control.id} names unknown check "${e.check}".`);
      }
    }
  }
}

function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function evaluateAttestation(ctx: AssessmentContext, control: Control, asset: Asset | undefined, intervalDays: number): Partial {
  const candidates = ctx.workspace.attestations
    .filter((a) => a.control === control.id && (a.assets === undefined || (asset !== undefined && a.assets.includes(asset.id))))
    .filter((a) => a.on <= ctx.today)
    .sort((a, b) => b.on.localeCompare(a.on));
  const latest = candidates[0];
  if (latest === undefined) {
    return { status: 'needs-attestation', reason: `no attestation recorded (re-attest every ${intervalDays} days)`, evidence: [] };
  }
  const by = ctx.people.get(latest.by);
  const evidence: EvidenceRef[] = [
    { kind: 'attestation', summary: `attested by ${by?.name ?? latest.by} on ${latest.on}${latest.note ? `: ${latest.note}` : ''}`, ...(latest.evidence !== undefined && { ref: latest.evidence }) },
  ];
  const age = daysBetween(latest.on, ctx.today);
  if (age > intervalDays) {
    return { status: 'needs-attestation', reason: `attestation of ${latest.on} is ${age} days old; it must be renewed every ${intervalDays} days`, evidence };
  }
  if (by?.active === false) {
    return { status: 'needs-attestation', reason: `attested by ${latest.by}, who is no longer active`, evidence };
  }
  return { status: 'pass', reason: `attested on ${latest.on} by ${latest.by}`, evidence };
}

/** Scanner rules that prove a service or notebook is open to anyone who can reach it. */
const EXPOSURE_RULE = /^(?:iac\/(?:ingress-open-ai-port|jupyter-no-auth|compose-ai-port-all-interfaces|k8s-exposed-ai-service|sagemaker-direct-internet|vertex-workbench-public-ip|azureml-public-network)|probe\/.*unauthenticated)/;
const PUBLIC_STORAGE_RULE = /^iac\/storage-public-(?:acl|policy|network)$/;

/**
 * The risk category that puts a scanner-proven gap where it belongs in the ranking: a proven
 * open door ranks with the exposed development environments, a public bucket with public
 * storage, a leaked credential with credential leakage. Personal data found by the secrets
 * scanner is data exposure, not a leaked credential.
 */
function categoryOfFindings(kind: string, failing: readonly { ruleId: string }[]): RiskCategory | undefined {
  if (failing.some((f) => EXPOSURE_RULE.test(f.ruleId))) return 'exposed-dev-environment';
  if (failing.some((f) => PUBLIC_STORAGE_RULE.test(f.ruleId))) return 'public-storage';
  if (kind === 'scan:secrets' && failing.some((f) => !f.ruleId.startsWith('secrets/pii-'))) return 'credential-leakage';
  return undefined;
}

function optionalCategory(category: RiskCategory | undefined): { category?: RiskCategory } {
  return category === undefined ? {} : { category };
}

function evaluateEvidence(ctx: AssessmentContext, control: Control, asset: Asset | undefined, kind: string, failOn: Severity): Partial {
  if (!ctx.evidenceProviders.has(kind)) {
    return { status: 'needs-evidence', reason: `no installed scanner provides ${kind} evidence`, evidence: [] };
  }
  if (asset === undefined) return { status: 'not-applicable', reason: `${kind} evidence is per asset`, evidence: [] };
  const byAsset = ctx.evidence.get(kind);
  const found = byAsset?.get(asset.id);
  if (found === undefined) {
    if (!ctx.scanned && ctx.plannedEvidence.get(kind)?.has(asset.id) === true) {
      return { status: 'needs-evidence', reason: `${kind} was not run (scans were turned off)`, evidence: [] };
    }
    // The scanner had nothing to examine for this asset (a remote URI for a file scanner; no
    // opt-in for live probes): the control is judged by its other evaluations.
    return { status: 'not-applicable', reason: `no ${kind} evidence for this asset`, evidence: [] };
  }
  if (found.error !== undefined) return { status: 'needs-evidence', reason: `${found.scanner} scan failed: ${found.error}`, evidence: [] };
  const relevant = found.findings.filter((f) => f.controls === undefined || f.controls.includes(control.id));
  const failing = sortFindings(findingsAtOrAbove(relevant, failOn));
  const summary = `${found.scanner} scan: ${plural(relevant.length, 'finding')}${found.unscannable ? `, ${found.unscannable} unscannable` : ''}`;
  const evidence: EvidenceRef[] = [{ kind, summary }];
  for (const f of failing.slice(0, 5)) {
    evidence.push({ kind, summary: `${f.severity}: ${f.message}`, ref: `${f.location.path}${f.location.line ? `:${f.location.line}` : ''}` });
  }
  if (failing.length > 0) {
    const worst = failing[0]?.severity ?? failOn;
    const rules = [...new Set(failing.map((f) => f.ruleId))];
    return {
      status: 'fail',
      reason: `${found.scanner} found ${plural(failing.length, 'problem')} at or above ${failOn} (${listNames(rules, 3)})`,
      evidence,
      severity: worst,
      ...optionalCategory(categoryOfFindings(kind, failing)),
    };
  }
  if (found.linkedOnly === true) {
    // Findings from another asset's scan can prove a problem here, never its absence.
    return { status: 'not-applicable', reason: `no ${kind} finding about this asset at or above ${failOn}`, evidence: [] };
  }
  if (found.unscannable > 0) {
    return { status: 'partial', reason: `${plural(found.unscannable, 'input')} could not be scanned`, evidence, severity: 'low' };
  }
  return { status: 'pass', reason: relevant.length ? `no ${kind} finding at or above ${failOn} (${relevant.length} lower)` : `${kind}: clean`, evidence };
}

function evaluateOne(ctx: AssessmentContext, control: Control, asset: Asset | undefined, e: ControlEvaluation): Partial {
  switch (e.type) {
    case 'check': {
      const check = CHECKS[e.check] as Check;
      return check(ctx, asset);
    }
    case 'evidence': {
      const scanned = evaluateEvidence(ctx, control, asset, e.evidence, e.fail_on);
      if (e.evidence !== MODEL_SCAN_EVIDENCE || asset === undefined) return scanned;
      // The registry's latest scan of the versions that run (or would run next) is evidence too.
      const registry = registryScan(ctx, asset, e.fail_on);
      if (registry === undefined) return scanned;
      const fromRegistry: Partial = { status: registry.status, reason: registry.reason, evidence: registry.evidence, ...(registry.severity !== undefined && { severity: registry.severity }) };
      if (scanned.status === 'not-applicable' || scanned.status === 'needs-evidence') return fromRegistry;
      return combine([scanned, fromRegistry]);
    }
    case 'attestation':
      return evaluateAttestation(ctx, control, asset, e.review_interval_days);
  }
}

const RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

function combine(parts: readonly Partial[]): Partial {
  const active = parts.filter((p) => p.status !== 'not-applicable');
  if (active.length === 0) return parts[0] ?? { status: 'not-applicable', reason: 'nothing to evaluate', evidence: [] };
  const evidence = active.flatMap((p) => p.evidence);
  const gaps = active.filter((p) => p.status === 'fail' || p.status === 'partial');
  const pending = active.filter((p) => p.status === 'needs-attestation' || p.status === 'needs-evidence');
  const reason = active.filter((p) => p.status !== 'pass' || active.length === 1).map((p) => p.reason).join('; ') || active.map((p) => p.reason).join('; ');
  if (gaps.length > 0) {
    let worst = gaps[0] as Partial;
    for (const g of gaps) if (RANK[g.severity ?? 'low'] > RANK[worst.severity ?? 'low']) worst = g;
    const status = gaps.some((g) => g.status === 'fail') ? 'fail' : 'partial';
    const category = gaps.find((g) => g.category !== undefined)?.category;
    return { status, reason, evidence, severity: worst.severity ?? 'medium', ...(category !== undefined && { category }) };
  }
  if (pending.length > 0 && pending.length < active.length) {
    return { status: 'partial', reason, evidence, severity: 'low' };
  }
  if (pending.length > 0) return { status: (pending[0] as Partial).status, reason, evidence };
  return { status: 'pass', reason, evidence };
}

/** Exceptions accept a risk for one asset until they expire; the gap stays visible, at low severity. */
function applyException(ctx: AssessmentContext, control: Control, asset: Asset | undefined, result: Partial): Partial {
  if (asset === undefined || (result.status !== 'fail' && result.status !== 'partial')) return result;
  const exception = ctx.workspace.exceptions.find((x) => x.control === control.id && x.asset === asset.id);
  if (exception === undefined) return result;
  if (exception.expires_on < ctx.today) {
    return { ...result, reason: `${result.reason} (exception approved by ${exception.approved_by} expired on ${exception.expires_on})` };
  }
  return {
    status: 'partial',
    reason: `accepted risk until ${exception.expires_on}, approved by ${exception.approved_by}: ${exception.reason} — ${result.reason}`,
    evidence: [...result.evidence, { kind: 'exception', summary: `approved by ${exception.approved_by} until ${exception.expires_on}` }],
    severity: 'low',
  };
}

/**
 * Results are built with one fixed set of keys (undefined where absent; JSON leaves those out) so
 * that the hundreds of thousands of them in a large assessment share one object shape.
 */
export function evaluateControl(ctx: AssessmentContext, control: Control, asset: Asset | undefined): EvaluatedControl {
  if (sizeProfileRank(ctx.sizeProfile) < sizeProfileRank(control.min_size)) {
    return result(control, asset, { status: 'not-applicable', reason: `required from size profile ${control.min_size} (organisation is ${ctx.sizeProfile})`, evidence: [] });
  }
  return result(control, asset, applyException(ctx, control, asset, combine(control.evaluation.map((e) => evaluateOne(ctx, control, asset, e)))));
}

function result(control: Control, asset: Asset | undefined, p: Partial): EvaluatedControl {
  const gap = p.status === 'fail' || p.status === 'partial';
  return {
    controlId: control.id,
    asset: asset?.id,
    status: p.status,
    reason: p.reason,
    evidence: p.evidence,
    severity: gap ? p.severity : undefined,
    category: gap ? p.category : undefined,
  };
}

/** Default severity of a gap with no check-specific severity (pending evidence or attestation). */
export function pendingSeverity(control: Control): Severity {
  return control.weight >= 3 ? 'medium' : 'low';
}
