import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atOrAbove, countBySeverity, maxSeverity, sortFindings } from '../../src/domain/index.js';
import { createFinding } from '../../src/scanners/index.js';

describe('finding model', () => {
  const base = { source: 'test', message: 'm', remediation: 'r' } as const;

  it('orders severities and thresholds', () => {
    assert.equal(atOrAbove('critical', 'high'), true);
    assert.equal(atOrAbove('medium', 'high'), false);
    assert.equal(atOrAbove('info', 'info'), true);
  });

  it('keeps the fingerprint when a finding moves lines but not when what was found changes', () => {
    const a = createFinding({ ...base, ruleId: 'r1', severity: 'high', location: { path: 'a/b.py', line: 3 }, key: 'k' });
    const moved = createFinding({ ...base, ruleId: 'r1', severity: 'high', location: { path: 'a/b.py', line: 90 }, key: 'k' });
    const other = createFinding({ ...base, ruleId: 'r1', severity: 'high', location: { path: 'a/b.py', line: 3 }, key: 'k2' });
    assert.equal(a.fingerprint, moved.fingerprint);
    assert.notEqual(a.fingerprint, other.fingerprint);
    assert.match(a.fingerprint, /^[0-9a-f]{32}$/);
  });

  it('normalises Windows separators in paths', () => {
    const f = createFinding({ ...base, ruleId: 'r', severity: 'low', location: { path: '.\\x\\y.txt' } });
    assert.equal(f.location.path, 'x/y.txt');
  });

  it('sorts most severe first and counts by severity', () => {
    const mk = (severity: 'low' | 'critical' | 'medium', path: string) =>
      createFinding({ ...base, ruleId: 'r', severity, location: { path } });
    const sorted = sortFindings([mk('low', 'a'), mk('critical', 'b'), mk('medium', 'c')]);
    assert.deepEqual(sorted.map((f) => f.severity), ['critical', 'medium', 'low']);
    assert.equal(countBySeverity(sorted).critical, 1);
    assert.equal(maxSeverity(sorted), 'critical');
    assert.equal(maxSeverity([]), undefined);
  });
});
