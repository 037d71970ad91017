// Side by side: the bare Hono floor, nithet and a Bottender peer answering the same 5-question checklist, in one
// run with the same fake LINE API, the same signed bodies (one generator), the same load generator and concurrency.
// The peer (bench/peer/server.js) runs in a child process with its own node_modules, installed on first use.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client.js';
import { ev, userId } from '../test/support/events.js';
import { delta, pidCpuMs } from './cpu.js';
import { floorApp } from './floor.js';
import { firstAnswersOnFreshPool, freshPoolNote } from './fresh-pool.js';
import { addSummary, type Cleanup, fmt, listen, percentile, statementKeyword, withCleanups } from './support.js';
import type { LoadResult, SignedBody } from './threads.js';
import type pg from 'pg';
import type { BatchStats } from '../src/conversation/batch.js';
import { explainAll, type Explained, recordStatements } from './explain.js';
import { TransactionRollbackError } from 'drizzle-orm';
import { loadBatch, writeBatch } from '../src/conversation/batch.queries.js';
import { cachedDefinitionIds } from '../src/checklists/definitions-cache.js';
import type { ConversationState } from '../src/conversation/state.js';
import {
  count,
  type Ctx,
  drive,
  issueCodes,
  keywordList,
  keywordsSince,
  LOAD,
  loadNotes,
  type LoadRun,
  openContext,
  publishBenchChecklist,
  ownCpu,
  profileFile,
  cpuNotes,
  POOL_SIZE,
  rate,
  SECRET,
  signAll,
  TOKEN,
} from './webhook.js';

const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));
/** People who answer nithet's checklist: 5 bodies each, more than nithet answers in warm-up + window (batched). */
const NITHET_USERS = 8_000;
/** The peer and the floor answer faster: more people so the bodies last the window (reply tokens are single use). */
const PEER_USERS = 8_000;
const QUESTIONS = 5;
/** The answer every body carries: a rating level typed with a Thai digit, which both bots accept. */
const ANSWER = '๔';

/** The 5 rating items the peer asks too (bench/peer/server.js), published in the bench database. */
export const DEFINITION = {
  schema: 'nithet.checklist/1',
  key: 'bench-five',
  version: 1,
  title: { th: 'แบบประเมินตนเอง 5 ข้อ (ทดสอบ)', en: 'Five-question self-assessment (bench)' },
  scope: 'person',
  items: [
    'การวางแผนพัฒนาคุณภาพการศึกษา',
    'การดำเนินงานตามแผน',
    'การติดตามและประเมินผล',
    'การมีส่วนร่วมของผู้ปกครองและชุมชน',
    'การรายงานผลการดำเนินงาน',
  ].map((th, i) => ({ type: 'rating', key: `q${i + 1}`, label: { th } })),
};

/** The one payload generator: round-major, so a person's next answer is `users.length` requests behind. */
async function answerBodies(users: string[]): Promise<SignedBody[]> {
  const events = [];
  for (let round = 0; round < QUESTIONS; round++) for (const user of users) events.push(ev.text(ANSWER, { user }));
  return signAll(events);
}

/** Posts each body once, `concurrency` at a time, to a URL; throws on the first non-200. */
async function postAll(url: string, bodies: SignedBody[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const b = bodies[i];
      if (b === undefined) return;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': b.signature },
        body: b.body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Installs the peer's locked dependencies once (never during npm test or CI: only this bench needs them). */
function ensurePeerInstalled(): string {
  if (existsSync(`${PEER_DIR}node_modules/bottender/package.json`)) return 'already installed';
  const started = performance.now();
  const r = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--ignore-scripts', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('npm ci --prefix bench/peer --ignore-scripts failed');
  return `installed now with npm ci (${fmt((performance.now() - started) / 1000, 1)} s)`;
}

interface Peer {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

async function startPeer(lineUrl: string, sync: boolean): Promise<Peer> {
  const child: ChildProcess = spawn(process.execPath, [`${PEER_DIR}server.js`], {
    cwd: PEER_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      LINE_ORIGIN: lineUrl,
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
      PEER_SYNC: sync ? '1' : '0',
      NODE_ENV: 'production',
    },
  });
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /listening (\d+)/.exec(buf);
      if (m?.[1] !== undefined) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`the peer exited before listening: ${out}`)));
  });
  if (child.pid === undefined) throw new Error('the peer has no pid');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface PeerRun {
  mode: string;
  load: LoadRun;
  cpuMs: number | undefined;
  replies: number;
  errors: string;
}

