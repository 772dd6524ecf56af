// The model registry as its users rely on it: registration records the facts, reviews need a
// second person, and the deployment gate refuses with every reason — recorded — until all hold.
// Runs on a real SQLite file (and PostgreSQL when configured).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { isWardenError } from '../../src/domain/index.js';
import type { ErrorCode } from '../../src/domain/index.js';
import {
  artifactDir,
  exportModelVersion,
  promoteModelVersion,
  recordDeploymentException,
  registerModelVersion,
  rescanModelVersion,
  reviewModelVersion,
} from '../../src/registry/index.js';
import type { RegistryContext } from '../../src/registry/index.js';
import { forEachDialect } from '../helpers/test-store.js';
import { EVIL_PICKLE, createWorkspace, registryContext, sign, writeModel } from './registry-fixtures.js';
import type { TestWorkspace } from './registry-fixtures.js';

const rejectsWith = (code: ErrorCode, pattern?: RegExp) => (error: unknown) => {
  assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
  return true;
};

const workspaces: TestWorkspace[] = [];
after(async () => {
  for (const ws of workspaces) await rm(ws.dir, { recursive: true, force: true });
});

async function setUp(open: () => Promise<import('../../src/store/index.js').Store>, options: Parameters<typeof createWorkspace>[0] = {}, now?: () => Date) {
  const ws = await createWorkspace(options);
  workspaces.push(ws);
  const store = await open();
  const ctx = await registryContext(ws, store, now);
  return { ws, store, ctx };
}

/** Registers a signed, clean version and has bo approve it: everything the gate asks for. */
async function readyVersion(ctx: RegistryContext, ws: TestWorkspace, version = '1'): Promise<string> {
  const model = await writeModel(ws, `models/fraud-${version}`);
  await sign(model, ws.trusted);
  await registerModelVersion(ctx, { name: 'fraud', version, modelPath: model, by: 'ana' });
  await reviewModelVersion(ctx, { name: 'fraud', version, decision: 'approved', by: 'bo', note: 'weights and eval reviewed' });
  return model;
}

