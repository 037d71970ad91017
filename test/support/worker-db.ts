// The database a `wrangler dev` test's Worker reaches through the WebSocket proxy: a fresh database on the real
// Postgres when DATABASE_URL is set; otherwise PGlite served over TCP, so these tests never skip.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Db } from '../../src/db/client.js';
import { migrationsFolder } from '../../src/db/node.js';
import * as schema from '../../src/db/schema.js';
import { createTestDatabase } from './db.js';

export interface WorkerDb {
  db: Db;
  /** What the Worker connects to (through the proxy): host and port come from here. */
  url: string;
  close(): Promise<void>;
}

export async function openWorkerDatabase(): Promise<WorkerDb> {
  if (process.env.DATABASE_URL) {
    const test = await createTestDatabase();
    if (test.url === undefined) throw new Error('createTestDatabase gave no url with DATABASE_URL set');
    return { db: test.db, url: test.url, close: () => test.close() };
  }
  const pglite = await PGlite.create();
  const db = drizzle(pglite, { schema });
  await migrate(db, { migrationsFolder });
  // Every connection shares PGlite's one session; the Worker opens a Pool per request, so allow several.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  return {
    db,
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await pglite.close();
    },
  };
}
