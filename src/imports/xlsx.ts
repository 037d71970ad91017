// Reads the first worksheet of an .xlsx upload into the same records the CSV reader gives (spreadsheet row numbers,
// cells as text), so both formats go through one validation pipeline and report the same rows. Numbers are read
// as Excel stored them, never through a JS number first: a 10-digit OBEC code stays "1010101010", not 1.01e9.
//
// Bounded by construction, because an upload is untrusted: each zip entry's declared size is checked before any
// inflating (over XLSX_ENTRY_LIMIT is refused, as a size that lies is when the inflated bytes pass it), entries
// inflate as a stream (fflate) into a streaming XML parser (saxes), the sheet stops at `maxRecords`, and the work
// yields to the event loop every YIELD_BYTES so other requests (and /health) keep being answered meanwhile.
// (read-excel-file, used before, inflates every entry whole and parses every row in one go, without limits.)
import { Inflate } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CsvRecord } from './csv.js';

/** No entry of a workbook an office uploads comes near this; a zip bomb's does. */
export const XLSX_ENTRY_LIMIT = 20 * 1024 * 1024;
/**
 * Cells held per read (a row holds its cells up to its last non-empty one). 20 MB of XML can name a cell at column
 * XFD on every row, which padded each row to 16,384 cells (~839 MB for 5,000 rows); past this budget the sheet is
 * refused as too large instead. 5,000 rows × 400 columns.
 */
export const XLSX_CELL_LIMIT = 2_000_000;
/** Bytes of XML handled between two yields to the event loop. */
const YIELD_BYTES = 16 * 1024;
const CHUNK = 2 * 1024;

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
 * A date cell, given as Excel's wall-clock time read as a UTC instant; a time-only cell (09:30) falls on Excel's
 * day 0 (1899-12-30/31). Rounded to the minute: 09:30 is stored as 0.3958333… and comes back as 09:29:59.999.
 */
export function dateText(d: Date): string {
  const t = new Date(Math.round(d.getTime() / 60_000) * 60_000);
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  if (t.getUTCFullYear() < 1901) return time;
  return time === '00:00' ? date : `${date} ${time}`;
}

export type XlsxRead =
  | { ok: true; records: CsvRecord[]; truncated: boolean }
  | { ok: false; message: 'unreadable' }
  | { ok: false; message: 'too_large'; entry: string };

