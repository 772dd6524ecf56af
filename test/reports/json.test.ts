import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEVERITIES } from '../../src/domain/index.js';
import type { Finding } from '../../src/domain/index.js';
import { JSON_REPORT_SCHEMA_VERSION, renderReport } from '../../src/reports/index.js';
import { createFinding } from '../../src/scanners/index.js';
import { OPTIONS, assessmentDocument, scanDocument } from './fixtures.js';

interface JsonReport {
  schemaVersion: number;
  kind: string;
  tool: { name: string; version: string };
  findings: Finding[];
  [key: string]: unknown;
}

function parse(text: string): JsonReport {
  const value: unknown = JSON.parse(text);
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
  return value as JsonReport;
}

function assertFindingShape(finding: Finding): void {
  assert.equal(typeof finding.ruleId, 'string');
  assert.ok((SEVERITIES as readonly string[]).includes(finding.severity));
  assert.equal(typeof finding.message, 'string');
  assert.equal(typeof finding.location.path, 'string');
  if (finding.location.line !== undefined) assert.equal(typeof finding.location.line, 'number');
  assert.match(finding.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(typeof finding.source, 'string');
  for (const [key, value] of Object.entries(finding)) assert.notEqual(value, null, `${key} is omitted, never null`);
}

describe('JSON report', () => {
  it('gives a scan a stable object: scanner, summary counts, unscannable, stats and findings', () => {
    const doc = scanDocument({}, 'high');
    const report = parse(renderReport(doc, 'json', OPTIONS));
    assert.equal(report.schemaVersion, JSON_REPORT_SCHEMA_VERSION);
    assert.equal(report.kind, 'scan');
    assert.deepEqual(report.tool, { name: 'warden', version: '0.1.0' });
    assert.equal(report['scanner'], 'secrets');
    // Two results merged: counts add up, the earliest start wins, stats are summed.
    assert.deepEqual(report['summary'], {
      findings: 5,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 1, info: 1 },
      scanned: 43,
      unscannable: 2,
      failOn: 'high',
      failing: 2,
    });
    assert.equal(report['startedAt'], '2026-11-20T14:02:10.000Z');
    assert.equal(report['durationMs'], 420);
    assert.deepEqual(report['stats'], { bytesRead: 1_000_500, filesSkipped: 4 });
    assert.deepEqual(report['unscannable'], [
      { path: 'repos/research/big.bin', reason: 'larger than 64 MiB' },
      { path: 'repos/broken.zip', reason: 'corrupt zip central directory' },
    ]);
    assert.equal(report.findings.length, 5);
    report.findings.forEach(assertFindingShape);
    assert.deepEqual(report.findings.map((f) => f.severity), ['critical', 'high', 'medium', 'low', 'info']);
  });

  it('round-trips every finding field unchanged', () => {
    const doc = scanDocument();
    const original = doc.results.flatMap((r) => r.findings);
    const report = parse(renderReport(doc, 'json', OPTIONS));
    for (const finding of original) {
      const copy = report.findings.find((f) => f.fingerprint === finding.fingerprint);
      assert.deepEqual(copy, JSON.parse(JSON.stringify(finding)));
    }
  });

  it('reports no failing findings without a threshold', () => {
    const summary = parse(renderReport(scanDocument(), 'json', OPTIONS))['summary'] as Record<string, unknown>;
    assert.equal(summary['failing'], 0);
    assert.equal('failOn' in summary, false);
  });

  it('gives an assessment the full result with findings in the same shape as a scan', () => {
    const doc = assessmentDocument();
    const report = parse(renderReport(doc, 'json', OPTIONS));
    assert.equal(report.kind, 'assessment');
    assert.equal(report.schemaVersion, 1);
    for (const key of ['pillars', 'assets', 'controls', 'gaps', 'roadmap', 'scanners'] as const) {
      assert.deepEqual(report[key], JSON.parse(JSON.stringify(doc.result[key])), key);
    }
    const assets = report['assets'] as Array<{ answers: unknown[]; blastRadius: { records: number } }>;
    assert.equal(assets[0]?.answers.length, 5);
    assert.equal(assets[0]?.blastRadius.records, 1_200_000);
    report.findings.forEach(assertFindingShape);
    const summary = report['summary'] as Record<string, unknown>;
    assert.equal(summary['score'], 63.1);
    assert.equal(summary['findings'], report.findings.length);
  });

  it('adds a finding for a failed control the engine left out, with the engine fingerprint scheme', () => {
    const doc = assessmentDocument();
    const report = parse(renderReport(doc, 'json', OPTIONS));
    assert.equal(report.findings.length, doc.result.findings.length + 1);
    const added = report.findings.find((f) => f.ruleId === 'control/WD-INFRA-01');
    assert.ok(added, 'the failed WD-INFRA-01 has a finding');
    const gap = doc.result.gaps.find((g) => g.controlId === 'WD-INFRA-01');
    const expected = createFinding({
      ruleId: 'control/WD-INFRA-01',
      severity: 'low',
      message: 'x',
      location: { path: 'warden.yaml' },
      source: 'assessment',
      ...(gap?.asset !== undefined && { asset: gap.asset }),
      key: `WD-INFRA-01|${gap?.asset ?? ''}`,
    });
    assert.equal(added.fingerprint, expected.fingerprint);
    assert.deepEqual(added.controls, ['WD-INFRA-01']);
    // Nothing is duplicated for controls the engine did report.
    const ids = report.findings.map((f) => `${f.ruleId}|${f.asset ?? ''}|${f.location.path}`);
    assert.equal(new Set(ids).size, ids.length);
  });
});
