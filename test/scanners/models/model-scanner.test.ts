// The Scanner contract as the CLI and the assessment engine use it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atOrAbove, maxSeverity } from '../../../src/domain/index.js';
import type { Asset } from '../../../src/domain/index.js';
import { modelScanner } from '../../../src/scanners/models/index.js';
import { localPathOf } from '../../../src/scanners/index.js';
import { fixturesDir, globalCallV0 } from './model-test-helpers.js';

const asset = (kind: Asset['kind'], location?: string): Asset => ({ id: 'm1', kind, owner: 'alice', ...(location !== undefined && { location }) });

describe('model scanner contract', () => {
  it('targets local model and registry assets, not URIs or other kinds', () => {
    assert.deepEqual(modelScanner.targetFor(asset('model', 'models/bert'), '/ws'), { root: '/ws', inputs: ['/ws/models/bert'], asset: 'm1' });
    assert.deepEqual(modelScanner.targetFor(asset('model-registry', '/srv/registry'), '/ws')?.inputs, ['/srv/registry']);
    assert.deepEqual(modelScanner.targetFor(asset('model', 'file:///data/m.pt'), '/ws')?.inputs, ['/data/m.pt']);
    for (const location of ['s3://bucket/model', 'hf://org/model', 'https://example.invalid/m.pt', 'registry.local:5000', 'hf:org/model']) {
      assert.equal(modelScanner.targetFor(asset('model', location), '/ws'), undefined, location);
    }
    assert.equal(modelScanner.targetFor(asset('dataset', 'data/x.pkl'), '/ws'), undefined);
    assert.equal(modelScanner.targetFor(asset('model'), '/ws'), undefined);
    assert.equal(localPathOf('C:\\models\\m.pt', '/ws'), '/ws/C:\\models\\m.pt');
    for (const endpoint of ['203.0.113.10:8888', '[2001:db8::1]:8080', 'gpu-box:8265/dashboard', ' https://x.example ']) {
      assert.equal(localPathOf(endpoint, '/ws'), undefined, endpoint);
    }
    assert.equal(localPathOf('repos/ml-platform', '/ws'), '/ws/repos/ml-platform');
  });

  it('declares its evidence kind, rules and default threshold', () => {
    assert.equal(modelScanner.name, 'models');
    assert.equal(modelScanner.evidenceKind, 'scan:models');
    assert.equal(modelScanner.defaultFailOn, 'high');
    assert.ok(modelScanner.rules.some((r) => r.id === 'models/pickle-dangerous-import' && r.severity === 'critical'));
  });

  describe('scanning a folder', () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'warden-models-scan-'));
      await mkdir(join(dir, 'release'), { recursive: true });
      await copyFile(join(fixturesDir, 'torch-state-dict.pt'), join(dir, 'release', 'model.pt'));
      await copyFile(join(fixturesDir, 'torch-payload.pt'), join(dir, 'release', 'checkpoint.bin'));
      await writeFile(join(dir, 'release', 'README.md'), '# a model\n');
      await writeFile(join(dir, 'release', 'broken.pt'), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'));
      await writeFile(join(dir, 'notes.png'), globalCallV0('os', 'system', 'id'));
      // Links met while walking are not followed (they could point anywhere); a named one is.
      await symlink(join(dir, 'notes.png'), join(dir, 'release', 'alias.pt'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports findings with rule, severity, import, member and controls, and what it could not scan', async () => {
      const progress: number[] = [];
      const result = await modelScanner.scan({ root: dir, inputs: [dir], asset: 'm1' }, { options: {}, onProgress: (p) => progress.push(p.done) });
      assert.equal(result.scanner, 'models');
      const critical = result.findings.filter((f) => f.ruleId === 'models/pickle-dangerous-import');
      assert.deepEqual(
        critical.map((f) => [f.location.path, f.location.member, f.properties?.['import'], f.asset]).sort(),
        [
          ['notes.png', undefined, 'os.system', 'm1'],
          ['release/checkpoint.bin', 'torch-payload/data.pkl', 'os.system', 'm1'],
        ],
      );
      for (const finding of result.findings) assert.deepEqual(finding.controls, ['WD-MODEL-03', 'WD-MODEL-04']);
      assert.deepEqual(result.unscannable.map((u) => u.path), ['release/broken.pt']);
      assert.ok(result.findings.some((f) => f.ruleId === 'models/unscannable' && f.location.path === 'release/broken.pt' && f.severity === 'medium'));
      assert.equal(result.stats?.['files'], 5);
      assert.equal(result.stats?.['skipped'], 1, 'README.md is not a model and has no model extension');
      assert.equal(result.scanned, 3);
      assert.ok((result.stats?.['bytesRead'] ?? 0) > 0);
      assert.equal(progress.length, 5);
      const worst = maxSeverity(result.findings);
      assert.ok(worst !== undefined && atOrAbove(worst, modelScanner.defaultFailOn ?? 'high'), 'a CLI run with the default --fail-on exits 1');
    });

    it('gives findings fingerprints that stay stable between runs', async () => {
      const first = await modelScanner.scan({ root: dir, inputs: [join(dir, 'release')] }, { options: {} });
      const second = await modelScanner.scan({ root: dir, inputs: [join(dir, 'release')] }, { options: {} });
      assert.deepEqual(first.findings.map((f) => f.fingerprint), second.findings.map((f) => f.fingerprint));
      assert.equal(new Set(first.findings.map((f) => f.fingerprint)).size, first.findings.length);
    });

    it('follows a symbolic link the user names', async () => {
      const result = await modelScanner.scan({ root: dir, inputs: [join(dir, 'release', 'alias.pt')] }, { options: {} });
      assert.equal(result.findings[0]?.properties?.['import'], 'os.system');
    });

    it('reports a missing input as unscannable instead of failing the run', async () => {
      const result = await modelScanner.scan({ root: dir, inputs: [join(dir, 'nope.pt')] }, { options: {} });
      assert.match(result.unscannable[0]?.reason ?? '', /cannot read input/);
    });
  });
});
