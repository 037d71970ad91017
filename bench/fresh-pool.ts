// The first answers a process serves on a fresh pool (after a start or a deploy): each new Postgres connection
// reads the catalog and plans the turn's statements afresh (custom plans first), unless the pool was warmed before
// the server listened (NodeDatabase.warm with warmHotStatements, as src/node.ts does). Measured both ways on the
// bench's database: the pool's size of answers at once, their latencies and the Postgres CPU they cost.
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app.js';
import { createTurnBatcher } from '../src/conversation/batch.js';
import { warmHotStatements } from '../src/conversation/warm.queries.js';
import { openNodeDatabase } from '../src/db/node.js';
import { withDatabase } from '../test/support/db.js';
import { processesCpuMs, processesDelta } from './cpu.js';
import { fmt, listen, percentile } from './support.js';
import type { SignedBody } from './threads.js';
import { type Ctx, DEFAULT_DATABASE_URL, POOL_SIZE } from './webhook.js';

export interface FreshPoolRun {
  warmed: boolean;
  /** The warm-up before listening: wall ms and its Postgres CPU ms. */
  warmMs?: number;
  warmPostgresMs?: number | undefined;
  /** Each answer's latency (ms), ascending. */
  latencies: number[];
  /** Postgres CPU of the answers, per answer (ms). */
  postgresMsPerAnswer: number | undefined;
}

/** Serves `bodies` (one answer each, all at once) from a new pool of POOL_SIZE on the bench's database. */
export async function firstAnswersOnFreshPool(ctx: Ctx, bodies: SignedBody[], warmed: boolean): Promise<FreshPoolRun> {
  const database = await openNodeDatabase({
    databaseUrl: withDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, ctx.dbName),
    dataDir: '',
    migrate: false,
    poolSize: POOL_SIZE,
  });
  const postgres = () => processesCpuMs('postgres', ` ${ctx.dbName} `);
  const run: FreshPoolRun = { warmed, latencies: [], postgresMsPerAnswer: undefined };
  try {
    if (warmed) {
      const before = postgres();
      const started = performance.now();
      await database.warm((db) => warmHotStatements(db, new Date(ctx.deps.now()).toISOString()));
      run.warmMs = performance.now() - started;
      run.warmPostgresMs = processesDelta(before, postgres());
    }
    // As src/node.ts wires it: the batcher (when the bench runs one) over this pool.
    const deps = {
      ...ctx.deps,
      db: database.db,
      ...(ctx.batcher === undefined ? {} : { runTurn: createTurnBatcher(database.db).run }),
    };
    const server = await listen(createApp(() => deps).fetch, deps);
    try {
      const before = postgres();
      run.latencies = await Promise.all(
        bodies.map(async (b) => {
          const started = performance.now();
          const res = await fetch(`${server.url}/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-line-signature': b.signature },
            body: b.body,
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`fresh pool: HTTP ${res.status}`);
          return performance.now() - started;
        }),
      );
      const used = processesDelta(before, postgres());
      run.postgresMsPerAnswer = used === undefined ? undefined : used / bodies.length;
      run.latencies.sort((a, b) => a - b);
      await ctx.settle();
    } finally {
      await server.close();
    }
  } finally {
    await database.close();
  }
  return run;
}

/** One line of the report for both runs. */
export function freshPoolNote(cold: FreshPoolRun, warm: FreshPoolRun): string {
  const one = (r: FreshPoolRun) =>
    `p50 ${fmt(percentile(r.latencies, 0.5), 1)} ms, slowest ${fmt(r.latencies.at(-1) ?? Number.NaN, 1)} ms, Postgres ${r.postgresMsPerAnswer === undefined ? 'n/a' : fmt(r.postgresMsPerAnswer, 1)} ms per answer`;
  return `First answers on a fresh pool of ${POOL_SIZE} (${fmt(cold.latencies.length)} answers at once, each from a person at a checklist step): cold ${one(cold)}; warmed before listening (NodeDatabase.warm, as src/node.ts does: ${fmt(warm.warmMs ?? Number.NaN)} ms, Postgres ${warm.warmPostgresMs === undefined ? 'n/a' : fmt(warm.warmPostgresMs)} ms, once per start) ${one(warm)}.`;
}
