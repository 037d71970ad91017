// Node's database: node-postgres when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR.
// Migrations are applied on open, so `npm start` on a fresh machine needs nothing else.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { installDerivedSql } from '../checklists/pending.queries.js';
import { enableNamedStatements, type Db } from './client.js';
import * as schema from './schema.js';
import { dbTh } from '../i18n/db.th.js';

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
  let release = () => {};
  if (dir !== 'memory://') {
    dir = `${dir.replace(/\/$/, '')}/pglite`;
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir, opts.dataDir);
  }
  try {
    const client = await PGlite.create(dir);
    const db = drizzlePglite(client, { schema });
    if (shouldMigrate) {
      await migratePglite(db, { migrationsFolder });
      await installDerivedSql(db);
    }
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Another process (pid) holds the embedded database's folder: opening it too would lose one side's writes. */
export class DatabaseLocked extends Error {
  override name = 'DatabaseLocked';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(dbTh.locked(dir, pid));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
};

/**
 * PGlite is one process's database: two processes opening the same folder each write their own copy and one loses.
 * The folder is taken with a lock file made exclusively (O_EXCL) that names the holder's pid; a lock whose process
 * is gone (a crash) is taken over. Returns the release, which removes the file if it is still ours.
 */
export function lockDataDir(dir: string, shownAs: string): () => void {
  const path = join(dir, 'nithet.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if (!(typeof err === 'object' && err !== null && 'code' in err && err.code === 'EEXIST')) throw err;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new DatabaseLocked(shownAs, holder);
    }
    // Left by a process that is gone (or unreadable): take it over.
    try {
      unlinkSync(path);
    } catch {
      // Someone else took it over first; the next attempt sees theirs.
    }
  }
  throw new DatabaseLocked(shownAs, 0);
}
