// One reading of a hostile or large workbook in a fresh process, so its memory peak is its own: prints
// {"ms":…, "peakRssMb":…, "baseRssMb":…, "outcome":…}. Run by bench/limits.ts; `before` reads with read-excel-file
// (the reader nithet used until issue 12), `after` with src/imports/xlsx.ts.
import { performance } from 'node:perf_hooks';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { readSheet } from 'read-excel-file/universal';
import { readXlsxRecords } from '../src/imports/xlsx.js';
import { peopleSheet, workbookWith } from '../test/imports/xlsx-bomb.js';

const [which, kind, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);

/** A workbook whose sheet is `mb` MB of whitespace, deflated as a stream so this process never holds it whole. */
function streamedBomb(mb: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  const add = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 9 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  add(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  add(
    'xl/workbook.xml',
    '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  add(
    'xl/_rels/workbook.xml.rels',
    '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 });
  zip.add(sheet);
  sheet.push(strToU8('<worksheet><sheetData>'));
  const block = new Uint8Array(1024 * 1024).fill(0x20);
  for (let i = 0; i < mb; i++) sheet.push(block);
  sheet.push(strToU8('</sheetData></worksheet>'), true);
  zip.end();
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** `rows` rows of one number each, in a complete workbook (the 3,000,000-row one of issue 12 is 1.7 MB). */
function manyRows(rows: number): Uint8Array {
  const parts = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  for (let i = 1; i <= rows; i++) parts.push(`<row r="${i}"><c r="A${i}"><v>1</v></c></row>`);
  parts.push('</sheetData></worksheet>');
  return workbookWith(strToU8(parts.join('')));
}

const file =
  kind === 'bomb'
    ? streamedBomb(size)
    : kind === 'rows'
      ? manyRows(size)
      : workbookWith(peopleSheet(size, '1010101010'));
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 2);
let maxGap = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
}, 5);
const start = performance.now();
let outcome: string;
try {
  if (which === 'before') {
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const rows = await readSheet(buffer, 1);
    outcome = `${rows.length} rows`;
  } else {
    const read = await readXlsxRecords(file, { maxRecords: 5002 });
    outcome = read.ok
      ? `${read.records.length} records${read.truncated ? ' (stopped at the limit)' : ''}`
      : read.message;
  }
} catch (err) {
  outcome = `error: ${err instanceof Error ? err.message : String(err)}`;
}
const ms = performance.now() - start;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
clearInterval(ticker);
process.stdout.write(
  `${JSON.stringify({ ms, baseRssMb: base / 2 ** 20, peakRssMb: peak / 2 ** 20, maxEventLoopGapMs: maxGap, fileBytes: file.length, outcome })}\n`,
);
