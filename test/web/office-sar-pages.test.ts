// The office SAR on the web (issue 16 item 2, seed 003): the admin makes the office's groups and puts people in
// them, fills in an indicator the manual left unsaid (a new version of the standard), starts a year's SAR (the
// manual's steps as dated milestones with their owner), and last year's level shows beside this year's. A
// supervisor in the indicator's lead group enters its level (closing their follow-up); the same supervisor may not
// enter another group's indicator nor mark a milestone, and a supervisor in no group may not open the pages. A
// director reads without forms and may write nothing. Bad fields are named beside them and write nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { queryRows } from '../../src/db/client.js';
import { count, one } from '../support/sql.js';
import { personCookie, postFields } from '../support/web.js';

let h: Harness;
let demo: DemoSeed;
const cookie = { admin: '', director: '', supervisor: '' };
const ids = { admin: '', supervisor: '' };
const BASE = '/admin/offices/DEMO1';
let sar2568 = '';
let sar2569 = '';

const get = async (path: string, who: keyof typeof cookie) => {
  const res = await h.fetch(`${BASE}${path}`, { headers: { cookie: cookie[who] }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? '' };
};
const post = (path: string, who: keyof typeof cookie, fields: Record<string, string> | [string, string][]) =>
  postFields(h, `${BASE}${path}`, cookie[who], fields);
/** The office menu's paths under the office. */
const menuOf = (html: string) =>
  [
    ...(/<nav class="office"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(/href="\/admin\/offices\/DEMO1([^"]*)"/g),
  ].map((m) => m[1]);
const personOf = async (user: string) =>
  (await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${userId(user)}`)).id;

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  demo = await seedDemo(h.db.db, h.clock.now);
  for (const who of ['admin', 'director', 'supervisor'] as const) cookie[who] = await personCookie(h, demo, who);
  ids.admin = await personOf('web-admin');
  ids.supervisor = await personOf('web-supervisor');
}, 180_000);
afterAll(() => h.close());

describe('groups and the standard', () => {
  it('a supervisor in no group may not open the office SAR', async () => {
    expect((await get('/office-sar', 'supervisor')).status).toBe(403);
    expect((await get('/office-sar/groups', 'supervisor')).status).toBe(403);
    expect(menuOf((await get('', 'supervisor')).html)).not.toContain('/office-sar');
  });

  it('groups: a bad code is named beside it; two groups; people added, audited', async () => {
    const bad = await post('/office-sar/groups', 'admin', { newCode: 'ก ข', nameTh: '' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('id="newCode-error"');
    expect(html).toContain('id="nameTh-error"');
    expect(await count(h.db.db, sql`office_groups`)).toBe(0);
    for (const [code, nameTh] of [
      ['admin', 'กลุ่มอำนวยการ'],
      ['supervision', 'กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา'],
    ]) {
      expect((await post('/office-sar/groups', 'admin', { newCode: code ?? '', nameTh: nameTh ?? '' })).status).toBe(
        303,
      );
    }
    const dup = await post('/office-sar/groups', 'admin', { newCode: 'admin', nameTh: 'ซ้ำ' });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain('id="newCode-error"');
    const noPerson = await post('/office-sar/groups/members', 'admin', { code: 'admin', personId: '' });
    expect(noPerson.status).toBe(400);
    expect(await noPerson.text()).toContain('id="personId-error"');
    expect((await post('/office-sar/groups/members', 'admin', { code: 'admin', personId: ids.admin })).status).toBe(
      303,
    );
    const sup = await post('/office-sar/groups/members', 'admin', { code: 'supervision', personId: ids.supervisor });
    expect(sup.status).toBe(303);
    const page = await get('/office-sar/groups', 'admin');
    expect(page.html).toMatch(new RegExp(`data-group="supervision"[\\s\\S]*?data-member="${ids.supervisor}"`));
    // In a group now, the supervisor's menu shows the office SAR (the rule the pages' guard uses).
    expect(menuOf((await get('', 'supervisor')).html)).toContain('/office-sar');
    expect((await get('/office-sar', 'supervisor')).status).toBe(200);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'office_groups.member.add'`)).toBe(2);
  });

  it('the built-in standard says what the manual leaves unsaid; the admin fills in I1 as a new version', async () => {
    const before = await get('/office-sar/standard', 'admin');
    expect(before.html).toContain('ฉบับตั้งต้นจากคู่มือ');
    expect(before.html.match(/data-cell="unsaid">คู่มือ \(seed 003\)/g)).toHaveLength(11);
    const bad = await post('/office-sar/standard/indicators/I1', 'admin', {
      titleTh: 'ตัวบ่งชี้สมมุติด้านการนิเทศ',
      standard: '1',
      leadGroup: 'supervision',
      targetTh: '',
      targetLevel: '9',
      outputsTh: '',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="targetLevel-error"');
    expect(await count(h.db.db, sql`office_standards`)).toBe(0);
    const ok = await post('/office-sar/standard/indicators/I1', 'admin', [
      ['titleTh', 'ตัวบ่งชี้สมมุติด้านการนิเทศ'],
      ['standard', '3'],
      ['leadGroup', 'supervision'],
      ['coGroups', 'admin'],
      ['targetTh', 'โรงเรียนได้รับการนิเทศครบทุกแห่ง'],
      ['targetLevel', '4'],
      ['outputsTh', 'รายงานการนิเทศ'],
    ]);
    expect(ok.status).toBe(303);
    const after = await get('/office-sar/standard', 'admin');
    expect(after.html).toContain('ฉบับ / Version 1');
    expect(after.html).toMatch(/data-indicator="I1"[\s\S]*?ตัวบ่งชี้สมมุติด้านการนิเทศ[\s\S]*?data-cell="unsaid">—</);
    expect(after.html.match(/data-cell="unsaid">คู่มือ \(seed 003\)/g)).toHaveLength(10);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'office_standard.save'`)).toBe(1);
  });

  it('a director reads the pages without a form and may not write', async () => {
    for (const path of ['/office-sar', '/office-sar/groups', '/office-sar/standard']) {
      const page = await get(path, 'director');
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('<form method="post" action="/admin/offices/DEMO1/office-sar');
    }
    expect((await get('/office-sar/standard/indicators/I2', 'director')).status).toBe(200);
    const res = await post('/office-sar/groups', 'director', { newCode: 'x', nameTh: 'กลุ่มของผู้อำนวยการ' });
    expect(res.status).toBe(403);
    expect(await count(h.db.db, sql`office_groups`)).toBe(2);
  });
});

describe("a year's SAR", () => {
  it('a bad year is named beside it; last year started and I1 entered by the admin', async () => {
    const bad = await post('/office-sar', 'admin', { year: '70', startsOn: '2025-12-01' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="year-error"');
    const res = await post('/office-sar', 'admin', { year: '2568', startsOn: '2025-12-01' });
    expect(res.status).toBe(303);
    sar2568 = /sars\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const entered = await post(`/office-sar/sars/${sar2568}/indicators/I1`, 'admin', {
      level: '2',
      resultTh: 'นิเทศได้ครึ่งหนึ่ง',
    });
    expect(entered.status).toBe(303);
    const again = await post('/office-sar', 'admin', { year: '2568', startsOn: '2025-12-01' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('id="year-error"');
  });

  it("this year's milestones carry the manual's dates and owner; the indicator goes to the lead group", async () => {
    const res = await post('/office-sar', 'admin', { year: '2569', startsOn: '2026-12-01' });
    expect(res.status).toBe(303);
    sar2569 = /sars\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const page = await get(`/office-sar/sars/${sar2569}`, 'admin');
    expect(page.html.match(/data-step="\d"/g)).toHaveLength(9);
    // Step 2: two days after the first week (seed 003's table), owned by the main host's person.
    expect(page.html).toMatch(/data-step="2"[\s\S]*?8 ธ\.ค\. 2569 – 9 ธ\.ค\. 2569[\s\S]*?นางสาวพิมพ์ใจ ธุรการดี/);
    expect(page.html).toMatch(/data-indicator="I1"[\s\S]*?data-cell="last">\s*2\s*<[\s\S]*?data-cell="this">\s*—/);
    expect(page.html).toContain(`/admin/api/v1/offices/DEMO1/office-sars/${sar2569}/report?format=xlsx`);
    const task = await one<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM office_tasks WHERE source_id = ${sar2569}::uuid
           AND owner_id = ${ids.supervisor}::uuid AND status = 'open'`,
    );
    expect(task.n).toBe(1);
  });

  it('the supervisor of the lead group enters I1; not I2, nor a milestone', async () => {
    const page = await get(`/office-sar/sars/${sar2569}`, 'supervisor');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`/office-sar/sars/${sar2569}/indicators/I1"`);
    expect(page.html).not.toContain(`/office-sar/sars/${sar2569}/indicators/I2"`);
    expect(page.html).not.toContain(`office-sars/${sar2569}/report`);
    const bad = await post(`/office-sar/sars/${sar2569}/indicators/I1`, 'supervisor', { level: '', resultTh: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="level-error"');
    const ok = await post(`/office-sar/sars/${sar2569}/indicators/I1`, 'supervisor', {
      level: '4',
      resultTh: 'นิเทศครบทุกโรงเรียน',
    });
    expect(ok.status).toBe(303);
    const other = await post(`/office-sar/sars/${sar2569}/indicators/I2`, 'supervisor', {
      level: '5',
      resultTh: 'ไม่ใช่ของกลุ่มนี้',
    });
    expect(other.status).toBe(403);
    expect((await get(`/office-sar/sars/${sar2569}/indicators/I2`, 'supervisor')).status).toBe(403);
    const step = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM office_tasks WHERE source_id = ${sar2569}::uuid AND title_th LIKE '%ขั้นที่ 1:%'`,
    );
    expect((await post(`/office-sar/tasks/${step.id}/done`, 'supervisor', { sar: sar2569 })).status).toBe(403);
    const results = await one<{ r: Record<string, { level: number }> }>(
      h.db.db,
      sql`SELECT results AS r FROM office_sars WHERE id = ${sar2569}::uuid`,
    );
    expect(Object.keys(results.r)).toEqual(['I1']);
    expect(results.r.I1?.level).toBe(4);
    const mine = await one<{ status: string }>(
      h.db.db,
      sql`SELECT status FROM office_tasks WHERE source_id = ${sar2569}::uuid AND owner_id = ${ids.supervisor}::uuid`,
    );
    expect(mine.status).toBe('done');
    const view = await get(`/office-sar/sars/${sar2569}`, 'admin');
    expect(view.html).toMatch(/data-indicator="I1"[\s\S]*?data-cell="last">\s*2\s*<[\s\S]*?data-cell="this">\s*4\s*</);
    expect(view.html).toMatch(/data-figure="entered">\s*1 \/ 11/);
  });

  it('the admin marks a milestone done; a member taken out of the group is asked first', async () => {
    const step = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM office_tasks WHERE source_id = ${sar2569}::uuid AND title_th LIKE '%ขั้นที่ 1:%'`,
    );
    expect((await post(`/office-sar/tasks/${step.id}/done`, 'admin', { sar: sar2569 })).status).toBe(303);
    const page = await get(`/office-sar/sars/${sar2569}`, 'admin');
    expect(page.html).toMatch(/data-step="1"[\s\S]*?เสร็จแล้ว/);
    const path = `/office-sar/groups/supervision/members/${ids.supervisor}/remove`;
    expect((await get(path, 'admin')).html).toContain('ยืนยันนำออก');
    const unconfirmed = await post(path, 'admin', {});
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get('location')).toContain('/remove');
    expect((await post(path, 'admin', { confirm: 'yes' })).status).toBe(303);
    expect((await get('/office-sar', 'supervisor')).status).toBe(403);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'office_groups.member.remove'`)).toBe(1);
  });
});

describe('the groups list at a big office', () => {
  /** Every row the list should show across its pages, as `code.personId` (`code.` for an empty group). */
  const everyRow = async () =>
    (
      await queryRows<{ k: string }>(
        h.db.db,
        sql`SELECT g.code || '.' || coalesce(p.id::text, '') AS k
              FROM office_groups g LEFT JOIN people p ON p.id = ANY(g.member_ids) AND p.status <> 'erased'`,
      )
    ).map((r) => r.k);
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr data-group="([^"]+)"(?: data-member="([^"]+)")?>/g)].map((m) => `${m[1]}.${m[2] ?? ''}`);
  const nextOf = (html: string) => /<a rel="next" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');

  beforeAll(async () => {
    // 60 staff in a planning group, and a group with nobody in it yet.
    await h.db.db.execute(sql`
      WITH staff AS (
        INSERT INTO people (office_id, role, display_name, external_id)
        SELECT ${demo.office.id}::uuid, 'supervisor', 'ศน.หน้ากลุ่ม ' || lpad(g::text, 2, '0'), 'groups-page-' || g
          FROM generate_series(1, 60) g RETURNING id)
      INSERT INTO office_groups (office_id, code, name_th, member_ids)
      VALUES (${demo.office.id}::uuid, 'policy', 'กลุ่มนโยบายและแผน', ARRAY(SELECT id FROM staff)),
             (${demo.office.id}::uuid, 'zz-new', 'กลุ่มตั้งใหม่', '{}')`);
  });

  it('pages 50 rows at a time, each person and each empty group once, none missed', async () => {
    const expected = await everyRow();
    expect(expected.length).toBeGreaterThan(50);
    const first = (await get('/office-sar/groups', 'admin')).html;
    const firstRows = rowsOf(first);
    expect(firstRows).toHaveLength(50);
    const next = nextOf(first);
    expect(next).toBe(`${BASE}/office-sar/groups?after=${firstRows[49]}`);
    let rows = firstRows;
    let page = first;
    for (let url = next; url !== undefined; url = nextOf(page)) {
      page = await h.fetch(url, { headers: { cookie: cookie.admin } }).then((r) => r.text());
      rows = [...rows, ...rowsOf(page)];
      expect(page).toContain(`href="${BASE}/office-sar/groups">`); // back to the first page
    }
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows)).toEqual(new Set(expected));
    expect(rows.at(-1)).toBe('zz-new.'); // the empty group, shown with nobody, last by code
    expect(page).toContain('ยังไม่มีบุคลากร');
  });

  it('searches by a person’s name or a group, and pages the search', async () => {
    const byName = (await get(`/office-sar/groups?q=${encodeURIComponent('หน้ากลุ่ม 0')}`, 'admin')).html;
    expect(rowsOf(byName)).toHaveLength(9); // 01 to 09
    expect(byName).not.toContain('rel="next"');
    const byGroup = (await get('/office-sar/groups?q=policy', 'admin')).html;
    expect(rowsOf(byGroup)).toHaveLength(50);
    expect(rowsOf(byGroup).every((r) => r.startsWith('policy.'))).toBe(true);
    const next = nextOf(byGroup) ?? '';
    expect(next).toContain('q=policy');
    const rest = await h.fetch(next, { headers: { cookie: cookie.admin } }).then((r) => r.text());
    expect(rowsOf(rest)).toHaveLength(10);
    expect((await get('/office-sar/groups?q=ไม่มีใครชื่อนี้', 'admin')).html).toContain('ไม่พบ');
  });

  it('a person on a later page is taken out from their own confirmation page', async () => {
    const last = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = 'groups-page-60'`);
    const path = `/office-sar/groups/policy/members/${last.id}/remove`;
    expect((await get(path, 'admin')).html).toContain('ศน.หน้ากลุ่ม 60');
    expect((await post(path, 'admin', { confirm: 'yes' })).status).toBe(303);
    expect((await get(path, 'admin')).status).toBe(404);
    expect((await get('/office-sar/groups/policy/members/not-a-uuid/remove', 'admin')).status).toBe(404);
  });
});

