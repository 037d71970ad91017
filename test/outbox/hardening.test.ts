// The compact outbox under stress (review of issue 19 item 2): LINE's monthly quota pauses an office without a
// burst on resume and without losing what was due; a push that fails for good keeps its items, shown as failed;
// items have retention and PDPA erasure reaches them.
// (A submission in flight is never planned as still due: submission-race.test.ts, on PostgreSQL.)
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { Message } from '../../src/line/messages.js';
import { LineApiError, type LineApi } from '../../src/line/client.js';
import { createLogger } from '../../src/log.js';
import { publishNotice } from '../../src/outbox/enqueue.queries.js';
import { outboxHealth } from '../../src/outbox/outbox.queries.js';
import { DEAD_REASONS, sendOutbox, type SenderDeps } from '../../src/outbox/sender.js';
import { planReminders } from '../../src/reminders/plan.js';
import { tick } from '../../src/scheduler/tick.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { count } from '../support/sql.js';
import { world } from './world.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const log = createLogger('error', () => {});
/** 08:00 in Bangkok. */
const eight = (day: string) => Date.parse(`${day}T01:00:00Z`);
const noSleep = () => Promise.resolve();
const frozen = () => 0;

interface Push {
  to: string;
  text: string;
}
/** A LINE that records pushes, or answers every request with the error `fail` gives. */
function fakeApi(pushes: Push[], fail?: () => LineApiError): LineApi {
  const record = (to: string, messages: Message[]) => {
    if (fail !== undefined) throw fail();
    pushes.push({ to, text: JSON.stringify(messages) });
    return Promise.resolve('sent' as const);
  };
  return {
    reply: () => Promise.resolve(),
    push: (to, messages) => record(to, messages),
    multicast: async (to, messages) => {
      for (const u of to) await record(u, messages);
      return 'sent';
    },
    getContent: () => Promise.reject(new Error('no content here')),
    getPreview: () => Promise.reject(new Error('no content here')),
  };
}
const deps = (api: LineApi): SenderDeps => ({
  db: t.db,
  log,
  channel: (id) =>
    Promise.resolve({ id, officeId: null, secret: 's', accessToken: 't', privacyNotice: '', timeZone: 'Asia/Bangkok' }),
  lineApi: () => api,
});
const monthlyLimit = () =>
  new LineApiError('HTTP 429', 429, JSON.stringify({ message: 'You have reached your monthly limit.' }));
const badRequest = () =>
  new LineApiError('HTTP 400', 400, JSON.stringify({ message: 'The request body has 1 error(s)' }));

const notice = (officeId: string, key: string, text: string, at: number) =>
  publishNotice(t.db, officeId, { roles: ['teacher'] }, { key, title: 'ประกาศ', text }, at);

