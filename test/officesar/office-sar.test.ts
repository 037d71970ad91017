// The office's groups, its standard and its own SAR (issue 16 item 2, seed 003): the built-in standard names five
// standards and eleven indicators and says where the seed is silent; the office saves its own version; a year's SAR
// turns the seed's step calendar into dated follow-ups of the main host and routes each indicator to its lead
// group's people (reminders queued in their bundle); the report puts last year's result beside this year's.
import { sql } from 'drizzle-orm';
import readXlsxFile from 'read-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { adminApi, type Api } from '../admin/api.js';

let h: Harness;
let api: Api;

let staff: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  await seedDemo(h.db.db, h.clock.now);
  const added = await api('POST', '/offices/DEMO1/people', {
    issueInvites: false,
    people: [
      { displayName: 'นางสมมุติ อำนวยการ', role: 'admin', externalId: 'grp-admin-1' },
      { displayName: 'นายสมมุติ นโยบาย', role: 'admin', externalId: 'grp-policy-1' },
      { displayName: 'นางสาวสมมุติ แผนงาน', role: 'admin', externalId: 'grp-policy-2' },
    ],
  });
  staff = (added.json.people as { id: string }[]).map((p) => p.id);
}, 180_000);
afterAll(() => h.close());

describe('office groups and standard', () => {
  it('groups are data with their people', async () => {
    const res = await api('POST', '/offices/DEMO1/office-groups', {
      groups: [
        { code: 'admin', nameTh: 'กลุ่มอำนวยการ', memberIds: [staff[0]] },
        { code: 'policy', nameTh: 'กลุ่มนโยบายและแผน', memberIds: [staff[1], staff[2]] },
      ],
    });
    expect(res.json).toEqual({ upserted: 2 });
    const list = await api('GET', '/offices/DEMO1/office-groups');
    expect((list.json.items as { code: string; members: unknown[] }[]).map((g) => [g.code, g.members.length])).toEqual([
      ['admin', 1],
      ['policy', 2],
    ]);
  });

  it('the built-in standard: 5 standards, 11 indicators, what the seed leaves unsaid marked', async () => {
    const res = await api('GET', '/offices/DEMO1/office-standard');
    const def = res.json.definition as {
      standards: unknown[];
      indicators: { titleTh: string | null; unspecified: string[] }[];
    };
    expect(res.json.builtIn).toBe(true);
    expect(def.standards).toHaveLength(5);
    expect(def.indicators).toHaveLength(11);
    expect(def.indicators.every((i) => i.titleTh === null && i.unspecified[0]?.includes('ไม่ได้ระบุชื่อ'))).toBe(true);
  });

  it('the office fills in its own version; an unknown group is refused, naming the row', async () => {
    const base = (await api('GET', '/offices/DEMO1/office-standard')).json.definition as {
      standards: unknown[];
      indicators: Record<string, unknown>[];
    };
    const filled = base.indicators.map((i, n) => ({
      ...i,
      standard: n < 3 ? 1 : n < 5 ? 2 : n < 8 ? 3 : n < 10 ? 4 : 5,
      titleTh: `ตัวบ่งชี้สมมุติที่ ${n + 1}`,
      leadGroup: n === 3 ? 'policy' : 'admin',
      coGroups: [],
      targetLevel: 4,
      unspecified: [],
    }));
    const bad = await api('POST', '/offices/DEMO1/office-standard', {
      standards: base.standards,
      indicators: filled.map((i, n) => (n === 2 ? { ...i, leadGroup: 'nosuch' } : i)),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 2, field: 'leadGroup', message: expect.stringContaining('nosuch') },
    ]);
    const ok = await api('POST', '/offices/DEMO1/office-standard', { standards: base.standards, indicators: filled });
    expect(ok.status).toBe(201);
    expect(ok.json.version).toBe(1);
  });
});

describe('the office SAR', () => {
  let sar2569 = '';
  let sar2570 = '';

  it('a year: the step calendar as dated milestones, indicators routed to the lead group', async () => {
    const res = await api('POST', '/offices/DEMO1/office-sars', { year: 2569, startsOn: '2026-12-01' });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    sar2569 = res.json.id as string;
    const calendar = res.json.calendar as { no: number; dueOn: string }[];
    // 1 week, 2 days, 1 week, 1 week, 3 weeks (seed 003's table), then the year's work.
    expect(calendar.slice(0, 5).map((s) => s.dueOn)).toEqual([
      '2026-12-07',
      '2026-12-09',
      '2026-12-16',
      '2026-12-23',
      '2027-01-13',
    ]);
    // 9 steps for the main host; 10 indicators led by its one member, 1 by the policy group's two.
    expect(res.json.tasks).toBe(9 + 10 + 2);
    const policy = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM office_tasks WHERE source_id = ${sar2569} AND owner_id = ANY(${sql.param([staff[1], staff[2]])}::uuid[])`,
    );
    expect(policy[0]?.n).toBe(2);
    const again = await api('POST', '/offices/DEMO1/office-sars', { year: 2569, startsOn: '2026-12-01' });
    expect(again.status).toBe(409);
  });

  it('results, and the report with last year beside this year (HTML and XLSX)', async () => {
    await api('POST', `/offices/DEMO1/office-sars/${sar2569}/results`, {
      results: [{ code: 'I1', level: 3, resultTh: 'ดำเนินการตามแผนบางส่วน' }],
    });
    sar2570 = (await api('POST', '/offices/DEMO1/office-sars', { year: 2570, startsOn: '2027-12-01' })).json
      .id as string;
    const bad = await api('POST', `/offices/DEMO1/office-sars/${sar2570}/results`, {
      results: [{ code: 'I99', level: 4, resultTh: 'x' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0]).toMatchObject({ row: 0, field: 'code' });
    await api('POST', `/offices/DEMO1/office-sars/${sar2570}/results`, {
      results: [{ code: 'I1', level: 4, resultTh: 'บรรลุเป้าหมาย' }],
    });
    const html = await h.fetch(`/admin/api/v1/offices/DEMO1/office-sars/${sar2570}/report`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const page = await html.text();
    expect(page).toContain('รายงานการประเมินตนเอง (SAR)');
    expect(page).toMatch(/<td>I1<\/td><td>ตัวบ่งชี้สมมุติที่ 1<\/td><td>admin<\/td><td>4<\/td><td>3<\/td><td>4<\/td>/);
    const xlsx = await h.fetch(`/admin/api/v1/offices/DEMO1/office-sars/${sar2570}/report?format=xlsx`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const [sheet] = await readXlsxFile(await xlsx.arrayBuffer());
    const rows = sheet?.data ?? [];
    expect(rows[0]).toContain('ผลปีที่แล้ว');
    expect(rows[1]?.slice(1, 7)).toEqual(['I1', 'ตัวบ่งชี้สมมุติที่ 1', 'admin', 4, 3, 4]);
    expect((await api('GET', `/offices/DEMO1/office-sars/${sar2570}/report`, undefined, null)).status).toBe(401);
  });
});
