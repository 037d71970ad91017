// Visits (read-only list and one with its actions), the office calendar (bulk upsert, delete) and the audit log
// through the admin API: filters by office-local dates, errors naming row and field, and nothing across offices.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

let h: Harness;
let api: Api;
let demo: DemoSeed;
let otherVisit = '';
let otherEvent = '';

interface VisitItem {
  id: string;
  schoolCode: string;
  startsAt: string;
  status: string;
  supervisorName: string;
}

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  demo = await seedDemo(h.db.db, h.clock.now);
  const plan = await api('POST', '/offices/DEMO1/visits/plan', {
    visits: [
      {
        supervisorExternalId: 'demo-supervisor-1',
        schoolCode: '9999000001',
        startsAt: '2026-12-01 09:00',
        purpose: 'ติดตามแผน',
      },
      { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000002', startsAt: '2026-12-02 09:00' },
      // 23:30 Bangkok on 3 December is 16:30 UTC: the date filters are by the office's day.
      { supervisorExternalId: 'demo-supervisor-2', schoolCode: '9999000007', startsAt: '2026-12-03 23:30' },
    ],
  });
  expect(plan.status).toBe(200);
  // Another office with a visit and an event of its own.
  await api('POST', '/offices', { code: 'OTHER', nameTh: 'สพม.อื่น ทดสอบ' });
  await api('POST', '/offices/OTHER/schools', { schools: [{ code: '5550000001', nameTh: 'โรงเรียนต่างเขต' }] });
  await api('POST', '/offices/OTHER/people', {
    people: [{ displayName: 'ศน.ต่างเขต ทดสอบ', role: 'supervisor', externalId: 'other-sup' }],
  });
  await api('POST', '/offices/OTHER/assignments', {
    assignments: [{ supervisorExternalId: 'other-sup', schoolCode: '5550000001' }],
  });
  await api('POST', '/offices/OTHER/visits/plan', {
    visits: [{ supervisorExternalId: 'other-sup', schoolCode: '5550000001', startsAt: '2026-12-01 10:00' }],
  });
  otherVisit = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT v.id FROM visits v JOIN offices o ON o.id = v.office_id WHERE o.code = 'OTHER'`,
    )
  ).id;
  await api('POST', '/offices/OTHER/calendar', {
    events: [{ kind: 'holiday', titleTh: 'วันหยุดต่างเขต', startsOn: '2026-12-05' }],
  });
  otherEvent = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM calendar_events WHERE title_th = 'วันหยุดต่างเขต'`))
    .id;
});
afterAll(() => h.close());

