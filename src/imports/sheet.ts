// The parts every import kind shares: the result shape, bilingual messages, the header row mapped to known columns
// (Thai or English names), and the checks that name a row and column. A kind only lists its columns and rules.
import type { FieldIssue } from '../errors.js';
import type { CsvRecord } from './csv.js';

export const importKinds = ['schools', 'people', 'assignments', 'plan', 'eqa'] as const;
export type ImportKind = (typeof importKinds)[number];
export const MAX_IMPORT_ROWS = 5000;
/** An uploaded file (CSV, XLSX, an XLSForm or a checklist's JSON) larger than this is refused. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportOptions {
  dryRun: boolean;
  /** People only: issue invite codes for people this import creates. */
  invites?: boolean;
  inviteDays?: number;
  now: number;
  /** The audit log's actor (the admin API passes its caller's); 'admin-token' when unsaid. */
  actor?: string;
  /** Called as the import moves on (the CLI prints it on stderr). */
  progress?: (stage: 'read' | 'validated' | 'written', rows: number) => void;
}

export interface ImportInvite {
  row: number;
  personId: string;
  externalId: string;
  name: string;
  code: string;
  expiresAt: string;
}

export interface ImportResult {
  kind: ImportKind;
  dryRun: boolean;
  /** Data rows read (blank rows skipped). */
  rowsRead: number;
  valid: number;
  /** Rows upserted; 0 on a dry run or when any row is bad. */
  written: number;
  /** Of the valid rows, how many are (or on a dry run would be) new, and how many update an existing row. */
  created: number;
  updated: number;
  /** Rows already exactly as in the file (assignments and plan; schools and people count them as updated). */
  unchanged?: number;
  /** Columns whose header is not recognised; their cells are ignored. */
  ignoredColumns: string[];
  /** Row is the spreadsheet row: 1 is the header, the first data row is 2. */
  issues: FieldIssue[];
  /** Plan only: rows checked good but refused by the write (their assignment removed in between). Rare. */
  skipped?: FieldIssue[];
  invites: ImportInvite[];
}

/** "ไทย / English": every message an admin reads in an import report. */
export const bi = (th: string, en: string) => `${th} / ${en}`;

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s\-_]+/g, '_');

/** A kind's columns: the Thai name shown in messages, then every header accepted for it. */
export type Columns<K extends string> = Record<K, { th: string; aliases: readonly string[] }>;

export interface Table<K extends string> {
  rows: { row: number; get(k: K): string }[];
  ignored: string[];
  /** The file has this column (an absent optional column keeps what is stored; an empty cell clears it). */
  has(k: K): boolean;
}

/** Maps the header row to known columns; names every missing required column and every column given twice. */
export function readTable<K extends string>(
  records: CsvRecord[],
  columns: Columns<K>,
  required: readonly NoInfer<K>[],
  issues: FieldIssue[],
): Table<K> | undefined {
  const [header, ...data] = records;
  if (header === undefined || header.row !== 1) {
    issues.push({ row: 1, field: '(header)', message: bi('แถวแรกต้องเป็นหัวคอลัมน์', 'row 1 must be the header') });
    return undefined;
  }
  const index = new Map<K, number>();
  const ignored: string[] = [];
  const keys = Object.keys(columns) as K[];
  header.cells.forEach((raw, i) => {
    const key = keys.find((k) => columns[k].aliases.some((alias) => norm(alias) === norm(raw)));
    if (key === undefined) {
      if (raw.trim() !== '') ignored.push(raw.trim());
    } else if (index.has(key)) {
      issues.push({
        row: 1,
        field: key,
        message: bi(`คอลัมน์ "${raw.trim()}" ซ้ำ`, `column "${raw.trim()}" is repeated`),
      });
    } else index.set(key, i);
  });
  for (const k of required) {
    if (!index.has(k)) {
      issues.push({
        row: 1,
        field: k,
        message: bi(`ไม่พบคอลัมน์ ${columns[k].th}`, `missing column ${k} (${columns[k].aliases.join(' / ')})`),
      });
    }
  }
  if (data.length === 0) issues.push({ row: 2, field: '(file)', message: bi('ไม่มีข้อมูล', 'no data rows') });
  if (data.length > MAX_IMPORT_ROWS) {
    issues.push({
      row: MAX_IMPORT_ROWS + 2,
      field: '(file)',
      message: bi(`นำเข้าได้ไม่เกิน ${MAX_IMPORT_ROWS} แถวต่อครั้ง`, `at most ${MAX_IMPORT_ROWS} rows per import`),
    });
  }
  if (issues.length > 0) return undefined;
  return {
    ignored,
    has: (k: K) => index.has(k),
    rows: data.map((r) => ({
      row: r.row,
      get: (k: K) => {
        const i = index.get(k);
        return i === undefined ? '' : (r.cells[i] ?? '').trim();
      },
    })),
  };
}

export function checkText(
  issues: FieldIssue[],
  row: number,
  field: string,
  th: string,
  value: string,
  o: { required: boolean; max: number },
): void {
  if (value === '' && o.required) issues.push({ row, field, message: bi(`ต้องระบุ${th}`, `${field} is required`) });
  else if (value.length > o.max) {
    issues.push({ row, field, message: bi(`${th}ยาวเกิน ${o.max} ตัวอักษร`, `${field} is longer than ${o.max}`) });
  }
}

export function checkDuplicates(issues: FieldIssue[], rows: { row: number; key: string }[], field: string): void {
  const seen = new Map<string, number>();
  for (const { row, key } of rows) {
    if (key === '') continue;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row);
    else issues.push({ row, field, message: bi(`ซ้ำกับแถวที่ ${first}`, `duplicate of row ${first}`) });
  }
}

export const byRow = (a: FieldIssue, b: FieldIssue) => (a.row ?? 0) - (b.row ?? 0);

export function emptyResult(kind: ImportKind, opts: ImportOptions, issues: FieldIssue[], rowsRead = 0): ImportResult {
  return {
    kind,
    dryRun: opts.dryRun,
    rowsRead,
    valid: 0,
    written: 0,
    created: 0,
    updated: 0,
    ignoredColumns: [],
    issues,
    invites: [],
  };
}

/** Sorts the issues by row and counts the rows that have none. */
export function finishChecks(
  kind: ImportKind,
  opts: ImportOptions,
  issues: FieldIssue[],
  rows: { row: number }[],
  ignored: string[],
): ImportResult {
  const result = emptyResult(kind, opts, issues.sort(byRow), rows.length);
  result.ignoredColumns = ignored;
  const badRows = new Set(issues.map((i) => i.row));
  result.valid = rows.filter((r) => !badRows.has(r.row)).length;
  opts.progress?.('validated', result.valid);
  return result;
}
