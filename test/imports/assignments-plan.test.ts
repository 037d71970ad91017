// The two newer import kinds: supervisor assignments (supervisor by external id → school or cluster by code) and
// the annual supervision plan (Thai B.E. or C.E. dates). Each: a dry run names every bad row in Thai and English
// and writes nothing; a real run upserts; a second run of the same file changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { FieldIssue } from '../../src/errors.js';
import type { ImportResult } from '../../src/imports/imports.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { xlsx } from './xlsx-fixture.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Result = ImportResult & { error?: { code: string; issues?: FieldIssue[] } };

let h: Harness;
const post = async (path: string, body: string | Uint8Array, type = 'text/csv') => {
  const res = await h.fetch(`/admin/api/v1/offices/AP1/imports/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type },
    body,
  });
  return { status: res.status, json: await res.json<Result>() };
};

beforeAll(async () => {
  h = await startHarness();
  const res = await h.fetch('/admin/api/v1/offices', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'AP1', nameTh: 'สพป.ทดสอบมอบหมาย' }),
  });
  expect(res.status).toBe(201);
  const schools = await post(
    'schools',
    [
      'รหัสโรงเรียน,ชื่อโรงเรียน,รหัสเครือข่าย,ชื่อเครือข่าย',
      '1010101010,โรงเรียนบ้านหนึ่งทดสอบ,,',
      '1010101011,โรงเรียนบ้านสองทดสอบ,N1,เครือข่ายทดสอบหนึ่ง',
      '1010101012,โรงเรียนบ้านสามทดสอบ,N1,เครือข่ายทดสอบหนึ่ง',
    ].join('\n'),
  );
  expect(schools.status).toBe(200);
  const people = await post(
    'people',
    [
      'ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,รหัสบุคลากร',
      'ศน.สมมติ หนึ่ง,ศึกษานิเทศก์,,S1',
      'ศน.สมมติ สอง,ศน.,,S2',
      'ครูสมมติ สาม,ครู,1010101010,T1',
    ].join('\n'),
  );
  expect(people.status).toBe(200);
});
afterAll(() => h.close());

const assignmentsCsv = [
  'รหัสศึกษานิเทศก์,รหัสโรงเรียน,รหัสเครือข่าย,ประเภท,กลุ่มสาระ',
  'S1,1010101010,,นิเทศหลัก,',
  'S1,,N1,ร่วม,คณิตศาสตร์',
  'S2,1010101012,,,ภาษาไทย',
].join('\n');

const assignments = () =>
  queryRows(
    h.db.db,
    sql`SELECT sa.id, p.external_id, s.code AS school, c.code AS cluster, sa.kind, sa.learning_area
          FROM supervisor_assignments sa JOIN people p ON p.id = sa.supervisor_id
          LEFT JOIN schools s ON s.id = sa.school_id LEFT JOIN clusters c ON c.id = sa.cluster_id
         ORDER BY p.external_id, s.code NULLS LAST`,
  );

describe('assignments import', () => {
  it('a dry run names every bad row with a Thai and English message and writes nothing', async () => {
    const csv = [
      'supervisor_external_id,school_code,cluster_code,kind,learning_area',
      'X9,1010101010,,main,',
      'T1,1010101010,,main,',
      'S1,1010101010,N1,main,',
      'S1,,,main,',
      'S1,,N9,main,',
      'S2,1010101011,,พิเศษ,',
      'S2,9999999999,,joint,',
      'S1,1010101012,,main,',
      'S1,1010101012,,joint,',
    ].join('\n');
    const bad = await post('assignments?dryRun=1', csv);
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      {
        row: 2,
        field: 'supervisor_external_id',
        message: 'ไม่พบบุคลากรรหัส X9 ในเขตนี้ / no person with external id X9 in this office',
      },
      { row: 3, field: 'supervisor_external_id', message: 'T1 ไม่ใช่ศึกษานิเทศก์ / T1 is not a supervisor (teacher)' },
      { row: 4, field: 'cluster_code', message: expect.stringContaining('give a school code or a cluster code') },
      { row: 5, field: 'school_code', message: expect.stringContaining('ระบุรหัสโรงเรียนหรือรหัสเครือข่าย') },
      { row: 6, field: 'cluster_code', message: 'ไม่พบเครือข่ายรหัส N9 ในเขตนี้ / no cluster with code N9 in this office' },
      { row: 7, field: 'kind', message: 'ไม่รู้จักประเภท "พิเศษ" (หลัก, ร่วม) / unknown kind "พิเศษ" (main, joint)' },
      { row: 8, field: 'school_code', message: expect.stringContaining('no school with code 9999999999') },
      { row: 10, field: 'supervisor_external_id', message: 'ซ้ำกับแถวที่ 9 / duplicate of row 9' },
    ]);
    expect((await post('assignments', csv)).status).toBe(400);
    expect(await count(h.db.db, sql`supervisor_assignments`)).toBe(0);
  });

  it('upserts on the natural key; a second run of the same file changes nothing; a change updates in place', async () => {
    const dry = await post('assignments?dryRun=1', assignmentsCsv);
    expect(dry.json).toMatchObject({ rowsRead: 3, valid: 3, written: 0, created: 3, updated: 0, unchanged: 0 });
    expect(await count(h.db.db, sql`supervisor_assignments`)).toBe(0);

    const first = await post('assignments', assignmentsCsv);
    expect(first.json).toMatchObject({ written: 3, created: 3, updated: 0, unchanged: 0 });
    const after = await assignments();
    expect(after.map(({ id: _id, ...rest }) => rest)).toEqual([
      { external_id: 'S1', school: '1010101010', cluster: null, kind: 'main', learning_area: null },
      { external_id: 'S1', school: null, cluster: 'N1', kind: 'joint', learning_area: 'คณิตศาสตร์' },
      { external_id: 'S2', school: '1010101012', cluster: null, kind: 'main', learning_area: 'ภาษาไทย' },
    ]);

    const again = await post('assignments', assignmentsCsv);
    expect(again.json).toMatchObject({ written: 0, created: 0, updated: 0, unchanged: 3 });
    expect(await assignments()).toEqual(after);

    // The same file as XLSX, with S2 made a joint supervisor: one row updated, same ids.
    const changed = await post(
      'assignments',
      await xlsx([
        ['รหัสศึกษานิเทศก์', 'รหัสโรงเรียน', 'รหัสเครือข่าย', 'ประเภท', 'กลุ่มสาระ'],
        ['S1', 1010101010, null, 'นิเทศหลัก', null],
        ['S1', null, 'N1', 'ร่วม', 'คณิตศาสตร์'],
        ['S2', 1010101012, null, 'นิเทศร่วม', 'ภาษาไทย'],
      ]),
      XLSX_TYPE,
    );
    expect(changed.json).toMatchObject({ written: 1, created: 0, updated: 1, unchanged: 2 });
    const last = await assignments();
    expect(last.map((a) => a.id)).toEqual(after.map((a) => a.id));
    expect(last[2]).toMatchObject({ external_id: 'S2', kind: 'joint' });
    expect(await count(h.db.db, sql`audit_log WHERE action = 'import.assignments'`)).toBe(3);
  });
});

const visits = () =>
  queryRows<{ id: string; ext: string; code: string; starts_at: string; purpose_th: string; source: string }>(
    h.db.db,
    sql`SELECT v.id, p.external_id AS ext, s.code, to_char(v.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS starts_at,
               v.purpose_th, v.source
          FROM visits v JOIN people p ON p.id = v.supervisor_id JOIN schools s ON s.id = v.school_id
         ORDER BY v.starts_at`,
  );

describe('plan import', () => {
  const planCsv = [
    'รหัสศึกษานิเทศก์,รหัสโรงเรียน,วันที่,เวลา,วัตถุประสงค์',
    'S1,1010101010,1/12/2569,09:30,ติดตามการจัดการเรียนรู้',
    'S1,1010101011,2 ธ.ค. 2569,13.00 น.,นิเทศภายใน',
    'S2,1010101012,2026-12-03,10:00,',
  ].join('\n');

  it('a dry run names bad dates, missing times, unassigned schools, unknown supervisors and duplicates', async () => {
    const csv = [
      'supervisor_external_id,school_code,date,time,purpose',
      'S1,1010101010,1/12/2569,09:30,ดี',
      'S9,1010101010,1/12/2569,09:30,',
      'S2,1010101010,1/12/2569,09:30,',
      'S1,1010101010,31/02/2569,09:30,',
      'S1,1010101010,2/12/2569,,',
      'S1,1010101010,2/12/2569,25:99,',
      'S1,1010101010,01/12/2026,09:30,ซ้ำ',
    ].join('\n');
    const bad = await post('plan?dryRun=1', csv);
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 3, field: 'supervisor_external_id', message: expect.stringContaining('ไม่พบศึกษานิเทศก์') },
      { row: 4, field: 'school_code', message: expect.stringContaining('not assigned to that supervisor') },
      { row: 5, field: 'date', message: expect.stringContaining('อ่านวันที่ "31/02/2569" ไม่ได้') },
      { row: 6, field: 'time', message: 'ต้องระบุเวลา / time is required' },
      { row: 7, field: 'time', message: expect.stringContaining('unreadable time "25:99"') },
      { row: 8, field: 'date', message: 'ซ้ำกับแถวที่ 2 / duplicate of row 2' },
    ]);
    expect((await post('plan', csv)).status).toBe(400);
    expect(await count(h.db.db, sql`visits`)).toBe(0);
  });

  it('reads B.E. and C.E. dates in office time; a second run changes nothing; XLSX date cells read the same', async () => {
    const dry = await post('plan?dryRun=1', planCsv);
    expect(dry.json).toMatchObject({ rowsRead: 3, valid: 3, written: 0, created: 3, updated: 0, unchanged: 0 });
    expect(await count(h.db.db, sql`visits`)).toBe(0);

    const first = await post('plan', planCsv);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ written: 3, created: 3, updated: 0, unchanged: 0 });
    const after = await visits();
    expect(after.map(({ id: _id, ...v }) => v)).toEqual([
      {
        ext: 'S1',
        code: '1010101010',
        starts_at: '2026-12-01T02:30',
        purpose_th: 'ติดตามการจัดการเรียนรู้',
        source: 'plan',
      },
      { ext: 'S1', code: '1010101011', starts_at: '2026-12-02T06:00', purpose_th: 'นิเทศภายใน', source: 'plan' },
      { ext: 'S2', code: '1010101012', starts_at: '2026-12-03T03:00', purpose_th: '', source: 'plan' },
    ]);

    const again = await post('plan', planCsv);
    expect(again.json).toMatchObject({ written: 0, created: 0, updated: 0, unchanged: 3 });
    expect(await visits()).toEqual(after);

    const workbook = await xlsx([
      ['รหัสศึกษานิเทศก์', 'รหัสโรงเรียน', 'วันที่', 'เวลา', 'วัตถุประสงค์'],
      ['S1', 1010101010, new Date(Date.UTC(2026, 11, 1)), '09:30', 'ติดตามการจัดการเรียนรู้'],
      ['S1', 1010101011, '2 ธ.ค. 69', '13:00', 'นิเทศภายใน (แก้ไข)'],
      ['S2', 1010101012, new Date(Date.UTC(2026, 11, 3)), '10:00', null],
    ]);
    const dryX = await post('plan?dryRun=1', workbook, XLSX_TYPE);
    expect(dryX.json).toMatchObject({ valid: 3, created: 0, updated: 1, unchanged: 2 });
    const x = await post('plan', workbook, XLSX_TYPE);
    expect(x.json).toMatchObject({ written: 1, created: 0, updated: 1, unchanged: 2 });
    const last = await visits();
    expect(last.map((v) => v.id)).toEqual(after.map((v) => v.id));
    expect(last[1]?.purpose_th).toBe('นิเทศภายใน (แก้ไข)');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'import.plan'`)).toBe(3);
  });
});
