// `export responses|visits|completion --office CODE …` (to --out FILE, or stdout) and `export sar --campaign UUID
// --format csv|xlsx --out FILE [--table summary|below|texts|feedback]`, the office-level SAR synthesis of one campaign.
import { writeFileSync } from 'node:fs';
import { findOffice } from '../admin/admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { AppError } from '../errors.js';
import { exportKinds, runExport, type ExportKind } from '../exports/build.js';
import { loadSarReport } from '../sar/report.js';
import { campaignOffice } from '../sar/sar.queries.js';
import { feedbackOf } from '../sar/feedback.queries.js';
import { sarFile, type SarTable, sarTables } from '../sar/sheets.js';
import type { Command, DatabaseArgs, Outcome } from './command.js';

const isExportKind = (k: string | undefined): k is ExportKind =>
  (exportKinds as readonly (string | undefined)[]).includes(k);

export const exportCommand: Command = {
  opensDatabase: true,
  async run(a) {
    if (a.sub === 'sar') return exportSar(a);
    const {
      sub,
      values,
      database: { db },
      io,
    } = a;
    if (!isExportKind(sub) || values.office === undefined) return undefined;
    const office = await findOffice(db, values.office);
    if (office === undefined) {
      io.err(`no office ${values.office}`);
      return 1;
    }
    try {
      const file = await runExport(
        db,
        office,
        sub,
        {
          campaign: values.campaign,
          format: values.format,
          table: values.table ?? values.repeat,
          by: values.by,
          from: values.from,
          to: values.to,
        },
        { now: io.now(), via: 'cli', webBase: a.config.publicBaseUrl },
      );
      if (values.out === undefined) io.write(file.body);
      else {
        writeFileSync(values.out, file.body);
        io.err(`wrote ${values.out} (${file.rows} rows)`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      io.err(err.message);
      for (const i of err.issues) io.err(`  ${i.field}: ${i.message}`);
      return 1;
    }
  },
};

/** The campaign names its office; written to a file because XLSX is binary. Audited like the admin API's export. */
async function exportSar({ values: v, database: { db }, io }: DatabaseArgs): Outcome {
  const format = v.format === 'csv' || v.format === 'xlsx' ? v.format : undefined;
  const table = sarTables.find((t): t is SarTable => t === (v.table ?? 'summary'));
  if (v.campaign === undefined || format === undefined || v.out === undefined || table === undefined) return undefined;
  const officeId = await campaignOffice(db, v.campaign);
  const report = officeId === undefined ? undefined : await loadSarReport(db, officeId, { id: v.campaign });
  if (officeId === undefined || report === undefined) {
    io.err(`no SAR campaign ${v.campaign}`);
    return 1;
  }
  const file = await sarFile(report, await feedbackOf(db, officeId, null, report.campaign.id), format, table);
  writeFileSync(v.out, file.body);
  await audit(db, {
    officeId,
    action: 'export.sar',
    targetType: 'campaign',
    targetId: report.campaign.id,
    detail: { format, ...(format === 'csv' ? { table } : {}), schools: report.synthesis.expected, via: 'cli' },
  });
  io.out(
    `wrote ${v.out} (${report.campaign.title}: ${report.synthesis.submitted}/${report.synthesis.expected} schools)`,
  );
  return 0;
}
