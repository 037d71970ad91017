// Webhook bench: Postgres round trips per event by kind (signed bodies through app.fetch, counted at
// pg.Client.prototype.query), then onboarding throughput of the real app on @hono/node-server against a bare Hono
// floor with the same client and bodies. Its own fresh database, dropped at the end.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { upsertOffice, upsertPeople } from '../src/admin/admin.queries.js';
import { createApp } from '../src/app.js';
import { findChecklist, publishChecklist, upsertCampaign } from '../src/checklists/checklists.queries.js';
import { validateDefinition } from '../src/checklists/definition.js';
import { parseEnv } from '../src/config/env.js';
import { queryRows, type Db } from '../src/db/client.js';
import { buildDeps, type Deps } from '../src/deps.js';
import { createTurnBatcher, type TurnBatcher } from '../src/conversation/batch.js';
import { keepAliveReply } from '../src/runtime/keepalive-reply.js';
import { nodeSignatureCheck } from '../src/runtime/node-signature.js';
import { signLineBody } from '../src/line/signature.js';
import { createLogger } from '../src/log.js';
import { issueInvites } from '../src/onboarding/invites.js';
import { fsBlobStore } from '../src/runtime/fs-blobs.js';
import { createTestDatabase } from '../test/support/db.js';
import { body, ev, userId } from '../test/support/events.js';
import { floorApp } from './floor.js';
import { delta, machineCpuMs, processCpuMs, processesCpuMs, processesDelta, threadCpuMs } from './cpu.js';
import {
  type Cleanup,
  countPgQueries,
  addSummary,
  fmt,
  histogram,
  listen,
  percentile,
  type QueryCounter,
  withCleanups,
} from './support.js';
import {
  runLoad,
  startFakeLineWorker,
  type FakeLineWorker,
  type LineStats,
  type LoadResult,
  type SignedBody,
} from './threads.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const SECRET = 'bench-channel-secret-0123456789abcdef';
export const TOKEN = 'bench-channel-access-token-0123456789';
/** Events per kind for the round-trip count. */
const ROUND_TRIP_EVENTS = 200;
export const LOAD = {
  concurrency: 16,
  warmupMs: 2_000,
  durationMs: 10_000,
  /** People with a fresh code each: every nithet request must link a different person. */
  people: 30_000,
};
/** BENCH_CPU_PROFILE=dir writes the server thread's CPU profile of each measured window there. */
export const profileFile = (name: string) => {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir === undefined || dir === '' ? undefined : `${dir.replace(/\/$/, '')}/webhook-${name}.cpuprofile`;
};
/** As src/node.ts opens it (openNodeDatabase's default). */
export const POOL_SIZE = 10;

export interface Ctx {
  db: Db;
  /** This run's database, to tell its Postgres backends from other sessions'. */
  dbName: string;
  officeId: string;
  app: { fetch: (req: Request) => Response | Promise<Response> };
  /** The app's shared Deps, for serving it as src/node.ts does (listen(fetch, deps)). */
  deps: Deps;
  counter: QueryCounter;
  line: FakeLineWorker;
  settle: () => Promise<void>;
  /** Node's turn batcher (as src/node.ts wires it), unless NITHET_BATCH=0 (the single path, for a before/after). */
  batcher: TurnBatcher | undefined;
}

interface KindResult {
  what: string;
  perEvent: number[];
  /** Of perEvent, the round trips of work deferred past the 200 (an evidence photo's fetch and its row). */
  deferred: number[];
  statuses: number[];
  keywords: Map<string, number>;
  replies: number;
  check: string;
}

