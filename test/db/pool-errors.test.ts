// A pooled connection that dies while checked out (inside a transaction, between two statements) must fail the
// work that holds it, never the process. node-postgres emits 'error' on such a client and pg-pool listens only
// while the client is idle: without a listener of our own the emit throws, an uncaught exception (this is what
// the tick under backend kills showed as "Connection terminated unexpectedly").
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { openNodeDatabase, type NodeDatabase } from '../../src/db/node.js';
import { postgresUrl } from '../support/postgres.js';

const base = postgresUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a pooled connection killed while checked out', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  let opened: NodeDatabase | undefined;
  afterEach(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await opened?.close();
  });

  it('rejects the transaction and raises nothing unhandled; the pool serves the next query', async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    opened = await openNodeDatabase({ databaseUrl: base, dataDir: '', migrate: false, poolSize: 2 });
    const { db } = opened;
    const killer = new pg.Client({ connectionString: base });
    await killer.connect();
    try {
      const work = db.transaction(async (tx) => {
        const [me] = await queryRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
        await killer.query('SELECT pg_terminate_backend($1)', [me?.pid]);
        // The server's goodbye and the socket's end arrive while nothing runs on this client.
        await sleep(300);
        await queryRows(tx, sql`SELECT 1 AS one`);
      });
      await expect(work).rejects.toThrow();
    } finally {
      await killer.end();
    }
    await sleep(50);
    expect(uncaught.map(String)).toEqual([]);
    expect(await queryRows<{ one: number }>(db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('a lost client leaves the pool though its holder never releases it, so closing does not hang', async () => {
    process.on('uncaughtException', onUncaught);
    opened = await openNodeDatabase({ databaseUrl: base, dataDir: '', migrate: false, poolSize: 2 });
    // drizzle's transaction() holds a client this way when its BEGIN is what fails: it never releases it.
    const pool = (opened.db as unknown as { $client: pg.Pool }).$client;
    const held = await pool.connect();
    const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const killer = new pg.Client({ connectionString: base });
    await killer.connect();
    try {
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    } finally {
      await killer.end();
    }
    await sleep(300);
    expect(pool.totalCount).toBe(0);
    held.release(); // the holder's late release changes nothing
    const closing = opened.close();
    opened = undefined;
    await expect(Promise.race([closing.then(() => 'closed'), sleep(5_000).then(() => 'hung')])).resolves.toBe('closed');
    expect(uncaught.map(String)).toEqual([]);
  });
});
