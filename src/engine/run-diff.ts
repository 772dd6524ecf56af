/**
 * What changed between two assessment runs (`warden diff A B`): controls that were fixed or
 * regressed, gaps that opened or closed, findings that appeared or went away, and how the score
 * moved. Pure: no I/O, inputs are not modified, output order is deterministic (most severe
 * first, then by id) so that two diffs of the same runs render identically.
 *
 * A control result is identified by controlId + asset (organisation-wide controls have no
 * asset); a finding by its fingerprint, which ignores line numbers, so a finding that only moved
 * is neither new nor resolved.
 */
import { PILLARS, severityRank } from '../domain/index.js';
import type { AssessmentResult, ControlResult, ControlStatus, Finding, Pillar, Severity } from '../domain/index.js';

export interface ControlChange {
  readonly controlId: string;
  readonly asset?: string;
  /** Undefined when the control was not evaluated in that run (new asset, new control …). */
  readonly before?: ControlStatus;
  readonly after?: ControlStatus;
  /** Severity of the gap: the after-run's when it is a gap there, else the before-run's. */
  readonly severity?: Severity;
}

export interface ScoreDelta {
  readonly before: number;
  readonly after: number;
  /** after − before, rounded to 2 decimals (scores are percentages). */
  readonly delta: number;
}

export interface PillarDelta {
  readonly pillar: Pillar;
  /** Undefined when the pillar has no score in that run. */
  readonly before?: number;
  readonly after?: number;
  /** Only when both runs score the pillar. */
  readonly delta?: number;
}

export interface RunDiff {
  readonly before: { readonly id: string; readonly createdAt: string };
  readonly after: { readonly id: string; readonly createdAt: string };
  readonly score: ScoreDelta;
  readonly pillars: readonly PillarDelta[];
  readonly controls: {
    /** fail/partial → pass. */
    readonly fixed: readonly ControlChange[];
    /** pass → fail/partial. */
    readonly regressed: readonly ControlChange[];
    /** A gap (fail/partial) now that was not a gap before — includes regressions and newly evaluated controls. */
    readonly newGaps: readonly ControlChange[];
    /** A gap before that is not a gap now — includes fixes, and controls no longer evaluated or now pending. */
    readonly resolvedGaps: readonly ControlChange[];
    /** Every control whose status differs, including ones present in only one run. */
    readonly statusChanges: readonly ControlChange[];
  };
  readonly findings: {
    readonly new: readonly Finding[];
    readonly resolved: readonly Finding[];
  };
}

const isGap = (status: ControlStatus | undefined): boolean => status === 'fail' || status === 'partial';

export function diffRuns(before: AssessmentResult, after: AssessmentResult): RunDiff {
  const beforeControls = indexControls(before.controls);
  const afterControls = indexControls(after.controls);
  const keys = new Set([...beforeControls.keys(), ...afterControls.keys()]);

  const fixed: ControlChange[] = [];
  const regressed: ControlChange[] = [];
  const newGaps: ControlChange[] = [];
  const resolvedGaps: ControlChange[] = [];
  const statusChanges: ControlChange[] = [];
  for (const key of keys) {
    const b = beforeControls.get(key);
    const a = afterControls.get(key);
    if (b?.status === a?.status) continue;
    const change = controlChange(b, a);
    statusChanges.push(change);
    if (isGap(b?.status) && a?.status === 'pass') fixed.push(change);
    if (b?.status === 'pass' && isGap(a?.status)) regressed.push(change);
    if (isGap(a?.status) && !isGap(b?.status)) newGaps.push(change);
    if (isGap(b?.status) && !isGap(a?.status)) resolvedGaps.push(change);
  }

  const beforeFindings = indexFindings(before.findings);
  const afterFindings = indexFindings(after.findings);
  const newFindings = [...afterFindings.values()].filter((f) => !beforeFindings.has(f.fingerprint));
  const resolvedFindings = [...beforeFindings.values()].filter((f) => !afterFindings.has(f.fingerprint));

  return {
    before: { id: before.id, createdAt: before.createdAt },
    after: { id: after.id, createdAt: after.createdAt },
    score: { before: before.summary.score, after: after.summary.score, delta: round2(after.summary.score - before.summary.score) },
    pillars: diffPillars(before, after),
    controls: {
      fixed: sortChanges(fixed),
      regressed: sortChanges(regressed),
      newGaps: sortChanges(newGaps),
      resolvedGaps: sortChanges(resolvedGaps),
      statusChanges: sortChanges(statusChanges),
    },
    findings: { new: sortByFinding(newFindings), resolved: sortByFinding(resolvedFindings) },
  };
}

function controlKey(c: Pick<ControlResult, 'controlId' | 'asset'>): string {
  // NUL cannot occur in a control id, so the pair cannot collide with another pair.
  return `${c.controlId}\u0000${c.asset ?? ''}`;
}

/** First result wins if an (invalid) run evaluates the same control on the same asset twice. */
function indexControls(controls: readonly ControlResult[]): Map<string, ControlResult> {
  const map = new Map<string, ControlResult>();
  for (const c of controls) {
    const key = controlKey(c);
    if (!map.has(key)) map.set(key, c);
  }
  return map;
}

/** Same fingerprint twice (the same thing found on two lines) counts once. */
function indexFindings(findings: readonly Finding[]): Map<string, Finding> {
  const map = new Map<string, Finding>();
  for (const f of findings) if (!map.has(f.fingerprint)) map.set(f.fingerprint, f);
  return map;
}

function controlChange(b: ControlResult | undefined, a: ControlResult | undefined): ControlChange {
  const ref = (a ?? b)!;
  const severity = isGap(a?.status) ? a?.severity : isGap(b?.status) ? b?.severity : (a?.severity ?? b?.severity);
  return {
    controlId: ref.controlId,
    ...(ref.asset !== undefined && { asset: ref.asset }),
    ...(b !== undefined && { before: b.status }),
    ...(a !== undefined && { after: a.status }),
    ...(severity !== undefined && { severity }),
  };
}

function diffPillars(before: AssessmentResult, after: AssessmentResult): PillarDelta[] {
  const b = new Map(before.pillars.map((p) => [p.pillar, p.score]));
  const a = new Map(after.pillars.map((p) => [p.pillar, p.score]));
  const out: PillarDelta[] = [];
  for (const pillar of PILLARS) {
    const x = b.get(pillar);
    const y = a.get(pillar);
    if (x === undefined && y === undefined) continue;
    out.push({
      pillar,
      ...(x !== undefined && { before: x }),
      ...(y !== undefined && { after: y }),
      ...(x !== undefined && y !== undefined && { delta: round2(y - x) }),
    });
  }
  return out;
}

function round2(n: number): number {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortChanges(changes: ControlChange[]): ControlChange[] {
  const rank = (c: ControlChange) => (c.severity === undefined ? -1 : severityRank(c.severity));
  return changes.sort(
    (x, y) => rank(y) - rank(x) || compareText(x.controlId, y.controlId) || compareText(x.asset ?? '', y.asset ?? ''),
  );
}

function sortByFinding(findings: Finding[]): Finding[] {
  return findings.sort(
    (x, y) =>
      severityRank(y.severity) - severityRank(x.severity) ||
      compareText(x.ruleId, y.ruleId) ||
      compareText(x.location.path, y.location.path) ||
      compareText(x.fingerprint, y.fingerprint),
  );
}
