// `npm run cli -- checklists import|export`: an office's checklist from a file (XLSForm .xlsx or JSON), and any
// version out as an XLSForm workbook. The same functions as the admin API, so the answers are the same.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../db/client.js';
import { findOffice } from '../admin/admin.queries.js';
import { AppError, type FieldIssue } from '../errors.js';
import { findChecklist } from './checklists.queries.js';
import { checklistWorkbook, publishChecklistFile, XLSX_CONTENT_TYPE } from './upload.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface ChecklistsArgs {
  /** The file (import) or the checklist key (export): the positional after the subcommand. */
  target?: string | undefined;
  office?: string | undefined;
  version?: string | undefined;
  out?: string | undefined;
}

export const checklistsUsage = `  checklists import FILE.xlsx|FILE.json --office CODE
  checklists export KEY [--version N] [--office CODE] --out FILE.xlsx`;

const where = (i: FieldIssue) =>
  i.sheet === undefined
    ? i.field
    : `${i.sheet}${i.cell === undefined ? (i.row === undefined ? '' : ` row ${i.row}`) : `!${i.cell}`}${i.column === undefined ? '' : ` [${i.column}]`}`;

/** Runs `checklists import|export`; undefined when the arguments are not one of them (the caller prints usage). */
export async function checklistsCommand(
  db: Db,
  sub: string | undefined,
  a: ChecklistsArgs,
  io: CliIo,
): Promise<number | undefined> {
  if (sub === 'import') {
    if (a.target === undefined || a.office === undefined) return undefined;
    const office = await findOffice(db, a.office);
    if (office === undefined) {
      io.err(`no office ${a.office}`);
      return 1;
    }
    try {
      const r = await publishChecklistFile(
        db,
        office.id,
        {
          bytes: new Uint8Array(readFileSync(a.target)),
          contentType: /\.xlsx$/i.test(a.target) ? XLSX_CONTENT_TYPE : '',
          fileName: basename(a.target),
        },
        'cli',
      );
      io.out(`${r.status} ${r.key} v${r.version} (${r.id})`);
      for (const w of r.warnings) io.err(`  note ${where(w)}: ${w.message}`);
      return 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      io.err(err.message);
      for (const i of err.issues) io.err(`  ${where(i)}: ${i.message}`);
      return 1;
    }
  }
  if (sub === 'export') {
    if (a.target === undefined || a.out === undefined) return undefined;
    const office = a.office === undefined ? undefined : await findOffice(db, a.office);
    if (a.office !== undefined && office === undefined) {
      io.err(`no office ${a.office}`);
      return 1;
    }
    const officeId = office?.id ?? null;
    const version =
      a.version === undefined ? (await findChecklist(db, officeId, a.target))?.version : Number(a.version);
    const file =
      version === undefined || !Number.isInteger(version)
        ? undefined
        : await checklistWorkbook(db, officeId, a.target, version);
    if (file === undefined) {
      io.err(`no checklist ${a.target}${a.version === undefined ? '' : ` version ${a.version}`}`);
      return 1;
    }
    writeFileSync(a.out, file.body);
    io.out(`wrote ${a.out} (${a.target} v${version ?? ''})`);
    return 0;
  }
  return undefined;
}
