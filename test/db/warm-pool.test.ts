// NodeDatabase.warm with the turn's hot statements (src/conversation/warm.queries.ts, wired in src/node.ts): every
// pool connection is opened and kept, holds the load and batch statements prepared, on their generic plans, and
// nothing is written; a turn afterwards runs on a warm connection without preparing again.
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOffice } from '../../src/admin/admin.queries.js';
import { queryRows } from '../../src/db/client.js';
import { loadTurn } from '../../src/conversation/conversation.queries.js';
import { warmHotStatements } from '../../src/conversation/warm.queries.js';
import { flows } from '../../src/flows/index.js';
import { upsertChannel } from '../../src/line/channels.queries.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { postgresUrl } from '../support/postgres.js';

// Warming is for node-postgres pools (PGlite has one session and no named statements): this file needs a PostgreSQL
// server, and the PGlite pass leaves it out by config (test/support/postgres.ts).
postgresUrl();

const POOL = 3;
const now = '2026-12-05T03:00:00.000Z';

interface Prepared {
  name: string;
  generic_plans: number;
  custom_plans: number;
}

describe('a warmed pool', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  /** Each connection's prepared statements, read with all connections held at once (so each is read once). */
  const perConnection = async (): Promise<Prepared[][]> => {
    const clients = await Promise.all(Array.from({ length: POOL }, () => pool.connect()));
    try {
      return await Promise.all(
        clients.map(async (c) => {
          const r = await c.query<Prepared>(
            `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements ORDER BY name`,
          );
          return r.rows;
        }),
      );
    } finally {
      for (const c of clients) c.release();
    }
  };

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: POOL });
    pool = (t.db as unknown as { $client: pg.Pool }).$client;
    await t.warm((db) => warmHotStatements(db, now));
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens every connection and keeps it', () => {
    expect(pool.totalCount).toBe(POOL);
    expect(pool.idleCount).toBe(POOL);
  });

  it('leaves the load and batch statements prepared on each connection, the loads on their generic plans', async () => {
    const each = await perConnection();
    expect(each).toHaveLength(POOL);
    for (const prepared of each) {
      const loads = prepared.filter((p) => p.name.startsWith('nithet_load_'));
      expect(loads.length).toBeGreaterThanOrEqual(1);
      for (const load of loads) expect(load.generic_plans).toBeGreaterThan(0);
      expect(prepared.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^nithet_batch_load_/),
          expect.stringMatching(/^nithet_batch_write_/),
        ]),
      );
    }
  });

  it('writes nothing', async () => {
    const [counts] = await queryRows<{ events: number; conversations: number }>(
      t.db,
      sql`SELECT (SELECT count(*) FROM processed_events)::int AS events, (SELECT count(*) FROM conversations)::int AS conversations`,
    );
    expect(counts).toEqual({ events: 0, conversations: 0 });
  });

  it('serves a first turn on a connection that has its statement already', async () => {
    const office = await upsertOffice(t.db, { code: 'WARM', nameTh: 'สำนักงานทดสอบ', nameEn: 'Warm office' });
    await upsertChannel(t.db, {
      id: 'ch-warm',
      officeId: office.id,
      name: 'warm',
      lineChannelId: null,
      secretEnc: 'x',
      tokenEnc: 'x',
    });
    const before = (await perConnection()).map((p) => p.length);
    const key = { channelId: 'ch-warm', lineUserId: 'U-warm', webhookEventId: 'ev-warm-1' };
    await loadTurn(t.db, key, { cachedDefinitions: [], now }, flows.loadFragments);
    // No connection prepared anything new: the first turn's load shape was among the warmed ones.
    expect((await perConnection()).map((p) => p.length)).toEqual(before);
  });
});
