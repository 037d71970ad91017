// A database outage mid-conversation: LINE gets 5xx (so it redelivers), nothing half-written stays behind,
// and the redelivery after recovery is processed exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../src/db/node.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

const realPg = (process.env.DATABASE_URL ?? '') !== '';
const dir = realPg ? undefined : mkdtempSync(join(tmpdir(), 'nithet-outage-'));
let h: Harness;
let demo: DemoSeed;

beforeAll(async () => {
  h = await startHarness(dir === undefined ? {} : { pglite: true, pgliteDir: dir });
  demo = await seedDemo(h.db.db, h.clock.now);
});
afterAll(async () => {
  await h.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function admin(query: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/** Takes the database away for real: Postgres refuses connections and kills the pool's; PGlite is closed. */
async function outage(): Promise<() => Promise<void>> {
  if (realPg) {
    const name = new URL(h.db.url ?? '').pathname.slice(1);
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    return () => admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }
  await h.db.close();
  return async () => {
    // A restarted process opens the same data directory.
    const reopened = await openNodeDatabase({ databaseUrl: undefined, dataDir: dir ?? '' });
    h.deps.db = reopened.db;
    h.db.db = reopened.db;
    h.db.close = () => reopened.close();
  };
}

describe('database outage', () => {
  it('answers 503 while the database is down, then processes the redelivery exactly once', async () => {
    const user = userId('outage-1');
    const code = demo.personas.find((p) => p.role === 'teacher')?.inviteCode ?? '';
    const follow = ev.follow({ user });
    const linkEvent = ev.text(code, { user });

    const restore = await outage();
    const during = await h.webhook(body(follow, linkEvent));
    expect(during.status).toBe(503);
    expect((await during.json<{ error: { code: string } }>()).error.code).toBe('unavailable');
    const health = await h.fetch('/health');
    expect(health.status).toBe(503);
    await h.settle();
    expect(h.line.replies()).toHaveLength(0);

    await restore();
    expect((await h.fetch('/health')).status).toBe(200);
    // LINE redelivers the same events, marked as redeliveries; then, being LINE, once more.
    const redeliver = (e: typeof follow | typeof linkEvent) => ({ ...e, deliveryContext: { isRedelivery: true } });
    expect((await h.webhook(body(redeliver(follow), redeliver(linkEvent)))).status).toBe(200);
    expect((await h.webhook(body(redeliver(follow), redeliver(linkEvent)))).status).toBe(200);
    await h.settle();
    // Whose account it is, confirmed: linked.
    await h.webhook(body(ev.text('ใช่', { user })));
    await h.settle();

    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user} AND status = 'active'`)).toBe(1);
    expect(
      await count(
        h.db.db,
        sql`processed_events WHERE webhook_event_id IN (${follow.webhookEventId}, ${linkEvent.webhookEventId})`,
      ),
    ).toBe(2);
    const texts = h.line.replies().map((r) => replyTexts(r.body));
    expect(texts).toHaveLength(3);
    expect(texts[0]?.[0]).toMatch(/PDPA/);
    expect(texts[1]?.some((t) => t.includes('ใช่ไหม'))).toBe(true);
    expect(texts[2]?.some((t) => t.includes('ยินดีต้อนรับ คุณ'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain(user);
  });
});
