// Units of work at national size (`npm run bench -- units`): the national dataset of bench/reminders.ts (245
// offices, 30,000 schools, 400,000 people), then every unit of Monday 08:00 Bangkok (an hour's first firing: all
// seven kinds for every office, plus the deployment's retention) run one by one through runClaimed, as Workers'
// queue consumer runs them, with the CPU each takes. Then the idle firings after it (08:05, 08:15). LINE is a
// stub answering 200 in a worker thread, so its CPU is not counted; the CPU counted is this (main) thread's,
// which is what a Worker's CPU limit measures (JavaScript, not time waiting for Postgres or LINE). Postgres's own
// CPU per unit is reported beside it. Goal: no unit over 5 s of CPU. Its own database, dropped at the end.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { parseEnv } from '../src/config/env.js';
import { queryRows } from '../src/db/client.js';
import { buildDeps } from '../src/deps.js';
import { createLogger } from '../src/log.js';
import { enqueuePeriodic, runClaimed, type UnitDeps } from '../src/scheduler/units.js';
import { claimDueUnits, type UnitRow } from '../src/scheduler/units.queries.js';
import { UNIT_KINDS, type UnitKind } from '../src/scheduler/work.js';
import { createTestDatabase } from '../test/support/db.js';
import { processesCpuMs, processesDelta, threadCpuMs } from './cpu.js';
import { generate } from './reminders.js';
import { addSummary, type Cleanup, fmt, percentile, withCleanups } from './support.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Monday 23 November 2026, 08:00 in Bangkok: reminders, digests and the hour's housekeeping all fall due. */
const AT = Date.parse('2026-11-23T01:00:00Z');
const GOAL_CPU_MS = 5_000;

