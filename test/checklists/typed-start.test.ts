// LINE on PC has no buttons to tap (issue 17, item 4): at home, `เริ่ม` opens the one checklist left to answer, a
// number opens that line of the list, and words of an open checklist's title open it (several matches are offered as
// quick replies); with several left, `เริ่ม` shows the list. A started checklist opened by typing resumes at its first
// unanswered item with its answers. Through the signed webhook.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
const TEACHER = userId('typed-start-teacher');
const PRINCIPAL = userId('typed-start-principal');
const say = async (user: string, text: string) =>
  (await h.post(ev.text(text, { user }))).flatMap(replyTexts).join('\n');
const responses = (user: string) =>
  count(h.db.db, sql`responses r JOIN people p ON p.id = r.started_by WHERE p.line_user_id = ${user}`);

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  await say(TEACHER, persona(demo, 'teacher').inviteCode);
  await say(TEACHER, 'ใช่');
  await say(PRINCIPAL, persona(demo, 'principal').inviteCode);
  await say(PRINCIPAL, 'ใช่');
});
afterAll(() => h.close());

describe('typed starts at the checklist list', () => {
  it('เริ่ม opens the teacher’s one open checklist', async () => {
    expect(await responses(TEACHER)).toBe(0);
    const reply = await say(TEACHER, 'เริ่ม');
    expect(reply).toMatch(/ข้อ 1\//);
    expect(await responses(TEACHER)).toBe(1);
  });

  it('with several open, เริ่ม shows the list and a number (Thai digits too) opens that one', async () => {
    await say(PRINCIPAL, 'เช็กลิสต์');
    const lastMessages = () => JSON.stringify((h.line.replies().at(-1)?.body as { messages?: unknown }).messages);
    const list = lastMessages();
    const reply = await say(PRINCIPAL, 'เริ่ม');
    expect(lastMessages()).toBe(list);
    expect(reply).not.toMatch(/ข้อ 1\//);
    expect(await responses(PRINCIPAL)).toBe(0);
    expect(await say(PRINCIPAL, '๒')).toMatch(/ข้อ 1\//);
    expect(await responses(PRINCIPAL)).toBe(1);
  });

  it('a started checklist opened by typing (title words, เริ่ม, its number) resumes where it was', async () => {
    expect(await say(TEACHER, '1')).toMatch(/ข้อ 2\//); // the first choice of the first question, typed
    for (const typed of ['สำรวจสภาพปัญหาค่ะ', 'เริ่ม', '๑']) {
      expect(await say(TEACHER, 'พักไว้ก่อน')).not.toMatch(/ข้อ \d/);
      const reply = await say(TEACHER, typed);
      expect(reply, typed).toMatch(/ข้อ 2\//);
      expect(reply, typed).not.toMatch(/ข้อ 1\//);
    }
    expect(await responses(TEACHER)).toBe(1);
  });

  it('title words several checklists share are offered as quick replies; a flow’s word is never taken', async () => {
    await say(PRINCIPAL, 'พักไว้ก่อน');
    await h.db.db.execute(sql`INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
      SELECT office_id, checklist_id, 'ประเมินตนเองด้านสถานะการตั้งค่าห้องเรียน', roles, opens_at, due_at + interval '1 day'
        FROM campaigns WHERE office_id = ${demo.office.id} AND title_th LIKE 'ประเมินตนเองก่อนรับการนิเทศ%'`);
    const before = await responses(PRINCIPAL);
    await say(PRINCIPAL, 'ประเมินตนเอง นะคะ');
    const last = h.line.replies().at(-1)?.body as { messages: { text?: string; quickReply?: { items: unknown[] } }[] };
    const offered = JSON.stringify(last.messages.at(-1)?.quickReply?.items);
    expect(last.messages.at(-1)?.text).toMatch(/^มี 2 แบบ/);
    expect(offered).toContain('ประเมินตนเองก่อนรับการนิเทศ');
    expect(offered).toContain('ประเมินตนเองด้านสถานะ');
    expect(offered).toMatch(/"data":"a=open&c=/);
    expect(await responses(PRINCIPAL)).toBe(before);
    // One match opens it; the settings word and a global word in its title stay theirs.
    expect(await say(PRINCIPAL, 'สถานะการตั้งค่า')).toMatch(/ข้อ 1\//);
    expect(await responses(PRINCIPAL)).toBe(before + 1);
    await say(PRINCIPAL, 'พักไว้ก่อน');
    expect(await say(PRINCIPAL, 'ตั้งค่า')).not.toMatch(/ข้อ \d/);
    await say(PRINCIPAL, 'ยกเลิก');
    expect(await say(PRINCIPAL, 'สถานะ')).not.toMatch(/ข้อ \d/);
  });

  it('a number beyond the list is not taken for a checklist', async () => {
    await say(PRINCIPAL, 'พักไว้ก่อน');
    const before = await responses(PRINCIPAL);
    expect(await say(PRINCIPAL, '99')).not.toMatch(/ข้อ 1\//);
    expect(await responses(PRINCIPAL)).toBe(before);
  });
});
