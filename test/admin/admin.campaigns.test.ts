// Checklists and campaigns through the admin API: publishing a definition (each problem named by its path, a
// changed definition under a published version refused), campaigns created as the CLI creates them, their
// expected and submitted counts, due-date changes and closing, and nothing across offices.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { planReminders } from '../../src/reminders/plan.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

let h: Harness;
let api: Api;

const definition = (over: Record<string, unknown> = {}) => ({
  schema: 'nithet.checklist/1',
  key: 'office-survey',
  version: 1,
  title: { th: 'แบบสำรวจความพร้อมของสำนักงาน', en: 'Office readiness survey' },
  scope: 'person',
  items: [
    { type: 'yes_no', key: 'ready', label: { th: 'พร้อมรับการนิเทศหรือไม่' } },
    { type: 'text', key: 'why', label: { th: 'เหตุผล' }, relevant: "${ready} = 'no'" },
  ],
  ...over,
});

interface CampaignItem {
  id: string;
  titleTh: string;
  checklistKey: string;
  expected: number;
  submitted: number;
  dueAt: string;
  closedAt: string | null;
  schoolCodes: string[];
}

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  await seedDemo(h.db.db, h.clock.now);
  await api('POST', '/offices', { code: 'OTHER', nameTh: 'สพม.อื่น ทดสอบ' });
  await api('POST', '/offices/OTHER/clusters', { clusters: [{ code: 'X1', nameTh: 'เครือข่ายต่างเขต' }] });
});
afterAll(() => h.close());

