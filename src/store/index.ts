// Public surface of the store module: open a database (SQLite file or PostgreSQL) and use its repositories.
export { openStore } from './open-store.js';
export { resolveStoreOptions, redactDatabaseUrl, DATABASE_URL_ENV, DEFAULT_SQLITE_PATH } from './options.js';
export { STORE_MIGRATIONS, SCHEMA_VERSION_TABLE, APPEND_ONLY_TABLES } from './migrations/index.js';
export type { MigrationContext, StoreMigration } from './migrations/index.js';
export type {
  Database,
  RunsTable,
  RunFindingsTable,
  ModelVersionsTable,
  ModelScansTable,
  ModelReviewsTable,
  ModelPromotionsTable,
  ModelExceptionsTable,
  ModelExportsTable,
} from './schema.js';

export type {
  Store,
  StoreDialect,
  StoreOptions,
  RunRepository,
  RunSummary,
  RunListOptions,
  RunGetOptions,
  ModelRegistryStore,
  ModelRegistryRepository,
  ModelListOptions,
  NewModelVersion,
  NewModelScan,
  NewModelReview,
  NewPromotion,
  NewDeploymentException,
  NewExport,
} from './types.js';
