// Every role's main actions without the rich menu (issue 15 item 7): the menu's quick replies carry them and each
// one, sent as LINE on PC sends a tapped quick reply (its words typed), is understood — through the signed webhook.
// The principal's ค้างส่ง lists who at their school has not answered; the supervisor's ข้อตกลงค้าง lists the open
// follow-ups of their schools only; a director's สรุปสัปดาห์นี้ is this week's digest by reply (no push), and
// รายงาน a one-time link that lands on the office's reports page. Reads are audited.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

const ORIGIN = 'http://nithet.test';
let h: Harness;
let demo: DemoSeed;
const users = {
  teacher: userId('rw-teacher'),
  principal: userId('rw-principal'),
  supervisor: userId('rw-supervisor'),
  director: userId('rw-director'),
};

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: ORIGIN } });
  demo = await seedDemo(h.db.db, h.clock.now);
  for (const [role, user] of Object.entries(users)) {
    await h.post(ev.text(persona(demo, role).inviteCode, { user }));
    await h.post(ev.text('ใช่', { user }));
  }
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
});

async function say(user: string, text: string): Promise<{ texts: string[]; body: unknown }> {
  const [reply] = await h.post(ev.text(text, { user }));
  return { texts: replyTexts(reply), body: reply };
}

/** The quick replies of a reply's last message: label and, for message actions, the text they send. */
function quickReplies(body: unknown): { label: string; text: string | null }[] {
  const messages = (body as { messages?: { quickReply?: { items: { action: Record<string, string> }[] } }[] }).messages;
  return (messages?.at(-1)?.quickReply?.items ?? []).map((i) => ({
    label: i.action.label ?? '',
    text: i.action.type === 'message' ? (i.action.text ?? null) : null,
  }));
}

describe('ช่วยเหลือ lists the words anyone may type, then only the person’s own role’s', () => {
  it.each([
    ['teacher', [], ['นัดนิเทศ', 'สรุป SAR', 'ค้างส่ง', 'รายงาน', 'เข้าเว็บ']],
    ['principal', ['ค้างส่ง', 'ข้อตกลงค้าง', 'รับทราบ'], ['นัดนิเทศ', 'สรุป SAR', 'รายงาน', 'เข้าเว็บ']],
    ['supervisor', ['นัดนิเทศ', 'SAR ชื่อโรงเรียน', 'ข้อตกลงค้าง', 'เข้าเว็บ'], ['สรุป SAR', 'ต่ำกว่าเป้า', 'รายงาน']],
    ['director', ['สรุป SAR', 'ต่ำกว่าเป้า', 'รายงาน', 'เข้าเว็บ'], ['นัดนิเทศ', 'SAR ชื่อโรงเรียน', 'ข้อตกลงค้าง']],
  ] as const)('%s', async (role, has, hasNot) => {
    const { texts } = await say(users[role], 'ช่วยเหลือ');
    const help = texts.join('\n');
    // Everyone: the common words, pausing, and the privacy words for a copy and for erasure.
    for (const word of ['• เมนู', '• เช็กลิสต์', '• หยุด', 'ขอสำเนาข้อมูล', 'ลบข้อมูลของฉัน', '• ช่วยเหลือ']) {
      expect(help).toContain(word);
    }
    for (const word of has) expect(help).toContain(`• ${word}`);
    for (const word of hasNot) expect(help).not.toContain(`• ${word}`);
  });
});

describe('the menu carries each role’s actions', () => {
  it.each([
    ['teacher', ['เช็กลิสต์', 'สถานะ', 'ตั้งค่า', 'ช่วยเหลือ']],
    ['principal', ['ค้างส่ง', 'ข้อตกลงค้าง', 'สรุปสัปดาห์นี้', 'เช็กลิสต์', 'สถานะ', 'ตั้งค่า', 'ช่วยเหลือ']],
    [
      'supervisor',
      [
        'นัดนิเทศ',
        'ตารางนิเทศ',
        'บันทึกนิเทศ',
        'SAR',
        'ข้อตกลงค้าง',
        'ค้างส่ง',
        'สรุปสัปดาห์นี้',
        'เข้าเว็บ',
        'เช็กลิสต์',
        'สถานะ',
        'ตั้งค่า',
        'ช่วยเหลือ',
      ],
    ],
    [
      'director',
      ['สรุป SAR', 'ต่ำกว่าเป้า', 'ค้างส่ง', 'สรุปสัปดาห์นี้', 'รายงาน', 'เข้าเว็บ', 'เช็กลิสต์', 'สถานะ', 'ตั้งค่า', 'ช่วยเหลือ'],
    ],
  ] as const)('%s: every quick reply is understood typed', async (role, labels) => {
    const user = users[role];
    const menu = await say(user, 'เมนู');
    const quick = quickReplies(menu.body);
    expect(quick.map((q) => q.label)).toEqual(labels);
    const pushes = h.line.pushes().length;
    for (const q of quick) {
      if (q.text === null) continue;
      const { texts } = await say(user, q.text);
      expect(texts.length, q.text).toBeGreaterThan(0);
      expect(texts.join('\n'), q.text).not.toMatch(/ไม่เข้าใจข้อความนี้|ใช้ได้เฉพาะ|ดูได้เฉพาะ|มีให้|ขออภัย/);
      // Leave whatever flow the word started (planning a visit asks for a school).
      await say(user, 'ยกเลิก');
    }
    expect(h.line.pushes()).toHaveLength(pushes); // all by reply
  });
});

