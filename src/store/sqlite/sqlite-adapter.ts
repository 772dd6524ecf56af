/**
 * Embedded SQLite through better-sqlite3. The file holds assessment results (asset names,
 * findings, client names), so its folder is created owner-only (0700) and the file 0600; SQLite
 * creates its -wal and -shm files with the database file's permissions.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { WardenError, describeError } from '../../domain/index.js';
import type { StoreAdapter } from '../adapter.js';
import type { Database } from '../schema.js';

/** SQLite's compiled-in SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32; better-sqlite3 keeps it). */
const SQLITE_MAX_VARIABLES = 32766;
/** How long a writer waits for another process's lock before failing (two CLI runs at once). */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * SQLite runs DDL inside transactions perfectly well; Kysely's stock adapter says it does not,
 * which would leave a half-applied migration behind if one failed. Claiming support makes the
 * Migrator wrap each run of migrations in a transaction.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Every transaction Warden opens writes. A plain (deferred) BEGIN takes the write lock only at
 * the first write; if another process committed in between, SQLite answers SQLITE_BUSY at once
 * without waiting (upgrading would break isolation). BEGIN IMMEDIATE takes the write lock up
 * front, so a second `warden` process waits for the first (busy_timeout) instead of failing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class WardenSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

export function createSqliteAdapter(path: string): StoreAdapter {
  const inMemory = path === ':memory:';
  const file = inMemory ? path : resolve(path);
  return {
    dialect: 'sqlite',
    maxBindParameters: SQLITE_MAX_VARIABLES,
    location: file,
    async connect(): Promise<Kysely<Database>> {
      let database: BetterSqlite3.Database | undefined;
      try {
        if (!inMemory) {
          mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
          // Create the file ourselves so it is never world-readable, not even for a moment.
          closeSync(openSync(file, 'a', 0o600));
        }
        const { default: Sqlite } = await import('better-sqlite3');
        database = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
        // The first statement also proves the file is an SQLite database.
        database.pragma('journal_mode = WAL');
        database.pragma('synchronous = NORMAL'); // durable across crashes in WAL mode, faster commits
        database.pragma('foreign_keys = ON');
      } catch (error) {
        database?.close();
        throw new WardenError('STORE_UNAVAILABLE', `cannot open the SQLite database ${file}: ${describeError(error)}`, {
          cause: error,
          details: { dialect: 'sqlite', location: file },
        });
      }
      return new Kysely<Database>({ dialect: new WardenSqliteDialect({ database }) });
    },
  };
}
