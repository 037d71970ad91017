// Imports of schools, people, supervisor assignments and the annual supervision plan (admin API and CLI), from
// CSV or XLSX (the first worksheet). Every row is validated first and every problem is reported with its spreadsheet
// row (header = 1), column and a Thai + English message; nothing is written unless every row is good. Writes upsert
// by natural keys (school code; person external id; supervisor + school/cluster; supervisor + school + start), so
// re-running the same file changes nothing.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { AppError, type FieldIssue } from '../errors.js';
import { schoolIdsByCode, upsertPeople, upsertSchools } from '../admin/admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import { decodeUtf8, parseCsv, type CsvRecord } from './csv.js';
import { existingExternalIds } from './imports.queries.js';
import { importAssignments } from './assignments.js';
import { importPlanRows } from './plan.js';
import {
  bi,
  checkDuplicates,
  MAX_IMPORT_ROWS,
  checkText as checkTextTh,
  emptyResult,
  finishChecks,
  readTable,
  type Columns,
  type ImportKind,
  type ImportOptions,
  type ImportResult,
} from './sheet.js';
import { importEqaResults } from './eqa.js';
import { isOldXls, isXlsx, readXlsxRecords, XLSX_CELL_LIMIT, XLSX_ENTRY_LIMIT } from './xlsx.js';
import {
  learningAreas,
  learningAreaTh,
  parseLearningArea,
  parseLevel,
  parseList,
  parsePosition,
  parseSize,
  positions,
  schoolLevels,
  schoolLevelTh,
  schoolSizes,
  schoolSizeTh,
  splitList,
  type PersonAttrs,
  type SchoolAttrs,
} from '../org/attributes.js';

export {
  importKinds,
  MAX_IMPORT_ROWS,
  type ImportKind,
  type ImportOptions,
  type ImportResult,
  type ImportInvite,
} from './sheet.js';

const schoolColumns: Columns<
  | 'code'
  | 'name'
  | 'cluster_code'
  | 'cluster_name'
  | 'levels'
  | 'size'
  | 'subdistrict'
  | 'district'
  | 'province'
  | 'tags'
> = {
  code: { th: 'รหัสโรงเรียน', aliases: ['รหัสโรงเรียน', 'code', 'school_code'] },
  name: { th: 'ชื่อ', aliases: ['ชื่อโรงเรียน', 'name', 'school_name'] },
  cluster_code: { th: 'รหัสเครือข่าย', aliases: ['รหัสเครือข่าย', 'cluster_code'] },
  cluster_name: { th: 'ชื่อเครือข่าย', aliases: ['ชื่อเครือข่าย', 'cluster_name'] },
  levels: { th: 'ระดับที่เปิดสอน', aliases: ['ระดับที่เปิดสอน', 'ระดับการศึกษา', 'ระดับชั้น', 'levels', 'level'] },
  size: { th: 'ขนาดโรงเรียน', aliases: ['ขนาดโรงเรียน', 'ขนาด', 'size'] },
  subdistrict: { th: 'ตำบล', aliases: ['ตำบล', 'แขวง', 'subdistrict'] },
  district: { th: 'อำเภอ', aliases: ['อำเภอ', 'เขต/อำเภอ', 'district'] },
  province: { th: 'จังหวัด', aliases: ['จังหวัด', 'province'] },
  tags: { th: 'โครงการ/แท็ก', aliases: ['โครงการ/แท็ก', 'โครงการ', 'แท็ก', 'tags', 'projects'] },
};
const peopleColumns: Columns<'name' | 'role' | 'school_code' | 'external_id' | 'learning_areas' | 'position'> = {
  name: { th: 'ชื่อ', aliases: ['ชื่อ-สกุล', 'ชื่อ - นามสกุล', 'ชื่อ-นามสกุล', 'name'] },
  role: { th: 'บทบาท', aliases: ['บทบาท', 'role'] },
  school_code: { th: 'รหัสโรงเรียน', aliases: ['รหัสโรงเรียน', 'school_code'] },
  external_id: { th: 'รหัสบุคลากร', aliases: ['รหัสบุคลากร', 'external_id'] },
  learning_areas: {
    th: 'กลุ่มสาระการเรียนรู้',
    aliases: ['กลุ่มสาระการเรียนรู้', 'กลุ่มสาระ', 'learning_areas', 'learning_area'],
  },
  position: { th: 'ตำแหน่ง', aliases: ['ตำแหน่ง', 'position'] },
};
/** An issue's field as the column's Thai header: the import's messages and the imports page name columns by it. */
export const columnTh: Record<string, string> = {
  code: 'รหัสโรงเรียน',
  name: 'ชื่อ',
  cluster_code: 'รหัสเครือข่าย',
  cluster_name: 'ชื่อเครือข่าย',
  role: 'บทบาท',
  school_code: 'รหัสโรงเรียน',
  external_id: 'รหัสบุคลากร',
  subdistrict: 'ตำบล',
  district: 'อำเภอ',
  province: 'จังหวัด',
  supervisor_external_id: 'รหัสศึกษานิเทศก์',
  kind: 'ประเภท',
  learning_area: 'กลุ่มสาระ',
  date: 'วันที่',
  time: 'เวลา',
  purpose: 'วัตถุประสงค์',
  assessed_on: 'วันที่ประเมิน',
  standard: 'มาตรฐาน',
  level: 'ระดับคุณภาพ',
  '(file)': 'ทั้งไฟล์ / whole file',
  '(header)': 'หัวคอลัมน์ / header',
};
const checkText = (
  issues: FieldIssue[],
  row: number,
  field: string,
  value: string,
  o: { required: boolean; max: number },
) => checkTextTh(issues, row, field, columnTh[field] ?? field, value, o);

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
  กรรมการ: 'committee',
  'ก.ต.ป.น.': 'committee',
  'กรรมการก.ต.ป.น.': 'committee',
  ผู้ทรงคุณวุฒิ: 'committee',
  committee: 'committee',
};

