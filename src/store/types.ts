/**
 * The store's public shapes. One set of repository code serves both dialects; callers never see
 * which one they talk to except through `Store.dialect`.
 */
import type { Kysely } from 'kysely';
import type { AssessmentResult, Severity } from '../domain/index.js';
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
