// `npm run bench`: runs each bench in turn, writes bench/results/<name>.md and prints it. To add a bench, write a
// module exporting `run(): Promise<string>` (a markdown section) and list it in `benches`.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import * as checklist from './checklist.js';
import * as reminders from './reminders.js';
import * as webhook from './webhook.js';

interface Bench {
  name: string;
  run: () => Promise<string>;
}

const benches: Bench[] = [
  { name: 'webhook', run: webhook.run },
  { name: 'checklist', run: checklist.run },
  { name: 'reminders', run: reminders.run },
];
// `npm run bench -- checklist` runs only the named benches.
const only = process.argv.slice(2);

const results = new URL('./results/', import.meta.url);
// Other sessions share this machine; the load before we start says how quiet it was.
const loadAtStart = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
await mkdir(results, { recursive: true });
for (const bench of benches.filter((b) => only.length === 0 || only.includes(b.name))) {
  const section = await bench.run();
  const doc = [
    `# nithet bench: ${bench.name}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Load average when the run started: ${loadAtStart}`,
    `- Node ${process.version} on ${os.type()} ${os.release()} (${os.arch()}), ${os.availableParallelism()} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    '- Reproduce: `npm run bench` (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/test)',
    '',
    section,
    '',
  ].join('\n');
  await writeFile(new URL(`${bench.name}.md`, results), doc);
  console.log(doc);
}
