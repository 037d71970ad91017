// The batch statements (src/conversation/batch.queries.ts) on one pooled connection: after Postgres's five trial
// custom plans it keeps their generic plans, so a batch is not planned again each time it runs (a custom plan of the
// ~6 KB load statement costs milliseconds, more than the batch's execution). With the keys as arrays per column the
// load stayed on custom plans (12 batches of 8 keys: 12 custom, 0 generic).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBatch, writeBatch } from '../../src/conversation/batch.queries.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { postgresUrl } from '../support/postgres.js';

// The plans Postgres keeps per connection for named statements: PGlite keeps no named statements, so this file needs a
// PostgreSQL server and the PGlite pass leaves it out by config (test/support/postgres.ts).
postgresUrl();

const now = '2026-12-05T03:00:00.000Z';
const RUNS = 12;
/** Postgres plans a prepared statement's first five runs with their values (plancache.c). */
const TRIAL_CUSTOM_PLANS = 5;

describe('batch statements on one connection', () => {
  let t: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 });
    pool = (t.db as unknown as { $client: pg.Pool }).$client;
  });
  afterAll(async () => {
    await t.close();
  });

  it('keep their generic plans for batches of 8 keys with a definition cached', async () => {
    for (let run = 0; run < RUNS; run++) {
      const keys = Array.from({ length: 8 }, (_, i) => ({
        channelId: 'ch-plan',
        lineUserId: `U-plan-${i}`,
        webhookEventId: `ev-${run}-${i}`,
        now,
      }));
      // As in a running process: the one definition its turns use is cached, so the load leaves it out.
      await loadBatch(t.db, keys, ['00000000-0000-4000-8000-000000000001']);
      // Versions that match no conversation: nothing is written, the dedupe guard holds (0 = 0).
      await writeBatch(
        t.db,
        keys.map((k) => ({ ...k, version: -1, state: { v: 1, seq: 0, flow: { flow: 'home' } } })),
        [],
      );
    }
    const { rows } = await pool.query<{ name: string; generic_plans: number; custom_plans: number }>(
      `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements
        WHERE name LIKE 'nithet_batch_%' ORDER BY name`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      expect.stringMatching(/^nithet_batch_load_/),
      expect.stringMatching(/^nithet_batch_write_/),
    ]);
    for (const r of rows) {
      expect(r.custom_plans, r.name).toBe(TRIAL_CUSTOM_PLANS);
      expect(r.generic_plans, r.name).toBe(RUNS - TRIAL_CUSTOM_PLANS);
    }
  });
});
