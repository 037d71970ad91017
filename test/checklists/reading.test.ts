// Questions that read well, through the signed webhook (issue 17): a stable "ข้อ i/n" that says "ประมาณ" while a
// later question's relevance is open, a select-many tap answered with one short line and "เสร็จ" first, the
// current answer shown when editing, skipped items as "(ข้าม)" and submit on every review page, and the next open
// checklist offered after submitting.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { msg } from '../../src/i18n/msg.js';

let h: Harness;
let demo: DemoSeed;
const USER = userId('reading-teacher');
const DAY = 86_400_000;
let first = '';
let second = '';

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  const officeId = demo.office.id;
  const checklist = await findChecklist(h.db.db, officeId, 'needs-survey');
  const [school] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM schools WHERE office_id = ${officeId} AND code = '9999000001'`,
  );
  const [person] = await queryRows<{ id: string }>(
    h.db.db,
    sql`INSERT INTO people (office_id, role, school_id, display_name, position)
        VALUES (${officeId}, 'teacher', ${school?.id ?? ''}, 'ครูทดสอบการอ่าน', 'ครูทดสอบการอ่าน') RETURNING id`,
  );
  const campaign = async (titleTh: string, dueInDays: number) =>
    (
      await upsertCampaign(h.db.db, {
        officeId,
        checklistId: checklist?.id ?? '',
        titleTh,
        roles: ['teacher'],
        schoolIds: [school?.id ?? ''],
        clusterIds: [],
        opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
        dueAt: new Date(h.clock.now + dueInDays * DAY).toISOString(),
      })
    ).id;
  first = await campaign('สำรวจเพื่อทดสอบการอ่าน ชุดแรก', 1);
  second = await campaign('สำรวจเพื่อทดสอบการอ่าน ชุดที่สอง', 2);
  const [invite] = await issueInvites(h.db.db, officeId, [person?.id ?? ''], h.clock.now);
  await say(ev.text(invite?.code ?? '', { user: USER }));
  await say(ev.text('ใช่', { user: USER })); // whose account it is: confirmed
});
afterAll(() => h.close());

interface Sent {
  texts: string[];
  json: string;
  chips: { label: string; data: string }[];
}

async function say(event: unknown): Promise<Sent> {
  const before = h.line.replies().length;
  expect((await h.webhook(body(event))).status).toBe(200);
  await h.settle();
  expect(h.line.invalid()).toEqual([]);
  const replies = h.line.replies().slice(before);
  const last = replies.at(-1)?.body as {
    messages?: { quickReply?: { items: { action: { label?: string; data?: string } }[] } }[];
  };
  return {
    texts: replies.flatMap((r) => replyTexts(r.body)),
    json: JSON.stringify(replies.map((r) => r.body)),
    chips: (last.messages?.at(-1)?.quickReply?.items ?? []).map((i) => ({
      label: i.action.label ?? '',
      data: i.action.data ?? '',
    })),
  };
}
const text = (t: string) => say(ev.text(t, { user: USER }));

describe('a checklist that reads well', () => {
  it('numbers questions stably, answers a select-many tap with one short line, "เสร็จ" first', async () => {
    const opened = await say(ev.postback(`a=open&c=${first}`, { user: USER }));
    // problem_other waits on problem_areas: the total is an upper bound until then.
    expect(opened.texts.join()).toContain('ข้อ 1/ประมาณ 8');
    expect(opened.chips[0]?.label).toBe('เสร็จ');
    const toggle = opened.chips.find((c) => c.data.includes('a=toggle'));
    const tapped = await say(ev.postback(toggle?.data ?? '', { user: USER }));
    expect(tapped.texts).toHaveLength(1);
    expect(tapped.texts[0]).toMatch(/^เลือกแล้ว: .+ — กด "เสร็จ" เมื่อครบ$/);
    expect(tapped.chips[0]?.label).toBe('เสร็จ');
    expect(tapped.chips.some((c) => c.label.startsWith('✓ '))).toBe(true);
    expect((await text('เสร็จ')).texts.join()).toContain('ข้อ 2/ประมาณ 8');
    // Not "other": the total settles at 7 and never grew on the way.
    expect((await text('1')).texts.join()).toMatch(/ข้อ 3\/7(?!\d)/);
  });

  it('shows the review with "(ข้าม)" and submit on every page, and the current answer when editing', async () => {
    await text('ขาดสื่อการสอน');
    // A number scale reads by its values: 5 is the most, listed and typed.
    const urgency = (await text('5')).texts.join();
    expect(urgency).toContain('ข้อ 5/7');
    await text('1');
    await text('อบรมเชิงปฏิบัติการ');
    const review = await text('ข้าม');
    expect(review.texts.join()).toContain('ตรวจทานคำตอบ');
    expect(review.json).toContain('"(ข้าม)"');
    const bubbles = (review.json.match(/"type":"bubble"/g) ?? []).length;
    expect(bubbles).toBeGreaterThan(0);
    expect((review.json.match(/a=submit/g) ?? []).length).toBe(bubbles);
    const edit = await text('แก้ข้อ 4');
    expect(edit.texts.join()).toContain('5. มากที่สุด');
    expect(edit.texts.join()).toContain('คำตอบปัจจุบัน: มากที่สุด');
    expect((await text('4')).texts.join()).toContain('ตรวจทานคำตอบ');
  });

  it('offers the next open checklist after submitting', async () => {
    const sent = await text('ส่ง');
    expect(sent.texts.join()).toMatch(/เรียบร้อยแล้ว/);
    expect(sent.texts.join()).toContain('ยังมีอีกแบบที่รอท่านอยู่');
    const next = sent.chips.find((c) => c.label === msg.checklist.startNext);
    expect(next?.data).toMatch(/^a=open&c=/);
    expect(next?.data).not.toContain(first);
    const opened = await say(ev.postback(next?.data ?? '', { user: USER }));
    expect(opened.texts.join()).toMatch(/ข้อ 1\//);
    expect(second).not.toBe('');
  });

  it('asks a repeat whose label is a question as it is, not wrapped in another question', () => {
    expect(msg.checklist.addMore('มีสิ่งที่ต้องดำเนินการต่ออีกหรือไม่', 0)).toBe('มีสิ่งที่ต้องดำเนินการต่ออีกหรือไม่');
    expect(msg.checklist.addMore('ข้อค้นพบ', 0)).toBe('มี "ข้อค้นพบ" ที่ต้องบันทึกไหม?');
  });

  it('pauses on หยุด and the พักไว้ก่อน chip, and asks back when a pausing word is typed at a text question', async () => {
    const opened = await say(ev.postback(`a=open&c=${second}`, { user: USER }));
    expect(opened.chips.at(-1)?.label).toBe('พักไว้ก่อน');
    // At a choice question, หยุด pauses at once, the answers kept.
    expect((await text('หยุด')).texts.join()).toMatch(/พัก .* ไว้ก่อน/);
    const again = await say(ev.postback(`a=open&c=${second}`, { user: USER }));
    const pause = again.chips.find((c) => c.label === 'พักไว้ก่อน');
    expect((await say(ev.postback(pause?.data ?? '', { user: USER }))).texts.join()).toMatch(/พัก .* ไว้ก่อน/);
    // At a text question (problem_detail, after two choice questions), "หยุด" might be the answer: asked back.
    await say(ev.postback(`a=open&c=${second}`, { user: USER }));
    await text('1');
    await text('2');
    const asked = await text('หยุด');
    expect(asked.texts).toEqual(["บันทึกคำว่า 'หยุด' เป็นคำตอบ หรือพักไว้ก่อน?"]);
    const keep = asked.chips.find((c) => c.label === 'บันทึกเป็นคำตอบ');
    const kept = await say(ev.postback(keep?.data ?? '', { user: USER }));
    expect(kept.texts.join()).toContain('ข้อ 4/7');
  });
});
