// Copies Sarabun (SIL Open Font License 1.1, from @fontsource/sarabun), Thai and Latin subsets, regular and bold,
// and its licence into src/reports/fonts/, so the printable report and its PDF need no download at run time
// (src/reports/fonts.ts). Run after updating @fontsource/sarabun: npx tsx scripts/report-font.ts
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPORT_FONT_FILES } from '../src/reports/fonts.js';

const from = fileURLToPath(new URL('../node_modules/@fontsource/sarabun/', import.meta.url));
const to = fileURLToPath(new URL('../src/reports/fonts/', import.meta.url));
for (const { file } of REPORT_FONT_FILES) copyFileSync(`${from}files/${file}`, `${to}${file}`);
// The OFL asks that the licence travel with the font.
copyFileSync(`${from}LICENSE`, `${to}OFL.txt`);
