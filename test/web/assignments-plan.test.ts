// The supervisor assignments page and the annual visit plan page over HTTP (issue 13.3): each write goes through
// the API's own action, a refusal names its field beside it and writes nothing, a removal asks first; both pages
// link the imports page for bulk uploads. Directors read both without a form; supervisors get neither.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { academicYearOf } from '../../src/time/term.js';
import type { Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE as BASE, postFields, webOffice } from '../support/web.js';

let h: Harness;
let admin: string;
let director: string;
let supervisor: string;
let sup1 = '';
const c1School = DEMO_SCHOOLS[0] ?? { code: '', nameTh: '' };
const c2School = DEMO_SCHOOLS[8] ?? { code: '', nameTh: '' };

const get = (path: string, cookie: string) => getPage(h, `${BASE}${path}`, cookie);
const assignments = () => count(h.db.db, sql`supervisor_assignments`);

beforeAll(async () => {
  ({ h, admin, director, supervisor } = await webOffice());
  sup1 = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = 'demo-supervisor-1'`)).id;
}, 180_000);
afterAll(() => h.close());

describe('supervisor assignments', () => {
  it('lists the office’s assignments, audited, with the bulk upload linked', async () => {
    const res = await get('/assignments', admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<tr data-assignment=/g)).toHaveLength(await assignments());
    expect(html).toContain(`href="${BASE}/imports?kind=assignments"`);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'assignments.list' AND actor LIKE 'person:%'`)).toBe(1);
  });

  it('refuses a form without a target or with both, beside the field, writing nothing', async () => {
    const before = await assignments();
    for (const fields of [
      { supervisorId: sup1, kind: 'main' },
      { supervisorId: sup1, schoolCode: c2School.code, clusterCode: 'C2', kind: 'main' },
    ]) {
      const res = await postFields(h, `${BASE}/assignments`, admin, fields);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toMatch(/id="schoolCode" name="schoolCode" aria-describedby="schoolCode-error" aria-invalid="true"/);
      expect(html).toContain('<p id="schoolCode-error" class="field-error">เลือกโรงเรียนหรือกลุ่มโรงเรียนอย่างใดอย่างหนึ่ง');
    }
    const res = await postFields(h, `${BASE}/assignments`, admin, { schoolCode: c2School.code, kind: 'main' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<p id="supervisorId-error" class="field-error">');
    expect(await assignments()).toBe(before);
  });

  it('adds one with the API’s action, then removes it only after the confirmation', async () => {
    const before = await assignments();
    const res = await postFields(h, `${BASE}/assignments`, admin, {
      supervisorId: sup1,
      schoolCode: c2School.code,
      kind: 'joint',
      learningArea: 'math',
    });
    expect(res.status).toBe(303);
    expect(await assignments()).toBe(before + 1);
    const row = await one<{ id: string; kind: string; learning_area: string }>(
      h.db.db,
      sql`SELECT a.id, a.kind, a.learning_area FROM supervisor_assignments a JOIN schools s ON s.id = a.school_id
           WHERE s.code = ${c2School.code} AND a.supervisor_id = ${sup1}::uuid`,
    );
    expect(row).toMatchObject({ kind: 'joint', learning_area: 'math' });
    expect(await count(h.db.db, sql`audit_log WHERE action = 'assignments.upsert' AND actor LIKE 'person:%'`)).toBe(1);
    const confirm = await get(`/assignments/${row.id}/remove`, admin);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(c2School.nameTh);
    expect(await assignments()).toBe(before + 1);
    expect((await postFields(h, `${BASE}/assignments/${row.id}/remove`, admin, {})).status).toBe(303);
    expect(await assignments()).toBe(before);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'assignment.delete' AND target_id = ${row.id}`)).toBe(1);
    expect((await get(`/assignments/${row.id}/remove`, admin)).status).toBe(404);
  });
});

describe('the annual visit plan', () => {
  const visits = () => count(h.db.db, sql`visits WHERE source = 'plan'`);

  it('shows the academic year the clock is in, with the bulk upload linked', async () => {
    const html = await (await get('/plan', admin)).text();
    expect(academicYearOf('2026-11-20')).toBe(2569);
    expect(academicYearOf('2027-05-15')).toBe(2569);
    expect(academicYearOf('2027-05-16')).toBe(2570);
    expect(html).toContain('ปีการศึกษา 2569');
    expect(html).toContain(`href="${BASE}/imports?kind=plan"`);
  });

  it('refuses a school the supervisor does not cover and an unreadable date, beside the fields', async () => {
    const before = await visits();
    const res = await postFields(h, `${BASE}/plan`, admin, {
      supervisorId: sup1,
      schoolCode: c2School.code,
      date: '2026-12-01',
      time: '10:00',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      '<p id="schoolCode-error" class="field-error">กรุณาเลือกโรงเรียนที่ศึกษานิเทศก์ท่านนี้รับผิดชอบ',
    );
    const res2 = await postFields(h, `${BASE}/plan`, admin, {
      supervisorId: sup1,
      schoolCode: c1School.code,
      date: '2026-02-30',
      time: '10:00',
    });
    expect(res2.status).toBe(400);
    const html2 = await res2.text();
    expect(html2).toMatch(/id="date" name="date" aria-describedby="date-error" aria-invalid="true"/);
    expect(html2).toContain('value="2026-02-30"');
    expect(await visits()).toBe(before);
  });

  it('adds a planned visit with the plan import’s action, audited, and lists it in the year', async () => {
    const before = await visits();
    const res = await postFields(h, `${BASE}/plan?year=2569`, admin, {
      supervisorId: sup1,
      schoolCode: c1School.code,
      date: '2026-12-01',
      time: '10:00',
      purpose: 'นิเทศการอ่าน ป.1',
    });
    expect(res.status).toBe(303);
    expect(await visits()).toBe(before + 1);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'visits.plan_import' AND actor LIKE 'person:%'`)).toBe(1);
    const html = await (await get('/plan?year=2569', director)).text();
    const row = html.split('นิเทศการอ่าน ป.1')[0]?.split('<tr data-visit=').at(-1) ?? '';
    expect(row).toContain('1 ธ.ค. 2569 10:00 น.');
    expect(row).toContain(c1School.nameTh);
    // The next year has none of it.
    expect(await (await get('/plan?year=2570', admin)).text()).not.toContain('นิเทศการอ่าน ป.1');
  });
});

