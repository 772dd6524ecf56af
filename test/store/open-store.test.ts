import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { WardenError, isWardenError } from '../../src/domain/index.js';
import { SCHEMA_VERSION_TABLE, STORE_MIGRATIONS, openStore, resolveStoreOptions } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { buildAssessmentResult, finding, forEachDialect } from '../helpers/test-store.js';

const execFileAsync = promisify(execFile);

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(SCHEMA_VERSION_TABLE)} order by name`.execute(db);
  return rows.map((r) => r.name);
}

forEachDialect('openStore', (fixture) => {
  it('creates the schema and records every migration in the version table', async () => {
    const store = await fixture.openFresh();
    assert.equal(store.dialect, fixture.dialect);
    assert.deepEqual(await appliedMigrations(store.db), STORE_MIGRATIONS.map((m) => m.name));
    assert.deepEqual(await store.runs.list(), []);
  });

  it('reopens an existing database without re-running migrations and keeps its runs', async () => {
    const options = await fixture.newOptions();
    const first = await fixture.open(options);
    const run = buildAssessmentResult({ findings: [finding('a')] });
    await first.runs.save(run);
    await first.close();
    const second = await fixture.open(options);
    await second.close();
    const third = await fixture.open(options);
    assert.deepEqual(await appliedMigrations(third.db), STORE_MIGRATIONS.map((m) => m.name));
    assert.deepEqual(await third.runs.get(run.id), run);
  });

  it('lets several processes open and write a fresh database at the same time', async () => {
    const options = await fixture.newOptions();
    const storeModule = new URL('../../src/store/index.js', import.meta.url).href;
    // Each child opens the store (racing on the migrations) and saves one run.
    const child = `
      const [storeModule, options, result] = process.argv.slice(1);
      const { openStore } = await import(storeModule);
      const store = await openStore(JSON.parse(options));
      await store.runs.save(JSON.parse(result));
      await store.close();`;
    const runs = [1, 2, 3].map((i) => buildAssessmentResult({ id: `concurrent-${i}`, findings: [finding(`c${i}`)] }));
    await Promise.all(
      runs.map((run) =>
        execFileAsync(process.execPath, ['--input-type=module', '-e', child, storeModule, JSON.stringify(options), JSON.stringify(run)], {
          timeout: 60_000,
        }),
      ),
    );
    const store = await fixture.open(options);
    assert.deepEqual(await appliedMigrations(store.db), STORE_MIGRATIONS.map((m) => m.name));
    assert.deepEqual((await store.runs.list()).map((r) => r.id).sort(), runs.map((r) => r.id));
  });

  it('refuses a database migrated by a newer Warden (STORE_MIGRATION)', async () => {
    const options = await fixture.newOptions();
    const store = await fixture.open(options);
    await sql`insert into ${sql.table(SCHEMA_VERSION_TABLE)} (name, timestamp) values ('9999-from-the-future', ${new Date().toISOString()})`.execute(store.db);
    await store.close();
    await assert.rejects(openStore(options), (error: unknown) => {
      assert.ok(isWardenError(error));
      assert.equal(error.code, 'STORE_MIGRATION');
      return true;
    });
  });

  it('closes idempotently', async () => {
    const store = await fixture.openFresh();
    await store.close();
    await store.close();
  });
});

describe('openStore [sqlite] files', () => {
  let root: string | undefined;
  after(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('creates <workspace>/.warden owner-only, the database 0600, in WAL mode with foreign keys on', async () => {
    root = await mkdtemp(join(tmpdir(), 'warden-store-files-'));
    const options = resolveStoreOptions(root, {});
    assert.equal(options.sqlitePath, join(root, '.warden', 'warden.db'));
    const store = await openStore(options);
    try {
      assert.equal((await stat(dirname(options.sqlitePath!))).mode & 0o777, 0o700);
      assert.equal((await stat(options.sqlitePath!)).mode & 0o777, 0o600);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      assert.equal(journal.rows[0]?.journal_mode, 'wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      assert.equal(fk.rows[0]?.foreign_keys, 1);
    } finally {
      await store.close();
    }
  });

  it('reports a file that is not a database as STORE_UNAVAILABLE', async () => {
    root ??= await mkdtemp(join(tmpdir(), 'warden-store-files-'));
    const path = join(root, 'not-a-db.db');
    await writeFile(path, 'this is a text file, not SQLite '.repeat(200));
    await assert.rejects(openStore({ sqlitePath: path }), (error: unknown) => {
      assert.ok(error instanceof WardenError);
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.match(error.message, /not-a-db\.db/);
      assert.ok(error.cause !== undefined);
      return true;
    });
  });
});

describe('store configuration', () => {
  it('prefers WARDEN_DATABASE_URL over the workspace SQLite file', () => {
    const url = 'postgres://warden:pw@127.0.0.1:5432/warden';
    assert.deepEqual(resolveStoreOptions('/ws', { WARDEN_DATABASE_URL: url }), { url });
    assert.deepEqual(resolveStoreOptions('/ws', { WARDEN_DATABASE_URL: '  ' }), { sqlitePath: join('/ws', '.warden', 'warden.db') });
  });

  const secret = ['Sup3r', 'S3cret', 'pw'].join('-');
  /** The password must appear nowhere a user or a log could see it. */
  const assertNoSecret = (error: WardenError) => {
    const seen = [error.message, JSON.stringify(error.details), String(error.stack)];
    for (let cause: unknown = error.cause; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
      seen.push(cause instanceof Error ? `${cause.message} ${String(cause.stack)}` : String(cause));
      if (!(cause instanceof Error)) break;
    }
    for (const text of seen) assert.ok(!text.includes(secret), `password leaked in: ${text}`);
  };

  for (const [label, url] of [
    ['a malformed URL', `postgres://warden:${secret}@127.0.0.1:99999/db`],
    ['a non-PostgreSQL scheme', `mysql://warden:${secret}@127.0.0.1/db`],
    ['not a URL at all', `warden:${secret}@nowhere`],
  ] as const) {
    it(`rejects ${label} with STORE_CONFIG and no password`, async () => {
      await assert.rejects(openStore({ url }), (error: unknown) => {
        assert.ok(error instanceof WardenError);
        assert.equal(error.code, 'STORE_CONFIG');
        assertNoSecret(error);
        return true;
      });
    });
  }

  it('reports an unreachable server as STORE_UNAVAILABLE with its cause, redacting the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await assert.rejects(openStore({ url: `postgresql://warden:${secret}@127.0.0.1:1/warden` }), (error: unknown) => {
      assert.ok(error instanceof WardenError);
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.ok(error.cause !== undefined);
      assert.match(error.message, /postgresql:\/\/warden:\*\*\*@127\.0\.0\.1:1\/warden/);
      assertNoSecret(error);
      return true;
    });
  });
});
