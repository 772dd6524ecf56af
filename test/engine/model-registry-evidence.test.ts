// The assessment judging model registry records: a production model whose registry version is
// unsigned, unreviewed, tampered with or vulnerable fails its control; declarations are used only
// when the registry holds nothing; model permissions come from the workspace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { workspaceSchema } from '../../src/domain/index.js';
import type {
  AssessmentResult,
  ControlResult,
  ModelRegistryEvidence,
  ModelVersionHistory,
  ModelVersionRecord,
  PromotionRecord,
  WorkspaceInput,
} from '../../src/domain/index.js';
import { assess } from '../../src/engine/index.js';
import type { LoadedWorkspace } from '../../src/workspace/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');

type ModelAsset = NonNullable<WorkspaceInput['assets']>[number];

function loaded(model: Partial<ModelAsset> = {}): LoadedWorkspace {
  const ws = workspaceSchema.parse({
    version: 1,
    organisation: { name: 'T', headcount: 8 },
    clients: [{ id: 'acme', name: 'Acme', sector: 'retail' }],
    people: [
      { id: 'ana', name: 'Ana', email: 'ana@t.example', roles: ['ml'] },
      { id: 'bo', name: 'Bo', email: 'bo@t.example', roles: ['security'] },
      { id: 'cy', name: 'Cy', email: 'cy@t.example', roles: ['ml'] },
      { id: 'dee', name: 'Dee', email: 'dee@t.example', roles: ['ml'], active: false },
    ],
    assets: [
      {
        id: 'fraud',
        kind: 'model',
        owner: 'ana',
        clients: ['acme'],
        environment: 'production',
        source: 'in-house',
        controls: { access: ['ana', 'bo', 'cy'], signed: true, model_access: { promote: ['cy'] } },
        ...model,
      },
    ],
  });
  return { workspace: ws, dir: '/nonexistent', file: join('/nonexistent', 'warden.yaml'), digest: 'x'.repeat(64), assetLines: new Map() };
}

const baseVersion: ModelVersionRecord = {
  name: 'fraud',
  version: '3',
  assetId: 'fraud',
  sourcePath: '/models/fraud',
  singleFile: false,
  files: [{ path: 'w.bin', sha256: 'a'.repeat(64), size: 3 }],
  fileCount: 1,
  totalBytes: 3,
  manifestDigest: 'b'.repeat(64),
  signature: { path: '/models/fraud/model.sig', sha256: 'c'.repeat(64) },
  signatureCheck: { status: 'verified', keyId: 'release', detail: 'verified with trusted key release' },
  trainingDatasets: [],
  dataClients: [],
  metrics: {},
  owner: 'ana',
  stage: 'production',
  registeredBy: 'ana',
  registeredAt: '2026-05-01T00:00:00.000Z',
};

const promoted: PromotionRecord = {
  id: 2,
  name: 'fraud',
  version: '3',
  fromStage: 'development',
  toStage: 'production',
  decision: 'allowed',
  by: 'cy',
  at: '2026-05-03T00:00:00.000Z',
  targetClients: ['acme'],
  reasons: [],
  checks: [{ id: 'signature', ok: true, detail: 'verified with trusted key release' }],
  artifactPath: '/ws/.warden/artifacts/production/fraud/3',
};

type HistoryOverrides = Partial<Omit<ModelVersionHistory, 'version'>> & { version?: Partial<ModelVersionRecord> };

function history(over: HistoryOverrides = {}): ModelVersionHistory {
  return {
    scans: [{ id: 1, name: 'fraud', version: '3', trigger: 'promote', targetPath: '/x', scannedAt: '2026-05-03T00:00:00.000Z', scannedBy: 'cy', error: null, counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, highest: null, unscannable: 0, findings: [] }],
    reviews: [{ id: 1, name: 'fraud', version: '3', decision: 'approved', by: 'bo', note: 'ok', at: '2026-05-02T00:00:00.000Z' }],
    promotions: [promoted],
    exceptions: [],
    exports: [],
    ...over,
    version: { ...baseVersion, ...over.version },
  };
}

function control(r: AssessmentResult, id: string): ControlResult {
  const found = r.controls.find((c) => c.controlId === id && c.asset === 'fraud');
  assert.ok(found, `${id} evaluated`);
  return found;
}

async function run(registry: ModelRegistryEvidence | undefined, model: Partial<ModelAsset> = {}): Promise<AssessmentResult> {
  return assess(loaded(model), { now: NOW, ...(registry !== undefined && { modelRegistry: registry }) });
}

