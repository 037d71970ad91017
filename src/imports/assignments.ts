// Supervisor assignments from a spreadsheet: which supervisor (by external id) supervises a school or a whole
// cluster (by code), as main (นิเทศหลัก) or joint (นิเทศร่วม) supervisor, optionally for one learning area.
// Upserts on the assignment's natural key; rows already so are left alone, so a second run changes nothing.
// Assignments missing from the file are kept: removing one is a deliberate act, not a side effect of an import.
import type { Db } from '../db/client.js';
import type { FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import type { CsvRecord } from './csv.js';
import { upsertAssignments } from '../admin/assignments.queries.js';
import { resolveAssignments } from './imports.queries.js';
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

type Col = 'supervisor_external_id' | 'school_code' | 'cluster_code' | 'kind' | 'learning_area';

export const supervisorColumn = {
  th: 'รหัสศึกษานิเทศก์',
  aliases: ['รหัสศึกษานิเทศก์', 'รหัสบุคลากรศึกษานิเทศก์', 'รหัส ศน.', 'supervisor_external_id'],
} as const;

const columns: Columns<Col> = {
  supervisor_external_id: supervisorColumn,
  school_code: { th: 'รหัสโรงเรียน', aliases: ['รหัสโรงเรียน', 'school_code'] },
  cluster_code: { th: 'รหัสเครือข่าย', aliases: ['รหัสเครือข่าย', 'cluster_code'] },
  kind: { th: 'ประเภท', aliases: ['ประเภท', 'ประเภทการนิเทศ', 'kind'] },
  learning_area: { th: 'กลุ่มสาระ', aliases: ['กลุ่มสาระ', 'กลุ่มสาระการเรียนรู้', 'learning_area'] },
};

const kindAliases: Record<string, 'main' | 'joint'> = {
  '': 'main',
  หลัก: 'main',
  นิเทศหลัก: 'main',
  main: 'main',
  ร่วม: 'joint',
  นิเทศร่วม: 'joint',
  joint: 'joint',
};

export async function importAssignments(
  db: Db,
  officeId: string,
  records: CsvRecord[],
  opts: ImportOptions,
): Promise<ImportResult> {
  const issues: FieldIssue[] = [];
  const table = readTable(records, columns, ['supervisor_external_id'], issues);
  if (table === undefined) return emptyResult('assignments', opts, issues, Math.max(records.length - 1, 0));
  const rows = table.rows.map((r) => ({
    row: r.row,
    supervisorExternalId: r.get('supervisor_external_id'),
    schoolCode: r.get('school_code'),
    clusterCode: r.get('cluster_code'),
    kindText: r.get('kind'),
    kind: kindAliases[r.get('kind').toLowerCase().replace(/\s+/g, '')],
    learningArea: r.get('learning_area'),
  }));
  const resolved = await resolveAssignments(db, officeId, rows);
  rows.forEach((r, i) => {
    const x = resolved[i];
    checkText(issues, r.row, 'supervisor_external_id', columns.supervisor_external_id.th, r.supervisorExternalId, {
      required: true,
      max: 100,
    });
    if (r.supervisorExternalId !== '') {
      if (x?.supervisor_id == null) {
        const message = bi(
          `ไม่พบบุคลากรรหัส ${r.supervisorExternalId} ในเขตนี้`,
          `no person with external id ${r.supervisorExternalId} in this office`,
        );
        issues.push({ row: r.row, field: 'supervisor_external_id', message });
      } else if (x.supervisor_role !== 'supervisor') {
        const message = bi(
          `${r.supervisorExternalId} ไม่ใช่ศึกษานิเทศก์`,
          `${r.supervisorExternalId} is not a supervisor (${x.supervisor_role ?? '?'})`,
        );
        issues.push({ row: r.row, field: 'supervisor_external_id', message });
      }
    }
    if ((r.schoolCode === '') === (r.clusterCode === '')) {
      const message = bi(
        'ระบุรหัสโรงเรียนหรือรหัสเครือข่าย อย่างใดอย่างหนึ่ง',
        'give a school code or a cluster code (one of them)',
      );
      issues.push({ row: r.row, field: r.schoolCode === '' ? 'school_code' : 'cluster_code', message });
    } else if (r.schoolCode !== '' && x?.school_id == null) {
      const message = bi(`ไม่พบโรงเรียนรหัส ${r.schoolCode} ในเขตนี้`, `no school with code ${r.schoolCode} in this office`);
      issues.push({ row: r.row, field: 'school_code', message });
    } else if (r.clusterCode !== '' && x?.cluster_id == null) {
      const message = bi(
        `ไม่พบเครือข่ายรหัส ${r.clusterCode} ในเขตนี้`,
        `no cluster with code ${r.clusterCode} in this office`,
      );
      issues.push({ row: r.row, field: 'cluster_code', message });
    }
    if (r.kind === undefined) {
      const message = bi(`ไม่รู้จักประเภท "${r.kindText}" (หลัก, ร่วม)`, `unknown kind "${r.kindText}" (main, joint)`);
      issues.push({ row: r.row, field: 'kind', message });
    }
    checkText(issues, r.row, 'learning_area', columns.learning_area.th, r.learningArea, { required: false, max: 100 });
  });
  checkDuplicates(
    issues,
    rows.map((r) => ({
      row: r.row,
      key: r.supervisorExternalId === '' ? '' : `${r.supervisorExternalId}|${r.schoolCode}|${r.clusterCode}`,
    })),
    'supervisor_external_id',
  );
  const result = finishChecks('assignments', opts, issues, rows, table.ignored);
  if (issues.length > 0) return result;

  const inputs = rows.map((r, i) => {
    const x = resolved[i];
    return {
      supervisorId: x?.supervisor_id ?? '',
      schoolId: x?.school_id ?? null,
      clusterId: x?.cluster_id ?? null,
      kind: r.kind ?? 'main',
      learningArea: r.learningArea === '' ? null : r.learningArea,
    };
  });
  result.created = resolved.filter((x) => x.existing_kind === null).length;
  result.updated = inputs.filter((a, i) => {
    const x = resolved[i];
    return x?.existing_kind != null && (x.existing_kind !== a.kind || x.existing_area !== a.learningArea);
  }).length;
  result.unchanged = rows.length - result.created - result.updated;
  if (opts.dryRun) return result;
  await db.transaction(async (tx) => {
    const n = await upsertAssignments(tx, officeId, inputs);
    result.created = n.inserted;
    result.updated = n.updated;
    result.unchanged = rows.length - n.inserted - n.updated;
    result.written = n.inserted + n.updated;
    await audit(tx, {
      actor: opts.actor,
      officeId,
      action: 'import.assignments',
      detail: { rows: rows.length, created: n.inserted, updated: n.updated, unchanged: result.unchanged },
    });
  });
  opts.progress?.('written', result.written);
  return result;
}