/** Starts a peer, drives its people's answers, stops it. */
async function runPeer(ctx: Ctx, cleanups: Cleanup[], sync: boolean, prefix: string): Promise<PeerRun> {
  const peer = await startPeer(ctx.line.url, sync);
  cleanups.push(() => peer.stop());
  // A new session starts at question 1: no setup requests.
  const users = Array.from({ length: PEER_USERS }, (_, i) => userId(`${prefix}-${i}`));
  const bodies = await answerBodies(users);
  const repliesBefore = (await ctx.line.stats()).replies;
  let cpuStart: number | undefined;
  let cpuEnd: number | undefined;
  const load = await drive(ctx, peer.url, bodies, false, {
    window: { start: () => (cpuStart = pidCpuMs(peer.pid)), end: () => (cpuEnd = pidCpuMs(peer.pid)) },
  });
  // The default mode answers before it replies: let the last replies land before counting them.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const replies = (await ctx.line.stats()).replies - repliesBefore;
  await peer.stop();
  const used = delta(cpuStart, cpuEnd);
  return {
    mode: sync ? 'sync' : 'default',
    load,
    cpuMs: used === undefined ? undefined : used / Math.max(1, load.result.ok),
    replies,
    errors: peer.output().trim().split('\n').slice(0, 2).join(' ').slice(0, 300),
  };
}

/** Posts one signed event through the app in-process and waits for its deferred work. */
async function postInProcess(ctx: Ctx, event: unknown): Promise<void> {
  const [signed] = await signAll([event]);
  if (signed === undefined) return;
  const res = await ctx.app.fetch(
    new Request('http://nithet.bench/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signed.signature },
      body: signed.body,
    }),
  );
  await res.arrayBuffer();
  await ctx.settle();
  if (res.status !== 200) throw new Error(`probe: HTTP ${res.status}`);
}

/** The statements of one checklist answer, with Postgres' planning and execution time for each. */
export async function probeAnswer(ctx: Ctx, pool: pg.Pool, campaignId: string): Promise<Explained[]> {
  const user = userId('ck-probe');
  const [code] = await issueCodes(ctx.db, ctx.officeId, 'ckp', 1);
  await postInProcess(ctx, ev.text(code ?? '', { user }));
  await postInProcess(ctx, ev.text('ใช่', { user })); // whose account it is: confirmed
  await postInProcess(ctx, ev.postback(`a=open&c=${campaignId}`, { user }));
  const { statements } = await recordStatements(() => postInProcess(ctx, ev.text(ANSWER, { user })));
  return explainAll(pool, statements, (t) => `${statementKeyword([t])} (${fmt(t.length)} chars of SQL)`, new Set());
}

/** People answering at once in the batch probe: about the mean batch of the measured window. */
const PROBE_BATCH = 8;
/** Runs of each batch statement timed by the probe (the median is reported). */
const PROBE_RUNS = 15;

export interface BatchProbe {
  events: number;
  statements: { label: string; medianMs: number; perEventMs: number; plan: string }[];
}

/**
 * What a batch costs Postgres: PROBE_BATCH people at a checklist step, their batch's load statement and a write of
 * one answer each (as the batcher builds them; the write run in a rolled-back transaction to record it), each
 * re-run PROBE_RUNS times as the app runs it (a prepared statement on its generic plan) under EXPLAIN (ANALYZE,
 * BUFFERS, TIMING OFF), in rolled-back transactions. The median execution time covers executor start-up, the
 * run and the plan's triggers (the foreign keys); not the commit.
 */
