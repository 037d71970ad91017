// A database of its own for each test file: a fresh database on the real Postgres when DATABASE_URL is set,
// an in-memory PGlite otherwise. Migrations run exactly as in production.
import pg from 'pg';
import { openNodeDatabase, type NodeDatabase } from '../../src/db/node.js';

export interface TestDatabase extends NodeDatabase {
  /** Connection string of this file's database (undefined on PGlite). */
  url: string | undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(
  opts: { poolSize?: number; pglite?: boolean; pgliteDir?: string } = {},
): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (opts.pglite === true || base === undefined || base === '') {
    const db = await openNodeDatabase({ databaseUrl: undefined, dataDir: opts.pgliteDir ?? 'memory://' });
    return { ...db, url: undefined };
  }
  const name = `nithet_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(base, name);
  const db = await openNodeDatabase({ databaseUrl: url, dataDir: '', poolSize: opts.poolSize ?? 10 });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
