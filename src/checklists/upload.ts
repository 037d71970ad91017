// Publishing a checklist an office sends, as its JSON definition or as an XLSForm workbook, and downloading any
// version as a workbook. One function each for the admin API, the web workspace's checklist page and the CLI, so
// all three answer alike: created, unchanged, every problem named (sheet/row/column for a workbook), or a clash
// with a version already published.
import type { Db } from '../db/client.js';
import { refuseNul } from '../http/body.js';
import { AppError, type FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { MAX_IMPORT_BYTES } from '../imports/sheet.js';
import { isOldXls, isXlsx } from '../imports/xlsx.js';
import { findChecklistVersion, publishChecklist } from './checklists.queries.js';
import { validateFormDefinition, type FormDefinition } from './definition.js';
import { readXlsForm } from './xlsform/read.js';
import { writeXlsForm } from './xlsform/write.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface UploadedFile {
  bytes: Uint8Array;
  /** As sent; a zip signature makes it a workbook whatever it says. */
  contentType: string;
  /** The file's name, when known: a workbook without a form_id takes its key from it (as pyxform does). */
  fileName?: string | undefined;
}

export interface PublishedChecklist {
  id: string;
  key: string;
  version: number;
  status: 'created' | 'unchanged';
  /** Parts of a workbook left out (columns, appearances, metadata rows), by sheet, row and column. */
  warnings: FieldIssue[];
}

/** Reads the file into a definition, or throws the 400 that names every problem. */
export async function definitionFromFile(
  file: UploadedFile,
): Promise<{ definition: FormDefinition; warnings: FieldIssue[] }> {
  if (file.bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The file is too large');
  if (isXlsx(file.bytes, file.contentType) || isOldXls(file.bytes)) {
    const base = file.fileName?.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
    const r = await readXlsForm(file.bytes, base === undefined || base === '' ? {} : { fallbackKey: base });
    if (!r.ok) {
      throw new AppError('invalid_request', `${r.issues.length} problems in the workbook; nothing was published`, [
        ...r.issues.slice(0, 500),
      ]);
    }
    return { definition: r.definition, warnings: r.warnings };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.bytes));
  } catch {
    throw new AppError('bad_request', 'Body is not valid JSON');
  }
  refuseNul(json);
  const result = validateFormDefinition(json);
  if (!result.ok) {
    throw new AppError(
      'invalid_request',
      `${result.issues.length} problems in the checklist definition`,
      result.issues.slice(0, 200).map((i): FieldIssue => ({ field: i.path, message: i.message })),
    );
  }
  return { definition: result.definition, warnings: [] };
}

/** Publishes the file as the office's own version: created (audited), unchanged, or a 409 clash. */
export async function publishChecklistFile(
  db: Db,
  officeId: string,
  file: UploadedFile,
  actor: string,
): Promise<PublishedChecklist> {
  const { definition: def, warnings } = await definitionFromFile(file);
  // The version and its audit row commit together.
  const out = await db.transaction(async (tx) => {
    const published = await publishChecklist(tx, officeId, def);
    if (published.status === 'created') {
      await audit(tx, {
        actor,
        officeId,
        action: 'checklist.publish',
        targetType: 'checklist',
        targetId: published.id,
        detail: { key: def.key, version: def.version, format: isXlsx(file.bytes, file.contentType) ? 'xlsx' : 'json' },
      });
    }
    return published;
  });
  if (out.status === 'conflict') {
    throw new AppError('conflict', `${def.key} version ${def.version} is already published with other content`, [
      { field: 'version', message: 'publish changes under a new version number' },
    ]);
  }
  return {
    id: out.id,
    key: def.key,
    version: def.version,
    status: out.status,
    warnings,
  };
}

export interface ChecklistWorkbook {
  body: Uint8Array;
  filename: string;
  filenameUtf8: string;
}

/** A version visible to the office (null: the built-ins) as an XLSForm workbook, or undefined when there is none. */
export async function checklistWorkbook(
  db: Db,
  officeId: string | null,
  key: string,
  version: number,
): Promise<ChecklistWorkbook | undefined> {
  const row = await findChecklistVersion(db, officeId, key, version);
  if (row === undefined) return undefined;
  const parsed = validateFormDefinition(row.definition);
  // Every stored version passed this check when it was published; failing now is a bug, not input.
  if (!parsed.ok) throw new Error(`stored checklist ${row.id} no longer validates`);
  const name = `${row.key}-v${row.version}.xlsx`;
  return { body: await writeXlsForm(parsed.definition), filename: name, filenameUtf8: name };
}
