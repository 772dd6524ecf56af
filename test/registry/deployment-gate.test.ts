// The deployment gate as a pure function: each condition on its own, and that one refusal lists
// every failed condition rather than the first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workspaceSchema } from '../../src/domain/index.js';
import type { DeploymentExceptionRecord, ModelReviewRecord, ModelVersionRecord, Workspace } from '../../src/domain/index.js';
import { evaluateDeploymentGate } from '../../src/registry/index.js';
import type { GateInput } from '../../src/registry/index.js';

const workspace: Workspace = workspaceSchema.parse({
  version: 1,
  organisation: { name: 'Gate', headcount: 5 },
  clients: [
    { id: 'acme', name: 'Acme', sector: 'retail' },
    { id: 'globex', name: 'Globex', sector: 'retail' },
  ],
  people: [
    { id: 'ana', name: 'Ana', email: 'ana@g.example', roles: ['ml'] },
    { id: 'bo', name: 'Bo', email: 'bo@g.example', roles: ['security'] },
    { id: 'cy', name: 'Cy', email: 'cy@g.example', roles: ['ml'] },
    { id: 'dee', name: 'Dee', email: 'dee@g.example', roles: ['security'], active: false },
  ],
  assets: [
    { id: 'acme-data', kind: 'dataset', owner: 'ana', clients: ['acme'] },
    { id: 'm', kind: 'model', owner: 'ana', clients: ['acme'], controls: { model_access: { promote: ['role:ml'] } }, lineage: { trained_on: ['acme-data'] } },
  ],
});

const version: ModelVersionRecord = {
  name: 'm',
  version: '1',
  assetId: 'm',
  sourcePath: '/models/m',
  singleFile: false,
  files: [{ path: 'w.bin', sha256: 'a'.repeat(64), size: 3 }],
  fileCount: 1,
  totalBytes: 3,
  manifestDigest: 'b'.repeat(64),
  signature: { path: '/models/m/model.sig', sha256: 'c'.repeat(64) },
  signatureCheck: { status: 'verified', keyId: 'k', detail: 'verified with trusted key k' },
  trainingDatasets: ['acme-data'],
  dataClients: ['acme'],
  metrics: {},
  owner: 'ana',
  stage: 'development',
  registeredBy: 'ana',
  registeredAt: '2026-05-01T00:00:00.000Z',
};

let nextId = 1;
const review = (by: string, decision: 'approved' | 'rejected', at: string): ModelReviewRecord => ({ id: nextId++, name: 'm', version: '1', decision, by, note: `${decision} by ${by}`, at });
const exception = (over: Partial<DeploymentExceptionRecord>): DeploymentExceptionRecord => ({
  id: nextId++,
  name: 'm',
  version: '1',
  client: 'acme',
  dataClients: ['globex'],
  approvedBy: 'bo',
  reason: 'consent',
  expiresOn: '2026-12-31',
  recordedAt: '2026-05-02T00:00:00.000Z',
  ...over,
});

function input(over: Partial<GateInput> = {}): GateInput {
  return {
    workspace,
    version,
    asset: workspace.assets.find((a) => a.id === 'm'),
    promoter: 'cy',
    toStage: 'production',
    targetClients: ['acme'],
    targetClientsFrom: 'the clients of asset m',
    dataClients: ['acme'],
    signature: version.signatureCheck,
    integrity: { changed: [], missing: [], unreadable: [], uncovered: [], signatureChanged: false },
    scan: { trigger: 'promote', targetPath: '/x', scannedAt: '2026-06-01T00:00:00.000Z', scannedBy: 'cy', error: null, counts: { critical: 0, high: 0, medium: 1, low: 0, info: 0 }, highest: 'medium', unscannable: 0, findings: [] },
    reviews: [review('bo', 'approved', '2026-05-03T00:00:00.000Z')],
    exceptions: [],
    today: '2026-06-01',
    ...over,
  };
}

const failed = (i: GateInput): string[] => evaluateDeploymentGate(i).checks.filter((c) => !c.ok).map((c) => c.id);

