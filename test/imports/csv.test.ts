// The CSV reader on what spreadsheet exports actually contain: BOM, CRLF, tabs, quotes, blank rows.
import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseCsv } from '../../src/imports/csv.js';
import { parseRole } from '../../src/imports/imports.js';

const records = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.message);
  return r.records;
};

describe('parseCsv', () => {
  it('strips a BOM and reads CRLF rows with Thai headers', () => {
    expect(records('\uFEFFรหัสโรงเรียน,ชื่อโรงเรียน\r\n1010101010,โรงเรียนบ้านหนึ่ง\r\n')).toEqual([
      { row: 1, cells: ['รหัสโรงเรียน', 'ชื่อโรงเรียน'] },
      { row: 2, cells: ['1010101010', 'โรงเรียนบ้านหนึ่ง'] },
    ]);
  });

  it('keeps commas, doubled quotes and newlines inside quotes, and counts a multi-line cell as one row', () => {
    const text = 'name,note\n"ครู, หนึ่ง","say ""hi""\r\nsecond line"\nสอง,x';
    const r = parseCsv(text);
    expect(r).toEqual({
      ok: true,
      delimiter: ',',
      records: [
        { row: 1, cells: ['name', 'note'] },
        { row: 2, cells: ['ครู, หนึ่ง', 'say "hi"\r\nsecond line'] },
        { row: 3, cells: ['สอง', 'x'] },
      ],
    });
  });

  it('detects tabs, skips blank and all-empty rows but still counts them as spreadsheet rows', () => {
    const r = parseCsv('code\tname\n\n1\ta,b\n\t\n  \n2\t""\n');
    expect(r.ok && r.delimiter).toBe('\t');
    expect(r.ok && r.records).toEqual([
      { row: 1, cells: ['code', 'name'] },
      { row: 3, cells: ['1', 'a,b'] },
      { row: 6, cells: ['2', ''] },
    ]);
  });

  it('reads a last row without a newline, empty cells and a lone LF or CR', () => {
    expect(records('a,b,c\r1,,3\n,,x')).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['1', '', '3'] },
      { row: 3, cells: ['', '', 'x'] },
    ]);
  });

  it('reports an unterminated quote at the row it opened', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toEqual({ ok: false, row: 2, message: 'unterminated quoted field' });
  });

  it('refuses bytes that are not UTF-8 (a TIS-620 export)', () => {
    expect(decodeUtf8(new TextEncoder().encode('\uFEFFครู'))).toBe('\uFEFFครู');
    expect(decodeUtf8(new Uint8Array([0xa4, 0xc3, 0xd9]))).toBeUndefined();
  });
});

describe('parseRole', () => {
  it('accepts Thai and English role names', () => {
    expect(
      ['ครู', 'ผอ.', 'ผู้อำนวยการโรงเรียน', 'ศึกษานิเทศก์', 'ผู้อำนวยการเขต', 'ผู้ดูแลระบบ', ' Teacher '].map(parseRole),
    ).toEqual(['teacher', 'principal', 'principal', 'supervisor', 'director', 'admin', 'teacher']);
    expect(parseRole('ภารโรง')).toBeUndefined();
  });
});
