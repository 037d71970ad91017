// Reads the first worksheet of an .xlsx upload into the same records the CSV reader gives (spreadsheet row numbers,
// cells as text), so both formats go through one validation pipeline and report the same rows. Numbers are read
// as Excel stored them, never through a JS number first: a 10-digit OBEC code stays "1010101010", not 1.01e9.
import readXlsxFile, { readSheet } from 'read-excel-file/universal';
import type { CsvRecord } from './csv.js';

/**
 * A zip archive (every .xlsx is one) starts with the local file header "PK\x03\x04". The content type counts only
 * when it names .xlsx: browsers on Windows send a .csv as application/vnd.ms-excel, so that one is sniffed.
 */
export function isXlsx(bytes: Uint8Array, contentType = ''): boolean {
  if (/spreadsheetml\.sheet/i.test(contentType)) return true;
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The old binary .xls (an OLE compound file), which neither reader takes: the admin is told to save as .xlsx. */
export function isOldXls(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** A number cell's stored text: integers written in exponent form ("1.01010101E+9") are spelled out. */
export function numberText(raw: string): string {
  const s = raw.trim();
  if (!/[eE.]/.test(s)) return s;
  const n = Number(s);
  if (Number.isFinite(n) && Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return n.toFixed(0);
  return s;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date cell. read-excel-file gives Excel's wall-clock serial as a UTC instant; a time-only cell (09:30) falls on
 * Excel's day 0 (1899-12-30/31). Rounded to the minute: 09:30 is stored as 0.3958333… and comes back as 09:29:59.999.
 */
export function dateText(d: Date): string {
  const t = new Date(Math.round(d.getTime() / 60_000) * 60_000);
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  if (t.getUTCFullYear() < 1901) return time;
  return time === '00:00' ? date : `${date} ${time}`;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  return typeof v === 'number' ? numberText(String(v)) : '';
}

export type XlsxRead = { ok: true; records: CsvRecord[] } | { ok: false; message: string };

const arrayBufferOf = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** Rows as text records; blank rows are skipped, as in CSV, but the numbering keeps counting them. */
function toRecords(rows: unknown[][]): CsvRecord[] {
  const records: CsvRecord[] = [];
  rows.forEach((cells, i) => {
    const text = cells.map(cellText);
    if (text.some((c) => c.trim() !== '')) records.push({ row: i + 1, cells: text });
  });
  return records;
}

export async function readXlsxRecords(bytes: Uint8Array): Promise<XlsxRead> {
  let rows: unknown[][];
  try {
    // parseNumber keeps the stored digits; numberText then spells out exponent forms.
    rows = await readSheet(arrayBufferOf(bytes), 1, { parseNumber: (s: string) => numberText(s), trim: false });
  } catch {
    return { ok: false, message: 'unreadable' };
  }
  return { ok: true, records: toRecords(rows) };
}

export type XlsxWorkbook =
  { ok: true; sheets: { name: string; records: CsvRecord[] }[] } | { ok: false; message: string };

/** Every worksheet by name, in workbook order, read like readXlsxRecords (XLSForm needs survey, choices, settings). */
export async function readXlsxWorkbook(bytes: Uint8Array): Promise<XlsxWorkbook> {
  try {
    const sheets = await readXlsxFile(arrayBufferOf(bytes), {
      parseNumber: (s: string) => numberText(s),
      trim: false,
    });
    return { ok: true, sheets: sheets.map((s) => ({ name: s.sheet, records: toRecords(s.data) })) };
  } catch {
    return { ok: false, message: 'unreadable' };
  }
}
