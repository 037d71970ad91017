// XLSX uploads go through the same pipeline as CSV: the same rows give the same result and the same row-numbered
// issues; codes typed or stored as numbers keep their digits; Thai headers are read; only the first sheet counts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { FieldIssue } from '../../src/errors.js';
import type { ImportResult } from '../../src/imports/imports.js';
import { dateText, isXlsx, numberText, readXlsxRecords } from '../../src/imports/xlsx.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { xlsx } from './xlsx-fixture.js';
import { readXlsForm } from '../../src/checklists/xlsform/read.js';
import { farColumnSheet, lieAboutSizes, peopleSheet, whitespaceSheet, workbookWith } from './xlsx-bomb.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('reading an .xlsx sheet', () => {
  it('spells out numbers as stored: exponent forms of integers, decimals kept', () => {
    expect(numberText('1010101010')).toBe('1010101010');
    expect(numberText('1.01010101E+9')).toBe('1010101010');
    expect(numberText('1.0e+9')).toBe('1000000000');
    expect(numberText('3.5')).toBe('3.5');
  });

  it('turns date cells into dates, times or both, rounded to the minute', () => {
    expect(dateText(new Date(Date.UTC(2026, 11, 1)))).toBe('2026-12-01');
    expect(dateText(new Date(Date.UTC(1899, 11, 30, 9, 29, 59, 999)))).toBe('09:30');
    expect(dateText(new Date(Date.UTC(2026, 11, 1, 13, 0)))).toBe('2026-12-01 13:00');
  });

  it('detects XLSX by content type or zip signature, not by a CSV that happens to start with P', async () => {
    const file = await xlsx([['a'], ['b']]);
    expect(isXlsx(file)).toBe(true);
    expect(isXlsx(new TextEncoder().encode('PK,name\n1,x'))).toBe(false);
    expect(isXlsx(new Uint8Array([1, 2]), XLSX_TYPE)).toBe(true);
    // Windows browsers label a .csv upload application/vnd.ms-excel: still CSV.
    expect(isXlsx(new TextEncoder().encode('code,name'), 'application/vnd.ms-excel')).toBe(false);
  });

  it('keeps spreadsheet row numbers across blank rows and reads only the first sheet', async () => {
    const file = await xlsx(
      [['รหัสโรงเรียน', 'ชื่อโรงเรียน'], [1010101010, 'โรงเรียนบ้านทดสอบ'], [], ['0101010101', '=cmd']],
      [[['other'], ['sheet']]],
    );
    const read = await readXlsxRecords(file);
    expect(read).toEqual({
      ok: true,
      records: [
        { row: 1, cells: ['รหัสโรงเรียน', 'ชื่อโรงเรียน'] },
        { row: 2, cells: ['1010101010', 'โรงเรียนบ้านทดสอบ'] },
        { row: 4, cells: ['0101010101', '=cmd'] },
      ],
      truncated: false,
    });
    expect((await readXlsxRecords(new TextEncoder().encode('PK\u0003\u0004 not a zip'))).ok).toBe(false);
  });
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const res = await h.fetch('/admin/api/v1/offices', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'XL1', nameTh: 'สพป.ทดสอบเอ็กเซล' }),
  });
  expect(res.status).toBe(201);
});
afterAll(() => h.close());

type Result = ImportResult & { error?: { code: string; issues?: FieldIssue[] } };

