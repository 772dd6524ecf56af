import type { Kysely } from 'kysely';
import type { MigrationContext, StoreMigration } from './migration.js';

/** Assessment runs: a summary row per run with the full result as JSON, plus one row per finding. */
export const migration0001Runs: StoreMigration = {
  name: '0001-runs',
  async up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
    await db.schema
      .createTable('runs')
      .addColumn('seq', 'integer', (col) =>
        dialect === 'sqlite'
          ? col.primaryKey().autoIncrement()
          : col.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('saved_at', 'text', (col) => col.notNull())
      .addColumn('workspace_name', 'text', (col) => col.notNull())
      .addColumn('workspace_digest', 'text', (col) => col.notNull())
      .addColumn('score', 'double precision', (col) => col.notNull())
      .addColumn('controls_evaluated', 'integer', (col) => col.notNull())
      .addColumn('passed', 'integer', (col) => col.notNull())
      .addColumn('failed', 'integer', (col) => col.notNull())
      .addColumn('partial', 'integer', (col) => col.notNull())
      .addColumn('pending', 'integer', (col) => col.notNull())
      .addColumn('findings', 'integer', (col) => col.notNull())
      .addColumn('gaps_critical', 'integer', (col) => col.notNull())
      .addColumn('gaps_high', 'integer', (col) => col.notNull())
      .addColumn('gaps_medium', 'integer', (col) => col.notNull())
      .addColumn('gaps_low', 'integer', (col) => col.notNull())
      .addColumn('gaps_info', 'integer', (col) => col.notNull())
      .addColumn('result', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('runs_created_idx').on('runs').columns(['created_at', 'seq']).execute();
    await db.schema
      .createIndex('runs_workspace_created_idx')
      .on('runs')
      .columns(['workspace_name', 'created_at', 'seq'])
      .execute();

    await db.schema
      .createTable('run_findings')
      .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('position', 'integer', (col) => col.notNull())
      .addColumn('fingerprint', 'text', (col) => col.notNull())
      .addColumn('rule_id', 'text', (col) => col.notNull())
      .addColumn('severity', 'text', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('asset', 'text')
      .addColumn('path', 'text', (col) => col.notNull())
      .addColumn('line', 'integer')
      .addColumn('message', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('run_findings_pk', ['run_id', 'position'])
      .execute();
    // "Since when has this finding been open?" looks findings up by fingerprint across runs.
    await db.schema.createIndex('run_findings_fingerprint_idx').on('run_findings').column('fingerprint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('run_findings').execute();
    await db.schema.dropTable('runs').execute();
  },
};
