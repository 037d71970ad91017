// The database as the core sees it: any drizzle Postgres database (node-postgres, PGlite or Neon's Pool),
// plus one helper to run raw SQL and read its rows. Hot-path writes are hand-written SQL (CTEs) in *.queries.ts.
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Run a statement and return its rows. All three drivers answer with `{ rows }`. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    // The row shape is fixed by the SQL text next to each call; this is the one place it is asserted.
    return result.rows as T[];
  }
  throw new Error('Unexpected driver result: no rows array');
}

/** SQLSTATE of errors that mean "try again": serialization failure and deadlock. */
export function isRetryableDbError(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === '40001' || code === '40P01';
}

export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  // drizzle wraps driver errors in DrizzleQueryError with the original in `cause`.
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    if ('code' in e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}
