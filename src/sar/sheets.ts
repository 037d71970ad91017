// The SAR synthesis as export sheets: the level distribution per standard (with the totals under it), the schools
// below their targets, the strengths and points to improve collated by standard, and the supervisors' feedback
// per school and standard with the principal's acknowledgement or reply. Pure.
import { type Cell, type ExportFormat, render, type Sheet } from '../exports/table.js';
import { ratingLevels } from '../i18n/answers.th.js';
import { sar } from '../i18n/sar.th.js';
import { thaiShortDate } from '../time/thai.js';
import type { FeedbackRow } from './feedback.queries.js';
import { LEVELS_DESC, type SarSynthesis } from './synthesis.js';

export const sarTables = ['summary', 'below', 'texts', 'feedback'] as const;
export type SarTable = (typeof sarTables)[number];

export function summarySheet(s: SarSynthesis): Sheet {
  const header = [sar.colStandard, ...LEVELS_DESC.map((l) => sar.colLevel(l)), sar.colNoAnswer, sar.colBelow];
  const blank = (k: number): Cell[] => Array.from({ length: k }, () => null);
  return {
    name: sar.sheetSummary,
    header,
    rows: [
      ...s.standards.map((st) => [
        st.label,
        ...LEVELS_DESC.map((l) => st.levels[l]),
        st.noAnswer,
        st.belowTarget.length,
      ]),
      // Totals under the table, as Thai office reports put them ("รวม").
      [sar.totalExpected, s.expected, ...blank(header.length - 2)],
      [sar.totalSubmitted, s.submitted, ...blank(header.length - 2)],
    ],
  };
}

export function belowSheet(s: SarSynthesis): Sheet {
  return {
    name: sar.sheetBelow,
    header: [
      sar.colStandard,
      sar.colSchoolCode,
      sar.colSchool,
      sar.colCluster,
      sar.colLevelReached,
      sar.colLevelName,
      sar.colTarget,
    ],
    rows: s.standards.flatMap((st) =>
      st.belowTarget.map((b) => [st.label, b.code, b.name, b.cluster, b.level, ratingLevels[b.level].th, b.target]),
    ),
  };
}

export function textsSheet(s: SarSynthesis): Sheet {
  return {
    name: sar.sheetTexts,
    header: [sar.colStandard, sar.colKind, sar.colSchoolCode, sar.colSchool, sar.colText],
    rows: s.standards.flatMap((st) => [
      ...st.strengths.map((t) => [st.label, sar.kindStrengths, t.code, t.name, t.text]),
      ...st.improvements.map((t) => [st.label, sar.kindImprove, t.code, t.name, t.text]),
    ]),
  };
}

/** The feedback on the campaign's SARs, by school then date; dates are Thai (BE) in the office's zone. */
export function feedbackSheet(s: SarSynthesis, feedback: FeedbackRow[], tz: string): Sheet {
  const label = new Map(s.standards.map((st) => [st.key, st.label]));
  return {
    name: sar.sheetFeedback,
    header: [
      sar.colSchoolCode,
      sar.colSchool,
      sar.colStandard,
      sar.colFeedback,
      sar.colAuthor,
      sar.colDate,
      sar.colAcknowledged,
      sar.colReply,
    ],
    rows: feedback.map((f) => [
      f.code,
      f.school,
      f.standard === null ? sar.overall : (label.get(f.standard) ?? f.standard),
      f.body,
      f.supervisor,
      thaiShortDate(f.created_ms, tz),
      f.acknowledged_ms === null ? sar.notAcknowledged : thaiShortDate(f.acknowledged_ms, tz),
      f.reply,
    ]),
  };
}

/** What the sheets are built from: the synthesis, and the feedback on the campaign's SARs. */
export interface SarExport {
  synthesis: SarSynthesis;
  feedback: FeedbackRow[];
  timeZone: string;
}

/** XLSX carries all four; CSV holds one table, chosen by `table`. */
export function sarSheets(x: SarExport, table?: SarTable): Sheet[] {
  const s = x.synthesis;
  switch (table) {
    case undefined:
      return [summarySheet(s), belowSheet(s), textsSheet(s), feedbackSheet(s, x.feedback, x.timeZone)];
    case 'summary':
      return [summarySheet(s)];
    case 'below':
      return [belowSheet(s)];
    case 'texts':
      return [textsSheet(s)];
    case 'feedback':
      return [feedbackSheet(s, x.feedback, x.timeZone)];
  }
}

/** Content-Disposition for a download: an ASCII fallback and the Thai name as RFC 5987 `filename*`. */
export function attachment(ascii: string, utf8: string): string {
  const safe = ascii.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987 wants them escaped too.
  const encoded = encodeURIComponent(utf8).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${safe}"; filename*=UTF-8''${encoded}`;
}

export interface SarFile {
  body: Uint8Array | string;
  contentType: string;
  /** ASCII name, e.g. "sar-3f2c…-summary.csv". */
  filename: string;
  /** Thai name, e.g. "สรุป SAR SAR ปีการศึกษา 2568.xlsx". */
  filenameUtf8: string;
}

/** The file to download or write: XLSX with every sheet, or one CSV table (the summary unless named). */
export async function sarFile(
  report: { campaign: { id: string; title: string; timeZone: string }; synthesis: SarSynthesis },
  feedback: FeedbackRow[],
  format: ExportFormat,
  table: SarTable = 'summary',
): Promise<SarFile> {
  const x: SarExport = { synthesis: report.synthesis, feedback, timeZone: report.campaign.timeZone };
  const sheets = format === 'xlsx' ? sarSheets(x) : sarSheets(x, table);
  const file = await render(sheets, format);
  const suffix = format === 'csv' ? `-${table}` : '';
  return {
    body: file.body,
    contentType: file.contentType,
    filename: `sar-${report.campaign.id}${suffix}.${file.extension}`,
    filenameUtf8: `${sar.fileTitle(report.campaign.title)}${suffix}.${file.extension}`,
  };
}