describe('checklists', () => {
  it('401 without a token', async () => {
    expect((await api('GET', '/offices/DEMO1/checklists', undefined, null)).status).toBe(401);
    expect((await api('POST', '/offices/DEMO1/checklists', definition(), null)).status).toBe(401);
  });

  it('lists the built-ins to every office, filtered by key', async () => {
    const res = await api('GET', '/offices/DEMO1/checklists?key=needs-survey');
    expect(res.json.items).toEqual([
      expect.objectContaining({ key: 'needs-survey', version: 1, builtIn: true, scope: 'person' }),
    ]);
  });

  it('names each problem of an invalid definition by its path, and stores nothing', async () => {
    const bad = await api(
      'POST',
      '/offices/DEMO1/checklists',
      definition({
        key: 'Bad Key',
        items: [
          { type: 'text', key: 'why', label: { th: 'เหตุผล' }, relevant: "${ready} = 'no'" },
          { type: 'yes_no', key: 'ready', label: { th: 'พร้อมหรือไม่' } },
        ],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([{ field: 'key', message: 'lower-case letters, digits and - (2–64)' }]);
    const order = await api(
      'POST',
      '/offices/DEMO1/checklists',
      definition({
        items: [
          { type: 'text', key: 'why', label: { th: 'เหตุผล' }, relevant: "${ready} = 'no'" },
          { type: 'yes_no', key: 'why', label: { th: 'พร้อมหรือไม่' } },
          { type: 'rating', key: 'level', label: { th: 'ระดับ' }, colour: 'red' },
        ],
      }),
    );
    expect(order.json.error?.issues).toEqual([{ field: 'items.2', message: expect.stringMatching(/colour/) }]);
    const refs = await api(
      'POST',
      '/offices/DEMO1/checklists',
      definition({
        items: [
          { type: 'text', key: 'why', label: { th: 'เหตุผล' }, relevant: "${ready} = 'no'" },
          { type: 'yes_no', key: 'why', label: { th: 'พร้อมหรือไม่' } },
        ],
      }),
    );
    expect(refs.json.error?.issues).toEqual([
      { field: 'items.0.relevant', message: "unknown or later item 'ready'" },
      { field: 'items.1.key', message: "duplicate key 'why'" },
    ]);
    expect((await api('POST', '/offices/DEMO1/checklists', '{not json')).status).toBe(400);
    expect(await count(h.db.db, sql`checklists WHERE key = 'office-survey'`)).toBe(0);
  });

  it('publishes a version (201), again unchanged (200), changed under the same version 409', async () => {
    const first = await api('POST', '/offices/DEMO1/checklists', definition());
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ key: 'office-survey', version: 1, status: 'created' });
    const again = await api('POST', '/offices/DEMO1/checklists', definition());
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, status: 'unchanged' });
    const changed = await api('POST', '/offices/DEMO1/checklists', definition({ title: { th: 'ชื่อใหม่' } }));
    expect(changed.status).toBe(409);
    expect(changed.json.error?.issues).toEqual([
      { field: 'version', message: 'publish changes under a new version number' },
    ]);
    expect(
      (await api('POST', '/offices/DEMO1/checklists', definition({ version: 2, title: { th: 'ชื่อใหม่' } }))).status,
    ).toBe(201);
    const mine = await api('GET', '/offices/DEMO1/checklists?key=office-survey');
    expect((mine.json.items as { version: number; builtIn: boolean }[]).map((c) => [c.version, c.builtIn])).toEqual([
      [1, false],
      [2, false],
    ]);
    // Another office does not see this office's own checklist.
    expect((await api('GET', '/offices/OTHER/checklists?key=office-survey')).json.items).toEqual([]);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'checklist.publish'`)).toBe(2);
  });
});

describe('campaigns', () => {
  it('lists campaigns with expected and submitted counts', async () => {
    const list = async () => (await api('GET', '/offices/DEMO1/campaigns')).json.items as CampaignItem[];
    const survey = (await list()).find((c) => c.checklistKey === 'needs-survey');
    expect(survey).toMatchObject({ expected: 36, submitted: 0, closedAt: null });
    const teacher = await one<{ id: string; school_id: string }>(
      h.db.db,
      sql`SELECT id, school_id FROM people WHERE external_id = 'demo-teacher-1-1'`,
    );
    await h.db.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT gen_random_uuid(), c.office_id, c.id, c.checklist_id, ${teacher.id}, ${teacher.school_id}, s, now(), now(), now()
        FROM campaigns c, (VALUES ('submitted')) v(s) WHERE c.id = ${survey?.id ?? ''}`);
    expect((await list()).find((c) => c.id === survey?.id)).toMatchObject({ expected: 36, submitted: 1 });
  });

  it('names every bad field of a new campaign: checklist, roles, codes of this office only, dates', async () => {
    const bad = await api('POST', '/offices/DEMO1/campaigns', {
      titleTh: 'สำรวจ',
      checklistKey: 'office-survey',
      roles: ['teacher', 'janitor'],
      dueAt: '31/12/2569',
    });
    expect(bad.json.error?.issues?.map((i) => i.field)).toEqual(['roles.1', 'dueAt']);
    const codes = await api('POST', '/offices/DEMO1/campaigns', {
      titleTh: 'สำรวจ',
      checklistKey: 'no-such-list',
      roles: ['teacher'],
      schoolCodes: ['9999000001', '5550000001'],
      clusterCodes: ['X1'],
      opensAt: '2026-12-31',
      dueAt: '2026-12-01',
    });
    expect(codes.json.error?.issues).toEqual([
      { field: 'checklistKey', message: 'ไม่พบแบบ no-such-list / no checklist no-such-list' },
      {
        field: 'schoolCodes.1',
        message: 'ไม่พบโรงเรียนรหัส 5550000001 ในสำนักงานนี้ / no school with code 5550000001 in this office',
      },
      {
        field: 'clusterCodes.0',
        message: 'ไม่พบกลุ่มโรงเรียนรหัส X1 ในสำนักงานนี้ / no cluster with code X1 in this office',
      },
      { field: 'dueAt', message: 'วันครบกำหนดต้องหลังวันเปิด / due before it opens' },
    ]);
    // OTHER cannot use DEMO1's own checklist.
    const foreign = await api('POST', '/offices/OTHER/campaigns', {
      titleTh: 'สำรวจ',
      checklistKey: 'office-survey',
      roles: ['teacher'],
      dueAt: '2026-12-31',
    });
    expect(foreign.json.error?.issues).toEqual([
      { field: 'checklistKey', message: 'ไม่พบแบบ office-survey / no checklist office-survey' },
    ]);
    expect(await count(h.db.db, sql`campaigns WHERE title_th = 'สำรวจ'`)).toBe(0);
  });

  it('creates a campaign for an audience (201, due at the end of the Bangkok day); the same title updates it', async () => {
    const body = {
      titleTh: 'สำรวจความพร้อม ภาคเรียนที่ 2/2569',
      checklistKey: 'office-survey',
      checklistVersion: 1,
      roles: ['teacher', 'principal'],
      schoolCodes: ['9999000001'],
      dueAt: '2026-12-31',
    };
    const created = await api('POST', '/offices/DEMO1/campaigns', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      checklistKey: 'office-survey',
      checklistVersion: 1,
      schoolCodes: ['9999000001'],
      dueAt: '2026-12-31T16:59:59+00:00',
      opensAt: '2026-11-20T02:00:00+00:00',
      expected: 4,
      submitted: 0,
    });
    const again = await api('POST', '/offices/DEMO1/campaigns', { ...body, roles: ['teacher'], schoolCodes: [] });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: created.json.id, expected: 36, schoolCodes: [] });
    expect(await count(h.db.db, sql`audit_log WHERE action IN ('campaign.create', 'campaign.update')`)).toBe(2);
  });

  it('takes announce: true on POST and PATCH; an open announced campaign queues one item per linked person', async () => {
    const body = {
      titleTh: 'ประกาศแบบสำรวจ ภาคเรียนที่ 2/2569',
      checklistKey: 'office-survey',
      checklistVersion: 1,
      roles: ['principal'],
      dueAt: '2026-12-31',
      announce: true,
    };
    const created = await api('POST', '/offices/DEMO1/campaigns', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ announce: true, announcedAt: null });
    expect((await api('POST', '/offices/DEMO1/campaigns', { ...body, announce: 'yes' })).status).toBe(400);
    const off = await api('PATCH', `/offices/DEMO1/campaigns/${String(created.json.id)}`, { announce: false });
    expect(off.json).toMatchObject({ announce: false });
    const on = await api('PATCH', `/offices/DEMO1/campaigns/${String(created.json.id)}`, { announce: true });
    expect(on.json).toMatchObject({ announce: true });
    // Two principals linked: the office's planning hour queues their announcement, once.
    await h.db.db.execute(sql`UPDATE people SET status = 'active', channel_id = 'default',
                                              line_user_id = 'U' || md5(id::text)
                               WHERE role = 'principal' AND external_id IN ('demo-principal-1', 'demo-principal-2')`);
    const office = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'DEMO1'`);
    const at = Date.parse('2026-11-23T01:00:00Z'); // Monday 08:00 in Bangkok
    expect((await planReminders(h.db.db, at, { officeId: office.id, digests: false })).announced).toBe(2);
    expect((await planReminders(h.db.db, at + 86_400_000, { officeId: office.id, digests: false })).announced).toBe(0);
    const listed = await api('GET', `/offices/DEMO1/campaigns`);
    const view = (listed.json.items as (CampaignItem & { announcedAt: string | null })[]).find(
      (x) => x.id === created.json.id,
    );
    expect(view?.announcedAt).toBe('2026-11-23T01:00:00+00:00');
  });

  it('counts an audience before the campaign exists, with the same audience() the campaign uses', async () => {
    const q = (qs: string) => api('GET', `/offices/DEMO1/campaigns/audience-count?${qs}`);
    const teachers = await q('roles=teacher,principal&schools=9999000001&checklist=office-survey');
    expect(teachers.status).toBe(200);
    // The same audience as the campaign created above with these filters (expected: 4).
    expect(teachers.json).toEqual({
      people: 4,
      expected: 4,
      scope: 'person',
      unknownSchools: [],
      unknownClusters: [],
    });
    const all = await q('roles=teacher');
    expect(all.json).toMatchObject({ people: 36, expected: 36 });
    // A school-scope checklist expects one answer per school.
    const sar = await q('roles=principal&checklist=sar-basic');
    expect(sar.json).toMatchObject({ scope: 'school' });
    expect(Number(sar.json.expected)).toBe(Number(sar.json.people));
    const unknown = await q('roles=teacher&schools=5550000001&clusters=X1');
    expect(unknown.json).toMatchObject({ unknownSchools: ['5550000001'], unknownClusters: ['X1'] });
    expect((await q('roles=janitor')).status).toBe(400);
    expect((await q('role=teacher')).status).toBe(400);
    expect((await api('GET', '/offices/DEMO1/campaigns/audience-count?roles=teacher', undefined, null)).status).toBe(
      401,
    );
  });

  it('PATCH moves the due date and closes; another office’s campaign is a 404', async () => {
    const [c] = (await api('GET', '/offices/DEMO1/campaigns')).json.items as CampaignItem[];
    const id = c?.id ?? '';
    expect((await api('PATCH', `/offices/DEMO1/campaigns/${id}`, { dueAt: '2020-01-01' })).json.error?.issues).toEqual([
      { field: 'dueAt', message: 'วันครบกำหนดต้องหลังวันเปิด / due before it opens' },
    ]);
    const moved = await api('PATCH', `/offices/DEMO1/campaigns/${id}`, { dueAt: '2027-01-15T09:00:00+07:00' });
    expect(moved.json.dueAt).toBe('2027-01-15T02:00:00+00:00');
    h.clock.now += 3_600_000;
    const closed = await api('PATCH', `/offices/DEMO1/campaigns/${id}`, { close: true });
    expect(closed.json.closedAt).toBe('2026-11-20T03:00:00+00:00');
    expect((await api('PATCH', `/offices/DEMO1/campaigns/${id}`, { close: false })).status).toBe(400);
    const closedList = (await api('GET', '/offices/DEMO1/campaigns?state=closed')).json.items as CampaignItem[];
    expect(closedList.map((x) => x.id)).toEqual([id]);
    expect((await api('PATCH', `/offices/OTHER/campaigns/${id}`, { close: true })).status).toBe(404);
    expect((await api('GET', '/offices/OTHER/campaigns')).json.items).toEqual([]);
  });
});
