// The secrets scanner as users run it: targets, options, warden.yaml allowlists, baselines,
// fingerprints, masking everywhere, skipped files, symbolic links and git history.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WardenError, workspaceSchema } from '../../../src/domain/index.js';
import type { Finding, Workspace } from '../../../src/domain/index.js';
import { globToRegExp, loadSecretsConfig, secretsScanner } from '../../../src/scanners/secrets/index.js';
import { FakeCredentials } from '../../fixtures/secrets/fake-credentials.js';

const f = new FakeCredentials(1234);
let dir: string;

function workspace(secrets?: Record<string, unknown>): Workspace {
  return workspaceSchema.parse({
    version: 1,
    organisation: { name: 'Acme', headcount: 10 },
    ...(secrets !== undefined && { scanners: { secrets } }),
  });
}

async function scan(root: string, options: Record<string, string | boolean> = {}, ws?: Workspace) {
  return secretsScanner.scan({ root, inputs: [root] }, { options, ...(ws !== undefined && { workspace: ws }) });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-secrets-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets scanner', () => {
  it('targets local paths of code, notebook, pipeline, training and dataset assets only', () => {
    const asset = (kind: string, location?: string) => ({ id: 'a1', kind, owner: 'o1', ...(location !== undefined && { location }) }) as never;
    assert.deepEqual(secretsScanner.targetFor(asset('code-repository', 'repos/app'), '/ws'), { root: '/ws', inputs: ['/ws/repos/app'], asset: 'a1' });
    assert.ok(secretsScanner.targetFor(asset('dataset', 'data/x.csv'), '/ws'));
    assert.equal(secretsScanner.targetFor(asset('dataset', 's3://bucket/x'), '/ws'), undefined);
    assert.equal(secretsScanner.targetFor(asset('notebook-server', 'jupyter.internal:8888'), '/ws'), undefined);
    assert.equal(secretsScanner.targetFor(asset('notebook-server', '203.0.113.10:8888'), '/ws'), undefined);
    // A repository checked out outside the workspace folder is still scanned.
    assert.deepEqual(secretsScanner.targetFor(asset('code-repository', '/abs/path'), '/ws')?.inputs, ['/abs/path']);
    assert.equal(secretsScanner.targetFor(asset('model', 'models/x'), '/ws'), undefined);
    assert.equal(secretsScanner.targetFor(asset('pipeline'), '/ws'), undefined);
    assert.equal(secretsScanner.name, 'secrets');
    assert.equal(secretsScanner.evidenceKind, 'scan:secrets');
  });

  it('never puts a raw secret in a message, evidence, property or fingerprint, and sets controls', async () => {
    const root = join(dir, 'mask');
    mkdirSync(root, { recursive: true });
    const secrets = [f.openai(), f.github(), f.awsSecretKey(), f.password(), f.stripeLive()];
    writeFileSync(join(root, 'app.env'), `OPENAI_API_KEY=${secrets[0]}\nGH=${secrets[1]}\naws_secret_access_key=${secrets[2]}\nDB_PASSWORD=${secrets[3]}\nSTRIPE=${secrets[4]}\n`);
    const nb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['print(1)\n'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`OPENAI_API_KEY=${secrets[0]}\n`, 'mail: jo.ng@gmail.com\n'] }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    writeFileSync(join(root, 'n.ipynb'), nb);
    const result = await scan(root);
    const json = JSON.stringify(result);
    for (const s of secrets) {
      assert.ok(!json.includes(s), 'raw secret in output');
      assert.ok(!json.includes(s.slice(-12)), 'long tail of a secret in output');
    }
    const ids = result.findings.map((x) => x.ruleId).sort();
    assert.deepEqual(ids, [
      'secrets/aws-secret-access-key',
      'secrets/generic-password',
      'secrets/github-classic-token',
      'secrets/openai-project-key',
      'secrets/openai-project-key',
      'secrets/pii-email',
      'secrets/stripe-secret-key',
    ]);
    const nbFinding = result.findings.find((x) => x.location.path === 'n.ipynb' && x.ruleId === 'secrets/openai-project-key') as Finding;
    assert.deepEqual(nbFinding.controls, ['WD-INFRA-05', 'WD-INFRA-04']);
    assert.equal(nbFinding.location.member, 'cell 1 output 1');
    assert.equal(nbFinding.properties?.['cell'], 1);
    assert.equal(nbFinding.properties?.['cellLine'], 1);
    const pii = result.findings.find((x) => x.ruleId === 'secrets/pii-email') as Finding;
    assert.deepEqual(pii.controls, ['WD-DATA-01', 'WD-INFRA-04']);
    assert.equal(pii.properties?.['classification'], 'confidential');
    assert.deepEqual(result.findings.find((x) => x.location.path === 'app.env')?.controls, ['WD-INFRA-05']);
    for (const rule of secretsScanner.rules) assert.ok(rule.id.startsWith('secrets/') && rule.title.length > 0);
  });

  it('keeps fingerprints when lines move, and baselines report only new findings', async () => {
    const root = join(dir, 'baseline');
    mkdirSync(root, { recursive: true });
    const old = f.github();
    writeFileSync(join(root, 'a.py'), `TOKEN = "${old}"\n`);
    const baselineFile = join(dir, 'baseline.json');
    const first = await scan(root, { writeBaseline: baselineFile });
    assert.equal(first.findings.length, 1);
    const stored = readFileSync(baselineFile, 'utf8');
    assert.ok(!stored.includes(old));
    const fresh = f.groq();
    writeFileSync(join(root, 'a.py'), `import os\n\n# moved down\nTOKEN = "${old}"\nGROQ = "${fresh}"\n`);
    const moved = await scan(root);
    assert.equal(moved.findings.find((x) => x.ruleId === 'secrets/github-classic-token')?.fingerprint, first.findings[0]?.fingerprint);
    const second = await scan(root, { baseline: baselineFile });
    assert.deepEqual(second.findings.map((x) => x.ruleId), ['secrets/groq-api-key']);
    assert.equal(second.stats?.['baselined'], 1);
    writeFileSync(join(dir, 'bad-baseline.json'), '{"version": 2}');
    await assert.rejects(scan(root, { baseline: join(dir, 'bad-baseline.json') }), (e: unknown) => e instanceof WardenError && e.code === 'INPUT_INVALID');
  });

  it('applies allow_paths and allow_patterns from warden.yaml and rejects bad values naming the field', async () => {
    const root = join(dir, 'allow');
    mkdirSync(join(root, 'fixtures'), { recursive: true });
    const a = f.github();
    const b = f.github();
    const c = f.github();
    writeFileSync(join(root, 'fixtures', 'keys.py'), `T = "${a}"\n`);
    writeFileSync(join(root, 'app.py'), `T = "${b}"  # revoked-2024\nU = "${c}"\n`);
    const result = await scan(root, {}, workspace({ allow_paths: ['fixtures/**'], allow_patterns: ['revoked-2024'] }));
    assert.deepEqual(result.findings.map((x) => x.location.line), [2]);
    assert.equal(result.stats?.['allowedPaths'], 1);
    assert.equal(result.stats?.['suppressedPattern'], 1);
    assert.throws(() => loadSecretsConfig(workspace({ allow_patterns: ['(unclosed'] })), (e: unknown) => e instanceof WardenError && e.details['field'] === 'scanners.secrets.allow_patterns[0]');
    assert.throws(() => loadSecretsConfig(workspace({ allow_paths: 'x' })), (e: unknown) => e instanceof WardenError && e.details['field'] === 'scanners.secrets.allow_paths');
    assert.throws(() => loadSecretsConfig(workspace({ alow_paths: [] })), (e: unknown) => e instanceof WardenError && e.details['field'] === 'scanners.secrets.alow_paths');
    assert.ok(globToRegExp('**/*.ipynb').test('a/b/c.ipynb') && globToRegExp('*.env').test('deep/x.env') && !globToRegExp('src/*.py').test('src/a/b.py'));
  });

  it('skips binary and generated files by content, refuses symbolic links, reports unreadable inputs', async () => {
    const root = join(dir, 'skip');
    mkdirSync(root, { recursive: true });
    const key = f.github();
    writeFileSync(join(root, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`T=${key}`)]));
    writeFileSync(join(root, 'gen.go'), `// Code generated by protoc-gen-go. DO NOT EDIT.\nvar t = "${key}"\n`);
    writeFileSync(join(dir, 'outside.txt'), `T=${f.github()}\n`);
    symlinkSync(join(dir, 'outside.txt'), join(root, 'link.txt'));
    const result = await scan(root);
    assert.deepEqual(result.findings, []);
    assert.equal(result.stats?.['skippedBinary'], 1);
    assert.equal(result.stats?.['skippedGenerated'], 1);
    const missing = await secretsScanner.scan({ root, inputs: [join(root, 'nope')] }, { options: {} });
    assert.equal(missing.unscannable[0]?.reason, 'not found');
    writeFileSync(join(root, 'broken.ipynb'), `{"cells": [ T=${key}`);
    const broken = await scan(root);
    assert.ok(broken.unscannable.some((u) => u.path === 'broken.ipynb' && /not valid JSON/.test(u.reason)));
    assert.ok(broken.findings.some((x) => x.location.path === 'broken.ipynb'), 'still scanned as text');
  });

  it('finds a secret removed from HEAD in git history, with commit, author and date', async () => {
    const root = join(dir, 'history');
    mkdirSync(root, { recursive: true });
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=Dana Dev', '-c', 'user.email=dana@example.com', '-c', 'commit.gpgsign=false', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: '2024-05-06T07:08:09Z', GIT_COMMITTER_DATE: '2024-05-06T07:08:09Z' },
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    git('init', '-q', '-b', 'main');
    const key = f.huggingface();
    writeFileSync(join(root, 'train.py'), `import x\n\nHF_TOKEN = "${key}"\n`);
    git('add', '-A');
    git('commit', '-q', '-m', 'add training');
    writeFileSync(join(root, 'train.py'), 'import x\n\nHF_TOKEN = os.environ["HF_TOKEN"]\n');
    git('commit', '-q', '-am', 'use env');
    const head = await scan(root);
    assert.deepEqual(head.findings, []);
    const withHistory = await scan(root, { history: true });
    assert.equal(withHistory.findings.length, 1);
    const h = withHistory.findings[0] as Finding;
    assert.equal(h.ruleId, 'secrets/huggingface-token');
    assert.equal(h.location.path, 'train.py');
    assert.equal(h.location.line, 3);
    assert.equal(h.properties?.['author'], 'Dana Dev');
    assert.equal(Date.parse(String(h.properties?.['date'])), Date.parse('2024-05-06T07:08:09Z'));
    assert.equal(h.properties?.['commit'], git('rev-list', '--max-parents=0', 'HEAD').trim());
    assert.ok(!JSON.stringify(withHistory).includes(key));
    const notRepo = await secretsScanner.scan({ root: dir, inputs: [join(dir, 'skip')] }, { options: { history: true } });
    assert.ok(notRepo.unscannable.some((u) => /not inside a git repository|history not scanned/.test(u.reason)));
  });

  it('validates its options', async () => {
    await assert.rejects(scan(dir, { jobs: 'many' }), (e: unknown) => e instanceof WardenError && e.code === 'USAGE');
  });
});