class Unreadable extends Error {}
class TooLarge extends Error {
  constructor(readonly entry: string) {
    super(`${entry} is over the limit`);
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

// ── The zip container ──

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function u16(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) throw new Unreadable('truncated');
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

/** The central directory: every entry's name and declared sizes, read without inflating anything. */
function centralDirectory(b: Uint8Array): Map<string, Entry> {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (u32(b, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Unreadable('no end of central directory');
  const count = u16(b, eocd + 10);
  let at = u32(b, eocd + 16);
  const entries = new Map<string, Entry>();
  const names = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (u32(b, at) !== 0x02014b50) throw new Unreadable('bad central directory');
    const nameLength = u16(b, at + 28);
    const name = names.decode(b.subarray(at + 46, at + 46 + nameLength)).replace(/^\//, '');
    const entry = {
      name,
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      localOffset: u32(b, at + 42),
    };
    entries.set(name.toLowerCase(), entry);
    at += 46 + nameLength + u16(b, at + 30) + u16(b, at + 32);
  }
  return entries;
}

/**
 * An entry's bytes as they inflate, chunk by chunk, to `sink`. The declared size is checked first (a Zip64 marker,
 * 0xFFFFFFFF, is over the limit too); the inflated bytes are counted and the stream stops when they pass either the
 * declared size or the limit, so a size that lies costs no more than the limit.
 */
async function inflateEntry(b: Uint8Array, e: Entry, sink: (chunk: Uint8Array) => void | 'stop'): Promise<void> {
  if (e.size > XLSX_ENTRY_LIMIT) throw new TooLarge(e.name);
  if (u32(b, e.localOffset) !== 0x04034b50) throw new Unreadable('bad local header');
  const start = e.localOffset + 30 + u16(b, e.localOffset + 26) + u16(b, e.localOffset + 28);
  const data = b.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) throw new Unreadable('truncated entry');
  if (e.method === 0) {
    for (let i = 0; i < data.length; i += YIELD_BYTES) {
      if (sink(data.subarray(i, i + YIELD_BYTES)) === 'stop') return;
      await yieldToLoop();
    }
    return;
  }
  if (e.method !== 8) throw new Unreadable('unsupported compression');
  let total = 0;
  let sinceYield = 0;
  let stopped = false;
  let overflow = false;
  const inflate = new Inflate((chunk) => {
    if (stopped || overflow) return;
    total += chunk.length;
    sinceYield += chunk.length;
    if (total > e.size || total > XLSX_ENTRY_LIMIT) {
      overflow = true;
      return;
    }
    if (sink(chunk) === 'stop') stopped = true;
  });
  for (let i = 0; i < data.length && !stopped; i += CHUNK) {
    try {
      inflate.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
    } catch {
      throw new Unreadable('bad deflate stream');
    }
    if (overflow) throw new TooLarge(e.name);
    if (sinceYield >= YIELD_BYTES) {
      sinceYield = 0;
      await yieldToLoop();
    }
  }
}

// ── XML, streamed ──

const local = (name: string) => name.slice(name.indexOf(':') + 1);

interface XmlHandlers {
  open?: (name: string, attributes: Record<string, string>) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

/** Streams an entry's XML through the handlers; `done()` true stops reading the entry there. */
async function readXml(b: Uint8Array, e: Entry | undefined, h: XmlHandlers, done = () => false): Promise<void> {
  if (e === undefined) return;
  const parser = new SaxesParser();
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  if (h.open !== undefined) {
    const open = h.open;
    parser.on('opentag', (tag: SaxesTagPlain) => open(local(tag.name), tag.attributes as Record<string, string>));
  }
  if (h.text !== undefined) parser.on('text', h.text);
  if (h.close !== undefined) {
    const close = h.close;
    parser.on('closetag', (tag: SaxesTagPlain) => close(local(tag.name)));
  }
  const decoder = new TextDecoder('utf-8');
  await inflateEntry(b, e, (chunk) => {
    parser.write(decoder.decode(chunk, { stream: true }));
    if (failed) throw new Unreadable('bad XML');
    return done() ? 'stop' : undefined;
  });
  if (!done()) {
    parser.write(decoder.decode());
    parser.close();
  }
  if (failed) throw new Unreadable('bad XML');
}

/** Text inside <t> elements of each <si> (runs joined, phonetic runs skipped): the shared strings. */
async function sharedStrings(b: Uint8Array, e: Entry | undefined): Promise<string[]> {
  const out: string[] = [];
  let current = '';
  let inT = false;
  let inPhonetic = false;
  await readXml(b, e, {
    open: (n) => {
      if (n === 'si') current = '';
      else if (n === 't') inT = true;
      else if (n === 'rPh') inPhonetic = true;
    },
    text: (t) => {
      if (inT && !inPhonetic) current += t;
    },
    close: (n) => {
      if (n === 't') inT = false;
      else if (n === 'rPh') inPhonetic = false;
      else if (n === 'si') out.push(unescapeXlsx(current));
    },
  });
  return out;
}

/** Excel writes characters XML cannot hold as _xHHHH_. */
const unescapeXlsx = (s: string) =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30, with the Thai and East Asian ones). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
]);

/** A custom format is a date when, quoted text, escapes, colours and locales aside, it has a date or time part. */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]/gi, '')
    .replace(/E[+-]/g, '');
  return /[dmyhsb]|e{2,}/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** Which cell styles (the `s` attribute, an index into cellXfs) are dates. */
async function dateStyles(b: Uint8Array, e: Entry | undefined): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  await readXml(b, e, {
    open: (n, a) => {
      if (n === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) xfs.push(Number(a.numFmtId ?? 0));
    },
    close: (n) => {
      if (n === 'cellXfs') inCellXfs = false;
    },
  });
  const dates = new Set<number>();
  xfs.forEach((id, i) => {
    const code = custom.get(id);
    if (code !== undefined ? isDateFormatCode(code) : DATE_FORMAT_IDS.has(id)) dates.add(i);
  });
  return dates;
}