const post = async (path: string, body: string | Uint8Array, type: string) => {
  const res = await h.fetch(`/admin/api/v1/offices/XL1/imports/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type },
    body,
  });
  return { status: res.status, json: await res.json<Result>() };
};

describe('XLSX imports through the admin API', () => {
  const badRows: (string | number | null)[][] = [
    ['รหัสโรงเรียน', 'ชื่อโรงเรียน', 'รหัสเครือข่าย', 'ชื่อเครือข่าย'],
    [1010101010, 'โรงเรียนดี', null, null],
    ['12ab', 'โรงเรียนรหัสผิด', null, null],
    [1010101012, null, null, null],
    [1010101010, 'โรงเรียนซ้ำ', null, 'ชื่อเครือข่าย'],
  ];
  const asCsv = (rows: (string | number | null)[][]) =>
    rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n');

  it('a dry run of a bad workbook names the same rows, columns and messages as the same rows in CSV', async () => {
    const fromXlsx = await post('schools?dryRun=1', await xlsx(badRows), XLSX_TYPE);
    const fromCsv = await post('schools?dryRun=1', asCsv(badRows), 'text/csv');
    expect(fromXlsx.status).toBe(400);
    expect(fromXlsx.json.error?.issues).toEqual([
      { row: 3, field: 'code', message: 'รหัสโรงเรียนต้องเป็นตัวเลข 8–10 หลัก / school code must be 8–10 digits' },
      { row: 4, field: 'name', message: 'ต้องระบุชื่อ / name is required' },
      { row: 5, field: 'cluster_code', message: expect.stringContaining('cluster name given without a cluster code') },
      { row: 5, field: 'code', message: 'ซ้ำกับแถวที่ 2 / duplicate of row 2' },
    ]);
    expect(fromXlsx.json.error?.issues).toEqual(fromCsv.json.error?.issues);
    // Not dry: still refused whole.
    expect((await post('schools', await xlsx(badRows), XLSX_TYPE)).status).toBe(400);
    expect(await count(h.db.db, sql`schools`)).toBe(0);
  });

  it('is found by its zip signature even when sent as octet-stream, and reports an unreadable workbook', async () => {
    const rows = [['code', 'name'], [1010101010]];
    const r = await post('schools?dryRun=1', await xlsx(rows), 'application/octet-stream');
    expect(r.json.error?.issues).toEqual([{ row: 2, field: 'name', message: 'ต้องระบุชื่อ / name is required' }]);
    const broken = await post('schools', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), XLSX_TYPE);
    expect(broken.status).toBe(400);
    expect(broken.json.error?.issues?.[0]).toMatchObject({ row: 1, field: '(file)' });
    expect(broken.json.error?.issues?.[0]?.message).toContain('.xlsx');
    const xls = await post('schools', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), 'application/vnd.ms-excel');
    expect(xls.json.error?.issues).toEqual([
      {
        row: 1,
        field: '(file)',
        message: 'ไฟล์ .xls รุ่นเก่า: บันทึกเป็น .xlsx หรือ CSV UTF-8 / an old .xls file: save it as .xlsx or CSV UTF-8',
      },
    ]);
    const csvAsExcel = await post(
      'schools?dryRun=1',
      'code,name\n1010101019,โรงเรียนทดสอบ\n',
      'application/vnd.ms-excel',
    );
    expect(csvAsExcel.json).toMatchObject({ rowsRead: 1, valid: 1 });
  });

  it('writes 10-digit codes stored as numbers and Thai text intact; a repeat changes nothing', async () => {
    const rows: (string | number | null)[][] = [
      ['รหัสโรงเรียน', 'ชื่อโรงเรียน', 'รหัสเครือข่าย', 'ชื่อเครือข่าย'],
      [1010101010, 'โรงเรียนบ้านหนองทดสอบ', 'N1', 'เครือข่ายดอกคูนทดสอบ'],
      ['0101010101', 'โรงเรียนวัดทดลอง', 'N1', 'เครือข่ายดอกคูนทดสอบ'],
      [1020304050, 'โรงเรียน "อนุบาล" ทดสอบ', null, null],
    ];
    const first = await post('schools', await xlsx(rows), XLSX_TYPE);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rowsRead: 3, valid: 3, written: 3, created: 3, updated: 0 });
    const schools = await queryRows<{ code: string; name_th: string }>(
      h.db.db,
      sql`SELECT code, name_th FROM schools ORDER BY code`,
    );
    expect(schools).toEqual([
      { code: '0101010101', name_th: 'โรงเรียนวัดทดลอง' },
      { code: '1010101010', name_th: 'โรงเรียนบ้านหนองทดสอบ' },
      { code: '1020304050', name_th: 'โรงเรียน "อนุบาล" ทดสอบ' },
    ]);
    const snapshot = () =>
      queryRows(h.db.db, sql`SELECT s.id, s.code, s.name_th, s.cluster_id FROM schools s ORDER BY s.code`);
    const before = await snapshot();
    const again = await post('schools', await xlsx(rows), XLSX_TYPE);
    expect(again.json).toMatchObject({ created: 0, updated: 3 });
    expect(await snapshot()).toEqual(before);
    expect(await count(h.db.db, sql`clusters`)).toBe(1);
  });
});

describe('limits (issue 12.2)', () => {
  it('refuses an entry that declares more than 20 MB before inflating it: 413 naming the limit', async () => {
    const bomb = workbookWith(whitespaceSheet(24));
    expect(bomb.length).toBeLessThan(200_000);
    expect(await readXlsxRecords(bomb)).toEqual({ ok: false, message: 'too_large', entry: 'xl/worksheets/sheet1.xml' });
    const res = await post('people?dryRun=1', bomb, XLSX_TYPE);
    expect(res.status).toBe(413);
    expect(res.json.error?.issues?.[0]?.message).toContain('20 MB');
  });

  it('stops inflating an entry whose size lies, as soon as it passes what it declared', async () => {
    const liar = lieAboutSizes(workbookWith(whitespaceSheet(24)), 4096);
    expect(await readXlsxRecords(liar)).toMatchObject({ ok: false, message: 'too_large' });
  });

  it('refuses cells padded out to column XFD past the cell budget, without holding them; empty far cells cost nothing', async () => {
    const far = workbookWith(farColumnSheet(5000, true));
    const before = process.memoryUsage().heapUsed;
    expect(await readXlsxRecords(far)).toEqual({ ok: false, message: 'too_large', entry: 'xl/worksheets/sheet1.xml' });
    // The budget (2,000,000 cells) stops it after ~122 rows: tens of MB at most, not the ~839 MB of padding.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    const res = await post('people?dryRun=1', far, XLSX_TYPE);
    expect(res.status).toBe(413);
    expect(res.json.error?.issues?.[0]?.message).toContain('2,000,000');
    // Styled but empty cells at XFD (a formatted row) are not held, so the same rows read fine.
    const styled = await readXlsxRecords(workbookWith(farColumnSheet(5000, false)));
    expect(styled.ok && styled.records.length).toBe(5000);
    expect(styled.ok && styled.records[0]?.cells).toEqual(['x']);
    // The XLSForm reader shares the budget and says so in both languages.
    const form = await readXlsForm(far);
    expect(form.ok).toBe(false);
    expect(!form.ok && form.issues.map((i) => i.message)).toEqual([
      'ไฟล์ Excel นี้ใหญ่เกินกำหนด (xl/worksheets/sheet1.xml): แตกไฟล์แล้วเกิน 20 MB หรือมีเซลล์เกิน 2,000,000 เซลล์ / the workbook is over the limit (xl/worksheets/sheet1.xml): more than 20 MB unpacked or more than 2,000,000 cells',
    ]);
  });

  it('stops reading at the row limit: 5,000 data rows, said in the error', async () => {
    const big = workbookWith(peopleSheet(20_000, '1010101010'));
    const read = await readXlsxRecords(big, { maxRecords: 5002 });
    expect(read).toMatchObject({ ok: true, truncated: true });
    expect(read.ok && read.records.length).toBe(5002);
    const res = await post('people?dryRun=1', big, XLSX_TYPE);
    expect(res.status).toBe(400);
    expect(res.json.error?.issues).toEqual([
      { row: 5002, field: '(file)', message: 'นำเข้าได้ไม่เกิน 5000 แถวต่อครั้ง / at most 5000 rows per import' },
    ]);
  });
});
