// The import action that the admin API route and the web page share: the kind checked, the file run through the
// one import pipeline (src/imports/, which validates every row and writes all or nothing, with its audit row), the
// caller's actor recorded. The API turns a result with issues into a 400 naming every bad row; the page shows the
// same issues as a table. Neither has its own copy of the validation.
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { importFile, importKinds, type ImportKind, type ImportResult } from '../imports/imports.js';

export const isImportKind = (kind: string): kind is ImportKind => (importKinds as readonly string[]).includes(kind);

/** The kind named in a path or form, or a 404. */
export function importKindOf(kind: string | undefined): ImportKind {
  if (kind === undefined || !isImportKind(kind)) throw new AppError('not_found', 'Unknown import kind');
  return kind;
}

export interface ImportRequest {
  officeId: string;
  kind: ImportKind;
  bytes: Uint8Array;
  contentType: string;
  dryRun: boolean;
  /** People only: issue invite codes for the people this import creates. */
  invites: boolean;
  now: number;
  actor: string;
}

/** Runs one import; a result with issues wrote nothing. */
export function runImport(db: Db, r: ImportRequest): Promise<ImportResult> {
  return importFile(db, r.officeId, r.kind, r.bytes, r.contentType, {
    dryRun: r.dryRun,
    invites: r.invites,
    now: r.now,
    actor: r.actor,
  });
}

/** The API's answer to a result with issues: a 400 naming every bad row; nothing was written. */
export function refuseIssues(result: ImportResult): void {
  if (result.issues.length > 0) {
    throw new AppError(
      'invalid_request',
      `${result.issues.length} problems in the file; nothing was written`,
      result.issues,
    );
  }
}
