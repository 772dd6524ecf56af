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
  /** The whole AssessmentResult as JSON. Kept last so list queries never touch it. */
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

export interface Database {
  runs: RunsTable;
  run_findings: RunFindingsTable;
}
