// XLSForm reading: time and memory to turn a workbook into a checklist definition (unzip, sheets, rows, mapping,
// expression parsing, cross-checks), for the largest form in the vendored pyxform corpus and for a generated
// 1,000-row survey sheet with groups, a repeat, choice lists and expressions; and the time to write it back.
// In-process, no database: `npm run bench -- xlsform`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import writeXlsxFile from 'write-excel-file/universal';
import { readXlsForm } from '../src/checklists/xlsform/read.js';
import { writeXlsForm } from '../src/checklists/xlsform/write.js';
import { addSummary } from './support.js';

// A collector on demand, so "retained" is what the parsed definition keeps, not garbage not yet collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CORPUS = new URL('../test/fixtures/xlsform/pyxform/', import.meta.url);
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

/** A survey an office might write: 1,000 rows in sections of 20, a repeat, selects on 50-choice lists. */
async function thousandRows(): Promise<Uint8Array> {
  const survey: string[][] = [
    ['type', 'name', 'label', 'hint', 'required', 'relevant', 'constraint', 'constraint_message'],
  ];
  let n = 0;
  let section = 0;
  while (survey.length < 1000) {
    section++;
    const repeat = section === 3;
    survey.push([repeat ? 'begin_repeat' : 'begin_group', `part${section}`, `ตอนที่ ${section}`, '', '', '', '', '']);
    for (let i = 0; i < 18 && survey.length < 999; i++) {
      n++;
      const key = `q${n}`;
      const kind = n % 5;
      const prev = `q${n - 1}`;
      survey.push(
        kind === 0
          ? ['select_one list' + (n % 4), key, `ข้อที่ ${n} เลือกหนึ่งข้อ`, 'เลือกคำตอบที่ตรงที่สุด', 'yes', '', '', '']
          : kind === 1
            ? [
                'integer',
                key,
                `ข้อที่ ${n} จำนวน`,
                '',
                'yes',
                n > 1 && !repeat ? `\${${prev}} != ''` : '',
                '. >= 0 and . <= 1000',
                'กรอก 0 ถึง 1,000',
              ]
            : kind === 2
              ? [
                  'select_multiple list' + (n % 4),
                  key,
                  `ข้อที่ ${n} เลือกได้หลายข้อ`,
                  '',
                  '',
                  '',
                  'count-selected(.) <= 5',
                  'เลือกได้ไม่เกิน 5 ข้อ',
                ]
              : kind === 3
                ? ['text', key, `ข้อที่ ${n} ข้อความ`, '', '', '', 'string-length(.) <= 500', 'ไม่เกิน 500 ตัวอักษร']
                : ['date', key, `ข้อที่ ${n} วันที่`, '', '', '', '. <= today()', 'ต้องไม่เกินวันนี้'],
      );
    }
    survey.push([repeat ? 'end_repeat' : 'end_group', '', '', '', '', '', '', '']);
  }
  const choices: string[][] = [['list_name', 'name', 'label']];
  for (let l = 0; l < 4; l++) for (let c = 1; c <= 50; c++) choices.push([`list${l}`, `c${c}`, `ตัวเลือกที่ ${c}`]);
  const settings = [
    ['form_title', 'form_id', 'version'],
    ['แบบสำรวจขนาดใหญ่', 'large_survey', '1'],
  ];
  const cells = (rows: string[][]) => rows.map((r) => r.map((v) => (v === '' ? null : { value: v, type: String })));
  const blob = await writeXlsxFile([
    { sheet: 'survey', data: cells(survey) },
    { sheet: 'choices', data: cells(choices) },
    { sheet: 'settings', data: cells(settings) },
  ]).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

interface Measured {
  medianMs: number;
  p90Ms: number;
  /** CPU time (user + system) of one read, the median: steadier than wall time on a shared machine. */
  cpuMs: number;
  allocatedMb: string;
  retainedMb: string;
  outcome: string;
}

async function measure(bytes: Uint8Array, fallbackKey: string, runs: number): Promise<Measured> {
  for (let i = 0; i < 3; i++) await readXlsForm(bytes, { fallbackKey });
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await readXlsForm(bytes, { fallbackKey });
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  // Twice, with a turn of the event loop between: the timed reads' garbage must be gone before the baseline.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = await readXlsForm(bytes, { fallbackKey });
  const allocated = process.memoryUsage().heapUsed - before;
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const outcome = result.ok
    ? `accepted (${JSON.stringify(result.definition).length.toLocaleString('en-US')} bytes of JSON)`
    : `refused (${result.issues.length} issues)`;
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    p90Ms: times[Math.floor(times.length * 0.9)] ?? 0,
    cpuMs: cpu[Math.floor(cpu.length / 2)] ?? 0,
    allocatedMb: mb(Math.max(allocated, 0)),
    retainedMb: mb(Math.max(retained, 0)),
    outcome,
  };
}

