// Node's database: node-postgres when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR.
// Migrations are applied on open, so `npm start` on a fresh machine needs nothing else.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { installDerivedSql } from '../checklists/pending.queries.js';
import { enableNamedStatements, type Db } from './client.js';
import * as schema from './schema.js';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface NodeDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | undefined;
  /** Folder for PGlite's files; 'memory://' keeps it in memory (tests). */
  dataDir: string;
  migrate?: boolean;
  poolSize?: number;
}

export async function openNodeDatabase(opts: OpenOptions): Promise<NodeDatabase> {
  const shouldMigrate = opts.migrate ?? true;
  if (opts.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = enableNamedStatements(drizzlePg(pool, { schema }));
    if (shouldMigrate) {
      await migratePg(db, { migrationsFolder });
      await installDerivedSql(db);
    }
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let dir = opts.dataDir;
  if (dir !== 'memory://') {
    dir = `${dir.replace(/\/$/, '')}/pglite`;
    mkdirSync(dir, { recursive: true });
  }
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client, { schema });
  if (shouldMigrate) {
    await migratePglite(db, { migrationsFolder });
    await installDerivedSql(db);
  }
  return { db, kind: 'pglite', close: () => client.close() };
}
