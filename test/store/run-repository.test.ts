import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { isWardenError } from '../../src/domain/index.js';
import type { ErrorCode } from '../../src/domain/index.js';
import type { Store } from '../../src/store/index.js';
import { buildAssessmentResult, buildLargeResult, control, finding, forEachDialect } from '../helpers/test-store.js';

const rejectsWith = (code: ErrorCode, pattern?: RegExp) => (error: unknown) => {
  assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
  return true;
};

const findingRows = async (store: Store, runId: string) =>
  store.db.selectFrom('run_findings').selectAll().where('run_id', '=', runId).orderBy('position').execute();

forEachDialect('run repository', (fixture) => {
  it('round-trips a saved run exactly and indexes its findings', async () => {
    const store = await fixture.openFresh();
    const run = buildAssessmentResult({
      controls: [control('WD-DATA-01', 'pass', 'db'), control('WD-DATA-02', 'fail', 'db', 'critical'), control('WD-PPL-01', 'needs-attestation')],
      findings: [finding('one', 'critical', { line: 12 }), finding('two', 'low')],
      score: 47.25,
    });
    await store.runs.save(run);
    assert.deepEqual(await store.runs.get(run.id), run);

    const rows = await findingRows(store, run.id);
    assert.deepEqual(
      rows.map((r) => [r.position, r.fingerprint, r.rule_id, r.severity, r.source, r.asset, r.path, r.line]),
      run.findings.map((f, i) => [i, f.fingerprint, f.ruleId, f.severity, f.source, f.asset, f.location.path, f.location.line ?? null]),
    );

    const [summary] = await store.runs.list();
    assert.deepEqual(summary, {
      id: run.id,
      createdAt: run.createdAt,
      workspaceName: 'acme',
      workspaceDigest: 'sha256:0f0e',
      score: 47.25,
      passed: 1,
      failed: 1,
      partial: 0,
      pending: 1,
      findings: 2,
      gapsBySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
    });
  });

  it('lists newest first, filters by workspace and limits', async () => {
    const store = await fixture.openFresh();
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 9)).toISOString();
    const runs = [
      buildAssessmentResult({ id: 'run-b', createdAt: at(2), workspaceName: 'acme' }),
      buildAssessmentResult({ id: 'run-c', createdAt: at(3), workspaceName: 'globex' }),
      buildAssessmentResult({ id: 'run-a', createdAt: at(1), workspaceName: 'acme' }),
      // Same instant as run-c: the one saved later is newer.
      buildAssessmentResult({ id: 'run-d', createdAt: at(3), workspaceName: 'acme' }),
    ];
    for (const r of runs) await store.runs.save(r);
    assert.deepEqual((await store.runs.list()).map((s) => s.id), ['run-d', 'run-c', 'run-b', 'run-a']);
    assert.deepEqual((await store.runs.list({ workspaceName: 'acme' })).map((s) => s.id), ['run-d', 'run-b', 'run-a']);
    assert.deepEqual((await store.runs.list({ limit: 2 })).map((s) => s.id), ['run-d', 'run-c']);
    await assert.rejects(store.runs.list({ limit: 0 }), rejectsWith('USAGE'));
  });

  it('orders by the instant, whatever offset the creation time was written with', async () => {
    const store = await fixture.openFresh();
    await store.runs.save(buildAssessmentResult({ id: 'early', createdAt: '2026-03-01T10:00:00+02:00' })); // 08:00Z
    await store.runs.save(buildAssessmentResult({ id: 'late', createdAt: '2026-03-01T09:00:00Z' }));
    assert.deepEqual((await store.runs.list()).map((s) => s.id), ['late', 'early']);
    assert.equal((await store.runs.list())[1]?.createdAt, '2026-03-01T08:00:00.000Z');
  });

  it('resolves latest, latest~N, full ids and unique prefixes', async () => {
    const store = await fixture.openFresh();
    const ids = ['5f3a9c0d11', '5f3a77e210', '9b0c4e7a55'];
    for (const [i, id] of ids.entries()) {
      await store.runs.save(buildAssessmentResult({ id, createdAt: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(), workspaceName: i === 1 ? 'globex' : 'acme' }));
    }
    assert.equal((await store.runs.get('latest')).id, '9b0c4e7a55');
    assert.equal((await store.runs.get('latest~0')).id, '9b0c4e7a55');
    assert.equal((await store.runs.get('latest~1')).id, '5f3a77e210');
    assert.equal((await store.runs.get('latest~2')).id, '5f3a9c0d11');
    assert.equal((await store.runs.get('latest~1', { workspaceName: 'acme' })).id, '5f3a9c0d11');
    assert.equal((await store.runs.get('5f3a9c0d11')).id, '5f3a9c0d11');
    assert.equal((await store.runs.get('5f3a9')).id, '5f3a9c0d11');
    assert.equal((await store.runs.get('9b0c')).id, '9b0c4e7a55');
  });

  it('reports unknown refs as RUN_NOT_FOUND and ambiguous prefixes as USAGE naming the candidates', async () => {
    const store = await fixture.openFresh();
    await assert.rejects(store.runs.get('latest'), rejectsWith('RUN_NOT_FOUND', /0 run/));
    for (const id of ['5f3a9c0d11', '5f3a77e210']) await store.runs.save(buildAssessmentResult({ id }));
    await assert.rejects(store.runs.get('latest~2'), rejectsWith('RUN_NOT_FOUND', /2 run/));
    await assert.rejects(store.runs.get('deadbeef'), rejectsWith('RUN_NOT_FOUND'));
    await assert.rejects(store.runs.get('5f3'), rejectsWith('RUN_NOT_FOUND', /at least 4/)); // too short to be a prefix
    await assert.rejects(store.runs.get('5F3A'), rejectsWith('RUN_NOT_FOUND')); // ids are case-sensitive
    await assert.rejects(store.runs.get('5f3a%'), rejectsWith('RUN_NOT_FOUND')); // no wildcards
    await assert.rejects(store.runs.get('latest~x'), rejectsWith('RUN_NOT_FOUND'));
    await assert.rejects(store.runs.get(''), rejectsWith('RUN_NOT_FOUND'));
    await assert.rejects(store.runs.get('5f3a'), (error: unknown) => {
      rejectsWith('USAGE', /ambiguous/)(error);
      assert.ok(isWardenError(error));
      assert.match(error.message, /5f3a9c0d11/);
      assert.match(error.message, /5f3a77e210/);
      assert.deepEqual([...(error.details.candidates as string[])].sort(), ['5f3a77e210', '5f3a9c0d11']);
      return true;
    });
  });

  it('refuses to store the same run twice and keeps the first copy', async () => {
    const store = await fixture.openFresh();
    const run = buildAssessmentResult({ findings: [finding('x')] });
    await store.runs.save(run);
    await assert.rejects(store.runs.save({ ...run, findings: [finding('y'), finding('z')] }), rejectsWith('RUN_EXISTS', /already stored/));
    assert.deepEqual(await store.runs.get(run.id), run);
    assert.equal((await findingRows(store, run.id)).length, 1);
  });

  it('refuses results it cannot index (bad date, missing fingerprint) before writing anything', async () => {
    const store = await fixture.openFresh();
    await assert.rejects(store.runs.save(buildAssessmentResult({ createdAt: 'yesterday' })), rejectsWith('INPUT_INVALID', /createdAt/));
    const broken = { ...finding('x'), fingerprint: undefined } as unknown as ReturnType<typeof finding>;
    await assert.rejects(store.runs.save(buildAssessmentResult({ findings: [finding('ok'), broken] })), rejectsWith('INPUT_INVALID', /finding 1/));
    assert.deepEqual(await store.runs.list(), []);
  });

  it('saves in one transaction: a failure in a late findings batch leaves nothing behind', async () => {
    const store = await fixture.openFresh();
    // A trigger that fails on one fingerprint, placed after several full batches.
    if (fixture.dialect === 'sqlite') {
      await sql`create trigger boom before insert on run_findings when new.fingerprint = 'boom'
        begin select raise(abort, 'boom'); end`.execute(store.db);
    } else {
      await sql`create function boom() returns trigger language plpgsql as $$
        begin if new.fingerprint = 'boom' then raise exception 'boom'; end if; return new; end $$`.execute(store.db);
      await sql`create trigger boom before insert on run_findings for each row execute function boom()`.execute(store.db);
    }
    const findings = Array.from({ length: 20_000 }, (_, i) => finding(`k${i}`));
    findings.push({ ...finding('last'), fingerprint: 'boom' });
    const run = buildAssessmentResult({ findings });
    await assert.rejects(store.runs.save(run), rejectsWith('STORE_UNAVAILABLE', /boom/));
    assert.deepEqual(await store.runs.list(), []);
    assert.equal((await findingRows(store, run.id)).length, 0);
    // The store is still usable afterwards.
    const ok = buildAssessmentResult({ findings: [finding('fine')] });
    await store.runs.save(ok);
    assert.equal((await store.runs.list()).length, 1);
  });

  it('keeps hostile text exactly in the result and storable in the columns', async () => {
    const store = await fixture.openFresh();
    const nasty = finding('nul', 'medium', { path: 'a\u0000b/\u{1F600}.py', message: `x\u0000y ${'m'.repeat(5000)}`, line: 2 ** 40 });
    const run = buildAssessmentResult({ workspaceName: "o'brien; drop table runs;--", findings: [nasty] });
    await store.runs.save(run);
    assert.deepEqual(await store.runs.get(run.id), run);
    const [row] = await findingRows(store, run.id);
    assert.equal(row?.path, 'a\uFFFDb/\u{1F600}.py');
    assert.equal(row?.line, null); // beyond a 32-bit integer column
    assert.ok((row?.message.length ?? 0) <= 2000);
    assert.equal((await store.runs.list({ workspaceName: "o'brien; drop table runs;--" })).length, 1);
  });

  it('saves a large result in bind-parameter-sized batches', async () => {
    const store = await fixture.openFresh();
    // 70,000 findings × 10 columns is 700,000 parameters: over 10 PostgreSQL and 21 SQLite batches.
    const run = buildLargeResult(50_000, 70_000);
    const started = performance.now();
    await store.runs.save(run);
    const seconds = (performance.now() - started) / 1000;
    const { n } = await store.db
      .selectFrom('run_findings')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 70_000);
    const back = await store.runs.get(run.id);
    assert.equal(back.controls.length, 50_000);
    assert.deepEqual(back, run, 'every list comes back whole and in order from its pages');
    // The long lists live in compressed pages, several per list; the run row holds the rest.
    const pages = await store.db.selectFrom('run_parts').select(['part', 'page', 'items']).where('run_id', '=', run.id).orderBy('part').orderBy('page').execute();
    assert.ok(pages.filter((p) => p.part === 'findings').length > 1, 'findings span several pages');
    assert.equal(pages.filter((p) => p.part === 'controls').reduce((n, p) => n + Number(p.items), 0), 50_000);
    const row = await store.db.selectFrom('runs').select('result').where('id', '=', run.id).executeTakeFirstOrThrow();
    assert.ok(row.result.length < 10_000, `the run row holds no long list (${row.result.length} characters)`);
    const [summary] = await store.runs.list();
    assert.equal(summary?.findings, 70_000);
    // Not a benchmark; a sanity bound that catches row-at-a-time inserts (which take minutes).
    assert.ok(seconds < 60, `saving took ${seconds.toFixed(1)} s`);
  });

  it('reads runs stored whole before pages existed, and refuses a damaged page', async () => {
    const store = await fixture.openFresh();
    const old = buildAssessmentResult({ id: 'run-stored-whole', findings: [finding('w', 'high')], controls: [control('WD-DATA-01', 'fail', 'db', 'high')] });
    await store.runs.save(old);
    await store.db.deleteFrom('run_parts').where('run_id', '=', old.id).execute();
    await store.db.updateTable('runs').set({ result: JSON.stringify(old) }).where('id', '=', old.id).execute();
    assert.deepEqual(await store.runs.get(old.id), old);

    const run = buildAssessmentResult({ id: 'run-damaged', findings: [finding('d', 'high')] });
    await store.runs.save(run);
    await store.db.updateTable('run_parts').set({ body: new Uint8Array([1, 2, 3]) }).where('run_id', '=', run.id).where('part', '=', 'findings').execute();
    await assert.rejects(store.runs.get(run.id), rejectsWith('INTERNAL', /run-damaged is damaged: page 0 of findings cannot be read/));
  });
});