describe('model registry evidence in the assessment', () => {
  it('passes integrity, access and vulnerability for a version promoted through the gate', async () => {
    const r = await run({ versions: [history()], artifactChecks: { 'fraud@3': { checkedAt: NOW.toISOString(), path: '/p', ok: true, detail: '1 file(s) of the production copy match the registered digests' } } });
    const integrity = control(r, 'WD-MODEL-02');
    assert.equal(integrity.status, 'pass', integrity.reason);
    assert.match(integrity.reason, /fraud@3 in production through the gate on 2026-05-03 .*copy matches its registered digests/);
    assert.ok(integrity.evidence.some((e) => e.kind === 'registry' && /approved by bo/.test(e.summary)));
    const vulnerability = control(r, 'WD-MODEL-03');
    assert.equal(vulnerability.status, 'pass', vulnerability.reason);
    assert.match(vulnerability.reason, /fraud@3 scanned on 2026-05-03/);
    // Model access may still wait for probe evidence of endpoints; nothing about the model fails.
    assert.notEqual(control(r, 'WD-MODEL-01').status, 'fail', control(r, 'WD-MODEL-01').reason);
    assert.doesNotMatch(control(r, 'WD-MODEL-01').reason, /promote|export/);
  });

  it('judges declarations only when the registry holds nothing for the model', async () => {
    const r = await run(undefined);
    assert.equal(control(r, 'WD-MODEL-02').status, 'pass');
    assert.match(control(r, 'WD-MODEL-02').reason, /declared/);
    assert.equal(control(r, 'WD-MODEL-03').status, 'needs-evidence');
  });

  it('fails a production model whose registry version is unsigned, even when declared signed', async () => {
    const r = await run({ versions: [history({ version: { stage: 'development', signature: null, signatureCheck: { status: 'unsigned', detail: 'no signature' } }, promotions: [] })] });
    const c = control(r, 'WD-MODEL-02');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'high');
    assert.match(c.reason, /fraud@3 \(development\) is not signed/);
    assert.match(c.reason, /declared in production, but no registered version has passed the deployment gate into production/);
  });

  it('fails a production version whose review was rejected afterwards, or was never approved by another person', async () => {
    const rejected = await run({ versions: [history({ reviews: [...history().reviews, { id: 5, name: 'fraud', version: '3', decision: 'rejected', by: 'bo', note: 'backdoor found', at: '2026-05-20T00:00:00.000Z' }] })] });
    assert.match(control(rejected, 'WD-MODEL-02').reason, /security review was rejected by bo on 2026-05-20/);
    const selfOnly = await run({ versions: [history({ reviews: [{ id: 1, name: 'fraud', version: '3', decision: 'approved', by: 'cy', note: 'mine', at: '2026-05-02T00:00:00.000Z' }] })] });
    assert.match(control(selfOnly, 'WD-MODEL-02').reason, /without a standing approval by someone other than its promoter cy/);
  });

  it('fails as critical when the production copy no longer matches the registered digests', async () => {
    const r = await run({ versions: [history()], artifactChecks: { 'fraud@3': { checkedAt: NOW.toISOString(), path: '/p', ok: false, detail: 'the production copy differs from the registered files; changed: w.bin' } } });
    const c = control(r, 'WD-MODEL-02');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'critical');
    assert.match(c.reason, /changed: w\.bin/);
  });

  it('fails a version in production without a recorded allowed promotion', async () => {
    const r = await run({ versions: [history({ promotions: [] })] });
    assert.match(control(r, 'WD-MODEL-02').reason, /in production without a recorded allowed promotion/);
  });

  it('fails vulnerability management on high findings in the latest registry scan; a stale scan is partial', async () => {
    const findings = [{ ruleId: 'models/pickle-dangerous-import', severity: 'critical' as const, path: 'model.pkl', message: 'imports os.system' }];
    const bad = await run({ versions: [history({ scans: [{ ...history().scans[0]!, counts: { critical: 1, high: 0, medium: 0, low: 0, info: 0 }, highest: 'critical', findings }] })] });
    const c = control(bad, 'WD-MODEL-03');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'critical');
    assert.match(c.reason, /latest scan of fraud@3 \(2026-05-03\) found 1 problem\(s\) at or above high \(models\/pickle-dangerous-import\)/);
    const stale = await run({ versions: [history({ scans: [{ ...history().scans[0]!, scannedAt: '2026-01-02T00:00:00.000Z' }] })] });
    assert.equal(control(stale, 'WD-MODEL-03').status, 'partial');
    assert.match(control(stale, 'WD-MODEL-03').reason, /is 150 days old/);
    const failed = await run({ versions: [history({ scans: [{ ...history().scans[0]!, error: 'disk on fire' }] })] });
    assert.equal(control(failed, 'WD-MODEL-03').status, 'needs-evidence');
  });

  it('judges model permissions: everyone may not promote or export, leavers are not listed, promote is declared', async () => {
    const broad = await run(undefined, { controls: { access: ['ana', 'bo'], model_access: { promote: ['everyone'], export: ['everyone'] } } });
    const c = control(broad, 'WD-MODEL-01');
    assert.equal(c.status, 'fail');
    assert.match(c.reason, /everyone may export the model/);
    assert.match(c.reason, /everyone may promote the model/);
    assert.equal(c.severity, 'high');
    const leaver = await run(undefined, { controls: { access: ['ana'], model_access: { promote: ['cy', 'dee'] } } });
    assert.match(control(leaver, 'WD-MODEL-01').reason, /dee left but may still promote the model/);
    const undeclared = await run(undefined, { controls: { access: ['ana'] } });
    assert.equal(control(undeclared, 'WD-MODEL-01').status, 'partial');
    assert.match(control(undeclared, 'WD-MODEL-01').reason, /who may promote the model is not declared/);
    const promoterRemoved = await run({ versions: [history()] }, { controls: { access: ['ana'], model_access: { promote: ['ana'] } } });
    assert.match(control(promoterRemoved, 'WD-MODEL-01').reason, /fraud@3 was promoted to production by cy, who may not \(or no longer\) promote it/);
  });
});
