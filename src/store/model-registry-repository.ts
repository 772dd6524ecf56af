/**
 * The model registry, written once for both dialects. Every query is scoped to one workspace
 * (organisation name), like runs. Decisions are inserted and never updated (the database's
 * triggers enforce it); the only update is a version's stage, made in the same transaction as
 * the allowed promotion that justifies it, and only from the stage the gate evaluated.
 */
import type { Kysely } from 'kysely';
import { WardenError, describeError, isWardenError, modelRef } from '../domain/index.js';
import type {
  DeploymentExceptionRecord,
  ExportRecord,
  ModelRegistryEvidence,
  ModelReviewRecord,
  ModelScanRecord,
  ModelVersionHistory,
  ModelVersionRecord,
  PromotionRecord,
} from '../domain/index.js';
import type { StoreAdapter } from './adapter.js';
import {
  toExceptionRecord,
  toExceptionRow,
  toExportRecord,
  toExportRow,
  toPromotionRecord,
  toPromotionRow,
  toReviewRecord,
  toReviewRow,
  toScanRecord,
  toScanRow,
  toVersionRecord,
  toVersionRow,
} from './model-registry-rows.js';
import type { Database } from './schema.js';
import type {
  ModelListOptions,
  ModelRegistryRepository,
  ModelRegistryStore,
  NewDeploymentException,
  NewExport,
  NewModelReview,
  NewModelScan,
  NewModelVersion,
  NewPromotion,
} from './types.js';

export function createModelRegistryStore(db: Kysely<Database>, adapter: Pick<StoreAdapter, 'dialect'>): ModelRegistryStore {
  return { forWorkspace: (workspace) => createModelRegistryRepository(db, adapter.dialect, workspace) };
}