/** A school's attributes from the columns the file has; each value not understood is an issue naming its column. */
function schoolAttrsOf(
  issues: FieldIssue[],
  row: number,
  cell: (k: 'levels' | 'size' | 'subdistrict' | 'district' | 'province' | 'tags') => string | undefined,
): SchoolAttrs {
  const attrs: SchoolAttrs = {};
  const levels = cell('levels');
  if (levels !== undefined) {
    const { codes, unknown } = parseList(levels, parseLevel);
    attrs.levels = codes;
    for (const u of unknown) {
      const message = bi(
        `ไม่รู้จักระดับ "${u}" (${Object.values(schoolLevelTh).join(', ')})`,
        `unknown level "${u}" (${schoolLevels.join(', ')})`,
      );
      issues.push({ row, field: 'levels', message });
    }
  }
  const size = cell('size');
  if (size !== undefined) {
    attrs.size = size === '' ? null : (parseSize(size) ?? null);
    if (size !== '' && attrs.size === null) {
      const message = bi(
        `ไม่รู้จักขนาดโรงเรียน "${size}" (${Object.values(schoolSizeTh).join(', ')})`,
        `unknown size "${size}" (${schoolSizes.join(', ')})`,
      );
      issues.push({ row, field: 'size', message });
    }
  }
  for (const k of ['subdistrict', 'district', 'province'] as const) {
    const v = cell(k);
    if (v === undefined) continue;
    checkText(issues, row, k, v, { required: false, max: 100 });
    attrs[k] = v === '' ? null : v;
  }
  const tags = cell('tags');
  if (tags !== undefined) {
    attrs.tags = splitList(tags);
    for (const t of attrs.tags) {
      if (t.length > 100) {
        issues.push({ row, field: 'tags', message: bi('โครงการ/แท็กยาวเกิน 100 ตัวอักษร', 'a tag is longer than 100') });
      }
    }
  }
  return attrs;
}

function personAttrsOf(
  issues: FieldIssue[],
  row: number,
  cell: (k: 'learning_areas' | 'position') => string | undefined,
): PersonAttrs {
  const attrs: PersonAttrs = {};
  const areas = cell('learning_areas');
  if (areas !== undefined) {
    const { codes, unknown } = parseList(areas, parseLearningArea);
    attrs.learningAreas = codes;
    for (const u of unknown) {
      const message = bi(
        `ไม่รู้จักกลุ่มสาระ "${u}" (${Object.values(learningAreaTh).join(', ')})`,
        `unknown learning area "${u}" (${learningAreas.join(', ')})`,
      );
      issues.push({ row, field: 'learning_areas', message });
    }
  }
  const position = cell('position');
  if (position !== undefined) {
    attrs.position = position === '' ? null : (parsePosition(position) ?? null);
    if (position !== '' && attrs.position === null) {
      const message = bi(`ไม่รู้จักตำแหน่ง "${position}"`, `unknown position "${position}" (${positions.join(', ')})`);
      issues.push({ row, field: 'position', message });
    }
  }
  return attrs;
}

export function parseRole(value: string): Role | undefined {
  return roleAliases[value.trim().toLowerCase().replace(/\s+/g, '')];
}

