// The annual supervision plan through the admin API (validation naming row and field, upsert by natural key,
// audit), the notices of imported visits planned from the tick (the same rows as a visit confirmed in chat), and
// the learning area shown in the planning list.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { lockVisitImports } from '../../src/visits/visits.queries.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { NOTICE_AHEAD_MS, planVisitNotices } from '../../src/visits/notices.js';
import { body, ev, userId } from '../support/events.js';
import { ADMIN, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
const SUP = userId('plan-sup-1');
const SUP2 = userId('plan-sup-2');
const PRI = userId('plan-pri-1');
let codes: string[] = [];
let sup1Id = '';

const api = async (path: string, json: unknown) => {
  const res = await h.fetch(`/admin/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  return {
    status: res.status,
    json: await res.json<Record<string, unknown> & { error?: { code: string; issues?: unknown[] } }>(),
  };
};

async function linkPerson(externalId: string, user: string) {
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(h.db.db, demo.office.id, [p?.id ?? ''], h.clock.now);
  await h.webhook(body(ev.text(invite?.code ?? '', { user })));
  await h.settle();
  await h.webhook(body(ev.text('ใช่', { user }))); // whose account it is: confirmed
  await h.settle();
  return p?.id ?? '';
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // clock: Friday 20 November 2026, 09:00 in Bangkok
  sup1Id = await linkPerson('demo-supervisor-1', SUP);
  await linkPerson('demo-supervisor-2', SUP2);
  await linkPerson('demo-principal-1', PRI);
  codes = (
    await queryRows<{ code: string }>(
      h.db.db,
      sql`SELECT code FROM schools WHERE office_id = ${demo.office.id} ORDER BY code`,
    )
  ).map((r) => r.code);
});
afterAll(() => h.close());

const path = () => `/offices/${demo.office.code}/visits/plan`;

describe('importing the annual plan', () => {
  it('names the row and field of every problem, and writes nothing', async () => {
    const bad = await api(path(), {
      visits: [
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[0], startsAt: '2026-11-25 09:30' },
        { supervisorExternalId: 'nobody', schoolCode: codes[0], startsAt: '2026-11-25 09:30' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '99999999', startsAt: '2026-11-25 09:30' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[7], startsAt: '2026-11-25 09:30' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[1], startsAt: 'พรุ่งนี้ 9 โมง' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[0], startsAt: '2026-11-25T02:30:00Z' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 1, field: 'supervisorExternalId', message: expect.any(String) },
      { row: 2, field: 'schoolCode', message: expect.stringMatching(/no school with code 99999999/) },
      { row: 3, field: 'schoolCode', message: 'this school is not assigned to that supervisor' },
      { row: 4, field: 'startsAt', message: expect.stringMatching(/unreadable time/) },
      { row: 5, field: 'startsAt', message: 'duplicate of visits row 0' },
    ]);
    const shape = await api(path(), { visits: [{ schoolCode: codes[0], startsAt: '2026-11-25 09:30' }] });
    expect(shape.status).toBe(400);
    expect(shape.json.error?.issues).toEqual([{ row: 0, field: 'supervisorId', message: expect.any(String) }]);
    expect(await count(h.db.db, sql`visits`)).toBe(0);
  });

  it('imports, audits, and is repeatable (upsert by supervisor, school and start)', async () => {
    const plan = (purpose: string) => ({
      visits: [
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[0], startsAt: '2026-11-25 09:30', purpose },
        { supervisorId: sup1Id, schoolCode: codes[1], startsAt: '2026-11-26T02:00:00Z' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[0], startsAt: '2027-02-10T09:00:00+07:00' },
      ],
    });
    const first = await api(path(), plan('นิเทศการจัดการเรียนรู้'));
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ inserted: 3, updated: 0, unchanged: 0, rejected: [] });
    const again = await api(path(), plan('นิเทศการจัดการเรียนรู้เชิงรุก'));
    expect(again.json).toEqual({ inserted: 0, updated: 1, unchanged: 2, rejected: [] });
    const rows = await queryRows<{ starts_at: string; purpose_th: string; source: string }>(
      h.db.db,
      sql`SELECT starts_at::text, purpose_th, source FROM visits ORDER BY starts_at`,
    );
    expect(rows.map((r) => [new Date(r.starts_at).toISOString(), r.purpose_th, r.source])).toEqual([
      ['2026-11-25T02:30:00.000Z', 'นิเทศการจัดการเรียนรู้เชิงรุก', 'plan'],
      ['2026-11-26T02:00:00.000Z', '', 'plan'],
      ['2027-02-10T02:00:00.000Z', '', 'plan'],
    ]);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'visits.plan_import'`)).toBe(2);
  });

  it('waits for an import of the same office already running, so two never both insert', async () => {
    const plan = {
      visits: [{ supervisorExternalId: 'demo-supervisor-1', schoolCode: codes[2], startsAt: '2027-01-12 09:00' }],
    };
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let locked = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    // Another import of this office holds the lock (a transaction that has not finished yet).
    const other = h.db.db.transaction(async (tx) => {
      await lockVisitImports(tx, demo.office.id);
      locked();
      await held;
    });
    await isLocked;
    let done = false;
    const importing = api(path(), plan).then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(done).toBe(false);
    release();
    await other;
    expect((await importing).json).toEqual({ inserted: 1, updated: 0, unchanged: 0, rejected: [] });
  });
});

