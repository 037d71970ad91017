// queryRowsPrepared: the turn's statements are named prepared statements on node-postgres (parsed and planned
// once per connection), varying text under one name still works, a stale plan is retried, errors surface as
// before, transactions keep unnamed statements unless marked (namedInTransaction), and PGlite keeps them unnamed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOffice } from '../admin/admin.queries.js';
import { upsertChannel } from '../line/channels.queries.js';
import { loadTurn, writeTurn } from '../conversation/conversation.queries.js';
import { initialState } from '../conversation/state.js';
import type { LoadFragment } from '../conversation/types.js';
import { flows } from '../flows/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.js';
import {
  fixedStatement,
  isRetryableDbError,
  namedInTransaction,
  namedStatementsGivenUp,
  pgErrorCode,
  queryRows,
  queryRowsFixed,
  queryRowsPrepared,
  shortHash,
  statementName,
} from './client.js';

const onPostgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';

describe('shortHash', () => {
  it('is 16 hex digits, stable, and tells texts apart', () => {
    expect(shortHash('SELECT 1')).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHash('SELECT 1')).toBe(shortHash('SELECT 1'));
    expect(shortHash('SELECT 1')).not.toBe(shortHash('SELECT 2'));
    expect(shortHash('')).not.toBe(shortHash(' '));
  });
});

