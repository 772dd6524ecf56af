/**
 * Assessment runs, written once for every dialect. A run is one `runs` row (summary columns for
 * listing, the result without its long lists as JSON), its long lists in compressed pages
 * (`run_parts`, see run-parts.ts), and one `run_findings` row per finding for lookups, inserted
 * in batches sized to the dialect's bind-parameter limit, all in one transaction.
 */
import type { Insertable, Kysely } from 'kysely';
import { WardenError, describeError, isWardenError } from '../domain/index.js';
import type { AssessmentResult } from '../domain/index.js';
import type { StoreAdapter } from './adapter.js';
import { parseRunRef } from './run-ref.js';
import {
  FINDING_COLUMN_COUNT,
  SUMMARY_COLUMNS,
  parseStoredResult,
  toFindingRow,
  toRunRow,
  toRunSummary,
  validateForSave,
} from './run-rows.js';
import type { Database, RunPartsTable } from './schema.js';
import { PART_ENCODING, assemble, pagesOf, skeletonOf } from './run-parts.js';
import type { RunGetOptions, RunListOptions, RunRepository, RunSummary } from './types.js';

/** Pages per INSERT statement, and compressed bytes per statement, whichever comes first. */
const PART_ROWS_PER_BATCH = 64;
const PART_BYTES_PER_BATCH = 16 << 20;

/** How many candidates an ambiguous prefix lists. */
const MAX_CANDIDATES = 10;

