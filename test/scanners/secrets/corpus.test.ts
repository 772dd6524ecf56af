// Recall and precision on the generated, labelled corpus (a real git repository with notebooks,
// configs, code, data files and history), and a clean result on Warden's own code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { secretsScanner } from '../../../src/scanners/secrets/index.js';
import { generateCorpus, score } from '../../fixtures/secrets/generate-corpus.js';
import { projectRoot } from '../../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'warden-secrets-corpus-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('labelled secrets corpus', () => {
  it('reaches recall and precision of at least 0.95, including notebooks, data files and history', async () => {
    const corpus = generateCorpus(join(work, 'repo'));
    const again = generateCorpus(join(work, 'repo2'));
    assert.deepEqual(again.labels, corpus.labels, 'the generator is deterministic');
    const result = await secretsScanner.scan({ root: corpus.root, inputs: [corpus.root] }, { options: { history: true } });
    const s = score(
      result.findings.map((f) => ({
        ruleId: f.ruleId,
        path: f.location.path,
        ...(f.location.line !== undefined && { line: f.location.line }),
        ...(f.location.member !== undefined && { member: f.location.member }),
        historical: f.properties?.['historical'] === true,
      })),
      corpus.labels,
    );
    console.log(`secrets corpus: ${corpus.labels.length} labels, ${corpus.lookalikes} look-alikes, ${result.findings.length} findings, recall ${s.recall.toFixed(3)}, precision ${s.precision.toFixed(3)}`);
    assert.deepEqual(s.missed, [], 'missed labels');
    assert.deepEqual(s.falsePositives, [], 'false positives');
    assert.ok(s.recall >= 0.95 && s.precision >= 0.95);
    assert.ok(corpus.labels.some((l) => l.history === true) && corpus.labels.some((l) => l.kind === 'pii') && corpus.labels.some((l) => l.member !== undefined));
  });

  it("finds nothing in Warden's own source and in the secrets scanner's tests and fixtures", async () => {
    const inputs = ['src', 'bench/secrets-bench.ts', 'test/scanners/secrets', 'test/fixtures/secrets'].map((p) => join(projectRoot, p));
    const result = await secretsScanner.scan({ root: projectRoot, inputs }, { options: {} });
    assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}`), []);
  });
});