forEachDialect('model registry service', (fixture) => {
  it('registers a version with its files, signature check, lineage, metrics, owner and a scan; list and history show it', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh(), { crossClient: true });
    const model = await writeModel(ws, 'models/fraud', { 'config.json': '{"a":1}', 'weights/part-1.bin': 'abc' });
    await sign(model, ws.trusted);
    const { version, scan } = await registerModelVersion(ctx, { name: 'fraud', version: '7', modelPath: model, by: 'ana', metrics: { auc: 0.91, data: 'q3' } });
    assert.equal(version.assetId, 'fraud');
    assert.equal(version.owner, 'ana');
    assert.equal(version.stage, 'development');
    assert.equal(version.registeredBy, 'ana');
    assert.deepEqual(version.files.map((f) => f.path), ['config.json', 'weights/part-1.bin'], 'the signature inside the folder is not a model file');
    assert.equal(version.files[1]?.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(version.signatureCheck.status, 'verified');
    assert.equal(version.signatureCheck.keyId, 'release');
    assert.equal(version.signature?.path, join(model, 'model.sig'));
    assert.deepEqual(version.trainingDatasets, ['acme-data', 'globex-data']);
    assert.deepEqual(version.dataClients, ['acme', 'globex']);
    assert.deepEqual(version.metrics, { auc: 0.91, data: 'q3' });
    assert.equal(scan.trigger, 'register');
    assert.equal(scan.error, null);

    const listed = await ctx.models.list();
    assert.deepEqual(listed.map((v) => `${v.name}@${v.version}`), ['fraud@7']);
    assert.deepEqual(await ctx.models.get('fraud', '7'), version);
    const history = await ctx.models.history('fraud', '7');
    assert.equal(history.scans.length, 1);
    assert.deepEqual(history.reviews, []);

    await assert.rejects(registerModelVersion(ctx, { name: 'fraud', version: '7', modelPath: model, by: 'ana' }), rejectsWith('MODEL_EXISTS', /already registered/));
    await assert.rejects(registerModelVersion(ctx, { name: 'fraud', version: '8', modelPath: model, by: 'nobody' }), rejectsWith('INPUT_INVALID', /no such person/));
    await assert.rejects(registerModelVersion(ctx, { name: 'Fraud', version: '8', modelPath: model, by: 'ana' }), rejectsWith('USAGE', /model name/));
    await assert.rejects(registerModelVersion(ctx, { name: 'fraud', version: '../8', modelPath: model, by: 'ana' }), rejectsWith('USAGE', /model version/));
    await assert.rejects(ctx.models.get('fraud', '8'), rejectsWith('MODEL_NOT_FOUND'));
  });

  it('records an unsigned version and one signed by an untrusted key as such', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const unsigned = await writeModel(ws, 'models/a');
    const a = await registerModelVersion(ctx, { name: 'fraud', version: 'a', modelPath: unsigned, by: 'ana' });
    assert.equal(a.version.signature, null);
    assert.equal(a.version.signatureCheck.status, 'unsigned');
    const foreign = await writeModel(ws, 'models/b');
    await sign(foreign, ws.untrusted);
    const b = await registerModelVersion(ctx, { name: 'fraud', version: 'b', modelPath: foreign, by: 'ana' });
    assert.equal(b.version.signatureCheck.status, 'untrusted');
    assert.match(b.version.signatureCheck.detail, /does not verify with any trusted key/);
  });

  it('keeps reviews honest: no self-approval, no unknown or departed reviewer, a note is required', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/fraud');
    await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'ana', note: 'lgtm' }), rejectsWith('GATE_REFUSED', /registered fraud@1 and may not approve/));
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'mallory', note: 'lgtm' }), rejectsWith('INPUT_INVALID', /no such person/));
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'dee', note: 'lgtm' }), rejectsWith('GATE_REFUSED', /no longer active/));
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'bo', note: '   ' }), rejectsWith('USAGE', /--note/));
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '9', decision: 'approved', by: 'bo', note: 'x' }), rejectsWith('MODEL_NOT_FOUND'));
    // The author may reject their own version: that only makes things safer.
    const rejected = await reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'rejected', by: 'ana', note: 'found a leak in eval data' });
    assert.equal(rejected.decision, 'rejected');
    const approved = await reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'bo', note: 'weights reviewed' });
    assert.deepEqual((await ctx.models.reviews('fraud', '1')).map((r) => [r.by, r.decision]), [['ana', 'rejected'], ['bo', 'approved']]);
    assert.ok(approved.id > rejected.id);
  });

  it('limits reviewers to controls.model_access.review when it is declared', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh(), { modelAccess: '{ promote: [cy], review: ["role:security-lead"] }' });
    const model = await writeModel(ws, 'models/fraud');
    await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    await assert.rejects(reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'cy', note: 'ok' }), rejectsWith('GATE_REFUSED', /may not review/));
    assert.equal((await reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'bo', note: 'ok' })).by, 'bo');
  });

  it('refuses a promotion with every reason at once, records it, and leaves nothing in production', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh(), { crossClient: true });
    // Unsigned, a poisoned pickle, no review, trained on globex's data while serving acme.
    const model = await writeModel(ws, 'models/fraud', { 'config.json': '{}', 'model.pkl': EVIL_PICKLE });
    const { scan } = await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    assert.equal(scan.highest, 'critical', 'the registration scan already saw the pickle');
    const outcome = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'cy' });
    assert.equal(outcome.decision.allowed, false);
    const failed = outcome.decision.checks.filter((c) => !c.ok).map((c) => c.id);
    assert.deepEqual(failed, ['signature', 'scan', 'review', 'client-data']);
    assert.equal(outcome.decision.reasons.length, 4);
    assert.match(outcome.decision.reasons[0] ?? '', /not signed/);
    assert.match(outcome.decision.reasons[1] ?? '', /critical models\/pickle-dangerous-import in model\.pkl/);
    assert.match(outcome.decision.reasons[2] ?? '', /no approved security review of fraud@1 by someone other than cy/);
    assert.match(outcome.decision.reasons[3] ?? '', /carries data of globex and would serve acme/);
    assert.equal(outcome.record.decision, 'refused');
    assert.equal(outcome.record.by, 'cy');
    assert.deepEqual(outcome.record.targetClients, ['acme']);
    assert.equal(outcome.scan.trigger, 'promote');
    assert.equal((await ctx.models.get('fraud', '1')).stage, 'development');
    const recorded = await ctx.models.promotions('fraud', '1');
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0]?.reasons, outcome.decision.reasons);
    assert.equal(await stat(artifactDir(ws.dir, 'production', 'fraud', '1')).catch(() => null), null);
  });

  it('refuses a signature by a key the workspace does not trust, and files changed after signing', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const foreign = await writeModel(ws, 'models/foreign');
    await sign(foreign, ws.untrusted);
    await registerModelVersion(ctx, { name: 'fraud', version: 'foreign', modelPath: foreign, by: 'ana' });
    await reviewModelVersion(ctx, { name: 'fraud', version: 'foreign', decision: 'approved', by: 'bo', note: 'ok' });
    const untrusted = await promoteModelVersion(ctx, { name: 'fraud', version: 'foreign', toStage: 'production', by: 'cy' });
    assert.deepEqual(untrusted.decision.reasons.length, 1);
    assert.match(untrusted.decision.reasons[0] ?? '', /does not verify with any trusted key \(release: signature was made with a different key/);

    const model = await readyVersion(ctx, ws, '2');
    await writeFile(join(model, 'config.json'), '{"layers": 3}\n'); // changed after signing and registering
    const changed = await promoteModelVersion(ctx, { name: 'fraud', version: '2', toStage: 'production', by: 'cy' });
    assert.equal(changed.decision.allowed, false);
    assert.deepEqual(changed.decision.checks.filter((c) => !c.ok).map((c) => c.id), ['signature', 'integrity']);
    assert.match(changed.decision.reasons[0] ?? '', /signed with trusted key release, but the model does not match its signature; changed: config\.json/);
    assert.match(changed.decision.reasons[1] ?? '', /differ from those registered .*changed: config\.json/);
  });

  it('does not count the promoter\'s own approval, nor a departed or unauthorised promoter', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/fraud');
    await sign(model, ws.trusted);
    await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    await reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'cy', note: 'looked fine to me' });
    const self = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'cy' });
    assert.deepEqual(self.decision.reasons.length, 1);
    assert.match(self.decision.reasons[0] ?? '', /by someone other than cy; approvals that do not count: cy \(the promoter cannot approve their own promotion\)/);

    const departed = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'dee' });
    assert.match(departed.decision.reasons[0] ?? '', /dee is no longer active/);
    const outsider = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'bo' });
    assert.match(outsider.decision.reasons[0] ?? '', /bo may not promote fraud \(controls\.model_access\.promote: cy, ana, dee\)/);
    await assert.rejects(promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'zed' }), rejectsWith('INPUT_INVALID'));
    assert.equal((await ctx.models.promotions('fraud', '1')).length, 3, 'every refusal is recorded; the unknown identity is an input error');
  });

  it('promotes when every condition holds: a read-only verified copy, recorded, that later edits cannot reach', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await readyVersion(ctx, ws);
    const outcome = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'cy' });
    assert.deepEqual(outcome.decision.reasons, []);
    assert.equal(outcome.decision.allowed, true);
    assert.ok(outcome.decision.checks.every((c) => c.ok));
    const target = artifactDir(ws.dir, 'production', 'fraud', '1');
    assert.equal(outcome.record.artifactPath, target);
    assert.equal(await readFile(join(target, 'model', 'config.json'), 'utf8'), '{"layers": 2}\n');
    assert.equal((await stat(join(target, 'model', 'config.json'))).mode & 0o777, 0o444);
    assert.ok((await stat(join(target, 'model.sig'))).isFile());
    assert.equal((await ctx.models.get('fraud', '1')).stage, 'production');

    await writeFile(join(model, 'config.json'), '{"layers": 99}\n');
    assert.equal(await readFile(join(target, 'model', 'config.json'), 'utf8'), '{"layers": 2}\n', 'production is a copy, not the development folder');
    const again = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'cy' });
    assert.match(again.decision.reasons[0] ?? '', /already in production/);
    const decisions = await ctx.models.promotions('fraud', '1');
    assert.deepEqual(decisions.map((d) => d.decision), ['allowed', 'refused']);
  });

  it('stages without a review, then promotes the staged copy to production', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/fraud');
    await sign(model, ws.trusted);
    await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    const staged = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.equal(staged.decision.allowed, true, staged.decision.reasons.join('\n'));
    // The development folder goes away; production comes from the verified staged copy.
    await rm(model, { recursive: true });
    await reviewModelVersion(ctx, { name: 'fraud', version: '1', decision: 'approved', by: 'bo', note: 'ok' });
    const produced = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'production', by: 'cy' });
    assert.equal(produced.decision.allowed, true, produced.decision.reasons.join('\n'));
    assert.equal(produced.record.fromStage, 'staging');
    assert.ok((await stat(join(artifactDir(ws.dir, 'production', 'fraud', '1'), 'model', 'README.md'))).isFile());
  });

  it('allows cross-client deployment only under an unexpired exception approved by someone other than the promoter', async () => {
    let now = new Date('2026-06-01T10:00:00Z');
    const { ws, ctx } = await setUp(() => fixture.openFresh(), { crossClient: true }, () => now);
    await readyVersion(ctx, ws);
    const refused = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.match(refused.decision.reasons.join('\n'), /carries data of globex and would serve acme \(the clients of asset fraud\)/);

    await assert.rejects(
      recordDeploymentException(ctx, { name: 'fraud', version: '1', client: 'acme', approvedBy: 'bo', reason: 'consent', expiresOn: '2026-05-31' }),
      rejectsWith('USAGE', /in the past/),
    );
    await assert.rejects(
      recordDeploymentException(ctx, { name: 'fraud', version: '1', client: 'initech', approvedBy: 'bo', reason: 'consent', expiresOn: '2026-12-31' }),
      rejectsWith('INPUT_INVALID', /no such client/),
    );
    const byPromoter = await recordDeploymentException(ctx, { name: 'fraud', version: '1', client: 'acme', approvedBy: 'cy', reason: 'I say so', expiresOn: '2026-12-31' });
    assert.deepEqual(byPromoter.dataClients, ['globex']);
    const self = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.match(self.decision.reasons.join('\n'), /exception #\d+ was approved by the promoter/);

    await recordDeploymentException(ctx, { name: 'fraud', version: '1', client: 'acme', approvedBy: 'bo', reason: 'globex consented in writing (ref 2026-114)', expiresOn: '2026-06-30' });
    // Serving globex as well would still need globex → acme and acme → globex: for globex, acme's data is foreign.
    const both = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy', forClients: ['acme', 'globex'] });
    assert.equal(both.decision.reasons.length, 1);
    assert.match(both.decision.reasons[0] ?? '', /carries data of acme and would serve globex \(--for\)/);

    now = new Date('2026-07-01T09:00:00Z'); // the exception has expired
    const expired = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.match(expired.decision.reasons.join('\n'), /exception #\d+ expired on 2026-06-30/);
    now = new Date('2026-06-30T23:00:00Z'); // the last day still counts
    const allowed = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.equal(allowed.decision.allowed, true, allowed.decision.reasons.join('\n'));
    assert.match(allowed.decision.checks.find((c) => c.id === 'client-data')?.detail ?? '', /data of globex may serve acme under exception #\d+ approved by bo until 2026-06-30/);
    assert.equal((await ctx.models.exceptions('fraud', '1')).length, 2);
  });

  it('scans registered files that a folder walk would skip (__pycache__, nested .git)', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/fraud', { 'config.json': '{}', '__pycache__/cache.pkl': EVIL_PICKLE, 'sub/.git/objects.pkl': EVIL_PICKLE });
    const { version, scan } = await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    assert.deepEqual(version.files.map((f) => f.path), ['__pycache__/cache.pkl', 'config.json', 'sub/.git/objects.pkl']);
    assert.equal(scan.counts.critical, 2);
    assert.deepEqual(scan.findings.map((f) => f.path).sort(), ['__pycache__/cache.pkl', 'sub/.git/objects.pkl']);
  });

  it('rescans a version where it lives and records the result', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/fraud');
    await registerModelVersion(ctx, { name: 'fraud', version: '1', modelPath: model, by: 'ana' });
    await writeFile(join(model, 'config.json'), EVIL_PICKLE); // the development folder was tampered with
    const scan = await rescanModelVersion(ctx, 'fraud', '1', 'bo');
    assert.equal(scan.trigger, 'scan');
    assert.equal(scan.highest, 'critical');
    assert.equal((await ctx.models.latestScan('fraud', '1'))?.id, scan.id);
  });

  it('exports only for people allowed to, checks every byte, and records both outcomes', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await readyVersion(ctx, ws);
    const refused = await exportModelVersion(ctx, { name: 'fraud', version: '1', by: 'cy', destination: join(ws.dir, 'out-cy') });
    assert.equal(refused.allowed, false);
    assert.match(refused.reasons[0] ?? '', /cy may not export fraud \(controls\.model_access\.export: bo\)/);
    assert.equal(await stat(join(ws.dir, 'out-cy')).catch(() => null), null);
    const allowed = await exportModelVersion(ctx, { name: 'fraud', version: '1', by: 'bo', destination: join(ws.dir, 'out-bo') });
    assert.equal(allowed.allowed, true);
    assert.equal(await readFile(join(ws.dir, 'out-bo', 'config.json'), 'utf8'), '{"layers": 2}\n');
    await chmod(join(model, 'README.md'), 0o644);
    await writeFile(join(model, 'README.md'), 'changed');
    const tampered = await exportModelVersion(ctx, { name: 'fraud', version: '1', by: 'bo', destination: join(ws.dir, 'out-2') });
    assert.equal(tampered.allowed, false);
    assert.match(tampered.reasons[0] ?? '', /README\.md changed/);
    assert.equal(await stat(join(ws.dir, 'out-2')).catch(() => null), null);
    assert.deepEqual((await ctx.models.history('fraud', '1')).exports.map((e) => [e.by, e.decision]), [['cy', 'refused'], ['bo', 'allowed'], ['bo', 'refused']]);
  });

  it('runs one promotion of a version at a time, and takes over a lock left by a process that is gone', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    await readyVersion(ctx, ws);
    const locks = join(ws.dir, '.warden', 'artifacts', '.locks');
    await mkdir(locks, { recursive: true });
    await writeFile(join(locks, 'fraud@1.lock'), `${process.pid}\n`);
    await assert.rejects(promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' }), rejectsWith('USAGE', /another promotion of fraud@1 is in progress/));
    assert.deepEqual(await ctx.models.promotions('fraud', '1'), []);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(locks, 'fraud@1.lock'), `${gone}\n`);
    const outcome = await promoteModelVersion(ctx, { name: 'fraud', version: '1', toStage: 'staging', by: 'cy' });
    assert.equal(outcome.decision.allowed, true, outcome.decision.reasons.join('\n'));
    assert.equal(await stat(join(locks, 'fraud@1.lock')).catch(() => null), null, 'the lock is released');
  });

  it('refuses to promote a model that is not a workspace asset, naming why', async () => {
    const { ws, ctx } = await setUp(() => fixture.openFresh());
    const model = await writeModel(ws, 'models/experiment');
    await sign(model, ws.trusted);
    const { version } = await registerModelVersion(ctx, { name: 'experiment', version: '1', modelPath: model, by: 'ana', owner: 'cy' });
    assert.equal(version.assetId, null);
    assert.equal(version.owner, 'cy');
    await reviewModelVersion(ctx, { name: 'experiment', version: '1', decision: 'approved', by: 'bo', note: 'ok' });
    const outcome = await promoteModelVersion(ctx, { name: 'experiment', version: '1', toStage: 'production', by: 'cy' });
    assert.deepEqual(outcome.decision.checks.filter((c) => !c.ok).map((c) => c.id), ['permission', 'client-data']);
    assert.match(outcome.decision.reasons[0] ?? '', /experiment is not a model asset of the workspace/);
  });
});
