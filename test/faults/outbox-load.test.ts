// The outbox sender under fire: 10,000 rows through 500s, hangs and 429 bursts, each delivered exactly once. Part of
// `npm run test:faults` rather than `npm test`: it takes a minute of a loaded machine and measures a rate.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sendOutbox } from '../../src/outbox/sender.js';
import { count } from '../support/sql.js';
import {
  T0,
  MIN,
  db,
  deps,
  enqueueFivePerPerson,
  expectEachRowDeliveredOnce,
  line,
  logs,
  office,
  people,
  pushesOf,
  sendRequests,
  useSenderFixture,
} from '../outbox/sender-fixture.js';

useSenderFixture();

describe('under fire', () => {
  it('delivers 10,000 rows exactly once through 500s, hangs and 429 bursts', { timeout: 120_000 }, async () => {
    const o = await office('F1');
    await people(o, 2_000);
    await enqueueFivePerPerson(o.officeId);
    expect(await count(db.db, sql`outbox`)).toBe(10_000);

    line.failRate('/v2/bot/message/push', 0.3, 7);
    line.failRate('/v2/bot/message/multicast', 0.3, 11);
    const sleeps: number[] = [];
    // Pacing waits for real (hung requests time out meanwhile), but the run's elapsed time is only what pacing
    // waited: a loaded machine cannot end a run's send window and leave rows for later.
    let elapsed = 0;
    const clock = () => elapsed;
    const sleep = (ms: number) => {
      sleeps.push(ms);
      elapsed += ms;
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    const d = deps({ quota: () => Promise.resolve({ limit: 20_000, used: 0 }), timeoutMs: 250 });

    let at = T0;
    const reports = [];
    const started = performance.now();
    for (let round = 0; round < 40; round++) {
      if (round === 0) line.hangNext('/v2/bot/message/multicast', 2);
      if (round === 0 || round === 2) line.hangNext('/v2/bot/message/push', 10);
      if (round === 1 || round === 3) line.failNext('/v2/bot/message/push', 429, 5);
      reports.push(await sendOutbox(d, at, { concurrency: 32, sleep, clock }));
      if ((await count(db.db, sql`outbox WHERE status = 'pending'`)) === 0) break;
      at += 15 * MIN;
    }
    const seconds = (performance.now() - started) / 1000;
    for (const l of logs) if (l.includes('outbox.run')) console.log(l);
    const requests = sendRequests();
    console.log(
      `outbox 10,000 rows: ${reports.length} runs, ${seconds.toFixed(1)} s, ${Math.round(10_000 / seconds)} rows/s; ` +
        `${requests.length} requests (${requests.filter((r) => r.status === 500).length} 500s, ` +
        `${requests.filter((r) => r.status === 429).length} 429s, ${requests.filter((r) => r.injected === 'hang').length} hangs, ` +
        `${requests.filter((r) => r.status === 409).length} 409s), ${line.pushes().length} delivered, ` +
        `pacing asked for ${sleeps.length} waits`,
    );

    const rows = await expectEachRowDeliveredOnce(10_000);
    expect(await pushesOf(o.officeId)).toBe(10_000);
    expect(requests.filter((r) => r.status === 500).length).toBeGreaterThan(1_000);
    const hangs = requests.filter((r) => r.injected === 'hang').length;
    expect(requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(5);
    expect(hangs).toBeGreaterThanOrEqual(12);
    // A hung request was delivered; its retry is answered 409 and counted as sent, not sent again.
    expect(reports.reduce((n, r) => n + r.alreadySent, 0)).toBeGreaterThanOrEqual(hangs);
    const batched = rows.filter((r) => r.batch_id !== null);
    expect(batched).toHaveLength(6_000);
    // 3 shared bodies × 2,000 people in batches of 500: 12, plus at most one split per claim of 2,000 rows where a
    // claim's end cuts a body's rows (claims take rows in body order; a body's rows are contiguous within one).
    const batches = new Set(batched.map((r) => r.batch_id)).size;
    expect(batches).toBeGreaterThanOrEqual(12);
    expect(batches).toBeLessThanOrEqual(12 + Math.ceil(10_000 / 2_000));
  });
});
