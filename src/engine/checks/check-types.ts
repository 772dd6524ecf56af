/**
 * An automated check: a pure function over the assessment context and one asset (or the
 * organisation). The catalog names checks by id; an unknown name is a catalog bug and fails loudly.
 */
import type { Asset, ControlStatus, EvidenceRef, Severity } from '../../domain/index.js';
import type { AssessmentContext } from '../assessment-context.js';

/**
 * Risk categories that the gap ranking puts first, in this order: an exposed development
 * environment is the quickest way in, unencrypted sensitive data the costliest loss, overly broad
 * access the most common way data walks out.
 */
export const PRIORITY_CATEGORIES = [
  'exposed-dev-environment',
  'unencrypted-sensitive-data',
  'overly-broad-access',
  'public-storage',
  'credential-leakage',
  'cross-client-data',
] as const;
export type RiskCategory = (typeof PRIORITY_CATEGORIES)[number];

export interface CheckOutcome {
  readonly status: Exclude<ControlStatus, 'needs-attestation' | 'needs-evidence'>;
  readonly reason: string;
  readonly evidence: readonly EvidenceRef[];
  /** Severity of the gap, when the check knows better than the control's default. */
  readonly severity?: Severity;
  readonly category?: RiskCategory;
}

export type Check = (ctx: AssessmentContext, asset: Asset | undefined) => CheckOutcome;

export function pass(reason: string, evidence: readonly EvidenceRef[] = []): CheckOutcome {
  return { status: 'pass', reason, evidence };
}

export function notApplicable(reason: string): CheckOutcome {
  return { status: 'not-applicable', reason, evidence: [] };
}

export function gap(
  status: 'fail' | 'partial',
  reason: string,
  severity: Severity,
  evidence: readonly EvidenceRef[] = [],
  category?: RiskCategory,
): CheckOutcome {
  return { status, reason, evidence, severity, ...(category !== undefined && { category }) };
}

/** Evidence pointing at a declaration in warden.yaml. */
export function declared(asset: Asset | undefined, field: string, summary: string): EvidenceRef {
  const ref = asset === undefined ? `warden.yaml#${field}` : `warden.yaml#assets[${asset.id}].${field}`;
  return { kind: 'workspace', summary, ref };
}

/** Combines problems found by one check: the worst severity decides, every reason is kept. */
export function worstOf(problems: readonly { reason: string; severity: Severity; status: 'fail' | 'partial'; category?: RiskCategory }[], evidence: readonly EvidenceRef[]): CheckOutcome | undefined {
  if (problems.length === 0) return undefined;
  const rank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  let worst = problems[0] as (typeof problems)[number];
  for (const p of problems) if (rank[p.severity] > rank[worst.severity]) worst = p;
  const status = problems.some((p) => p.status === 'fail') ? 'fail' : 'partial';
  const category = problems.find((p) => p.category !== undefined && p.severity === worst.severity)?.category ?? worst.category;
  return gap(status, problems.map((p) => p.reason).join('; '), worst.severity, evidence, category);
}
