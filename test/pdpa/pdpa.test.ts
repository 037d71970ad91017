// PDPA rights in chat, end to end: a copy of one's data (audited), erasure that keeps the anonymised answers,
// onboarding afterwards, a replayed confirm that does nothing, and the 180-day conversation retention.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { createLogger } from '../../src/log.js';
import { CONVERSATION_IDLE_MS, tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { persona as demoPersona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { queryRows } from '../../src/db/client.js';
import { campaignCompletion } from '../../src/web/web.queries.js';
import { progressBySchool } from '../../src/digests/digests.queries.js';

let h: Harness;
let demo: DemoSeed;
beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
  h.line.reset();
});

const persona = (role: string) => demoPersona(demo, role);

const sendRaw = (...events: unknown[]) => h.post(...events);
const send = async (...events: unknown[]) => (await sendRaw(...events)).map(replyTexts);

/** The data of the first quick-reply postback button of a reply body. */
function firstPostback(reply: unknown): string {
  const m = (reply as { messages: { quickReply?: { items: { action: { type: string; data?: string } }[] } }[] })
    .messages[0];
  const action = m?.quickReply?.items.find((i) => i.action.type === 'postback')?.action;
  if (action?.data === undefined) throw new Error('no postback button');
  return action.data;
}

describe('PDPA rights in chat', () => {
  const user = userId('pdpa-1');
  const teacher = () => persona('teacher');
  let personId = '';
  let campaignTitle = '';
  let officeId = '';
  let campaignId = '';

  /** The campaign's figures as the dashboard and the digests take them: [submitted, expected] each. */
  async function figures(): Promise<number[][]> {
    const scope = { role: 'admin', officeId, personId: null, schools: 'office' } as const;
    const web = (await campaignCompletion(h.db.db, officeId, h.clock.now, false, scope)).find(
      (c) => c.id === campaignId,
    );
    const rows = (await progressBySchool(h.db.db, [officeId], new Date(h.clock.now).toISOString())).filter(
      (r) => r.campaign_id === campaignId,
    );
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    return [
      [web?.submitted ?? -1, web?.expected ?? -1],
      [sum((r) => r.answered), sum((r) => r.expected)],
    ];
  }
  let before: number[][] = [];

  it('links a teacher who has answered a checklist', async () => {
    await send(ev.follow({ user }));
    await send(ev.text(teacher().inviteCode, { user }));
    const [welcome] = await send(ev.text('ใช่', { user })); // whose account it is: confirmed
    expect(welcome?.[0]).toContain(teacher().name);
    const p = await one<{ id: string; office_id: string }>(
      h.db.db,
      sql`SELECT id, office_id FROM people WHERE line_user_id = ${user}`,
    );
    personId = p.id;
    const c = await one<{ id: string; checklist_id: string; title_th: string }>(
      h.db.db,
      sql`SELECT id, checklist_id, title_th FROM campaigns WHERE office_id = ${p.office_id}::uuid
           AND 'teacher' = ANY(roles) ORDER BY title_th LIMIT 1`,
    );
    campaignTitle = c.title_th;
    officeId = p.office_id;
    campaignId = c.id;
    const responseId = crypto.randomUUID();
    const now = new Date(h.clock.now).toISOString();
    await h.db.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, started_by, status, started_at,
                             updated_at)
      VALUES (${responseId}::uuid, ${p.office_id}::uuid, ${c.id}::uuid, ${c.checklist_id}::uuid, ${personId}::uuid,
              ${personId}::uuid, 'submitted', ${now}, ${now})`);
    await h.db.db.execute(sql`
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at) VALUES
        (${responseId}::uuid, 'q1', 0, '"ใช่"'::jsonb, ${personId}::uuid, ${now}),
        (${responseId}::uuid, 'q2', 0, '3'::jsonb, ${personId}::uuid, ${now})`);
    await h.db.db.execute(sql`
      INSERT INTO evidence_files (id, office_id, response_id, item_key, channel_id, line_message_id, created_at)
      VALUES (${crypto.randomUUID()}::uuid, ${p.office_id}::uuid, ${responseId}::uuid, 'q3', 'default', 'pdpa-m1', ${now})`);
    // SAR feedback on the teacher's school: one they acknowledged and replied to, one another person acknowledged
    // and they replied to later (known from the audit), and one only another person answered.
    const school = await one<{ school_id: string; other: string }>(
      h.db.db,
      sql`SELECT p.school_id, (SELECT o.id FROM people o WHERE o.office_id = p.office_id AND o.id <> p.id
                                 ORDER BY o.id LIMIT 1) AS other
            FROM people p WHERE p.id = ${personId}::uuid`,
    );
    const [fa, fb, fc] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await h.db.db.execute(sql`
      INSERT INTO sar_feedback (id, office_id, school_id, standard, body_th, acknowledged_at, acknowledged_by, reply_th,
                                replied_at, created_at) VALUES
        (${fa}::uuid, ${p.office_id}::uuid, ${school.school_id}::uuid, 's1', 'ควรเพิ่มหลักฐาน', ${now},
         ${personId}::uuid, 'ตอบโดยครูเอง', ${now}, ${now}),
        (${fb}::uuid, ${p.office_id}::uuid, ${school.school_id}::uuid, NULL, 'ภาพรวมดี', ${now},
         ${school.other}::uuid, 'ตอบทีหลังโดยครู', ${now}, ${now}),
        (${fc}::uuid, ${p.office_id}::uuid, ${school.school_id}::uuid, 's2', 'ควรวางแผน', ${now},
         ${school.other}::uuid, 'ตอบโดยคนอื่น', ${now}, ${now})`);
    await h.db.db.execute(sql`
      INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
      VALUES (${p.office_id}::uuid, ${`person:${personId}`}, 'sar.feedback.reply', 'sar_feedback', ${fb}, ${now})`);
    before = await figures();
    expect(before[0]?.[0]).toBeGreaterThanOrEqual(1);
  });

  it('"ขอสำเนาข้อมูลของฉัน" replies with what is held about the person, and is audited', async () => {
    const [copy] = await send(ev.text('ขอสำเนาข้อมูลของฉัน', { user }));
    const all = copy?.join('\n') ?? '';
    expect(all).toContain(`ชื่อ: ${teacher().name}`);
    expect(all).toContain('บทบาท: ครู');
    expect(all).toContain(`โรงเรียน: ${teacher().school ?? ''}`);
    expect(all).toContain(`หน่วยงาน: ${demo.office.nameTh}`);
    expect(all).toMatch(/เชื่อมบัญชี LINE เมื่อ: \d/);
    expect(all).toMatch(/ประกาศความเป็นส่วนตัวเมื่อ: \d/);
    expect(all).toContain('การแจ้งเตือน: เปิดอยู่ เวลา 08:00 น.');
    expect(all).toContain('แบบที่เริ่มตอบ: 1 ชุด · คำตอบ: 2 ข้อ · ไฟล์หลักฐาน: 1 ไฟล์');
    expect(all).toContain(`${campaignTitle}: 1 ชุด, 2 คำตอบ, 1 ไฟล์`);
    expect(all).toContain('ข้อเสนอแนะ SAR ที่เขียน: 0 ข้อ · ที่รับทราบ: 2 ข้อ · ที่ตอบกลับ: 2 ข้อ');
    const audit = await one<{ actor: string; target_id: string }>(
      h.db.db,
      sql`SELECT actor, target_id FROM audit_log WHERE action = 'pdpa.copy'`,
    );
    expect(audit).toEqual({ actor: `person:${personId}`, target_id: personId });
    // "my data" works too.
    const [again] = await send(ev.text('my data', { user }));
    expect(again?.[0]).toContain(teacher().name);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'pdpa.copy'`)).toBe(2);
  });

  it('anything but a confirmation cancels an erasure request', async () => {
    const [ask] = await send(ev.text('ลบข้อมูลของฉัน', { user }));
    expect(ask?.[0]).toMatch(/ยืนยันลบ/);
    const [cancelled] = await send(ev.text('เมนู', { user }));
    expect(cancelled?.[0]).toMatch(/ยกเลิกคำขอลบข้อมูลแล้ว/);
    expect(await count(h.db.db, sql`people WHERE id = ${personId}::uuid AND status = 'active'`)).toBe(1);
  });

  it('erasure removes the personal fields, keeps the answers, audits, and a replayed confirm does nothing', async () => {
    const [askBody] = await sendRaw(ev.text('ลบข้อมูลของฉัน', { user }));
    const data = firstPostback(askBody);
    const confirm = ev.postback(data, { user });
    const [done] = await send(confirm);
    expect(done?.[0]).toMatch(/ลบข้อมูลของท่านเรียบร้อยแล้ว/);

    const p = await one<Record<string, unknown>>(
      h.db.db,
      sql`SELECT status, display_name, line_user_id, channel_id, external_id FROM people WHERE id = ${personId}::uuid`,
    );
    expect(p).toEqual({
      status: 'erased',
      display_name: '(ลบแล้ว)',
      line_user_id: null,
      channel_id: null,
      external_id: null,
    });
    expect(await count(h.db.db, sql`answers WHERE answered_by = ${personId}::uuid`)).toBe(2);
    expect(await count(h.db.db, sql`responses WHERE started_by = ${personId}::uuid`)).toBe(1);
    // Their own SAR replies (free text) go; the supervisors' feedback and another person's reply stay.
    expect(
      await queryRows(
        h.db.db,
        sql`SELECT body_th, reply_th, replied_at IS NOT NULL AS replied FROM sar_feedback ORDER BY body_th`,
      ),
    ).toEqual([
      { body_th: 'ควรวางแผน', reply_th: 'ตอบโดยคนอื่น', replied: true },
      { body_th: 'ควรเพิ่มหลักฐาน', reply_th: null, replied: true },
      { body_th: 'ภาพรวมดี', reply_th: null, replied: true },
    ]);
    // The anonymised submission still counts: neither "submitted" nor "expected" moves on the dashboard or digests.
    expect(await figures()).toEqual(before);
    const audit = await one<{ actor: string; detail: { requestedAt: string; completedAt: string } }>(
      h.db.db,
      sql`SELECT actor, detail FROM audit_log WHERE action = 'pdpa.erase'`,
    );
    expect(audit.actor).toBe(`person:${personId}`);
    expect(Date.parse(audit.detail.completedAt)).toBeGreaterThanOrEqual(Date.parse(audit.detail.requestedAt));

    // The same event redelivered, and the same button tapped again: nothing more happens.
    expect(await send(confirm)).toEqual([]);
    const [again] = await send(ev.postback(data, { user }));
    expect(again?.join('\n')).toMatch(/รหัสเชิญ/);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'pdpa.erase'`)).toBe(1);
  });

  it('the LINE user then gets the onboarding again', async () => {
    const [reply] = await send(ev.text('สวัสดีครับ', { user }));
    expect(reply?.join('\n')).toMatch(/รหัสเชิญ/);
    const [status] = await send(ev.text('สถานะ', { user }));
    expect(status?.join('\n')).not.toContain(teacher().name);
  });
});

describe('conversation retention', () => {
  it('deletes conversations idle for 180 days, keeps the others', async () => {
    const at = h.clock.now + 200 * 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    await h.db.db.execute(sql`
      INSERT INTO conversations (channel_id, line_user_id, state, version, updated_at) VALUES
        ('default', 'U-idle-old', '{}'::jsonb, 3, ${iso(at - CONVERSATION_IDLE_MS - 1000)}),
        ('default', 'U-idle-edge', '{}'::jsonb, 3, ${iso(at - CONVERSATION_IDLE_MS)}),
        ('default', 'U-recent', '{}'::jsonb, 3, ${iso(at - 1000)})`);
    const log = createLogger('error', () => {});
    const before = await count(h.db.db, sql`conversations`);
    const idle = await count(h.db.db, sql`conversations WHERE updated_at < ${iso(at - CONVERSATION_IDLE_MS)}`);
    expect(await tick({ db: h.db.db, log }, at)).toMatchObject({ conversationsDeleted: idle });
    expect(await count(h.db.db, sql`conversations`)).toBe(before - idle);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id IN ('U-idle-edge', 'U-recent')`)).toBe(2);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = 'U-idle-old'`)).toBe(0);
    expect(await tick({ db: h.db.db, log }, at)).toMatchObject({ conversationsDeleted: 0 });
  });
});
