/**
 * What every renderer derives from a document before formatting it: the merged view of a scan,
 * the full finding list of an assessment, control titles and pillars, and shared wording.
 * Renderers stay thin so the five formats cannot drift apart in what they say.
 */
import { createHash } from 'node:crypto';
import { PILLARS, atOrAbove, countBySeverity, sortFindings } from '../domain/index.js';
import type {
  AssessmentResult,
  AssetAssessment,
  BlastRadius,
  ControlResult,
  Finding,
  FindingLocation,
  Pillar,
  RuleDescriptor,
  Severity,
  Unscannable,
} from '../domain/index.js';
import type { ScanDocument } from './report-types.js';

/** How many gaps the terminal and Markdown reports list before "… and K more". */
export const TOP_GAPS = 10;

export interface ScanView {
  readonly scanner: string;
  readonly findings: readonly Finding[];
  readonly counts: Readonly<Record<Severity, number>>;
  readonly scanned: number;
  readonly unscannable: readonly Unscannable[];
  readonly stats: Readonly<Record<string, number>>;
  /** Earliest start of the merged results, absent when there were none. */
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly failOn?: Severity;
  /** Findings at or above `failOn` (0 without a threshold): non-zero means exit code 1. */
  readonly failing: number;
}

/** Merges the results of one scanner over several targets into one view. */
export function scanView(doc: ScanDocument): ScanView {
  const findings = sortFindings(doc.results.flatMap((r) => r.findings));
  const stats: Record<string, number> = {};
  for (const result of doc.results) {
    for (const [key, value] of Object.entries(result.stats ?? {})) stats[key] = (stats[key] ?? 0) + value;
  }
  const starts = doc.results.map((r) => r.startedAt).sort();
  const failOn = doc.failOn;
  return {
    scanner: doc.scanner,
    findings,
    counts: countBySeverity(findings),
    scanned: doc.results.reduce((sum, r) => sum + r.scanned, 0),
    unscannable: doc.results.flatMap((r) => r.unscannable),
    stats,
    ...(starts[0] !== undefined && { startedAt: starts[0] }),
    durationMs: doc.results.reduce((sum, r) => sum + r.durationMs, 0),
    ...(failOn !== undefined && { failOn }),
    failing: failOn === undefined ? 0 : findings.filter((f) => atOrAbove(f.severity, failOn)).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Controls

const CONTROL_ID = /^WD-[A-Z]+-\d{2}$/;
const CONTROL_RULE_PREFIX = 'control/';

/** The control id a finding's rule stands for (`control/WD-DATA-03` or `WD-DATA-03`), if any. */
export function controlIdOf(ruleId: string): string | undefined {
  const id = ruleId.startsWith(CONTROL_RULE_PREFIX) ? ruleId.slice(CONTROL_RULE_PREFIX.length) : ruleId;
  return CONTROL_ID.test(id) ? id : undefined;
}

export function controlRuleId(controlId: string): string {
  return `${CONTROL_RULE_PREFIX}${controlId}`;
}

/** Catalog id prefixes (src/catalog/data/controls.yaml); gaps name the pillar when they exist. */
const PILLAR_BY_PREFIX: Readonly<Record<string, Pillar>> = {
  DATA: 'data',
  MODEL: 'models',
  INFRA: 'infrastructure',
  PEOPLE: 'people',
  COMP: 'compliance',
};

export function pillarOfControl(controlId: string, result: AssessmentResult): Pillar | undefined {
  const gap = result.gaps.find((g) => g.controlId === controlId);
  if (gap !== undefined) return gap.pillar;
  const prefix = /^WD-([A-Z]+)-/.exec(controlId)?.[1];
  return prefix === undefined ? undefined : PILLAR_BY_PREFIX[prefix];
}

/** Control id → title, from the rules given, the gaps and the roadmap (whichever names it). */
export function controlTitles(result: AssessmentResult, rules: readonly RuleDescriptor[] = []): Map<string, string> {
  const titles = new Map<string, string>();
  for (const month of result.roadmap) for (const item of month.items) titles.set(item.controlId, item.title);
  for (const gap of result.gaps) titles.set(gap.controlId, gap.title);
  for (const rule of rules) {
    const id = controlIdOf(rule.id);
    if (id !== undefined) titles.set(id, rule.title);
  }
  return titles;
}

/** Controls grouped by pillar in catalog order; controls of no known pillar come last as `other`. */
export function controlsByPillar(result: AssessmentResult): Array<{ pillar: Pillar | 'other'; controls: ControlResult[] }> {
  const groups = new Map<Pillar | 'other', ControlResult[]>();
  for (const control of result.controls) {
    const pillar = pillarOfControl(control.controlId, result) ?? 'other';
    const list = groups.get(pillar) ?? [];
    list.push(control);
    groups.set(pillar, list);
  }
  const order: Array<Pillar | 'other'> = [...PILLARS, 'other'];
  return order
    .filter((p) => groups.has(p))
    .map((pillar) => ({
      pillar,
      controls: (groups.get(pillar) ?? []).sort(
        (a, b) => a.controlId.localeCompare(b.controlId) || (a.asset ?? '').localeCompare(b.asset ?? ''),
      ),
    }));
}

// ---------------------------------------------------------------------------------------------
// Findings of an assessment

/** Same scheme as `fingerprintOf` in src/scanners (test/reports checks they agree). */
function fingerprint(parts: readonly (string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part ?? '');
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * Every finding of an assessment, most severe first. The engine puts a finding for each failed
 * control into `result.findings` (rule `control/WD-…`, key `WD-…|asset`); a failed or partial
 * control without one (an older stored run, a hand-built result) gets one here with the same
 * rule id and fingerprint scheme, so a gap is never missing from SARIF or JSON.
 */
export function assessmentFindings(result: AssessmentResult): Finding[] {
  const covered = new Set<string>();
  for (const finding of result.findings) {
    const id = controlIdOf(finding.ruleId);
    if (id !== undefined) covered.add(`${id}\u0000${finding.asset ?? ''}`);
  }
  const gapByKey = new Map(result.gaps.map((g) => [`${g.controlId}\u0000${g.asset ?? ''}`, g]));
  const extra: Finding[] = [];
  for (const control of result.controls) {
    if (control.status !== 'fail' && control.status !== 'partial') continue;
    const key = `${control.controlId}\u0000${control.asset ?? ''}`;
    if (covered.has(key)) continue;
    covered.add(key);
    const gap = gapByKey.get(key);
    const ruleId = controlRuleId(control.controlId);
    const path = 'warden.yaml';
    extra.push({
      ruleId,
      severity: control.severity ?? gap?.severity ?? 'medium',
      message: control.reason,
      location: { path },
      source: 'assessment',
      fingerprint: fingerprint(['assessment', ruleId, control.asset, path, undefined, `${control.controlId}|${control.asset ?? ''}`]),
      ...(control.asset !== undefined && { asset: control.asset }),
      ...(control.evidence[0] !== undefined && { evidence: control.evidence.map((e) => e.summary).join('; ') }),
      ...(gap !== undefined && { remediation: gap.remediation }),
      controls: [control.controlId],
      properties: { status: control.status },
    });
  }
  return sortFindings([...result.findings, ...extra]);
}

/**
 * The rule descriptors a finding list needs: those given, in their order, then one per rule id
 * that no descriptor covers (control rules take the control's title; others their own id).
 */
export function completeRules(
  findings: readonly Finding[],
  given: readonly RuleDescriptor[],
  titles: ReadonlyMap<string, string> = new Map(),
): RuleDescriptor[] {
  const rules: RuleDescriptor[] = [];
  const seen = new Set<string>();
  for (const rule of given) {
    if (seen.has(rule.id)) continue;
    seen.add(rule.id);
    rules.push(rule);
  }
  for (const finding of findings) {
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    const controlId = controlIdOf(finding.ruleId);
    rules.push({
      id: finding.ruleId,
      title: (controlId !== undefined ? titles.get(controlId) : undefined) ?? finding.ruleId,
      severity: finding.severity,
      ...(finding.remediation !== undefined && { remediation: finding.remediation }),
      ...(controlId !== undefined && { controls: [controlId] }),
    });
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Wording shared by the human-readable formats

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** 1234 → "1,234"; 1_250_000 → "1.3M": records are read at a glance, not audited. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '?';
  if (Math.abs(value) >= 1_000_000_000) return `${(value / 1_000_000_000).toFixed(1)}B`;
  if (Math.abs(value) >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  return value.toLocaleString('en-US');
}

export function formatRecords(records: number, lowerBound: boolean): string {
  return `${lowerBound ? '≥ ' : ''}${formatCount(records)} ${records === 1 ? 'record' : 'records'}`;
}

/** One line about a blast radius: clients, records, reachable assets, highest classification. */
export function blastRadiusLine(blast: BlastRadius): string {
  const parts = [
    plural(blast.clients.length, 'client'),
    formatRecords(blast.records, blast.recordsLowerBound),
    plural(blast.dataSourceCount, 'data source'),
  ];
  if (blast.downstreamCount > 0) parts.push(`${blast.downstreamLowerBound ? '≥ ' : ''}${blast.downstreamCount} downstream`);
  if (blast.highestClassification !== undefined) parts.push(blast.highestClassification);
  return parts.join(', ');
}

export function gapBlastLine(blast: { readonly clients: readonly string[]; readonly records: number } | undefined): string {
  if (blast === undefined) return '';
  return `${plural(blast.clients.length, 'client')}, ${formatRecords(blast.records, false)}`;
}

export function locationText(location: FindingLocation): string {
  const base = location.url ?? location.path;
  const member = location.member !== undefined ? `!${location.member}` : '';
  const line = location.line !== undefined && location.line >= 1 ? `:${location.line}` : '';
  return `${base}${member}${line}`;
}

/** An asset "has problems" when any of its five answers is not good, or any gap names it. */
export function assetHasProblems(asset: AssetAssessment, result: AssessmentResult): boolean {
  return asset.answers.some((a) => a.verdict !== 'good') || result.gaps.some((g) => g.asset === asset.asset);
}

export function roadmapLabel(month: string): string {
  return month.includes('-') ? `Months ${month}` : `Month ${month}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
