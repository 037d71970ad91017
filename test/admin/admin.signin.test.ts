// The guess limit on admin credentials (issue 12.3), as a deployment behind one proxy sees it (TRUSTED_PROXIES=1):
// the client is the address the proxy appended, each client has its own bucket, everyone together has a budget,
// and the bearer API counts its wrong tokens in the same buckets as the sign-in form.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUESS_BUDGET, GUESS_WINDOW_MS } from '../../src/admin/auth.js';
import { queryRows } from '../../src/db/client.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
const PROXY = '10.0.0.2';
beforeAll(async () => {
  h = await startHarness({ env: { TRUSTED_PROXIES: '1' } });
});
afterAll(() => h.close());

/** Through the proxy: the client's own X-Forwarded-For (if any), then the address the proxy saw. */
const viaProxy = (client: string, own?: string) => ({
  'x-forwarded-for': own === undefined ? client : `${own}, ${client}`,
});
const bearer = (token: string, client: string, own?: string) =>
  h.fetch('/admin/api/v1/offices', { headers: { authorization: `Bearer ${token}`, ...viaProxy(client, own) } }, PROXY);
const form = (token: string, client: string) =>
  h.fetch(
    '/admin/login',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://nithet.test',
        ...viaProxy(client),
      },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    },
    PROXY,
  );

/** Moves the clock to the start of a window no other test used. */
let windows = 0;
function freshWindow(): void {
  windows += 1;
  h.clock.now =
    Math.floor(Date.parse('2026-11-20T02:00:00Z') / GUESS_WINDOW_MS) * GUESS_WINDOW_MS + windows * 4 * GUESS_WINDOW_MS;
}

describe('the bearer API has the same guess limit', () => {
  it('5 wrong bearer tokens from one client: 429 with Retry-After, even for the right token; others unaffected', async () => {
    freshWindow();
    for (let i = 0; i < 5; i++)
      expect((await bearer(`wrong-token-${i}`, '203.0.113.1', `1.1.1.${i}`)).status).toBe(401);
    const locked = await bearer(ADMIN, '203.0.113.1');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await bearer(ADMIN, '203.0.113.2')).status).toBe(200);
    // A request without a token is not a guess: it is 401, and counts nothing.
    const none = await h.fetch('/admin/api/v1/offices', { headers: viaProxy('203.0.113.3') }, PROXY);
    expect(none.status).toBe(401);
  });

  it('the form and the API share a bucket; the failures are one audit row per client per window', async () => {
    freshWindow();
    const start = new Date(h.clock.now).toISOString();
    for (let i = 0; i < 3; i++) expect((await bearer('wrong-token', '203.0.113.7')).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await form('wrong-token', '203.0.113.7')).status).toBe(401);
    expect((await form(ADMIN, '203.0.113.7')).status).toBe(429);
    const rows = await queryRows<{ detail: { count: number } }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'admin.signin_failed' AND at = ${start}::timestamptz`,
    );
    expect(rows.map((r) => r.detail.count)).toEqual([5]);
  });
});

describe('the global budget', () => {
  it('once everyone together has used the window’s budget, a right token still signs in; wrong ones wait', async () => {
    freshWindow();
    const start = new Date(h.clock.now).toISOString();
    // Many clients' failures so far in this window (as a botnet would leave them), the whole budget.
    await h.db.db.execute(sql`
      INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
      SELECT NULL, 'anonymous', 'admin.signin_failed', 'client', 'ip:botnet-' || g, jsonb_build_object('count', 1), ${start}::timestamptz
        FROM generate_series(1, ${GUESS_BUDGET}) g`);
    // The limit is on guessing: the admins are not locked out.
    expect((await bearer(ADMIN, '203.0.113.20')).status).toBe(200);
    expect((await form(ADMIN, '203.0.113.22')).status).toBe(303);
    const wrong = await bearer('wrong-token', '203.0.113.21');
    expect(wrong.status).toBe(429);
    expect(Number(wrong.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await form('wrong-token', '203.0.113.23')).status).toBe(429);
    // The right tokens cost nothing; the wrong ones are counted.
    const counted = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT coalesce(sum((detail->>'count')::int), 0)::int AS n FROM audit_log
           WHERE action = 'admin.signin_failed' AND at = ${start}::timestamptz AND target_id NOT LIKE 'ip:botnet-%'`,
    );
    expect(counted[0]?.n).toBe(2);
    h.clock.now += GUESS_WINDOW_MS;
    expect((await bearer('wrong-token', '203.0.113.21')).status).toBe(401);
  });
});

describe('the gate is atomic', () => {
  it('12 wrong tokens at once from one client: exactly 5 are looked at, the rest refused', async () => {
    freshWindow();
    const start = new Date(h.clock.now).toISOString();
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => bearer(`wrong-${i}`, '203.0.113.40')));
    const codes = statuses.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(7);
    const rows = await queryRows<{ detail: { count: number } }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'admin.signin_failed' AND at = ${start}::timestamptz`,
    );
    expect(rows.map((r) => r.detail.count)).toEqual([5]);
  });
});

describe('IPv6 clients', () => {
  it('share one bucket per /64: five wrong tokens from a /64 lock that /64 out, not the next one', async () => {
    freshWindow();
    for (let i = 1; i <= 5; i++) expect((await bearer('wrong-token', `2001:db8:1:2::${i}`)).status).toBe(401);
    expect((await bearer(ADMIN, '2001:db8:1:2:ffff::99')).status).toBe(429);
    expect((await bearer(ADMIN, '2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('a right token costs no guess', () => {
  it('four wrong then a right one from a client: it may still try once more, and no row is left for a clean client', async () => {
    freshWindow();
    const start = new Date(h.clock.now).toISOString();
    for (let i = 0; i < 4; i++) expect((await bearer('wrong-token', '203.0.113.50')).status).toBe(401);
    expect((await bearer(ADMIN, '203.0.113.50')).status).toBe(200);
    expect((await bearer(ADMIN, '203.0.113.50')).status).toBe(200);
    expect((await bearer('wrong-token', '203.0.113.50')).status).toBe(401);
    expect((await bearer(ADMIN, '203.0.113.51')).status).toBe(200);
    const rows = await queryRows<{ detail: { count: number } }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'admin.signin_failed' AND at = ${start}::timestamptz`,
    );
    expect(rows.map((r) => r.detail.count)).toEqual([5]);
  });
});
