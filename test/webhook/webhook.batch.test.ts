// Micro-batched turns (src/conversation/batch.ts) through the real webhook: concurrent deliveries of checklist
// answers share one load and one write statement (one commit), each still exactly once, one person's events in
// order, and anything the batch cannot apply lands through the single path.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { upsertPeople } from '../../src/admin/admin.queries.js';
import { publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { createTurnBatcher, type TurnBatcher } from '../../src/conversation/batch.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { body, ev, userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postgresUrl } from '../support/postgres.js';

// The batcher runs on node-postgres only (src/node.ts; PGlite keeps the single path): this file needs a PostgreSQL
// server, and the PGlite pass leaves it out by config (test/support/postgres.ts).
postgresUrl();

let h: Harness;
let campaignId = '';
const PEOPLE = 8;
const users = Array.from({ length: PEOPLE }, (_, i) => userId(`batch-${i}`));

const form = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'batch-three',
  version: 1,
  title: { th: 'แบบสำรวจสามข้อ' },
  scope: 'person',
  items: ['การวางแผน', 'การดำเนินงาน', 'การติดตามผล'].map((th, i) => ({
    type: 'rating',
    key: `q${i + 1}`,
    label: { th },
  })),
});

/** Each delivery on its own, all in flight at once; every one must be answered 200. */
async function concurrently(events: unknown[]): Promise<void> {
  const statuses = await Promise.all(events.map(async (e) => (await h.webhook(body(e))).status));
  expect(statuses).toEqual(events.map(() => 200));
  await h.settle();
}

async function answersOf(user: string) {
  return queryRows<{ item_key: string; value: unknown }>(
    h.db.db,
    sql`SELECT a.item_key, a.value FROM answers a
          JOIN responses r ON r.id = a.response_id
          JOIN people p ON p.id = r.started_by
         WHERE p.line_user_id = ${user} ORDER BY a.item_key`,
  );
}

/** The transactions that wrote these events' processed_events rows (one per commit). */
async function commitsOf(eventIds: string[]): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    h.db.db,
    sql`SELECT count(DISTINCT xmin::text)::int AS n FROM processed_events
         WHERE webhook_event_id IN ${eventIds}`,
  );
  return row?.n ?? 0;
}

let batcher: TurnBatcher;
let beforeWrite: ((lineUserIds: readonly string[]) => Promise<void>) | undefined;

/** Holds the next batch before its write: `atWrite` settles once it is held, `release` lets it write. */
function holdNextWrite(): { atWrite: Promise<void>; release: () => void } {
  let reached = () => {};
  let released = () => {};
  const atWrite = new Promise<void>((r) => (reached = r));
  beforeWrite = () => {
    beforeWrite = undefined;
    reached();
    return new Promise<void>((r) => (released = r));
  };
  return { atWrite, release: () => released() };
}