/** Every worksheet's name and part, in workbook order (through the workbook's relationships), and the date system. */
async function sheetList(
  b: Uint8Array,
  entries: Map<string, Entry>,
): Promise<{ sheets: { name: string; path: string }[]; date1904: boolean }> {
  const order: { name: string; rid: string }[] = [];
  let date1904 = false;
  await readXml(b, entries.get('xl/workbook.xml'), {
    open: (n, a) => {
      if (n === 'sheet') {
        const rid = Object.entries(a).find(([k]) => local(k) === 'id' && k.includes(':'))?.[1];
        if (rid !== undefined) order.push({ name: a.name ?? '', rid });
      } else if (n === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
  });
  const targets = new Map<string, string>();
  await readXml(b, entries.get('xl/_rels/workbook.xml.rels'), {
    open: (n, a) => {
      if (n === 'Relationship' && a.Id !== undefined && a.Target !== undefined) targets.set(a.Id, a.Target);
    },
  });
  const sheets = order.flatMap(({ name, rid }) => {
    const target = targets.get(rid);
    if (target === undefined) return [];
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    return [{ name, path: path.toLowerCase() }];
  });
  if (sheets.length === 0) throw new Unreadable('no sheet');
  return { sheets, date1904 };
}

const DAY_MS = 86_400_000;
/** Excel's day 0: 1899-12-30 (the 1900 system, leap-year bug included) or 1904-01-01. */
const epochOf = (date1904: boolean) => (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30));

function columnIndex(ref: string | undefined): number | undefined {
  const letters = /^([A-Z]+)/i.exec(ref ?? '')?.[1];
  if (letters === undefined) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** What every sheet's cells are read with: the shared strings, the date styles and the date system. */
interface Book {
  bytes: Uint8Array;
  entries: Map<string, Entry>;
  sheets: { name: string; path: string }[];
  strings: string[];
  dates: Set<number>;
  epoch: number;
}

async function openBook(bytes: Uint8Array, only?: number): Promise<Book> {
  const entries = centralDirectory(bytes);
  const list = await sheetList(bytes, entries);
  const sheets = only === undefined ? list.sheets : list.sheets.slice(0, only);
  // Every entry this reader may open is checked before any is inflated.
  for (const name of ['xl/sharedstrings.xml', 'xl/styles.xml', ...sheets.map((s) => s.path)]) {
    const e = entries.get(name);
    if (e !== undefined && e.size > XLSX_ENTRY_LIMIT) throw new TooLarge(e.name);
  }
  return {
    bytes,
    entries,
    sheets,
    strings: await sharedStrings(bytes, entries.get('xl/sharedstrings.xml')),
    dates: await dateStyles(bytes, entries.get('xl/styles.xml')),
    epoch: epochOf(list.date1904),
  };
}

/** One sheet's rows as text records (blank rows skipped, numbering kept), stopping after `max` records. */
async function readRecords(
  book: Book,
  path: string,
  max: number,
  budget: { cells: number } = { cells: XLSX_CELL_LIMIT },
): Promise<{ records: CsvRecord[]; truncated: boolean }> {
  const sheet = book.entries.get(path);
  if (sheet === undefined) throw new Unreadable('sheet missing');
  const { strings, dates, epoch } = book;
  const records: CsvRecord[] = [];
  let truncated = false;
  let rowNumber = 0;
  let cells: string[] = [];
  let col = -1;
  let type = 'n';
  let style = 0;
  let value = '';
  let inValue = false;
  const cellText = (): string => {
    switch (type) {
      case 's':
        return strings[Number(value)] ?? '';
      case 'inlineStr':
      case 'str':
      case 'e':
        return unescapeXlsx(value);
      case 'b':
        return value.trim() === '1' ? 'TRUE' : value.trim() === '0' ? 'FALSE' : '';
      case 'd': {
        const ms = Date.parse(value.endsWith('Z') || /[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
        return Number.isNaN(ms) ? value : dateText(new Date(ms));
      }
      default: {
        if (value.trim() === '') return '';
        if (dates.has(style)) {
          const serial = Number(value);
          if (Number.isFinite(serial)) return dateText(new Date(epoch + serial * DAY_MS));
        }
        return numberText(value);
      }
    }
  };
  await readXml(
    book.bytes,
    sheet,
    {
      open: (n, a) => {
        if (n === 'row') {
          rowNumber = a.r !== undefined && /^\d+$/.test(a.r) ? Number(a.r) : rowNumber + 1;
          cells = [];
          col = -1;
        } else if (n === 'c') {
          col = columnIndex(a.r) ?? col + 1;
          type = a.t ?? 'n';
          style = Number(a.s ?? 0);
          value = '';
        } else if (n === 'v' || (n === 't' && type === 'inlineStr')) inValue = true;
      },
      text: (t) => {
        if (inValue) value += t;
      },
      close: (n) => {
        if (n === 'v' || n === 't') inValue = false;
        else if (n === 'c') {
          const text = cellText();
          // An empty cell is not held (nor the row padded to it); a filled one pads its row, within the budget.
          if (text !== '' && col >= 0 && col < 16_384) {
            if (col >= cells.length) budget.cells -= col + 1 - cells.length;
            // Over budget: nothing more is held, and reading stops at the end of this chunk (a throw here would
            // surface from inside the XML parser as an unreadable file).
            if (budget.cells < 0) return;
            while (cells.length < col) cells.push('');
            cells[col] = text;
          }
        } else if (n === 'row') {
          // Blank rows are skipped, as in CSV, but the numbering keeps counting them.
          if (!truncated && cells.some((c) => c.trim() !== '')) {
            records.push({ row: rowNumber, cells: cells.map((c) => c ?? '') });
            if (records.length >= max) truncated = true;
          }
        }
      },
    },
    () => truncated || budget.cells < 0,
  );
  if (budget.cells < 0) throw new TooLarge(path);
  return { records, truncated };
}

const failure = (
  err: unknown,
): { ok: false; message: 'unreadable' } | { ok: false; message: 'too_large'; entry: string } => {
  if (err instanceof TooLarge) return { ok: false, message: 'too_large', entry: err.entry };
  if (err instanceof Unreadable) return { ok: false, message: 'unreadable' };
  throw err;
};

/** The first worksheet, as the imports read it; reading stops after `maxRecords` records. */
export async function readXlsxRecords(bytes: Uint8Array, opts: { maxRecords?: number } = {}): Promise<XlsxRead> {
  try {
    const book = await openBook(bytes, 1);
    const first = book.sheets[0];
    if (first === undefined) throw new Unreadable('no sheet');
    const { records, truncated } = await readRecords(book, first.path, opts.maxRecords ?? Number.POSITIVE_INFINITY);
    return { ok: true, records, truncated };
  } catch (err) {
    return failure(err);
  }
}

export type XlsxWorkbook =
  | { ok: true; sheets: { name: string; records: CsvRecord[] }[] }
  | { ok: false; message: 'unreadable' }
  | { ok: false; message: 'too_large'; entry: string };

/** Every worksheet by name, in workbook order, read like readXlsxRecords (XLSForm needs survey, choices, settings). */
export async function readXlsxWorkbook(bytes: Uint8Array, opts: { maxRecords?: number } = {}): Promise<XlsxWorkbook> {
  try {
    const book = await openBook(bytes);
    const sheets: { name: string; records: CsvRecord[] }[] = [];
    const budget = { cells: XLSX_CELL_LIMIT }; // one budget for the whole workbook
    for (const s of book.sheets) {
      const { records } = await readRecords(book, s.path, opts.maxRecords ?? Number.POSITIVE_INFINITY, budget);
      sheets.push({ name: s.name, records });
    }
    return { ok: true, sheets };
  } catch (err) {
    return failure(err);
  }
}
