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
import { enableNamedStatements, releaseLostClients, type Db } from './client.js';
import * as schema from './schema.js';
import { type DataDirLock, lockDataDir } from './lock.js';

export { DatabaseLocked, lockDataDir } from './lock.js';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface NodeDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * Opens every connection the pool may hold and runs `work` on each (prepares the hot statements there), so the
   * first requests find them ready (PGlite: nothing to do). A failure only leaves a connection cold.
   */
  warm(work: (db: Db) => Promise<void>): Promise<void>;
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
    const max = opts.poolSize ?? 10;
    // Connections are kept (no idle timeout): a new one costs a backend's catalog reads and a custom plan of each
    // hot statement before its generic plan (tens of milliseconds of Postgres time), a kept one nothing.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max, idleTimeoutMillis: 0 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    releaseLostClients(pool);
    const db = enableNamedStatements(drizzlePg(pool, { schema }));
    if (shouldMigrate) {
      try {
        await migrateExclusively(opts.databaseUrl, async () => {
          await migratePg(db, { migrationsFolder });
          await installDerivedSql(db);
        });
      } catch (err) {
        await pool.end();
        throw err;
      }
    }
    return { db, kind: 'postgres', warm: (work) => warmPool(pool, max, work), close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let dir = opts.dataDir;
  let lock: DataDirLock = { verify: () => {}, release: () => {} };
  if (dir !== 'memory://') {
    dir = `${dir.replace(/\/$/, '')}/pglite`;
    mkdirSync(dir, { recursive: true });
    lock = lockDataDir(dir, opts.dataDir);
  }
  const release = () => lock.release();
  try {
    const client = await PGlite.create(dir);
    try {
      // Opening takes a while: a takeover raced by a third process shows by now, before anything is written.
      lock.verify();
    } catch (err) {
      await client.close();
      throw err;
    }
    const db = drizzlePglite(client, { schema });
    if (shouldMigrate) {
      await migratePglite(db, { migrationsFolder });
      await installDerivedSql(db);
    }
    return {
      db,
      kind: 'pglite',
      // One in-process connection with unnamed statements: nothing to keep warm, and a start stays quick.
      warm: () => Promise.resolve(),
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

/**
 * Holds `max` of the pool's connections at once (opening those it lacks) and runs `work` on each through a drizzle
 * database of that connection alone, with the pool's statement names, so each connection has the statements
 * prepared and planned that the pool's queries will use. Connections that fail to open or to warm are dropped.
 */
async function warmPool(pool: pg.Pool, max: number, work: (db: Db) => Promise<void>): Promise<void> {
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect().catch(() => undefined)));
  await Promise.all(
    clients.map(async (client) => {
      if (client === undefined) return;
      try {
        await work(enableNamedStatements(drizzlePg(client, { schema })));
        client.release();
      } catch (err) {
        client.release(err instanceof Error ? err : true);
      }
    }),
  );
}

/** The advisory lock key every migration run takes (any bigint no other code uses: "nithet-m" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x6e69746865742d6dn;

/**
 * Runs `work` (the migrations and the SQL derived from code) while holding a session advisory lock on a connection
 * of its own, so two processes starting at once (a server and a CLI run, two replicas) migrate one after the
 * other: the second waits, then finds nothing left to apply. Without it both would run the same CREATE TABLE and
 * one would fail half-way. The lock goes with the connection, so a process that dies mid-migration frees it.
 */
export async function migrateExclusively(databaseUrl: string, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // Losing the connection fails the migration's own statement; the emitted 'error' must not crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
    await work();
  } finally {
    // Ending the session releases the lock, also when unlocking would fail.
    await client.end().catch(() => {});
  }
}
