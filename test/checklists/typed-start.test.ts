// LINE on PC has no buttons to tap (issue 17, item 4): at home, `เริ่ม` opens the one checklist left to answer and a
// number opens that line of the list; with several left, `เริ่ม` shows the list. Through the signed webhook.
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
  await say(PRINCIPAL, persona(demo, 'principal').inviteCode);
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

  it('a number beyond the list is not taken for a checklist', async () => {
    await say(PRINCIPAL, 'พักไว้ก่อน');
    const before = await responses(PRINCIPAL);
    expect(await say(PRINCIPAL, '99')).not.toMatch(/ข้อ 1\//);
    expect(await responses(PRINCIPAL)).toBe(before);
  });
});
