// CSV imports through the admin API: a dry run names every bad row (spreadsheet row, column, Thai + English)
// and writes nothing; a real run upserts by natural keys, so a repeat creates no duplicates; invites for new people.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import type { FieldIssue } from '../../src/errors.js';
import type { ImportResult } from '../../src/imports/imports.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const res = await h.fetch('/admin/api/v1/offices', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'IMP1', nameTh: 'สพป.นำเข้า' }),
  });
  expect(res.status).toBe(201);
});
afterAll(() => h.close());

/** What the API answers: the import's report, or the one error shape naming rows and fields. */
type Result = ImportResult & { error?: { code: string; issues?: FieldIssue[] } };

const post = async (path: string, csv: string | Uint8Array) => {
  const res = await h.fetch(`/admin/api/v1/offices/IMP1/imports/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv; charset=utf-8' },
    body: csv,
  });
  return { status: res.status, json: await res.json<Result>() };
};

const auditCount = (action: string) => count(h.db.db, sql`audit_log WHERE action = ${action}`);

const schoolsCsv = [
  '\uFEFFรหัสโรงเรียน,ชื่อโรงเรียน,รหัสเครือข่าย,ชื่อเครือข่าย,ลำดับ',
  '1010101010,"โรงเรียนบ้านหนึ่ง, สาขา",N1,เครือข่ายหนึ่ง,1',
  '1010101011,โรงเรียนบ้านสอง,N1,,2',
  '',
  '1010101012,"โรงเรียน ""สาม""",,,3',
].join('\r\n');

describe('CSV imports', () => {
  it('a dry run names every bad row with its spreadsheet row and column, and writes nothing', async () => {
    const csv = [
      'code,name,cluster_code,cluster_name',
      '1010101010,โรงเรียนดี,,',
      '12ab,โรงเรียนรหัสผิด,,',
      '1010101012,,,',
      '1010101010,โรงเรียนซ้ำ,,ชื่อเครือข่าย',
    ].join('\n');
    const bad = await post('schools?dryRun=1', csv);
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('invalid_request');
    expect(bad.json.error?.issues).toEqual([
      { row: 3, field: 'code', message: 'รหัสโรงเรียนต้องเป็นตัวเลข 8–10 หลัก / school code must be 8–10 digits' },
      { row: 4, field: 'name', message: 'ต้องระบุชื่อ / name is required' },
      { row: 5, field: 'cluster_code', message: expect.stringContaining('cluster name given without a cluster code') },
      { row: 5, field: 'code', message: 'ซ้ำกับแถวที่ 2 / duplicate of row 2' },
    ]);
    // The same file without dryRun is refused the same way: nothing is written while any row is bad.
    expect((await post('schools', csv)).status).toBe(400);
    expect(await count(h.db.db, sql`schools`)).toBe(0);
    expect(await auditCount('import.schools')).toBe(0);
  });

  it('names missing columns on row 1 and refuses a file that is not UTF-8', async () => {
    const noCode = await post('people', 'ชื่อ-สกุล,บทบาท\nครูหนึ่ง,ครู\n');
    expect(noCode.json.error?.issues).toEqual([
      { row: 1, field: 'external_id', message: expect.stringContaining('missing column external_id') },
    ]);
    const tis620 = await post('schools', new Uint8Array([0xc3, 0xcb, 0xd1, 0xca, 0x0a]));
    expect(tis620.status).toBe(400);
    expect(tis620.json.error?.issues?.[0]?.field).toBe('(file)');
    expect((await post('teachers', 'a\n1')).status).toBe(404);
  });

  it('a valid dry run reports counts and writes nothing; a real run upserts; a repeat updates without duplicates', async () => {
    const dry = await post('schools?dryRun=1', schoolsCsv);
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ rowsRead: 3, valid: 3, written: 0, created: 3, updated: 0 });
    expect(dry.json.ignoredColumns).toEqual(['ลำดับ']);
    expect(await count(h.db.db, sql`schools`)).toBe(0);

    const first = await post('schools', schoolsCsv);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rowsRead: 3, valid: 3, written: 3, created: 3, updated: 0 });
    const again = await post('schools', schoolsCsv.replace('โรงเรียนบ้านสอง', 'โรงเรียนบ้านสองใหม่'));
    expect(again.json).toMatchObject({ written: 3, created: 0, updated: 3 });
    expect(await count(h.db.db, sql`schools`)).toBe(3);
    expect(await count(h.db.db, sql`clusters`)).toBe(1);
    const names = await queryRows<{ code: string; name_th: string }>(
      h.db.db,
      sql`SELECT code, name_th FROM schools ORDER BY code`,
    );
    expect(names.map((n) => n.name_th)).toEqual(['โรงเรียนบ้านหนึ่ง, สาขา', 'โรงเรียนบ้านสองใหม่', 'โรงเรียน "สาม"']);
    expect(await auditCount('import.schools')).toBe(2);
  });

  it('people: a dry run names bad roles, unknown schools and missing ids', async () => {
    const csv = [
      'ชื่อ-สกุล\tบทบาท\tรหัสโรงเรียน\tรหัสบุคลากร',
      'ครูหนึ่ง ทดสอบ\tครู\t1010101010\tT1',
      'ครูสอง ทดสอบ\tภารโรง\t1010101010\tT2',
      'ครูสาม ทดสอบ\tครู\t9999999999\tT3',
      'ผอ.สี่ ทดสอบ\tผอ.\t\tP4',
      'ศน.ห้า ทดสอบ\tศึกษานิเทศก์\t\t',
    ].join('\n');
    const bad = await post('people?dryRun=1&invites=1', csv);
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.map((i) => [i.row, i.field])).toEqual([
      [3, 'role'],
      [4, 'school_code'],
      [5, 'school_code'],
      [6, 'external_id'],
    ]);
    expect(bad.json.error?.issues?.[0]?.message).toContain('ไม่รู้จักบทบาท "ภารโรง"');
    expect(bad.json.error?.issues?.[1]?.message).toContain('no school with code 9999999999 in this office');
    expect(await count(h.db.db, sql`people`)).toBe(0);
  });

  it('people with invites: codes for new people only; a repeat updates the same people', async () => {
    const csv = [
      'name,role,school_code,external_id',
      'ครูหนึ่ง ทดสอบ,teacher,1010101010,T1',
      'ผอ.สอง ทดสอบ,ผู้อำนวยการโรงเรียน,1010101011,P2',
      'ศน.สาม ทดสอบ,ศึกษานิเทศก์,,S3',
    ].join('\r\n');
    const first = await post('people?invites=1', csv);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rowsRead: 3, written: 3, created: 3, updated: 0 });
    expect(first.json.invites.map((i) => [i.row, i.externalId])).toEqual([
      [2, 'T1'],
      [3, 'P2'],
      [4, 'S3'],
    ]);
    first.json.invites.forEach((i) => expect(i.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/));
    expect(await count(h.db.db, sql`invites`)).toBe(3);

    const more = `${csv.replace('ครูหนึ่ง ทดสอบ', 'ครูหนึ่ง เปลี่ยนชื่อ')}\r\nครูสี่ ทดสอบ,ครู,1010101011,T4\r\n`;
    const again = await post('people?invites=1', more);
    expect(again.json).toMatchObject({ rowsRead: 4, written: 4, created: 1, updated: 3 });
    expect(again.json.invites.map((i) => i.externalId)).toEqual(['T4']);
    expect(await count(h.db.db, sql`people`)).toBe(4);
    expect(await count(h.db.db, sql`invites`)).toBe(4);
    expect(await count(h.db.db, sql`people WHERE display_name = 'ครูหนึ่ง เปลี่ยนชื่อ'`)).toBe(1);

    const noInvites = await post('people', more);
    expect(noInvites.json).toMatchObject({ written: 4, created: 0, updated: 4, invites: [] });
    expect(await auditCount('import.people')).toBe(3);
    const detail = await queryRows<{ detail: unknown }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'import.people' ORDER BY id LIMIT 1`,
    );
    expect(detail[0]?.detail).toEqual({ rows: 3, written: 3, created: 3, updated: 0, invites: 3 });
  });
});
