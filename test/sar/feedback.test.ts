// SAR feedback (issue 15 item 3) through the signed webhook and the tick: a supervisor reads one assigned school's
// latest SAR in chat as a short Thai summary (each standard's level against its target, strengths, points to
// improve) and sends feedback on a standard; the principal gets it in their next daily bundle (one push) with
// รับทราบ / ตอบกลับ, acknowledges and replies; the supervisor hears of both in theirs. Stored and audited; a
// forged postback for another school changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { school, seedSar, type SarFixture } from './fixture.js';

let h: Harness;
let f: SarFixture;
const SUP = userId('sarfb-sup');
const PRI = userId('sarfb-pri');
const OTHER = userId('sarfb-pri-2');

async function link(externalId: string, user: string) {
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${f.demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(h.db.db, f.demo.office.id, [p?.id ?? ''], h.clock.now);
  await h.post(ev.text(invite?.code ?? '', { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
}

async function say(event: unknown): Promise<{ texts: string[]; json: string }> {
  const [reply] = await h.post(event);
  return { texts: replyTexts(reply), json: JSON.stringify(reply ?? {}) };
}
const text = (user: string, t: string) => say(ev.text(t, { user }));
const tap = (user: string, data: string) => say(ev.postback(data, { user }));
const pushesTo = (user: string) =>
  h.line.pushes().filter((p) => JSON.stringify((p.body as { to: unknown }).to).includes(user));
const dataOf = (json: string, label: string) => new RegExp(`"label":"${label}","data":"([^"]+)"`).exec(json)?.[1] ?? '';

beforeAll(async () => {
  h = await startHarness();
  f = await seedSar(h.db.db, h.clock.now);
  await link('demo-supervisor-1', SUP);
  await link('demo-principal-1', PRI);
  await link('demo-principal-2', OTHER);
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
});

describe('SAR feedback', () => {
  let feedbackId = '';

  it('the supervisor reads an assigned school’s SAR as a summary, audited', async () => {
    const list = (await text(SUP, 'SAR')).texts.join('\n');
    expect(list).toContain(school(0).nameTh);
    expect(list).toContain(`${school(2).nameTh} (ยังไม่ส่ง SAR)`);
    const { texts, json } = await text(SUP, `SAR ${school(0).nameTh}`);
    const summary = texts.join('\n');
    expect(summary).toContain(`SAR ${school(0).nameTh}`);
    expect(summary).toMatch(/มาตรฐานที่ 1[^\n]*: 2 [^\n]* · เป้าหมาย 4 \(ต่ำกว่าเป้าหมาย\)/);
    expect(summary).toMatch(/มาตรฐานที่ 2[^\n]*: 4 [^\n]* · เป้าหมาย 4 \(ถึงเป้าหมาย\)/);
    expect(summary).toContain('จุดเด่น: นักเรียนอ่านออกเขียนได้ทุกคน');
    expect(summary).toContain('จุดที่ควรพัฒนา: ทักษะการคิดวิเคราะห์');
    expect(json).toContain('"label":"มาตรฐานที่ 1"');
    expect(json).toContain('"label":"ภาพรวม"');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'sar.school.view'`)).toBe(2);
    // Not for principals.
    expect((await text(PRI, `SAR ${school(0).nameTh}`)).texts.join()).toMatch(/เฉพาะศึกษานิเทศก์/);
  });

  it('sends feedback on a standard: stored, audited, queued for the principal, never pushed at once', async () => {
    const { json } = await text(SUP, `SAR ${school(0).nameTh}`);
    const pushes = h.line.pushes().length;
    expect((await tap(SUP, dataOf(json, 'มาตรฐานที่ 1'))).texts.join()).toMatch(/พิมพ์ข้อเสนอแนะ \(มาตรฐานที่ 1\)/);
    const sent = (await text(SUP, 'ควรจัดกิจกรรมฝึกการคิดวิเคราะห์ทุกสัปดาห์')).texts.join();
    expect(sent).toMatch(/ส่งข้อเสนอแนะถึงผู้อำนวยการ/);
    const row = await one<{ id: string; standard: string; body_th: string; response_id: string | null }>(
      h.db.db,
      sql`SELECT id, standard, body_th, response_id FROM sar_feedback`,
    );
    expect(row).toMatchObject({ standard: 's1', body_th: 'ควรจัดกิจกรรมฝึกการคิดวิเคราะห์ทุกสัปดาห์' });
    expect(row.response_id).not.toBeNull();
    feedbackId = row.id;
    expect(await count(h.db.db, sql`audit_log WHERE action = 'sar.feedback' AND target_type = 'school'`)).toBe(1);
    expect(await count(h.db.db, sql`outbox_items WHERE key = ${`sarfb:${row.id}`} AND bundled_on IS NULL`)).toBe(1);
    expect(h.line.pushes()).toHaveLength(pushes);
  });

  it('a forged postback for a school not assigned to the supervisor writes nothing', async () => {
    const other = await one<{ id: string }>(
      h.db.db,
      sql`SELECT s.id FROM schools s WHERE s.office_id = ${f.demo.office.id} AND NOT EXISTS (
            SELECT 1 FROM supervisor_assignments sa JOIN people p ON p.id = sa.supervisor_id
             WHERE p.line_user_id = ${SUP} AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)) LIMIT 1`,
    );
    expect((await tap(SUP, `a=sarfb&sc=${other.id}&n=all`)).texts.join()).toMatch(/ไม่พบโรงเรียนนี้/);
    expect(await count(h.db.db, sql`sar_feedback`)).toBe(1);
  });

  it('the principal gets it in the next bundle, acknowledges and replies; the supervisor hears of both', async () => {
    await tick(h.deps, h.clock.now + 3 * 86_400_000); // Monday: Friday's bundle had gone out already
    const push = pushesTo(PRI).map((p) => JSON.stringify(p.body));
    const withFeedback = push.filter((p) => p.includes('ควรจัดกิจกรรมฝึกการคิดวิเคราะห์ทุกสัปดาห์'));
    expect(withFeedback).toHaveLength(1);
    // Another school's principal cannot acknowledge it.
    const pushed = (action: string) =>
      new RegExp(`"data":"(a=${action}&f=[0-9a-f-]{36})"`).exec(withFeedback[0] ?? '')?.[1] ?? '';
    const ack = pushed('sarack');
    expect(ack).toBe(`a=sarack&f=${feedbackId}`);
    // A forged tap (another school's principal, or an unknown id) changes nothing and says so, not "recorded".
    expect((await tap(OTHER, ack)).texts.join()).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    expect((await tap(OTHER, `a=sarrep&f=${feedbackId}`)).texts.join()).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    expect((await tap(PRI, `a=sarack&f=${crypto.randomUUID()}`)).texts.join()).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    expect(await count(h.db.db, sql`sar_feedback WHERE acknowledged_at IS NOT NULL`)).toBe(0);
    expect((await tap(PRI, ack)).texts.join()).toMatch(/บันทึกการรับทราบ/);
    expect((await tap(PRI, pushed('sarrep'))).texts.join()).toMatch(/พิมพ์คำตอบ/);
    expect((await text(PRI, 'จะจัดชุมนุมการคิดเริ่มภาคเรียนหน้า')).texts.join()).toMatch(/ส่งคำตอบ/);
    const done = await one<{ ack: boolean; reply: string }>(
      h.db.db,
      sql`SELECT acknowledged_at IS NOT NULL AS ack, reply_th AS reply FROM sar_feedback WHERE id = ${feedbackId}`,
    );
    expect(done).toEqual({ ack: true, reply: 'จะจัดชุมนุมการคิดเริ่มภาคเรียนหน้า' });
    expect(await count(h.db.db, sql`audit_log WHERE action IN ('sar.feedback.ack', 'sar.feedback.reply')`)).toBe(2);
    const before = pushesTo(SUP).length;
    await tick(h.deps, h.clock.now + 4 * 86_400_000);
    const sup = pushesTo(SUP)
      .slice(before)
      .map((p) => JSON.stringify(p.body));
    expect(sup).toHaveLength(1); // one bundle
    expect(sup[0]).toMatch(/รับทราบข้อเสนอแนะต่อ SAR แล้ว/);
    expect(sup[0]).toMatch(/จะจัดชุมนุมการคิดเริ่มภาคเรียนหน้า/);
  });
});