export async function run(): Promise<string> {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xlsx'));
  const largest = files.map((f) => ({ f, size: statSync(new URL(f, CORPUS)).size })).sort((a, b) => b.size - a.size)[0];
  if (largest === undefined) throw new Error('no corpus');
  const corpusBytes = new Uint8Array(readFileSync(new URL(largest.f, CORPUS)));
  const big = await thousandRows();
  const rssBefore = process.resourceUsage().maxRSS;
  const corpus = await measure(corpusBytes, largest.f.replace(/\.xlsx$/, ''), 30);
  const rows = await measure(big, 'large', 15);
  const rssAfter = process.resourceUsage().maxRSS;

  const parsed = await readXlsForm(big);
  if (!parsed.ok) throw new Error(`the 1,000-row form was refused: ${parsed.issues[0]?.message ?? ''}`);
  const writes: number[] = [];
  let written: Uint8Array = new Uint8Array();
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    written = await writeXlsForm(parsed.definition);
    writes.push(performance.now() - t0);
  }
  writes.sort((a, b) => a - b);

  const row = (name: string, size: number, m: Measured) =>
    `| ${name} | ${size.toLocaleString('en-US')} | ${m.medianMs.toFixed(1)} | ${m.p90Ms.toFixed(1)} | ${m.cpuMs.toFixed(1)} | ${m.allocatedMb} | ${m.retainedMb} | ${m.outcome} |`;
  addSummary(
    {
      metric: `XLSForm read: largest corpus form (${largest.f}), median ms / CPU ms`,
      nithet: `${corpus.medianMs.toFixed(1)} / ${corpus.cpuMs.toFixed(1)}`,
    },
    {
      metric: 'XLSForm read: 1,000-row survey sheet, median ms / CPU ms / retained MB',
      nithet: `${rows.medianMs.toFixed(1)} / ${rows.cpuMs.toFixed(1)} / ${rows.retainedMb}`,
    },
  );
  return [
    '## Reading an XLSForm',
    '',
    'Median and 90th percentile of repeated reads after 3 warm-up reads; heap growth over one read (V8 still runs',
    'its minor collections inside it, so this is a floor, not the total allocated) and what stays after a full GC',
    'while the result is held. Reading the workbook (read-excel-file: unzip and XML) is most of the time.',
    '',
    '| form | bytes | median ms | p90 ms | CPU ms | heap growth MB | retained MB | outcome |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row(`largest corpus form: ${largest.f}`, largest.size, corpus),
    row('generated: 1,000-row survey sheet, 200 choices', big.byteLength, rows),
    '',
    `Writing the 1,000-row form back: median ${(writes[Math.floor(writes.length / 2)] ?? 0).toFixed(1)} ms, ${written.byteLength.toLocaleString('en-US')} bytes.`,
    `Peak RSS of the process: ${mb(rssBefore * 1024)} MB before, ${mb(rssAfter * 1024)} MB after the reads.`,
    '',
  ].join('\n');
}
