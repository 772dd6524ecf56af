// `warden model register|list|show|review|exception|promote|scan|export` as a user types them,
// through the real program (runCli) with its exit codes: 0 done, 1 refused (recorded), 2 bad input.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/index.js';
import { EVIL_PICKLE, createWorkspace, sign, writeModel } from './registry-fixtures.js';
import type { TestWorkspace } from './registry-fixtures.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function warden(args: readonly string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    // The caller's environment: in CI, WARDEN_DATABASE_URL points at PostgreSQL.
    env: { ...process.env, NO_COLOR: '1' },
    cwd,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('warden model registry commands', () => {
  let ws: TestWorkspace;
  before(async () => {
    ws = await createWorkspace({ crossClient: true });
    const good = await writeModel(ws, 'models/fraud-2');
    await sign(good, ws.trusted);
    await writeModel(ws, 'models/fraud-1', { 'config.json': '{}', 'model.pkl': EVIL_PICKLE });
    await writeFile(join(ws.dir, 'metrics.json'), JSON.stringify({ auc: 0.91, f1: 0.8 }));
  });
  after(async () => rm(ws.dir, { recursive: true, force: true }));

  it('registers, lists and shows versions', async () => {
    const r = await warden(['model', 'register', 'fraud', '2', 'models/fraud-2', '--by', 'ana', '--metrics', 'metrics.json', '--metric', 'f1=0.82', '--metric', 'note=first'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^registered fraud@2: 2 file\(s\)/);
    assert.match(r.stdout, /signature: verified: verified with trusted key release/);
    assert.match(r.stdout, /training:  acme-data, globex-data \(data of acme, globex\)/);
    assert.match(r.stdout, /metrics:   auc=0\.91, f1=0\.82, note=first/);
    const unsigned = await warden(['model', 'register', 'fraud', '1', join(ws.dir, 'models/fraud-1'), '--by', 'ana', '-w', ws.dir, '--format', 'json'], '/');
    assert.equal(unsigned.code, 0, unsigned.stderr);
    const doc = JSON.parse(unsigned.stdout) as { version: { signatureCheck: { status: string } }; scan: { highest: string } };
    assert.equal(doc.version.signatureCheck.status, 'unsigned');
    assert.equal(doc.scan.highest, 'critical');

    const again = await warden(['model', 'register', 'fraud', '2', 'models/fraud-2', '--by', 'ana'], ws.dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /fraud@2 is already registered/);

    const list = await warden(['model', 'list'], ws.dir);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /fraud@1\s+development\s+unsigned\s+1 high\+, worst critical\s+not reviewed/);
    assert.match(list.stdout, /fraud@2\s+development\s+verified\s+clean\s+not reviewed/);
    const listed = JSON.parse((await warden(['model', 'list', '--format', 'json'], ws.dir)).stdout) as { versions: unknown[] };
    assert.equal(listed.versions.length, 2);

    const show = await warden(['model', 'show', 'fraud@1'], ws.dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /critical\s+models\/pickle-dangerous-import\s+model\.pkl/);
    assert.equal((await warden(['model', 'show', 'fraud@9'], ws.dir)).code, 2);
    assert.equal((await warden(['model', 'show', 'fraud'], ws.dir)).code, 2);
  });

  it('refuses a promotion with exit 1, every reason on stderr, and records it', async () => {
    const r = await warden(['model', 'promote', 'fraud@1', '--to', 'production', '--by', 'cy'], ws.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /REFUSED: fraud@1 may not go from development to production for acme \(decision #\d+, recorded\); 4 reason\(s\):/);
    for (const id of ['signature', 'scan', 'review', 'client-data']) assert.match(r.stderr, new RegExp(`FAIL ${id}`));
    assert.match(r.stderr, /ok {3}permission/);
    const show = await warden(['model', 'show', 'fraud@1', '--format', 'json'], ws.dir);
    const doc = JSON.parse(show.stdout) as { promotions: { decision: string; by: string; reasons: string[] }[] };
    assert.deepEqual(doc.promotions.map((p) => [p.decision, p.by, p.reasons.length]), [['refused', 'cy', 4]]);
  });

  it('takes a review and an exception, then promotes; unknown people and bad flags are input errors', async () => {
    const self = await warden(['model', 'review', 'fraud@2', '--approve', '--by', 'ana', '--note', 'mine'], ws.dir);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /ana registered fraud@2 and may not approve/);
    assert.equal((await warden(['model', 'review', 'fraud@2', '--approve', '--by', 'nobody', '--note', 'x'], ws.dir)).code, 2);
    assert.equal((await warden(['model', 'review', 'fraud@2', '--approve', '--reject', '--by', 'bo', '--note', 'x'], ws.dir)).code, 2);
    const review = await warden(['model', 'review', 'fraud@2', '--approve', '--by', 'bo', '--note', 'weights and eval reviewed'], ws.dir);
    assert.equal(review.code, 0, review.stderr);
    assert.match(review.stdout, /recorded review #\d+: fraud@2 approved by bo/);

    const refused = await warden(['model', 'promote', 'fraud@2', '--to', 'production', '--by', 'cy', '--format', 'json'], ws.dir);
    assert.equal(refused.code, 1);
    const decision = JSON.parse(refused.stdout) as { allowed: boolean; reasons: string[] };
    assert.equal(decision.allowed, false);
    assert.equal(decision.reasons.length, 1);
    assert.match(decision.reasons[0] ?? '', /carries data of globex and would serve acme/);

    assert.equal((await warden(['model', 'exception', 'fraud@2', '--client', 'acme', '--approved-by', 'bo', '--reason', 'x', '--expires', '2026-02-30'], ws.dir)).code, 2);
    const exception = await warden(['model', 'exception', 'fraud@2', '--client', 'acme', '--approved-by', 'bo', '--reason', 'globex consented in writing', '--expires', '2999-12-31'], ws.dir);
    assert.equal(exception.code, 0, exception.stderr);
    assert.match(exception.stdout, /fraud@2 may be deployed for acme although it carries data of globex, until 2999-12-31 \(approved by bo\)/);

    const promoted = await warden(['model', 'promote', 'fraud@2', '--to', 'production', '--by', 'cy', '--for', 'acme'], ws.dir);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /^promoted fraud@2 from development to production for acme/);
    const artifact = join(ws.dir, '.warden', 'artifacts', 'production', 'fraud', '2');
    assert.equal(await readFile(join(artifact, 'model', 'config.json'), 'utf8'), '{"layers": 2}\n');
    const record = JSON.parse(await readFile(join(artifact, 'artifact.json'), 'utf8')) as { promotedBy: string; signature: { keyId: string } };
    assert.equal(record.promotedBy, 'cy');
    assert.equal(record.signature.keyId, 'release');
    assert.match((await warden(['model', 'list', '--stage', 'production'], ws.dir)).stdout, /fraud@2\s+production/);
    assert.equal((await warden(['model', 'promote', 'fraud@2', '--to', 'prod', '--by', 'cy'], ws.dir)).code, 2, 'unknown stage');
    assert.equal((await warden(['model', 'promote', 'fraud@2', '--to', 'production', '--by', 'cy', '--for', 'initech'], ws.dir)).code, 2, 'unknown client');
  });

  it('rescans with exit 1 on high findings, and exports only for allowed people', async () => {
    const scan = await warden(['model', 'scan', 'fraud@1', '--by', 'bo'], ws.dir);
    assert.equal(scan.code, 1);
    assert.match(scan.stdout, /fraud@1: 1 finding\(s\): 1 critical/);
    const clean = await warden(['model', 'scan', 'fraud@2'], ws.dir);
    assert.equal(clean.code, 0, clean.stderr);
    const refused = await warden(['model', 'export', 'fraud@2', '--out', 'export-cy', '--by', 'cy'], ws.dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /REFUSED: export of fraud@2 by cy \(recorded\)/);
    const allowed = await warden(['model', 'export', 'fraud@2', '--out', 'export-bo', '--by', 'bo'], ws.dir);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(await readFile(join(ws.dir, 'export-bo', 'README.md'), 'utf8'), 'fraud model\n');
  });

  it('feeds the registry into the assessment as evidence', async () => {
    const r = await warden(['assess', '.', '--format', 'json', '--no-store', '-q'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { controls: { controlId: string; asset?: string; status: string; reason: string }[] };
    const integrity = result.controls.find((c) => c.controlId === 'WD-MODEL-02' && c.asset === 'fraud');
    assert.equal(integrity?.status, 'pass', integrity?.reason);
    assert.match(integrity?.reason ?? '', /fraud@2 in production through the gate/);
    assert.match(integrity?.reason ?? '', /copy matches its registered digests/);
  });
});
