/**
 * Plain-text renderings for `warden model register|list|show|promote|review|exception|scan`.
 * Notes, reasons, paths and scanner messages are data written by people or taken from files, so
 * every one goes through `sanitizeTerminal` before it reaches a terminal.
 */
import { effectiveReviews, modelRef } from '../../domain/index.js';
import type {
  DeploymentExceptionRecord,
  GateCheck,
  ModelReviewRecord,
  ModelScanRecord,
  ModelVersionHistory,
  ModelVersionRecord,
  PromotionRecord,
} from '../../domain/index.js';
import { sanitizeTerminal } from '../../reports/index.js';

const clean = (text: string): string => sanitizeTerminal(text);

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function scanLine(scan: ModelScanRecord | undefined): string {
  if (scan === undefined) return 'not scanned';
  if (scan.error !== null) return `scan FAILED on ${scan.scannedAt.slice(0, 10)}: ${clean(scan.error)}`;
  const c = scan.counts;
  const total = c.critical + c.high + c.medium + c.low + c.info;
  const parts = [`${c.critical} critical`, `${c.high} high`, `${c.medium} medium`, `${c.low} low`];
  const head = total === 0 ? 'clean' : `${total} finding(s): ${parts.join(', ')}`;
  return `${head}${scan.unscannable > 0 ? `, ${scan.unscannable} unscannable` : ''} (${scan.trigger} scan, ${scan.scannedAt.slice(0, 16).replace('T', ' ')})`;
}