/** Creates `n` people in the office and issues each a fresh invite; returns their plain codes in order. */
export async function issueCodes(db: Db, officeId: string, prefix: string, n: number): Promise<string[]> {
  const codes: string[] = [];
  const batch = 5_000;
  for (let start = 0; start < n; start += batch) {
    const people = Array.from({ length: Math.min(batch, n - start) }, (_, k) => ({
      id: randomUUID(),
      displayName: `ครูทดสอบ ${prefix}-${start + k}`,
      role: 'teacher' as const,
      schoolId: null,
      externalId: `${prefix}-${start + k}`,
    }));
    const ids = await upsertPeople(db, officeId, people);
    // Without fresh statistics replaceInvites' revoke step plans a nested loop over every invite × every person
    // (7 s for the 2nd batch of 5,000); autovacuum would analyze eventually, the bench cannot wait for it.
    await db.execute(sql`ANALYZE invites`);
    const issued = await issueInvites(db, officeId, ids, Date.now(), 30);
    if (issued.length !== ids.length) throw new Error(`issued ${issued.length} of ${ids.length} invites`);
    codes.push(...issued.map((i) => i.code));
  }
  return codes;
}

export function signAll(events: unknown[]): Promise<SignedBody[]> {
  return Promise.all(
    events.map(async (e) => {
      const raw = JSON.stringify(body(e));
      return { body: raw, signature: await signLineBody(SECRET, raw) };
    }),
  );
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, query);
  return rows[0]?.n ?? 0;
}

/** Statements counted since `before` (a copy of counter.byKeyword), by first keyword. */
export function keywordsSince(counter: QueryCounter, before: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, n] of counter.byKeyword) if (n > (before.get(k) ?? 0)) out.set(k, n - (before.get(k) ?? 0));
  return out;
}

/** Posts each event on its own, one after another, and counts the queries each one sent to Postgres. */
async function measureKind(
  ctx: Ctx,
  what: string,
  events: unknown[],
  check: () => Promise<string>,
): Promise<KindResult> {
  const signed = await signAll(events);
  const repliesBefore = (await ctx.line.stats()).replies;
  const keywordsBefore = new Map(ctx.counter.byKeyword);
  const perEvent: number[] = [];
  const deferred: number[] = [];
  const statuses: number[] = [];
  for (const s of signed) {
    const before = ctx.counter.count;
    const res = await ctx.app.fetch(
      new Request('http://nithet.bench/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': s.signature },
        body: s.body,
      }),
    );
    await res.arrayBuffer();
    const inRequest = ctx.counter.count - before;
    // Work deferred past the response (replies; an evidence photo's fetch and its row) counts for this event.
    await ctx.settle();
    perEvent.push(ctx.counter.count - before);
    deferred.push(ctx.counter.count - before - inRequest);
    statuses.push(res.status);
  }
  return {
    what,
    perEvent,
    deferred,
    statuses,
    keywords: keywordsSince(ctx.counter, keywordsBefore),
    replies: (await ctx.line.stats()).replies - repliesBefore,
    check: await check(),
  };
}

