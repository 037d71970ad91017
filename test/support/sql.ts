// Small read helpers for assertions: tests look at what was committed, not at what the code meant to do.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.js';

export async function count(db: Db, from: SQL): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${from}`);
  return rows[0]?.n ?? -1;
}

export async function one<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T> {
  const rows = await queryRows<T>(db, query);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  return rows[0] as T;
}
