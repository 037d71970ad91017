// Smaller holes of issue 12.8: the env channel links only its own office's invite codes (DEFAULT_OFFICE, or the
// only office), the cache of channel ids (unknown ones included) has a size cap, and the /dev simulator's POSTs
// check Origin and Host.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInvites } from '../../src/onboarding/invites.js';
import { CHANNEL_CACHE_MAX } from '../../src/line/channels.js';
import { createApp } from '../../src/app.js';
import { createDevClock, createDevKit } from '../../src/dev/wiring.js';
import { seedDemo } from '../../src/demo/seed.js';
import { adminApi } from '../admin/api.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // DEFAULT_OFFICE=DEMO1
  await seedDemo(h.db.db, h.clock.now);
  const api = adminApi(h);
  await api('POST', '/offices', { code: 'ENVB', nameTh: 'สพป.อีกเขต ทดสอบ' });
  await api('POST', '/offices/ENVB/schools', { schools: [{ code: '7070707070', nameTh: 'โรงเรียนอีกเขต' }] });
  await api('POST', '/offices/ENVB/people', {
    people: [{ displayName: 'ครูอีกเขต ทดสอบ', role: 'teacher', schoolCode: '7070707070' }],
    issueInvites: false,
  });
});
afterAll(() => h.close());

describe('the env channel belongs to DEFAULT_OFFICE', () => {
  it("another office's invite code does not link there", async () => {
    const office = await one<{ id: string; person: string }>(
      h.db.db,
      sql`SELECT o.id, p.id AS person FROM offices o JOIN people p ON p.office_id = o.id WHERE o.code = 'ENVB'`,
    );
    const [invite] = await issueInvites(h.db.db, office.id, [office.person], h.clock.now);
    const user = userId('env-other');
    await h.post(ev.follow({ user }));
    const [reply] = await h.post(ev.text(invite?.code ?? '', { user }));
    expect(replyTexts(reply).join('\n')).toContain('สำนักงานอื่น');
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user}`)).toBe(0);
  });
});

describe('the channel cache', () => {
  it(`keeps at most ${CHANNEL_CACHE_MAX} ids, however many unknown ones are tried`, async () => {
    for (let i = 0; i < CHANNEL_CACHE_MAX + 200; i++) {
      const res = await h.webhook(body(), { path: `/webhook/made-up-${i}` });
      expect(res.status).toBe(404);
    }
    expect(h.deps.channels.cacheSize()).toBe(CHANNEL_CACHE_MAX);
  });
});

describe('/dev POSTs', () => {
  it('are refused from another origin or for a host that is not this machine; the simulator’s own pass', async () => {
    const config = { ...h.deps.config, devMode: true };
    const clock = createDevClock();
    const seed = await seedDemo(h.db.db, h.clock.now);
    const kit = createDevKit({ config, clock, seed, selfUrl: 'http://127.0.0.1:9' });
    if (kit === undefined) throw new Error('dev kit expected');
    const app = createApp(() => h.deps, { extraRoutes: kit.mount });
    const post = (url: string, headers: Record<string, string>) =>
      app.fetch(
        new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ to: 'not-a-time' }),
        }),
      );
    expect((await post('http://127.0.0.1:8787/dev/api/clock', { origin: 'https://evil.example' })).status).toBe(403);
    // A rebound DNS name: same origin to the browser, but not this machine's name.
    expect((await post('http://evil.example:8787/dev/api/clock', { origin: 'http://evil.example:8787' })).status).toBe(
      403,
    );
    // The page itself, and the terminal client (no Origin), get through to the route (400: not a time).
    expect((await post('http://127.0.0.1:8787/dev/api/clock', { origin: 'http://127.0.0.1:8787' })).status).toBe(400);
    expect((await post('http://localhost:8787/dev/api/clock', {})).status).toBe(400);
  });
});
