// LINE failing while the bot replies: hanging, 500 and 429 answers to the reply API. Replies go out after the
// commit, so none of it may delay the webhook's 200 or undo what was stored; a reply token is used at most
// once (never retried: LINE would refuse a used token, and a retry after a lost answer could double-send).
// Pushes through the outbox under the same faults are in sender.test.ts and in db-faults.test.ts (with the
// database failing too).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineApi } from '../../src/line/client.js';
import { body, ev, userId } from '../support/events.js';
import { validateMessagingRequest } from '../support/fake-line.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

let h: Harness;
const REPLY = '/v2/bot/message/reply';
const REPLY_TIMEOUT_MS = 2000;

beforeAll(async () => {
  h = await startHarness();
  // Compile the fake's validator now: a first compile inside the test would outlast the short timeout below.
  validateMessagingRequest('POST', REPLY, { replyToken: 'warm', messages: [{ type: 'text', text: 'warm' }] });
  // The production client with a shorter timeout, so a hung reply costs the test 2 s rather than 10.
  h.deps.lineApi = (channel) =>
    createLineApi({
      channelAccessToken: channel.accessToken,
      apiBaseUrl: h.deps.config.lineApiBaseUrl,
      dataApiBaseUrl: h.deps.config.lineDataApiBaseUrl,
      timeoutMs: REPLY_TIMEOUT_MS,
    });
});
afterAll(() => h.close());

const tokenOf = (b: unknown) =>
  typeof b === 'object' && b !== null && 'replyToken' in b && typeof b.replyToken === 'string' ? b.replyToken : '';

describe('replies while LINE hangs, fails and rate-limits', () => {
  it('answer 200 at once, keep every commit, and try each reply token exactly once', async () => {
    const users = Array.from({ length: 40 }, (_, i) => userId(`line-fault-${i}`));
    h.line.hangNext(REPLY, 10);
    h.line.failNext(REPLY, 500, 10);
    h.line.failNext(REPLY, 429, 10);
    const follows = users.map((user) => ev.follow({ user }));

    // All at once, as a burst of users would write.
    const statuses = await Promise.all(follows.map(async (f) => (await h.webhook(body(f))).status));
    await h.settle();
    expect(statuses).toEqual(Array(40).fill(200));
    // Every event committed once, whatever happened to its reply.
    const ids = follows.map((f) => f.webhookEventId);
    expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id IN ${ids}`)).toBe(40);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id IN ${users} AND version = 1`)).toBe(40);
    // Each reply token reached LINE exactly once; 10 replies hung, 20 failed, 10 went through.
    const replyRequests = h.line.requests.filter((r) => r.path === REPLY);
    const perToken = new Map<string, number>();
    for (const r of replyRequests) perToken.set(tokenOf(r.body), (perToken.get(tokenOf(r.body)) ?? 0) + 1);
    expect([...perToken.keys()].sort()).toEqual(follows.map((f) => f.replyToken).sort());
    expect([...perToken.values()].every((n) => n === 1)).toBe(true);
    expect(h.line.requests.filter((r) => r.path === REPLY && r.injected === 'hang')).toHaveLength(10);
    expect(h.line.replies().filter((r) => r.injected === undefined)).toHaveLength(10);
    const failedLogs = h.logs.filter((l) => l.includes('reply failed'));
    expect(failedLogs, failedLogs.join('\n')).toHaveLength(30);

    // The users whose notice was lost write again and are answered, once each.
    h.line.reset();
    const again = users.map((user) => ev.text('สวัสดีครับ', { user }));
    expect((await h.webhook(body(...again))).status).toBe(200);
    await h.settle();
    expect(h.line.replies()).toHaveLength(40);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id IN ${users} AND version = 2`)).toBe(40);
    expect(h.line.invalid()).toEqual([]);
  });

  it('a hanging LINE does not hold the 200: each delivery is answered long before its reply times out', async () => {
    const user = userId('line-fault-hang');
    h.line.reset();
    h.line.hangNext(REPLY, 5);
    const events = [ev.follow({ user }), ...[1, 2, 3, 4].map((i) => ev.text(`สวัสดีครับ ${i}`, { user }))];
    const latencies: number[] = [];
    for (const e of events) {
      const t0 = performance.now();
      expect((await h.webhook(body(e))).status).toBe(200);
      latencies.push(Math.round(performance.now() - t0));
    }
    // All five replies are still hanging: the webhook did not wait for any of them.
    const hanging = h.line.requests.filter((r) => r.path === REPLY && r.injected === 'hang' && r.status === 0);
    const t0 = performance.now();
    await h.settle();
    const settleMs = Math.round(performance.now() - t0);
    console.log(`[faults] replies hanging: ${JSON.stringify({ webhookMs: latencies, settleMs })}`);
    expect(hanging.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...latencies)).toBeLessThan(REPLY_TIMEOUT_MS / 2);
    expect(settleMs).toBeGreaterThan(REPLY_TIMEOUT_MS / 2);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = ${user} AND version = 5`)).toBe(1);
    const ids = events.map((e) => e.webhookEventId);
    expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id IN ${ids}`)).toBe(5);
    expect(h.line.requests.filter((r) => r.path === REPLY)).toHaveLength(5);
  });
});