export async function probeBatch(ctx: Ctx, pool: pg.Pool, campaignId: string): Promise<BatchProbe> {
  const users = Array.from({ length: PROBE_BATCH }, (_, i) => userId(`ckb-${i}`));
  const codes = await issueCodes(ctx.db, ctx.officeId, 'ckb', PROBE_BATCH);
  for (const [i, user] of users.entries()) {
    await postInProcess(ctx, ev.text(codes[i] ?? '', { user }));
    await postInProcess(ctx, ev.text('ใช่', { user }));
    await postInProcess(ctx, ev.postback(`a=open&c=${campaignId}`, { user }));
  }
  const convs = await queryRows<{ channel_id: string; line_user_id: string }>(
    ctx.db,
    sql`SELECT channel_id, line_user_id FROM conversations WHERE line_user_id IN ${users} ORDER BY line_user_id`,
  );
  const now = new Date().toISOString();
  const keys = convs.map((c, i) => ({
    channelId: c.channel_id,
    lineUserId: c.line_user_id,
    webhookEventId: `01PROBEBATCH${String(i).padStart(14, '0')}`,
    now,
  }));
  const load = await recordStatements(() => loadBatch(ctx.db, keys, cachedDefinitionIds()));
  const rows = load.value;
  const write = await recordStatements(() =>
    ctx.db
      .transaction(async (tx) => {
        await writeBatch(
          tx,
          rows.map((r, i) => ({
            ...(keys[i] as (typeof keys)[number]),
            version: r.version,
            state: r.state as ConversationState,
            now,
          })),
          rows.map((r, i) => ({
            row: i,
            responseId: String((r.state as { flow: { responseId?: string } }).flow.responseId),
            personId: String(r.person?.id),
            key: 'q1',
            repeat: 0,
            value: '4',
          })),
        );
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      }),
  );
  const recorded = [
    ['load', load.statements.at(-1)],
    ['write', write.statements.find((s) => /^\s*WITH/i.test(s.text))],
  ] as const;
  const client = await pool.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    const statements = [];
    for (const [label, s] of recorded) {
      if (s === undefined) throw new Error(`probe: the batch's ${label} statement was not recorded`);
      await client.query('DEALLOCATE ALL');
      await client.query(`PREPARE probe AS ${s.text}`);
      // EXECUTE's arguments cannot be bind parameters (a utility statement): each value goes in as a literal.
      const args = s.values
        .map((v) =>
          v === null || v === undefined ? 'NULL' : client.escapeLiteral(typeof v === 'string' ? v : JSON.stringify(v)),
        )
        .join(', ');
      const times: number[] = [];
      let plan = '';
      for (let run = 0; run < PROBE_RUNS; run++) {
        await client.query('BEGIN');
        try {
          const out = await client.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) EXECUTE probe(${args})`,
          );
          const lines = out.rows.map((r) => r['QUERY PLAN']);
          const ms = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))?.[1]);
          times.push(ms);
          if (run === PROBE_RUNS - 1) plan = lines.join('\n');
        } finally {
          await client.query('ROLLBACK');
        }
      }
      const median = percentile(
        times.sort((a, b) => a - b),
        0.5,
      );
      statements.push({ label, medianMs: median, perEventMs: median / rows.length, plan });
    }
    return { events: rows.length, statements };
  } finally {
    await client.query('DEALLOCATE ALL').catch(() => {});
    await client.query('RESET plan_cache_mode').catch(() => {});
    client.release();
  }
}

type BatchSnapshot = Omit<BatchStats, 'sizes'> & { sizes: Map<number, number> };

const snapshot = (s: BatchStats | undefined): BatchSnapshot | undefined =>
  s === undefined ? undefined : { ...s, sizes: new Map(s.sizes) };

/** The batches run between two snapshots: how many, their sizes, and what went the single path. */
function batchNotes(before: BatchSnapshot | undefined, after: BatchSnapshot | undefined): string {
  if (before === undefined || after === undefined)
    return 'batching off (NITHET_BATCH=0): every turn on the single path';
  const buckets = [1, 2, 4, 8, 16, 32, 64];
  const byBucket = new Map<number, number>();
  let batches = 0;
  let events = 0;
  for (const [size, n] of after.sizes) {
    const d = n - (before.sizes.get(size) ?? 0);
    if (d === 0) continue;
    batches += d;
    events += d * size;
    const bucket = buckets.find((b) => size <= b) ?? 64;
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + d * size);
  }
  const label = (b: number) => {
    const i = buckets.indexOf(b);
    const lo = i <= 0 ? 1 : (buckets[i - 1] ?? 0) + 1;
    return lo === b ? `${b}` : `${lo}–${b}`;
  };
  const dist = buckets
    .filter((b) => byBucket.has(b))
    .map((b) => `${label(b)}: ${fmt((100 * (byBucket.get(b) ?? 0)) / Math.max(1, events))}%`)
    .join(', ');
  return `${fmt(batches)} batches of ${fmt(events)} events, mean ${fmt(events / Math.max(1, batches), 1)}; events by batch size ${dist}; applied by the batch ${fmt(after.applied - before.applied)}, duplicates ${fmt(after.duplicates - before.duplicates)}, handed to the single path ${fmt(after.fellBack - before.fellBack)}, failed batches ${fmt(after.failed - before.failed)}`;
}

/** loadNotes without the bench thread's event loop, which says nothing about a server in another process. */
function peerNotes(r: PeerRun): string {
  return loadNotes(r.load)
    .split('; ')
    .filter((part) => !part.startsWith('server event loop'))
    .join('; ');
}

const share = (cpuMsPerEvent: number | undefined, r: LoadResult) =>
  cpuMsPerEvent === undefined ? 'n/a' : `${fmt(((cpuMsPerEvent * r.ok) / r.windowMs) * 100)}%`;

async function measure(cleanups: Cleanup[]): Promise<string> {
  const started = performance.now();
  const install = ensurePeerInstalled();
  const { ctx, pgVersion, logged, pool } = await openContext(cleanups);

  // nithet's side: the checklist published for the office, a campaign for teachers, people linked and the
  // checklist opened (untimed), so every measured request answers one step.
  const campaignId = await publishBenchChecklist(ctx, DEFINITION);
  // Beside the measured people, two pools' worth answer on a fresh pool (bench/fresh-pool.ts), cold and warmed.
  const codes = await issueCodes(ctx.db, ctx.officeId, 'ck', NITHET_USERS + 2 * POOL_SIZE);
  const linked = codes.map((_, i) => userId(`ck-${i}`));
  const nithetUsers = linked.slice(0, NITHET_USERS);
  const freshUsers = linked.slice(NITHET_USERS);
  const setup = await signAll([
    ...codes.map((code, i) => ev.text(code, { user: userId(`ck-${i}`) })),
    ...linked.map((user) => ev.text('ใช่', { user })), // whose account it is: confirmed
    ...linked.map((user) => ev.postback(`a=open&c=${campaignId}`, { user })),
  ]);
  const nithetSetup = await listen(ctx.app.fetch, ctx.deps);
  try {
    // Linking first, then opening: each person's two events must not race.
    await postAll(`${nithetSetup.url}/webhook`, setup.slice(0, linked.length), 16);
    await postAll(`${nithetSetup.url}/webhook`, setup.slice(linked.length), 16);
    await ctx.settle();
  } finally {
    await nithetSetup.close();
  }
  const open = await count(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM conversations WHERE state->'flow'->>'flow' = 'checklist'`,
  );

  // Floor: the peer's bodies, wrapping (it keeps no state and never replies).
  const floorUsers = Array.from({ length: PEER_USERS }, (_, i) => userId(`fl-${i}`));
  const floorServer = await listen(floorApp(SECRET).fetch);
  let floor: LoadRun;
  try {
    floor = await drive(ctx, floorServer.url, await answerBodies(floorUsers), true);
  } finally {
    await floorServer.close();
  }

  // nithet, measured.
  const bodies = await answerBodies(nithetUsers);
  const server = await listen(ctx.app.fetch, ctx.deps);
  const repliesBefore = (await ctx.line.stats()).replies;
  const keywordsBefore = new Map(ctx.counter.byKeyword);
  const queriesBefore = ctx.counter.count;
  const answersBefore = await count(ctx.db, sql`SELECT count(*)::int AS n FROM answers`);
  const batchesBefore = snapshot(ctx.batcher?.stats);
  let nithet: LoadRun;
  try {
    nithet = await drive(ctx, server.url, bodies, false, { profile: profileFile('peer-nithet') });
    await ctx.settle();
  } finally {
    await server.close();
  }
  const batches = batchNotes(batchesBefore, snapshot(ctx.batcher?.stats));
  const queries = (ctx.counter.count - queriesBefore) / Math.max(1, nithet.result.completed);
  const keywords = keywordsSince(ctx.counter, keywordsBefore);
  const nithetReplies = (await ctx.line.stats()).replies - repliesBefore;
  const answers = (await count(ctx.db, sql`SELECT count(*)::int AS n FROM answers`)) - answersBefore;

  // Where nithet's Postgres time per answer goes: one more person's answer, its statements re-run under EXPLAIN
  // ANALYZE (rolled back; by then the event is a duplicate, so execution takes the short path, planning does not).
  const probe = pool === undefined ? [] : await probeAnswer(ctx, pool, campaignId);
  const batchProbe =
    pool === undefined || ctx.batcher === undefined ? undefined : await probeBatch(ctx, pool, campaignId);
  const freshBodies = await signAll(freshUsers.map((user) => ev.text(ANSWER, { user })));
  const cold = await firstAnswersOnFreshPool(ctx, freshBodies.slice(0, POOL_SIZE), false);
  const warmed = await firstAnswersOnFreshPool(ctx, freshBodies.slice(POOL_SIZE), true);

  const peerSync = await runPeer(ctx, cleanups, true, 'ps');
  const peerDefault = await runPeer(ctx, cleanups, false, 'pd');
  const lineStats = await ctx.line.stats();
  // Whether the turns' conversation updates stayed on their page (HOT): the whole run (setup, warm-up, timing);
  // read after the peers ran, so the pool's backends have flushed their statistics.
  const hot = (
    await queryRows<{ upd: number; hot: number }>(
      ctx.db,
      sql`SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'conversations'`,
    )
  )[0];

  const n = nithet.result;
  const f = floor.result;
  const p = peerSync.load.result;
  const d = peerDefault.load.result;
  const cpu = (x: number | undefined) => (x === undefined ? 'n/a' : fmt(x, 3));
  const ms = (x: number) => fmt(x, 1);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? 'n/a' : `${fmt(a / b, 2)}×`;
  const rows = [
    [
      'events/s',
      fmt(rate(n)),
      fmt(rate(f)),
      fmt(rate(p)),
      fmt(rate(d)),
      ratio(rate(n), rate(f)),
      ratio(rate(n), rate(p)),
    ],
    [
      'p50 latency (ms)',
      ms(percentile(n.latencies, 0.5)),
      ms(percentile(f.latencies, 0.5)),
      ms(percentile(p.latencies, 0.5)),
      ms(percentile(d.latencies, 0.5)),
      ratio(percentile(n.latencies, 0.5), percentile(f.latencies, 0.5)),
      ratio(percentile(n.latencies, 0.5), percentile(p.latencies, 0.5)),
    ],
    [
      'p99 latency (ms)',
      ms(percentile(n.latencies, 0.99)),
      ms(percentile(f.latencies, 0.99)),
      ms(percentile(p.latencies, 0.99)),
      ms(percentile(d.latencies, 0.99)),
      ratio(percentile(n.latencies, 0.99), percentile(f.latencies, 0.99)),
      ratio(percentile(n.latencies, 0.99), percentile(p.latencies, 0.99)),
    ],
    [
      'server CPU ms/event',
      cpu(ownCpu(nithet.cpu)),
      cpu(ownCpu(floor.cpu)),
      cpu(peerSync.cpuMs),
      cpu(peerDefault.cpuMs),
      ratio(ownCpu(nithet.cpu), ownCpu(floor.cpu)),
      ratio(ownCpu(nithet.cpu), peerSync.cpuMs),
    ],
    [
      'whole machine CPU ms/event',
      cpu(nithet.cpu.machine),
      cpu(floor.cpu.machine),
      cpu(peerSync.load.cpu.machine),
      cpu(peerDefault.load.cpu.machine),
      ratio(nithet.cpu.machine, floor.cpu.machine),
      ratio(nithet.cpu.machine, peerSync.load.cpu.machine),
    ],
    ['replies sent (whole run)', fmt(nithetReplies), '0', fmt(peerSync.replies), fmt(peerDefault.replies), '', ''],
  ];
  const both = (r: string[]) => `nithet/floor ${r[5]}, nithet/peer ${r[6]}`;
  const summary = (metric: string, r: string[] | undefined) => {
    if (r === undefined) return;
    addSummary({
      metric,
      nithet: r[1] ?? '',
      floor: r[2] ?? '',
      peer: `${r[3]} (sync), ${r[4]} (default)`,
      ratio: both(r),
    });
  };
  summary('checklist answer: events/s', rows[0]);
  summary('checklist answer: p50 latency ms', rows[1]);
  summary('checklist answer: p99 latency ms', rows[2]);
  summary('checklist answer: server CPU ms/event', rows[3]);
  const loadAvg = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const warnings: string[] = [];
  if (lineStats.invalid > 0)
    warnings.push(`fake LINE refused ${lineStats.invalid} request(s): ${lineStats.invalidSamples.join(' | ')}`);
  if (logged.length > 0)
    warnings.push(`nithet logged ${logged.length} warning/error line(s): ${logged.slice(0, 2).join(' ')}`);
  for (const r of [peerSync, peerDefault]) if (r.errors !== '') warnings.push(`peer (${r.mode}) stderr: ${r.errors}`);
  return [
    '## Side by side: answering a checklist step (floor, nithet, Bottender peer)',
    '',
    `- One run, one fake LINE API (validating every reply against LINE's OpenAPI, in a worker thread), one load generator (worker thread, ${LOAD.concurrency} keep-alive connections, fixed concurrency, ${LOAD.warmupMs / 1000} s warm-up then ${LOAD.durationMs / 1000} s measured), one payload generator: signed text events \`${ANSWER}\` (rating level 4, typed with a Thai digit, what a quick-reply tap or a PC user sends), round-major over the people so no one has two answers in flight.`,
    `- **nithet**: the real app served as src/node.ts serves it (main thread; the webhook read from node:http directly, everything else through @hono/node-server) + Postgres ${pgVersion} (fresh database, pool of ${POOL_SIZE}); a 5-item rating checklist (\`bench-five\`) published for the office and a campaign for teachers; ${fmt(NITHET_USERS)} people linked and the checklist opened before timing (${fmt(open)} conversations at a checklist step). Each request: verify, dedupe, load the conversation, record the answer, write the state, commit, answer 200, then reply with the next question and its quick replies. ${fmt(answers)} answers stored; ${fmt(queries, 2)} round trips per request (${keywordList(keywords)}).`,
    `- **floor**: bench/floor.ts (raw body, signature check, JSON.parse, 200 {}), the same bodies generated for ${fmt(PEER_USERS)} people, wrapping.`,
    `- **peer**: Bottender 1.5.5 (bench/peer/, ${install}) LineBot with its LINE connector (signature check with node:crypto HMAC) and MemorySessionStore, in a child Node process; its LINE client's \`origin\` points at the fake LINE. The same 5 questions with 5 quick-reply buttons each; answers kept in the session; one reply per turn. A new session starts at question 1 (nithet's people open the checklist with a postback before timing), so each of the ${fmt(PEER_USERS)} people's first answer is question 1's. **State lives in process memory only: no durability, lost on restart, not shared between processes; no dedupe of redeliveries.** *sync*: Bottender's \`sync: true\`, 200 after the handler ran, the reply was sent and the session written. *default*: Bottender's default, 200 first, then handle and reply (LINE's 2xx tells it nothing about whether the answer was kept).`,
    `- CPU ms/event: nithet = its main thread + other Node threads + its Postgres backends; floor = its thread(s) in the bench process; peer = the child process (all threads), read from /proc. Whole machine = all CPU on the machine in the window (load generator and fake LINE included) per answered event. Machine load average at the end of the run: ${loadAvg}.`,
    '',
    '| metric | nithet | floor | peer (sync) | peer (default) | nithet / floor | nithet / peer (sync) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    `- nithet: ${esc(loadNotes(nithet))}. CPU: ${esc(cpuNotes(nithet.cpu))}.`,
    `- nithet's batches (src/conversation/batch.ts; warm-up and window): ${esc(batches)}.`,
    `- floor: ${esc(loadNotes(floor))}.`,
    ...[peerSync, peerDefault].map((r) => `- peer (${r.mode}): ${esc(peerNotes(r))}.`),
    `- Share of a core each server got in its window (CPU ms/event × events/s): nithet ${share(ownCpu(nithet.cpu), n)}, floor ${share(ownCpu(floor.cpu), f)}, peer (sync) ${share(peerSync.cpuMs, p)}, peer (default) ${share(peerDefault.cpuMs, d)}. On 2 cores, well under 100% with all ${LOAD.concurrency} connections busy means the server waited for CPU the machine gave to other work (see the load average): then rates and latencies say more about the machine than about the server, and CPU ms/event is the figure to compare.`,
    `- Conversation updates in place (HOT) over the whole run: ${hot === undefined ? 'n/a' : `${fmt(hot.hot)} of ${fmt(hot.upd)}`}.`,
    `- Where nithet's Postgres time per answer goes (one more answer's statements re-run under EXPLAIN ANALYZE, rolled back; this is the cost of one unprepared run: the app sends them as named prepared statements, so a pooled connection plans each once): ${probe.map((e) => `${e.label}: planning ${fmt(e.planningMs, 2)} ms, execution ${fmt(e.ms, 2)} ms`).join('; ')}.`,
    `- ${esc(freshPoolNote(cold, warmed))}`,
    ...(warnings.length > 0 ? ['', `Warnings: ${esc(warnings.join('; '))}`] : []),
    '',
    ...(batchProbe === undefined
      ? []
      : [
          `- A batch in Postgres (${batchProbe.events} people at a step answering at once; each statement prepared on its generic plan as the app runs it, EXPLAIN (ANALYZE, BUFFERS, TIMING OFF), median of ${PROBE_RUNS} rolled-back runs; executor start-up, the run and the foreign-key triggers, not the commit): ${batchProbe.statements.map((e) => `${e.label} ${fmt(e.medianMs, 2)} ms (${fmt(e.perEventMs, 3)} ms per answer)`).join(', ')}. Plans below.`,
        ]),
    '',
    `Bench took ${fmt((performance.now() - started) / 1000, 1)} s.`,
    ...(batchProbe === undefined
      ? []
      : [
          '',
          '### Plans of a batch',
          ...batchProbe.statements.flatMap((e) => ['', `#### ${e.label}`, '', '```', e.plan, '```']),
        ]),
  ].join('\n');
}

/** The figures the summary table (bench/results/README.md) reads are in the markdown; run() returns it. */
export function run(): Promise<string> {
  return withCleanups('peer', measure);
}
