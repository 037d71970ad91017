// The term of a school's self-assessment comes from the office's own calendar (issue 15): an office whose term 2
// starts on 1 December, not in November. Through the signed webhook, a visit planned for 25 November opens the
// school's term-1 self-assessment (the usual split would say term 2), and one on 3 December its term-2 one; a
// visit of the imported annual plan, announced by the tick, is named by the calendar too. A report's and a
// ranking's default academic year is the calendar's as well: its year 2570 starts on 26 April 2027; so is the
// dashboard's.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { rankOffice } from '../../src/honours/honours.actions.js';
import { buildReport } from '../../src/reports/build.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { officeHealth } from '../../src/web/web.queries.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
const SUP = userId('office-term-sup');
const TITLE = 'แบบประเมินตนเองก่อนรับการนิเทศ โรงเรียน';

async function text(user: string, t: string): Promise<string> {
  const before = h.line.replies().length;
  expect((await h.webhook(body(ev.text(t, { user })))).status).toBe(200);
  await h.settle();
  return h.line
    .replies()
    .slice(before)
    .flatMap((r) => replyTexts(r.body))
    .join('\n');
}

/** The self-assessment campaign title of the school's visit starting at `iso`. */
const titleOf = async (iso: string) =>
  (
    await one<{ title: string }>(
      h.db.db,
      sql`SELECT c.title_th AS title FROM visits v JOIN campaigns c ON c.id = v.self_assessment_campaign_id
           WHERE v.starts_at = ${iso}::timestamptz`,
    )
  ).title;

async function plan(school: string, when: string) {
  await text(SUP, 'นัดนิเทศ');
  await text(SUP, school);
  await text(SUP, when);
  await text(SUP, 'ติดตามการจัดการเรียนรู้');
  expect(await text(SUP, 'ยืนยัน')).toMatch(/บันทึกนัดนิเทศ/);
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026, 09:00 in Bangkok
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND external_id = 'demo-supervisor-1'`,
  );
  const [invite] = await issueInvites(h.db.db, demo.office.id, [p?.id ?? ''], h.clock.now);
  expect(await text(SUP, invite?.code ?? '')).toMatch(/ใช่ไหม/);
  expect(await text(SUP, 'ใช่')).toMatch(/ยินดีต้อนรับ/); // whose account it is: confirmed
  await h.db.db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
    VALUES (${demo.office.id}, 'term', 'ภาคเรียนที่ 1/2569', '2026-05-16', '2026-11-30', 2569, 1),
           (${demo.office.id}, 'term', 'ภาคเรียนที่ 2/2569', '2026-12-01', '2027-03-31', 2569, 2),
           (${demo.office.id}, 'term', 'ภาคเรียนที่ 1/2570', '2027-04-26', '2027-10-08', 2570, 1)`);
});
afterAll(() => h.close());

describe('the term by the office calendar', () => {
  it('a visit planned in chat names its self-assessment by the calendar’s term', async () => {
    await plan('บ้านหนองน้ำใส', '25/11/2569 09:30');
    expect(await titleOf('2026-11-25T02:30:00Z')).toBe(`${TITLE}บ้านหนองน้ำใส ภาคเรียนที่ 1/2569`);
    await plan('บ้านหนองน้ำใส', '3/12/2569 09:30');
    expect(await titleOf('2026-12-03T02:30:00Z')).toBe(`${TITLE}บ้านหนองน้ำใส ภาคเรียนที่ 2/2569`);
  });

  it('a visit of the imported plan, announced by the tick, is named by the calendar too', async () => {
    await h.db.db.execute(sql`
      INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, source)
      SELECT gen_random_uuid(), s.office_id, s.id, p.id, '2026-11-26T02:30:00Z', 'ตามแผนนิเทศประจำปี', 'plan'
        FROM schools s, people p
       WHERE s.office_id = ${demo.office.id} AND s.name_th = 'โรงเรียนบ้านโคกสว่าง'
         AND p.external_id = 'demo-supervisor-1' AND p.office_id = s.office_id`);
    await tick(h.deps, h.clock.now + 60_000);
    expect(await titleOf('2026-11-26T02:30:00Z')).toBe(`${TITLE}บ้านโคกสว่าง ภาคเรียนที่ 1/2569`);
  });
});

describe('a report’s and a ranking’s default academic year', () => {
  it('is the calendar’s term’s year (the usual split would say the year before in April)', async () => {
    const now = Date.parse('2027-04-28T03:00:00Z');
    const report = await buildReport(h.db.db, demo.office.id, 'office', {}, { now });
    expect(report.period).toMatchObject({ year: 2570, from: '2027-04-26', to: '2027-10-08', assumed: false });
    const ranking = await rankOffice(h.db.db, demo.office.id, {}, now);
    expect(ranking.period.year).toBe(2570);
    // Before the calendar's year starts, the split and the calendar agree.
    const before = await buildReport(
      h.db.db,
      demo.office.id,
      'office',
      {},
      { now: Date.parse('2027-04-20T03:00:00Z') },
    );
    expect(before.period.year).toBe(2569);
  });
});

describe('the dashboard’s academic year', () => {
  it('is the calendar’s term’s year, else the usual split (src/time/term.ts)', async () => {
    const yearAt = async (iso: string) => {
      const row = await officeHealth(h.db.db, demo.office.id, Date.parse(iso));
      return [row?.academic_year, (row?.year_terms ?? 0) > 0];
    };
    // In the calendar's term 1/2570, opened 26 April: 2570, which has a term (the split would say 2569).
    expect(await yearAt('2027-04-28T03:00:00Z')).toEqual([2570, true]);
    // In the break before it, the split: 2569, which has terms.
    expect(await yearAt('2027-04-20T03:00:00Z')).toEqual([2569, true]);
    // After the calendar's last term, the split again: 2570 until 15 May 2028.
    expect(await yearAt('2028-05-15T03:00:00Z')).toEqual([2570, true]);
    expect(await yearAt('2028-05-16T03:00:00Z')).toEqual([2571, false]); // and the page asks for its terms
  });
});
