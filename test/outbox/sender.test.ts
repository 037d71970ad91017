// The outbox sender against a real database and the fake LINE server: every row is delivered at most once, a
// retry repeats its key and body exactly, and each row ends sent or dead with a reason the admin can read.
// The 10,000-row load runs with the faults (`npm run test:faults`, test/faults/outbox-load.test.ts).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { Channel } from '../../src/line/channels.js';
import type { LineApi } from '../../src/line/client.js';
import { outboxHealth } from '../../src/outbox/outbox.queries.js';
import { createQuotaReader } from '../../src/outbox/quota.js';
import { TokenBucket } from '../../src/outbox/rate-limit.js';
import { OUTBOX_TIMING, PAUSE_REASONS, sendOutbox } from '../../src/outbox/sender.js';
import type { RecordedRequest } from '../support/fake-line.js';
import { insertOutbox } from '../support/outbox.js';
import { count, one } from '../support/sql.js';
import {
  T0,
  HOUR,
  MIN,
  db,
  deps,
  enqueue,
  enqueueFivePerPerson,
  expectEachRowDeliveredOnce,
  frozen,
  keyOf,
  line,
  noSleep,
  office,
  people,
  pushesOf,
  rowOf,
  rowsOf,
  sendRequests,
  text,
  toOf,
  useSenderFixture,
} from './sender-fixture.js';

useSenderFixture();