describe('notices of imported visits', () => {
  it('plans the principal’s notice and the supervisor’s reminders of near visits, as chat does, once', async () => {
    expect(await count(h.db.db, sql`outbox_items WHERE key LIKE 'visit:%'`)).toBe(0);
    const first = await planVisitNotices(h.db.db, h.clock.now);
    expect(first.visits).toBe(2); // the February visit is beyond NOTICE_AHEAD_MS
    const v = await one<{ id: string; cp: string | null }>(
      h.db.db,
      sql`SELECT id, self_assessment_campaign_id AS cp FROM visits WHERE starts_at = '2026-11-25T02:30:00Z'`,
    );
    expect(v.cp).not.toBeNull();
    // Queued for the recipients' daily bundles, with the same keys and days as the chat path
    // (test/visits/visits.flow.test.ts): the day-before and day-of reminders from the start of their local day.
    const rows = await queryRows<{ key: string; kind: string; due_at: string; urgent_by: string | null; role: string }>(
      h.db.db,
      sql`SELECT i.key, i.kind, i.due_at::text, i.urgent_by::text, p.role FROM outbox_items i
            JOIN people p ON p.id = i.person_id
           WHERE i.key LIKE ${`visit:${v.id}:%`} ORDER BY i.due_at, i.key`,
    );
    const byKey = new Map(rows.map((r) => [r.key.replace(`visit:${v.id}:`, '').replace(/:1$/, ''), r]));
    expect([...byKey.keys()].sort()).toEqual(['eve', 'morning', 'planned', 'record']);
    expect(byKey.get('planned')).toMatchObject({ kind: 'visit', role: 'principal' });
    // Urgent before the visit: if it would come after the principal's next bundle hour, it pulls that bundle earlier.
    expect(new Date(byKey.get('planned')?.urgent_by ?? '').toISOString()).toBe('2026-11-25T02:30:00.000Z');
    expect(new Date(byKey.get('eve')?.due_at ?? '').toISOString()).toBe('2026-11-23T17:00:00.000Z');
    expect(new Date(byKey.get('morning')?.due_at ?? '').toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(new Date(byKey.get('record')?.due_at ?? '').toISOString()).toBe('2026-11-25T04:30:00.000Z');
    expect(byKey.get('eve')).toMatchObject({ kind: 'visit', role: 'supervisor' });
    // Repeating (every tick does) queues nothing.
    expect((await planVisitNotices(h.db.db, h.clock.now + 60_000)).rows).toBe(0);
    expect(await count(h.db.db, sql`outbox_items WHERE key LIKE ${`visit:${v.id}:%`}`)).toBe(4);
  });

  it('the tick sends the principal the notice, whose button opens the self-assessment', async () => {
    await tick(h.deps, h.clock.now + 120_000);
    const notices = h.line
      .pushes()
      .filter((p) => (p.body as { to?: string }).to === PRI)
      .map((p) => JSON.stringify(p.body))
      .filter((p) => p.includes('นัดหมายการนิเทศ'));
    expect(notices).toHaveLength(1);
    const json = notices[0] ?? '';
    const data = /"data":"(a=open&c=[0-9a-f-]{36})"/.exec(json)?.[1] ?? '';
    expect(data).not.toBe('');
    await h.webhook(body(ev.postback(data, { user: PRI })));
    await h.settle();
    expect(replyTexts(h.line.replies().at(-1)?.body).join()).toMatch(/ข้อ 1\/(?:ประมาณ )?\d+/);
  });

  it('announces a later visit once it comes within reach', async () => {
    const late = Date.parse('2027-02-10T02:00:00Z');
    expect((await planVisitNotices(h.db.db, late - NOTICE_AHEAD_MS - 60_000)).visits).toBe(0);
    const r = await planVisitNotices(h.db.db, late - NOTICE_AHEAD_MS + 60_000);
    expect(r.visits).toBe(1);
    expect(r.rows).toBe(4);
  });
});

describe('the learning area in the planning list', () => {
  it('is shown next to the school when the assignment has one, and not otherwise', async () => {
    const say = async (t: string) => {
      const before = h.line.replies().length;
      await h.webhook(body(ev.text(t, { user: SUP2 })));
      await h.settle();
      return h.line
        .replies()
        .slice(before)
        .flatMap((r) => replyTexts(r.body))
        .join('\n');
    };
    const plain = await say('นัดนิเทศ');
    expect(plain).not.toContain('คณิตศาสตร์');
    await say('ยกเลิก');
    await h.db.db.execute(sql`UPDATE supervisor_assignments SET learning_area = 'คณิตศาสตร์'
      WHERE kind = 'joint' AND supervisor_id = (SELECT id FROM people WHERE line_user_id = ${SUP2})`);
    const list = await say('นัดนิเทศ');
    expect(list).toMatch(/\d+\. โรงเรียน\S+ \(นิเทศร่วม\) · คณิตศาสตร์\n/);
    expect(list.match(/· คณิตศาสตร์/g)?.length).toBe(6); // the joint network's schools only
    await say('ยกเลิก');
  });
});