describe('permissions', () => {
  it('directors read both pages without a form; supervisors get neither; neither writes', async () => {
    for (const path of ['/assignments', '/plan']) {
      const html = await (await get(path, director)).text();
      expect(html).not.toContain(`<form method="post" action="${BASE}${path}`);
      expect(html).not.toContain('/remove"');
      expect((await get(path, supervisor)).status).toBe(403);
    }
    const id = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM supervisor_assignments LIMIT 1`)).id;
    const before = { a: await assignments(), v: await count(h.db.db, sql`visits`) };
    for (const cookie of [director, supervisor]) {
      expect((await get(`/assignments/${id}/remove`, cookie)).status).toBe(403);
      expect((await postFields(h, `${BASE}/assignments/${id}/remove`, cookie, {})).status).toBe(403);
      expect(
        (await postFields(h, `${BASE}/assignments`, cookie, { supervisorId: sup1, clusterCode: 'C2', kind: 'main' }))
          .status,
      ).toBe(403);
      expect(
        (
          await postFields(h, `${BASE}/plan`, cookie, {
            supervisorId: sup1,
            schoolCode: c1School.code,
            date: '2026-12-02',
            time: '10:00',
          })
        ).status,
      ).toBe(403);
    }
    expect({ a: await assignments(), v: await count(h.db.db, sql`visits`) }).toEqual(before);
  });
});
