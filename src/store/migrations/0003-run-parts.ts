import type { Kysely } from 'kysely';
import type { MigrationContext, StoreMigration } from './migration.js';

/**
 * The long lists of a run (assets, control results, gaps, findings, scanner runs) in compressed
 * pages. A large organisation's result serialises to more text than one JavaScript string may
 * hold (about 512 MiB), so it cannot live in `runs.result` whole; that column keeps the rest.
 * Runs stored before this migration keep their whole result there and read back as before.
 */
export const migration0003RunParts: StoreMigration = {
  name: '0003-run-parts',
  async up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
    await db.schema
      .createTable('run_parts')
      .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('part', 'text', (col) => col.notNull())
      .addColumn('page', 'integer', (col) => col.notNull())
      .addColumn('items', 'integer', (col) => col.notNull())
      .addColumn('encoding', 'text', (col) => col.notNull())
      .addColumn('body', dialect === 'sqlite' ? 'blob' : 'bytea', (col) => col.notNull())
      .addPrimaryKeyConstraint('run_parts_pk', ['run_id', 'part', 'page'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('run_parts').execute();
  },
};
