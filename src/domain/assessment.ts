/**
 * What the one-day assessment produces. Reports render it, the store keeps it, `warden diff`
 * compares two of them. Everything in here is plain data (JSON-serialisable).
 */
import type { Pillar, Question, RoadmapMonth } from './control.js';
import type { Finding, Severity } from './finding.js';
import type { AssetKind, Classification, Regime, SizeProfile } from './workspace.js';
import type { Unscannable } from './scanner.js';

export const CONTROL_STATUSES = ['pass', 'fail', 'partial', 'needs-attestation', 'needs-evidence', 'not-applicable'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export interface EvidenceRef {
  /** Kind of evidence: `workspace` (a declaration), `scan:NAME`, `attestation`, `lineage` … */
  readonly kind: string;
  /** Short human-readable statement of what the evidence says. */
  readonly summary: string;
  /** Where it came from: `warden.yaml#assets[3].controls.encryption`, a file, a URL. */
  readonly ref?: string;
}

export interface ControlResult {
  readonly controlId: string;
  /** The asset evaluated, or undefined for organisation-wide controls. */
  readonly asset?: string;
  readonly status: ControlStatus;
  readonly reason: string;
  readonly evidence: readonly EvidenceRef[];
  /** Severity of the gap when the status is fail or partial. */
  readonly severity?: Severity;
  /**
   * Why the gap ranks high, when it is one of the priority kinds: exposed-dev-environment,
   * unencrypted-sensitive-data, overly-broad-access, public-storage, credential-leakage, cross-client-data.
   */
  readonly category?: string;
}

export type AnswerVerdict = 'good' | 'weak' | 'bad' | 'unknown';

export interface QuestionAnswer {
  readonly question: Question;
  readonly verdict: AnswerVerdict;
  readonly answer: string;
  readonly evidence: readonly EvidenceRef[];
}

export interface BlastRadius {
  /**
   * The assets whose records this asset carries or can read (itself when it declares records,
   * else what it was derived from, trained on or reads), capped at 100 ids; see dataSourceCount.
   */
  readonly dataSources: readonly string[];
  readonly dataSourceCount: number;
  readonly clients: readonly string[];
  /** Sum of the record counts of dataSources. */
  readonly records: number;
  /** Whether some reachable data has no known record count (then `records` is a lower bound). */
  readonly recordsLowerBound: boolean;
  readonly highestClassification?: Classification;
  readonly dataCategories: readonly string[];
  /** Assets built from this one (derived datasets, models trained on it), capped at 20 ids. */
  readonly downstream: readonly string[];
  readonly downstreamCount: number;
  /** The walk stopped at 250 assets: downstreamCount is a lower bound. */
  readonly downstreamLowerBound: boolean;
  readonly notifications: readonly NotificationDuty[];
}

export interface NotificationDuty {
  readonly regime: Regime | 'contract';
  /** Whom to notify. */
  readonly audience: string;
  /** Deadline after discovery, in hours. */
  readonly deadlineHours: number;
  readonly basis: string;
  readonly clients: readonly string[];
}

export interface AssetAssessment {
  readonly asset: string;
  readonly name: string;
  readonly kind: AssetKind;
  readonly owner: string;
  readonly classification?: Classification;
  readonly effectiveClassification?: Classification;
  readonly answers: readonly QuestionAnswer[];
  readonly blastRadius: BlastRadius;
  /** Risk score of this asset's open gaps, for ranking. */
  readonly risk: number;
}

export interface Gap {
  readonly rank: number;
  readonly controlId: string;
  readonly title: string;
  readonly pillar: Pillar;
  readonly asset?: string;
  readonly severity: Severity;
  readonly risk: number;
  readonly reason: string;
  readonly remediation: string;
  /** Why it is ranked where it is: exposed dev environment, unencrypted sensitive data … */
  readonly category?: string;
  readonly roadmapMonth: RoadmapMonth;
  readonly blastRadius?: { readonly clients: readonly string[]; readonly records: number };
}

export interface PillarScore {
  readonly pillar: Pillar;
  /** 0–100: share of applicable control evaluations passed (partial counts half). */
  readonly score: number;
  readonly passed: number;
  readonly failed: number;
  readonly partial: number;
  readonly pending: number;
}

export interface RoadmapItem {
  readonly controlId: string;
  readonly title: string;
  readonly done: boolean;
  readonly open: number;
  readonly total: number;
}

export interface RoadmapMonthPlan {
  readonly month: RoadmapMonth;
  readonly items: readonly RoadmapItem[];
  readonly done: number;
  readonly total: number;
}

export interface ScannerRun {
  readonly scanner: string;
  readonly asset?: string;
  readonly inputs: readonly string[];
  readonly findings: number;
  readonly unscannable: readonly Unscannable[];
  readonly error?: string;
  readonly durationMs: number;
}

export interface AssessmentSummary {
  readonly assets: number;
  readonly controlsEvaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly partial: number;
  readonly pending: number;
  readonly gapsBySeverity: Readonly<Record<Severity, number>>;
  /** 0–100 overall score. */
  readonly score: number;
}

export interface AssessmentResult {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly createdAt: string;
  readonly workspace: {
    readonly name: string;
    readonly dir: string;
    readonly digest: string;
    readonly sizeProfile: SizeProfile;
    readonly headcount: number;
  };
  readonly summary: AssessmentSummary;
  readonly pillars: readonly PillarScore[];
  readonly assets: readonly AssetAssessment[];
  readonly controls: readonly ControlResult[];
  readonly gaps: readonly Gap[];
  readonly roadmap: readonly RoadmapMonthPlan[];
  readonly scanners: readonly ScannerRun[];
  /** Every failed control and every scanner result, in the shared finding shape. */
  readonly findings: readonly Finding[];
}