export function renderRegistered(version: ModelVersionRecord, scan: ModelScanRecord): string {
  const lines = [
    `registered ${modelRef(version.name, version.version)}: ${version.fileCount} file(s), ${formatBytes(version.totalBytes)} from ${clean(version.sourcePath)}`,
    `  stage:     ${version.stage}; owner ${version.owner}; registered by ${version.registeredBy}`,
    `  asset:     ${version.assetId ?? `none (no workspace model asset is named ${version.name}; it cannot be promoted until one is)`}`,
    `  signature: ${version.signatureCheck.status}: ${clean(version.signatureCheck.detail)}`,
    `  training:  ${version.trainingDatasets.join(', ') || 'no trained_on lineage'}${version.dataClients.length > 0 ? ` (data of ${version.dataClients.join(', ')})` : ''}`,
    `  scan:      ${scanLine(scan)}`,
  ];
  const metrics = Object.entries(version.metrics);
  if (metrics.length > 0) lines.push(`  metrics:   ${metrics.map(([k, v]) => `${k}=${clean(String(v))}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function reviewState(reviews: readonly ModelReviewRecord[]): string {
  const inForce = effectiveReviews(reviews);
  if (inForce.length === 0) return 'not reviewed';
  const rejected = inForce.filter((r) => r.decision === 'rejected');
  if (rejected.length > 0) return `rejected by ${rejected.map((r) => r.by).join(', ')}`;
  return `approved by ${inForce.map((r) => r.by).join(', ')}`;
}

export function renderList(histories: readonly ModelVersionHistory[]): string {
  if (histories.length === 0) return "no model versions registered yet: run 'warden model register NAME VERSION DIR --by PERSON'\n";
  const header = ['model', 'stage', 'signature', 'scan', 'review', 'registered', 'by'];
  const rows = histories.map((h) => {
    const v = h.version;
    const scan = h.scans[h.scans.length - 1];
    const scanCell = scan === undefined ? 'not scanned' : scan.error !== null ? 'failed' : scan.highest === null ? 'clean' : `${scan.counts.critical + scan.counts.high} high+, worst ${scan.highest}`;
    return [modelRef(v.name, v.version), v.stage, v.signatureCheck.status, scanCell, reviewState(h.reviews), v.registeredAt.slice(0, 10), v.registeredBy];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => clean(c).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function renderChecks(checks: readonly GateCheck[]): string[] {
  return checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.id.padEnd(11)} ${clean(c.detail)}`);
}

export function renderPromotion(record: PromotionRecord): string {
  const ref = modelRef(record.name, record.version);
  const target = record.targetClients.length > 0 ? ` for ${record.targetClients.join(', ')}` : '';
  const head =
    record.decision === 'allowed'
      ? `promoted ${ref} from ${record.fromStage} to ${record.toStage}${target} (decision #${record.id}); verified copy in ${clean(record.artifactPath ?? '?')}`
      : `REFUSED: ${ref} may not go from ${record.fromStage} to ${record.toStage}${target} (decision #${record.id}, recorded); ${record.reasons.length} reason(s):`;
  return `${[head, ...renderChecks(record.checks)].join('\n')}\n`;
}

export function renderReview(review: ModelReviewRecord): string {
  return `recorded review #${review.id}: ${modelRef(review.name, review.version)} ${review.decision} by ${review.by} on ${review.at.slice(0, 10)}\n`;
}

export function renderException(e: DeploymentExceptionRecord): string {
  return (
    `recorded exception #${e.id}: ${modelRef(e.name, e.version)} may be deployed for ${e.client} although it carries data of ` +
    `${e.dataClients.join(', ')}, until ${e.expiresOn} (approved by ${e.approvedBy})\n`
  );
}

export function renderHistory(h: ModelVersionHistory, today: string): string {
  const v = h.version;
  const lines = [
    `${modelRef(v.name, v.version)}  stage ${v.stage}`,
    `  files:      ${v.fileCount} (${formatBytes(v.totalBytes)}), manifest sha256:${v.manifestDigest}`,
    `  source:     ${clean(v.sourcePath)}`,
    `  asset:      ${v.assetId ?? 'none'}; owner ${v.owner}`,
    `  registered: ${v.registeredAt} by ${v.registeredBy}`,
    `  signature:  ${v.signature === null ? 'none' : `${clean(v.signature.path)} (sha256:${v.signature.sha256.slice(0, 16)}…)`}; at registration: ${v.signatureCheck.status}: ${clean(v.signatureCheck.detail)}`,
    `  training:   ${v.trainingDatasets.join(', ') || 'no trained_on lineage'}; data of clients: ${v.dataClients.join(', ') || 'none'}`,
  ];
  const metrics = Object.entries(v.metrics);
  lines.push(`  metrics:    ${metrics.length === 0 ? 'none' : metrics.map(([k, m]) => `${k}=${clean(String(m))}`).join(', ')}`);
  const latest = h.scans[h.scans.length - 1];
  lines.push(`  latest scan: ${scanLine(latest)}`);
  for (const f of latest?.findings.slice(0, 10) ?? []) lines.push(`    ${f.severity.padEnd(8)} ${f.ruleId}  ${clean(f.path)}: ${clean(f.message)}`);
  lines.push(`  reviews (${reviewState(h.reviews)}):`);
  if (h.reviews.length === 0) lines.push('    none');
  for (const r of h.reviews) lines.push(`    #${r.id} ${r.at.slice(0, 16).replace('T', ' ')} ${r.decision} by ${r.by}: ${clean(r.note)}`);
  lines.push('  promotions:');
  if (h.promotions.length === 0) lines.push('    none');
  for (const p of h.promotions) {
    const target = p.targetClients.length > 0 ? ` for ${p.targetClients.join(', ')}` : '';
    lines.push(`    #${p.id} ${p.at.slice(0, 16).replace('T', ' ')} ${p.decision} ${p.fromStage} → ${p.toStage}${target} by ${p.by}`);
    for (const reason of p.reasons) lines.push(`        - ${clean(reason)}`);
  }
  lines.push('  exceptions:');
  if (h.exceptions.length === 0) lines.push('    none');
  for (const e of h.exceptions) {
    const state = e.expiresOn < today ? `EXPIRED on ${e.expiresOn}` : `until ${e.expiresOn}`;
    lines.push(`    #${e.id} serve ${e.client} with data of ${e.dataClients.join(', ')} ${state}, approved by ${e.approvedBy}: ${clean(e.reason)}`);
  }
  if (h.exports.length > 0) {
    lines.push('  exports:');
    for (const x of h.exports) lines.push(`    #${x.id} ${x.at.slice(0, 16).replace('T', ' ')} ${x.decision} to ${clean(x.destination)} by ${x.by}${x.reasons.length > 0 ? `: ${clean(x.reasons.join('; '))}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderScan(ref: string, scan: ModelScanRecord): string {
  const lines = [`${ref}: ${scanLine(scan)}`];
  for (const f of scan.findings.slice(0, 20)) lines.push(`  ${f.severity.padEnd(8)} ${f.ruleId}  ${clean(f.path)}: ${clean(f.message)}`);
  return `${lines.join('\n')}\n`;
}

export function renderExport(ref: string, by: string, allowed: boolean, path: string | null, reasons: readonly string[]): string {
  if (allowed) return `exported ${ref} to ${clean(path ?? '?')} (recorded)\n`;
  return `REFUSED: export of ${ref} by ${by} (recorded):\n${reasons.map((r) => `  - ${clean(r)}\n`).join('')}`;
}
