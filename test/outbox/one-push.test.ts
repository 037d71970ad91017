// One push a day, through the tick and the fake LINE server (issue 17, item 1): a visit follow-up reminder
// (ข้อตกลงจากการนิเทศ … ครบกำหนด …) is folded into the principal's daily bundle and so waits out the weekend, an
// office holiday and mute like any reminder; a supervisor's submission notices from many schools reach them as one
// push naming each checklist once, with a count where the same sentence came twice.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { enqueueItems, itemJson } from '../../src/outbox/enqueue.queries.js';
import { tick } from '../../src/scheduler/tick.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
const SUP = userId('onepush-sup');
const PRI = userId('onepush-pri');
const PRI2 = userId('onepush-pri2');
const at = (iso: string) => Date.parse(iso);
const pushesTo = (user: string) =>
  h.line
    .pushes()
    .filter((p) => (p.body as { to?: string }).to === user)
    .map((p) => JSON.stringify(p.body));

async function link(externalId: string, user: string): Promise<string> {
  const p = await one<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(h.db.db, demo.office.id, [p.id], h.clock.now);
  await h.webhook(body(ev.text(invite?.code ?? '', { user })));
  await h.settle();
  await h.webhook(body(ev.text('ใช่', { user }))); // whose account it is: confirmed
  await h.settle();
  expect(
    h.line
      .replies()
      .flatMap((r) => replyTexts(r.body))
      .join(),
  ).toMatch(/ยินดีต้อนรับ/);
  return p.id;
}

/** A follow-up reminder queued as a recorded visit queues it (kind 'action', due the day before at 08:00). */
const queueAction = (personId: string, n: number, what: string, dueAt: string) =>
  enqueueItems(
    h.db.db,
    sql`SELECT office_id, id AS person_id, ${`visit:onepush:action${n}`} AS key, 'action' AS kind,
               ${itemJson({ k: 'action', a: crypto.randomUUID(), s: 'โรงเรียนทดสอบหนึ่ง', what, due: '2026-11-25' })} AS data,
               ${dueAt}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
          FROM people WHERE id = ${personId}::uuid`,
  );

let pri2Id = '';
let supId = '';

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026, 09:00 in Bangkok
  supId = await link('demo-supervisor-1', SUP);
  const priId = await link('demo-principal-1', PRI);
  pri2Id = await link('demo-principal-2', PRI2);
  await h.db.db.execute(sql`UPDATE people SET muted = true WHERE id = ${pri2Id}::uuid`);
  await h.db.db.execute(sql`INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on)
      VALUES (${demo.office.id}, 'holiday', 'วันหยุดชดเชยทดสอบ', '2026-11-23', '2026-11-23')`);
  // Due Saturday 08:00 Bangkok: a push of its own would go on the weekend.
  await queueAction(priId, 1, 'จัดทำแผนการวัดผลตามสภาพจริง', '2026-11-21T01:00:00Z');
  await queueAction(pri2Id, 2, 'ปรับปรุงห้องสมุด', '2026-11-21T01:00:00Z');
  // Five notices from one tick's worth of submissions, two of them the same sentence (a re-sent form).
  const notices = [
    'ครูสมศรี (โรงเรียนหนึ่ง) ส่ง "แบบสำรวจสื่อการสอน" แล้ว',
    'ครูสมศรี (โรงเรียนหนึ่ง) ส่ง "แบบสำรวจสื่อการสอน" แล้ว',
    'ครูมานพ (โรงเรียนสอง) ส่ง "แบบสำรวจสื่อการสอน" แล้ว',
    'ครูวิไล (โรงเรียนสาม) ส่ง "รายงานการประเมินตนเอง" แล้ว',
    'ครูประยูร (โรงเรียนสาม) ส่ง "แบบติดตามการอ่าน" แล้ว',
  ];
  for (const [i, text] of notices.entries())
    await enqueueItems(
      h.db.db,
      sql`SELECT office_id, id AS person_id, ${`submitted:onepush-${i}`} AS key, 'submitted' AS kind,
                 ${itemJson({ k: 'submitted', text })} AS data, '2026-11-23T02:00:00Z'::timestamptz AS due_at,
                 NULL::timestamptz AS urgent_by
            FROM people WHERE id = ${supId}::uuid`,
    );
});
afterAll(() => h.close());

describe('one push a day', () => {
  it('a visit follow-up waits out the weekend and the holiday, then goes inside the daily bundle', async () => {
    for (const t of ['2026-11-21T01:01:00Z', '2026-11-22T01:01:00Z', '2026-11-23T01:01:00Z', '2026-11-23T03:01:00Z'])
      await tick(h.deps, at(t));
    expect(pushesTo(PRI)).toEqual([]); // Saturday, Sunday, the office holiday: nothing
    await tick(h.deps, at('2026-11-24T01:01:00Z'));
    await tick(h.deps, at('2026-11-24T05:01:00Z'));
    const pushes = pushesTo(PRI);
    expect(pushes).toHaveLength(1); // the day's one push
    expect(pushes[0]).toContain('ข้อตกลงจากการนิเทศ โรงเรียนทดสอบหนึ่ง');
    expect(pushes[0]).toContain('จัดทำแผนการวัดผลตามสภาพจริง');
    expect(pushes[0]).toMatch(/a=vdone&x=[0-9a-f-]{36}/);
    // It is the bundle (the daily card), not a message of its own beside it.
    const row = await one<{ n: number; kinds: string[] }>(
      h.db.db,
      sql`SELECT count(*)::int AS n, array_agg(DISTINCT o.kind) AS kinds FROM outbox o
            JOIN people p ON p.id = o.person_id WHERE p.line_user_id = ${PRI}`,
    );
    expect(row).toEqual({ n: 1, kinds: ['bundle'] });
  });

  it('a muted principal is not reminded of a follow-up', async () => {
    expect(pushesTo(PRI2).filter((p) => p.includes('ข้อตกลงจากการนิเทศ'))).toEqual([]);
    const waiting = await queryRows<{ bundled_on: string | null }>(
      h.db.db,
      sql`SELECT bundled_on::text FROM outbox_items WHERE person_id = ${pri2Id}::uuid AND kind = 'action'`,
    );
    expect(waiting).toEqual([{ bundled_on: null }]);
  });

  it('a supervisor’s submission notices reach them as one push naming each checklist, no text twice', () => {
    const pushes = pushesTo(SUP);
    expect(pushes).toHaveLength(1);
    const push = JSON.parse(pushes[0] ?? '{}') as { messages: unknown[] };
    expect(push.messages.length).toBeLessThanOrEqual(5);
    const text = pushes[0] ?? '';
    for (const title of ['แบบสำรวจสื่อการสอน', 'รายงานการประเมินตนเอง', 'แบบติดตามการอ่าน']) expect(text).toContain(title);
    const once = (s: string) => text.split(s).length - 1;
    expect(once('ครูสมศรี (โรงเรียนหนึ่ง)')).toBe(1);
    expect(text).toContain('(2 ครั้ง)');
    expect(once('ครูมานพ (โรงเรียนสอง)')).toBe(1);
  });
});
