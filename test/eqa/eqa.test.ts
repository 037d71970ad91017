// External quality assessment (สมศ.) over HTTP (issue 16 item 4): the office's overview counts the schools ready to
// propose and due this year by the one readiness rule; an admin records a school's IQA steps and scheduled date and
// types สมศ.'s levels, which the school page shows beside the school's own SAR levels; results imported from CSV
// name each bad row and column and write nothing until the file is good. Audited; directors read, supervisors have
// no office-wide page; the API is the same action.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE, personCookie, postFields } from '../support/web.js';
import { school, seedSar, type SarFixture } from '../sar/fixture.js';

let h: Harness;
let f: SarFixture;
const cookie = { admin: '', director: '', supervisor: '' };
const id: Record<number, string> = {};
const ALL_STEPS = ['standards', 'plan', 'implement', 'assess', 'follow_up'];

const api = (method: string, path: string, body?: string, type = 'application/json') =>
  h.fetch(`/admin/api/v1/offices/DEMO1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type },
    ...(body === undefined ? {} : { body }),
  });

interface Overview {
  ready: number;
  toPropose: number;
  dueThisYear: number;
  schools: { id: string; readiness: { status: string; missing: string[] }; toPropose: boolean; dueThisYear: boolean }[];
}
const overview = async () => (await api('GET', '/eqa')).json<Overview>();
const of = (o: Overview, i: number) => o.schools.find((s) => s.id === id[i]);

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  f = await seedSar(h.db.db, h.clock.now);
  for (const role of ['admin', 'director', 'supervisor'] as const) {
    cookie[role] = await personCookie(h, f.demo, role);
  }
  for (const i of [0, 1, 6, 2]) {
    id[i] = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${school(i).code}`)).id;
  }
}, 180_000);
afterAll(() => h.close());

