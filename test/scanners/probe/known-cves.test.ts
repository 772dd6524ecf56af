// The dated CVE list: it loads, every entry is sourced, and version ranges mean what advisories mean.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WardenError } from '../../../src/domain/index.js';
import { inRange, knownCves, matchCves, parseKnownCves } from '../../../src/scanners/probe/index.js';

describe('known CVE list', () => {
  it('loads, is dated, and names sources for every entry', () => {
    const list = knownCves();
    assert.match(list.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(list.entries.length >= 10);
    for (const e of list.entries) {
      assert.match(e.id, /^CVE-\d{4}-\d{4,}$/);
      assert.ok(e.sources.some((s) => s.startsWith('https://nvd.nist.gov/vuln/detail/')), `${e.id} has no NVD source`);
      assert.equal(new Set(list.entries.filter((x) => x.id === e.id && x.service === e.service)).size, 1, `${e.id} listed twice`);
    }
  });

  it('treats fixed as exclusive, last_affected and introduced as inclusive, pre-releases as earlier', () => {
    assert.equal(inRange('2.2.0', { fixed: '2.2.1' }), true);
    assert.equal(inRange('2.2.1', { fixed: '2.2.1' }), false);
    assert.equal(inRange('2.2.1rc1', { fixed: '2.2.1' }), true);
    assert.equal(inRange('2.17.0', { lastAffected: '2.17.0' }), true);
    assert.equal(inRange('2.18.0', { lastAffected: '2.17.0' }), false);
    assert.equal(inRange('0.7.9', { introduced: '0.8.0', fixed: '0.9.0' }), false);
    assert.equal(inRange('0.8.0', { introduced: '0.8.0', fixed: '0.9.0' }), true);
    assert.equal(inRange('v0.1.33', { fixed: '0.1.34' }), true);
    assert.equal(inRange('2.10.0', { fixed: '2.9.2' }), false, 'numeric, not lexical, comparison');
    assert.equal(inRange('unknown', { fixed: '1.0' }), undefined);
  });

  it('matches "every version" entries only when the service was open, and nothing for an unknown version', () => {
    const list = knownCves();
    assert.deepEqual(matchCves(list, 'ray', undefined, true).map((m) => m.cve.id), ['CVE-2023-48022']);
    assert.deepEqual(matchCves(list, 'ray', undefined, false), []);
    assert.deepEqual(matchCves(list, 'mlflow', 'not-a-version', true), []);
    assert.deepEqual(matchCves(list, 'ollama', '0.17.1', true), []);
  });

  it('rejects an entry without a source', () => {
    const text = 'as_of: 2026-01-01\nentries:\n  - { id: CVE-2024-0001, service: x, severity: high, title: t, affected: [{}], sources: [] }\n';
    assert.throws(() => parseKnownCves(text, 'test.yaml'), (e: unknown) => e instanceof WardenError && /sources/.test(e.message));
  });
});
