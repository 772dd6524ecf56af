import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PillarScore } from '../../src/domain/index.js';
import { diffRuns } from '../../src/engine/index.js';
import type { ControlChange } from '../../src/engine/index.js';
import { buildAssessmentResult, control, finding } from '../helpers/test-store.js';

const keys = (changes: readonly ControlChange[]) => changes.map((c) => `${c.controlId}@${c.asset ?? '-'}:${c.before ?? '∅'}→${c.after ?? '∅'}`);
const pillar = (p: PillarScore['pillar'], score: number): PillarScore => ({ pillar: p, score, passed: 0, failed: 0, partial: 0, pending: 0 });

describe('diffRuns', () => {
  const before = buildAssessmentResult({
    id: 'before',
    score: 40,
    pillars: [pillar('data', 30), pillar('models', 55.5), pillar('people', 70)],
    controls: [
      control('WD-DATA-01', 'fail', 'db', 'critical'), // fixed
      control('WD-DATA-01', 'pass', 'lake'), // regressed (same control, other asset)
      control('WD-DATA-02', 'partial', 'db', 'medium'), // fixed
      control('WD-INF-01', 'fail', 'gpu', 'high'), // worsened status but still a gap: only a status change
      control('WD-PPL-01', 'needs-attestation'), // → fail: a new gap, not a regression
      control('WD-MOD-01', 'fail', 'llm', 'low'), // gone in after: resolved gap
      control('WD-CMP-01', 'pass'), // unchanged
    ],
    findings: [finding('same', 'high', { line: 3 }), finding('gone', 'critical')],
  });
  const after = buildAssessmentResult({
    id: 'after',
    score: 52.35,
    pillars: [pillar('data', 60), pillar('models', 50), pillar('compliance', 80)],
    controls: [
      control('WD-DATA-01', 'pass', 'db'),
      control('WD-DATA-01', 'partial', 'lake', 'high'),
      control('WD-DATA-02', 'pass', 'db'),
      control('WD-INF-01', 'partial', 'gpu', 'medium'),
      control('WD-PPL-01', 'fail', undefined, 'medium'),
      control('WD-CMP-01', 'pass'),
      control('WD-INF-02', 'fail', 'new-host', 'critical'), // newly evaluated: new gap
    ],
    // 'same' moved lines: same fingerprint, so neither new nor resolved.
    findings: [finding('same', 'high', { line: 90 }), finding('fresh', 'medium'), finding('fresh', 'medium')],
  });
  const diff = diffRuns(before, after);

  it('separates fixes, regressions, new and resolved gaps', () => {
    assert.deepEqual(keys(diff.controls.fixed), ['WD-DATA-01@db:fail→pass', 'WD-DATA-02@db:partial→pass']);
    assert.deepEqual(keys(diff.controls.regressed), ['WD-DATA-01@lake:pass→partial']);
    assert.deepEqual(keys(diff.controls.newGaps), ['WD-INF-02@new-host:∅→fail', 'WD-DATA-01@lake:pass→partial', 'WD-PPL-01@-:needs-attestation→fail']);
    assert.deepEqual(keys(diff.controls.resolvedGaps), ['WD-DATA-01@db:fail→pass', 'WD-DATA-02@db:partial→pass', 'WD-MOD-01@llm:fail→∅']);
  });

  it('lists every status change, most severe first, including partial↔fail and appearing/disappearing controls', () => {
    assert.deepEqual(keys(diff.controls.statusChanges), [
      'WD-DATA-01@db:fail→pass',
      'WD-INF-02@new-host:∅→fail',
      'WD-DATA-01@lake:pass→partial',
      'WD-DATA-02@db:partial→pass',
      'WD-INF-01@gpu:fail→partial',
      'WD-PPL-01@-:needs-attestation→fail',
      'WD-MOD-01@llm:fail→∅',
    ]);
    const inf = diff.controls.statusChanges.find((c) => c.controlId === 'WD-INF-01');
    assert.equal(inf?.severity, 'medium', 'a gap change carries the after-run severity');
  });

  it('matches findings by fingerprint: moved is unchanged, duplicates count once', () => {
    assert.deepEqual(diff.findings.new.map((f) => f.message), ['API key fresh in source']);
    assert.deepEqual(diff.findings.resolved.map((f) => f.message), ['API key gone in source']);
  });

  it('computes the score delta overall and per pillar', () => {
    assert.deepEqual(diff.score, { before: 40, after: 52.35, delta: 12.35 });
    assert.deepEqual(diff.pillars, [
      { pillar: 'data', before: 30, after: 60, delta: 30 },
      { pillar: 'models', before: 55.5, after: 50, delta: -5.5 },
      { pillar: 'people', before: 70 },
      { pillar: 'compliance', after: 80 },
    ]);
    assert.deepEqual([diff.before.id, diff.after.id], ['before', 'after']);
  });

  it('finds nothing between a run and itself, and does not modify its inputs', () => {
    const copy = structuredClone(before);
    const same = diffRuns(before, before);
    assert.equal(same.controls.statusChanges.length, 0);
    assert.equal(same.findings.new.length + same.findings.resolved.length, 0);
    assert.equal(same.score.delta, 0);
    assert.ok(same.pillars.every((p) => p.delta === 0));
    assert.deepEqual(before, copy);
  });

  it('swapping the runs swaps fixed with regressed and new with resolved', () => {
    const back = diffRuns(after, before);
    assert.deepEqual(keys(back.controls.regressed), ['WD-DATA-01@db:pass→fail', 'WD-DATA-02@db:pass→partial']);
    assert.deepEqual(keys(back.controls.fixed), ['WD-DATA-01@lake:partial→pass']);
    assert.equal(back.controls.newGaps.length, diff.controls.resolvedGaps.length);
    assert.deepEqual(back.findings.new.map((f) => f.fingerprint), diff.findings.resolved.map((f) => f.fingerprint));
    assert.equal(back.score.delta, -12.35);
  });
});
