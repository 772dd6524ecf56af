/**
 * Row types of every table, as Kysely sees them. Each migration that adds or changes a table
 * updates the matching interface here (and adds the table to `Database`).
 *
 * Conventions shared by both dialects: dates are ISO-8601 strings in UTC (`toISOString()`), so
 * they sort as text and read back unchanged; JSON documents are `text`, so they round-trip byte
 * for byte (PostgreSQL's jsonb would reorder keys) and cost no parse on write.
 */
import type { Generated } from 'kysely';

export interface RunsTable {
  /** Insertion order; breaks ties between runs created in the same millisecond. */
  seq: Generated<number>;
  id: string;
  created_at: string;
  saved_at: string;
  workspace_name: string;
  workspace_digest: string;
  score: number;
  controls_evaluated: number;
  passed: number;
  failed: number;
  partial: number;
  pending: number;
  findings: number;
  gaps_critical: number;
  gaps_high: number;
  gaps_medium: number;
  gaps_low: number;
  gaps_info: number;
  /**
   * The AssessmentResult as JSON. Since migration 0003 its long lists are empty here and live in
   * run_parts; older runs hold everything. Kept last so list queries never touch it.
   */
  result: string;
}

export interface RunFindingsTable {
  run_id: string;
  /** Index of the finding in the result's `findings` array. */
  position: number;
  fingerprint: string;
  rule_id: string;
  severity: string;
  source: string;
  asset: string | null;
  path: string;
  line: number | null;
  message: string;
}

/**
 * Model registry tables (migration 0002). Every row carries the workspace (organisation) name so
 * that one PostgreSQL database can serve several workspaces, as runs do. Lists and documents are
 * JSON text. The decision tables (scans, reviews, promotions, exceptions, exports) are
 * append-only: the database itself refuses UPDATE and DELETE on them.
 */
export interface ModelVersionsTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  asset_id: string | null;
  source_path: string;
  /** 1 when the model is a single file, 0 for a folder. */
  single_file: number;
  files: string;
  file_count: number;
  /** bigint: PostgreSQL hands it back as a string. */
  total_bytes: number | string;
  manifest_digest: string;
  signature_path: string | null;
  signature_sha256: string | null;
  signature_check: string;
  training_datasets: string;
  data_clients: string;
  metrics: string;
  owner: string;
  stage: string;
  registered_by: string;
  registered_at: string;
}

export interface ModelScansTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  trigger: string;
  target_path: string;
  scanned_at: string;
  actor: string | null;
  error: string | null;
  counts: string;
  highest: string | null;
  unscannable: number;
  findings: string;
}

export interface ModelReviewsTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  decision: string;
  actor: string;
  note: string;
  at: string;
}

export interface ModelPromotionsTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  from_stage: string;
  to_stage: string;
  decision: string;
  actor: string;
  at: string;
  target_clients: string;
  reasons: string;
  checks: string;
  artifact_path: string | null;
}

export interface ModelExceptionsTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  client: string;
  data_clients: string;
  approved_by: string;
  reason: string;
  expires_on: string;
  recorded_at: string;
}

export interface ModelExportsTable {
  seq: Generated<number>;
  workspace: string;
  name: string;
  version: string;
  decision: string;
  actor: string;
  at: string;
  destination: string;
  reasons: string;
}

/** A page of one of a run's long lists (migration 0003): gzip-compressed JSON of an array. */
export interface RunPartsTable {
  run_id: string;
  /** Which list: assets, controls, gaps, findings or scanners. */
  part: string;
  page: number;
  items: number;
  /** `gzip+json`; anything else is refused on read. */
  encoding: string;
  body: Uint8Array;
}

export interface Database {
  runs: RunsTable;
  run_findings: RunFindingsTable;
  run_parts: RunPartsTable;
  model_versions: ModelVersionsTable;
  model_scans: ModelScansTable;
  model_reviews: ModelReviewsTable;
  model_promotions: ModelPromotionsTable;
  model_exceptions: ModelExceptionsTable;
  model_exports: ModelExportsTable;
}