describe('readiness and the overview', () => {
  it('reads each school by the rule: no SAR, a standard below ดี, steps not seen; ready once the steps are in', async () => {
    let o = await overview();
    expect(o.ready).toBe(0);
    expect(of(o, 2)?.readiness.status).toBe('no_sar');
    expect(of(o, 0)?.readiness.missing).toContain('มาตรฐานที่ 1 ระดับ 2 (ต้องไม่ต่ำกว่า 3 ดี)');
    // The admin records school 1's five IQA steps on the web (school 1's SAR: 3, 3, 4).
    const res = await postFields(h, `${OFFICE}/eqa/schools/${id[1]}`, cookie.admin, [
      ...ALL_STEPS.map((s): [string, string] => ['iqaSteps', s]),
      ['scheduledOn', ''],
      ['noteTh', 'ผ่านการนิเทศ IQA ครบ'],
    ]);
    expect(res.status).toBe(303);
    o = await overview();
    expect(of(o, 1)).toMatchObject({ readiness: { status: 'ready', missing: [] }, toPropose: true });
    expect(of(o, 6)?.readiness.status).toBe('not_ready');
    expect([o.ready, o.toPropose, o.dueThisYear]).toEqual([1, 1, 0]);
    const a = await one<{ actor: string; target_id: string }>(
      h.db.db,
      sql`SELECT actor, target_id FROM audit_log WHERE action = 'eqa.update'`,
    );
    expect(a).toEqual({ actor: expect.stringMatching(/^person:/), target_id: id[1] });
    const page = await (await getPage(h, `${OFFICE}/eqa?show=propose`, cookie.director)).text();
    expect(page.match(/<tr data-school=/g)).toHaveLength(1);
    expect(page).toContain(school(1).nameTh);
    expect(page).toContain('<dd data-figure="propose"><a href="/admin/offices/DEMO1/eqa?show=propose">1</a></dd>');
    expect(page).not.toContain(`/eqa/schools/`);
  });

  it('a scheduled date this academic year makes it due and no longer one to propose; a bad date is named', async () => {
    const bad = await postFields(h, `${OFFICE}/eqa/schools/${id[1]}`, cookie.admin, [
      ...ALL_STEPS.map((s): [string, string] => ['iqaSteps', s]),
      ['scheduledOn', '31/2/2570'],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p id="scheduledOn-error" class="field-error">อ่านวันที่ไม่ได้');
    const put = await api(
      'PUT',
      `/eqa/schools/${id[1]}`,
      JSON.stringify({ iqaSteps: ALL_STEPS, scheduledOn: '2027-01-20', noteTh: null }),
    );
    expect(put.status).toBe(204);
    const o = await overview();
    expect(of(o, 1)).toMatchObject({ dueThisYear: true, toPropose: false });
    expect([o.ready, o.toPropose, o.dueThisYear]).toEqual([1, 0, 1]);
    const wrong = await api(
      'PUT',
      `/eqa/schools/${id[1]}`,
      JSON.stringify({ iqaSteps: ['dance'], scheduledOn: null, noteTh: null }),
    );
    expect(wrong.status).toBe(400);
    expect((await wrong.json<{ error: { issues: { field: string }[] } }>()).error.issues[0]?.field).toBe('iqaSteps.0');
  });
});

describe('results and the comparison', () => {
  it('typed on the web: the school page shows สมศ.’s level beside the SAR’s, with the difference', async () => {
    const none = await postFields(h, `${OFFICE}/eqa/schools/${id[1]}/results`, cookie.admin, {
      assessedOn: '20/1/2570',
    });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('<p id="levels-error" class="field-error">');
    const res = await postFields(h, `${OFFICE}/eqa/schools/${id[1]}/results`, cookie.admin, {
      assessedOn: '20/1/2570',
      level1: '4',
      level2: '3',
      level3: '',
    });
    expect(res.status).toBe(303);
    const rows = await count(h.db.db, sql`eqa_results WHERE school_id = ${id[1]}::uuid AND assessed_on = '2027-01-20'`);
    expect(rows).toBe(2);
    const html = await (await getPage(h, `${OFFICE}/schools/${id[1]}`, cookie.supervisor)).text();
    const cells = (n: number) =>
      new RegExp(
        `<tr data-standard="${n}">[\\s\\S]*?data-figure="own">([^<]*)<[\\s\\S]*?data-figure="external">([^<]*)<[\\s\\S]*?data-figure="difference">([^<]*)<`,
      )
        .exec(html)
        ?.slice(1);
    // School 1's SAR: 3, 3, 4.
    expect(cells(1)).toEqual(['3', '4', '+1']);
    expect(cells(2)).toEqual(['3', '3', '0']);
    expect(cells(3)).toEqual(['4', '–', '–']);
    expect(html).toContain('พร้อมรับการประเมิน');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'eqa.results'`)).toBe(1);
  });

  it('imported from CSV: each bad row named by row and column, nothing written; then the good file is saved', async () => {
    const before = await count(h.db.db, sql`eqa_results`);
    const bad = [
      'รหัสโรงเรียน,วันที่ประเมิน,มาตรฐาน,ระดับคุณภาพ',
      `1234567890,15/1/2570,1,4`,
      `${school(6).code},31/13/2570,1,4`,
      `${school(6).code},15/1/2570,มาตรฐานที่ 2,ดีมาก`,
      `${school(6).code},15/1/2570,9x,5`,
    ].join('\n');
    const res = await api('POST', '/imports/eqa', bad, 'text/csv; charset=utf-8');
    expect(res.status).toBe(400);
    const issues = (await res.json<{ error: { issues: { row: number; field: string; message: string }[] } }>()).error
      .issues;
    expect(issues.map((i) => [i.row, i.field])).toEqual([
      [2, 'school_code'],
      [3, 'assessed_on'],
      [4, 'level'],
      [5, 'standard'],
    ]);
    expect(issues[0]?.message).toContain('ไม่พบโรงเรียนรหัส 1234567890');
    expect(await count(h.db.db, sql`eqa_results`)).toBe(before);
    const good = [
      'รหัสโรงเรียน,วันที่ประเมิน,มาตรฐาน,ระดับคุณภาพ',
      `${school(6).code},15/1/2570,1,5 ยอดเยี่ยม`,
      `${school(6).code},15/1/2570,มาตรฐานที่ 2,ดีเลิศ`,
      `${school(6).code},2027-01-15,3,3`,
    ].join('\n');
    const ok = await api('POST', '/imports/eqa', good, 'text/csv; charset=utf-8');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ written: 3, created: 3 });
    const levels = await one<{ l: number[] }>(
      h.db.db,
      sql`SELECT array_agg(level ORDER BY standard) AS l FROM eqa_results WHERE school_id = ${id[6]}::uuid`,
    );
    expect(levels.l).toEqual([5, 4, 3]);
    // The imports page names the column in Thai for a bad row.
    const form = new FormData();
    form.set('kind', 'eqa');
    form.set('file', new Blob([bad], { type: 'text/csv' }), 'eqa.csv');
    const page = await h.fetch(`${OFFICE}/imports`, {
      method: 'POST',
      headers: { cookie: cookie.admin, origin: 'http://nithet.test' },
      body: form,
    });
    const text = await page.text();
    expect(text).toContain('ระดับคุณภาพ');
    expect(text).toContain('วันที่ประเมิน');
  });
});

describe('who may', () => {
  it('a director reads the overview and no form; a supervisor has no office-wide page; both 403 on writes', async () => {
    expect((await getPage(h, `${OFFICE}/eqa`, cookie.director)).status).toBe(200);
    expect((await getPage(h, `${OFFICE}/eqa`, cookie.supervisor)).status).toBe(403);
    const before = await count(h.db.db, sql`eqa_schools`);
    for (const c of [cookie.director, cookie.supervisor]) {
      expect((await getPage(h, `${OFFICE}/eqa/schools/${id[6]}`, c)).status).toBe(403);
      expect((await postFields(h, `${OFFICE}/eqa/schools/${id[6]}`, c, { iqaSteps: 'plan' })).status).toBe(403);
      expect(
        (await postFields(h, `${OFFICE}/eqa/schools/${id[6]}/results`, c, { assessedOn: '1/2/2570', level1: '5' }))
          .status,
      ).toBe(403);
    }
    expect(await count(h.db.db, sql`eqa_schools`)).toBe(before);
  });
});
