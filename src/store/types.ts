/**
 * The store's public shapes. One set of repository code serves both dialects; callers never see
 * which one they talk to except through `Store.dialect`.
 */
import type { Kysely } from 'kysely';
import type {
  AssessmentResult,
  DeploymentExceptionRecord,
  ExportRecord,
  ModelRegistryEvidence,
  ModelReviewRecord,
  ModelScanRecord,
  ModelStage,
  ModelVersionHistory,
  ModelVersionRecord,
  PromotionRecord,
  Severity,
} from '../domain/index.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** A `postgres://` or `postgresql://` URL; wins over `sqlitePath` when both are set. */
  readonly url?: string;
  /** Path of the embedded SQLite database file (its folder is created with mode 0700). */
  readonly sqlitePath?: string;
}

export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  readonly runs: RunRepository;
  /** The model registry, one workspace at a time. */
  readonly models: ModelRegistryStore;
  /** Releases the connection(s). Safe to call twice. */
  close(): Promise<void>;
}

export interface RunSummary {
  id: string;
  createdAt: string;
  workspaceName: string;
  workspaceDigest: string;
  score: number;
  passed: number;
  failed: number;
  partial: number;
  pending: number;
  findings: number;
  gapsBySeverity: Record<Severity, number>;
}

export interface RunListOptions {
  readonly workspaceName?: string;
  /** At most this many runs (a positive integer); all of them when unset. */
  readonly limit?: number;
}

export interface RunGetOptions {
  /** Resolve `latest`, `latest~N` and prefixes among this workspace's runs only. */
  readonly workspaceName?: string;
}

export interface RunRepository {
  /** Stores the run and its findings in one transaction. A run id can be stored once. */
  save(result: AssessmentResult): Promise<void>;
  /** Newest first (by `createdAt`, then by the order they were saved). */
  list(options?: RunListOptions): Promise<RunSummary[]>;
  /**
   * `ref` is a full id, a unique id prefix of at least 4 characters, `latest` or `latest~N`
   * (N runs before the latest). Throws RUN_NOT_FOUND when nothing matches and USAGE, naming
   * the candidates, when a prefix matches several runs.
   */
  get(ref: string, options?: RunGetOptions): Promise<AssessmentResult>;
}

/** A version as the registry registers it; it starts in development. */
export type NewModelVersion = Omit<ModelVersionRecord, 'stage' | 'registeredAt'> & { readonly registeredAt?: string };
export type NewModelScan = Omit<ModelScanRecord, 'id' | 'name' | 'version'>;
export type NewModelReview = Omit<ModelReviewRecord, 'id' | 'name' | 'version' | 'at'> & { readonly at?: string };
export type NewPromotion = Omit<PromotionRecord, 'id' | 'name' | 'version' | 'at'> & { readonly at?: string };
export type NewDeploymentException = Omit<DeploymentExceptionRecord, 'id' | 'name' | 'version' | 'recordedAt'> & { readonly recordedAt?: string };
export type NewExport = Omit<ExportRecord, 'id' | 'name' | 'version' | 'at'> & { readonly at?: string };

export interface ModelListOptions {
  readonly name?: string;
  readonly stage?: ModelStage;
}

/**
 * The registry of one workspace. Versions are registered once (MODEL_EXISTS on a second
 * register); every decision is appended, never changed; a version's stage changes only together
 * with the allowed promotion that moved it, in one transaction.
 */
export interface ModelRegistryRepository {
  register(version: NewModelVersion): Promise<ModelVersionRecord>;
  /** Throws MODEL_NOT_FOUND. */
  get(name: string, version: string): Promise<ModelVersionRecord>;
  find(name: string, version: string): Promise<ModelVersionRecord | undefined>;
  /** By name, then newest registration first. */
  list(options?: ModelListOptions): Promise<ModelVersionRecord[]>;
  history(name: string, version: string): Promise<ModelVersionHistory>;
  recordScan(name: string, version: string, scan: NewModelScan): Promise<ModelScanRecord>;
  latestScan(name: string, version: string): Promise<ModelScanRecord | undefined>;
  addReview(name: string, version: string, review: NewModelReview): Promise<ModelReviewRecord>;
  reviews(name: string, version: string): Promise<ModelReviewRecord[]>;
  /**
   * Appends the decision; an allowed one also moves the version to `toStage`, provided it is
   * still in `fromStage` (another promotion in between is a MODEL_EXISTS-style conflict, USAGE).
   */
  recordPromotion(name: string, version: string, promotion: NewPromotion): Promise<PromotionRecord>;
  promotions(name: string, version?: string): Promise<PromotionRecord[]>;
  addException(name: string, version: string, exception: NewDeploymentException): Promise<DeploymentExceptionRecord>;
  exceptions(name: string, version: string): Promise<DeploymentExceptionRecord[]>;
  recordExport(name: string, version: string, record: NewExport): Promise<ExportRecord>;
  /** Every version with its history (the latest few scans only), for the assessment. */
  evidence(): Promise<ModelRegistryEvidence>;
}

export interface ModelRegistryStore {
  /** The registry of the workspace with this organisation name (as runs are scoped). */
  forWorkspace(workspaceName: string): ModelRegistryRepository;
}