describe('visits', () => {
  it('401 without a token', async () => {
    expect((await api('GET', '/offices/DEMO1/visits', undefined, null)).status).toBe(401);
    expect((await api('GET', `/offices/DEMO1/visits/${otherVisit}`, undefined, null)).status).toBe(401);
  });

  it('lists the office visits by start, filtered by supervisor, school, status and office-local dates', async () => {
    const list = async (q = '') => (await api('GET', `/offices/DEMO1/visits${q}`)).json.items as VisitItem[];
    const all = await list();
    expect(all.map((v) => v.schoolCode)).toEqual(['9999000001', '9999000002', '9999000007']);
    expect(all[0]).toMatchObject({
      startsAt: '2026-12-01T02:00:00+00:00',
      status: 'planned',
      supervisorName: 'นางอัญชลี นิเทศงาม',
    });
    const sup2 = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = 'demo-supervisor-2'`);
    expect((await list(`?supervisor=${sup2.id}`)).map((v) => v.schoolCode)).toEqual(['9999000007']);
    expect((await list('?school=9999000002')).map((v) => v.schoolCode)).toEqual(['9999000002']);
    expect((await list('?from=2026-12-03&to=2026-12-03')).map((v) => v.schoolCode)).toEqual(['9999000007']);
    expect((await list('?from=2026-12-02')).length).toBe(2);
    expect(await list('?status=done')).toEqual([]);
    const bad = await api('GET', '/offices/DEMO1/visits?from=2026-13-01&status=maybe');
    expect(bad.json.error?.issues?.map((i) => i.field)).toEqual(['status', 'from']);
  });

  it('reads one visit with its actions in order; another office’s visit is a 404', async () => {
    const [first] = (await api('GET', '/offices/DEMO1/visits')).json.items as VisitItem[];
    const v = await one<{ id: string; office_id: string; school_id: string }>(
      h.db.db,
      sql`SELECT id, office_id, school_id FROM visits WHERE id = ${first?.id ?? ''}`,
    );
    await h.db.db.execute(sql`
      INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, owner_th, due_on, status)
      VALUES (gen_random_uuid(), ${v.office_id}, ${v.school_id}, ${v.id}, 2, 'จัดทำแผนพัฒนาการอ่าน', 'ครูภาษาไทย', '2027-01-10', 'open'),
             (gen_random_uuid(), ${v.office_id}, ${v.school_id}, ${v.id}, 1, 'ปรับปรุงห้องสมุด', NULL, NULL, 'done')`);
    const res = await api('GET', `/offices/DEMO1/visits/${v.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: v.id,
      schoolCode: '9999000001',
      purposeTh: 'ติดตามแผน',
      principalComment: null,
    });
    expect(res.json.actions).toEqual([
      { position: 1, whatTh: 'ปรับปรุงห้องสมุด', ownerTh: null, dueOn: null, status: 'done', doneAt: null },
      {
        position: 2,
        whatTh: 'จัดทำแผนพัฒนาการอ่าน',
        ownerTh: 'ครูภาษาไทย',
        dueOn: '2027-01-10',
        status: 'open',
        doneAt: null,
      },
    ]);
    expect((await api('GET', `/offices/DEMO1/visits/${otherVisit}`)).status).toBe(404);
    expect((await api('GET', `/offices/OTHER/visits/${v.id}`)).status).toBe(404);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'visit.read' AND target_id = ${v.id}`)).toBe(1);
  });
});

describe('calendar', () => {
  it('names each bad row and field, including another office’s event id, and writes nothing', async () => {
    const bad = await api('POST', '/offices/DEMO1/calendar', {
      events: [
        { kind: 'term', titleTh: 'ภาคเรียนที่ 2/2569', startsOn: '2026-11-01', endsOn: '2027-03-31' },
        { kind: 'meeting', titleTh: 'ประชุม ก.ต.ป.น.', startsOn: '2026-12-10', endsOn: '2026-12-09' },
        { kind: 'party', titleTh: 'งานเลี้ยง', startsOn: '2026-12-24' },
        { kind: 'holiday', titleTh: 'วันหยุด', startsOn: '2026-02-30' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 0, field: 'academicYear', message: 'a term needs academicYear (B.E.) and term' },
      { row: 1, field: 'endsOn', message: 'ends before it starts' },
      { row: 2, field: 'kind', message: expect.any(String) },
      { row: 3, field: 'startsOn', message: 'not a calendar date' },
    ]);
    const foreign = await api('POST', '/offices/DEMO1/calendar', {
      events: [{ id: otherEvent, kind: 'holiday', titleTh: 'ยึดวันหยุด', startsOn: '2026-12-05' }],
    });
    expect(foreign.json.error?.issues).toEqual([{ row: 0, field: 'id', message: 'no such event in this office' }]);
    expect(await count(h.db.db, sql`calendar_events WHERE office_id = ${demo.office.id}`)).toBe(0);
    expect(
      (await one<{ title_th: string }>(h.db.db, sql`SELECT title_th FROM calendar_events WHERE id = ${otherEvent}`))
        .title_th,
    ).toBe('วันหยุดต่างเขต');
  });

  it('adds events, updates one by id, lists by kind and overlapping dates, deletes one', async () => {
    const add = await api('POST', '/offices/DEMO1/calendar', {
      events: [
        {
          kind: 'term',
          titleTh: 'ภาคเรียนที่ 2/2569',
          startsOn: '2026-11-01',
          endsOn: '2027-03-31',
          academicYear: 2569,
          term: 2,
        },
        {
          kind: 'meeting',
          titleTh: 'ประชุม ก.ต.ป.น. ครั้งที่ 3',
          startsOn: '2026-12-10',
          roles: ['director', 'supervisor'],
        },
        { kind: 'holiday', titleTh: 'วันพ่อแห่งชาติ', startsOn: '2026-12-05' },
      ],
    });
    expect(add.json).toEqual({ created: 3, updated: 0 });
    const list = async (q = '') =>
      (await api('GET', `/offices/DEMO1/calendar${q}`)).json.items as {
        id: string;
        titleTh: string;
        kind: string;
        roles: string[];
      }[];
    expect((await list()).map((e) => e.kind)).toEqual(['term', 'holiday', 'meeting']);
    const meeting = (await list('?kind=meeting'))[0];
    expect(meeting).toMatchObject({ startsOn: '2026-12-10', endsOn: '2026-12-10', roles: ['director', 'supervisor'] });
    // An event spanning the window counts: the term overlaps 1–7 December.
    expect((await list('?from=2026-12-01&to=2026-12-07')).map((e) => e.kind)).toEqual(['term', 'holiday']);

    const upd = await api('POST', '/offices/DEMO1/calendar', {
      events: [{ id: meeting?.id, kind: 'meeting', titleTh: 'ประชุม ก.ต.ป.น. ครั้งที่ 3 (เลื่อน)', startsOn: '2026-12-17' }],
    });
    expect(upd.json).toEqual({ created: 0, updated: 1 });
    expect((await list('?kind=meeting'))[0]).toMatchObject({ id: meeting?.id, startsOn: '2026-12-17', roles: [] });

    expect((await api('DELETE', `/offices/DEMO1/calendar/${otherEvent}`)).status).toBe(404);
    expect((await api('DELETE', `/offices/DEMO1/calendar/${meeting?.id ?? ''}`)).status).toBe(204);
    expect((await list()).map((e) => e.kind)).toEqual(['term', 'holiday']);
    expect(await count(h.db.db, sql`calendar_events WHERE id = ${otherEvent}`)).toBe(1);
  });
});

describe('audit log', () => {
  it('401 without a token', async () => {
    expect((await api('GET', '/offices/DEMO1/audit', undefined, null)).status).toBe(401);
  });

  it('shows this office’s entries newest first, filtered by action and office-local dates', async () => {
    const res = await api('GET', '/offices/DEMO1/audit?limit=500');
    const items = res.json.items as { id: string; action: string; at: string; actor: string }[];
    const expected = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT id::text AS id FROM audit_log WHERE office_id = ${demo.office.id} ORDER BY audit_log.id DESC`,
    );
    expect(items.map((i) => i.id)).toEqual(expected.map((e) => e.id));
    expect(items.map((i) => i.action)).toEqual(
      expect.arrayContaining(['visits.plan_import', 'calendar.upsert', 'calendar.delete']),
    );
    expect(items.map((i) => i.action)).not.toContain('office.create'); // OTHER's, not DEMO1's (seeded without one)

    const deletes = (await api('GET', '/offices/DEMO1/audit?action=calendar.delete')).json.items as {
      targetId: string;
    }[];
    expect(deletes.length).toBe(1);
    // Entries are stamped by the database clock; today (Bangkok) has them all, a past day none.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(
      ((await api('GET', `/offices/DEMO1/audit?limit=500&from=${today}&to=${today}`)).json.items as unknown[]).length,
    ).toBe(expected.length);
    expect((await api('GET', '/offices/DEMO1/audit?to=2020-01-01')).json.items).toEqual([]);
    expect((await api('GET', '/offices/DEMO1/audit?from=yesterday')).json.error?.issues?.[0]?.field).toBe('from');
  });
});