/** An uploaded file: XLSX when its content type or zip signature says so, else CSV that must be UTF-8. */
export async function importFile(
  db: Db,
  officeId: string,
  kind: ImportKind,
  bytes: Uint8Array,
  contentType: string,
  opts: ImportOptions,
): Promise<ImportResult> {
  if (isXlsx(bytes, contentType)) {
    // One record past the header and the row limit is enough to say the file is over it: reading stops there.
    const read = await readXlsxRecords(bytes, { maxRecords: MAX_IMPORT_ROWS + 2 });
    if (!read.ok && read.message === 'too_large') {
      const mb = XLSX_ENTRY_LIMIT / (1024 * 1024);
      throw new AppError('payload_too_large', `The workbook unpacks to more than ${mb} MB`, [
        {
          row: 1,
          field: '(file)',
          message: bi(
            `ไฟล์ Excel นี้เมื่อแตกไฟล์แล้วใหญ่เกิน ${mb} MB หรือมีเซลล์เกิน ${XLSX_CELL_LIMIT.toLocaleString('en-US')} เซลล์ (${read.entry})`,
            `the workbook unpacks to more than ${mb} MB or holds more than ${XLSX_CELL_LIMIT.toLocaleString('en-US')} cells (${read.entry})`,
          ),
        },
      ]);
    }
    if (!read.ok) {
      const message = bi('อ่านไฟล์ Excel (.xlsx) ไม่ได้', 'the file is not a readable .xlsx workbook');
      return emptyResult(kind, opts, [{ row: 1, field: '(file)', message }]);
    }
    return importRecords(db, officeId, kind, read.records, opts);
  }
  if (isOldXls(bytes)) {
    const message = bi(
      'ไฟล์ .xls รุ่นเก่า: บันทึกเป็น .xlsx หรือ CSV UTF-8',
      'an old .xls file: save it as .xlsx or CSV UTF-8',
    );
    return emptyResult(kind, opts, [{ row: 1, field: '(file)', message }]);
  }
  const csv = decodeUtf8(bytes);
  if (csv === undefined) {
    const message = bi('ไฟล์ต้องเป็น UTF-8 (CSV UTF-8)', 'the file must be UTF-8 (save as "CSV UTF-8")');
    return emptyResult(kind, opts, [{ row: 1, field: '(file)', message }]);
  }
  return importCsv(db, officeId, kind, csv, opts);
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
  return importRecords(db, officeId, kind, parsed.records, opts);
}

/** One pipeline for both formats: the records carry spreadsheet row numbers whatever the file was. */
export function importRecords(
  db: Db,
  officeId: string,
  kind: ImportKind,
  records: CsvRecord[],
  opts: ImportOptions,
): Promise<ImportResult> {
  opts.progress?.('read', Math.max(records.length - 1, 0));
  switch (kind) {
    case 'schools':
      return importSchools(db, officeId, records, opts);
    case 'people':
      return importPeople(db, officeId, records, opts);
    case 'assignments':
      return importAssignments(db, officeId, records, opts);
    case 'plan':
      return importPlanRows(db, officeId, records, opts);
    case 'eqa':
      return importEqaResults(db, officeId, records, opts);
  }
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
    attrs: schoolAttrsOf(issues, r.row, (k) => (table.has(k) ? r.get(k) : undefined)),
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
  const result = finishChecks('schools', opts, issues, rows, table.ignored);
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
        attrs: r.attrs,
      })),
    );
    await audit(tx, {
      actor: opts.actor,
      officeId,
      action: 'import.schools',
      detail: { rows: rows.length, written: n, created: result.created, updated: result.updated },
    });
    return n;
  });
  opts.progress?.('written', result.written);
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
    attrs: personAttrsOf(issues, r.row, (k) => (table.has(k) ? r.get(k) : undefined)),
  }));
  const codes = [...new Set(rows.map((r) => r.schoolCode).filter((c) => c !== ''))];
  const schoolIds = await schoolIdsByCode(db, officeId, codes);
  for (const r of rows) {
    checkText(issues, r.row, 'name', r.name, { required: true, max: 200 });
    if (r.roleText === '') checkText(issues, r.row, 'role', '', { required: true, max: 0 });
    else if (r.role === undefined) {
      const message = bi(
        `ไม่รู้จักบทบาท "${r.roleText}" (ครู, ผอ., ศึกษานิเทศก์, ผู้อำนวยการเขต, ผู้ดูแลระบบ, กรรมการ ก.ต.ป.น.)`,
        `unknown role "${r.roleText}" (teacher, principal, supervisor, director, admin, committee)`,
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
  const result = finishChecks('people', opts, issues, rows, table.ignored);
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
        attrs: r.attrs,
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
      actor: opts.actor,
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
  opts.progress?.('written', result.written);
  return result;
}
