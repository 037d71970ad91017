// `import schools|people|assignments|plan|eqa --office CODE --file path.csv|path.xlsx [--dry-run] [--invites]`: every
// bad row named, nothing written unless every row is good; progress on stderr so stdout stays the report.
import { readFileSync } from 'node:fs';
import { findOffice } from '../admin/admin.queries.js';
import { importFile, importKinds, type ImportKind } from '../imports/imports.js';
import type { Command } from './command.js';

const isImportKind = (k: string | undefined): k is ImportKind =>
  (importKinds as readonly (string | undefined)[]).includes(k);

/** The extension decides only for .xlsx; anything else is sniffed (a zip signature means XLSX) or read as CSV. */
const contentTypeOf = (file: string): string =>
  /\.xlsx$/i.test(file) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : '';

export const importCommand: Command = {
  opensDatabase: true,
  async run({ sub, values, database: { db }, io }) {
    if (!isImportKind(sub) || values.office === undefined || values.file === undefined) return undefined;
    const office = await findOffice(db, values.office);
    if (office === undefined) {
      io.err(`no office ${values.office}`);
      return 1;
    }
    const dryRun = values['dry-run'];
    const file = values.file;
    io.out(`${dryRun ? 'dry run: ' : ''}importing ${sub} into ${office.code} from ${file}`);
    const r = await importFile(db, office.id, sub, readFileSync(file), contentTypeOf(file), {
      dryRun,
      invites: values.invites,
      now: io.now(),
      progress: (stage, rows) => io.err(`${stage}: ${rows} rows`),
    });
    io.out(`rows read: ${r.rowsRead}`);
    io.out(`valid:     ${r.valid}`);
    if (r.ignoredColumns.length > 0) io.out(`ignored columns: ${r.ignoredColumns.join(', ')}`);
    for (const i of r.issues) io.err(`  row ${i.row ?? '-'} ${i.field}: ${i.message}`);
    if (r.issues.length > 0) {
      io.err(`${r.issues.length} problems; nothing was written`);
      return 1;
    }
    const same = r.unchanged === undefined ? '' : `, unchanged ${r.unchanged}`;
    io.out(
      dryRun
        ? `written:   0 (dry run; would create ${r.created}, update ${r.updated}${same})`
        : `written:   ${r.written} (created ${r.created}, updated ${r.updated}${same})`,
    );
    for (const i of r.skipped ?? []) io.err(`  skipped row ${i.row ?? '-'} ${i.field}: ${i.message}`);
    for (const i of r.invites) io.out(`  ${i.code}  row ${i.row}  ${i.externalId}  ${i.name}  expires ${i.expiresAt}`);
    return 0;
  },
};
