// Units of work on Node, against the real database: a slot's units are inserted once per office and kind (a
// repeated firing inserts nothing, the hourly kinds only at the hour's first firing); Node's runner claims them
// (SKIP LOCKED: two runners never run one unit twice); a unit that fails is retried after its backoff, dead after
// the last attempt, listed for the admin without personal data, and resolved by a later success; the queue
// consumer and producer (src/scheduler/queue.ts) ack, retry and dead-letter by the same rules. The same code runs
// on workerd in test/workers/queues.test.ts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOffice } from '../../src/admin/admin.queries.js';
import { queryRows } from '../../src/db/client.js';
import { upsertChannel } from '../../src/line/channels.queries.js';
import { createLogger } from '../../src/log.js';
import { consumeDeadUnits, consumeUnits, produceUnits, type UnitMessage } from '../../src/scheduler/queue.js';
import { tick, TickError } from '../../src/scheduler/tick.js';
import {
  backoffSeconds,
  drainUnits,
  enqueuePeriodic,
  LEASE_MS,
  MAX_ATTEMPTS,
  type UnitDeps,
} from '../../src/scheduler/units.js';
import { startRunner } from '../../src/scheduler/runner.js';
import { failedUnits } from '../../src/scheduler/units.queries.js';
import { UNIT_KINDS } from '../../src/scheduler/work.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { count } from '../support/sql.js';

let t: TestDatabase;
let officeA: string;
let officeB: string;
const lines: string[] = [];
const log = createLogger('debug', (line) => lines.push(line));
let deps: UnitDeps;

/** Office B's retention fails on every attempt: a trigger refuses to delete its outbox rows (a real SQL error). */
async function breakOfficeB(): Promise<void> {
  await t.db.execute(
    sql.raw(`
    CREATE OR REPLACE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'outbox rows of this office are on legal hold'; END $$`),
  );
  await t.db.execute(
    sql.raw(`CREATE TRIGGER refuse_b BEFORE DELETE ON outbox FOR EACH ROW
             WHEN (OLD.office_id = '${officeB}') EXECUTE FUNCTION refuse_delete()`),
  );
}
const fixOfficeB = () => t.db.execute(sql`DROP TRIGGER refuse_b ON outbox`);

/** A sent outbox row of office B from long ago: office B's retention has something to delete. */
async function oldSentRow(key: string, at: number): Promise<void> {
  await t.db.execute(sql`
    INSERT INTO outbox (office_id, channel_id, dedupe_key, kind, body, status, created_at)
    VALUES (${officeB}, 'ch-units-b', ${key}, 'test', gen_random_uuid(), 'sent', ${new Date(at - 40 * 86_400_000).toISOString()})`);
}

const units = (where = sql`true`) =>
  queryRows<{ id: string; kind: string; office_id: string | null; status: string; attempts: number }>(
    t.db,
    sql`SELECT id, kind, office_id, status, attempts FROM work_units WHERE ${where} ORDER BY id`,
  );

beforeAll(async () => {
  t = await createTestDatabase();
  officeA = (await upsertOffice(t.db, { code: 'UNITA', nameTh: 'สำนักงานทดสอบ ก', nameEn: null })).id;
  officeB = (await upsertOffice(t.db, { code: 'UNITB', nameTh: 'สำนักงานทดสอบ ข', nameEn: null })).id;
  await upsertChannel(t.db, {
    id: 'ch-units-b',
    officeId: officeB,
    name: 'b',
    lineChannelId: null,
    secretEnc: 'x',
    tokenEnc: 'x',
  });
  deps = { db: t.db, log, retryBaseSeconds: 30 };
}, 60_000);
afterAll(() => t.close());

describe('enqueueing a slot', () => {
  const at = Date.parse('2026-11-23T01:00:00Z');

  it('inserts one unit per office and kind, plus the deployment’s retention, named <kind>:<office>:<slot>', async () => {
    const fresh = await enqueuePeriodic(t.db, at, null);
    expect(fresh).toHaveLength(2 * UNIT_KINDS.length + 1);
    const ids = fresh.map((u) => u.id);
    expect(ids).toContain(`send:${officeA}:2026-11-23T01:00Z`);
    expect(ids).toContain(`digests:${officeB}:2026-11-23T01:00Z`);
    expect(ids).toContain('retention:deployment:2026-11-23T01:00Z');
    // No unit covers two offices.
    for (const u of fresh) expect([officeA, officeB, null]).toContain(u.office_id);
  });

  it('inserts nothing when the same firing repeats, and only the 5-minute kinds at the next firing', async () => {
    expect(await enqueuePeriodic(t.db, at, null)).toEqual([]);
    const next = await enqueuePeriodic(t.db, at + 5 * 60_000, null);
    expect(next.map((u) => u.kind).sort()).toEqual(['richmenu', 'richmenu', 'send', 'send']);
    // A quarter of an hour on, the 15-minute kinds join; retention and notices wait for the next hour.
    const quarter = await enqueuePeriodic(t.db, at + 15 * 60_000, null);
    expect(new Set(quarter.map((u) => u.kind))).toEqual(
      new Set(['send', 'richmenu', 'evidence', 'reminders', 'digests']),
    );
  });

  it('runs them on Node’s runner: two runners at once never run a unit twice', async () => {
    lines.length = 0;
    const now = () => at + 20 * 60_000;
    const [a, b] = await Promise.all([
      drainUnits(deps, now, { concurrency: 2 }),
      drainUnits(deps, now, { concurrency: 2 }),
    ]);
    const ran = [...(a ?? []), ...(b ?? [])].map((r) => r.unit.id);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran.length).toBe(await count(t.db, sql`work_units`));
    expect(await count(t.db, sql`work_units WHERE status <> 'done'`)).toBe(0);
    const runs = lines.filter((l) => l.includes('"msg":"unit"')).length;
    expect(runs).toBe(ran.length);
  });
});

