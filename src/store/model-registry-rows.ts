/**
 * Model registry rows to records and back. JSON columns are parsed defensively: a damaged row is
 * an INTERNAL error naming the table and row, never a half-read record that a gate might trust.
 * Text that came from files (paths, scanner messages) is made storable in both databases
 * (PostgreSQL's text rejects NUL).
 */
import type { Insertable, Selectable } from 'kysely';
import { MODEL_STAGES, SEVERITIES, WardenError, isSeverity } from '../domain/index.js';
import type {
  DeploymentExceptionRecord,
  ExportRecord,
  GateCheck,
  ModelFileDigest,
  ModelFindingSummary,
  ModelMetrics,
  ModelReviewRecord,
  ModelScanRecord,
  ModelScanTrigger,
  ModelStage,
  ModelVersionRecord,
  PromotionRecord,
  ReviewDecision,
  Severity,
  SignatureCheck,
} from '../domain/index.js';
import type {
  ModelExceptionsTable,
  ModelExportsTable,
  ModelPromotionsTable,
  ModelReviewsTable,
  ModelScansTable,
  ModelVersionsTable,
} from './schema.js';
import type { NewDeploymentException, NewExport, NewModelReview, NewModelScan, NewModelVersion, NewPromotion } from './types.js';

export function safeText(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
}

function damaged(table: string, seq: number, what: string): WardenError {
  return new WardenError('INTERNAL', `stored ${table} row ${seq} is damaged: ${what}`, { details: { table, seq } });
}

function parseJson(table: string, seq: number, column: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WardenError('INTERNAL', `stored ${table} row ${seq} has invalid JSON in ${column}`, { cause: error, details: { table, seq, column } });
  }
}

function stringList(table: string, seq: number, column: string, text: string): string[] {
  const value = parseJson(table, seq, column, text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw damaged(table, seq, `${column} is not a list of strings`);
  return value as string[];
}

function stage(table: string, seq: number, value: string): ModelStage {
  if (!(MODEL_STAGES as readonly string[]).includes(value)) throw damaged(table, seq, `unknown stage ${value}`);
  return value as ModelStage;
}

const json = (value: unknown): string => safeText(JSON.stringify(value));

export function toVersionRow(workspace: string, v: NewModelVersion, registeredAt: string): Insertable<ModelVersionsTable> {
  return {
    workspace,
    name: v.name,
    version: v.version,
    asset_id: v.assetId,
    source_path: safeText(v.sourcePath),
    single_file: v.singleFile ? 1 : 0,
    files: json(v.files),
    file_count: v.fileCount,
    total_bytes: v.totalBytes,
    manifest_digest: v.manifestDigest,
    signature_path: v.signature === null ? null : safeText(v.signature.path),
    signature_sha256: v.signature?.sha256 ?? null,
    signature_check: json(v.signatureCheck),
    training_datasets: json(v.trainingDatasets),
    data_clients: json(v.dataClients),
    metrics: json(v.metrics),
    owner: v.owner,
    stage: 'development',
    registered_by: v.registeredBy,
    registered_at: registeredAt,
  };
}

export function toVersionRecord(row: Selectable<ModelVersionsTable>): ModelVersionRecord {
  const t = 'model_versions';
  const files = parseJson(t, row.seq, 'files', row.files);
  if (!Array.isArray(files) || !files.every(isFileDigest)) throw damaged(t, row.seq, 'files is not a list of digests');
  const check = parseJson(t, row.seq, 'signature_check', row.signature_check);
  if (typeof check !== 'object' || check === null || typeof (check as SignatureCheck).status !== 'string') throw damaged(t, row.seq, 'signature_check');
  const metrics = parseJson(t, row.seq, 'metrics', row.metrics);
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) throw damaged(t, row.seq, 'metrics is not an object');
  return {
    name: row.name,
    version: row.version,
    assetId: row.asset_id,
    sourcePath: row.source_path,
    singleFile: Number(row.single_file) === 1,
    files: files as ModelFileDigest[],
    fileCount: Number(row.file_count),
    totalBytes: Number(row.total_bytes),
    manifestDigest: row.manifest_digest,
    signature: row.signature_path === null || row.signature_sha256 === null ? null : { path: row.signature_path, sha256: row.signature_sha256 },
    signatureCheck: check as SignatureCheck,
    trainingDatasets: stringList(t, row.seq, 'training_datasets', row.training_datasets),
    dataClients: stringList(t, row.seq, 'data_clients', row.data_clients),
    metrics: metrics as ModelMetrics,
    owner: row.owner,
    stage: stage(t, row.seq, row.stage),
    registeredBy: row.registered_by,
    registeredAt: row.registered_at,
  };
}

function isFileDigest(value: unknown): value is ModelFileDigest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['path'] === 'string' && typeof v['sha256'] === 'string' && typeof v['size'] === 'number';
}

/** At most this many findings are kept per scan; the counts cover all of them. */
export const MAX_STORED_FINDINGS = 50;
const MAX_MESSAGE_CHARS = 500;

