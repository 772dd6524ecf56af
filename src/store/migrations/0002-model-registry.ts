import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely } from 'kysely';
import type { MigrationContext, StoreMigration } from './migration.js';

/** The decision tables: rows are added, never changed or removed (see appendOnly below). */
export const APPEND_ONLY_TABLES = ['model_scans', 'model_reviews', 'model_promotions', 'model_exceptions', 'model_exports'] as const;

type Builder = CreateTableBuilder<string, string>;

function withKey(db: Kysely<unknown>, table: string, dialect: MigrationContext['dialect']): Builder {
  return db.schema
    .createTable(table)
    .addColumn('seq', 'integer', (col) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
    .addColumn('workspace', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull());
}

/** Every decision row belongs to a registered version. */
function versionForeignKey(builder: Builder, table: string): Builder {
  return builder.addForeignKeyConstraint(`${table}_version_fk`, ['workspace', 'name', 'version'], 'model_versions', ['workspace', 'name', 'version']);
}

/**
 * The database refuses UPDATE and DELETE on a decision table, so a promotion, a refusal, a review
 * or an exception cannot be rewritten after the fact through Warden or a stray SQL client that
 * uses the application's role. (An administrator can drop the trigger; that is visible in the
 * schema and out of scope.)
 */
async function appendOnly(db: Kysely<unknown>, table: string, dialect: MigrationContext['dialect']): Promise<void> {
  const name = sql.raw(table);
  if (dialect === 'sqlite') {
    for (const op of ['update', 'delete'] as const) {
      await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${name}
        begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
    }
    return;
  }
  await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${name}
    for each row execute function warden_append_only()`.execute(db);
}

/** Model registry: versions, scans, reviews, promotion decisions, deployment exceptions, exports. */
export const migration0002ModelRegistry: StoreMigration = {
  name: '0002-model-registry',
  async up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
    await withKey(db, 'model_versions', dialect)
      .addColumn('asset_id', 'text')
      .addColumn('source_path', 'text', (col) => col.notNull())
      .addColumn('single_file', 'integer', (col) => col.notNull())
      .addColumn('files', 'text', (col) => col.notNull())
      .addColumn('file_count', 'integer', (col) => col.notNull())
      .addColumn('total_bytes', 'bigint', (col) => col.notNull())
      .addColumn('manifest_digest', 'text', (col) => col.notNull())
      .addColumn('signature_path', 'text')
      .addColumn('signature_sha256', 'text')
      .addColumn('signature_check', 'text', (col) => col.notNull())
      .addColumn('training_datasets', 'text', (col) => col.notNull())
      .addColumn('data_clients', 'text', (col) => col.notNull())
      .addColumn('metrics', 'text', (col) => col.notNull())
      .addColumn('owner', 'text', (col) => col.notNull())
      .addColumn('stage', 'text', (col) => col.notNull())
      .addColumn('registered_by', 'text', (col) => col.notNull())
      .addColumn('registered_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('model_versions_ref_unique', ['workspace', 'name', 'version'])
      .execute();

    await versionForeignKey(
      withKey(db, 'model_scans', dialect)
        .addColumn('trigger', 'text', (col) => col.notNull())
        .addColumn('target_path', 'text', (col) => col.notNull())
        .addColumn('scanned_at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text')
        .addColumn('error', 'text')
        .addColumn('counts', 'text', (col) => col.notNull())
        .addColumn('highest', 'text')
        .addColumn('unscannable', 'integer', (col) => col.notNull())
        .addColumn('findings', 'text', (col) => col.notNull()),
      'model_scans',
    ).execute();

    await versionForeignKey(
      withKey(db, 'model_reviews', dialect)
        .addColumn('decision', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('note', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull()),
      'model_reviews',
    ).execute();

    await versionForeignKey(
      withKey(db, 'model_promotions', dialect)
        .addColumn('from_stage', 'text', (col) => col.notNull())
        .addColumn('to_stage', 'text', (col) => col.notNull())
        .addColumn('decision', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('target_clients', 'text', (col) => col.notNull())
        .addColumn('reasons', 'text', (col) => col.notNull())
        .addColumn('checks', 'text', (col) => col.notNull())
        .addColumn('artifact_path', 'text'),
      'model_promotions',
    ).execute();

    await versionForeignKey(
      withKey(db, 'model_exceptions', dialect)
        .addColumn('client', 'text', (col) => col.notNull())
        .addColumn('data_clients', 'text', (col) => col.notNull())
        .addColumn('approved_by', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('expires_on', 'text', (col) => col.notNull())
        .addColumn('recorded_at', 'text', (col) => col.notNull()),
      'model_exceptions',
    ).execute();

    await versionForeignKey(
      withKey(db, 'model_exports', dialect)
        .addColumn('decision', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('destination', 'text', (col) => col.notNull())
        .addColumn('reasons', 'text', (col) => col.notNull()),
      'model_exports',
    ).execute();

    for (const table of APPEND_ONLY_TABLES) {
      await db.schema.createIndex(`${table}_version_idx`).on(table).columns(['workspace', 'name', 'version', 'seq']).execute();
    }
    await db.schema.createIndex('model_versions_workspace_idx').on('model_versions').columns(['workspace', 'name', 'seq']).execute();

    if (dialect === 'postgres') {
      await sql`create function warden_append_only() returns trigger language plpgsql as $$
        begin raise exception '% is append-only', TG_TABLE_NAME; end $$`.execute(db);
    }
    for (const table of APPEND_ONLY_TABLES) await appendOnly(db, table, dialect);
  },
  async down(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
    for (const table of [...APPEND_ONLY_TABLES].reverse()) await db.schema.dropTable(table).execute();
    await db.schema.dropTable('model_versions').execute();
    if (dialect === 'postgres') await sql`drop function warden_append_only()`.execute(db);
  },
};
