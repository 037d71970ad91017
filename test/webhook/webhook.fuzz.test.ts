// A small, fast cut of the fuzzing in `npm run test:faults` (test/faults/fuzz-*.test.ts), so everyday runs
// still meet random LINE payloads: 2,000 through the path in front of the database, 150 through the webhook.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/conversation/state.js';
import { seedDemo } from '../../src/demo/seed.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { MARKER, payload, throughPurePath } from '../faults/line-arbitraries.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedDemo(h.db.db, h.clock.now);
});
afterAll(() => h.close());

describe('random signed LINE payloads (quick cut)', () => {
  it('2,000 pass signature, decoding, schemas, toInput and transition', async () => {
    const states = new Map<string, ConversationState>();
    let inputs = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        inputs += await throughPurePath(p, states);
      }),
      { numRuns: 2000 },
    );
    expect(inputs).toBeGreaterThan(1000);
  });

  it('150 through the webhook: all 200, LINE-valid replies, nothing personal in the logs', async () => {
    const before = await count(h.db.db, sql`processed_events`);
    const logsBefore = h.logs.length;
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        expect((await h.webhook(p)).status).toBe(200);
      }),
      { numRuns: 150 },
    );
    await h.settle();
    expect((await count(h.db.db, sql`processed_events`)) - before).toBeGreaterThan(75);
    expect(h.line.invalid().map((r) => r.errors)).toEqual([]);
    expect(h.logs.slice(logsBefore).filter((l) => MARKER.test(l))).toEqual([]);
  });
});
