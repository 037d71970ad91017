// The database failing under a steady webhook load, on a PostgreSQL cluster of this file's own (never the
// shared server): stopped for 10 s mid-load, then its backends killed every 2 s. Whatever LINE was told, every
// event ends processed exactly once, with all of its effects or none, and nothing rejects unhandled. Then the
// tick pushes the outbox while backends die every 250 ms and LINE fails, hangs and rate-limits.
import { insertOutbox } from '../support/outbox.js';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { createLineApi } from '../../src/line/client.js';
import { tick } from '../../src/scheduler/tick.js';
import type { Harness } from '../support/harness.js';
import { body, ev } from '../support/events.js';
import { count } from '../support/sql.js';
import {
  deliver,
  effectsOf,
  emptyStats,
  newTeachers,
  referenceScript,
  runUsers,
  scriptedUsers,
  shuffledUsers,
  surveyCampaign,
  type LoadStats,
  type LoadUser,
  type Script,
} from './load.js';
import { harnessOn, startOwnPostgres, type OwnPostgres } from './own-postgres.js';
import { createTurnBatcher, type TurnBatcher } from '../../src/conversation/batch.js';

let own: OwnPostgres;
let h: Harness;
let demo: DemoSeed;
let script: Script;
let campaignId: string;
/** Turns run as src/node.ts runs them: concurrent checklist answers batched (src/conversation/batch.ts). */
let batcher: TurnBatcher;
let beforeBatchWrite: (() => Promise<void>) | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  own = await startOwnPostgres();
  h = await harnessOn(own, { poolSize: 10 });
  demo = await seedDemo(h.db.db, h.clock.now);
  campaignId = await surveyCampaign(h, demo.office.id);
  script = await referenceScript(h, demo.office.id);
  batcher = createTurnBatcher(h.db.db, { beforeWrite: () => beforeBatchWrite?.() ?? Promise.resolve() });
  h.deps.runTurn = batcher.run;
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
}, 120_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  try {
    await h?.close();
  } finally {
    own?.destroy();
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Pending outbox rows; the test's own query may lose its connection to the killer too, so it asks again. */
async function pendingRows(): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return await count(h.db.db, sql`outbox WHERE status = 'pending'`);
    } catch (err) {
      if (i >= 5) throw err;
    }
  }
}

/** Every event of every user processed once, and a scripted user's survey exactly as the reference left it. */
async function expectExactlyOnce(scripted: LoadUser[], shuffled: LoadUser[]) {
  for (const u of scripted) {
    const got = await effectsOf(h, u, campaignId);
    expect({ user: u.user.slice(-6), ...got }).toEqual({
      user: u.user.slice(-6),
      processed: u.events.length,
      version: u.events.length,
      responses: [{ status: script.expect.responseStatus, answers: script.expect.answers }],
    });
  }
  for (const u of shuffled) {
    const got = await effectsOf(h, u, null);
    expect({ user: u.user.slice(-6), processed: got.processed, version: got.version }).toEqual({
      user: u.user.slice(-6),
      processed: u.events.length,
      version: u.events.length,
    });
  }
}

/** Sends the shuffled users' events, two per body, newest first. */
async function runShuffled(users: LoadUser[], stats: LoadStats, inflight: Promise<unknown>[]) {
  await Promise.all(
    users.map(async (u) => {
      for (let i = 0; i < u.events.length; i += 2) {
        await deliver(h, u.events.slice(i, i + 2), stats, { timeoutMs: 8000, retryMs: 300, inflight });
        await sleep(150);
      }
    }),
  );
}

function report(name: string, stats: LoadStats, extra: Record<string, unknown>) {
  console.log(
    `[faults] ${name}: ${JSON.stringify({
      deliveries: stats.deliveries,
      acked: stats.acked,
      failures: stats.failures,
      redeliveredEvents: stats.redelivered.size,
      perUserExpected: script.expect,
      duplicatesSent: stats.duplicates,
      ...extra,
    })}`,
  );
}

