// Public surface of the store module: open a database (SQLite file or PostgreSQL) and use its repositories.
export { openStore } from './open-store.js';
export { resolveStoreOptions, redactDatabaseUrl, DATABASE_URL_ENV, DEFAULT_SQLITE_PATH } from './options.js';
export { STORE_MIGRATIONS, SCHEMA_VERSION_TABLE } from './migrations/index.js';
export type { MigrationContext, StoreMigration } from './migrations/index.js';
export type { Database, RunsTable, RunFindingsTable } from './schema.js';
export type {
  Store,
  StoreDialect,
  StoreOptions,
  RunRepository,
  RunSummary,
  RunListOptions,
  RunGetOptions,
} from './types.js';