beforeAll(async () => {
  h = await startHarness();
  const demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  const published = await publishChecklist(h.db.db, demo.office.id, form.definition);
  campaignId = (
    await upsertCampaign(h.db.db, {
      officeId: demo.office.id,
      checklistId: published.id,
      titleTh: 'สำรวจสามข้อ',
      roles: ['teacher'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
      dueAt: new Date(h.clock.now + 14 * 86_400_000).toISOString(),
    })
  ).id;
  const ids = await upsertPeople(
    h.db.db,
    demo.office.id,
    users.map((_, i) => ({
      id: randomUUID(),
      displayName: `ครูทดลอง ${i}`,
      role: 'teacher' as const,
      schoolId: null,
      externalId: `batch-${i}`,
    })),
  );
  const codes = (await issueInvites(h.db.db, demo.office.id, ids, h.clock.now, 30)).map((i) => i.code);
  for (const [i, user] of users.entries()) {
    await h.post(ev.text(codes[i] ?? '', { user }));
    await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  }
});
afterAll(() => h.close());

beforeEach(async () => {
  // Every person at question 1 of a fresh response, on the single path; then batching on.
  h.deps.runTurn = undefined;
  await h.db.db.execute(sql`DELETE FROM responses`);
  for (const user of users) await h.post(ev.postback(`a=open&c=${campaignId}`, { user }));
  beforeWrite = undefined;
  batcher = createTurnBatcher(h.db.db, { beforeWrite: (ids) => beforeWrite?.(ids) ?? Promise.resolve() });
  h.deps.runTurn = batcher.run;
  // The batcher learns who is at a checklist step from the turns it runs: one sticker each (single path).
  for (const user of users) await h.post(ev.sticker({ user }));
});

const total = (sizes: Map<number, number>) => [...sizes.values()].reduce((a, b) => a + b, 0);

describe('micro-batched checklist answers', () => {
  it('stores N people answering at once each exactly once, in fewer commits than events', async () => {
    const events = users.map((user) => ev.text('๔', { user }));
    const repliesBefore = h.line.replies().length;
    await concurrently(events);
    for (const user of users) expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 4 }]);
    expect(batcher.stats.applied).toBe(PEOPLE);
    expect(batcher.stats.fellBack).toBe(0);
    // One commit per batch: the batches' count, and fewer than the events.
    const commits = await commitsOf(events.map((e) => e.webhookEventId));
    expect(commits).toBe(total(batcher.stats.sizes));
    expect(commits).toBeLessThan(PEOPLE);
    expect(Math.max(...batcher.stats.sizes.keys())).toBeGreaterThan(1);
    // Each answer's reply asks question 2.
    const replies = h.line.replies().slice(repliesBefore);
    expect(replies).toHaveLength(PEOPLE);
    for (const r of replies) expect(JSON.stringify(r)).toContain('การดำเนินงาน');
  });

  it('answers a redelivery once, inside a round of deliveries and after it', async () => {
    const events = users.map((user) => ev.text('๓', { user }));
    const repliesBefore = h.line.replies().length;
    const [first] = events;
    await concurrently([...events, first]);
    await concurrently([first, events[1]]);
    for (const user of users) expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 3 }]);
    expect(h.line.replies().length - repliesBefore).toBe(PEOPLE);
    const [row] = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM processed_events WHERE webhook_event_id = ${first?.webhookEventId ?? ''}`,
    );
    expect(row?.n).toBe(1);
    expect(batcher.stats.duplicates).toBeGreaterThanOrEqual(3);
  });

  it('answers a redelivery of an event whose batch is still at the database once, after that batch', async () => {
    const user = users[0] ?? '';
    const event = ev.text('๔', { user });
    const { atWrite, release } = holdNextWrite();
    let runs = 0;
    const run = batcher.run;
    h.deps.runTurn = (...args) => {
      runs++;
      return run(...args);
    };
    const repliesBefore = h.line.replies().length;
    const first = h.webhook(body(event));
    await atWrite;
    // LINE delivers the same event again while its batch is held before the write.
    const again = h.webhook(body(event));
    try {
      await vi.waitFor(() => expect(runs).toBe(2), { timeout: 5_000 });
    } finally {
      release();
    }
    expect([(await first).status, (await again).status]).toEqual([200, 200]);
    await h.settle();
    expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 4 }]);
    expect(h.line.replies().length - repliesBefore).toBe(1);
    expect(await commitsOf([event.webhookEventId])).toBe(1);
    expect(batcher.stats.duplicates).toBe(1);
  });

  it("keeps one person's two answers in flight in their order", async () => {
    const user = users[0] ?? '';
    // The second answer is sent once the first is in a batch at the database (held before its write), so the order
    // they reached the server is known; two concurrent deliveries can otherwise arrive either way round (each
    // verifies its signature first), on the single path as here.
    const { atWrite, release } = holdNextWrite();
    const first = h.webhook(body(ev.text('๕', { user })));
    await atWrite;
    const second = h.webhook(body(ev.text('๒', { user })));
    await new Promise((r) => setTimeout(r, 100)); // let the second reach the batcher while the first is held
    release();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    await h.settle();
    expect(await answersOf(user)).toEqual([
      { item_key: 'q1', value: 5 },
      { item_key: 'q2', value: 2 },
    ]);
  });

  it('sends a second batch beside one at the database once enough answers wait, and not before', async () => {
    // A batcher that lets a second batch go once 4 answers wait; its first batch is held at its write.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const writes: string[][] = [];
    batcher = createTurnBatcher(h.db.db, {
      secondAt: 4,
      beforeWrite: async (ids) => {
        writes.push([...ids]);
        if (writes.length === 1) await held;
      },
    });
    h.deps.runTurn = batcher.run;
    for (const user of users) await h.post(ev.sticker({ user })); // it learns who is at a step
    const [first = '', ...others] = users;
    const next = others.slice(0, 4);
    const firstDone = h.webhook(body(ev.text('๔', { user: first })));
    let nextDone: Promise<Response[]>;
    try {
      await vi.waitFor(() => expect(writes).toHaveLength(1), { timeout: 5_000 });
      // Three waiting are not enough; the fourth sends all four, while the first batch is still at the database.
      nextDone = Promise.all(next.map((user) => h.webhook(body(ev.text('๔', { user })))));
      await vi.waitFor(() => expect(writes).toHaveLength(2), { timeout: 5_000 });
      expect(new Set(writes[1])).toEqual(new Set(next));
    } finally {
      release();
    }
    expect((await firstDone).status).toBe(200);
    expect((await nextDone).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await h.settle();
    for (const user of [first, ...next]) expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 4 }]);
    expect(batcher.stats.applied).toBe(5);
    expect(batcher.stats.fellBack).toBe(0);
  });

  it('lands a row that lost its version race once, through the single path', async () => {
    const [loser] = users;
    // At the write of the batch that holds the loser's answer: which batch that is depends on the order the
    // concurrent deliveries reach the server (a busy machine reorders them).
    beforeWrite = async (ids) => {
      if (!ids.includes(loser ?? '')) return;
      beforeWrite = undefined;
      await h.db.db.execute(sql`UPDATE conversations SET version = version + 1 WHERE line_user_id = ${loser ?? ''}`);
    };
    const events = users.map((user) => ev.text('๔', { user }));
    await concurrently(events);
    for (const user of users) expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 4 }]);
    expect(batcher.stats.fellBack).toBe(1);
    expect(batcher.stats.applied).toBe(PEOPLE - 1);
  });

  it('runs an event that is not a checklist answer through the single path, beside a batch', async () => {
    const home = userId('batch-home');
    await h.post(ev.follow({ user: home }));
    const events = [...users.map((user) => ev.text('๔', { user })), ev.text('เมนู', { user: home })];
    const repliesBefore = h.line.replies().length;
    await concurrently(events);
    expect(batcher.stats.applied).toBe(PEOPLE);
    expect(total(batcher.stats.sizes)).toBeLessThan(PEOPLE);
    expect([...batcher.stats.sizes.entries()].reduce((n, [size, count]) => n + size * count, 0)).toBe(PEOPLE);
    expect(h.line.replies().length - repliesBefore).toBe(PEOPLE + 1);
  });

  it('leaves nothing half-written when the batch statement fails, and lands each event on its own', async () => {
    // The database refuses one person's answer (a trigger standing in for any error of one row): the batch's write
    // fails as a whole, so nothing of it commits; each event is then run alone, and only that person's fails (for
    // good: apologised and settled).
    const [refused] = users;
    await h.db.db.execute(
      sql.raw(`
      CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM people WHERE id = NEW.answered_by AND line_user_id = '${refused ?? ''}') THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_answer BEFORE INSERT ON answers FOR EACH ROW EXECUTE FUNCTION refuse_answer();`),
    );
    try {
      const events = users.map((user) => ev.text('๔', { user }));
      const repliesBefore = h.line.replies().length;
      await concurrently(events);
      expect(batcher.stats.failed).toBeGreaterThanOrEqual(1);
      for (const user of users.slice(1)) expect(await answersOf(user)).toEqual([{ item_key: 'q1', value: 4 }]);
      expect(await answersOf(refused ?? '')).toEqual([]);
      const [row] = await queryRows<{ n: number }>(
        h.db.db,
        sql`SELECT count(*)::int AS n FROM processed_events WHERE webhook_event_id IN ${events.map((e) => e.webhookEventId)}`,
      );
      expect(row?.n).toBe(PEOPLE);
      // One reply each: the next question, or the apology.
      expect(h.line.replies().length - repliesBefore).toBe(PEOPLE);
    } finally {
      await h.db.db.execute(sql`DROP TRIGGER refuse_answer ON answers; DROP FUNCTION refuse_answer()`);
    }
  });
});
