// The Worker's Sarabun for the report pages: the WOFF2 files as binary (Data) modules (wrangler.toml [[rules]]),
// uploaded beside the script rather than inside it, so a cold isolate does not parse them as a string literal.
import thai400 from '../reports/fonts/sarabun-thai-400-normal.woff2';
import thai700 from '../reports/fonts/sarabun-thai-700-normal.woff2';
import latin400 from '../reports/fonts/sarabun-latin-400-normal.woff2';
import latin700 from '../reports/fonts/sarabun-latin-700-normal.woff2';
import { type ReportFontFile, reportFonts } from '../reports/fonts.js';

const FILES: Record<ReportFontFile, ArrayBuffer> = {
  'sarabun-thai-400-normal.woff2': thai400,
  'sarabun-thai-700-normal.woff2': thai700,
  'sarabun-latin-400-normal.woff2': latin400,
  'sarabun-latin-700-normal.woff2': latin700,
};

export const workerReportFonts = reportFonts((file) => new Uint8Array(FILES[file]));