export function createRunRepository(db: Kysely<Database>, adapter: Pick<StoreAdapter, 'maxBindParameters' | 'dialect'>): RunRepository {
  const rowsPerBatch = Math.max(1, Math.floor(adapter.maxBindParameters / FINDING_COLUMN_COUNT));

  const newestFirst = (workspaceName: string | undefined) => {
    let query = db.selectFrom('runs').orderBy('created_at', 'desc').orderBy('seq', 'desc');
    if (workspaceName !== undefined) query = query.where('workspace_name', '=', workspaceName);
    return query;
  };

  const load = async (id: string): Promise<AssessmentResult> => {
    const row = await db.selectFrom('runs').select(['id', 'result']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new WardenError('RUN_NOT_FOUND', `no assessment run ${id}`, { details: { ref: id } });
    const skeleton = parseStoredResult(row.id, row.result);
    // Runs stored before migration 0003 have no pages and hold everything in `result`.
    const pages = await db
      .selectFrom('run_parts')
      .select(['part', 'page', 'items', 'encoding', 'body'])
      .where('run_id', '=', id)
      .orderBy('part')
      .orderBy('page')
      .execute();
    return pages.length === 0 ? skeleton : assemble(row.id, skeleton, pages);
  };

  return {
    async save(result: AssessmentResult): Promise<void> {
      const createdAt = validateForSave(result);
      // The long lists go to run_parts page by page: the whole result as one JSON string would
      // exceed what a JavaScript string may hold for a large organisation.
      const json = JSON.stringify(skeletonOf(result));
      const runRow = toRunRow(result, createdAt, json, new Date().toISOString());
      await guard('save', adapter.dialect, () =>
        db.transaction().execute(async (trx) => {
          const existing = await trx.selectFrom('runs').select('id').where('id', '=', result.id).executeTakeFirst();
          if (existing !== undefined) {
            throw new WardenError('RUN_EXISTS', `assessment run ${result.id} is already stored`, {
              details: { id: result.id },
            });
          }
          await trx.insertInto('runs').values(runRow).execute();
          let batch: Insertable<RunPartsTable>[] = [];
          let batchBytes = 0;
          for (const page of pagesOf(result)) {
            batch.push({ run_id: result.id, part: page.part, page: page.page, items: page.items, encoding: PART_ENCODING, body: page.body });
            batchBytes += page.body.byteLength;
            if (batch.length >= PART_ROWS_PER_BATCH || batchBytes >= PART_BYTES_PER_BATCH) {
              await trx.insertInto('run_parts').values(batch).execute();
              batch = [];
              batchBytes = 0;
            }
          }
          if (batch.length > 0) await trx.insertInto('run_parts').values(batch).execute();
          const findings = result.findings;
          for (let start = 0; start < findings.length; start += rowsPerBatch) {
            const end = Math.min(start + rowsPerBatch, findings.length);
            const rows = [];
            for (let i = start; i < end; i++) rows.push(toFindingRow(result.id, i, findings[i]!));
            await trx.insertInto('run_findings').values(rows).execute();
          }
        }),
      );
    },

    async list(options: RunListOptions = {}): Promise<RunSummary[]> {
      const { workspaceName, limit } = options;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
        throw new WardenError('USAGE', `the run list limit must be a positive integer, not ${String(limit)}`);
      }
      return guard('list', adapter.dialect, async () => {
        let query = newestFirst(workspaceName).select(SUMMARY_COLUMNS);
        if (limit !== undefined) query = query.limit(limit);
        return (await query.execute()).map(toRunSummary);
      });
    },

    async get(ref: string, options: RunGetOptions = {}): Promise<AssessmentResult> {
      const { workspaceName } = options;
      const scope = workspaceName === undefined ? '' : ` of workspace ${workspaceName}`;
      const parsed = parseRunRef(ref);
      if (parsed === undefined) throw new WardenError('RUN_NOT_FOUND', `no assessment run ${JSON.stringify(ref)}${scope}`, { details: { ref } });
      return guard('get', adapter.dialect, async () => {
        if (parsed.kind === 'latest') {
          const row = await newestFirst(workspaceName).select('id').offset(parsed.offset).limit(1).executeTakeFirst();
          if (row === undefined) {
            let counted = db.selectFrom('runs').select((eb) => eb.fn.countAll().as('n'));
            if (workspaceName !== undefined) counted = counted.where('workspace_name', '=', workspaceName);
            const stored = Number((await counted.executeTakeFirstOrThrow()).n);
            throw new WardenError('RUN_NOT_FOUND', `no assessment run ${ref}${scope}: ${stored} run(s) stored`, {
              details: { ref, stored },
            });
          }
          return load(row.id);
        }
        const exact = await db.selectFrom('runs').select(['id', 'workspace_name']).where('id', '=', parsed.id).executeTakeFirst();
        if (exact !== undefined && (workspaceName === undefined || exact.workspace_name === workspaceName)) return load(exact.id);
        if (!parsed.prefixAllowed) {
          throw new WardenError('RUN_NOT_FOUND', `no assessment run ${ref}${scope} (an id prefix needs at least 4 characters)`, {
            details: { ref },
          });
        }
        // substr() rather than LIKE: no wildcard escaping, and case-sensitive in both dialects.
        const candidates = await newestFirst(workspaceName)
          .select(['id', 'created_at', 'workspace_name'])
          .where((eb) => eb(eb.fn('substr', ['id', eb.lit(1), eb.lit(parsed.id.length)]), '=', parsed.id))
          .limit(MAX_CANDIDATES + 1)
          .execute();
        const [only] = candidates;
        if (only === undefined) throw new WardenError('RUN_NOT_FOUND', `no assessment run ${ref}${scope}`, { details: { ref } });
        if (candidates.length === 1) return load(only.id);
        const shown = candidates.slice(0, MAX_CANDIDATES);
        const more = candidates.length > MAX_CANDIDATES ? '\n  …and more' : '';
        throw new WardenError(
          'USAGE',
          `run prefix ${ref} is ambiguous; it matches:\n${shown.map((c) => `  ${c.id}  ${c.created_at}  ${c.workspace_name}`).join('\n')}${more}`,
          { details: { ref, candidates: shown.map((c) => c.id) } },
        );
      });
    },
  };
}

/** Our own errors pass through; a database failure becomes STORE_UNAVAILABLE with its cause. */
async function guard<T>(operation: string, dialect: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isWardenError(error)) throw error;
    throw new WardenError('STORE_UNAVAILABLE', `could not ${operation} assessment runs (${dialect}): ${describeError(error)}`, {
      cause: error,
      details: { operation, dialect },
    });
  }
}