async function roundTrips(ctx: Ctx): Promise<KindResult[]> {
  const n = ROUND_TRIP_EVENTS;
  const codes = await issueCodes(ctx.db, ctx.officeId, 'rt', n);
  const linked = codes.map((code, i) => {
    const user = userId(`rt-onb-${i}`);
    return { user, event: ev.text(code, { user }) };
  });
  // Linking takes two turns since the bot shows whose account a code is before it links (issue 17): the code, then ใช่.
  const onboarding = await measureKind(
    ctx,
    'onboarding invite code (shows whose account it is)',
    linked.map((l) => l.event),
    async () =>
      `${await count(ctx.db, sql`SELECT count(*)::int AS n FROM conversations WHERE line_user_id = ANY(${sql.param(linked.map((l) => l.user))}::text[]) AND state->'flow' ? 'confirm'`)}/${n} waiting for ใช่`,
  );
  const confirm = await measureKind(
    ctx,
    'onboarding ใช่ (links a person)',
    linked.map((l) => ev.text('ใช่', { user: l.user })),
    async () =>
      `${await count(ctx.db, sql`SELECT count(*)::int AS n FROM people WHERE external_id LIKE 'rt-%' AND status = 'active' AND line_user_id IS NOT NULL`)}/${n} people linked`,
  );
  const statusEvents = linked.map((l) => ev.text('สถานะ', { user: l.user }));
  const plain = await measureKind(ctx, 'plain text "สถานะ" from a linked user', statusEvents, () =>
    Promise.resolve('users linked by the row above'),
  );
  const followUsers = Array.from({ length: n }, (_, i) => userId(`rt-fol-${i}`));
  const follow = await measureKind(
    ctx,
    'follow from a new user',
    followUsers.map((user) => ev.follow({ user })),
    async () =>
      `${await count(ctx.db, sql`SELECT count(*)::int AS n FROM conversations WHERE line_user_id = ANY(${sql.param(followUsers)}::text[])`)}/${n} conversations created`,
  );
  const processedBefore = await count(ctx.db, sql`SELECT count(*)::int AS n FROM processed_events`);
  const duplicate = await measureKind(
    ctx,
    'duplicate delivery of a processed event',
    statusEvents.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })),
    async () =>
      `redeliveries of the "สถานะ" events; processed_events grew by ${(await count(ctx.db, sql`SELECT count(*)::int AS n FROM processed_events`)) - processedBefore}`,
  );

  // A checklist with a rating, a photo and a second rating, opened by each linked user (a postback), answered
  // once (text), then a photo; last, an event type LINE may add one day.
  const campaignId = await publishBenchChecklist(ctx, RT_CHECKLIST);
  const users = linked.map((l) => l.user);
  const postback = await measureKind(
    ctx,
    'postback (open a checklist from a button)',
    users.map((user) => ev.postback(`a=open&c=${campaignId}`, { user })),
    async () =>
      `${await count(ctx.db, sql`SELECT count(*)::int AS n FROM conversations WHERE line_user_id = ANY(${sql.param(users)}::text[]) AND state->'flow'->>'flow' = 'checklist'`)}/${n} at a checklist step`,
  );
  const answersBefore = await count(ctx.db, sql`SELECT count(*)::int AS n FROM answers`);
  const answer = await measureKind(
    ctx,
    'checklist answer (typed rating)',
    users.map((user) => ev.text('๔', { user })),
    async () =>
      `${(await count(ctx.db, sql`SELECT count(*)::int AS n FROM answers`)) - answersBefore}/${n} answers stored`,
  );
  const images = users.map((user) => ev.image({ user }));
  for (const img of images) await ctx.line.setContent(img.message.id, JPEG, 'image/jpeg');
  const evidenceBefore = await count(ctx.db, sql`SELECT count(*)::int AS n FROM evidence_files`);
  const photo = await measureKind(
    ctx,
    'evidence photo (incl. its fetch from LINE after the commit)',
    images,
    async () =>
      `${(await count(ctx.db, sql`SELECT count(*)::int AS n FROM evidence_files`)) - evidenceBefore}/${n} evidence files recorded`,
  );
  const unknown = await measureKind(
    ctx,
    'unknown event type (logged, ignored)',
    users.map((user) => ({ ...ev.unfollow({ user }), type: 'someFutureEvent', someFutureEvent: { x: 1 } })),
    () => Promise.resolve('answered 200, nothing changed'),
  );
  return [onboarding, confirm, plain, follow, duplicate, postback, answer, photo, unknown];
}

/** A checklist of three steps for the round-trip count: a rating, an evidence photo, a rating. */
const RT_CHECKLIST = {
  schema: 'nithet.checklist/1',
  key: 'bench-rt',
  version: 1,
  title: { th: 'แบบทดสอบรอบการเรียกฐานข้อมูล' },
  scope: 'person',
  items: [
    { type: 'rating', key: 'q1', label: { th: 'การวางแผนพัฒนาคุณภาพ' } },
    { type: 'photo', key: 'p1', label: { th: 'ภาพหลักฐาน' }, maxFiles: 1 },
    { type: 'rating', key: 'q2', label: { th: 'การติดตามผล' } },
  ],
};
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

