/**
 * Opening the store: pick the adapter, connect, bring the schema up to date, hand out the
 * repositories. Every open runs the migrations, so a newer Warden upgrades an older database in
 * place; an older Warden refuses a database migrated past what it knows (STORE_MIGRATION).
 */
import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import { WardenError, describeError } from '../domain/index.js';
import type { StoreAdapter } from './adapter.js';
import { InCodeMigrationProvider, SCHEMA_LOCK_TABLE, SCHEMA_VERSION_TABLE } from './migrations/index.js';
import { createPostgresAdapter } from './postgres/index.js';
import { createModelRegistryStore } from './model-registry-repository.js';
import { createRunRepository } from './run-repository.js';
import type { Database } from './schema.js';
import { createSqliteAdapter } from './sqlite/index.js';
import type { Store, StoreOptions } from './types.js';

export function adapterFor(options: StoreOptions): StoreAdapter {
  if (options.url !== undefined && options.url !== '') return createPostgresAdapter(options.url);
  if (options.sqlitePath !== undefined && options.sqlitePath !== '') return createSqliteAdapter(options.sqlitePath);
  throw new WardenError('STORE_CONFIG', 'no database configured: give a PostgreSQL URL or an SQLite path');
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const adapter = adapterFor(options);
  const db = await adapter.connect();
  try {
    await migrateToLatest(db, adapter);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closed = false;
  return {
    dialect: adapter.dialect,
    db,
    runs: createRunRepository(db, adapter),
    models: createModelRegistryStore(db, adapter),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function migrateToLatest(db: Kysely<Database>, adapter: StoreAdapter): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(adapter.dialect),
    migrationTableName: SCHEMA_VERSION_TABLE,
    migrationLockTableName: SCHEMA_LOCK_TABLE,
  });
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await migrator.migrateToLatest();
  } catch (error) {
    throw migrationError(adapter, error, []);
  }
  if (outcome.error !== undefined) throw migrationError(adapter, outcome.error, outcome.results ?? []);
}

function migrationError(adapter: StoreAdapter, cause: unknown, results: readonly { migrationName: string; status: string }[]): WardenError {
  const failed = results.find((r) => r.status === 'Error')?.migrationName;
  const what = failed === undefined ? 'the schema' : `migration ${failed}`;
  return new WardenError(
    'STORE_MIGRATION',
    `could not migrate ${what} of the ${adapter.dialect} database ${adapter.location}: ${describeError(cause)}`,
    { cause, details: { dialect: adapter.dialect, location: adapter.location, ...(failed !== undefined && { migration: failed }) } },
  );
}