describe('push', () => {
  it('goes out once with the row id as retry key, and stays sent on the next run', async () => {
    const o = await office('P1');
    const [p] = await people(o, 1);
    const id = await enqueue(o, p?.id ?? null, text('สวัสดีครับ'));

    const first = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(first).toEqual({ sent: 1, alreadySent: 0, retried: 0, dead: 0, skipped: 0, paused: [] });
    const second = await sendOutbox(deps(), T0 + HOUR, { sleep: noSleep });
    expect(second).toEqual({ sent: 0, alreadySent: 0, retried: 0, dead: 0, skipped: 0, paused: [] });

    const pushes = line.pushes();
    expect(pushes).toHaveLength(1);
    expect(keyOf(pushes[0] as RecordedRequest)).toBe(id);
    expect(pushes[0]?.body).toEqual({ to: p?.line_user_id, messages: text('สวัสดีครับ') });
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await pushesOf(o.officeId)).toBe(1);
    expect(line.invalid()).toEqual([]);
  });

  it('does not send rows before not_before', async () => {
    const o = await office('P2');
    const [p] = await people(o, 1);
    await enqueue(o, p?.id ?? null, text('พรุ่งนี้'), { at: T0 + HOUR });
    expect((await sendOutbox(deps(), T0, { sleep: noSleep })).sent).toBe(0);
    expect((await sendOutbox(deps(), T0 + HOUR, { sleep: noSleep })).sent).toBe(1);
  });

  it('retries a hung request with the same key and body, and counts it once', async () => {
    const o = await office('H1');
    const [p] = await people(o, 1);
    const id = await enqueue(o, p?.id ?? null, text('ส่งซ้ำไม่ได้'));
    line.hangNext('/v2/bot/message/push');

    const first = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    const after = await rowOf(id);
    expect(after).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timeout' });
    expect(after.not_before_ms).toBeGreaterThan(T0);
    expect(after.not_before_ms).toBeLessThan(T0 + 2 * MIN);
    // LINE got it even though we never heard back.
    expect(line.pushes()).toHaveLength(1);

    const second = await sendOutbox(deps(), T0 + 10 * MIN, { sleep: noSleep });
    expect(second).toMatchObject({ sent: 0, alreadySent: 1, retried: 0 });
    const requests = sendRequests();
    expect(requests).toHaveLength(2);
    expect(requests.map(keyOf)).toEqual([id, id]);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
    expect(requests[1]?.status).toBe(409);
    expect(line.pushes()).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await pushesOf(o.officeId)).toBe(1);
  });

  it('leaves a crashed run’s rows leased, then retries them with the same key', async () => {
    const o = await office('C1');
    const [p] = await people(o, 1);
    const id = await enqueue(o, p?.id ?? null, text('ระบบล่มกลางทาง'));
    // The request reaches LINE, then the run dies before writing anything back (its promise never settles).
    const crashing = deps({
      lineApi: (channel: Channel): LineApi => {
        const real = deps().lineApi(channel);
        return {
          ...real,
          push: async (to, messages, key) => {
            await real.push(to, messages, key);
            return new Promise<never>(() => {});
          },
        };
      },
    });
    void sendOutbox(crashing, T0, { sleep: noSleep });
    await line.waitFor((r) => r.delivered === true);

    // Within the lease nobody touches the row.
    expect(await sendOutbox(deps(), T0 + 5 * MIN, { sleep: noSleep })).toMatchObject({ sent: 0, alreadySent: 0 });
    expect(sendRequests()).toHaveLength(1);

    const later = await sendOutbox(deps(), T0 + OUTBOX_TIMING.leaseMs, { sleep: noSleep });
    expect(later).toMatchObject({ alreadySent: 1 });
    expect(sendRequests().map(keyOf)).toEqual([id, id]);
    expect(line.pushes()).toHaveLength(1);
    expect(await pushesOf(o.officeId)).toBe(1);
  });

  it('gives up 23 hours after the first attempt, without another request', async () => {
    const o = await office('G1');
    const [p] = await people(o, 1);
    const id = await enqueue(o, p?.id ?? null, text('ช้าเกินไป'));
    line.failNext('/v2/bot/message/push', 500);
    expect(await sendOutbox(deps(), T0, { sleep: noSleep })).toMatchObject({ retried: 1 });
    expect(await rowOf(id)).toMatchObject({ status: 'pending', last_error: 'HTTP 500' });

    const report = await sendOutbox(deps(), T0 + 23 * HOUR, { sleep: noSleep });
    expect(report).toMatchObject({ sent: 0, dead: 1 });
    expect(await rowOf(id)).toMatchObject({ status: 'dead', last_error: 'gave up after 23h', attempts: 1 });
    expect(sendRequests()).toHaveLength(1);
  });

  it('marks a row dead with LINE’s status and message on a 400', async () => {
    const o = await office('B4');
    const [p] = await people(o, 1);
    // Over LINE's 5,000-character limit: refused by LINE (and by the fake, which checks what LINE checks).
    const id = await enqueue(o, p?.id ?? null, text('ก'.repeat(5_001)));
    const report = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(report).toMatchObject({ sent: 0, dead: 1, retried: 0 });
    const row = await rowOf(id);
    expect(row.status).toBe('dead');
    expect(row.last_error).toMatch(
      /^HTTP 400: The request body has \d+ error\(s\) \(messages\[0\]\.text: must be at most 5000/,
    );
    expect(row.last_error).not.toContain(p?.line_user_id ?? 'U');
    // Not retried.
    await sendOutbox(deps(), T0 + HOUR, { sleep: noSleep });
    expect(sendRequests()).toHaveLength(1);
  });

  it('backs off on the rate-limit 429 without giving up, and stops that channel for the run', async () => {
    const o = await office('R1');
    const ps = await people(o, 3);
    for (const p of ps) await enqueue(o, p.id, text(`ถึง ${p.id}`));
    line.failNext('/v2/bot/message/push', 429);

    const first = await sendOutbox(deps(), T0, { concurrency: 1, sleep: noSleep });
    expect(first).toMatchObject({ sent: 0, retried: 1, dead: 0, skipped: 2 });
    const rows = await rowsOf(o.officeId);
    expect(rows.every((r) => r.status === 'pending' && r.not_before_ms > T0)).toBe(true);
    expect(rows.filter((r) => r.last_error === 'HTTP 429: rate limit')).toHaveLength(1);
    // The two never requested are as they were: no attempt counted, no clock started.
    expect(rows.filter((r) => r.attempts === 0 && r.first_attempt_at === null)).toHaveLength(2);
    expect(sendRequests()).toHaveLength(1);

    const second = await sendOutbox(deps(), T0 + 5 * MIN, { sleep: noSleep });
    expect(second).toMatchObject({ sent: 3 });
    expect(line.pushes()).toHaveLength(3);
  });
});

