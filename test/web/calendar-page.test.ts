// The calendar page over HTTP: the year's Thai public holidays offered for the admin to confirm (from the data
// generated out of date-holidays' TH rules), a renamed and a left-out one, saved through upsertCalendar and audited,
// then not offered again; a year without a term says so; directors read without the form and cannot write;
// supervisors see nothing; a forged date is refused and writes nothing. The dashboard says when today's academic year
// has no term, with a link to the calendar.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed.js';
import type { Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { getPage, postFields, webOffice } from '../support/web.js';

type Who = 'admin' | 'director' | 'supervisor';
let h: Harness;
let demo: DemoSeed;
const cookies = {} as Record<Who, string>;
const BASE = '/admin/offices/DEMO1/calendar';

const get = (who: Who, path: string) => getPage(h, path, cookies[who]);
const post = (who: Who, path: string, form: [string, string][]) => postFields(h, path, cookies[who], form);
const holidays = () =>
  count(h.db.db, sql`calendar_events WHERE kind = 'holiday' AND office_id = ${demo.office.id}::uuid`);

beforeAll(async () => {
  const w = await webOffice();
  ({ h, demo } = w);
  cookies.admin = w.admin;
  cookies.director = w.director;
  cookies.supervisor = w.supervisor;
}, 180_000);
afterAll(() => h.close());

describe('the calendar page', () => {
  it('offers the year’s public holidays to confirm; a renamed one and a left-out one are saved as chosen, audited', async () => {
    const page = await get('admin', `${BASE}?year=2570`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="date" value="2027-01-01" checked');
    expect(html).toContain('value="วันรัฐธรรมนูญ"');
    expect(html).toMatch(/date-holidays [\d.]+ \(TH\), CC BY-SA 3\.0/);
    // The source lists no Buddhist holidays for 2027 yet: the page says so.
    expect(html).toContain('ยังไม่มีวันสำคัญทางพุทธศาสนา');
    expect(html).toContain('data-figure="no-term"');
    const before = await holidays();
    const res = await post('admin', `${BASE}/holidays?year=2570`, [
      ['date', '2027-01-01'],
      ['name:2027-01-01', 'วันขึ้นปีใหม่ 2570'],
      ['date', '2027-12-10'],
      ['name:2027-12-10', 'วันรัฐธรรมนูญ'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}?year=2570&saved=2`);
    expect(await holidays()).toBe(before + 2);
    expect(
      await count(h.db.db, sql`calendar_events WHERE starts_on = '2027-01-01' AND title_th = 'วันขึ้นปีใหม่ 2570'`),
    ).toBe(1);
    expect(await count(h.db.db, sql`calendar_events WHERE starts_on = '2027-04-06'`)).toBe(0);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'calendar.upsert' AND actor LIKE 'person:%'`)).toBe(1);
    const after = await (await get('admin', `${BASE}?year=2570&saved=2`)).text();
    expect(after).toContain('บันทึกวันหยุด 2 วันแล้ว');
    expect(after).not.toContain('name="date" value="2027-01-01"');
    expect(after).toContain('name="date" value="2027-04-06"');
  });

  it('a forged date is refused and writes nothing; directors read without the form; supervisors see nothing', async () => {
    const before = await holidays();
    expect((await post('admin', `${BASE}/holidays?year=2570`, [['date', '2027-03-03']])).status).toBe(400);
    const dir = await get('director', `${BASE}?year=2570`);
    expect(dir.status).toBe(200);
    expect(await dir.text()).not.toContain('name="date"');
    expect((await post('director', `${BASE}/holidays?year=2570`, [['date', '2027-04-06']])).status).toBe(403);
    expect((await get('supervisor', BASE)).status).toBe(403);
    expect((await post('supervisor', `${BASE}/holidays?year=2570`, [['date', '2027-04-06']])).status).toBe(403);
    expect(await holidays()).toBe(before);
  });
});

describe('the dashboard without a term', () => {
  const DASH = '/admin/offices/DEMO1';
  const addTerm = (title: string, from: string, to: string, year: number | null) =>
    h.db.db.execute(sql`INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
      VALUES (${demo.office.id}::uuid, 'term', ${title}, ${from}::date, ${to}::date, ${year}, 1)`);

  it('says the academic year has no term and links the calendar, until the calendar has one in that year', async () => {
    const warned = async () => {
      const html = await (await get('director', DASH)).text();
      return html.includes('data-figure="no-year-term"');
    };
    const html = await (await get('admin', DASH)).text();
    // The harness clock is 20 Nov 2026: academic year 2569 (16 May 2026 – 15 May 2027).
    expect(html).toMatch(
      /data-figure="no-year-term">ปีการศึกษา 2569 ยังไม่มีภาคเรียน[^<]*<a href="\/admin\/offices\/DEMO1\/calendar">/,
    );
    // A term of the previous academic year does not count.
    await addTerm('ภาคเรียนที่ 2/2568', '2025-11-01', '2026-03-31', 2568);
    expect(await warned()).toBe(true);
    // A term of this academic year counts, even one that is not today's (term 1 ended in October).
    await addTerm('ภาคเรียนที่ 1/2569', '2026-05-16', '2026-10-10', 2569);
    expect(await warned()).toBe(false);
  });
});
