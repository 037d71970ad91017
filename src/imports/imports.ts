// CSV imports of schools and people (admin API and CLI). Every row is validated first and every problem is
// reported with its spreadsheet row (header = 1), column and a Thai + English message; nothing is written
// unless every row is good. Writes upsert by natural keys (school code; person external id), so re-running
// the same file updates instead of duplicating.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import type { FieldIssue } from '../errors.js';
import { audit, schoolIdsByCode, upsertPeople, upsertSchools } from '../admin/admin.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import { parseCsv, type CsvRecord } from './csv.js';
import { existingExternalIds } from './imports.queries.js';

export const importKinds = ['schools', 'people'] as const;
export type ImportKind = (typeof importKinds)[number];
export const MAX_IMPORT_ROWS = 5000;

export interface ImportOptions {
  dryRun: boolean;
  /** People only: issue invite codes for people this import creates. */
  invites?: boolean;
  inviteDays?: number;
  now: number;
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
  /** Columns whose header is not recognised; their cells are ignored. */
  ignoredColumns: string[];
  /** Row is the spreadsheet row: 1 is the header, the first data row is 2. */
  issues: FieldIssue[];
  invites: ImportInvite[];
}

const bi = (th: string, en: string) => `${th} / ${en}`;
const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s\-_]+/g, '_');

const schoolColumns = {
  code: ['รหัสโรงเรียน', 'code', 'school_code'],
  name: ['ชื่อโรงเรียน', 'name', 'school_name'],
  cluster_code: ['รหัสเครือข่าย', 'cluster_code'],
  cluster_name: ['ชื่อเครือข่าย', 'cluster_name'],
} as const;
const peopleColumns = {
  name: ['ชื่อ-สกุล', 'ชื่อ - นามสกุล', 'ชื่อ-นามสกุล', 'name'],
  role: ['บทบาท', 'role'],
  school_code: ['รหัสโรงเรียน', 'school_code'],
  external_id: ['รหัสบุคลากร', 'external_id'],
} as const;
const columnTh: Record<string, string> = {
  code: 'รหัสโรงเรียน',
  name: 'ชื่อ',
  cluster_code: 'รหัสเครือข่าย',
  cluster_name: 'ชื่อเครือข่าย',
  role: 'บทบาท',
  school_code: 'รหัสโรงเรียน',
  external_id: 'รหัสบุคลากร',
};

const roleAliases: Record<string, Role> = {
  ครู: 'teacher',
  teacher: 'teacher',
  ผู้อำนวยการโรงเรียน: 'principal',
  'ผอ.': 'principal',
  ผอ: 'principal',
  principal: 'principal',
  ศึกษานิเทศก์: 'supervisor',
  'ศน.': 'supervisor',
  supervisor: 'supervisor',
  ผู้อำนวยการเขต: 'director',
  'ผอ.เขต': 'director',
  director: 'director',
  ผู้ดูแลระบบ: 'admin',
  admin: 'admin',
};

export function parseRole(value: string): Role | undefined {
  return roleAliases[value.trim().toLowerCase().replace(/\s+/g, '')];
}

type Table<K extends string> = { rows: { row: number; get(k: K): string }[]; ignored: string[] };

/** Maps the header row to known columns; names every missing required column and every column given twice. */
function readTable<K extends string>(
  records: CsvRecord[],
  columns: Record<K, readonly string[]>,
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
    const key = keys.find((k) => columns[k].some((alias) => norm(alias) === norm(raw)));
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
        message: bi(`ไม่พบคอลัมน์ ${columnTh[k] ?? k}`, `missing column ${k} (${columns[k].join(' / ')})`),
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
    rows: data.map((r) => ({
      row: r.row,
      get: (k: K) => {
        const i = index.get(k);
        return i === undefined ? '' : (r.cells[i] ?? '').trim();
      },
    })),
  };
}

function checkText(
  issues: FieldIssue[],
  row: number,
  field: string,
  value: string,
  o: { required: boolean; max: number },
): void {
  const th = columnTh[field] ?? field;
  if (value === '' && o.required) issues.push({ row, field, message: bi(`ต้องระบุ${th}`, `${field} is required`) });
  else if (value.length > o.max) {
    issues.push({ row, field, message: bi(`${th}ยาวเกิน ${o.max} ตัวอักษร`, `${field} is longer than ${o.max}`) });
  }
}

