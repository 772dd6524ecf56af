/**
 * Which database to use. `WARDEN_DATABASE_URL` (PostgreSQL) wins; otherwise the embedded SQLite
 * file in the workspace. A database URL carries a password: it is never printed, logged or put
 * into an error — only `redactDatabaseUrl`'s output is.
 */
import { join } from 'node:path';
import { WardenError } from '../domain/index.js';
import type { StoreOptions } from './types.js';

export const DATABASE_URL_ENV = 'WARDEN_DATABASE_URL';
/** Relative to the workspace directory. */
export const DEFAULT_SQLITE_PATH = join('.warden', 'warden.db');

export function resolveStoreOptions(workspaceDir: string, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const url = env[DATABASE_URL_ENV]?.trim();
  if (url !== undefined && url !== '') return { url };
  return { sqlitePath: join(workspaceDir, DEFAULT_SQLITE_PATH) };
}

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/**
 * Validates a PostgreSQL URL. Throws STORE_CONFIG for anything else; the message never echoes
 * the URL itself (an unparseable one cannot be redacted reliably), and Node's URL error is not
 * attached as cause because it carries the raw input.
 */
export function parsePostgresUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
    throw new WardenError('STORE_CONFIG', `${DATABASE_URL_ENV} is not a valid URL (expected postgres://user:password@host:port/database)`, {
      details: { reason: code },
    });
  }
  if (!POSTGRES_PROTOCOLS.has(url.protocol)) {
    throw new WardenError(
      'STORE_CONFIG',
      `${DATABASE_URL_ENV} must be a postgres:// or postgresql:// URL, not ${url.protocol.replace(/:$/, '')}:`,
      { details: { protocol: url.protocol } },
    );
  }
  return url;
}

/** The URL with its password (if any) replaced by `***`, for messages and logs. */
export function redactDatabaseUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  // Query parameters can carry secrets too (`password=`, `sslpassword=`, `sslkey=` paths).
  for (const key of [...copy.searchParams.keys()]) {
    if (/pass|secret|key|token/i.test(key)) copy.searchParams.set(key, '***');
  }
  return copy.href;
}
