// The tick end to end: what the chat queued (a supervisor's notice) and what the tick plans (a director's Monday
// digest; a principal's reminder and digest as one push of two messages) reach LINE once, by push with the row id as retry key; "ดูรายชื่อ" is then answered by reply, audited.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { body, ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { insertOutbox } from '../support/outbox.js';
import { count } from '../support/sql.js';
import { msg } from '../../src/i18n/msg.js';

let h: Harness;
let demo: DemoSeed;
const DIRECTOR = userId('tick-director');
const SUPERVISOR = userId('tick-supervisor');
const PRINCIPAL = userId('tick-principal');
// Monday 23 November 2026, 08:00 in Bangkok.
const MONDAY_8AM = Date.parse('2026-11-23T01:00:00Z');

const link = async (role: string, user: string) => {
  await h.post(ev.text(persona(demo, role).inviteCode, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
};

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  await link('director', DIRECTOR);
  await link('supervisor', SUPERVISOR);
});
afterAll(() => h.close());

describe('tick', () => {
  it('sends a queued notice once, by push, with the outbox row id as retry key', async () => {
    const [supervisor] = await queryRows<{ id: string; channel_id: string }>(
      h.db.db,
      sql`SELECT id, channel_id FROM people WHERE line_user_id = ${SUPERVISOR}`,
    );
    const [id] = await insertOutbox(
      h.db.db,
      sql`SELECT ${demo.office.id}::uuid AS office_id, ${supervisor?.channel_id ?? ''} AS channel_id,
                 ${supervisor?.id ?? ''}::uuid AS person_id, 'test:notice' AS dedupe_key, 'test' AS kind,
                 '[{"type":"text","text":"ครูทดสอบ ส่งแบบสำรวจแล้ว"}]'::jsonb AS messages,
                 ${new Date(h.clock.now).toISOString()}::timestamptz AS not_before`,
    );
    const row = { id };
    h.line.reset();
    const first = await tick(h.deps, h.clock.now + 60_000);
    expect(first.sent?.sent).toBe(1);
    const pushes = h.line.pushes();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.headers['x-line-retry-key']).toBe(row?.id);
    expect(pushes[0]?.body).toMatchObject({
      to: SUPERVISOR,
      messages: [{ type: 'text', text: 'ครูทดสอบ ส่งแบบสำรวจแล้ว' }],
    });
    const again = await tick(h.deps, h.clock.now + 120_000);
    expect(again.sent?.sent ?? 0).toBe(0);
    expect(h.line.pushes()).toHaveLength(1);
    expect(await count(h.db.db, sql`push_usage WHERE office_id = ${demo.office.id} AND pushes = 1`)).toBe(1);
  });

  it('plans the director’s weekly digest on Monday 08:00 Bangkok, not before, and sends it once', async () => {
    // A principal with a checklist due on Thursday (three days ahead: a reminder day), linked after Friday's bundles.
    await link('principal', PRINCIPAL);
    await h.db.db.execute(sql`INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
      SELECT office_id, checklist_id, 'แบบสำรวจครบกำหนดวันพฤหัสบดี', '{principal}', opens_at, '2026-11-26T09:00:00Z'
        FROM campaigns WHERE office_id = ${demo.office.id} LIMIT 1`);
    h.line.reset();
    const toDirector = () => h.line.pushes().filter((p) => (p.body as { to?: string }).to === DIRECTOR);
    // The office's first open hour of Monday (07:00, when quiet hours end) stages the digests; the director's push
    // goes at their reminder hour (08:00), in their bundle of the day.
    const early = await tick(h.deps, MONDAY_8AM - 60_000);
    expect(early.digestsPlanned).toBeGreaterThanOrEqual(1);
    expect(toDirector()).toHaveLength(0);
    await tick(h.deps, MONDAY_8AM);
    expect(toDirector()).toHaveLength(1);
    expect(JSON.stringify(toDirector()[0]?.body)).toContain('"type":"flex"');
    // Issue 17: a principal's Monday reminder and digest are one push of two messages, the card then the digest.
    const toPrincipal = h.line.pushes().filter((p) => (p.body as { to?: string }).to === PRINCIPAL);
    expect(toPrincipal).toHaveLength(1);
    const messages = (toPrincipal[0]?.body as { messages: { altText?: string }[] }).messages;
    expect(messages.map((m) => (m.altText ?? '').split(':')[0])).toEqual([expect.any(String), 'สรุปประจำสัปดาห์']);
    expect(JSON.stringify(messages[0])).toContain('แบบสำรวจครบกำหนดวันพฤหัสบดี');
    // The same instant again, and later that morning: nothing planned or sent twice.
    await tick(h.deps, MONDAY_8AM);
    await tick(h.deps, MONDAY_8AM + 3_600_000);
    expect(toDirector()).toHaveLength(1);
    expect(h.line.pushes().filter((p) => (p.body as { to?: string }).to === PRINCIPAL)).toHaveLength(1);
    expect(h.line.invalid()).toEqual([]);
  });

  it('answers the digest’s "ดูรายชื่อ" by reply with names in scope, and audits the read', async () => {
    const digest = JSON.stringify(h.line.pushes().find((p) => (p.body as { to?: string }).to === DIRECTOR)?.body);
    const data = /"data":"(a=names[^"]*)"/.exec(digest)?.[1];
    expect(data).toMatch(/^a=names&k=\w+/);
    h.line.reset();
    await h.webhook(body(ev.postback(data ?? '', { user: DIRECTOR })));
    await h.settle();
    const replies = h.line.replies();
    expect(replies).toHaveLength(1);
    expect(replyTexts(replies[0]?.body).join('\n').length).toBeGreaterThan(0);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'names.view' AND actor LIKE 'person:%'`)).toBe(1);
    // A teacher forging the same postback gets a refusal, not names.
    const teacher = userId('tick-teacher');
    await link('teacher', teacher);
    h.line.reset();
    await h.webhook(body(ev.postback(data ?? '', { user: teacher })));
    await h.settle();
    expect(replyTexts(h.line.replies()[0]?.body)).toEqual([msg.digest.namesNotAllowed]);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'names.view'`)).toBe(2);
  });
});
