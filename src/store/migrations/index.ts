/**
 * Every migration, oldest first. To add a table: write `NNNN-name.ts` next to these (copy
 * 0001-runs.ts for the shape), append it to STORE_MIGRATIONS, add its row types to ../schema.ts,
 * and the next `openStore` on any existing database applies it.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../types.js';
import { migration0001Runs } from './0001-runs.js';
import { migration0002ModelRegistry } from './0002-model-registry.js';
import { migration0003RunParts } from './0003-run-parts.js';
import type { StoreMigration } from './migration.js';

export type { MigrationContext, StoreMigration } from './migration.js';
export { APPEND_ONLY_TABLES } from './0002-model-registry.js';

export const STORE_MIGRATIONS: readonly StoreMigration[] = [migration0001Runs, migration0002ModelRegistry, migration0003RunParts];

/** Kysely's Migrator keeps the applied migrations (the schema version) in this table. */
export const SCHEMA_VERSION_TABLE = 'warden_schema_version';
export const SCHEMA_LOCK_TABLE = 'warden_schema_lock';

/** Hands the in-code migrations to Kysely's Migrator, bound to the dialect being migrated. */
export class InCodeMigrationProvider implements MigrationProvider {
  readonly #dialect: StoreDialect;
  readonly #migrations: readonly StoreMigration[];

  constructor(dialect: StoreDialect, migrations: readonly StoreMigration[] = STORE_MIGRATIONS) {
    this.#dialect = dialect;
    this.#migrations = migrations;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const context = { dialect: this.#dialect };
    const out: Record<string, Migration> = {};
    for (const m of this.#migrations) {
      if (Object.hasOwn(out, m.name)) throw new Error(`duplicate migration name ${m.name}`);
      const down = m.down;
      out[m.name] = {
        up: (db) => m.up(db, context),
        ...(down !== undefined && { down: (db) => down(db, context) }),
      };
    }
    return out;
  }
}