/** LINE, answering every call at once; in a worker thread so its CPU stays off the main thread's count. */
async function startLineStub(): Promise<{ url: string; close: () => Promise<number> }> {
  const worker = new Worker(
    `const http = require('node:http');
     const { parentPort } = require('node:worker_threads');
     const answers = { '/v2/bot/message/quota': '{"type":"none"}', '/v2/bot/message/quota/consumption': '{"totalUsage":0}' };
     const server = http.createServer((req, res) => {
       req.resume();
       req.on('end', () => {
         res.writeHead(200, { 'content-type': 'application/json' });
         res.end(answers[req.url] ?? '{}');
       });
     });
     server.keepAliveTimeout = 60000;
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => worker.terminate() };
}

interface Measured {
  unit: UnitRow;
  cpuMs: number;
  pgCpuMs: number | undefined;
  wallMs: number;
  status: string;
  report: string;
}

async function runAll(deps: UnitDeps, dbName: string, units: UnitRow[], at: number): Promise<Measured[]> {
  const rank = (u: UnitRow) => UNIT_KINDS.indexOf(u.kind as UnitKind);
  const ordered = [...units].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
  const out: Measured[] = [];
  for (const u of ordered) {
    const [claimed] = await claimDueUnits(deps.db, {
      now: new Date(at).toISOString(),
      leaseUntil: new Date(at + 900_000).toISOString(),
      limit: 1,
      ids: [u.id],
    });
    if (claimed === undefined) throw new Error(`could not claim ${u.id}`);
    const pg0 = processesCpuMs('postgres', dbName);
    const cpu0 = threadCpuMs() ?? Number.NaN;
    const t0 = performance.now();
    const outcome = await runClaimed(deps, claimed, () => at);
    const wallMs = performance.now() - t0;
    const cpuMs = (threadCpuMs() ?? Number.NaN) - cpu0;
    const pgCpuMs = processesDelta(pg0, processesCpuMs('postgres', dbName));
    const report =
      outcome.status === 'done'
        ? Object.entries(outcome.report)
            .map(([k, v]) => (typeof v === 'number' ? `${k} ${fmt(v)}` : v === null ? `${k} –` : detail(k, v)))
            .join(', ')
        : outcome.status;
    out.push({ unit: claimed, cpuMs, pgCpuMs, wallMs, status: outcome.status, report });
  }
  return out;
}

/** The sender's and the rich menu linker's reports, by their main count. */
const detail = (k: string, v: object): string =>
  k === 'sent'
    ? `sent ${fmt((v as { sent?: number }).sent ?? 0)} pushes`
    : `${k} ${fmt((v as { linked?: number }).linked ?? 0)} linked`;

const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${fmt(x)} ms`);

function table(title: string, runs: Measured[]): string[] {
  const lines = [
    `### ${title}`,
    '',
    '| kind | units | CPU max (unit) | CPU p50 | CPU total | Postgres CPU max | wall max | failed | heaviest unit did |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const kind of UNIT_KINDS) {
    const rs = runs.filter((r) => r.unit.kind === kind);
    if (rs.length === 0) continue;
    const cpu = rs.map((r) => r.cpuMs).sort((a, b) => a - b);
    const top = rs.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    const pgMax = Math.max(...rs.map((r) => r.pgCpuMs ?? 0));
    lines.push(
      `| ${kind} | ${rs.length} | ${ms(top.cpuMs)} | ${ms(percentile(cpu, 0.5))} | ${ms(cpu.reduce((a, b) => a + b, 0))} | ${ms(pgMax)} | ${ms(Math.max(...rs.map((r) => r.wallMs)))} | ${rs.filter((r) => r.status !== 'done').length} | ${top.report} |`,
    );
  }
  return [...lines, ''];
}

async function measure(cleanups: Cleanup[]): Promise<string> {
  const started = performance.now();
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  const database = await createTestDatabase({ poolSize: 4 });
  cleanups.push(() => database.close());
  if (database.kind !== 'postgres' || database.url === undefined) throw new Error('the units bench needs Postgres');
  const db = database.db;
  const dbName = new URL(database.url).pathname.slice(1);
  const gen = await generate(db);
  const line = await startLineStub();
  cleanups.push(line.close);
  const config = parseEnv({
    LINE_CHANNEL_SECRET: 'a'.repeat(32),
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-token',
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
  });
  const deps: UnitDeps = {
    ...buildDeps({
      config,
      db,
      log: createLogger('error', () => {}),
      now: () => AT,
      blobs: {
        put: () => Promise.reject(new Error('no blobs')),
        get: () => Promise.resolve(null),
        delete: () => Promise.resolve(),
      },
      defer: () => {},
    }),
    retryBaseSeconds: 30,
  };

  const rounds: { title: string; at: number }[] = [
    { title: 'Monday 08:00 Bangkok: the hour’s first firing, every kind for every office', at: AT },
    { title: '08:05: the next firing (send and rich menus; nothing new to send)', at: AT + 5 * 60_000 },
    { title: '08:15: a quarter-hour firing (planning again: nothing new)', at: AT + 15 * 60_000 },
  ];
  const sections: string[] = [];
  const all: Measured[] = [];
  for (const round of rounds) {
    const units = await enqueuePeriodic(db, round.at, null);
    const t0 = performance.now();
    const runs = await runAll(deps, dbName, units, round.at);
    all.push(...runs);
    sections.push(
      ...table(`${round.title}: ${fmt(runs.length)} units in ${fmt((performance.now() - t0) / 1000, 1)} s`, runs),
    );
  }
  const [pushes] = await queryRows<{ sent: number; pending: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'pending')::int AS pending
          FROM outbox`,
  );
  const top = all.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
  const failed = all.filter((r) => r.status !== 'done').length;
  addSummary({
    metric: `units of work, national: CPU of the heaviest unit (${fmt(all.length)} units, 08:00–08:15)`,
    nithet: `${ms(top.cpuMs)} (${top.unit.kind})${failed > 0 ? `, ${failed} failed` : ''}`,
    ratio: `${fmt(top.cpuMs / GOAL_CPU_MS, 2)}× the 5 s goal`,
  });
  return [
    '## Units of work at national size',
    '',
    `- The national dataset of \`npm run bench -- national\` (generated in ${fmt(gen.reduce((a, g) => a + g.ms, 0) / 1000)} s), a fresh database, node-postgres pool of 4.`,
    '- Each unit claimed and run alone through `runClaimed` (src/scheduler/units.ts), in the in-process order (housekeeping, planning, then sending). **CPU** is this thread’s (the JavaScript a Worker’s CPU limit counts; LINE is a stub in a worker thread; /proc counts it in 10 ms ticks, so a small unit reads 0 or 10 ms), **Postgres CPU** the database backends’, **wall** includes waiting for both and the sender’s pacing.',
    `- Pushes after the rounds: ${fmt(pushes?.sent ?? 0)} sent, ${fmt(pushes?.pending ?? 0)} still pending.`,
    `- **Heaviest unit: ${ms(top.cpuMs)} of CPU (${top.unit.id.split(':')[0]} of one office; goal ≤ ${fmt(GOAL_CPU_MS)} ms).**`,
    '',
    ...sections,
    `Bench took ${fmt((performance.now() - started) / 1000, 1)} s.`,
  ].join('\n');
}

export function run(): Promise<string> {
  return withCleanups('units', measure);
}
