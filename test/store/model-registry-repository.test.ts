// The model registry tables on both dialects: versions registered once, decisions append-only
// (the database refuses edits), a stage that moves only with an allowed promotion, workspaces apart.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { isWardenError } from '../../src/domain/index.js';
import type { ErrorCode, ModelScanRecord } from '../../src/domain/index.js';
import { APPEND_ONLY_TABLES } from '../../src/store/index.js';
import type { NewModelVersion, NewPromotion } from '../../src/store/index.js';
import { forEachDialect } from '../helpers/test-store.js';

const rejectsWith = (code: ErrorCode, pattern?: RegExp) => (error: unknown) => {
  assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
  return true;
};

function newVersion(name: string, version: string, over: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    name,
    version,
    assetId: name,
    sourcePath: `/models/${name}/${version}`,
    singleFile: false,
    files: [
      { path: 'config.json', sha256: '1'.repeat(64), size: 12 },
      { path: 'weights/a.bin', sha256: '2'.repeat(64), size: 5_000_000_000 },
    ],
    fileCount: 2,
    totalBytes: 5_000_000_012,
    manifestDigest: '3'.repeat(64),
    signature: { path: `/models/${name}/${version}/model.sig`, sha256: '4'.repeat(64) },
    signatureCheck: { status: 'verified', keyId: 'release', detail: 'verified with trusted key release' },
    trainingDatasets: ['acme-data'],
    dataClients: ['acme'],
    metrics: { auc: 0.93, tag: 'q3', calibrated: true },
    owner: 'ana',
    registeredBy: 'ana',
    registeredAt: '2026-05-01T10:00:00.000Z',
    ...over,
  };
}

const scan = (over: Partial<ModelScanRecord> = {}) => ({
  trigger: 'register' as const,
  targetPath: '/models/m',
  scannedAt: '2026-05-01T10:00:01.000Z',
  scannedBy: 'ana',
  error: null,
  counts: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
  highest: 'critical' as const,
  unscannable: 0,
  findings: [{ ruleId: 'models/pickle-dangerous-import', severity: 'critical' as const, path: 'model.pkl', message: 'imports os.system \u0000' }],
  ...over,
});

const promotion = (over: Partial<NewPromotion> = {}): NewPromotion => ({
  fromStage: 'development',
  toStage: 'staging',
  decision: 'allowed',
  by: 'cy',
  targetClients: ['acme'],
  reasons: [],
  checks: [{ id: 'stage', ok: true, detail: 'development → staging' }],
  artifactPath: '/ws/.warden/artifacts/staging/m/1',
  ...over,
});

