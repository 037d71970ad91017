// The school's self-assessment of a new term starts from the last one (issue 15 item 2): through the signed
// webhook, a visit planned in term 2 opens the school's term-2 self-assessment, and each question offers the
// answer the school submitted in term 1 as its default ("ใช้คำตอบนี้"); the principal keeps it with a tap or
// answers anew. A school with no earlier self-assessment gets no default.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChecklist } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
const SUP = userId('prefill-sup');
const PRI = userId('prefill-pri-1');
const PRI2 = userId('prefill-pri-2');
const ids = { school1: '', school2: '' };

async function say(event: unknown): Promise<{ text: string; json: string }> {
  const before = h.line.replies().length;
  const res = await h.webhook(body(event));
  expect(res.status).toBe(200);
  await h.settle();
  expect(h.line.invalid()).toEqual([]);
  const replies = h.line.replies().slice(before);
  return { text: replies.flatMap((r) => replyTexts(r.body)).join('\n'), json: JSON.stringify(replies) };
}
const text = (user: string, t: string) => say(ev.text(t, { user }));
const tap = (user: string, data: string) => say(ev.postback(data, { user }));
const button = (json: string, label: string) => new RegExp(`"label":"${label}","data":"([^"]+)"`).exec(json)?.[1] ?? '';

async function link(externalId: string, user: string) {
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(h.db.db, demo.office.id, [p?.id ?? ''], h.clock.now);
  expect((await text(user, invite?.code ?? '')).text).toMatch(/ใช่ไหม/);
  expect((await text(user, 'ใช่')).text).toMatch(/ยินดีต้อนรับ/); // whose account it is: confirmed
}

/** Plans a visit in chat and returns the school's term self-assessment campaign it opened. */
async function plan(school: string, when: string): Promise<string> {
  await text(SUP, 'นัดนิเทศ');
  await text(SUP, school);
  await text(SUP, when);
  await text(SUP, 'ติดตามการจัดการเรียนรู้');
  expect((await text(SUP, 'ยืนยัน')).text).toMatch(/บันทึกนัดนิเทศ/);
  const v = await one<{ cp: string }>(
    h.db.db,
    sql`SELECT self_assessment_campaign_id AS cp FROM visits v JOIN schools s ON s.id = v.school_id
         WHERE s.name_th = ${`โรงเรียน${school}`}`,
  );
  return v.cp;
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026: term 2/2569
  await link('demo-supervisor-1', SUP);
  await link('demo-principal-1', PRI);
  await link('demo-principal-2', PRI2);
  const schools = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM schools WHERE office_id = ${demo.office.id} ORDER BY code`,
  );
  ids.school1 = schools[0]?.id ?? '';
  ids.school2 = schools[1]?.id ?? '';
  // Term 1/2569: school 1's self-assessment, submitted in August.
  const ck = await findChecklist(h.db.db, demo.office.id, 'pre-visit-self-assessment');
  const principal = await one<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE external_id = 'demo-principal-1' AND office_id = ${demo.office.id}`,
  );
  await h.db.db.execute(sql`
    WITH cp AS (
      INSERT INTO campaigns (office_id, checklist_id, title_th, roles, school_ids, opens_at, due_at, closed_at, system)
      VALUES (${demo.office.id}, ${ck?.id}, 'แบบประเมินตนเองก่อนรับการนิเทศ โรงเรียนบ้านหนองน้ำใส ภาคเรียนที่ 1/2569',
              ARRAY['principal'], ARRAY[${ids.school1}::uuid], '2026-08-01T02:00:00Z', '2026-08-20T02:00:00Z',
              '2026-08-20T02:00:00Z', true)
      RETURNING id, office_id, checklist_id),
    r AS (
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, started_by, status,
                             started_at, submitted_at, updated_at)
      SELECT gen_random_uuid(), office_id, id, checklist_id, ${ids.school1}, ${ids.school1}, ${principal.id},
             'submitted', '2026-08-10T03:00:00Z', '2026-08-12T03:00:00Z', '2026-08-12T03:00:00Z' FROM cp
      RETURNING id)
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
    SELECT r.id, x.k, 0, x.v, ${principal.id}, '2026-08-12T03:00:00Z'
      FROM r, (VALUES ('semester', '"1"'::jsonb), ('curriculum', '3'::jsonb),
                      ('curriculum_note', '"ใช้หลักสูตรฉบับปรับปรุงปี 2568"'::jsonb), ('learning', '4'::jsonb)) AS x(k, v)`);
});
afterAll(() => h.close());

describe('a new term’s self-assessment', () => {
  it('offers last term’s answers as each question’s default; the principal keeps one with a tap or answers anew', async () => {
    const cp = await plan('บ้านหนองน้ำใส', '25/11/2569 09:30');
    const first = await tap(PRI, `a=open&c=${cp}`);
    expect(first.text).toContain('ประเมินสำหรับภาคเรียนใด');
    expect(first.text).toContain('คำตอบครั้งก่อน (ภาคเรียนที่แล้ว): ภาคเรียนที่ 1');
    // Term 2 now: the principal answers anew.
    const curriculum = await tap(PRI, button(first.json, 'ภาคเรียนที่ 2'));
    expect(curriculum.text).toContain('ตัวชี้วัดที่ 1');
    expect(curriculum.text).toMatch(/คำตอบครั้งก่อน \(ภาคเรียนที่แล้ว\): 3/);
    const keep = button(curriculum.json, 'ใช้คำตอบนี้');
    expect(keep).not.toBe('');
    const note = await tap(PRI, keep);
    expect(note.text).toContain('คำตอบครั้งก่อน (ภาคเรียนที่แล้ว): ใช้หลักสูตรฉบับปรับปรุงปี 2568');
    const learning = await text(PRI, 'ใช้คำตอบนี้'); // typed, as on LINE for PC
    expect(learning.text).toMatch(/คำตอบครั้งก่อน \(ภาคเรียนที่แล้ว\): 4/);
    // An item last term left blank has no default.
    const learningNote = await tap(PRI, button(learning.json, 'ใช้คำตอบนี้'));
    expect(learningNote.text).toContain('ร่องรอย/หลักฐานโดยย่อ ตัวชี้วัดที่ 2');
    expect(learningNote.text).not.toContain('คำตอบครั้งก่อน');
    expect(button(learningNote.json, 'ใช้คำตอบนี้')).toBe('');
    const saved = await queryRows<{ item_key: string; value: unknown }>(
      h.db.db,
      sql`SELECT a.item_key, a.value FROM answers a JOIN responses r ON r.id = a.response_id
           WHERE r.campaign_id = ${cp} ORDER BY a.item_key`,
    );
    expect(Object.fromEntries(saved.map((a) => [a.item_key, a.value]))).toEqual({
      semester: '2',
      curriculum: 3,
      curriculum_note: 'ใช้หลักสูตรฉบับปรับปรุงปี 2568',
      learning: 4,
    });
  });

  it('a school without an earlier self-assessment starts empty', async () => {
    const cp = await plan('บ้านโคกสว่าง', '26/11/2569 09:30');
    const first = await tap(PRI2, `a=open&c=${cp}`);
    expect(first.text).toContain('ประเมินสำหรับภาคเรียนใด');
    expect(first.text).not.toContain('คำตอบครั้งก่อน');
    expect(button(first.json, 'ใช้คำตอบนี้')).toBe('');
  });
});
