// The annual supervision plan (แผนนิเทศ) from a spreadsheet: one row per visit with the supervisor's external id,
// the school code, the date (Thai B.E. or C.E., as typed anywhere else: "1/12/2569", "1 ธ.ค. 69", "2026-12-01" or
// an Excel date cell) and the time. The rows go through src/visits/plan-import.ts (checkPlan, importPlan), the
// same checks and upsert as the JSON plan API; this file only reads the sheet and words the issues per row.
import type { Db } from '../db/client.js';
import type { FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { localDate } from '../time/thai.js';
import { PURPOSE_MAX } from '../visits/prompts.js';
import { checkPlan, importPlan, type PlanBody, type PlanIssue } from '../visits/plan-import.js';
import { officeTimeZone } from '../time/zone.queries.js';
import { parseWhen } from '../visits/when.js';
import { supervisorColumn } from './assignments.js';
import { existingPlanVisits } from './imports.queries.js';
import type { CsvRecord } from './csv.js';
import {
  bi,
  checkText,
  emptyResult,
  finishChecks,
  readTable,
  type Columns,
  type ImportOptions,
  type ImportResult,
} from './sheet.js';

type Col = 'supervisor_external_id' | 'school_code' | 'date' | 'time' | 'purpose';

const columns: Columns<Col> = {
  supervisor_external_id: supervisorColumn,
  school_code: { th: 'รหัสโรงเรียน', aliases: ['รหัสโรงเรียน', 'school_code'] },
  date: { th: 'วันที่', aliases: ['วันที่', 'วันที่นิเทศ', 'date'] },
  time: { th: 'เวลา', aliases: ['เวลา', 'time'] },
  purpose: { th: 'วัตถุประสงค์', aliases: ['วัตถุประสงค์', 'จุดประสงค์', 'เรื่อง', 'purpose'] },
};

const pad = (n: number) => String(n).padStart(2, '0');

function planMessage(issue: PlanIssue, code: string, rowOf: (i: number) => number): string {
  switch (issue.reason) {
    case 'supervisor':
      return bi('ไม่พบศึกษานิเทศก์รหัสนี้ในเขตนี้', 'no supervisor with that external id in this office');
    case 'school':
      return bi(`ไม่พบโรงเรียนรหัส ${code} ในเขตนี้`, `no school with code ${code} in this office`);
    case 'not_assigned':
      return bi('โรงเรียนนี้ไม่อยู่ในความรับผิดชอบของศึกษานิเทศก์คนนี้', 'this school is not assigned to that supervisor');
    case 'duplicate': {
      const first = rowOf(issue.duplicateOf ?? 0);
      return bi(`ซ้ำกับแถวที่ ${first}`, `duplicate of row ${first}`);
    }
    case 'time':
      return bi('อ่านวันและเวลาไม่ได้', 'unreadable date and time');
  }
}

const planField: Record<PlanIssue['reason'], Col> = {
  supervisor: 'supervisor_external_id',
  school: 'school_code',
  not_assigned: 'school_code',
  duplicate: 'date',
  time: 'date',
};

export async function importPlanRows(
  db: Db,
  officeId: string,
  records: CsvRecord[],
  opts: ImportOptions,
): Promise<ImportResult> {
  const issues: FieldIssue[] = [];
  const table = readTable(records, columns, ['supervisor_external_id', 'school_code', 'date', 'time'], issues);
  if (table === undefined) return emptyResult('plan', opts, issues, Math.max(records.length - 1, 0));
  const tz = await officeTimeZone(db, officeId);
  const today = localDate(opts.now, tz);
  const rows = table.rows.map((r) => {
    const date = r.get('date');
    const time = r.get('time');
    // An Excel date-and-time cell already holds the time: the time column may then be empty.
    const when = date === '' ? undefined : parseWhen(`${date} ${time}`.trim(), today);
    return {
      row: r.row,
      supervisorExternalId: r.get('supervisor_external_id'),
      schoolCode: r.get('school_code'),
      date,
      time,
      when,
      purpose: r.get('purpose'),
    };
  });
  const own = new Set<number>();
  for (const r of rows) {
    const before = issues.length;
    checkText(issues, r.row, 'supervisor_external_id', columns.supervisor_external_id.th, r.supervisorExternalId, {
      required: true,
      max: 100,
    });
    checkText(issues, r.row, 'school_code', columns.school_code.th, r.schoolCode, { required: true, max: 20 });
    if (r.date === '') checkText(issues, r.row, 'date', columns.date.th, '', { required: true, max: 0 });
    else if (r.when?.ok === false && r.when.reason === 'date') {
      const message = bi(
        `อ่านวันที่ "${r.date}" ไม่ได้ (เช่น 1/12/2569 หรือ 1 ธ.ค. 2569)`,
        `unreadable date "${r.date}" (e.g. 1/12/2569, 2026-12-01)`,
      );
      issues.push({ row: r.row, field: 'date', message });
    } else if (r.when?.ok === false) {
      const message =
        r.time === ''
          ? bi('ต้องระบุเวลา', 'time is required')
          : bi(`อ่านเวลา "${r.time}" ไม่ได้ (เช่น 09:30)`, `unreadable time "${r.time}" (e.g. 09:30)`);
      issues.push({ row: r.row, field: 'time', message });
    }
    checkText(issues, r.row, 'purpose', columns.purpose.th, r.purpose, { required: false, max: PURPOSE_MAX });
    if (issues.length > before) own.add(r.row);
  }
  const visits: PlanBody['visits'] = rows.map((r) => ({
    supervisorExternalId: r.supervisorExternalId,
    schoolCode: r.schoolCode,
    startsAt: r.when?.ok === true ? `${r.when.date} ${pad(r.when.hour)}:${pad(r.when.minute)}` : '',
    ...(r.purpose === '' ? {} : { purpose: r.purpose }),
  }));
  // The plan's own checks (who, which school, assigned?, the same visit twice) for the rows read cleanly.
  const rowOf = (i: number) => rows[i]?.row ?? 0;
  const checked = await checkPlan(db, officeId, visits);
  for (const issue of checked.issues) {
    const row = rowOf(issue.row);
    if (own.has(row)) continue;
    issues.push({
      row,
      field: planField[issue.reason],
      message: planMessage(issue, rows[issue.row]?.schoolCode ?? '', rowOf),
    });
  }
  const result = finishChecks('plan', opts, issues, rows, table.ignored);
  if (issues.length > 0) return result;
  if (opts.dryRun) {
    const existing = await existingPlanVisits(db, officeId, checked.rows);
    result.updated = existing.filter((e) => e.changes).length;
    result.unchanged = existing.length - result.updated;
    result.created = rows.length - existing.length;
    return result;
  }

  // The visits and the audit row commit together (importPlan's own transaction nests as a savepoint).
  const counts = await db.transaction(async (tx) => {
    const done = await importPlan(tx, officeId, { visits }, opts.now);
    await audit(tx, { actor: opts.actor, officeId, action: 'import.plan', detail: { rows: rows.length, ...done } });
    return done;
  });
  result.created = counts.inserted;
  result.updated = counts.updated;
  result.unchanged = counts.unchanged;
  result.written = counts.inserted + counts.updated;
  // A row refused by the upsert (its assignment removed since the check) was not written: say which.
  // Not in issues: those mean nothing was written, and the other rows were.
  if (counts.rejected.length > 0)
    result.skipped = counts.rejected.map((i) => ({
      row: rowOf(i),
      field: 'school_code',
      message: bi('ไม่ได้บันทึก: การมอบหมายถูกยกเลิกระหว่างนำเข้า', 'not written: the assignment was removed meanwhile'),
    }));
  opts.progress?.('written', result.written);
  return result;
}