describe('Node’s runner', () => {
  it('inserts the current slot’s units once and runs them, and stops after the units in hand', async () => {
    const at = Date.parse('2026-11-23T03:00:00Z');
    const runner = startRunner(deps, () => at, { pollMs: 20, concurrency: 2 });
    try {
      await expect
        .poll(() => count(t.db, sql`work_units WHERE at = ${new Date(at).toISOString()} AND status = 'done'`), {
          timeout: 20_000,
        })
        .toBe(2 * UNIT_KINDS.length + 1);
    } finally {
      await runner.stop();
    }
    // Polling again and again in the same slot inserted nothing more.
    expect(await count(t.db, sql`work_units WHERE at = ${new Date(at).toISOString()}`)).toBe(2 * UNIT_KINDS.length + 1);
  });
});

describe('a failing unit', () => {
  const at = Date.parse('2026-11-24T01:00:00Z');

  it('is retried after its backoff, dead after the last attempt, and shown to the admin without personal data', async () => {
    await breakOfficeB();
    await oldSentRow('units:old-b-1', at);
    const id = `retention:${officeB}:2026-11-24T01:00Z`;
    await enqueuePeriodic(t.db, at, null);
    let clock = at;
    const now = () => clock;
    await drainUnits(deps, now, { concurrency: 4 });
    expect(await units(sql`id = ${id}`)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    // Every other unit of the slot, office B's included, ran: the failure stays with its unit.
    expect(await count(t.db, sql`work_units WHERE at = ${new Date(at).toISOString()} AND status <> 'done'`)).toBe(1);

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      // Not before the backoff is over…
      clock += backoffSeconds(attempt - 1, 30) * 1000 - 1000;
      expect(await drainUnits(deps, now)).toEqual([]);
      // …and then at once.
      clock += 1000;
      const ran = await drainUnits(deps, now);
      expect(ran.map((r) => [r.unit.id, r.outcome.status])).toEqual([
        [id, attempt === MAX_ATTEMPTS ? 'dead' : 'failed'],
      ]);
    }
    clock += 86_400_000;
    expect(await drainUnits(deps, now)).toEqual([]);

    const listed = await failedUnits(t.db, { officeId: officeB, since: new Date(at).toISOString() });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id,
      kind: 'retention',
      status: 'dead',
      attempts: MAX_ATTEMPTS,
      resolved_at: null,
    });
    expect(listed[0]?.last_error).toContain('P0001: outbox rows of this office are on legal hold');
    // The driver's wrapper quotes the statement's parameters; none of that reaches the admin.
    expect(listed[0]?.last_error).not.toContain('params');
    expect(await failedUnits(t.db, { officeId: officeA, since: new Date(at).toISOString() })).toEqual([]);
  });

  it('is resolved by a later success of the same work', async () => {
    await fixOfficeB();
    const later = at + 3_600_000;
    await enqueuePeriodic(t.db, later, null);
    await drainUnits(deps, () => later, { concurrency: 4 });
    const listed = await failedUnits(t.db, { officeId: officeB, since: new Date(at).toISOString() });
    expect(listed).toHaveLength(1);
    expect(listed[0]?.resolved_at).not.toBeNull();
    expect(
      await failedUnits(t.db, { officeId: officeB, since: new Date(at).toISOString(), unresolvedOnly: true }),
    ).toEqual([]);
  });

  it('makes an in-process tick run everything else, then throw naming the unit', async () => {
    await breakOfficeB();
    const at2 = Date.parse('2026-11-25T01:00:00Z');
    await oldSentRow('units:old-b-2', at2);
    const err: unknown = await tick({ db: t.db, log }, at2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TickError);
    expect((err as TickError).failed).toEqual([`retention:${officeB}:${new Date(at2).toISOString()}`]);
    expect(await count(t.db, sql`work_units WHERE at = ${new Date(at2).toISOString()} AND status = 'done'`)).toBe(
      2 * UNIT_KINDS.length,
    );
    await fixOfficeB();
  });
});