// Named statements exist only on node-postgres (and Neon's Pool): this block is registered in the suite's
// PostgreSQL pass (CI runs `npm test` on PostgreSQL first), and the PGlite pass checks that nothing is named there.
const onNodePostgres = onPostgres ? describe : () => undefined;
onNodePostgres('queryRowsPrepared on node-postgres', () => {
  // One connection, so pg_prepared_statements read through the pool is the connection that ran the statements.
  let t: TestDatabase;
  const prepared = async () =>
    (
      await queryRows<{ name: string; statement: string }>(
        t.db,
        sql`SELECT name, statement FROM pg_prepared_statements ORDER BY name`,
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs loadTurn and writeTurn as named statements, parsed once per connection and shape', async () => {
    const office = await upsertOffice(t.db, { code: 'PREP', nameTh: 'สำนักงานทดสอบ', nameEn: 'Prepared office' });
    await upsertChannel(t.db, {
      id: 'ch-prep',
      officeId: office.id,
      name: 'prep',
      lineChannelId: null,
      secretEnc: 'x',
      tokenEnc: 'x',
    });
    const key = { channelId: 'ch-prep', lineUserId: 'U-prep', webhookEventId: 'ev-prep-1' };
    const now = new Date('2026-11-21T03:00:00Z').toISOString();
    const opts = { inviteHash: null, focusCampaign: null, cachedDefinitions: [], now };
    const loaded = await loadTurn(t.db, key, opts, flows.loadFragments);
    expect(await writeTurn(t.db, key, loaded.version, initialState(), [], now, flows.effectSql)).toBe('applied');
    await loadTurn(t.db, { ...key, webhookEventId: 'ev-prep-2' }, opts, flows.loadFragments);
    await loadTurn(t.db, { ...key, webhookEventId: 'ev-prep-3' }, opts, flows.loadFragments);
    const loads = (await prepared()).filter((n) => n.startsWith('nithet_load_'));
    // Nothing known of the conversation yet: the shape with every fragment a state or a person may need. Then
    // this process knows it is a stranger at home: the engine's part alone, parsed once for the two loads.
    expect(loads).toHaveLength(2);
    const mayNeed = flows.loadFragments.flatMap((f) => (f.needed === undefined ? [] : [f.name]));
    expect(mayNeed.length).toBeGreaterThan(0);
    expect(loads.filter((n) => new RegExp(`^nithet_load_${mayNeed.join('_')}_[0-9a-f]{16}$`).test(n))).toHaveLength(1);
    expect(loads.filter((n) => /^nithet_load_[0-9a-f]{16}$/.test(n))).toHaveLength(1);
    const names = await prepared();
    expect(names.filter((n) => /^nithet_write_turn_[0-9a-f]{16}$/.test(n))).toHaveLength(1);
  });

  it('loads again with a fragment the stored state needs when the guess left it out', async () => {
    // A flow's fragment for states of flow 'probe': another process moves the conversation there unseen.
    const probe: LoadFragment = {
      name: 'probe',
      columns: sql`, 1 AS probe`,
      wanted: () => false,
      needed: (state) => JSON.stringify(state ?? null).includes('"probe"'),
    };
    const fragments = [probe];
    const key = { channelId: 'ch-prep', lineUserId: 'U-probe', webhookEventId: 'ev-probe-1' };
    const opts = { cachedDefinitions: [], now: new Date('2026-11-21T03:00:00Z').toISOString() };
    const runs = async () =>
      Object.fromEntries(
        (
          await queryRows<{ name: string; runs: number }>(
            t.db,
            sql`SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
                 WHERE name LIKE 'nithet_load_probe_%' OR name ~ '^nithet_load_[0-9a-f]{16}$'`,
          )
        ).map((r) => [r.name.startsWith('nithet_load_probe_') ? 'probe' : 'bare', r.runs]),
      );
    await loadTurn(t.db, key, opts, fragments); // unknown: with the fragment
    await loadTurn(t.db, { ...key, webhookEventId: 'ev-probe-2' }, opts, fragments); // known: none stored
    const before = await runs();
    await queryRows(
      t.db,
      sql`INSERT INTO conversations (channel_id, line_user_id, state, version, updated_at)
          VALUES ('ch-prep', 'U-probe', '{"v":1,"seq":1,"flow":{"flow":"probe"}}'::jsonb, 1, now())`,
    );
    const loaded = await loadTurn(t.db, { ...key, webhookEventId: 'ev-probe-3' }, opts, fragments);
    expect(loaded.rawState).toMatchObject({ flow: { flow: 'probe' } });
    const after = await runs();
    expect(after.bare).toBe((before.bare ?? 0) + 1); // the guess, without the fragment
    expect(after.probe).toBe((before.probe ?? 0) + 1); // and again with it
    await loadTurn(t.db, { ...key, webhookEventId: 'ev-probe-4' }, opts, fragments);
    expect((await runs()).probe).toBe((before.probe ?? 0) + 2); // now guessed right: one load
    expect((await runs()).bare).toBe(after.bare);
  });

  it('gives a changed text under the same name its own statement', async () => {
    const a = await queryRowsPrepared<{ n: number }>(t.db, 't_same', sql`SELECT ${1}::int AS n`);
    const b = await queryRowsPrepared<{ n: number }>(t.db, 't_same', sql`SELECT ${2}::int + 1 AS n`);
    const c = await queryRowsPrepared<{ n: number }>(t.db, 't_same', sql`SELECT ${5}::int AS n`);
    expect([a[0]?.n, b[0]?.n, c[0]?.n]).toEqual([1, 3, 5]);
    expect((await prepared()).filter((n) => n.startsWith('t_same_'))).toHaveLength(2);
  });

  it('keeps drizzle’s value handling (timestamps as strings, jsonb parsed)', async () => {
    const rows = await queryRowsPrepared<{ ts: unknown; j: unknown }>(
      t.db,
      't_types',
      sql`SELECT ${'2026-11-21T03:00:00.000Z'}::timestamptz AS ts, ${JSON.stringify({ a: 1 })}::jsonb AS j`,
    );
    const plain = await queryRows<{ ts: unknown; j: unknown }>(
      t.db,
      sql`SELECT ${'2026-11-21T03:00:00.000Z'}::timestamptz AS ts, ${JSON.stringify({ a: 1 })}::jsonb AS j`,
    );
    expect(rows).toEqual(plain);
    expect(typeof rows[0]?.ts).toBe('string');
  });

  it('retries a statement whose cached plan a migration made stale, then prepares afresh', async () => {
    await queryRows(t.db, sql`CREATE TABLE t_stale (a int)`);
    await queryRows(t.db, sql`INSERT INTO t_stale VALUES (1)`);
    const read = () => queryRowsPrepared<Record<string, unknown>>(t.db, 't_stale', sql`SELECT * FROM t_stale`);
    expect(await read()).toEqual([{ a: 1 }]);
    await queryRows(t.db, sql`ALTER TABLE t_stale ADD COLUMN b int DEFAULT 7`);
    expect(await read()).toEqual([{ a: 1, b: 7 }]);
    expect(await read()).toEqual([{ a: 1, b: 7 }]);
    // pg-pool drops a connection whose query failed; statements on the others are left behind by a new name.
    expect((await prepared()).filter((n) => n.startsWith('t_stale_'))).toEqual([
      expect.stringMatching(/^t_stale_[0-9a-f]{16}_[1-9][0-9]*$/),
    ]);
  });

  it('surfaces nithet_guard’s serialization failure and other errors unchanged', async () => {
    const guard = queryRowsPrepared(t.db, 't_guard', sql`SELECT nithet_guard(${false}, 'test') AS g`);
    const err: unknown = await guard.catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe('40001');
    expect(isRetryableDbError(err)).toBe(true);
    const missing: unknown = await queryRowsPrepared(t.db, 't_missing', sql`SELECT * FROM no_such_table`).catch(
      (e: unknown) => e,
    );
    expect(pgErrorCode(missing)).toBe('42P01');
    // The connection is still usable afterwards.
    expect(await queryRowsPrepared<{ n: number }>(t.db, 't_after', sql`SELECT 1 AS n`)).toEqual([{ n: 1 }]);
  });

  it('leaves statements inside a transaction unnamed', async () => {
    const before = await prepared();
    await t.db.transaction(async (tx) => {
      expect(await queryRowsPrepared<{ n: number }>(tx, 't_tx', sql`SELECT 1 AS n`)).toEqual([{ n: 1 }]);
    });
    expect(await prepared()).toEqual(before);
  });

  it('names the statements of a transaction marked with namedInTransaction, on its connection', async () => {
    await t.db.transaction(async (raw) => {
      const tx = namedInTransaction(raw, t.db);
      for (const n of [1, 2])
        expect(await queryRowsPrepared<{ n: number }>(tx, 't_named_tx', sql`SELECT ${n}::int AS n`)).toEqual([{ n }]);
    });
    expect((await prepared()).filter((n) => n.startsWith('t_named_tx_'))).toHaveLength(1);
  });

  it('names a fixed statement in a marked transaction too, on its connection', async () => {
    const fixed = fixedStatement('t_fixed_tx', sql`SELECT ${sql.placeholder('n')}::int AS n`);
    await t.db.transaction(async (raw) => {
      const tx = namedInTransaction(raw, t.db);
      for (const n of [1, 2]) expect(await queryRowsFixed<{ n: number }>(tx, fixed, { n })).toEqual([{ n }]);
    });
    expect((await prepared()).filter((n) => n.startsWith('t_fixed_tx_'))).toHaveLength(1);
  });

  it('fails a marked transaction whose name the server refuses, and runs the retry unnamed', async () => {
    const other = await createTestDatabase({ poolSize: 1 });
    try {
      const name = statementName('t_refused', 'SELECT $1::int AS n');
      await queryRows(other.db, sql.raw(`PREPARE ${name}(int) AS SELECT $1::int AS n`));
      const run = () =>
        other.db.transaction(async (raw) =>
          queryRowsPrepared<{ n: number }>(namedInTransaction(raw, other.db), 't_refused', sql`SELECT ${5}::int AS n`),
        );
      // The transaction is aborted by the refused name, so the statement cannot be run again inside it.
      expect(pgErrorCode(await run().catch((e: unknown) => e))).toBe('42P05');
      expect(namedStatementsGivenUp(other.db)).toBe(true);
      expect(await run()).toEqual([{ n: 5 }]);
    } finally {
      await other.close();
    }
  });

  // Last in this block: it turns named statements off for this database (pool) for good, as it would in production.
  it('gives names up when the server already holds the name (shared sessions, poolers), and still answers', async () => {
    const text = sql`SELECT ${7}::int AS n`;
    // PREPARE shares the protocol's namespace: the server now holds the name this connection never parsed.
    const name = statementName('t_shared', 'SELECT $1::int AS n'); // the text drizzle builds from `text`
    await queryRows(t.db, sql.raw(`PREPARE ${name}(int) AS SELECT $1::int AS n`));
    expect(await queryRowsPrepared<{ n: number }>(t.db, 't_shared', text)).toEqual([{ n: 7 }]);
    const before = await prepared();
    expect(await queryRowsPrepared<{ n: number }>(t.db, 't_later', sql`SELECT 1 AS n`)).toEqual([{ n: 1 }]);
    expect(await prepared()).toEqual(before);
    expect(namedStatementsGivenUp(t.db)).toBe(true);
    // Another pool of the same process keeps its names (the test workers share module state, as may an app).
    const other = await createTestDatabase({ poolSize: 1 }); // one connection: the one that prepared
    try {
      await queryRowsPrepared<{ n: number }>(other.db, 't_other', sql`SELECT 1 AS n`);
      expect(namedStatementsGivenUp(other.db)).toBe(false);
      const names = await queryRows<{ name: string }>(other.db, sql`SELECT name FROM pg_prepared_statements`);
      expect(names.map((r) => r.name)).toContainEqual(expect.stringMatching(/^t_other_/));
    } finally {
      await other.close();
    }
  });
});

describe('queryRowsPrepared on PGlite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ pglite: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs the statement unnamed, as queryRows does', async () => {
    expect(await queryRowsPrepared<{ n: number }>(t.db, 't_lite', sql`SELECT ${3}::int AS n`)).toEqual([{ n: 3 }]);
    expect(await queryRows(t.db, sql`SELECT name FROM pg_prepared_statements`)).toEqual([]);
  });
});