describe("LINE's monthly quota", () => {
  it('pauses the office: nothing is planned while paused, and on resume each person gets one push carrying what was due', async () => {
    const w = await world(t.db, ['ครูสมหญิง ทดลอง', 'ครูสมชาย ทดลอง']);
    await notice(w.officeId, 'n1', 'ประชุมครูวันศุกร์', eight('2026-11-23'));
    expect((await planReminders(t.db, eight('2026-11-23'), { officeId: w.officeId })).rows).toBe(2);
    const refused = await sendOutbox(deps(fakeApi([], monthlyLimit)), eight('2026-11-23') + 60_000, {
      sleep: noSleep,
      clock: frozen,
      officeId: w.officeId,
    });
    expect(refused.paused).toEqual([w.officeId]);

    // A week of the pause: no rows are planned, so none can pile up.
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30']) {
      await notice(w.officeId, `n-${day}`, `ข่าว ${day}`, eight(day));
      expect((await planReminders(t.db, eight(day), { officeId: w.officeId })).rows).toBe(0);
    }
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId}::uuid AND status = 'pending'`)).toBe(2);

    // 1 December: the pause is over. One push per person, with the first day's notice and the week's.
    const at = eight('2026-12-01');
    expect((await planReminders(t.db, at, { officeId: w.officeId })).rows).toBe(2);
    const pushes: Push[] = [];
    const sent = await sendOutbox(deps(fakeApi(pushes)), at + 60_000, {
      sleep: noSleep,
      clock: frozen,
      officeId: w.officeId,
    });
    expect(sent.sent).toBe(2);
    expect(new Set(pushes.map((p) => p.to)).size).toBe(2);
    expect(pushes).toHaveLength(2);
    for (const p of pushes) {
      expect(p.text).toContain('ประชุมครูวันศุกร์');
      expect(p.text).toContain('ข่าว 2026-11-30');
    }
    // The paused day's rows are recorded as superseded, their items carried on (nothing waits, nothing failed).
    expect(
      await count(t.db, sql`outbox WHERE office_id = ${w.officeId}::uuid AND last_error = ${DEAD_REASONS.superseded}`),
    ).toBe(2);
    expect(await count(t.db, sql`outbox_items WHERE office_id = ${w.officeId}::uuid AND bundled_on IS NULL`)).toBe(0);
    expect(await count(t.db, sql`outbox_items WHERE office_id = ${w.officeId}::uuid AND failed IS NOT NULL`)).toBe(0);
  });
});

describe('a push that fails for good', () => {
  it('keeps its items, marked failed with the reason: shown on the dashboard, never bundled again', async () => {
    const w = await world(t.db, ['ครูสมศรี ทดลอง']);
    await notice(w.officeId, 'gone', 'ส่งรายงานภายในวันศุกร์', eight('2026-11-23'));
    await planReminders(t.db, eight('2026-11-23'), { officeId: w.officeId });
    const r = await sendOutbox(deps(fakeApi([], badRequest)), eight('2026-11-23') + 60_000, {
      sleep: noSleep,
      clock: frozen,
      officeId: w.officeId,
    });
    expect(r.dead).toBe(1);
    const items = await queryRows<{ bundled_on: string | null; failed: string | null }>(
      t.db,
      sql`SELECT bundled_on::text, failed FROM outbox_items WHERE office_id = ${w.officeId}::uuid`,
    );
    expect(items).toEqual([{ bundled_on: '2026-11-23', failed: expect.stringContaining('HTTP 400') as unknown }]);
    // The next day's planning does not pick it up again.
    await notice(w.officeId, 'next', 'ข่าววันอังคาร', eight('2026-11-24'));
    const pushes: Push[] = [];
    await planReminders(t.db, eight('2026-11-24'), { officeId: w.officeId });
    await sendOutbox(deps(fakeApi(pushes)), eight('2026-11-24') + 60_000, {
      sleep: noSleep,
      clock: frozen,
      officeId: w.officeId,
    });
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.text).toContain('ข่าววันอังคาร');
    expect(pushes[0]?.text).not.toContain('ส่งรายงานภายในวันศุกร์');
    const health = await outboxHealth(t.db, w.officeId, eight('2026-11-24'));
    expect(health?.failedItems).toEqual([{ kind: 'notice', count: 1 }]);
  });
});

describe('bundle items: retention and erasure', () => {
  it('retention drops items bundled more than 30 days ago and items waiting more than 45 days, keeps the rest', async () => {
    const w = await world(t.db, ['ครูเก็บ ทดลอง']);
    const [p] = w.people;
    const at = eight('2027-02-15');
    await t.db.execute(sql`
      INSERT INTO outbox_items (office_id, person_id, key, kind, data, due_at, bundled_on) VALUES
        (${w.officeId}::uuid, ${p}::uuid, 'old-bundled', 'notice', '{}'::jsonb, '2027-01-01T00:00Z', '2027-01-01'),
        (${w.officeId}::uuid, ${p}::uuid, 'new-bundled', 'notice', '{}'::jsonb, '2027-02-10T00:00Z', '2027-02-10'),
        (${w.officeId}::uuid, ${p}::uuid, 'old-waiting', 'notice', '{}'::jsonb, '2026-12-01T00:00Z', NULL),
        (${w.officeId}::uuid, ${p}::uuid, 'new-waiting', 'notice', '{}'::jsonb, '2027-02-01T00:00Z', NULL)`);
    await tick({ db: t.db, log }, at);
    const left = await queryRows<{ key: string }>(
      t.db,
      sql`SELECT key FROM outbox_items WHERE office_id = ${w.officeId}::uuid ORDER BY key`,
    );
    expect(left.map((r) => r.key)).toEqual(['new-bundled', 'new-waiting']);
  });

  it("erasing a person drops their queued items, ends their unsent rows, and blanks their name in the office's items and bodies", async () => {
    const w = await world(t.db, ['ครูลบ ข้อมูลจริง', 'ครูอยู่ ต่อไป']);
    const [gone = '', stays = ''] = w.people;
    await notice(w.officeId, 'both', 'ประชุม', eight('2026-11-23'));
    // Another person's item that names the erased one (a supervisor's submission notice, an acknowledgement).
    await t.db.execute(sql`
      INSERT INTO outbox_items (office_id, person_id, key, kind, data, due_at) VALUES
        (${w.officeId}::uuid, ${stays}::uuid, 'submitted:x', 'submitted',
         jsonb_build_object('k', 'submitted', 'text', 'ครูลบ ข้อมูลจริง ส่งแบบสำรวจแล้ว'), '2026-11-23T00:00Z')`);
    await planReminders(t.db, eight('2026-11-23'), { officeId: w.officeId });
    await t.db.execute(sql`
      UPDATE people SET status = 'erased', display_name = '(ลบข้อมูลแล้ว)', line_user_id = NULL, channel_id = NULL
       WHERE id = ${gone}::uuid`);
    expect(await count(t.db, sql`outbox_items WHERE person_id = ${gone}::uuid`)).toBe(0);
    expect(await count(t.db, sql`outbox WHERE person_id = ${gone}::uuid AND status = 'pending'`)).toBe(0);
    expect(await count(t.db, sql`outbox WHERE person_id = ${gone}::uuid AND last_error = 'erased'`)).toBe(1);
    expect(
      await count(t.db, sql`outbox_items WHERE office_id = ${w.officeId}::uuid AND data::text LIKE '%ครูลบ%'`),
    ).toBe(0);
    expect(
      await count(
        t.db,
        sql`outbox_bodies WHERE hash IN (SELECT body FROM outbox WHERE office_id = ${w.officeId}::uuid)
              AND body::text LIKE '%ครูลบ ข้อมูลจริง%'`,
      ),
    ).toBe(0);
    expect(
      await count(
        t.db,
        sql`outbox_bodies WHERE hash IN (SELECT body FROM outbox WHERE person_id = ${stays}::uuid)
              AND body::text LIKE '%(ลบข้อมูลแล้ว) ส่งแบบสำรวจแล้ว%'`,
      ),
    ).toBe(1);
  });
});

describe('the pending set', () => {
  it('has an index on school_id, and its triggers delete by one condition per statement (no OR across columns)', async () => {
    expect(
      await count(
        t.db,
        sql`pg_indexes WHERE tablename = 'pending_assignments' AND indexname = 'pending_assignments_school_idx'`,
      ),
    ).toBe(1);
    const fns = await queryRows<{ proname: string; src: string }>(
      t.db,
      sql`SELECT proname, prosrc AS src FROM pg_proc WHERE proname IN ('nithet_pending_person', 'nithet_pending_school')`,
    );
    expect(fns).toHaveLength(2);
    for (const f of fns) {
      for (const stmt of f.src.split(';').filter((s) => /DELETE FROM/i.test(s)))
        expect(stmt, f.proname).not.toMatch(/\bOR\b/i);
    }
  });
});