/** Cloudflare's Message, as the consumer sees it: what it was told to do with the message. */
function message(id: string, attempts = 1): UnitMessage & { told: string[] } {
  const told: string[] = [];
  return {
    body: { id },
    attempts,
    told,
    ack: () => told.push('ack'),
    retry: (o) => told.push(`retry ${o?.delaySeconds ?? ''}`),
  };
}

describe('the queue consumer and producer', () => {
  const at = Date.parse('2026-11-26T01:00:00Z');

  it('runs a unit once however often its message comes, and waits out another run’s lease', async () => {
    const sent: string[][] = [];
    const queue = {
      sendBatch: (m: Iterable<{ body: { id: string } }>) =>
        Promise.resolve(void sent.push([...m].map((x) => x.body.id))),
    };
    const first = await produceUnits({ db: t.db, log }, queue, at, at);
    expect(first).toEqual({ enqueued: 2 * UNIT_KINDS.length + 1, stranded: 0 });
    expect(sent.flat()).toHaveLength(first.enqueued);
    // The same cron again sends nothing.
    expect(await produceUnits({ db: t.db, log }, queue, at, at)).toEqual({ enqueued: 0, stranded: 0 });

    const id = `send:${officeA}:2026-11-26T01:00Z`;
    const m1 = message(id);
    await consumeUnits(deps, [m1], () => at);
    expect(m1.told).toEqual(['ack']);
    expect(await units(sql`id = ${id}`)).toMatchObject([{ status: 'done', attempts: 1 }]);
    // A redelivered message of a done unit: acked, not run.
    const m2 = message(id, 1);
    await consumeUnits(deps, [m2], () => at);
    expect(m2.told).toEqual(['ack']);
    expect(await units(sql`id = ${id}`)).toMatchObject([{ attempts: 1 }]);

    // A unit held by a run in progress: the message comes back when that lease ends.
    const held = `richmenu:${officeA}:2026-11-26T01:00Z`;
    await t.db.execute(sql`UPDATE work_units SET status = 'running', attempts = 1,
                                  not_before = ${new Date(at + LEASE_MS).toISOString()} WHERE id = ${held}`);
    const m3 = message(held);
    await consumeUnits(deps, [m3], () => at + 60_000);
    expect(m3.told).toEqual([`retry ${(LEASE_MS - 60_000) / 1000}`]);
    // After the lease, the unit is taken over (its run died) and done.
    const m4 = message(held, 2);
    await consumeUnits(deps, [m4], () => at + LEASE_MS);
    expect(m4.told).toEqual(['ack']);
    expect(await units(sql`id = ${held}`)).toMatchObject([{ status: 'done', attempts: 2 }]);
  });

  it('retries a failing unit with its backoff; the dead-letter consumer marks it dead', async () => {
    await breakOfficeB();
    await oldSentRow('units:old-b-3', at);
    const id = `retention:${officeB}:2026-11-26T01:00Z`;
    const delays: string[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const m = message(id, attempt);
      await consumeUnits(deps, [m], () => at + attempt * 1000);
      delays.push(...m.told);
    }
    expect(delays).toEqual(['retry 30', 'retry 60', 'retry 120', 'retry 240', 'retry 480']);
    // Queues gives up after max_retries and hands the message to the dead-letter queue.
    const dead = message(id, 1);
    await consumeDeadUnits({ db: t.db, log }, [dead], () => at + 600_000);
    expect(dead.told).toEqual(['ack']);
    expect(await units(sql`id = ${id}`)).toMatchObject([{ status: 'dead', attempts: MAX_ATTEMPTS }]);
    expect(lines.some((l) => l.includes('"msg":"unit.dead_lettered"') && l.includes(id))).toBe(true);
    await fixOfficeB();
  });

  it('sends again a unit whose message was lost (queued a quarter of an hour without a run)', async () => {
    const later = at + 5 * 60_000;
    const sent: string[] = [];
    const queue = {
      sendBatch: (m: Iterable<{ body: { id: string } }>) =>
        Promise.resolve(void sent.push(...[...m].map((x) => x.body.id))),
    };
    // The cron of `later` inserted its units, then died before sending them.
    const lost = (await enqueuePeriodic(t.db, later, later)).map((u) => u.id);
    expect(lost).toHaveLength(4);
    const cron = later + 16 * 60_000;
    const waiting = (
      await units(sql`status = 'queued' AND not_before < ${new Date(cron - 15 * 60_000).toISOString()}`)
    ).map((u) => u.id);
    expect(waiting).toEqual(expect.arrayContaining(lost));
    const r = await produceUnits({ db: t.db, log }, queue, cron, cron);
    expect(r.stranded).toBe(waiting.length);
    expect(sent).toEqual(expect.arrayContaining(waiting));
    expect(sent).toHaveLength(r.enqueued + r.stranded);
    // Sent again once, not at every cron.
    expect((await produceUnits({ db: t.db, log }, queue, cron + 60_000, cron + 60_000)).stranded).toBe(0);
  });
});