function createModelRegistryRepository(db: Kysely<Database>, dialect: string, workspace: string): ModelRegistryRepository {
  const guard = <T>(operation: string, work: () => Promise<T>): Promise<T> => guarded(operation, dialect, work);
  const notFound = (name: string, version: string): WardenError =>
    new WardenError('MODEL_NOT_FOUND', `no model version ${modelRef(name, version)} is registered in workspace ${workspace}`, {
      details: { name, version, workspace },
    });

  const findRow = (executor: Kysely<Database>, name: string, version: string) =>
    executor
      .selectFrom('model_versions')
      .selectAll()
      .where('workspace', '=', workspace)
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();

  const requireVersion = async (executor: Kysely<Database>, name: string, version: string): Promise<void> => {
    if ((await findRow(executor, name, version)) === undefined) throw notFound(name, version);
  };

  // One typed query per decision table (oldest first); `name`/`version` narrow it when given.
  const rows = {
    scans: (name?: string, version?: string) => {
      let q = db.selectFrom('model_scans').selectAll().where('workspace', '=', workspace);
      if (name !== undefined) q = q.where('name', '=', name);
      if (version !== undefined) q = q.where('version', '=', version);
      return q.orderBy('seq', 'asc').execute();
    },
    reviews: (name?: string, version?: string) => {
      let q = db.selectFrom('model_reviews').selectAll().where('workspace', '=', workspace);
      if (name !== undefined) q = q.where('name', '=', name);
      if (version !== undefined) q = q.where('version', '=', version);
      return q.orderBy('seq', 'asc').execute();
    },
    promotions: (name?: string, version?: string) => {
      let q = db.selectFrom('model_promotions').selectAll().where('workspace', '=', workspace);
      if (name !== undefined) q = q.where('name', '=', name);
      if (version !== undefined) q = q.where('version', '=', version);
      return q.orderBy('seq', 'asc').execute();
    },
    exceptions: (name?: string, version?: string) => {
      let q = db.selectFrom('model_exceptions').selectAll().where('workspace', '=', workspace);
      if (name !== undefined) q = q.where('name', '=', name);
      if (version !== undefined) q = q.where('version', '=', version);
      return q.orderBy('seq', 'asc').execute();
    },
    exports: (name?: string, version?: string) => {
      let q = db.selectFrom('model_exports').selectAll().where('workspace', '=', workspace);
      if (name !== undefined) q = q.where('name', '=', name);
      if (version !== undefined) q = q.where('version', '=', version);
      return q.orderBy('seq', 'asc').execute();
    },
  };

  const repository: ModelRegistryRepository = {
    async register(v: NewModelVersion): Promise<ModelVersionRecord> {
      const row = toVersionRow(workspace, v, v.registeredAt ?? new Date().toISOString());
      const exists = (): WardenError =>
        new WardenError('MODEL_EXISTS', `${modelRef(v.name, v.version)} is already registered; register a new version instead`, {
          details: { name: v.name, version: v.version, workspace },
        });
      try {
        await guard('register a model version', () =>
          db.transaction().execute(async (trx) => {
            if ((await findRow(trx, v.name, v.version)) !== undefined) throw exists();
            await trx.insertInto('model_versions').values(row).execute();
          }),
        );
      } catch (error) {
        // Two registrations racing past the check: the unique constraint decides, say so plainly.
        if (isWardenError(error) && error.code === 'STORE_UNAVAILABLE' && (await repository.find(v.name, v.version)) !== undefined) throw exists();
        throw error;
      }
      return repository.get(v.name, v.version);
    },

    async get(name, version) {
      const found = await repository.find(name, version);
      if (found === undefined) throw notFound(name, version);
      return found;
    },

    find: (name, version) =>
      guard('read a model version', async () => {
        const row = await findRow(db, name, version);
        return row === undefined ? undefined : toVersionRecord(row);
      }),

    list: (options: ModelListOptions = {}) =>
      guard('list model versions', async () => {
        let query = db.selectFrom('model_versions').selectAll().where('workspace', '=', workspace);
        if (options.name !== undefined) query = query.where('name', '=', options.name);
        if (options.stage !== undefined) query = query.where('stage', '=', options.stage);
        const rows = await query.orderBy('name', 'asc').orderBy('seq', 'desc').execute();
        return rows.map(toVersionRecord);
      }),

    async history(name, version): Promise<ModelVersionHistory> {
      const record = await repository.get(name, version);
      return guard('read a model version history', async () => ({
        version: record,
        scans: (await rows.scans(name, version)).map(toScanRecord),
        reviews: (await rows.reviews(name, version)).map(toReviewRecord),
        promotions: (await rows.promotions(name, version)).map(toPromotionRecord),
        exceptions: (await rows.exceptions(name, version)).map(toExceptionRecord),
        exports: (await rows.exports(name, version)).map(toExportRecord),
      }));
    },

    recordScan: (name, version, scan: NewModelScan): Promise<ModelScanRecord> =>
      guard('record a model scan', async () => {
        await requireVersion(db, name, version);
        const row = await db.insertInto('model_scans').values(toScanRow(workspace, name, version, scan)).returningAll().executeTakeFirstOrThrow();
        return toScanRecord(row);
      }),

    latestScan: (name, version) =>
      guard('read model scans', async () => {
        const row = await db
          .selectFrom('model_scans')
          .selectAll()
          .where('workspace', '=', workspace)
          .where('name', '=', name)
          .where('version', '=', version)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row === undefined ? undefined : toScanRecord(row);
      }),

    addReview: (name, version, review: NewModelReview): Promise<ModelReviewRecord> =>
      guard('record a model review', async () => {
        await requireVersion(db, name, version);
        const row = await db
          .insertInto('model_reviews')
          .values(toReviewRow(workspace, name, version, review, review.at ?? new Date().toISOString()))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toReviewRecord(row);
      }),

    reviews: (name, version) =>
      guard('read model reviews', async () => (await rows.reviews(name, version)).map(toReviewRecord)),

    recordPromotion: (name, version, promotion: NewPromotion): Promise<PromotionRecord> =>
      guard('record a promotion decision', () =>
        db.transaction().execute(async (trx) => {
          const current = await findRow(trx, name, version);
          if (current === undefined) throw notFound(name, version);
          if (promotion.decision === 'allowed') {
            if (current.stage !== promotion.fromStage) {
              throw new WardenError('USAGE', `${modelRef(name, version)} moved to ${current.stage} while it was being promoted from ${promotion.fromStage}; run the promotion again`, {
                details: { name, version, stage: current.stage },
              });
            }
            await trx
              .updateTable('model_versions')
              .set({ stage: promotion.toStage })
              .where('workspace', '=', workspace)
              .where('name', '=', name)
              .where('version', '=', version)
              .where('stage', '=', promotion.fromStage)
              .execute();
          }
          const row = await trx
            .insertInto('model_promotions')
            .values(toPromotionRow(workspace, name, version, promotion, promotion.at ?? new Date().toISOString()))
            .returningAll()
            .executeTakeFirstOrThrow();
          return toPromotionRecord(row);
        }),
      ),

    promotions: (name, version) =>
      guard('read promotion decisions', async () => (await rows.promotions(name, version)).map(toPromotionRecord)),

    addException: (name, version, exception: NewDeploymentException): Promise<DeploymentExceptionRecord> =>
      guard('record a deployment exception', async () => {
        await requireVersion(db, name, version);
        const row = await db
          .insertInto('model_exceptions')
          .values(toExceptionRow(workspace, name, version, exception, exception.recordedAt ?? new Date().toISOString()))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExceptionRecord(row);
      }),

    exceptions: (name, version) =>
      guard('read deployment exceptions', async () => (await rows.exceptions(name, version)).map(toExceptionRecord)),

    recordExport: (name, version, record: NewExport): Promise<ExportRecord> =>
      guard('record a model export', async () => {
        await requireVersion(db, name, version);
        const row = await db
          .insertInto('model_exports')
          .values(toExportRow(workspace, name, version, record, record.at ?? new Date().toISOString()))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExportRecord(row);
      }),

    evidence: () =>
      guard('read the model registry', async (): Promise<ModelRegistryEvidence> => {
        const versions = (await db.selectFrom('model_versions').selectAll().where('workspace', '=', workspace).orderBy('seq', 'asc').execute()).map(toVersionRecord);
        const group = <R extends { name: string; version: string }>(records: readonly R[]): Map<string, R[]> => {
          const out = new Map<string, R[]>();
          for (const r of records) {
            const key = modelRef(r.name, r.version);
            const list = out.get(key);
            if (list === undefined) out.set(key, [r]);
            else list.push(r);
          }
          return out;
        };
        const scans = group((await rows.scans()).map(toScanRecord));
        const reviews = group((await rows.reviews()).map(toReviewRecord));
        const promotions = group((await rows.promotions()).map(toPromotionRecord));
        const exceptions = group((await rows.exceptions()).map(toExceptionRecord));
        const exports = group((await rows.exports()).map(toExportRecord));
        return {
          versions: versions.map((version) => {
            const key = modelRef(version.name, version.version);
            // The assessment judges the latest scan; older ones are history for `model show`.
            return {
              version,
              scans: (scans.get(key) ?? []).slice(-1),
              reviews: reviews.get(key) ?? [],
              promotions: promotions.get(key) ?? [],
              exceptions: exceptions.get(key) ?? [],
              exports: exports.get(key) ?? [],
            };
          }),
        };
      }),
  };
  return repository;
}

/** Our own errors pass through; a database failure becomes STORE_UNAVAILABLE with its cause. */
async function guarded<T>(operation: string, dialect: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isWardenError(error)) throw error;
    throw new WardenError('STORE_UNAVAILABLE', `could not ${operation} (${dialect}): ${describeError(error)}`, {
      cause: error,
      details: { operation, dialect },
    });
  }
}