describe('recipients', () => {
  it('never pushes to blocked, erased or unlinked people; their rows die with the reason', async () => {
    const o = await office('X1');
    const other = await office('X2');
    const [active] = await people(o, 1);
    const [blocked] = await people(o, 1, 'blocked');
    const [erased] = await people(o, 1, 'erased');
    const [invited] = await people(o, 1, 'invited');
    const [elsewhere] = await people(other, 1); // linked, but on another channel than the row's
    const ids = {
      active: await enqueue(o, active?.id ?? null, text('ถึงครู')),
      blocked: await enqueue(o, blocked?.id ?? null, text('ถึงครู')),
      erased: await enqueue(o, erased?.id ?? null, text('ถึงครู')),
      invited: await enqueue(o, invited?.id ?? null, text('ถึงครู')),
      elsewhere: await enqueue(o, elsewhere?.id ?? null, text('ถึงครู')),
      nobody: await enqueue(o, null, text('ถึงครู')),
      // Same message as a blocked person's: they must not slip into a multicast either.
      batchActive: await enqueue(o, active?.id ?? null, text('ประกาศ'), { hash: 'h-x1' }),
      batchBlocked: await enqueue(o, blocked?.id ?? null, text('ประกาศ'), { hash: 'h-x1' }),
    };

    const report = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(report).toMatchObject({ sent: 2, dead: 6 });
    const reasons = Object.fromEntries(
      await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, (await rowOf(id)).last_error])),
    );
    expect(reasons).toEqual({
      active: null,
      blocked: 'blocked',
      erased: 'erased',
      invited: 'not linked',
      elsewhere: 'not linked',
      nobody: 'not linked',
      batchActive: null,
      batchBlocked: 'blocked',
    });
    const recipients = line.pushes().flatMap(toOf);
    expect(recipients).toEqual([active?.line_user_id, active?.line_user_id]);
    const health = await outboxHealth(db.db, o.officeId, T0);
    expect(health?.counts).toEqual({ pending: 0, sent: 2, dead: 6 });
    expect(health?.deadReasons).toEqual([
      { reason: 'not linked', count: 3 },
      { reason: 'blocked', count: 2 },
      { reason: 'erased', count: 1 },
    ]);
  });
});

