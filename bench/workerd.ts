// The Worker build: bundle size raw and gzip (as `npm run build:worker` writes dist/), and workerd's cold start
// under `wrangler dev`: from spawning the process to the first 200 on /health (the Neon Pool through the local
// WebSocket proxy to this run's Postgres database), the first request's latency against warm ones, and the first
// signed webhook against warm ones. Median of a few starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { gzipSync } from 'node:zlib';
import { signLineBody } from '../src/line/signature.js';
import { createTestDatabase } from '../test/support/db.js';
import { body, ev, userId } from '../test/support/events.js';
import { startFakeLine } from '../test/support/fake-line.js';
import { freePort } from '../test/support/wrangler.js';
import { startWsProxy } from '../test/support/ws-proxy.js';
import { addSummary, type Cleanup, fmt, percentile, withCleanups } from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STARTS = 5;
const WARM = 20;
const SECRET = 'w'.repeat(32);
const TOKEN = 'bench-worker-token-0123456789';
const POLL_MS = 20;
const DEADLINE_MS = 90_000;

const wranglerEnv = (home: string) => ({
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  HOME: home,
  XDG_CONFIG_HOME: home,
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out: stripVTControlCharacters(out) }));
  });
}

interface Bundle {
  files: { name: string; raw: number; gzip: number }[];
  wranglerSays: string;
  buildMs: number;
}

async function bundle(home: string): Promise<Bundle> {
  const dist = join(ROOT, 'dist');
  const t0 = performance.now();
  const r = await run(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', dist], {
    ...wranglerEnv(home),
  });
  const buildMs = performance.now() - t0;
  if (r.code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.out}`);
  const files = [];
  for (const name of (await readdir(dist)).filter((f) => /\.(m?js|wasm|woff2)$/.test(f)).sort()) {
    const data = await readFile(join(dist, name));
    files.push({ name, raw: (await stat(join(dist, name))).size, gzip: gzipSync(data, { level: 9 }).length });
  }
  return { files, wranglerSays: /Total Upload:.*/.exec(r.out)?.[0] ?? '', buildMs };
}

interface Start {
  readyMs: number;
  /** Latency of the request that got the first 200. */
  firstHealthMs: number;
  warmHealthMs: number;
  firstWebhookMs: number;
  warmWebhookMs: number;
  failedPolls: number;
}

async function timedFetch(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

async function signedFollow(n: string): Promise<RequestInit> {
  const raw = JSON.stringify(body(ev.follow({ user: userId(n) })));
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': await signLineBody(SECRET, raw) },
    body: raw,
  };
}

async function coldStart(vars: Record<string, string>, round: number): Promise<Start> {
  const port = await freePort();
  const home = await mkdtemp(join(tmpdir(), 'nithet-bench-wrangler-'));
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', ...varArgs];
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: wranglerEnv(home),
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let failedPolls = 0;
    let first: { ms: number; status: number } | undefined;
    while (first === undefined) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${stripVTControlCharacters(out)}`);
      if (performance.now() - t0 > DEADLINE_MS) throw new Error('wrangler dev never answered /health with 200');
      try {
        const r = await timedFetch(`${url}/health`);
        if (r.status === 200) first = r;
        else failedPolls++;
      } catch {
        failedPolls++;
      }
      if (first === undefined) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const readyMs = performance.now() - t0;
    const firstWebhook = await timedFetch(`${url}/webhook`, await signedFollow(`wk-${round}-first`));
    if (firstWebhook.status !== 200) throw new Error(`first webhook: HTTP ${firstWebhook.status}`);
    const health: number[] = [];
    const hooks: number[] = [];
    for (let i = 0; i < WARM; i++) {
      health.push((await timedFetch(`${url}/health`)).ms);
      const w = await timedFetch(`${url}/webhook`, await signedFollow(`wk-${round}-${i}`));
      if (w.status !== 200) throw new Error(`webhook: HTTP ${w.status}`);
      hooks.push(w.ms);
    }
    health.sort((a, b) => a - b);
    hooks.sort((a, b) => a - b);
    return {
      readyMs,
      firstHealthMs: first.ms,
      warmHealthMs: percentile(health, 0.5),
      firstWebhookMs: firstWebhook.ms,
      warmWebhookMs: percentile(hooks, 0.5),
      failedPolls,
    };
  } finally {
    // SIGINT to our own child only; wrangler shuts workerd down with it.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    await rm(home, { recursive: true, force: true });
  }
}