describe('PostgreSQL under a webhook load', () => {
  it('stopped for 10 s mid-load: acknowledged events are committed once, refused ones land once on redelivery', async () => {
    expect(script.expect.answers).toBeGreaterThan(5);
    expect(script.expect.responseStatus).toBe('submitted');
    expect(script.expect.audit).toBe(2);
    const scripted = scriptedUsers(await newTeachers(h, demo.office.id, 'stop', 10), script);
    const shuffled = shuffledUsers('stop-shuffled', 4, 8);
    const stats = emptyStats();
    const outboxBefore = await count(h.db.db, sql`outbox_items`);
    const auditBefore = await count(h.db.db, sql`audit_log`);
    const inflight: Promise<unknown>[] = [];

    const load = Promise.all([
      runUsers(h, scripted, stats, { gapMs: 400, timeoutMs: 8000, retryMs: 300, dupRate: 0.2, seed: 7 }).then((p) =>
        inflight.push(...p),
      ),
      runShuffled(shuffled, stats, inflight),
    ]);
    await sleep(1500);
    const ackedBeforeStop = stats.acked;
    await own.stop('immediate');
    const stoppedAt = Date.now();
    await sleep(10_000);
    const startIssued = Date.now();
    // Deliveries sent while the server was down: none of them may have been acknowledged.
    const ackedWhileDown = stats.ackedSentAt.filter((t) => t >= stoppedAt && t < startIssued).length;
    await own.start();
    const accepting = Date.now();
    let healthyAt = 0;
    while (healthyAt === 0 && Date.now() - accepting < 10_000) {
      if ((await h.fetch('/health')).status === 200) healthyAt = Date.now();
      else await sleep(50);
    }
    await load;
    await Promise.all(inflight);
    await h.settle();

    const healthMs = healthyAt - accepting;
    report('postgres stopped 10 s', stats, {
      downMs: startIssued - stoppedAt,
      ackedBeforeStop,
      ackedWhileDown,
      pgStartMs: accepting - startIssued,
      healthyAfterStartMs: healthMs,
    });
    expect(stats.unexpected).toEqual([]);
    // The outage was real: some deliveries were refused, and nothing was acknowledged while it lasted
    // (a 200 without a commit would show here first).
    expect(stats.failures['503'] ?? 0).toBeGreaterThan(0);
    expect(ackedWhileDown).toBe(0);
    expect(healthyAt).toBeGreaterThan(0);
    expect(healthMs).toBeLessThan(5000);

    await expectExactlyOnce(scripted, shuffled);
    // No effect twice and none lost: reads audited (and pushes planned: none in this flow) as the reference did.
    expect((await count(h.db.db, sql`outbox_items`)) - outboxBefore).toBe(script.expect.outbox * scripted.length);
    expect((await count(h.db.db, sql`audit_log`)) - auditBefore).toBe(script.expect.audit * scripted.length);
    // No half-written turn: every answered response has its conversation and processed events.
    expect(
      await count(
        h.db.db,
        sql`answers a JOIN responses r ON r.id = a.response_id JOIN people p ON p.id = r.started_by
             LEFT JOIN conversations c ON c.line_user_id = p.line_user_id
             WHERE c.line_user_id IS NULL`,
      ),
    ).toBe(0);
    expect(h.line.invalid()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 90_000);

  it('backends killed every 2 s: no unhandled rejection, no duplicate effect, every event processed once', async () => {
    const scripted = scriptedUsers(await newTeachers(h, demo.office.id, 'kill', 12), script);
    const shuffled = shuffledUsers('kill-shuffled', 4, 8);
    const stats = emptyStats();
    const outboxBefore = await count(h.db.db, sql`outbox_items`);
    const auditBefore = await count(h.db.db, sql`audit_log`);
    const name = new URL(h.db.url ?? '').pathname.slice(1);
    const killer = new pg.Client({ connectionString: own.url });
    await killer.connect();
    let killed = 0;
    let rounds = 0;
    let stop = false;
    const kills = (async () => {
      while (!stop) {
        await sleep(2000);
        if (stop) break;
        const r = await killer.query<{ n: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
        killed += r.rows[0]?.n ?? 0;
        rounds++;
      }
    })();
    // Every third batch also loses every backend between its load and its write (Postgres dying mid-batch).
    const batchStats = { ...batcher.stats };
    let batches = 0;
    beforeBatchWrite = async () => {
      if (++batches % 3 !== 0) return;
      const r = await killer.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      killed += r.rows[0]?.n ?? 0;
    };
    const inflight: Promise<unknown>[] = [];
    try {
      await Promise.all([
        runUsers(h, scripted, stats, { gapMs: 900, timeoutMs: 8000, retryMs: 300, dupRate: 0.2, seed: 11 }).then((p) =>
          inflight.push(...p),
        ),
        runShuffled(shuffled, stats, inflight),
      ]);
    } finally {
      stop = true;
      beforeBatchWrite = undefined;
      await kills;
      await killer.end();
    }
    await Promise.all(inflight);
    await h.settle();
    const batched = {
      batches: batches,
      applied: batcher.stats.applied - batchStats.applied,
      failed: batcher.stats.failed - batchStats.failed,
    };
    report('backends killed every 2 s', stats, { killRounds: rounds, backendsKilled: killed, batched });
    // The batched path ran, and some of its batches died at the database: their events still landed once.
    expect(batched.applied).toBeGreaterThan(0);
    expect(batched.failed).toBeGreaterThan(0);

    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(killed).toBeGreaterThan(0);
    expect(stats.unexpected).toEqual([]);
    await expectExactlyOnce(scripted, shuffled);
    expect((await count(h.db.db, sql`outbox_items`)) - outboxBefore).toBe(script.expect.outbox * scripted.length);
    expect((await count(h.db.db, sql`audit_log`)) - auditBefore).toBe(script.expect.audit * scripted.length);
    expect(unhandled).toEqual([]);
  }, 90_000);

  it('the tick pushing while backends are killed and LINE fails: every outbox row reaches LINE exactly once', async () => {
    // Sixteen teachers link, then each gets eight pushes of its own text (so each goes by push, not multicast).
    const teachers = await newTeachers(h, demo.office.id, 'push', 16);
    for (const t of teachers) expect((await h.webhook(body(ev.text(t.code, { user: t.user })))).status).toBe(200);
    await h.settle();
    // Whose account it is, confirmed: linked.
    for (const t of teachers) expect((await h.webhook(body(ev.text('ใช่', { user: t.user })))).status).toBe(200);
    await h.settle();
    const clockAt = new Date(h.clock.now).toISOString();
    await insertOutbox(
      h.db.db,
      sql`SELECT p.office_id, p.channel_id, p.id AS person_id, 'fault-push:' || p.id || ':' || g AS dedupe_key,
                 'test' AS kind,
                 jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'แจ้งเตือนทดสอบ ' || p.id || ' ' || g)) AS messages,
                 ${clockAt}::timestamptz AS not_before
            FROM people p, generate_series(1, 8) g
           WHERE p.status = 'active' AND p.id IN ${teachers.map((t) => t.personId)}`,
    );
    const rows = await count(h.db.db, sql`outbox WHERE status = 'pending'`);
    expect(rows).toBe(128);
    h.line.reset();
    const PUSH = '/v2/bot/message/';
    h.line.failRate(PUSH, 0.25, 3);
    h.line.hangNext(PUSH, 6);
    h.line.failNext(PUSH, 429, 2);
    h.line.failNext(PUSH, 500, 5);
    const api = h.deps.lineApi;
    h.deps.lineApi = (channel) =>
      createLineApi({
        channelAccessToken: channel.accessToken,
        apiBaseUrl: h.deps.config.lineApiBaseUrl,
        dataApiBaseUrl: h.deps.config.lineDataApiBaseUrl,
        timeoutMs: 1000,
      });
    const name = new URL(h.db.url ?? '').pathname.slice(1);
    const killer = new pg.Client({ connectionString: own.url });
    await killer.connect();
    let stop = false;
    let killed = 0;
    const kills = (async () => {
      while (!stop) {
        await sleep(250);
        const r = await killer.query<{ n: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
        killed += r.rows[0]?.n ?? 0;
      }
    })();
    let ticks = 0;
    let tickErrors = 0;
    let at = h.clock.now;
    try {
      // The cron keeps firing through the faults: some ticks die with the database, the next picks up.
      for (; ticks < 40 && (await pendingRows()) > 0; ticks++) {
        at += 10 * 60_000;
        await tick(h.deps, at).catch(() => tickErrors++);
      }
    } finally {
      stop = true;
      await kills;
      await killer.end();
      h.line.failRate(PUSH, 0);
    }
    for (let calm = 0; calm < 20 && (await pendingRows()) > 0; calm++) {
      at += 30 * 60_000;
      await tick(h.deps, at);
    }
    h.deps.lineApi = api;
    const pushes = h.line.requests.filter((r) => r.path.startsWith(PUSH));
    const delivered = h.line.pushes();
    console.log(
      `[faults] tick pushing under faults: ${JSON.stringify({
        rows,
        ticks,
        tickErrors,
        backendsKilled: killed,
        requests: pushes.length,
        injected: pushes.filter((r) => r.injected !== undefined).length,
        answered409: pushes.filter((r) => r.duplicateRetryKey === true).length,
        delivered: delivered.length,
      })}`,
    );

    const outbox = await queryRows<{ id: string; batch_id: string | null; status: string; to: string }>(
      h.db.db,
      sql`SELECT o.id, o.batch_id, o.status, p.line_user_id AS to FROM outbox o JOIN people p ON p.id = o.person_id`,
    );
    expect(outbox.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(killed).toBeGreaterThan(0);
    // Exactly once at LINE: one accepted request per retry key, and each row's person reached once by it.
    const perKey = new Map<string, number>();
    for (const r of delivered) {
      const key = r.headers['x-line-retry-key'] ?? '';
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect([...perKey.values()].filter((n) => n !== 1)).toEqual([]);
    const reached = delivered.flatMap((r) => {
      const to = (r.body as { to: string | string[] }).to;
      return (Array.isArray(to) ? to : [to]).map((u) => `${r.headers['x-line-retry-key'] ?? ''}>${u}`);
    });
    expect(reached.sort()).toEqual(outbox.map((r) => `${r.batch_id ?? r.id}>${r.to}`).sort());
    expect(h.line.invalid()).toEqual([]);
    // A connection killed while a unit holds it (a planning transaction between statements) fails that unit only:
    // the pool releases such a client itself (releaseLostClients, src/db/client.ts), so nothing is uncaught.
    expect(unhandled).toEqual([]);
  }, 120_000);
});
