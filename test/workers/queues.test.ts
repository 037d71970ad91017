// The units of work through Cloudflare Queues on workerd: `wrangler dev` runs Queues locally (Miniflare) with
// the queues of wrangler.toml. The cron (Miniflare's /cdn-cgi/handler/scheduled) only inserts the slot's units
// and sends their messages; the queue() consumer runs them; a unit that fails every time (a real SQL error: a
// trigger refuses office B's retention) is retried with the unit's backoff, moved by Queues to the dead-letter
// queue after max_retries, and marked dead by the dead-letter consumer for the admin. A repeated cron sends
// nothing. The database is reached through the WebSocket proxy, as Neon is.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { upsertOffice } from '../../src/admin/admin.queries.js';
import { queryRows } from '../../src/db/client.js';
import { upsertChannel } from '../../src/line/channels.queries.js';
import { backoffSeconds, MAX_ATTEMPTS } from '../../src/scheduler/units.js';
import { failedUnits } from '../../src/scheduler/units.queries.js';
import { UNIT_KINDS } from '../../src/scheduler/work.js';
import { startWranglerDev, type WranglerDev } from '../support/wrangler.js';
import { openWorkerDatabase, type WorkerDb } from '../support/worker-db.js';
import { startWsProxy, type WsProxy } from '../support/ws-proxy.js';

/**
 * The start of the current hour: an hour's first firing, so every kind of work is due. The consumer runs a unit
 * as of the later of its slot and the Worker's clock, so the slot is a real one (retention measures from it).
 */
const AT = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const SLOT = `${new Date(AT).toISOString().slice(0, 16)}Z`;
const RETRY_SECONDS = 1;

let database: WorkerDb | undefined;
let proxy: WsProxy | undefined;
let worker: WranglerDev | undefined;
let failed = false;
let officeA = '';
let officeB = '';

function started(): { database: WorkerDb; worker: WranglerDev } {
  if (database === undefined || worker === undefined) throw new Error('beforeAll failed');
  return { database, worker };
}

interface LogLine {
  msg?: string;
  unit?: string;
  attempt?: number;
  status?: string;
  enqueued?: number;
  t?: string;
}
/** The Worker's JSON log lines (wrangler prints other lines around them). */
function logLines(): LogLine[] {
  return started()
    .worker.output()
    .split('\n')
    .flatMap((line) => {
      const start = line.indexOf('{"level"');
      if (start < 0) return [];
      try {
        return [JSON.parse(line.slice(start)) as LogLine];
      } catch {
        return [];
      }
    });
}

const cron = (time: number) => fetch(`${started().worker.url}/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*&time=${time}`);

beforeAll(async () => {
  database = await openWorkerDatabase();
  const { db } = database;
  officeA = (await upsertOffice(db, { code: 'QA', nameTh: 'สำนักงานทดสอบคิว ก', nameEn: null })).id;
  officeB = (await upsertOffice(db, { code: 'QB', nameTh: 'สำนักงานทดสอบคิว ข', nameEn: null })).id;
  await upsertChannel(db, {
    id: 'ch-qb',
    officeId: officeB,
    name: 'b',
    lineChannelId: null,
    secretEnc: 'x',
    tokenEnc: 'x',
  });
  // Office B has a month-old sent row to drop, and a trigger that refuses: its retention fails on every attempt.
  await db.execute(sql`
    INSERT INTO outbox (office_id, channel_id, dedupe_key, kind, body, status, created_at)
    VALUES (${officeB}, 'ch-qb', 'queues:old', 'test', gen_random_uuid(), 'sent', ${new Date(AT - 40 * 86_400_000).toISOString()})`);
  await db.execute(
    sql.raw(`CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'outbox rows of this office are on legal hold'; END $$`),
  );
  await db.execute(
    sql.raw(`CREATE TRIGGER refuse_b BEFORE DELETE ON outbox FOR EACH ROW
             WHEN (OLD.office_id = '${officeB}') EXECUTE FUNCTION refuse_delete()`),
  );
  proxy = await startWsProxy();
  worker = await startWranglerDev({
    DATABASE_URL: database.url,
    NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v1`,
    UNIT_RETRY_SECONDS: String(RETRY_SECONDS),
  });
}, 120_000);

beforeEach(() => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  if (failed && worker !== undefined) console.log(`--- wrangler dev output ---\n${worker.output()}`);
  await worker?.stop();
  await proxy?.close();
  await database?.close();
}, 60_000);

const units = () =>
  queryRows<{ id: string; status: string; attempts: number; last_error: string | null }>(
    started().database.db,
    sql`SELECT id, status, attempts, last_error FROM work_units ORDER BY id`,
  );

describe('units of work through Cloudflare Queues on workerd', () => {
  const deadId = () => `retention:${officeB}:${SLOT}`;

  it('the cron enqueues one message per office and kind; the consumer runs them all', async () => {
    const res = await cron(AT);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const expected = 2 * UNIT_KINDS.length + 1;
    await expect
      .poll(() => logLines().filter((l) => l.msg === 'units.enqueued'), { timeout: 5_000 })
      .toMatchObject([{ enqueued: expected }]);
    await expect
      .poll(async () => (await units()).filter((u) => u.status === 'done').length, { timeout: 30_000, interval: 250 })
      .toBe(expected - 1);
    const all = await units();
    expect(all).toHaveLength(expected);
    for (const u of all.filter((x) => x.id !== deadId())) expect(u).toMatchObject({ status: 'done', attempts: 1 });
    // Every unit is one office's (or the deployment's own housekeeping).
    for (const u of all) expect(u.id).toMatch(new RegExp(`^\\w+:(${officeA}|${officeB}|deployment):${SLOT}$`));
  }, 60_000);

  it('retries the failing unit with its backoff, then dead-letters it and shows it dead to the admin', async () => {
    await expect
      .poll(async () => (await units()).find((u) => u.id === deadId())?.status, { timeout: 60_000, interval: 500 })
      .toBe('dead');
    const attempts = logLines().filter((l) => l.msg === 'unit' && l.unit === deadId());
    expect(attempts.map((l) => [l.attempt, l.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'failed'],
      [5, 'dead'],
    ]);
    // Each retry came no sooner than the unit's backoff (1 s, 2 s, 4 s, 8 s here; 30 s doubling in production).
    const times = attempts.map((l) => Date.parse(l.t ?? ''));
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(
        backoffSeconds(i, RETRY_SECONDS) * 1000 - 250,
      );
    }
    // Queues moved it to the dead-letter queue, whose consumer in the same Worker recorded it.
    await expect
      .poll(() => logLines().some((l) => l.msg === 'unit.dead_lettered' && l.unit === deadId()), { timeout: 20_000 })
      .toBe(true);
    expect(started().worker.output()).toMatch(/to dead letter queue "nithet-units-dlq" after 5 failed attempts/);
    const listed = await failedUnits(started().database.db, {
      officeId: officeB,
      since: new Date(AT).toISOString(),
    });
    expect(listed).toMatchObject([{ id: deadId(), status: 'dead', attempts: MAX_ATTEMPTS, resolved_at: null }]);
    expect(listed[0]?.last_error).toContain('P0001: outbox rows of this office are on legal hold');
  }, 90_000);

  it('sends nothing when the same cron fires again', async () => {
    const before = await units();
    const res = await cron(AT);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await expect
      .poll(
        () =>
          logLines()
            .filter((l) => l.msg === 'units.enqueued')
            .map((l) => l.enqueued),
        { timeout: 5_000 },
      )
      .toEqual([2 * UNIT_KINDS.length + 1, 0]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await units()).toEqual(before);
  }, 30_000);
});