function checkDuplicates(issues: FieldIssue[], rows: { row: number; key: string }[], field: string): void {
  const seen = new Map<string, number>();
  for (const { row, key } of rows) {
    if (key === '') continue;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row);
    else issues.push({ row, field, message: bi(`ซ้ำกับแถวที่ ${first}`, `duplicate of row ${first}`) });
  }
}

const byRow = (a: FieldIssue, b: FieldIssue) => (a.row ?? 0) - (b.row ?? 0);

function emptyResult(kind: ImportKind, opts: ImportOptions, issues: FieldIssue[], rowsRead = 0): ImportResult {
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

export async function importCsv(
  db: Db,
  officeId: string,
  kind: ImportKind,
  csv: string,
  opts: ImportOptions,
): Promise<ImportResult> {
  const parsed = parseCsv(csv);
  if (!parsed.ok) {
    const message = bi('เครื่องหมายคำพูด (") ไม่ได้ปิด', `unterminated quoted field (")`);
    return emptyResult(kind, opts, [{ row: parsed.row, field: '(file)', message }]);
  }
  return kind === 'schools'
    ? importSchools(db, officeId, parsed.records, opts)
    : importPeople(db, officeId, parsed.records, opts);
}

async function importSchools(db: Db, officeId: string, records: CsvRecord[], opts: ImportOptions) {
  const issues: FieldIssue[] = [];
  const table = readTable(records, schoolColumns, ['code', 'name'], issues);
  if (table === undefined) return emptyResult('schools', opts, issues, Math.max(records.length - 1, 0));
  const rows = table.rows.map((r) => ({
    row: r.row,
    code: r.get('code'),
    name: r.get('name'),
    clusterCode: r.get('cluster_code'),
    clusterName: r.get('cluster_name'),
  }));
  for (const r of rows) {
    if (r.code === '') checkText(issues, r.row, 'code', r.code, { required: true, max: 10 });
    else if (!/^\d{8,10}$/.test(r.code)) {
      const message = bi('รหัสโรงเรียนต้องเป็นตัวเลข 8–10 หลัก', 'school code must be 8–10 digits');
      issues.push({ row: r.row, field: 'code', message });
    }
    checkText(issues, r.row, 'name', r.name, { required: true, max: 200 });
    checkText(issues, r.row, 'cluster_code', r.clusterCode, { required: false, max: 50 });
    checkText(issues, r.row, 'cluster_name', r.clusterName, { required: false, max: 200 });
    if (r.clusterName !== '' && r.clusterCode === '') {
      const message = bi('มีชื่อเครือข่ายแต่ไม่มีรหัสเครือข่าย', 'cluster name given without a cluster code');
      issues.push({ row: r.row, field: 'cluster_code', message });
    }
  }
  checkDuplicates(
    issues,
    rows.map((r) => ({ row: r.row, key: r.code })),
    'code',
  );
  const result = emptyResult('schools', opts, issues.sort(byRow), rows.length);
  result.ignoredColumns = table.ignored;
  const badRows = new Set(issues.map((i) => i.row));
  result.valid = rows.filter((r) => !badRows.has(r.row)).length;
  if (issues.length > 0) return result;

  const existing = await schoolIdsByCode(
    db,
    officeId,
    rows.map((r) => r.code),
  );
  result.updated = existing.size;
  result.created = rows.length - existing.size;
  if (opts.dryRun) return result;
  result.written = await db.transaction(async (tx) => {
    const n = await upsertSchools(
      tx,
      officeId,
      rows.map((r) => ({
        code: r.code,
        nameTh: r.name,
        clusterCode: r.clusterCode === '' ? null : r.clusterCode,
        clusterNameTh: r.clusterName === '' ? null : r.clusterName,
      })),
    );
    await audit(tx, {
      officeId,
      action: 'import.schools',
      detail: { rows: rows.length, written: n, created: result.created, updated: result.updated },
    });
    return n;
  });
  return result;
}

async function importPeople(db: Db, officeId: string, records: CsvRecord[], opts: ImportOptions) {
  const issues: FieldIssue[] = [];
  const table = readTable(records, peopleColumns, ['name', 'role', 'external_id'], issues);
  if (table === undefined) return emptyResult('people', opts, issues, Math.max(records.length - 1, 0));
  const rows = table.rows.map((r) => ({
    row: r.row,
    name: r.get('name'),
    roleText: r.get('role'),
    role: parseRole(r.get('role')),
    schoolCode: r.get('school_code'),
    externalId: r.get('external_id'),
  }));
  const codes = [...new Set(rows.map((r) => r.schoolCode).filter((c) => c !== ''))];
  const schoolIds = await schoolIdsByCode(db, officeId, codes);
  for (const r of rows) {
    checkText(issues, r.row, 'name', r.name, { required: true, max: 200 });
    if (r.roleText === '') checkText(issues, r.row, 'role', '', { required: true, max: 0 });
    else if (r.role === undefined) {
      const message = bi(
        `ไม่รู้จักบทบาท "${r.roleText}" (ครู, ผอ., ศึกษานิเทศก์, ผู้อำนวยการเขต, ผู้ดูแลระบบ)`,
        `unknown role "${r.roleText}" (teacher, principal, supervisor, director, admin)`,
      );
      issues.push({ row: r.row, field: 'role', message });
    }
    if (r.schoolCode !== '' && !schoolIds.has(r.schoolCode)) {
      const message = bi(`ไม่พบโรงเรียนรหัส ${r.schoolCode} ในเขตนี้`, `no school with code ${r.schoolCode} in this office`);
      issues.push({ row: r.row, field: 'school_code', message });
    } else if (r.schoolCode === '' && (r.role === 'teacher' || r.role === 'principal')) {
      const message = bi('ครูและผู้อำนวยการโรงเรียนต้องระบุรหัสโรงเรียน', `a ${r.role} needs a school code`);
      issues.push({ row: r.row, field: 'school_code', message });
    }
    checkText(issues, r.row, 'external_id', r.externalId, { required: true, max: 100 });
  }
  checkDuplicates(
    issues,
    rows.map((r) => ({ row: r.row, key: r.externalId })),
    'external_id',
  );
  const result = emptyResult('people', opts, issues.sort(byRow), rows.length);
  result.ignoredColumns = table.ignored;
  const badRows = new Set(issues.map((i) => i.row));
  result.valid = rows.filter((r) => !badRows.has(r.row)).length;
  if (issues.length > 0) return result;

  const existing = await existingExternalIds(
    db,
    officeId,
    rows.map((r) => r.externalId),
  );
  result.updated = existing.size;
  result.created = rows.length - existing.size;
  if (opts.dryRun) return result;

  const fresh = rows.map(() => crypto.randomUUID());
  await db.transaction(async (tx) => {
    const ids = await upsertPeople(
      tx,
      officeId,
      rows.map((r, i) => ({
        id: fresh[i] ?? crypto.randomUUID(),
        displayName: r.name,
        // Every row passed validation, so each has a role.
        role: r.role ?? 'teacher',
        schoolId: r.schoolCode === '' ? null : (schoolIds.get(r.schoolCode) ?? null),
        externalId: r.externalId,
      })),
    );
    result.written = ids.length;
    result.created = ids.filter((id, i) => id === fresh[i]).length;
    result.updated = ids.length - result.created;
    if (opts.invites === true) {
      const created = ids.flatMap((id, i) => (id === fresh[i] ? [{ id, r: rows[i] }] : []));
      const issued = await issueInvites(
        tx,
        officeId,
        created.map((c) => c.id),
        opts.now,
        opts.inviteDays,
      );
      const byPerson = new Map(issued.map((i) => [i.personId, i]));
      result.invites = created.flatMap(({ id, r }) => {
        const invite = byPerson.get(id);
        return invite === undefined || r === undefined
          ? []
          : [
              {
                row: r.row,
                personId: id,
                externalId: r.externalId,
                name: r.name,
                code: invite.code,
                expiresAt: invite.expiresAt,
              },
            ];
      });
    }
    await audit(tx, {
      officeId,
      action: 'import.people',
      detail: {
        rows: rows.length,
        written: result.written,
        created: result.created,
        updated: result.updated,
        invites: result.invites.length,
      },
    });
  });
  return result;
}