describe('the principal’s ค้างส่ง', () => {
  it('lists who at their school has not answered each open campaign, and no one of another school', async () => {
    const names = await queryRows<{ name: string; own: boolean }>(
      h.db.db,
      sql`SELECT p.display_name AS name, p.school_id = me.school_id AS own
            FROM people p, people me
           WHERE me.line_user_id = ${users.principal} AND p.office_id = me.office_id AND p.role = 'teacher'`,
    );
    const { texts } = await say(users.principal, 'ค้างส่ง');
    const text = texts.join('\n');
    expect(text).toMatch(/ยังไม่ได้ส่งแบบที่เปิดอยู่ \(โรงเรียนของท่าน\)/);
    expect(text).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ ภาคเรียนที่ 2/2569');
    const own = names.filter((n) => n.own).map((n) => n.name);
    expect(own.length).toBeGreaterThan(0);
    expect(own.some((n) => text.includes(n))).toBe(true);
    for (const n of names.filter((x) => !x.own)) expect(text).not.toContain(n.name);
    expect(
      await count(h.db.db, sql`audit_log WHERE action = 'names.view' AND target_type = 'overdue'`),
    ).toBeGreaterThan(0);
  });
});

describe('the supervisor’s ข้อตกลงค้าง', () => {
  it('lists the open follow-ups of their schools, soonest due first, and none of other schools', async () => {
    await h.db.db.execute(sql`
      WITH sup AS (SELECT id, office_id FROM people WHERE line_user_id = ${users.supervisor}),
           mine AS (SELECT s.id FROM schools s JOIN sup ON s.office_id = sup.office_id
                     WHERE EXISTS (SELECT 1 FROM supervisor_assignments sa WHERE sa.supervisor_id = sup.id
                                     AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))
                     ORDER BY s.code LIMIT 1),
           other AS (SELECT s.id FROM schools s JOIN sup ON s.office_id = sup.office_id
                      WHERE NOT EXISTS (SELECT 1 FROM supervisor_assignments sa WHERE sa.supervisor_id = sup.id
                                          AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))
                      ORDER BY s.code LIMIT 1),
           v AS (
             INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status)
             SELECT gen_random_uuid(), sup.office_id, x.id, sup.id, '2026-11-10T02:00:00Z', 'ทดสอบ', 'done'
               FROM sup, (SELECT id, 1 AS k FROM mine UNION ALL SELECT id, 2 FROM other) x
             RETURNING id, office_id, school_id)
      INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, owner_th, due_on)
      SELECT gen_random_uuid(), v.office_id, v.school_id, v.id, 1,
             CASE WHEN v.school_id IN (SELECT id FROM mine) THEN 'จัดทำแผนพัฒนาการอ่าน' ELSE 'ข้อตกลงของโรงเรียนอื่น' END,
             'ครูวิชาการ', '2026-11-18'
        FROM v`);
    const text = (await say(users.supervisor, 'ข้อตกลงค้าง')).texts.join('\n');
    expect(text).toMatch(/ข้อตกลงจากการนิเทศที่ยังค้าง/);
    expect(text).toMatch(/จัดทำแผนพัฒนาการอ่าน — ครูวิชาการ · กำหนด 18 พ\.ย\. 2569 \(เลยกำหนด 2 วัน\)/);
    expect(text).not.toContain('ข้อตกลงของโรงเรียนอื่น');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'actions.view'`)).toBeGreaterThan(0);
  });
});

describe('the director’s words', () => {
  it('สรุปสัปดาห์นี้ is this week’s digest by reply, audited, nothing queued', async () => {
    const items = await count(h.db.db, sql`outbox_items WHERE kind = 'digest'`);
    const { body, texts } = await say(users.director, 'สรุปสัปดาห์นี้');
    expect(texts.join()).toMatch(/สรุปประจำสัปดาห์/);
    expect(JSON.stringify(body)).toContain('"type":"flex"');
    expect(await count(h.db.db, sql`outbox_items WHERE kind = 'digest'`)).toBe(items);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'digest.view'`)).toBeGreaterThan(0);
  });

  it('รายงาน gives a one-time link that lands on the office’s reports page; a principal is refused', async () => {
    const text = (await say(users.director, 'รายงาน')).texts.join('\n');
    const link = /http:\/\/nithet\.test(\/admin\/signin\/[A-Za-z0-9_-]{43}\?to=reports)/.exec(text)?.[1] ?? '';
    expect(link).not.toBe('');
    const html = await (await h.fetch(link)).text();
    expect(html).toContain(`action="${link}"`);
    const res = await h.fetch(link, { method: 'POST', headers: { origin: ORIGIN }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/offices/${demo.office.id}/reports`);
    const cookie = /nithet_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const page = await h.fetch(`/admin/offices/${demo.office.id}/reports`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect((await say(users.principal, 'รายงาน')).texts.join()).toMatch(/เปิดให้ผู้ดูแลระบบ/);
  });
});