forEachDialect('model registry repository', (fixture) => {
  it('registers a version once and reads it back exactly, sizes beyond 32 bits included', async () => {
    const store = await fixture.openFresh();
    const repo = store.models.forWorkspace('acme');
    const saved = await repo.register(newVersion('m', '1'));
    assert.equal(saved.stage, 'development');
    assert.equal(saved.totalBytes, 5_000_000_012);
    assert.deepEqual(saved, { ...newVersion('m', '1'), stage: 'development' });
    await assert.rejects(repo.register(newVersion('m', '1', { owner: 'bo' })), rejectsWith('MODEL_EXISTS', /m@1 is already registered/));
    assert.equal((await repo.get('m', '1')).owner, 'ana', 'the first registration is kept');
    await assert.rejects(repo.get('m', '2'), rejectsWith('MODEL_NOT_FOUND', /no model version m@2/));
    assert.equal(await repo.find('m', '2'), undefined);
  });

  it('lists by name then newest first, filters by name and stage, and keeps workspaces apart', async () => {
    const store = await fixture.openFresh();
    const acme = store.models.forWorkspace('acme');
    const globex = store.models.forWorkspace('globex');
    await acme.register(newVersion('b', '1'));
    await acme.register(newVersion('a', '1'));
    await acme.register(newVersion('a', '2'));
    await globex.register(newVersion('a', '1', { owner: 'zed' }));
    assert.deepEqual((await acme.list()).map((v) => `${v.name}@${v.version}`), ['a@2', 'a@1', 'b@1']);
    assert.deepEqual((await acme.list({ name: 'a' })).map((v) => v.version), ['2', '1']);
    assert.deepEqual((await globex.list()).map((v) => v.owner), ['zed']);
    await acme.recordPromotion('a', '1', promotion());
    assert.deepEqual((await acme.list({ stage: 'staging' })).map((v) => `${v.name}@${v.version}`), ['a@1']);
    assert.deepEqual(await globex.promotions('a'), []);
  });

  it('moves the stage only with an allowed promotion, from the stage the gate saw', async () => {
    const store = await fixture.openFresh();
    const repo = store.models.forWorkspace('acme');
    await repo.register(newVersion('m', '1'));
    const refused = await repo.recordPromotion('m', '1', promotion({ decision: 'refused', toStage: 'production', reasons: ['not reviewed'], artifactPath: null }));
    assert.equal(refused.decision, 'refused');
    assert.equal((await repo.get('m', '1')).stage, 'development');
    const allowed = await repo.recordPromotion('m', '1', promotion());
    assert.equal((await repo.get('m', '1')).stage, 'staging');
    assert.ok(allowed.id > refused.id);
    // A second promoter who evaluated the version while it was still in development loses the race.
    await assert.rejects(repo.recordPromotion('m', '1', promotion()), rejectsWith('USAGE', /moved to staging while it was being promoted/));
    assert.deepEqual((await repo.promotions('m', '1')).map((p) => [p.decision, p.toStage, p.reasons]), [
      ['refused', 'production', ['not reviewed']],
      ['allowed', 'staging', []],
    ]);
    await assert.rejects(repo.recordPromotion('m', '9', promotion()), rejectsWith('MODEL_NOT_FOUND'));
  });

  it('keeps scans, reviews, exceptions and exports, and the history in order', async () => {
    const store = await fixture.openFresh();
    const repo = store.models.forWorkspace('acme');
    await repo.register(newVersion('m', '1'));
    const first = await repo.recordScan('m', '1', scan());
    assert.equal(first.findings[0]?.message, 'imports os.system \u0000', 'JSON keeps even a NUL exactly, escaped');
    const second = await repo.recordScan('m', '1', scan({ trigger: 'scan', counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, highest: null, findings: [] }));
    assert.equal((await repo.latestScan('m', '1'))?.id, second.id);
    await repo.addReview('m', '1', { decision: 'approved', by: 'bo', note: 'ok', at: '2026-05-02T00:00:00.000Z' });
    await repo.addException('m', '1', { client: 'acme', dataClients: ['globex'], approvedBy: 'bo', reason: 'consent', expiresOn: '2026-12-31' });
    await repo.recordExport('m', '1', { decision: 'refused', by: 'cy', destination: '/tmp/x', reasons: ['not allowed'] });
    const history = await repo.history('m', '1');
    assert.deepEqual(history.scans.map((s) => s.trigger), ['register', 'scan']);
    assert.deepEqual(history.reviews.map((r) => [r.by, r.decision, r.at]), [['bo', 'approved', '2026-05-02T00:00:00.000Z']]);
    assert.deepEqual(history.exceptions.map((e) => [e.client, e.dataClients, e.expiresOn]), [['acme', ['globex'], '2026-12-31']]);
    assert.deepEqual(history.exports.map((e) => [e.by, e.decision, e.reasons]), [['cy', 'refused', ['not allowed']]]);
    await assert.rejects(repo.addReview('m', '2', { decision: 'approved', by: 'bo', note: 'x' }), rejectsWith('MODEL_NOT_FOUND'));

    const evidence = await repo.evidence();
    assert.equal(evidence.versions.length, 1);
    assert.deepEqual(evidence.versions[0]?.scans.map((s) => s.id), [second.id], 'the assessment judges the latest scan');
    assert.equal(evidence.versions[0]?.reviews.length, 1);
  });

  it('refuses to change or delete a recorded decision, in the database itself', async () => {
    const store = await fixture.openFresh();
    const repo = store.models.forWorkspace('acme');
    await repo.register(newVersion('m', '1'));
    await repo.recordScan('m', '1', scan());
    await repo.addReview('m', '1', { decision: 'rejected', by: 'bo', note: 'no' });
    await repo.recordPromotion('m', '1', promotion({ decision: 'refused', reasons: ['x'], artifactPath: null }));
    await repo.addException('m', '1', { client: 'acme', dataClients: ['globex'], approvedBy: 'bo', reason: 'r', expiresOn: '2026-12-31' });
    await repo.recordExport('m', '1', { decision: 'refused', by: 'cy', destination: '/x', reasons: ['x'] });
    for (const table of APPEND_ONLY_TABLES) {
      await assert.rejects(sql`update ${sql.table(table)} set workspace = 'other'`.execute(store.db), /append-only/, `${table} update`);
      await assert.rejects(sql`delete from ${sql.table(table)}`.execute(store.db), /append-only/, `${table} delete`);
    }
    assert.equal((await repo.reviews('m', '1'))[0]?.decision, 'rejected');
  });
});
