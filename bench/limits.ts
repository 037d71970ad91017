// Issue 12's limits, measured: the memory peak and time of reading a whitespace zip bomb and a 3,000,000-row
// workbook, before (read-excel-file) and after (src/imports/xlsx.ts), each in a fresh process; and /health's latency
// while the largest allowed import (5,000 people rows as XLSX, with invites) runs through the admin API on a real
// HTTP server. `npm run bench -- limits`; Postgres at DATABASE_URL (default the local test server).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { parseEnv } from '../src/config/env.js';
import { buildDeps } from '../src/deps.js';
import { createLogger } from '../src/log.js';
import { fsBlobStore } from '../src/runtime/fs-blobs.js';
import { peopleSheet, workbookWith } from '../test/imports/xlsx-bomb.js';
import { createTestDatabase } from '../test/support/db.js';
import { addSummary, fmt, listen, percentile, withCleanups } from './support.js';

const ADMIN = 'bench-admin-token-0123456789';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Reading {
  ms: number;
  baseRssMb: number;
  peakRssMb: number;
  maxEventLoopGapMs: number;
  fileBytes: number;
  outcome: string;
}

function child(which: 'before' | 'after', kind: string, size: number): Reading | { failed: string } {
  const script = fileURLToPath(new URL('./limits-child.ts', import.meta.url));
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', script, which, kind, String(size)], {
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Reading;
  } catch (err) {
    return { failed: err instanceof Error ? (err.message.split('\n')[0] ?? 'failed') : 'failed' };
  }
}

const row = (what: string, r: Reading | { failed: string }) =>
  'failed' in r
    ? `| ${what} | – | – | – | ${r.failed} |`
    : `| ${what} | ${fmt(r.fileBytes / 1024)} KB | ${fmt(r.ms)} ms | ${fmt(r.peakRssMb - r.baseRssMb)} MB | ${r.outcome} |`;

async function healthBaseline(cleanups: (() => Promise<unknown>)[]): Promise<{ p50: number; p99: number }> {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const database = await createTestDatabase({});
  cleanups.push(() => database.close());
  const config = parseEnv({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'error', DATABASE_URL: process.env.DATABASE_URL });
  const deps = buildDeps({
    config,
    db: database.db,
    log: createLogger('error', () => {}),
    blobs: fsBlobStore(os.tmpdir()),
    defer: () => {},
  });
  const served = await listen(createApp(() => deps).fetch);
  cleanups.push(() => served.close());
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await (await fetch(`${served.url}/health`)).arrayBuffer();
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function healthDuringImport(cleanups: (() => Promise<unknown>)[], dryRun: boolean) {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const database = await createTestDatabase({});
  cleanups.push(() => database.close());
  const config = parseEnv({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'error', DATABASE_URL: process.env.DATABASE_URL });
  const deps = buildDeps({
    config,
    db: database.db,
    log: createLogger('error', () => {}),
    blobs: fsBlobStore(os.tmpdir()),
    defer: () => {},
  });
  const served = await listen(createApp(() => deps).fetch);
  cleanups.push(() => served.close());
  const api = (path: string, init: RequestInit) =>
    fetch(`${served.url}/admin/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN}`, ...init.headers },
    });
  await api('/offices', { method: 'POST', body: JSON.stringify({ code: 'LIM1', nameTh: 'สพป.วัดขีดจำกัด' }) });
  await api('/offices/LIM1/schools', {
    method: 'POST',
    body: JSON.stringify({ schools: [{ code: '1010101010', nameTh: 'โรงเรียนวัดขีดจำกัด' }] }),
  });
  const file = workbookWith(peopleSheet(5000, '1010101010'));
  const latencies: number[] = [];
  let importing = true;
  const poll = (async () => {
    while (importing) {
      const t = performance.now();
      const res = await fetch(`${served.url}/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t = performance.now();
  const res = await api(`/offices/LIM1/imports/people?invites=1${dryRun ? '&dryRun=1' : ''}`, {
    method: 'POST',
    headers: { 'content-type': XLSX },
    body: file,
  });
  const body = await res.json<{ written?: number; valid?: number }>();
  const importMs = performance.now() - t;
  importing = false;
  await poll;
  latencies.sort((a, b) => a - b);
  return { status: res.status, body, importMs, latencies, fileBytes: file.length };
}

export async function run(): Promise<string> {
  return withCleanups('limits', async (cleanups) => {
    const lines: string[] = [
      '## Limits (issue 12)',
      '',
      `Load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores.`,
      '',
      '| reading | file | time | memory peak (RSS over the baseline) | outcome |',
      '| --- | --- | --- | --- | --- |',
    ];
    const bombAfter = child('after', 'bomb', 200);
    const bombBefore = child('before', 'bomb', 30);
    lines.push(row('whitespace bomb (200 MB sheet), after', bombAfter));
    lines.push(row('whitespace bomb (30 MB sheet), before (read-excel-file)', bombBefore));
    const rowsAfter = child('after', 'rows', 3_000_000);
    lines.push(row('3,000,000 rows, after', rowsAfter));
    const rowsBefore = child('before', 'rows', 300_000);
    lines.push(row('300,000 rows (a tenth), before (read-excel-file)', rowsBefore));
    const baseline = await healthBaseline(cleanups);
    lines.push(
      '',
      `/health with nothing else running: p50 ${fmt(baseline.p50, 1)} ms, p99 ${fmt(baseline.p99, 1)} ms (the machine's noise floor).`,
      '',
    );
    const people = child('after', 'people', 5000);
    lines.push(row('5,000 people rows (the largest allowed), after', people));
    lines.push('');
    for (const dryRun of [true, false]) {
      const h = await healthDuringImport(cleanups, dryRun);
      const p = (q: number) => fmt(percentile(h.latencies, q), 1);
      lines.push(
        `/health during the largest allowed XLSX import (${dryRun ? 'dry run' : 'written, with invites'}; ${fmt(h.fileBytes / 1024)} KB, ` +
          `${h.status} in ${fmt(h.importMs)} ms): ${h.latencies.length} probes, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms.`,
        '',
      );
      if (!dryRun) addSummary({ metric: '/health p99 during a 5,000-row XLSX import', nithet: `${p(0.99)} ms` });
    }
    if (!('failed' in bombAfter))
      addSummary({ metric: 'zip bomb memory peak', nithet: `${fmt(bombAfter.peakRssMb - bombAfter.baseRssMb)} MB` });
    return lines.join('\n');
  });
}
