/**
 * Turning an AssessmentResult into rows and rows back into summaries. Everything in a result can
 * come from scanned, attacker-controlled files (paths, messages), so column values are made safe
 * for both databases here: PostgreSQL's text type rejects NUL, and integer columns overflow at
 * 2^31. The JSON document keeps every value exactly; the columns are an index into it.
 */
import type { Insertable, Selectable } from 'kysely';
import { SEVERITIES, WardenError } from '../domain/index.js';
import type { AssessmentResult, Finding, Severity } from '../domain/index.js';
import type { RunFindingsTable, RunsTable } from './schema.js';
import type { RunSummary } from './types.js';

/** Columns of run_findings; batch sizes are derived from it. */
export const FINDING_COLUMN_COUNT = 10;
/** Messages are for lookup and display in lists; the full text stays in the result JSON. */
const MAX_MESSAGE_CHARS = 2000;
const MAX_ID_CHARS = 200;
const INT4_MAX = 2_147_483_647;

export const SUMMARY_COLUMNS = [
  'id',
  'created_at',
  'workspace_name',
  'workspace_digest',
  'score',
  'passed',
  'failed',
  'partial',
  'pending',
  'findings',
  'gaps_critical',
  'gaps_high',
  'gaps_medium',
  'gaps_low',
  'gaps_info',
] as const;

export type SummaryRow = Pick<Selectable<RunsTable>, (typeof SUMMARY_COLUMNS)[number]>;

/** Checks what the store relies on (id, date, shape) and returns the normalised creation time. */
export function validateForSave(result: AssessmentResult): string {
  const fail = (why: string): never => {
    throw new WardenError('INPUT_INVALID', `cannot store assessment run: ${why}`, {
      details: { id: typeof result.id === 'string' ? result.id.slice(0, MAX_ID_CHARS) : undefined },
    });
  };
  if (result.schemaVersion !== 1) fail(`unsupported schemaVersion ${String(result.schemaVersion)}`);
  if (typeof result.id !== 'string' || result.id.length === 0 || result.id.length > MAX_ID_CHARS || /[\s\u0000]/.test(result.id)) {
    fail('the run id must be 1–200 characters without whitespace');
  }
  const created = new Date(result.createdAt);
  if (typeof result.createdAt !== 'string' || Number.isNaN(created.getTime())) fail(`createdAt is not a date: ${String(result.createdAt)}`);
  if (!Array.isArray(result.findings) || !Array.isArray(result.controls)) fail('findings and controls must be arrays');
  const s = result.summary;
  const counts = [s.controlsEvaluated, s.passed, s.failed, s.partial, s.pending, ...SEVERITIES.map((x) => s.gapsBySeverity[x])];
  if (!counts.every(isCount)) fail('summary counts must be non-negative integers');
  if (!Number.isFinite(s.score)) fail('summary score must be a finite number');
  for (let i = 0; i < result.findings.length; i++) {
    const f = result.findings[i]!;
    const fields = [f.fingerprint, f.ruleId, f.severity, f.source, f.message, f.location?.path];
    if (!fields.every((x) => typeof x === 'string') || (f.asset !== undefined && typeof f.asset !== 'string')) {
      fail(`finding ${i} lacks a fingerprint, ruleId, severity, source, message or location.path`);
    }
  }
  // One canonical form so that text order is time order in both databases.
  return created.toISOString();
}

export function toRunRow(result: AssessmentResult, createdAt: string, json: string, savedAt: string): Insertable<RunsTable> {
  const s = result.summary;
  const gaps = s.gapsBySeverity;
  return {
    id: result.id,
    created_at: createdAt,
    saved_at: savedAt,
    workspace_name: safeText(result.workspace.name),
    workspace_digest: safeText(result.workspace.digest),
    score: s.score,
    controls_evaluated: s.controlsEvaluated,
    passed: s.passed,
    failed: s.failed,
    partial: s.partial,
    pending: s.pending,
    findings: result.findings.length,
    gaps_critical: gaps.critical,
    gaps_high: gaps.high,
    gaps_medium: gaps.medium,
    gaps_low: gaps.low,
    gaps_info: gaps.info,
    result: json,
  };
}

export function toFindingRow(runId: string, position: number, finding: Finding): Insertable<RunFindingsTable> {
  const line = finding.location.line;
  return {
    run_id: runId,
    position,
    fingerprint: safeText(finding.fingerprint),
    rule_id: safeText(finding.ruleId),
    severity: safeText(finding.severity),
    source: safeText(finding.source),
    asset: finding.asset === undefined ? null : safeText(finding.asset),
    path: safeText(finding.location.path),
    line: typeof line === 'number' && Number.isInteger(line) && line >= 0 && line <= INT4_MAX ? line : null,
    message: safeText(finding.message.length > MAX_MESSAGE_CHARS ? `${finding.message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : finding.message),
  };
}

export function toRunSummary(row: SummaryRow): RunSummary {
  const gapsBySeverity = {} as Record<Severity, number>;
  for (const severity of SEVERITIES) gapsBySeverity[severity] = Number(row[`gaps_${severity}`]);
  return {
    id: row.id,
    createdAt: row.created_at,
    workspaceName: row.workspace_name,
    workspaceDigest: row.workspace_digest,
    score: Number(row.score),
    passed: Number(row.passed),
    failed: Number(row.failed),
    partial: Number(row.partial),
    pending: Number(row.pending),
    findings: Number(row.findings),
    gapsBySeverity,
  };
}

/** Parses a stored result, refusing anything that is not one (a damaged or foreign row). */
export function parseStoredResult(id: string, json: string): AssessmentResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new WardenError('INTERNAL', `stored run ${id} is not valid JSON`, { cause: error, details: { id } });
  }
  if (typeof value !== 'object' || value === null || !('schemaVersion' in value) || value.schemaVersion !== 1 || !('id' in value) || value.id !== id) {
    throw new WardenError('INTERNAL', `stored run ${id} is not a readable assessment result`, { details: { id } });
  }
  return value as AssessmentResult;
}

function safeText(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT4_MAX;
}
