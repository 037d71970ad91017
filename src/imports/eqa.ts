// สมศ.'s external assessment results from a spreadsheet (issue 16 item 4): one row per school and standard — the
// school's code, the assessment's date (Thai B.E. or C.E., as typed anywhere else, or an Excel date cell), the
// standard's number (1, "มาตรฐานที่ 2") and the level (1–5 or its Thai name, ยอดเยี่ยม … กำลังพัฒนา). Upserts by
// (school, date, standard): importing the same file twice changes nothing; a corrected level replaces the old one.
import { schoolIdsByCode } from '../admin/admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { parseThaiDate } from '../checklists/parse.js';
import type { Db } from '../db/client.js';
import type { FieldIssue } from '../errors.js';
import { saveEqaResults } from '../eqa/eqa.queries.js';
import { ratingLevels } from '../i18n/answers.th.js';
import { localDate } from '../time/thai.js';
import { officeTimeZone } from '../time/zone.queries.js';
import type { CsvRecord } from './csv.js';
import {
  bi,
  checkDuplicates,
  checkText,
  emptyResult,
  finishChecks,
  readTable,
  type Columns,
  type ImportOptions,
  type ImportResult,
} from './sheet.js';

type Col = 'school_code' | 'assessed_on' | 'standard' | 'level';

export const eqaColumns: Columns<Col> = {
  school_code: { th: 'รหัสโรงเรียน', aliases: ['รหัสโรงเรียน', 'school_code'] },
  assessed_on: { th: 'วันที่ประเมิน', aliases: ['วันที่ประเมิน', 'วันที่รับการประเมิน', 'assessed_on', 'date'] },
  standard: { th: 'มาตรฐาน', aliases: ['มาตรฐาน', 'มาตรฐานที่', 'standard'] },
  level: { th: 'ระดับคุณภาพ', aliases: ['ระดับคุณภาพ', 'ระดับ', 'ผลการประเมิน', 'level'] },
};

/** At most this many standards per assessment (the SARs have three; room for an office's own). */
export const MAX_STANDARD = 20;

/** "2", "มาตรฐานที่ 2", "ม.2": the number; anything else undefined. */
export function parseStandard(v: string): number | undefined {
  const m = /^(?:มาตรฐาน(?:ที่)?|ม\.|standard)?\s*(\d{1,2})$/iu.exec(v.trim());
  const n = m === null ? NaN : Number(m[1]);
  return Number.isInteger(n) && n >= 1 && n <= MAX_STANDARD ? n : undefined;
}

/** "4", "4 ดีเลิศ", "ดีเลิศ": the level 1–5; anything else undefined. */
export function parseLevel(v: string): number | undefined {
  const s = v.trim().replace(/\s+/g, ' ');
  const byName = (Object.entries(ratingLevels) as [string, { th: string }][]).find(([, l]) => l.th === s);
  if (byName !== undefined) return Number(byName[0]);
  const m = /^([1-5])(?:\s+(.+))?$/u.exec(s);
  if (m === null) return undefined;
  const n = Number(m[1]);
  // "4 ดีเลิศ" is read; "4 ดี" contradicts itself and is not.
  return m[2] === undefined || ratingLevels[n as 1 | 2 | 3 | 4 | 5].th === m[2] ? n : undefined;
}

export async function importEqaResults(
  db: Db,
  officeId: string,
  records: CsvRecord[],
  opts: ImportOptions,
): Promise<ImportResult> {
  const issues: FieldIssue[] = [];
  const table = readTable(records, eqaColumns, ['school_code', 'assessed_on', 'standard', 'level'], issues);
  if (table === undefined) return emptyResult('eqa', opts, issues, Math.max(records.length - 1, 0));
  const today = localDate(opts.now, await officeTimeZone(db, officeId));
  const rows = table.rows.map((r) => ({
    row: r.row,
    code: r.get('school_code'),
    dateText: r.get('assessed_on'),
    date: r.get('assessed_on') === '' ? undefined : parseThaiDate(r.get('assessed_on'), today),
    standardText: r.get('standard'),
    standard: parseStandard(r.get('standard')),
    levelText: r.get('level'),
    level: parseLevel(r.get('level')),
  }));
  const schoolIds = await schoolIdsByCode(db, officeId, [...new Set(rows.map((r) => r.code).filter((c) => c !== ''))]);
  for (const r of rows) {
    checkText(issues, r.row, 'school_code', eqaColumns.school_code.th, r.code, { required: true, max: 20 });
    if (r.code !== '' && !schoolIds.has(r.code)) {
      const message = bi(`ไม่พบโรงเรียนรหัส ${r.code} ในเขตนี้`, `no school with code ${r.code} in this office`);
      issues.push({ row: r.row, field: 'school_code', message });
    }
    checkText(issues, r.row, 'assessed_on', eqaColumns.assessed_on.th, r.dateText, { required: true, max: 40 });
    if (r.date !== undefined && !r.date.ok) {
      const message = bi(
        `อ่านวันที่ "${r.dateText}" ไม่ได้ (เช่น 15/1/2570 หรือ 2027-01-15)`,
        `unreadable date "${r.dateText}" (e.g. 15/1/2570, 2027-01-15)`,
      );
      issues.push({ row: r.row, field: 'assessed_on', message });
    }
    if (r.standard === undefined) {
      const message = bi(
        `มาตรฐาน "${r.standardText}" ต้องเป็นเลข 1–${MAX_STANDARD} (เช่น 1 หรือ มาตรฐานที่ 1)`,
        `standard "${r.standardText}" must be a number 1–${MAX_STANDARD}`,
      );
      issues.push({ row: r.row, field: 'standard', message });
    }
    if (r.level === undefined) {
      const message = bi(
        `ระดับ "${r.levelText}" ต้องเป็น 1–5 หรือ ยอดเยี่ยม ดีเลิศ ดี ปานกลาง กำลังพัฒนา`,
        `level "${r.levelText}" must be 1–5 or its Thai name`,
      );
      issues.push({ row: r.row, field: 'level', message });
    }
  }
  checkDuplicates(
    issues,
    rows.map((r) => ({
      row: r.row,
      key: r.date?.ok === true && r.standard !== undefined ? `${r.code}|${r.date.value}|${r.standard}` : '',
    })),
    'standard',
  );
  const result = finishChecks('eqa', opts, issues, rows, table.ignored);
  if (issues.length > 0 || opts.dryRun) return result;
  const inputs = rows.map((r) => ({
    schoolId: schoolIds.get(r.code) ?? '',
    assessedOn: r.date?.ok === true ? r.date.value : '',
    standard: r.standard ?? 0,
    level: r.level ?? 0,
  }));
  await db.transaction(async (tx) => {
    const n = await saveEqaResults(tx, officeId, inputs, opts.actor ?? 'admin-token');
    result.created = n.created;
    result.updated = n.updated;
    result.written = n.created + n.updated;
    await audit(tx, {
      actor: opts.actor,
      officeId,
      action: 'import.eqa',
      detail: { rows: rows.length, created: n.created, updated: n.updated },
    });
  });
  opts.progress?.('written', result.written);
  return result;
}
