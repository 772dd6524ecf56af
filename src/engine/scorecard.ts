/**
 * From control results to what a reader acts on: gaps ranked by risk, scores per pillar, and the
 * month-by-month roadmap for the organisation's size profile.
 *
 * Ranking: severity sets the base, and three kinds of gap are lifted to the top on purpose —
 * exposed development environments, unencrypted sensitive data and overly broad access — because
 * they are how AI agencies actually lose client data. Sensitivity, record count, the number of
 * clients affected and internet exposure break ties.
 */
import { PILLARS, ROADMAP_MONTHS, classificationRank, severityRank } from '../domain/index.js';
import type {
  AssessmentSummary,
  BlastRadius,
  Control,
  Gap,
  PillarScore,
  RoadmapMonthPlan,
  Severity,
  SizeProfile,
} from '../domain/index.js';
import { sizeProfileRank } from '../domain/index.js';
import type { RiskCategory } from './checks/check-types.js';
import { pendingSeverity } from './control-evaluator.js';
import type { EvaluatedControl } from './control-evaluator.js';

const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { critical: 100, high: 60, medium: 30, low: 10, info: 0 };
const CATEGORY_POINTS: Readonly<Record<RiskCategory, number>> = {
  'exposed-dev-environment': 200,
  'unencrypted-sensitive-data': 150,
  'overly-broad-access': 100,
  'public-storage': 90,
  'credential-leakage': 80,
  'cross-client-data': 70,
};

export interface RankInput {
  readonly result: EvaluatedControl;
  readonly control: Control;
  readonly radius?: BlastRadius;
  readonly internet: boolean;
}

export function gapSeverity(result: EvaluatedControl, control: Control): Severity {
  if (result.status === 'needs-attestation' || result.status === 'needs-evidence') return pendingSeverity(control);
  return result.severity ?? 'medium';
}

export function riskOf(input: RankInput): number {
  const { result, control, radius } = input;
  const severity = gapSeverity(result, control);
  let risk = SEVERITY_POINTS[severity] + control.weight * 5;
  if (result.category !== undefined && (result.status === 'fail' || result.status === 'partial') && severityRank(severity) >= severityRank('medium')) {
    risk += CATEGORY_POINTS[result.category];
  }
  if (radius !== undefined) {
    if (radius.highestClassification !== undefined) risk += [0, 5, 10, 20][classificationRank(radius.highestClassification)] ?? 0;
    risk += Math.min(20, Math.round(2 * Math.log10(radius.records + 1)));
    risk += Math.min(20, radius.clients.length * 5);
  }
  if (input.internet) risk += 15;
  return risk;
}

export function isGap(result: EvaluatedControl): boolean {
  return result.status === 'fail' || result.status === 'partial' || result.status === 'needs-attestation' || result.status === 'needs-evidence';
}

export interface ScoredGap {
  readonly input: RankInput;
  readonly risk: number;
}

export function rankGaps(scored: ScoredGap[]): Gap[] {
  const ranked = scored.map(({ input, risk }) => ({ i: input, risk, severity: gapSeverity(input.result, input.control) }));
  ranked.sort((a, b) => b.risk - a.risk || severityRank(b.severity) - severityRank(a.severity) || byCode(a.i.control.id, b.i.control.id) || byCode(a.i.result.asset ?? '', b.i.result.asset ?? ''));
  return ranked.map(({ i, risk, severity }, index) => ({
    rank: index + 1,
    controlId: i.control.id,
    title: i.control.title,
    pillar: i.control.pillar,
    ...(i.result.asset !== undefined && { asset: i.result.asset }),
    severity,
    risk,
    reason: statusPrefix(i.result) + i.result.reason,
    remediation: i.control.remediation,
    ...(i.result.category !== undefined && { category: i.result.category }),
    roadmapMonth: i.control.roadmap_month,
    ...(i.radius !== undefined && { blastRadius: { clients: i.radius.clients, records: i.radius.records } }),
  }));
}

function statusPrefix(result: EvaluatedControl): string {
  if (result.status === 'needs-attestation') return 'Attestation needed: ';
  if (result.status === 'needs-evidence') return 'Evidence needed: ';
  return '';
}

/** Code-point order: deterministic and much cheaper than localeCompare on large lists. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function pillarScores(results: readonly EvaluatedControl[], controls: ReadonlyMap<string, Control>): PillarScore[] {
  // One pass over the results (there can be hundreds of thousands), counting into each pillar.
  const tally = new Map(PILLARS.map((p) => [p, { passed: 0, failed: 0, partial: 0, pending: 0 }]));
  for (const r of results) {
    const pillar = controls.get(r.controlId)?.pillar;
    const t = pillar === undefined ? undefined : tally.get(pillar);
    if (t === undefined) continue;
    if (r.status === 'pass') t.passed += 1;
    else if (r.status === 'fail') t.failed += 1;
    else if (r.status === 'partial') t.partial += 1;
    else if (r.status === 'needs-attestation' || r.status === 'needs-evidence') t.pending += 1;
  }
  return PILLARS.map((pillar) => {
    const t = tally.get(pillar) ?? { passed: 0, failed: 0, partial: 0, pending: 0 };
    return { pillar, score: scoreOf(t.passed, t.failed, t.partial, t.pending), ...t };
  });
}

/** Pending evidence counts against the score: what cannot be shown is not yet in place. */
function scoreOf(passed: number, failed: number, partial: number, pending: number): number {
  const total = passed + failed + partial + pending;
  if (total === 0) return 100;
  return Math.round(((passed + partial / 2) / total) * 1000) / 10;
}

export function summarise(results: readonly EvaluatedControl[], gaps: readonly Gap[], assets: number): AssessmentSummary {
  let passed = 0;
  let failed = 0;
  let partial = 0;
  let pending = 0;
  let evaluated = 0;
  for (const r of results) {
    if (r.status === 'not-applicable') continue;
    evaluated += 1;
    if (r.status === 'pass') passed += 1;
    else if (r.status === 'fail') failed += 1;
    else if (r.status === 'partial') partial += 1;
    else pending += 1;
  }
  const gapsBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const g of gaps) gapsBySeverity[g.severity] += 1;
  return { assets, controlsEvaluated: evaluated, passed, failed, partial, pending, gapsBySeverity, score: scoreOf(passed, failed, partial, pending) };
}

export function buildRoadmap(catalog: readonly Control[], results: readonly EvaluatedControl[], size: SizeProfile): RoadmapMonthPlan[] {
  const byControl = new Map<string, EvaluatedControl[]>();
  for (const r of results) {
    const list = byControl.get(r.controlId);
    if (list === undefined) byControl.set(r.controlId, [r]);
    else list.push(r);
  }
  return ROADMAP_MONTHS.map((month) => {
    const items = catalog
      .filter((c) => c.roadmap_month === month && sizeProfileRank(size) >= sizeProfileRank(c.min_size))
      .map((c) => {
        const rs = (byControl.get(c.id) ?? []).filter((r) => r.status !== 'not-applicable');
        const open = rs.filter(isGap).length;
        return { controlId: c.id, title: c.title, done: open === 0, open, total: rs.length };
      });
    return { month, items, done: items.filter((i) => i.done).length, total: items.length };
  });
}
