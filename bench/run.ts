// `npm run bench`: runs each bench in turn, writes bench/results/<name>.md and prints it, then rewrites the summary
// table bench/results/README.md from every bench's latest rows (kept in bench/results/summary.json, so a partial
// run such as `npm run bench -- peer` updates only its own rows). To add a bench, write a module exporting
// `run(): Promise<string>` (a markdown section; summary rows through addSummary) and list it in `benches`.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import * as checklist from './checklist.js';
import * as demoWeek from './demo-week.js';
import * as limits from './limits.js';
import * as peer from './peer.js';
import * as reminders from './reminders.js';
import * as reports from './reports.js';
import * as units from './units.js';
import * as term from './term.js';
import { summaryRows, type SummaryRow } from './support.js';
import * as web from './web.js';
import * as webhook from './webhook.js';
import * as xlsform from './xlsform.js';
import { runWorker } from './workerd.js';

interface Bench {
  name: string;
  run: () => Promise<string>;
}

const benches: Bench[] = [
  { name: 'webhook', run: webhook.run },
  { name: 'peer', run: peer.run },
  { name: 'checklist', run: checklist.run },
  { name: 'national', run: reminders.run },
  { name: 'units', run: units.run },
  { name: 'term', run: term.run },
  { name: 'demo-week', run: demoWeek.run },
  { name: 'worker', run: runWorker },
  { name: 'xlsform', run: xlsform.run },
  { name: 'limits', run: limits.run },
  { name: 'reports', run: reports.run },
  { name: 'web', run: web.run },
];
// `npm run bench -- checklist` runs only the named benches; reminders and digests are parts of `national`.
const aliases: Record<string, string> = { reminders: 'national', digests: 'national', workerd: 'worker' };
const only = process.argv.slice(2).map((a) => aliases[a] ?? a);
const unknown = only.filter((n) => !benches.some((b) => b.name === n));
if (unknown.length > 0)
  throw new Error(`no bench named ${unknown.join(', ')}; benches: ${benches.map((b) => b.name).join(', ')}`);

interface Stored {
  date: string;
  load: string;
  rows: SummaryRow[];
}

const results = new URL('./results/', import.meta.url);
const summaryFile = new URL('summary.json', results);
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
await mkdir(results, { recursive: true });
const stored: Record<string, Stored> = existsSync(summaryFile)
  ? (JSON.parse(await readFile(summaryFile, 'utf8')) as Record<string, Stored>)
  : {};

for (const bench of benches.filter((b) => only.length === 0 || only.includes(b.name))) {
  // Other sessions share this machine; the load before we start says how quiet it was.
  const loadAtStart = loadavg();
  summaryRows.length = 0;
  const section = await bench.run();
  const doc = [
    `# nithet bench: ${bench.name}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Load average (1, 5, 15 min) when the bench started: ${loadAtStart}; when it ended: ${loadavg()}`,
    `- Node ${process.version} on ${os.type()} ${os.release()} (${os.arch()}), ${os.availableParallelism()} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    `- Reproduce: \`npm run bench -- ${bench.name}\` (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/test)`,
    '',
    section,
    '',
  ].join('\n');
  await writeFile(new URL(`${bench.name}.md`, results), doc);
  stored[bench.name] = {
    date: new Date().toISOString(),
    load: `${loadAtStart} → ${loadavg()}`,
    rows: [...summaryRows],
  };
  await writeFile(summaryFile, `${JSON.stringify(stored, null, 2)}\n`);
  console.log(doc);
}

const esc = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|');
const table = benches.flatMap((b) => {
  const s = stored[b.name];
  if (s === undefined) return [];
  return s.rows.map(
    (r) =>
      `| ${esc(r.metric)} | ${esc(r.nithet)} | ${esc(r.floor)} | ${esc(r.peer)} | ${esc(r.ratio)} | [${b.name}](${b.name}.md), ${s.date.slice(0, 16).replace('T', ' ')} UTC, load ${s.load} |`,
  );
});
await writeFile(
  new URL('README.md', results),
  [
    '# nithet benchmarks: summary',
    '',
    "`npm run bench` regenerates every file here (`npm run bench -- peer` one part: webhook, peer, checklist, national, worker). Each row links the bench that measured it; the machine (2 cores) is shared with other work, so the load average (1, 5, 15 min, at the bench's start → end) is given per bench. Read rates and latencies with the load in mind; CPU ms per event and ratios measured in the same run are the steadier figures.",
    '',
    '| metric | nithet | floor | peer | ratio | bench, when, machine load |',
    '| --- | --- | --- | --- | --- | --- |',
    ...table,
    '',
  ].join('\n'),
);