describe('deployment gate', () => {
  it('allows when every condition holds, and says why for each', () => {
    const d = evaluateDeploymentGate(input());
    assert.equal(d.allowed, true);
    assert.deepEqual(d.checks.map((c) => c.id), ['stage', 'permission', 'signature', 'integrity', 'scan', 'review', 'client-data']);
    assert.match(d.checks.find((c) => c.id === 'scan')?.detail ?? '', /no finding at or above high \(1 lower\)/);
  });

  it('lists every failed condition, not the first', () => {
    const d = evaluateDeploymentGate(
      input({
        version: { ...version, stage: 'production' },
        promoter: 'bo',
        signature: { status: 'no-trusted-keys', detail: 'the workspace trusts no model-signing key' },
        integrity: { changed: ['w.bin'], missing: ['x.bin'], unreadable: [], uncovered: ['extra.bin'], signatureChanged: true },
        scan: { ...input().scan, error: 'disk on fire', counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, highest: null },
        reviews: [],
        dataClients: ['acme', 'globex'],
      }),
    );
    assert.equal(d.allowed, false);
    assert.deepEqual(d.checks.filter((c) => !c.ok).map((c) => c.id), ['stage', 'permission', 'signature', 'integrity', 'integrity', 'integrity', 'scan', 'review', 'client-data']);
    assert.equal(d.reasons.length, 9);
    assert.match(d.reasons.join('\n'), /changed: w\.bin; missing: x\.bin/);
    assert.match(d.reasons.join('\n'), /not covered by the signature would be deployed: extra\.bin/);
    assert.match(d.reasons.join('\n'), /a failed scan is never a clean one/);
  });

  it('needs a review for production only', () => {
    assert.deepEqual(failed(input({ reviews: [] })), ['review']);
    assert.deepEqual(failed(input({ reviews: [], toStage: 'staging' })), []);
  });

  it('lets a standing rejection block, until that reviewer approves; departed reviewers do not count', () => {
    const rejected = [review('bo', 'approved', '2026-05-03T00:00:00.000Z'), review('ana', 'rejected', '2026-05-04T00:00:00.000Z')];
    const d = evaluateDeploymentGate(input({ reviews: rejected }));
    assert.deepEqual(d.reasons, ['m@1 was rejected by ana on 2026-05-04: rejected by ana']);
    assert.deepEqual(failed(input({ reviews: [...rejected, review('ana', 'approved', '2026-05-05T00:00:00.000Z')] })), []);
    const departed = evaluateDeploymentGate(input({ reviews: [review('dee', 'approved', '2026-05-03T00:00:00.000Z')] }));
    assert.match(departed.reasons[0] ?? '', /dee \(no longer an active person of the workspace\)/);
  });

  it('blocks on findings at or above high only', () => {
    const scan = input().scan;
    const high = { ...scan, counts: { ...scan.counts, high: 1 }, highest: 'high' as const, findings: [{ ruleId: 'models/x', severity: 'high' as const, path: 'w.bin', message: 'bad' }] };
    assert.deepEqual(failed(input({ scan: high })), ['scan']);
    assert.match(evaluateDeploymentGate(input({ scan: high })).reasons[0] ?? '', /1 finding\(s\) at or above high: high models\/x in w\.bin/);
  });

  it('asks whom a deployment serves when the model carries client data and no client is named', () => {
    const d = evaluateDeploymentGate(input({ targetClients: [], dataClients: ['acme'] }));
    assert.match(d.reasons[0] ?? '', /names no client; say whom it serves with --for CLIENT/);
    assert.deepEqual(failed(input({ targetClients: [], dataClients: [] })), []);
  });

  it('accepts a cross-client deployment only under a covering, unexpired exception approved by someone else', () => {
    const cross = { dataClients: ['acme', 'globex'] };
    assert.deepEqual(failed(input(cross)), ['client-data']);
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({})] })), []);
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({ expiresOn: '2026-06-01' })] })), [], 'valid through its last day');
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({ expiresOn: '2026-05-31' })] })), ['client-data']);
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({ approvedBy: 'cy' })] })), ['client-data']);
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({ approvedBy: 'dee' })] })), ['client-data']);
    assert.deepEqual(failed(input({ ...cross, exceptions: [exception({ client: 'globex' })] })), ['client-data'], 'for another client');
    assert.deepEqual(failed(input({ dataClients: ['acme', 'globex', 'initech'], exceptions: [exception({})] })), ['client-data'], 'does not cover initech');
  });
});
