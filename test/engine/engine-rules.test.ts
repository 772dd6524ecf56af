import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { workspaceSchema } from '../../src/domain/index.js';
import type { Asset, Scanner, WorkspaceInput } from '../../src/domain/index.js';
import { assess } from '../../src/engine/index.js';
import { ScannerRegistry, createFinding } from '../../src/scanners/index.js';
import type { LoadedWorkspace } from '../../src/workspace/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function workspace(input: Partial<WorkspaceInput> & { assets: NonNullable<WorkspaceInput['assets']> }, dir = '/tmp'): LoadedWorkspace {
  const ws = workspaceSchema.parse({
    version: 1,
    organisation: { name: 'T', headcount: 8, regimes: ['gdpr'] },
    clients: [
      { id: 'c1', name: 'Client One', sector: 'health', regimes: ['hipaa'] },
      { id: 'c2', name: 'Client Two', sector: 'retail', regimes: ['gdpr'] },
    ],
    people: [
      { id: 'lead', name: 'Lead', email: 'lead@t.example', roles: ['security-lead'], clients: ['c1', 'c2'], training: [{ course: 'security-awareness', completed_on: '2026-01-01' }] },
      { id: 'ds', name: 'DS', email: 'ds@t.example', roles: ['data-scientist'], clients: ['c1'], training: [{ course: 'security-awareness', completed_on: '2026-01-01' }] },
    ],
    ...input,
  });
  return { workspace: ws, dir, file: join(dir, 'warden.yaml'), digest: 'x'.repeat(64), assetLines: new Map() };
}

const dataset = (over: Partial<Asset> & { id: string }): NonNullable<WorkspaceInput['assets']>[number] => ({
  kind: 'dataset',
  owner: 'lead',
  clients: ['c1'],
  classification: 'confidential',
  records: 100,
  controls: { encryption: { at_rest: true, in_transit: true }, access: ['lead'], access_logging: true, exposure: 'private', authentication: 'sso', retention_days: 30 },
  ...over,
});

/** A scanner written for this test: it proves the engine runs whatever is registered. */
function fakeScanner(name: string, behaviour: 'finds' | 'clean' | 'throws'): Scanner {
  return {
    name,
    description: 'test scanner',
    evidenceKind: `scan:${name}`,
    rules: [{ id: `${name}/rule`, title: 'rule', severity: 'high' }],
    targetFor: (asset, dir) => (asset.location?.startsWith('./') ? { root: dir, inputs: [join(dir, asset.location)] } : undefined),
    async scan(target) {
      if (behaviour === 'throws') throw new Error('disk on fire');
      const findings =
        behaviour === 'finds'
          ? [createFinding({ ruleId: `${name}/rule`, severity: 'high', message: 'bad thing', location: { path: 'x.py', line: 3 }, source: name, controls: ['WD-INFRA-05'], ...(target.asset !== undefined && { asset: target.asset }) })]
          : [];
      return { scanner: name, findings, scanned: 1, unscannable: [], startedAt: NOW.toISOString(), durationMs: 1 };
    },
  };
}

