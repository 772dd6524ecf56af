/**
 * PostgreSQL through node-postgres' pool. The URL's password stays inside pg's connection
 * config: messages name only the redacted URL, and a driver error that happens to quote the
 * password is replaced by a redacted copy before it becomes a cause.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool, PoolConfig } from 'pg';
import { WardenError, describeError } from '../../domain/index.js';
import type { StoreAdapter } from '../adapter.js';
import { parsePostgresUrl, redactDatabaseUrl } from '../options.js';
import type { Database } from '../schema.js';

/** The wire protocol counts bind parameters in an Int16 (65535 at most). */
const POSTGRES_MAX_PARAMETERS = 65_535;
const CONNECT_TIMEOUT_MS = 10_000;
/** A CLI needs few connections; a server sizes its own pool later. */
const POOL_SIZE = 4;

export function createPostgresAdapter(rawUrl: string): StoreAdapter {
  const url = parsePostgresUrl(rawUrl);
  const location = redactDatabaseUrl(url);
  const secrets = [url.password, decodeURIComponentSafe(url.password)].filter((s) => s.length >= 3);
  const redact = (error: unknown): unknown => {
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    if (!secrets.some((s) => text.includes(s))) return error;
    let message = describeError(error);
    for (const s of secrets) message = message.split(s).join('***');
    return new Error(message);
  };

  return {
    dialect: 'postgres',
    maxBindParameters: POSTGRES_MAX_PARAMETERS,
    location,
    async connect(): Promise<Kysely<Database>> {
      const { default: pg } = await import('pg');
      const config: PoolConfig = {
        connectionString: rawUrl,
        max: POOL_SIZE,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        application_name: 'warden',
      };
      const pool: Pool = new pg.Pool(config);
      let lastIdleError: string | undefined;
      // An idle pooled connection that dies (server restart) emits 'error' on the pool; without
      // a listener Node would crash the process. The next query gets a fresh connection or fails
      // with its own error, so recording the reason here is enough.
      pool.on('error', (error) => {
        lastIdleError = describeError(redact(error));
      });
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        await db.destroy().catch((closeError: unknown) => {
          lastIdleError = describeError(closeError);
        });
        throw new WardenError(
          'STORE_UNAVAILABLE',
          `cannot connect to PostgreSQL at ${location}: ${describeError(redact(error))}`,
          { cause: redact(error), details: { dialect: 'postgres', location, ...(lastIdleError && { poolError: lastIdleError }) } },
        );
      }
      return db;
    },
  };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    // A malformed %-escape: pg uses the text as is, so that is the form to redact.
    if (error instanceof URIError) return value;
    throw error;
  }
}