export function toScanRow(workspace: string, name: string, version: string, s: NewModelScan): Insertable<ModelScansTable> {
  const findings = s.findings.slice(0, MAX_STORED_FINDINGS).map((f) => ({
    ...f,
    message: f.message.length > MAX_MESSAGE_CHARS ? `${f.message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : f.message,
  }));
  return {
    workspace,
    name,
    version,
    trigger: s.trigger,
    target_path: safeText(s.targetPath),
    scanned_at: s.scannedAt,
    actor: s.scannedBy,
    error: s.error === null ? null : safeText(s.error),
    counts: json(s.counts),
    highest: s.highest,
    unscannable: s.unscannable,
    findings: json(findings),
  };
}

export function toScanRecord(row: Selectable<ModelScansTable>): ModelScanRecord {
  const t = 'model_scans';
  const counts = parseJson(t, row.seq, 'counts', row.counts) as Record<string, unknown>;
  const parsedCounts = {} as Record<Severity, number>;
  for (const severity of SEVERITIES) {
    const n = counts?.[severity];
    if (typeof n !== 'number') throw damaged(t, row.seq, `counts.${severity}`);
    parsedCounts[severity] = n;
  }
  const findings = parseJson(t, row.seq, 'findings', row.findings);
  if (!Array.isArray(findings)) throw damaged(t, row.seq, 'findings is not a list');
  if (row.highest !== null && !isSeverity(row.highest)) throw damaged(t, row.seq, `unknown severity ${row.highest}`);
  return {
    id: Number(row.seq),
    name: row.name,
    version: row.version,
    trigger: row.trigger as ModelScanTrigger,
    targetPath: row.target_path,
    scannedAt: row.scanned_at,
    scannedBy: row.actor,
    error: row.error,
    counts: parsedCounts,
    highest: row.highest as Severity | null,
    unscannable: Number(row.unscannable),
    findings: findings as ModelFindingSummary[],
  };
}

export function toReviewRow(workspace: string, name: string, version: string, r: NewModelReview, at: string): Insertable<ModelReviewsTable> {
  return { workspace, name, version, decision: r.decision, actor: r.by, note: safeText(r.note), at };
}

export function toReviewRecord(row: Selectable<ModelReviewsTable>): ModelReviewRecord {
  if (row.decision !== 'approved' && row.decision !== 'rejected') throw damaged('model_reviews', row.seq, `unknown decision ${row.decision}`);
  return { id: Number(row.seq), name: row.name, version: row.version, decision: row.decision as ReviewDecision, by: row.actor, note: row.note, at: row.at };
}

export function toPromotionRow(workspace: string, name: string, version: string, p: NewPromotion, at: string): Insertable<ModelPromotionsTable> {
  return {
    workspace,
    name,
    version,
    from_stage: p.fromStage,
    to_stage: p.toStage,
    decision: p.decision,
    actor: p.by,
    at,
    target_clients: json(p.targetClients),
    reasons: json(p.reasons),
    checks: json(p.checks),
    artifact_path: p.artifactPath === null ? null : safeText(p.artifactPath),
  };
}

export function toPromotionRecord(row: Selectable<ModelPromotionsTable>): PromotionRecord {
  const t = 'model_promotions';
  if (row.decision !== 'allowed' && row.decision !== 'refused') throw damaged(t, row.seq, `unknown decision ${row.decision}`);
  const checks = parseJson(t, row.seq, 'checks', row.checks);
  if (!Array.isArray(checks)) throw damaged(t, row.seq, 'checks is not a list');
  return {
    id: Number(row.seq),
    name: row.name,
    version: row.version,
    fromStage: stage(t, row.seq, row.from_stage),
    toStage: stage(t, row.seq, row.to_stage),
    decision: row.decision,
    by: row.actor,
    at: row.at,
    targetClients: stringList(t, row.seq, 'target_clients', row.target_clients),
    reasons: stringList(t, row.seq, 'reasons', row.reasons),
    checks: checks as GateCheck[],
    artifactPath: row.artifact_path,
  };
}

export function toExceptionRow(workspace: string, name: string, version: string, e: NewDeploymentException, recordedAt: string): Insertable<ModelExceptionsTable> {
  return {
    workspace,
    name,
    version,
    client: e.client,
    data_clients: json(e.dataClients),
    approved_by: e.approvedBy,
    reason: safeText(e.reason),
    expires_on: e.expiresOn,
    recorded_at: recordedAt,
  };
}

export function toExceptionRecord(row: Selectable<ModelExceptionsTable>): DeploymentExceptionRecord {
  return {
    id: Number(row.seq),
    name: row.name,
    version: row.version,
    client: row.client,
    dataClients: stringList('model_exceptions', row.seq, 'data_clients', row.data_clients),
    approvedBy: row.approved_by,
    reason: row.reason,
    expiresOn: row.expires_on,
    recordedAt: row.recorded_at,
  };
}

export function toExportRow(workspace: string, name: string, version: string, e: NewExport, at: string): Insertable<ModelExportsTable> {
  return { workspace, name, version, decision: e.decision, actor: e.by, at, destination: safeText(e.destination), reasons: json(e.reasons) };
}

export function toExportRecord(row: Selectable<ModelExportsTable>): ExportRecord {
  if (row.decision !== 'allowed' && row.decision !== 'refused') throw damaged('model_exports', row.seq, `unknown decision ${row.decision}`);
  return {
    id: Number(row.seq),
    name: row.name,
    version: row.version,
    decision: row.decision,
    by: row.actor,
    at: row.at,
    destination: row.destination,
    reasons: stringList('model_exports', row.seq, 'reasons', row.reasons),
  };
}