describe('the add-member picker at an office of more than 500 staff', () => {
  const radios = (html: string) => [...html.matchAll(/<input type="radio" name="personId" value="([^"]+)"/g)];
  let beyond = '';

  beforeAll(async () => {
    await h.db.db.execute(sql`
      INSERT INTO people (office_id, role, display_name, external_id)
      SELECT ${demo.office.id}::uuid, 'supervisor', 'ศน.ผู้ถูกเลือก ' || lpad(g::text, 4, '0'), 'picker-' || g
        FROM generate_series(1, 520) g`);
    beyond = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = 'picker-520'`)).id;
    // Beyond the old list's cap: 500 staff or more sort before this person.
    const before = await one<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM people p, people t
           WHERE t.id = ${beyond}::uuid AND p.office_id = t.office_id AND p.status <> 'erased'
             AND p.school_id IS NULL AND p.role <> 'committee' AND (p.display_name, p.id) < (t.display_name, t.id)`,
    );
    expect(before.n).toBeGreaterThanOrEqual(500);
  });

  it('the page lists nobody until a search; a search finds a person beyond the old cap, who is added', async () => {
    const plain = (await get('/office-sar/groups', 'admin')).html;
    expect(plain).not.toContain('ศน.ผู้ถูกเลือก');
    expect(radios(plain)).toHaveLength(0);
    expect(plain).toContain('formaction="/admin/offices/DEMO1/office-sar/groups#add-member"');

    const audits = await count(h.db.db, sql`audit_log WHERE action = 'people.read'`);
    const who = encodeURIComponent('ผู้ถูกเลือก 0520');
    const found = (await get(`/office-sar/groups?code=policy&personId=&who=${who}`, 'admin')).html;
    expect(radios(found).map((m) => m[1])).toEqual([beyond]);
    expect(found).toContain('ศน.ผู้ถูกเลือก 0520 <span class="muted">ศึกษานิเทศก์ · picker-520</span>');
    expect(found).toMatch(/<option value="policy" selected="">/); // the group chosen before the search is kept
    // Reading names is audited, with the count and never the text.
    const read = await one<{ detail: Record<string, unknown> }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'people.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(await count(h.db.db, sql`audit_log WHERE action = 'people.read'`)).toBe(audits + 1);
    expect(read.detail).toEqual({ picker: 'office_groups', search: true, rows: 1 });

    const res = await post('/office-sar/groups/members', 'admin', {
      code: 'policy',
      personId: beyond,
      who: 'ผู้ถูกเลือก 0520',
    });
    expect(res.status).toBe(303);
    const members = await one<{ ids: string[] }>(
      h.db.db,
      sql`SELECT member_ids::text[] AS ids FROM office_groups WHERE office_id = ${demo.office.id}::uuid AND code = 'policy'`,
    );
    expect(members.ids).toContain(beyond);
  });

  it('a broad search shows 20 and asks for more of the name', async () => {
    const html = (await get(`/office-sar/groups?who=${encodeURIComponent('ผู้ถูกเลือก')}`, 'admin')).html;
    expect(radios(html)).toHaveLength(20);
    expect(html).toContain('แสดง 20 คนแรก');
    expect((await get(`/office-sar/groups?who=${encodeURIComponent('ไม่มีใครชื่อนี้')}`, 'admin')).html).toContain(
      'ไม่พบบุคลากรที่ค้นหา',
    );
  });

  it('a teacher, another office’s staff member or no id is refused beside the field; nothing changes', async () => {
    const other = await one<{ id: string }>(
      h.db.db,
      sql`WITH o AS (INSERT INTO offices (code, name_th) VALUES ('PICK2', 'สพป.อื่น ทดสอบตัวเลือก') RETURNING id)
          INSERT INTO people (office_id, role, display_name) SELECT id, 'supervisor', 'ศน.ต่างเขต' FROM o RETURNING id`,
    );
    const teacher = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE office_id = ${demo.office.id}::uuid AND school_id IS NOT NULL LIMIT 1`,
    );
    const before = await one<{ ids: string[] }>(
      h.db.db,
      sql`SELECT member_ids::text[] AS ids FROM office_groups WHERE office_id = ${demo.office.id}::uuid AND code = 'policy'`,
    );
    for (const personId of [other.id, teacher.id, 'not-a-uuid']) {
      const res = await post('/office-sar/groups/members', 'admin', { code: 'policy', personId, who: 'ศน.' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('id="personId-error"');
      expect(html).toContain('value="ศน."'); // the search is shown again with its results
    }
    const after = await one<{ ids: string[] }>(
      h.db.db,
      sql`SELECT member_ids::text[] AS ids FROM office_groups WHERE office_id = ${demo.office.id}::uuid AND code = 'policy'`,
    );
    expect(after.ids).toEqual(before.ids);
  });
});
