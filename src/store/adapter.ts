/**
 * What the store needs from a database implementation. Each dialect lives in its own folder
 * (sqlite/, postgres/) and implements this; everything above it (migrations, repositories) is
 * written once against Kysely.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { StoreDialect } from './types.js';

export interface StoreAdapter {
  readonly dialect: StoreDialect;
  /**
   * Most bind parameters one statement may carry (SQLite's SQLITE_MAX_VARIABLE_NUMBER,
   * PostgreSQL's 16-bit parameter count). Batch inserts size themselves from it.
   */
  readonly maxBindParameters: number;
  /** Where the data lives, safe to print: a file path, or the URL without its password. */
  readonly location: string;
  /**
   * Opens the connection and proves it works (one round trip). Throws STORE_UNAVAILABLE with the
   * cause when the database cannot be reached or opened.
   */
  connect(): Promise<Kysely<Database>>;
}