/** Publishes `definition` for the bench office with an open campaign for teachers; returns the campaign id. */
export async function publishBenchChecklist(ctx: Ctx, definition: unknown): Promise<string> {
  const def = validateDefinition(definition);
  if (!def.ok) throw new Error(`bench checklist: ${JSON.stringify(def.issues)}`);
  await publishChecklist(ctx.db, ctx.officeId, def.definition);
  const ck = await findChecklist(ctx.db, ctx.officeId, def.definition.key);
  if (ck === undefined) throw new Error('bench checklist not found');
  const campaign = await upsertCampaign(ctx.db, {
    officeId: ctx.officeId,
    checklistId: ck.id,
    titleTh: def.definition.title.th,
    roles: ['teacher'],
    schoolIds: [],
    clusterIds: [],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  return campaign.id;
}

/** CPU ms per answered event during the window, by who spent it; undefined where /proc is missing. */
export interface CpuPerEvent {
  serverThread: number | undefined;
  loadThread: number | undefined;
  fakeLine: number | undefined;
  /** libuv's pool (WebCrypto HMAC and digests run there), V8's GC and compiler threads. */
  otherNodeThreads: number | undefined;
  /** The backends of this run's database (the pool's connections). */
  postgres: number | undefined;
  /** Kernel (loopback TCP), Postgres' shared background processes, and any other process on the machine. */
  rest: number | undefined;
  machine: number | undefined;
  machineBusyShare: number | undefined;
}

interface CpuReading {
  thread: number | undefined;
  process: number | undefined;
  postgres: Map<number, number> | undefined;
  machine: { busy: number; total: number } | undefined;
  line: Promise<LineStats>;
}

function readCpu(ctx: Ctx): CpuReading {
  return {
    thread: threadCpuMs(),
    process: processCpuMs(),
    postgres: processesCpuMs('postgres', ` ${ctx.dbName} `),
    machine: machineCpuMs(),
    line: ctx.line.stats(),
  };
}

async function cpuPerEvent(a: CpuReading, b: CpuReading, load: LoadResult, events: number): Promise<CpuPerEvent> {
  const per = (ms: number | undefined) => (ms === undefined ? undefined : ms / Math.max(1, events));
  const minus = (x: number | undefined, ...ys: (number | undefined)[]) =>
    x === undefined || ys.includes(undefined) ? undefined : ys.reduce<number>((acc, y) => acc - (y ?? 0), x);
  const fakeLine = delta((await a.line).cpuMs, (await b.line).cpuMs);
  const serverThread = delta(a.thread, b.thread);
  const proc = delta(a.process, b.process);
  const postgres = processesDelta(a.postgres, b.postgres);
  const machine = delta(a.machine?.busy, b.machine?.busy);
  return {
    serverThread: per(serverThread),
    loadThread: per(load.clientCpuMs),
    fakeLine: per(fakeLine),
    otherNodeThreads: per(minus(proc, serverThread, load.clientCpuMs, fakeLine)),
    postgres: per(postgres),
    rest: per(minus(machine, proc, postgres)),
    machine: per(machine),
    machineBusyShare:
      a.machine === undefined || b.machine === undefined || b.machine.total === a.machine.total
        ? undefined
        : (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total),
  };
}

export interface LoadRun {
  result: LoadResult;
  serverElu: number;
  cpu: CpuPerEvent;
}

/**
 * One timed load against `url`, reading this (server) thread's event loop and everyone's CPU in the window.
 * With `profile`, the server thread is CPU-profiled during the window into that .cpuprofile file (DevTools).
 */
export async function drive(
  ctx: Ctx,
  url: string,
  bodies: SignedBody[],
  wrap: boolean,
  opts: { sample?: () => void; profile?: string | undefined; window?: { start(): void; end(): void } } = {},
): Promise<LoadRun> {
  let elu = performance.eventLoopUtilization();
  let serverElu = Number.NaN;
  let cpuStart: CpuReading | undefined;
  let cpuEnd: CpuReading | undefined;
  let sampler: ReturnType<typeof setInterval> | undefined;
  const session = opts.profile === undefined ? undefined : new Session();
  let profiling: Promise<unknown> = Promise.resolve();
  const result = await runLoad(
    {
      url: `${url}/webhook`,
      bodies,
      concurrency: LOAD.concurrency,
      warmupMs: LOAD.warmupMs,
      durationMs: LOAD.durationMs,
      wrap,
    },
    {
      start: () => {
        elu = performance.eventLoopUtilization();
        cpuStart = readCpu(ctx);
        opts.window?.start();
        if (opts.sample) sampler = setInterval(opts.sample, 10);
        if (session) {
          session.connect();
          profiling = session.post('Profiler.enable').then(() => session.post('Profiler.start'));
        }
      },
      end: () => {
        serverElu = performance.eventLoopUtilization(elu).utilization;
        cpuEnd = readCpu(ctx);
        opts.window?.end();
        clearInterval(sampler);
        if (session && opts.profile !== undefined) {
          const file = opts.profile;
          profiling = profiling
            .then(() => session.post('Profiler.stop'))
            .then((r) => writeFile(file, JSON.stringify(r.profile)))
            .finally(() => session.disconnect());
        }
      },
    },
  );
  clearInterval(sampler);
  await profiling;
  if (cpuStart === undefined || cpuEnd === undefined) throw new Error('the load never opened its window');
  return { result, serverElu, cpu: await cpuPerEvent(cpuStart, cpuEnd, result, result.ok) };
}

interface Throughput {
  people: number;
  floor: LoadRun;
  nithet: LoadRun;
  queriesPerEvent: number;
  keywords: Map<string, number>;
  linked: number;
  replies: number;
  poolWaitingMax: number;
  poolWaitingMean: number;
}

async function throughput(ctx: Ctx, pool: pg.Pool | undefined): Promise<Throughput> {
  const codes = await issueCodes(ctx.db, ctx.officeId, 'tp', LOAD.people);
  const tpUsers = codes.map((_, i) => userId(`tp-${i}`));
  const bodies = await signAll(codes.map((code, i) => ev.text(code, { user: userId(`tp-${i}`) })));

  const floorServer = await listen(floorApp(SECRET).fetch);
  let floor: LoadRun;
  try {
    floor = await drive(ctx, floorServer.url, bodies, true, { profile: profileFile('floor') });
  } finally {
    await floorServer.close();
  }

  const server = await listen(ctx.app.fetch, ctx.deps);
  const repliesBefore = (await ctx.line.stats()).replies;
  const keywordsBefore = new Map(ctx.counter.byKeyword);
  const queriesBefore = ctx.counter.count;
  const waiting: number[] = [];
  let nithet: LoadRun;
  try {
    nithet = await drive(ctx, server.url, bodies, false, {
      sample: () => waiting.push(pool?.waitingCount ?? 0),
      profile: profileFile('nithet'),
    });
    await ctx.settle();
  } finally {
    await server.close();
  }
  return {
    people: LOAD.people,
    floor,
    nithet,
    queriesPerEvent: (ctx.counter.count - queriesBefore) / Math.max(1, nithet.result.completed),
    keywords: keywordsSince(ctx.counter, keywordsBefore),
    // Each code is answered with whose account it is and waits for ใช่ (the second turn is measured above).
    linked: await count(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM conversations WHERE line_user_id = ANY(${sql.param(tpUsers)}::text[]) AND state->'flow' ? 'confirm'`,
    ),
    replies: (await ctx.line.stats()).replies - repliesBefore,
    poolWaitingMax: waiting.length === 0 ? 0 : Math.max(...waiting),
    poolWaitingMean: waiting.length === 0 ? 0 : waiting.reduce((a, b) => a + b, 0) / waiting.length,
  };
}

export const rate = (r: LoadResult) => (r.ok / r.windowMs) * 1000;
const ms = (n: number) => `${fmt(n, 1)} ms`;
export const keywordList = (m: Map<string, number>) =>
  [...m]
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
const statusList = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');

export function loadNotes(run: LoadRun): string {
  const r = run.result;
  return [
    `${fmt(r.ok)} answers in ${fmt(r.windowMs / 1000, 1)} s${r.exhausted ? ' (bodies ran out: window cut short)' : ''}`,
    `statuses over the whole run ${statusList(r.statuses)}`,
    `server event loop busy ${fmt(run.serverElu * 100)}%`,
    `load thread event loop busy ${fmt(r.clientElu * 100)}%`,
  ].join('; ');
}

/** The server's own CPU per event: its threads and its Postgres backends, not the bench's helpers. */
export function ownCpu(c: CpuPerEvent): number | undefined {
  const parts = [c.serverThread, c.otherNodeThreads, c.postgres];
  return parts.includes(undefined) ? undefined : parts.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export function cpuNotes(c: CpuPerEvent): string {
  const ms = (n: number | undefined) => (n === undefined ? 'n/a' : `${fmt(n, 2)}`);
  const busy = c.machineBusyShare === undefined ? 'n/a' : `${fmt(c.machineBusyShare * 100)}%`;
  return [
    `server main thread ${ms(c.serverThread)} + other Node threads (libuv pool: WebCrypto; V8 GC) ${ms(c.otherNodeThreads)} + Postgres backends of this run ${ms(c.postgres)}`,
    `bench helpers: fake LINE ${ms(c.fakeLine)}, load generator ${ms(c.loadThread)}`,
    `whole machine ${ms(c.machine)} at ${busy} busy of ${os.availableParallelism()} cores, of which ${ms(c.rest)} elsewhere (kernel loopback TCP, Postgres background writers, other processes on the machine)`,
  ].join('; ');
}

function render(info: { pgVersion: string; seconds: number }, kinds: KindResult[], t: Throughput): string {
  const rows: string[][] = [];
  for (const k of kinds) {
    const mean = k.perEvent.reduce((a, b) => a + b, 0) / Math.max(1, k.perEvent.length);
    const max = Math.max(...k.perEvent);
    const bad = k.statuses.filter((s) => s !== 200).length;
    rows.push([
      `Round trips/event: ${k.what}`,
      fmt(mean, 2),
      [
        `${k.perEvent.length} events; per event ${histogram(k.perEvent)}${k.deferred.some((d) => d > 0) ? ` (of which after the 200, deferred: ${histogram(k.deferred)})` : ''}`,
        `statements ${keywordList(k.keywords)}`,
        `HTTP ${bad === 0 ? 'all 200' : `${bad} not 200 (${histogram(k.statuses)})`}`,
        `${k.replies} replies sent`,
        k.check,
        max > 2 ? `**exceeds the 2-round-trip goal**` : 'within the goal (≤ 2)',
      ].join('; '),
    ]);
  }
  const c = (n: number | undefined) => (n === undefined ? 'n/a' : fmt(n, 2));
  const f = t.floor.result;
  const n = t.nithet.result;
  rows.push(
    [
      'nithet: onboarding messages/s',
      fmt(rate(n)),
      `real app on @hono/node-server + Postgres, each request one invite-code message showing a different person's account, to confirm with ใช่; ${loadNotes(t.nithet)}`,
    ],
    [
      'nithet: CPU ms per event',
      c(ownCpu(t.nithet.cpu)),
      `during the window, per answered event: ${cpuNotes(t.nithet.cpu)}`,
    ],
    [
      'nithet: latency p50 / p99',
      `${ms(percentile(n.latencies, 0.5))} / ${ms(percentile(n.latencies, 0.99))}`,
      `max ${ms(percentile(n.latencies, 1))}, client-side, keep-alive`,
    ],
    [
      'nithet: round trips/event under load',
      fmt(t.queriesPerEvent, 2),
      `all ${fmt(n.completed)} requests incl. warm-up; statements ${keywordList(t.keywords)}; ${fmt(t.linked)} people waiting for ใช่, ${fmt(t.replies)} replies sent; pool of ${POOL_SIZE}: waiting requests mean ${fmt(t.poolWaitingMean, 1)}, max ${fmt(t.poolWaitingMax)}`,
    ],
    [
      'floor: events/s',
      fmt(rate(f)),
      `bare Hono endpoint (bench/floor.ts): raw body, verifyLineSignature, JSON.parse, 200 {}; same client, same bodies; ${loadNotes(t.floor)}`,
    ],
    ['floor: CPU ms per event', c(ownCpu(t.floor.cpu)), cpuNotes(t.floor.cpu)],
    [
      'floor: latency p50 / p99',
      `${ms(percentile(f.latencies, 0.5))} / ${ms(percentile(f.latencies, 0.99))}`,
      `max ${ms(percentile(f.latencies, 1))}`,
    ],
    ['nithet / floor', fmt(rate(n) / rate(f), 3), "share of the bare HTTP stack's rate that nithet keeps"],
  );
  addSummary(
    {
      metric: 'onboarding (invite code) events/s',
      nithet: fmt(rate(n)),
      floor: fmt(rate(f)),
      ratio: `nithet/floor ${fmt(rate(n) / rate(f), 3)}`,
    },
    {
      metric: 'onboarding p50 / p99 latency ms',
      nithet: `${fmt(percentile(n.latencies, 0.5), 1)} / ${fmt(percentile(n.latencies, 0.99), 1)}`,
      floor: `${fmt(percentile(f.latencies, 0.5), 1)} / ${fmt(percentile(f.latencies, 0.99), 1)}`,
    },
    { metric: 'onboarding CPU ms/event', nithet: c(ownCpu(t.nithet.cpu)), floor: c(ownCpu(t.floor.cpu)) },
    ...kinds.map((k) => ({
      metric: `DB round trips/event: ${k.what}`,
      nithet: fmt(k.perEvent.reduce((a, b) => a + b, 0) / Math.max(1, k.perEvent.length), 2),
      floor: '0',
      peer: 'n/a (memory)',
    })),
  );
  const over = kinds.filter((k) => Math.max(...k.perEvent) > 2);
  const verdict =
    over.length === 0
      ? 'Every kind stays within the goal of at most 2 round trips per event.'
      : `Over the goal of 2 round trips: ${over.map((k) => `${k.what} (${histogram(k.perEvent)}; ${keywordList(k.keywords)})`).join('; ')}.`;
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    '## Webhook: round trips per event, and throughput',
    '',
    `- Postgres ${info.pgVersion} at 127.0.0.1:5432, a fresh database for this run (dropped afterwards), node-postgres pool of ${POOL_SIZE} as \`npm start\` opens it.`,
    `- Round trips: ${ROUND_TRIP_EVENTS} events per kind, one at a time through \`app.fetch\` in-process with signed bodies; every \`pg.Client.prototype.query\` call counted (BEGIN/COMMIT would count too).`,
    `- Throughput: load generator in a **worker thread** of the bench process (node:http, ${LOAD.concurrency} keep-alive connections, fixed concurrency), ${LOAD.warmupMs / 1000} s warm-up then ${LOAD.durationMs / 1000} s measured; server on the main thread; fake LINE API (validating every reply) in a second worker thread. ${fmt(t.people)} people with fresh codes and their signed bodies were generated before timing. The machine has ${os.availableParallelism()} cores shared by the server, the client, the fake LINE, Postgres and whatever else runs on it (other sessions' tests: see "elsewhere" in the CPU rows), so rates (and their ratio) move from run to run; the CPU per event is the steadier figure.`,
    '',
    '| what | value | notes |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
    '',
    verdict,
    '',
    `Bench took ${fmt(info.seconds, 1)} s.`,
  ].join('\n');
}

export interface Opened {
  ctx: Ctx;
  pgVersion: string;
  pool: pg.Pool | undefined;
  /** Warning and error lines the app logged. */
  logged: string[];
}

/**
 * The real app in-process on a fresh database with a fake LINE API in a worker thread and every pg query counted;
 * everything it opens is pushed on `cleanups`.
 */
export async function openContext(cleanups: Cleanup[]): Promise<Opened> {
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  const counter = countPgQueries();
  cleanups.push(() => Promise.resolve(counter.restore()));
  const line = await startFakeLineWorker();
  cleanups.push(() => line.close());
  const database = await createTestDatabase({ poolSize: POOL_SIZE });
  cleanups.push(() => database.close());
  if (database.kind !== 'postgres') throw new Error('the webhook bench needs Postgres (DATABASE_URL)');

  const config = parseEnv({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    LOG_LEVEL: 'warn',
  });
  const logged: string[] = [];
  const pending = new Set<Promise<unknown>>();
  // Media events write here; a temporary folder keeps the checkout clean.
  const blobDir = await mkdtemp(join(tmpdir(), 'nithet-bench-blobs-'));
  cleanups.push(() => rm(blobDir, { recursive: true, force: true }));
  const batcher = process.env.NITHET_BATCH === '0' ? undefined : createTurnBatcher(database.db);
  const deps = buildDeps({
    config,
    db: database.db,
    blobs: fsBlobStore(blobDir),
    // As src/node.ts wires it: replies through a keep-alive node:http agent, signatures checked with node:crypto,
    // concurrent checklist answers batched.
    reply: keepAliveReply(),
    verifySignature: nodeSignatureCheck,
    ...(batcher === undefined ? {} : { runTurn: batcher.run }),
    log: createLogger(config.logLevel, (l) => logged.push(l)),
    defer: (work) => {
      const p = work.finally(() => pending.delete(p));
      pending.add(p);
    },
  });
  const settle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  cleanups.push(settle);
  const office = await upsertOffice(database.db, { code: 'BENCH', nameTh: 'สำนักงานทดสอบ', nameEn: 'Bench office' });
  const ctx: Ctx = {
    db: database.db,
    dbName: new URL(database.url ?? DEFAULT_DATABASE_URL).pathname.slice(1),
    officeId: office.id,
    app: createApp(() => deps),
    deps,
    counter,
    line,
    settle,
    batcher,
  };
  const pgVersion =
    (await queryRows<{ v: string }>(database.db, sql`SELECT current_setting('server_version') AS v`))[0]?.v ?? '?';
  const client: unknown = (database.db as unknown as { $client?: unknown }).$client;
  return { ctx, pgVersion, pool: client instanceof pg.Pool ? client : undefined, logged };
}

/** The whole bench; everything it opens is pushed on `cleanups`, which run() unwinds whatever happens. */
async function measure(cleanups: Cleanup[]): Promise<string> {
  const started = performance.now();
  const { ctx, pgVersion, pool, logged } = await openContext(cleanups);
  const line = ctx.line;
  const kinds = await roundTrips(ctx);
  const t = await throughput(ctx, pool);
  const stats = await line.stats();
  let section = render({ pgVersion, seconds: (performance.now() - started) / 1000 }, kinds, t);
  if (stats.invalid > 0 || logged.length > 0) {
    section += `\n\nWarnings: fake LINE refused ${stats.invalid} request(s) ${stats.invalidSamples.join(' | ')}; app logged ${logged.length} warning/error line(s) ${logged.slice(0, 3).join(' ')}`;
  }
  return section;
}

export function run(): Promise<string> {
  return withCleanups('webhook', measure);
}
