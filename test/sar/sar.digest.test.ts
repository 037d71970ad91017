// The SAR synthesis in the directors' weekly digest: on the first Monday after the week a SAR campaign was due,
// directors' digest push carries the SAR card as a second message (one push, sent through the outbox and
// validated by the fake LINE server); principals' digests do not; the next Monday's digest no longer carries it.
import { sql } from 'drizzle-orm';
import type { messagingApi } from '@line/bot-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flexProblems } from '../../flex-templates/limits.js';
import { parseBody, renderBody } from '../../src/outbox/bundle.js';
import { queryRows } from '../../src/db/client.js';
import { tick } from '../../src/scheduler/tick.js';
import { startHarness, type Harness } from '../support/harness.js';
import { seedSar, type SarFixture, TITLE } from './fixture.js';

let h: Harness;
let f: SarFixture;
// The fixture's SAR is due Tuesday 10 November 2026 (09:00 in Bangkok), in ISO week 2026-W46.
const MONDAY_W47 = Date.parse('2026-11-16T01:00:00Z'); // 08:00 in Bangkok
const MONDAY_W48 = Date.parse('2026-11-23T01:00:00Z');

// PGlite, migrations and the demo seed take well over a minute on two busy cores.
beforeAll(async () => {
  h = await startHarness();
  f = await seedSar(h.db.db, h.clock.now);
  await h.db.db.execute(sql`
    UPDATE people SET status = 'active', channel_id = 'default', line_user_id = 'U' || md5(id::text), linked_at = now()
     WHERE office_id = ${f.demo.office.id} AND external_id IN ('demo-director', 'demo-principal-1')`);
  // The demo's other campaigns open when it is seeded (after these Mondays); open them earlier so the principal
  // has something open and gets a digest too.
  await h.db.db.execute(sql`UPDATE campaigns SET opens_at = opens_at - interval '30 days'
                             WHERE office_id = ${f.demo.office.id} AND closed_at IS NULL`);
}, 180_000);
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
  h.line.reset();
});

interface Row extends Record<string, unknown> {
  role: string;
  messages: messagingApi.Message[];
}
/** The week's digests, as the sender renders their bodies (each rides in its person's bundle of that Monday). */
const digests = async (week: string): Promise<Row[]> =>
  (
    await queryRows<{ role: string; body: unknown }>(
      h.db.db,
      sql`SELECT p.role, b.body FROM outbox_items i JOIN people p ON p.id = i.person_id
            JOIN outbox_bodies b ON b.hash = (i.data->>'b')::uuid
           WHERE i.kind = 'digest' AND i.key = ${`digest:${week}`} ORDER BY p.role`,
    )
  ).map((r) => ({ role: r.role, messages: renderBody(parseBody(r.body)) }));

describe('SAR card in the directors’ digest', () => {
  it('the Monday after the due week: the director’s push carries the digest then the SAR card', async () => {
    h.clock.now = MONDAY_W47;
    await tick(h.deps, MONDAY_W47);
    const rows = await digests('2026-W47');
    expect(rows.map((r) => [r.role, r.messages.length])).toEqual([
      ['director', 2],
      ['principal', 1],
    ]);
    const card = rows[0]?.messages[1];
    expect(card?.type).toBe('flex');
    if (card?.type !== 'flex') return;
    expect(card.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`);
    expect(flexProblems(card)).toEqual([]);
    expect(JSON.stringify(card.contents)).toContain(`a=sar&k=below&c=${f.campaignId}&n=s1`);
    // Sent by the tick through the outbox: one push per person (the day's bundle), the director's with both.
    const pushes = h.line.pushes().map((p) => p.body as { to: string; messages: messagingApi.Message[] });
    expect(new Set(pushes.map((p) => p.to)).size).toBe(pushes.length);
    expect(pushes).toHaveLength(2);
    const alt = (p: { messages: messagingApi.Message[] }) =>
      p.messages.map((m) => (m.type === 'flex' ? m.altText : m.type)).join(' | ');
    expect(pushes.map(alt).filter((a) => a.includes('สรุป SAR:') && a.includes('สรุปประจำสัปดาห์'))).toHaveLength(1);
  });

  it('the Monday after that: no SAR card any more', async () => {
    h.clock.now = MONDAY_W48;
    await tick(h.deps, MONDAY_W48);
    const rows = await digests('2026-W48');
    expect(rows.map((r) => [r.role, r.messages.length])).toEqual([
      ['director', 1],
      ['principal', 1],
    ]);
  });
});
