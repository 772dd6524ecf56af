/**
 * The `json` format: a stable, documented object for machines (docs/findings.md is its contract).
 * Both document kinds put their findings in a top-level `findings` array of the same shape, so
 * one `jq '.findings[]'` pipeline works on a scan and on an assessment alike.
 */
import { LazyList, jsonChunks } from './json-chunks.js';
import { countBySeverity } from '../domain/index.js';
import type { Finding, FindingLocation } from '../domain/index.js';
import { assessmentFindings, scanView } from './report-model.js';
import type { AssessmentDocument, RenderOptions, ScanDocument } from './report-types.js';

/** Bumped only on a breaking change of the JSON report shape; additions keep it. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

/** The location with a fixed key order; absent optional keys are omitted, never null. */
function jsonLocation(location: FindingLocation): FindingLocation {
  return {
    path: location.path,
    ...(location.line !== undefined && { line: location.line }),
    ...(location.column !== undefined && { column: location.column }),
    ...(location.endLine !== undefined && { endLine: location.endLine }),
    ...(location.url !== undefined && { url: location.url }),
    ...(location.member !== undefined && { member: location.member }),
  };
}

/** One finding in the documented shape and key order. */
export function jsonFinding(finding: Finding): Finding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    location: jsonLocation(finding.location),
    fingerprint: finding.fingerprint,
    source: finding.source,
    ...(finding.asset !== undefined && { asset: finding.asset }),
    ...(finding.evidence !== undefined && { evidence: finding.evidence }),
    ...(finding.remediation !== undefined && { remediation: finding.remediation }),
    ...(finding.controls !== undefined && finding.controls.length > 0 && { controls: [...finding.controls] }),
    ...(finding.properties !== undefined && { properties: { ...finding.properties } }),
  };
}

function tool(options: RenderOptions): { name: string; version: string } {
  return { name: 'warden', version: options.toolVersion };
}

export function renderAssessmentJson(doc: AssessmentDocument, options: RenderOptions): Iterable<string> {
  const r = doc.result;
  const findings = assessmentFindings(r);
  const report = {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    kind: 'assessment',
    tool: tool(options),
    id: r.id,
    createdAt: r.createdAt,
    workspace: r.workspace,
    summary: { ...r.summary, findings: findings.length, findingsBySeverity: countBySeverity(findings) },
    pillars: r.pillars,
    assets: r.assets,
    controls: r.controls,
    gaps: r.gaps,
    roadmap: r.roadmap,
    scanners: r.scanners,
    findings: new LazyList(findings.length, (i) => jsonFinding(findings[i] as Finding)),
  };
  return jsonChunks(report);
}

export function renderScanJson(doc: ScanDocument, options: RenderOptions): Iterable<string> {
  const view = scanView(doc);
  const report = {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    kind: 'scan',
    tool: tool(options),
    scanner: view.scanner,
    ...(view.startedAt !== undefined && { startedAt: view.startedAt }),
    durationMs: view.durationMs,
    summary: {
      findings: view.findings.length,
      bySeverity: view.counts,
      scanned: view.scanned,
      unscannable: view.unscannable.length,
      ...(view.failOn !== undefined && { failOn: view.failOn }),
      failing: view.failing,
    },
    unscannable: view.unscannable.map((u) => ({ path: u.path, reason: u.reason })),
    stats: view.stats,
    findings: view.findings.map(jsonFinding),
  };
  return jsonChunks(report);
}