async function measure(cleanups: Cleanup[]): Promise<string> {
  const started = performance.now();
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const home = await mkdtemp(join(tmpdir(), 'nithet-bench-wrangler-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const b = await bundle(home);

  const database = await createTestDatabase({ poolSize: 2 });
  cleanups.push(() => database.close());
  if (database.url === undefined) throw new Error('the worker bench needs Postgres (DATABASE_URL)');
  const proxy = await startWsProxy();
  cleanups.push(() => proxy.close());
  const line = await startFakeLine();
  cleanups.push(() => line.close());
  const vars = {
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    DATABASE_URL: database.url,
    NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v1`,
    LOG_LEVEL: 'error',
  };
  const starts: Start[] = [];
  for (let i = 0; i < STARTS; i++) starts.push(await coldStart(vars, i));
  const med = (f: (s: Start) => number) => {
    const xs = starts.map(f).sort((a, c) => a - c);
    return xs[Math.floor(xs.length / 2)] ?? Number.NaN;
  };
  const all = (f: (s: Start) => number) => starts.map((s) => fmt(f(s))).join(', ');
  const kib = (n: number) => `${fmt(n / 1024, 1)} KiB`;
  const total = b.files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const invalid = line.invalid().length;
  addSummary(
    { metric: 'Worker bundle (raw / gzip)', nithet: `${kib(total.raw)} / ${kib(total.gzip)}` },
    {
      metric: 'workerd cold start: wrangler dev spawn → first 200 /health (median)',
      nithet: `${fmt(med((s) => s.readyMs))} ms`,
    },
    {
      metric: 'workerd first vs warm request (/health; webhook), median',
      nithet: `${fmt(
        med((s) => s.firstHealthMs),
        1,
      )} vs ${fmt(
        med((s) => s.warmHealthMs),
        1,
      )} ms; ${fmt(
        med((s) => s.firstWebhookMs),
        1,
      )} vs ${fmt(
        med((s) => s.warmWebhookMs),
        1,
      )} ms`,
    },
  );
  return [
    '## Worker: bundle and workerd cold start',
    '',
    `- Bundle: \`wrangler deploy --dry-run --outdir dist\` (what \`npm run build:worker\` runs; ${fmt(b.buildMs / 1000, 1)} s), sizes of dist/ read back, gzip level 9 by node:zlib. Cloudflare's limits: 3 MB (free) / 10 MB (paid) gzip after compression, 64 MB raw.`,
    `- Cold start: \`wrangler dev --ip 127.0.0.1\` spawned ${STARTS} times (WRANGLER_SEND_METRICS=false, CLOUDFLARE_CF_FETCH_ENABLED=false, fresh HOME), each against this run's Postgres database through the local WebSocket proxy (test/support/ws-proxy.ts), replies to the fake LINE. Ready = spawn → first 200 on /health (polled every ${POLL_MS} ms; /health runs \`SELECT 1\` through a new Neon Pool). Then one signed follow webhook (first), then ${WARM} × (/health, follow) warm; medians of the ${STARTS} starts. \`wrangler dev\` bundles with esbuild before workerd starts, so ready includes the local build: production cold starts on Cloudflare skip it.`,
    '',
    '| what | value | notes |',
    '| --- | --- | --- |',
    ...b.files.map((f) => `| bundle ${f.name} | ${kib(f.raw)} raw, ${kib(f.gzip)} gzip | |`),
    `| bundle total | **${kib(total.raw)} raw, ${kib(total.gzip)} gzip** | wrangler says: ${b.wranglerSays || 'n/a'} |`,
    `| wrangler dev: spawn → first 200 /health (median) | **${fmt(med((s) => s.readyMs))} ms** | each start: ${all((s) => s.readyMs)} ms |`,
    `| first /health's own latency vs warm (median) | ${fmt(
      med((s) => s.firstHealthMs),
      1,
    )} ms vs ${fmt(
      med((s) => s.warmHealthMs),
      1,
    )} ms | first: ${all((s) => s.firstHealthMs)} ms |`,
    `| first signed webhook vs warm (median) | ${fmt(
      med((s) => s.firstWebhookMs),
      1,
    )} ms vs ${fmt(
      med((s) => s.warmWebhookMs),
      1,
    )} ms | follow event: dedupe + conversation + commit in workerd through the proxy; first: ${all((s) => s.firstWebhookMs)} ms |`,
    `| fake LINE: invalid requests | ${invalid} | ${fmt(line.replies().length)} replies validated |`,
    '',
    `Bench took ${fmt((performance.now() - started) / 1000, 1)} s.`,
  ].join('\n');
}

export function runWorker(): Promise<string> {
  return withCleanups('worker', measure);
}