describe('multicast', () => {
  it('sends identical messages as one multicast and retries exactly that batch', async () => {
    const o = await office('M1');
    const ps = await people(o, 3);
    const ids: string[] = [];
    for (const p of ps) ids.push(await enqueue(o, p.id, text('ประชุม ก.ต.ป.น. วันศุกร์'), { hash: 'h-m1' }));
    line.failNext('/v2/bot/message/multicast', 500);

    const first = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(first).toMatchObject({ sent: 0, retried: 3 });
    const rows = await rowsOf(o.officeId);
    const batch = rows[0]?.batch_id;
    expect(batch).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows.every((r) => r.batch_id === batch && r.not_before_ms === rows[0]?.not_before_ms)).toBe(true);

    // A newcomer with the same message must not join the batch: its key may already be at LINE.
    const [late] = await people(o, 1);
    const lateId = await enqueue(o, late?.id ?? null, text('ประชุม ก.ต.ป.น. วันศุกร์'), { hash: 'h-m1' });
    line.hangNext('/v2/bot/message/multicast');
    const second = await sendOutbox(deps(), T0 + HOUR, { sleep: noSleep });
    expect(second).toMatchObject({ sent: 1, retried: 3 }); // the newcomer alone, as a push

    const third = await sendOutbox(deps(), T0 + 2 * HOUR, { sleep: noSleep });
    expect(third).toMatchObject({ alreadySent: 3 });

    const multicasts = sendRequests().filter((r) => r.path.endsWith('/multicast'));
    expect(multicasts).toHaveLength(3);
    expect(new Set(multicasts.map(keyOf))).toEqual(new Set([batch]));
    // Members in row-id order, the same on every request.
    const members = ps
      .map((p, i) => ({ row: ids[i] ?? '', to: p.line_user_id }))
      .sort((a, b) => (a.row < b.row ? -1 : 1))
      .map((m) => m.to);
    for (const m of multicasts) expect(m.body).toEqual({ to: members, messages: text('ประชุม ก.ต.ป.น. วันศุกร์') });
    expect(multicasts.map((m) => m.status)).toEqual([500, 0, 409]);
    expect(
      line
        .pushes()
        .filter((r) => r.path.endsWith('/push'))
        .map(keyOf),
    ).toEqual([lateId]);
    expect(await pushesOf(o.officeId)).toBe(4);
    expect((await rowsOf(o.officeId)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('splits more than 500 identical messages into batches of at most 500, one person at most once each', async () => {
    const o = await office('M2');
    const ps = await people(o, 1_100);
    await insertOutbox(
      db.db,
      sql`SELECT ${o.officeId}::uuid AS office_id, ${o.channelId} AS channel_id, p.id AS person_id,
                 'm2:' || p.id || ':' || n AS dedupe_key, 'test' AS kind,
                 ${JSON.stringify(text('ข่าวสาร'))}::jsonb AS messages, ${new Date(T0).toISOString()}::timestamptz AS not_before
            FROM people p, generate_series(1, 2) AS n
           WHERE p.office_id = ${o.officeId}::uuid AND (n = 1 OR p.display_name = 'ครู 1')`,
    );
    const report = await sendOutbox(deps(), T0, { sleep: noSleep });
    expect(report).toMatchObject({ sent: 1_101 });
    const sizes = line
      .pushes()
      .map((r) => toOf(r).length)
      .sort((a, b) => b - a);
    expect(sizes).toEqual([500, 500, 100, 1]);
    for (const r of line.pushes()) expect(new Set(toOf(r)).size).toBe(toOf(r).length);
    expect(ps).toHaveLength(1_100);
  });
});

describe('quota', () => {
  it('counts and pauses on LINE’s month (Thai time), not on the office’s own zone', async () => {
    const o = await office('QT');
    await db.db.execute(sql`UPDATE offices SET time_zone = 'Asia/Tokyo' WHERE id = ${o.officeId}::uuid`);
    const [p] = await people(o, 1);
    // 23:30 on 30 November in Bangkok is already 01:30 on 1 December in Tokyo.
    const at = Date.parse('2026-11-30T16:30:00Z');
    await enqueue(o, p?.id ?? null, text('ก'), { at });
    expect(await sendOutbox(deps(), at, { sleep: noSleep })).toMatchObject({ sent: 1 });
    const months = await queryRows<{ month: string }>(
      db.db,
      sql`SELECT month FROM push_usage WHERE office_id = ${o.officeId}::uuid`,
    );
    expect(months).toEqual([{ month: '2026-11' }]);

    await enqueue(o, p?.id ?? null, text('ข'), { at });
    line.failNext('/v2/bot/message/push', 429, 1, { message: 'You have reached your monthly limit.' });
    expect(await sendOutbox(deps(), at, { sleep: noSleep })).toMatchObject({ paused: [o.officeId] });
    const paused = await one<{ until_ms: number }>(
      db.db,
      sql`SELECT (extract(epoch FROM sends_paused_until) * 1000)::float8 AS until_ms FROM offices WHERE id = ${o.officeId}::uuid`,
    );
    // LINE's new month begins 30 minutes later; Tokyo's began an hour before.
    expect(paused.until_ms).toBe(Date.parse('2026-12-01T00:00:00+07:00'));
  });

  it('pauses only the office that hit LINE’s monthly limit, audits it once, and resumes next month', async () => {
    const a = await office('QA');
    const b = await office('QB');
    const [pa1, pa2] = await people(a, 2);
    const [pb] = await people(b, 1);
    const aIds = [await enqueue(a, pa1?.id ?? null, text('ก')), await enqueue(a, pa2?.id ?? null, text('ข'))];
    const bId = await enqueue(b, pb?.id ?? null, text('ค'));
    line.failNext('/v2/bot/message/push', 429, 1, { message: 'You have reached your monthly limit.' });

    const first = await sendOutbox(deps(), T0, { concurrency: 1, sleep: noSleep });
    expect(first).toEqual({ sent: 1, alreadySent: 0, retried: 0, dead: 0, skipped: 2, paused: [a.officeId] });
    expect(await rowOf(bId)).toMatchObject({ status: 'sent' });
    for (const id of aIds)
      expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 0, first_attempt_at: null });
    const until = Date.parse('2026-12-01T00:00:00+07:00');
    const paused = await one<{ until_ms: number; reason: string }>(
      db.db,
      sql`SELECT (extract(epoch FROM sends_paused_until) * 1000)::float8 AS until_ms, sends_paused_reason AS reason
            FROM offices WHERE id = ${a.officeId}::uuid`,
    );
    expect(paused).toEqual({ until_ms: until, reason: PAUSE_REASONS.monthlyLimit });
    expect(await count(db.db, sql`offices WHERE sends_paused_until IS NOT NULL`)).toBe(1);

    // Later this month: A's rows are not touched at all, B goes on.
    const bLater = await enqueue(b, pb?.id ?? null, text('ง'), { at: T0 + HOUR });
    const second = await sendOutbox(deps(), T0 + 2 * HOUR, { sleep: noSleep });
    expect(second).toEqual({ sent: 1, alreadySent: 0, retried: 0, dead: 0, skipped: 2, paused: [a.officeId] });
    expect(await rowOf(bLater)).toMatchObject({ status: 'sent' });
    for (const id of aIds) expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(sendRequests()).toHaveLength(3);

    const audit = await queryRows<{ office_id: string; actor: string; detail: unknown }>(
      db.db,
      sql`SELECT office_id, actor, detail FROM audit_log WHERE action = 'sends.paused'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ office_id: a.officeId, actor: 'system' });
    expect(audit[0]?.detail).toMatchObject({ cause: 'monthly_limit', channelId: a.channelId, status: 429 });

    const health = await outboxHealth(db.db, a.officeId, T0 + 2 * HOUR);
    expect(health).toMatchObject({
      counts: { pending: 2, sent: 0, dead: 0 },
      month: '2026-11',
      pushesThisMonth: 0,
      pausedUntil: new Date(until).toISOString(),
      pausedReason: PAUSE_REASONS.monthlyLimit,
    });
    expect(await outboxHealth(db.db, b.officeId, T0 + 2 * HOUR)).toMatchObject({
      counts: { pending: 0, sent: 2, dead: 0 },
      pushesThisMonth: 2,
      pausedUntil: null,
    });

    // The first moment of the next month in Bangkok, the pause is over.
    const resumed = await sendOutbox(deps(), until, { sleep: noSleep });
    expect(resumed).toMatchObject({ sent: 2, paused: [] });
    expect(await outboxHealth(db.db, a.officeId, until)).toMatchObject({ month: '2026-12', pushesThisMonth: 2 });
  });

  it('checks LINE’s quota before a large run and pauses when it would run out', async () => {
    const o = await office('QL');
    await people(o, 1_001);
    await insertOutbox(
      db.db,
      sql`SELECT office_id, channel_id, id AS person_id, 'ql:' || id AS dedupe_key, 'test' AS kind,
                 jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'เตือน ' || display_name)) AS messages,
                 ${new Date(T0).toISOString()}::timestamptz AS not_before
            FROM people WHERE office_id = ${o.officeId}::uuid`,
    );
    // The fake reports a limit of 500 a month.
    const report = await sendOutbox(deps({ quota: createQuotaReader({ apiBaseUrl: line.url }) }), T0, {
      sleep: noSleep,
    });
    expect(report).toEqual({ sent: 0, alreadySent: 0, retried: 0, dead: 0, skipped: 1_001, paused: [o.officeId] });
    expect(sendRequests()).toHaveLength(0);
    expect(line.requests.map((r) => r.path).sort()).toEqual([
      '/v2/bot/message/quota',
      '/v2/bot/message/quota/consumption',
    ]);
    const health = await outboxHealth(db.db, o.officeId, T0);
    expect(health).toMatchObject({ quota: 500, pausedReason: PAUSE_REASONS.quotaShort });
    const audit = await one<{ detail: unknown }>(
      db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'sends.paused'`,
    );
    expect(audit.detail).toMatchObject({ cause: 'quota_short', limit: 500, used: 0, due: 1_001 });
  });
});

