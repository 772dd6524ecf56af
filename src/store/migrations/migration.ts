/**
 * In-code migrations. They are plain objects listed in ./index.ts (no filesystem lookup, so they
 * work from a bundled or installed copy), run by Kysely's Migrator in name order on every open.
 *
 * Rules: a migration that has shipped is never edited or renamed — add a new one instead. Names
 * are `NNNN-what-it-does`; the number keeps the order. Write the DDL once with Kysely's schema
 * builder; branch on `context.dialect` only where the dialects really differ (identity columns …).
 */
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../types.js';

export interface MigrationContext {
  readonly dialect: StoreDialect;
}

export interface StoreMigration {
  readonly name: string;
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
  down?(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}
