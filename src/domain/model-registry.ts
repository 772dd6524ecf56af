/**
 * The model registry's records: registered versions, their scans, security reviews, promotion
 * decisions and cross-client deployment exceptions. The store keeps them, the registry's gate
 * writes them, and the assessment engine reads them as evidence. Plain data, no I/O.
 *
 * Decisions (reviews, promotions, exceptions, scans) are append-only: a later record supersedes
 * an earlier one in meaning, never in storage, so the history of who decided what stays whole.
 */
import type { Severity } from './finding.js';

export const MODEL_STAGES = ['development', 'staging', 'production'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export function modelStageRank(stage: ModelStage): number {
  return MODEL_STAGES.indexOf(stage);
}

/** Model names are used in paths and match workspace asset ids: the same syntax. */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/;
/** Versions such as `7`, `v1.2.0`, `2026-06-01`, `1.0.0+build.5`; never a path separator. */
export const MODEL_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/** One file of a registered model, as hashed at registration. */
export interface ModelFileDigest {
  /** POSIX path relative to the model folder, or "." for a single-file model. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** Scalar metrics (accuracy, AUC, dataset size …) recorded with a version. */
export type ModelMetrics = Readonly<Record<string, number | string | boolean>>;

/** What the registry could say about the signature when the version was registered. */
export interface SignatureCheck {
  /** `verified`: a trusted workspace key verified the signature over these exact files. */
  readonly status: 'verified' | 'unsigned' | 'untrusted' | 'mismatch' | 'unreadable' | 'no-trusted-keys';
  /** Id of the trusted key that verified it (status `verified` or `mismatch`). */
  readonly keyId?: string;
  readonly detail: string;
}

export interface ModelVersionRecord {
  readonly name: string;
  readonly version: string;
  /** The workspace model asset of the same id, when there is one. */
  readonly assetId: string | null;
  /** Absolute path the version was registered from (its development copy). */
  readonly sourcePath: string;
  readonly singleFile: boolean;
  readonly files: readonly ModelFileDigest[];
  readonly fileCount: number;
  readonly totalBytes: number;
  /** SHA-256 over the file digests in manifest order (the in-toto subject digest). */
  readonly manifestDigest: string;
  /** The signature bundle given at registration: where it was and what its bytes hashed to. */
  readonly signature: { readonly path: string; readonly sha256: string } | null;
  readonly signatureCheck: SignatureCheck;
  /** Datasets the model was trained on (lineage `trained_on`, at registration). */
  readonly trainingDatasets: readonly string[];
  /** Clients whose data reaches the model through its lineage (trained_on and derived_from). */
  readonly dataClients: readonly string[];
  readonly metrics: ModelMetrics;
  readonly owner: string;
  readonly stage: ModelStage;
  readonly registeredBy: string;
  readonly registeredAt: string;
}

export interface ModelFindingSummary {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
}

export const MODEL_SCAN_TRIGGERS = ['register', 'scan', 'promote'] as const;
export type ModelScanTrigger = (typeof MODEL_SCAN_TRIGGERS)[number];

export interface ModelScanRecord {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly trigger: ModelScanTrigger;
  /** What was scanned: the development folder or a stage's artifact copy. */
  readonly targetPath: string;
  readonly scannedAt: string;
  readonly scannedBy: string | null;
  /** The scan itself failed: never read as clean. */
  readonly error: string | null;
  readonly counts: Readonly<Record<Severity, number>>;
  readonly highest: Severity | null;
  readonly unscannable: number;
  /** The most severe findings (at most a few dozen; the counts cover all of them). */
  readonly findings: readonly ModelFindingSummary[];
}

export const REVIEW_DECISIONS = ['approved', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ModelReviewRecord {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly decision: ReviewDecision;
  readonly by: string;
  readonly note: string;
  readonly at: string;
}

export const GATE_CHECK_IDS = ['stage', 'permission', 'signature', 'integrity', 'scan', 'review', 'client-data'] as const;
export type GateCheckId = (typeof GATE_CHECK_IDS)[number];

/** One condition of the deployment gate and what was found. */
export interface GateCheck {
  readonly id: GateCheckId;
  readonly ok: boolean;
  /** Why it passed or, when it failed, the reason (one line, names what to do). */
  readonly detail: string;
}

export interface PromotionRecord {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly fromStage: ModelStage;
  readonly toStage: ModelStage;
  readonly decision: 'allowed' | 'refused';
  readonly by: string;
  readonly at: string;
  /** Clients the deployment serves. */
  readonly targetClients: readonly string[];
  /** Every failed condition, in gate order; empty when allowed. */
  readonly reasons: readonly string[];
  readonly checks: readonly GateCheck[];
  /** Where the verified copy was placed (allowed promotions). */
  readonly artifactPath: string | null;
}

export interface DeploymentExceptionRecord {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  /** The client the version may be deployed for … */
  readonly client: string;
  /** … although it carries data of these other clients. */
  readonly dataClients: readonly string[];
  readonly approvedBy: string;
  readonly reason: string;
  /** Last day the exception holds (YYYY-MM-DD, inclusive). */
  readonly expiresOn: string;
  readonly recordedAt: string;
}

export interface ExportRecord {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly decision: 'allowed' | 'refused';
  readonly by: string;
  readonly at: string;
  readonly destination: string;
  readonly reasons: readonly string[];
}

/** Everything recorded about one version, for `model show` and the assessment; each list oldest first. */
export interface ModelVersionHistory {
  readonly version: ModelVersionRecord;
  readonly scans: readonly ModelScanRecord[];
  readonly reviews: readonly ModelReviewRecord[];
  readonly promotions: readonly PromotionRecord[];
  readonly exceptions: readonly DeploymentExceptionRecord[];
  readonly exports: readonly ExportRecord[];
}

/**
 * What the assessment reads from the registry: every version's history (with the most recent
 * scans only), plus — gathered by the CLI when it can — a re-check of the artifact copies.
 */
export interface ModelRegistryEvidence {
  readonly versions: readonly ModelVersionHistory[];
  /** `name@version` → result of re-hashing the stage artifact copy against the registered digests. */
  readonly artifactChecks?: Readonly<Record<string, ArtifactCheck>>;
}

export interface ArtifactCheck {
  readonly checkedAt: string;
  readonly path: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function modelRef(name: string, version: string): string {
  return `${name}@${version}`;
}

/**
 * Reviews in effect for a version: each reviewer's latest decision. A version is approved when
 * at least one reviewer's latest decision approves it and nobody's latest decision rejects it.
 */
export function effectiveReviews(reviews: readonly ModelReviewRecord[]): ModelReviewRecord[] {
  const latest = new Map<string, ModelReviewRecord>();
  for (const review of reviews) {
    const seen = latest.get(review.by);
    if (seen === undefined || review.at > seen.at || (review.at === seen.at && review.id > seen.id)) latest.set(review.by, review);
  }
  return [...latest.values()].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
}