describe('pacing', () => {
  it('keeps each channel under the rate it is given', () => {
    let now = 0;
    const bucket = new TokenBucket(150, 7, () => now, noSleep);
    const waits = Array.from({ length: 307 }, () => bucket.reserve());
    expect(waits.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // 300 more at 150 a second: the last waits two seconds.
    expect(waits[306]).toBeCloseTo(2000, 5);
    now = 10_000; // idle time refills the burst, no more
    expect(Array.from({ length: 8 }, () => bucket.reserve()).filter((w) => w === 0)).toHaveLength(7);
  });
});

describe('concurrent runs', () => {
  it('split the due rows between them and never send one twice', async () => {
    const o = await office('CC');
    await people(o, 300);
    await enqueueFivePerPerson(o.officeId);
    // Four runs at once, each claiming at most 400 rows: SKIP LOCKED hands each its own. A run also stops when all
    // that is left is locked by the others, or when its send window ends (a loaded machine), so a few rows may wait
    // for the next tick: that run follows, and between them every row goes exactly once.
    // Neither the run's send window nor LINE's answer time may depend on the machine's speed: the elapsed-time
    // clock is frozen, and a request gets 30 s (32 at once to the in-process fake took over a second under load,
    // timed out, and went to a later run: the flakiness this test had).
    const d = deps({ timeoutMs: 30_000 });
    const reports = await Promise.all(
      [0, 1, 2, 3].map(() => sendOutbox(d, T0, { maxRows: 400, concurrency: 8, sleep: noSleep, clock: frozen })),
    );
    reports.push(await sendOutbox(d, T0, { maxRows: 1_500, concurrency: 8, sleep: noSleep, clock: frozen }));
    expect(reports.slice(0, 4).filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(1_500);
    expect(reports.reduce((n, r) => n + r.alreadySent + r.retried + r.dead, 0)).toBe(0);
    await expectEachRowDeliveredOnce(1_500);
    expect(sendRequests().every((r) => r.status === 200)).toBe(true);
    expect(await pushesOf(o.officeId)).toBe(1_500);
  });
});
