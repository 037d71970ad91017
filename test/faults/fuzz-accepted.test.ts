// Fuzzing what LINE may really send, correctly signed: unknown event and message types, unknown fields, huge
// Thai and emoji text, random postback data, stickers, images, locations, group and room sources, missing or
// odd fields, duplicated ids. Two runs, because the full path costs two database round trips per event:
//  - 100,000 payloads through everything in front of the database: signature check on the raw bytes, strict
//    UTF-8 and JSON decoding, the body and event schemas, toInput and the pure transition, each user's state
//    carried from one event to the next and through a JSON round trip, as the database would store it;
//  - E2E_RUNS payloads through the real webhook (Node, node-postgres pool, a PostgreSQL of this file's own):
//    never a 5xx, every reply LINE-valid, each event id processed at most once, memory bounded, and no user id
//    or user text in the logs (every generated text and postback carries a marker the logs are searched for).
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import type { ConversationState } from '../../src/conversation/state.js';
import type { Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { MARKER, payload, throughPurePath } from './line-arbitraries.js';
import { harnessOn, startOwnPostgres, type OwnPostgres } from './own-postgres.js';

const PURE_RUNS = Number(process.env.NITHET_FUZZ_PURE_RUNS ?? 100_000);
const E2E_RUNS = Number(process.env.NITHET_FUZZ_E2E_RUNS ?? 1_000);
/** Heap growth allowed across a run, after a full GC at both ends. */
const HEAP_BOUND_MB = 48;

let own: OwnPostgres;
let h: Harness;
beforeAll(async () => {
  own = await startOwnPostgres();
  h = await harnessOn(own, { poolSize: 10 });
  await seedDemo(h.db.db, h.clock.now);
});
afterAll(async () => {
  try {
    await h?.close();
  } finally {
    own?.destroy();
  }
});

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};

// ---- the runs --------------------------------------------------------------------------------------------

describe('validly signed random payloads', () => {
  it(`${PURE_RUNS} pass signature, decoding, schemas, toInput and transition without a throw`, async () => {
    const states = new Map<string, ConversationState>();
    let inputs = 0;
    const heapBefore = heapMb();
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        inputs += await throughPurePath(p, states);
      }),
      { numRuns: PURE_RUNS },
    );
    const ms = performance.now() - t0;
    const growth = heapMb() - heapBefore;
    console.log(
      `[faults] fuzz pure: ${JSON.stringify({ runs: PURE_RUNS, inputs, ms: Math.round(ms), heapGrowthMb: Math.round(growth * 10) / 10 })}`,
    );
    expect(inputs).toBeGreaterThan(PURE_RUNS / 2);
    expect(growth).toBeLessThan(HEAP_BOUND_MB);
  }, 600_000);

  it(`${E2E_RUNS} through the real webhook and database: never 5xx, LINE-valid replies, clean logs, bounded memory`, async () => {
    const statuses: Record<number, number> = {};
    const sentIds = new Set<string>();
    const processedBefore = await count(h.db.db, sql`processed_events`);
    const logsBefore = h.logs.length;
    const heapBefore = heapMb();
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const res = await h.webhook(p);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        expect(res.status).toBe(200);
        for (const e of p.events) if (typeof e.webhookEventId === 'string') sentIds.add(e.webhookEventId);
      }),
      { numRuns: E2E_RUNS },
    );
    const ms = performance.now() - t0;
    await h.settle();
    const growth = heapMb() - heapBefore;
    const processed = (await count(h.db.db, sql`processed_events`)) - processedBefore;
    const logs = h.logs.slice(logsBefore);
    console.log(
      `[faults] fuzz end to end: ${JSON.stringify({
        runs: E2E_RUNS,
        ms: Math.round(ms),
        perSecond: Math.round((E2E_RUNS * 1000) / ms),
        statuses,
        eventIds: sentIds.size,
        processed,
        replies: h.line.replies().length,
        logLines: logs.length,
        heapGrowthMb: Math.round(growth * 10) / 10,
      })}`,
    );
    expect(statuses).toEqual({ 200: E2E_RUNS });
    // At most once each (a primary key would refuse more), and the bulk of them really went through a turn.
    expect(processed).toBeLessThanOrEqual(sentIds.size);
    expect(processed).toBeGreaterThan(E2E_RUNS / 2);
    expect(h.line.invalid().map((r) => r.errors)).toEqual([]);
    expect(growth).toBeLessThan(HEAP_BOUND_MB);
    // Log hygiene at fuzz scale: no generated text or postback (marker), user, group or room id.
    const leaks = logs.filter((l) => MARKER.test(l) || /[UCR][0-9a-f]{32}/.test(l));
    expect(leaks.slice(0, 5)).toEqual([]);
  }, 600_000);
});
