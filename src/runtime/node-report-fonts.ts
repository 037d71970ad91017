// Node's Sarabun for the report pages: the WOFF2 files committed beside src/reports/fonts.ts, read once.
import { readFile } from 'node:fs/promises';
import { reportFonts } from '../reports/fonts.js';

export const nodeReportFonts = reportFonts(
  async (file) => new Uint8Array(await readFile(new URL(`../reports/fonts/${file}`, import.meta.url))),
);