describe('assessment engine rules', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-engine-'));
    await writeFile(join(dir, 'x.py'), 'print(1)\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('propagates classification through lineage and fails a derived asset classified lower', async () => {
    const r = await assess(
      workspace({ assets: [dataset({ id: 'raw', classification: 'restricted' }), dataset({ id: 'copy', classification: 'internal', lineage: { derived_from: ['raw'] } })] }),
      { now: NOW },
    );
    const c = r.controls.find((x) => x.controlId === 'WD-DATA-01' && x.asset === 'copy');
    assert.equal(c?.status, 'fail');
    assert.match(c?.reason ?? '', /classified internal but derived from restricted data: raw \(restricted\)/);
    assert.equal(r.assets.find((a) => a.asset === 'copy')?.effectiveClassification, 'restricted');
  });

  it('runs every registered scanner the assets call for and uses its findings as evidence', async () => {
    const registry = new ScannerRegistry();
    registry.register(fakeScanner('secrets', 'finds'));
    // WD-INFRA-05 also weighs IaC evidence (credentials in plain env values): a clean one here.
    registry.register(fakeScanner('iac', 'clean'));
    const loaded = workspace({ assets: [{ id: 'repo', kind: 'code-repository', owner: 'lead', location: './x.py' }, { id: 'remote', kind: 'code-repository', owner: 'lead', location: 'https://git.example/r' }] }, dir);
    const r = await assess(loaded, { now: NOW, registry });
    const c = r.controls.find((x) => x.controlId === 'WD-INFRA-05' && x.asset === 'repo');
    assert.equal(c?.status, 'fail');
    assert.match(c?.reason ?? '', /secrets found 1 problem at or above high \(secrets\/rule\)/);
    assert.equal(r.controls.find((x) => x.controlId === 'WD-INFRA-05' && x.asset === 'remote')?.status, 'not-applicable');
    const f = r.findings.find((x) => x.source === 'secrets');
    assert.equal(f?.asset, 'repo');
    assert.equal(r.scanners.length, 2);
    assert.equal(r.scanners.find((s) => s.scanner === 'secrets')?.findings, 1);
  });

  it('passes the evidence control when the scanner finds nothing', async () => {
    const registry = new ScannerRegistry();
    registry.register(fakeScanner('secrets', 'clean'));
    const repo = { id: 'repo', kind: 'code-repository' as const, owner: 'lead', location: './x.py' };
    // Without an IaC scanner installed, the IaC evidence of the control is still missing.
    const partial = await assess(workspace({ assets: [repo] }, dir), { now: NOW, registry });
    const pending = partial.controls.find((x) => x.controlId === 'WD-INFRA-05');
    assert.equal(pending?.status, 'partial');
    assert.match(pending?.reason ?? '', /no installed scanner provides scan:iac evidence/);
    registry.register(fakeScanner('iac', 'clean'));
    const r = await assess(workspace({ assets: [repo] }, dir), { now: NOW, registry });
    assert.equal(r.controls.find((x) => x.controlId === 'WD-INFRA-05')?.status, 'pass');
  });

  it('never reads a failed scan as clean', async () => {
    const registry = new ScannerRegistry();
    registry.register(fakeScanner('secrets', 'throws'));
    const r = await assess(workspace({ assets: [{ id: 'repo', kind: 'code-repository', owner: 'lead', location: './x.py' }] }, dir), { now: NOW, registry });
    const c = r.controls.find((x) => x.controlId === 'WD-INFRA-05');
    assert.equal(c?.status, 'needs-evidence');
    assert.match(c?.reason ?? '', /scan failed: disk on fire/);
    assert.equal(r.scanners[0]?.error, 'disk on fire');
  });

  it('asks for evidence when scans are turned off', async () => {
    const registry = new ScannerRegistry();
    registry.register(fakeScanner('secrets', 'finds'));
    registry.register(fakeScanner('iac', 'finds'));
    const assets = [
      { id: 'repo', kind: 'code-repository' as const, owner: 'lead', location: './x.py' },
      { id: 'remote', kind: 'code-repository' as const, owner: 'lead', location: 'https://git.example/r' },
    ];
    const r = await assess(workspace({ assets }, dir), { now: NOW, registry, scan: false });
    const local = r.controls.find((x) => x.controlId === 'WD-INFRA-05' && x.asset === 'repo');
    assert.equal(local?.status, 'needs-evidence');
    assert.match(local?.reason ?? '', /scan:secrets was not run \(scans were turned off\)/);
    // Nothing would have been scanned for a remote repository: turning scans off changes nothing there.
    assert.equal(r.controls.find((x) => x.controlId === 'WD-INFRA-05' && x.asset === 'remote')?.status, 'not-applicable');
    assert.equal(r.scanners.length, 0);
  });

  it('applies controls by size profile', async () => {
    const small = await assess(workspace({ assets: [] }), { now: NOW });
    assert.equal(small.controls.find((c) => c.controlId === 'WD-PEOPLE-03')?.status, 'not-applicable');
    const large = await assess(workspace({ organisation: { name: 'T', headcount: 120, regimes: [] }, assets: [] }), { now: NOW });
    assert.equal(large.controls.find((c) => c.controlId === 'WD-PEOPLE-03')?.status, 'needs-attestation');
    assert.equal(large.workspace.sizeProfile, 'large');
  });

  it('keeps an accepted risk visible at low severity until the exception expires', async () => {
    const assets = [dataset({ id: 'a' }), dataset({ id: 'b', clients: ['c2'] }), { id: 'm', kind: 'model' as const, owner: 'lead', lineage: { trained_on: ['a', 'b'] } }];
    const open = await assess(workspace({ assets }), { now: NOW });
    assert.equal(open.controls.find((c) => c.controlId === 'WD-DATA-04' && c.asset === 'm')?.status, 'fail');
    const accepted = await assess(
      workspace({ assets, exceptions: [{ control: 'WD-DATA-04', asset: 'm', approved_by: 'lead', reason: 'both clients consented in writing', expires_on: '2026-12-31' }] }),
      { now: NOW },
    );
    const c = accepted.controls.find((x) => x.controlId === 'WD-DATA-04' && x.asset === 'm');
    assert.equal(c?.status, 'partial');
    assert.equal(c?.severity, 'low');
    assert.match(c?.reason ?? '', /accepted risk until 2026-12-31, approved by lead/);
    const expired = await assess(
      workspace({ assets, exceptions: [{ control: 'WD-DATA-04', asset: 'm', approved_by: 'lead', reason: 'x', expires_on: '2026-01-01' }] }),
      { now: NOW },
    );
    assert.equal(expired.controls.find((x) => x.controlId === 'WD-DATA-04' && x.asset === 'm')?.status, 'fail');
  });

  it('counts records of data derived from the same source once', async () => {
    const r = await assess(
      workspace({
        assets: [
          dataset({ id: 'raw', records: 1000 }),
          dataset({ id: 'features', records: 900, lineage: { derived_from: ['raw'] } }),
          dataset({ id: 'other', records: 50 }),
          { id: 'nb', kind: 'notebook-server', owner: 'lead', lineage: { reads: ['raw', 'features', 'other'] } },
        ],
      }),
      { now: NOW },
    );
    const nb = r.assets.find((a) => a.asset === 'nb');
    assert.equal(nb?.blastRadius.records, 1050);
    assert.deepEqual([...(nb?.blastRadius.dataSources ?? [])].sort(), ['features', 'other', 'raw']);
  });

  it('treats an undeclared control as missing, never as fine', async () => {
    const r = await assess(workspace({ assets: [{ id: 'bare', kind: 'dataset', owner: 'lead', clients: ['c1'], classification: 'restricted' }] }), { now: NOW });
    for (const id of ['WD-DATA-02', 'WD-DATA-03', 'WD-COMP-02', 'WD-DATA-05']) {
      const c = r.controls.find((x) => x.controlId === id && x.asset === 'bare');
      assert.equal(c?.status, 'fail', `${id}: ${c?.reason}`);
    }
    const answers = r.assets[0]?.answers ?? [];
    assert.match(answers.find((a) => a.question === 'access')?.answer ?? '', /Unknown/);
  });

  it('requires a security lead', async () => {
    const r = await assess(workspace({ people: [{ id: 'x', name: 'X', email: 'x@t.example', roles: ['ml-engineer'] }], assets: [] }), { now: NOW });
    const c = r.controls.find((x) => x.controlId === 'WD-PEOPLE-01');
    assert.equal(c?.status, 'fail');
    assert.match(c?.reason ?? '', /nobody holds the security-lead role/);
  });
});
