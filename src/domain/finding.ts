/**
 * The one finding model shared by every scanner, the assessment engine and every report.
 * The JSON shape is documented in docs/findings.md; keep the two in step.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** True when `severity` is at or above `threshold`. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Sort helper: most severe first. */
export function compareSeverityDesc(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

export interface FindingLocation {
  /**
   * Path relative to the scanned root (forward slashes), or the URL for network findings, or
   * `warden.yaml` for workspace findings. Always present so every consumer can group by it.
   */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly url?: string;
  /** Path of a member inside an archive (zip member, notebook cell "cell 3"), when relevant. */
  readonly member?: string;
}

export interface Finding {
  /** Stable rule identifier, e.g. `models/pickle-dangerous-import` or `control/WD-DATA-03`. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: FindingLocation;
  /** Name of the scanner (or `assessment`) that produced the finding. */
  readonly source: string;
  /** Workspace asset id the finding is about, when it is known. */
  readonly asset?: string;
  /** A short excerpt of the evidence; secrets are always masked before they get here. */
  readonly evidence?: string;
  readonly remediation?: string;
  /** Stable id for de-duplication and baselines; does not change when the finding moves lines. */
  readonly fingerprint: string;
  /** Control ids this finding is evidence against. */
  readonly controls?: readonly string[];
  /** Extra machine-readable facts (imported `module.name`, commit, cell index …). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

/** Descriptor of a rule, for SARIF `tool.driver.rules` and documentation. */
export interface RuleDescriptor {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description?: string;
  readonly remediation?: string;
  readonly controls?: readonly string[];
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverityDesc(a.severity, b.severity) ||
      a.location.path.localeCompare(b.location.path) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** The most severe finding's severity, or undefined for none. */
export function maxSeverity(findings: readonly Finding[]): Severity | undefined {
  let best: Severity | undefined;
  for (const finding of findings) {
    if (best === undefined || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[best]) best = finding.severity;
  }
  return best;
}
