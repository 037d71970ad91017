// The campaign pages over HTTP with real sessions (the demo personas sign in from a chat link): an admin creates a
// campaign with Thai B.E. dates, clusters and the announcement, sees the audience counted by the one audience(),
// edits its due date with a C.E. date and closes it after confirming; bad fields come back beside their field
// with what was typed, writing nothing; directors, supervisors and another office write nothing and see no form.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { adminApi } from '../admin/api.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

const ORIGIN = 'http://nithet.test';
const LINK = /\/admin\/signin\/([A-Za-z0-9_-]{43})/;
type Who = 'admin' | 'director' | 'supervisor' | 'otherOffice';

let h: Harness;
let demo: DemoSeed;
const cookies = {} as Record<Who, string>;
let adminId = '';

const get = (who: Who, path: string) => h.fetch(path, { headers: { cookie: cookies[who] }, redirect: 'manual' });
const post = (who: Who, path: string, form: [string, string][]) =>
  h.fetch(path, {
    method: 'POST',
    headers: { cookie: cookies[who], origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });

const BASE = '/admin/offices/DEMO1/campaigns';
const footprint = async () => ({
  campaigns: await count(h.db.db, sql`campaigns`),
  audit: await count(h.db.db, sql`audit_log WHERE action LIKE 'campaign.%'`),
  campaignsHash: (
    await one<{ v: string }>(h.db.db, sql`SELECT md5(string_agg(c::text, ',' ORDER BY id)) AS v FROM campaigns c`)
  ).v,
});

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: ORIGIN } });
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026, 09:00 in Bangkok
  for (const role of ['admin', 'director', 'supervisor'] as const) {
    const user = userId(`campaign-form-${role}`);
    await h.post(ev.text(persona(demo, role).inviteCode, { user }));
    await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
    const token = LINK.exec(replyTexts(reply).join('\n'))?.[1] ?? '';
    const res = await h.fetch(`/admin/signin/${token}`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    cookies[role] = /nithet_admin=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  }
  const api = adminApi(h);
  expect((await api('POST', '/offices', { code: 'WEBC2', nameTh: 'สพป.อื่น ทดสอบการติดตาม' })).status).toBe(201);
  const tok = await api('POST', '/offices/WEBC2/tokens', { label: 'campaign-form' });
  cookies.otherOffice = await signInCookie(h, String(tok.json.token));
  adminId = (
    await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${userId('campaign-form-admin')}`)
  ).id;
}, 180_000);
afterAll(() => h.close());

describe('the new-campaign form', () => {
  it('labels every field, offers the checklists and clusters, and loads its script under a CSP that allows only it', async () => {
    const res = await get('admin', `${BASE}/new`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    for (const id of ['titleTh', 'checklist', 'schoolCodes', 'opensAt', 'dueAt'])
      expect(html).toMatch(new RegExp(`<label for="${id}">`));
    expect(html).toContain('<script src="/admin/assets/campaign-form.js" defer');
    expect(html).toContain('value="needs-survey@1"');
    expect(html).toContain('name="clusterCodes" value="C1"');
    expect(html).toContain('name="announce"');
    const js = await h.fetch('/admin/assets/campaign-form.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("getElementById('audience-count')");
  });

  it('counts the audience live with the same numbers as the API (the one audience())', async () => {
    const page = await get(
      'admin',
      `${BASE}/audience?roles=teacher&roles=principal&clusterCodes=C1&checklist=needs-survey@1`,
    );
    expect(page.status).toBe(200);
    const live = await page.json<{ people: number; expected: number; text: string }>();
    const api = await adminApi(h)(
      'GET',
      '/offices/DEMO1/campaigns/audience-count?roles=teacher,principal&clusters=C1&checklist=needs-survey',
    );
    expect(live.people).toBe(api.json.people);
    const independent = await count(
      h.db.db,
      sql`people p JOIN schools s ON s.id = p.school_id JOIN clusters cl ON cl.id = s.cluster_id
           WHERE p.office_id = ${demo.office.id}::uuid AND p.role IN ('teacher', 'principal') AND p.status <> 'erased'
             AND cl.code = 'C1'`,
    );
    expect(live.people).toBe(independent);
    expect(live.text).toContain(`${independent} คน`);
    expect((await get('director', `${BASE}/audience?roles=teacher`)).status).toBe(403);
    expect((await get('supervisor', `${BASE}/audience?roles=teacher`)).status).toBe(403);
  });

  it('bad fields come back beside their field, with what was typed, and nothing is written', async () => {
    const before = await footprint();
    const res = await post('admin', BASE, [
      ['titleTh', 'สำรวจความพร้อม ทดสอบ'],
      ['checklist', 'needs-survey@1'],
      ['schoolCodes', '9999000001, 5550000001'],
      ['opensAt', '1/12/2569'],
      ['dueAt', '31/13/2569'],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    // Each message is tied to its field: the control names it in aria-describedby, and says it is invalid.
    expect(html).toMatch(/<p class="field-error" id="roles-err">เลือกอย่างน้อย 1 บทบาท/);
    expect(html).toMatch(/<p class="field-error" id="dueAt-err">อ่านวันที่ &quot;31\/13\/2569&quot; ไม่ได้/);
    expect(html).toMatch(
      /id="dueAt" name="dueAt" value="31\/13\/2569"[^>]*aria-invalid="true"[^>]*aria-describedby="dueAt-hint dueAt-err"/,
    );
    expect(html).toContain('value="สำรวจความพร้อม ทดสอบ"');
    expect(await footprint()).toEqual(before);

    // Fields only the shared validation knows: an unknown school code, a due date before the opening.
    const again = await post('admin', BASE, [
      ['titleTh', 'สำรวจความพร้อม ทดสอบ'],
      ['checklist', 'needs-survey@1'],
      ['roles', 'teacher'],
      ['schoolCodes', '9999000001, 5550000001'],
      ['opensAt', '1/12/2569'],
      ['dueAt', '30 พ.ย. 2569'],
    ]);
    expect(again.status).toBe(400);
    const html2 = await again.text();
    expect(html2).toMatch(/id="schoolCodes-err">ไม่พบโรงเรียนรหัส 5550000001/);
    expect(html2).toMatch(/id="dueAt-err">วันครบกำหนดต้องหลังวันเปิด/);
    expect(await footprint()).toEqual(before);

    const reserved = await post('admin', BASE, [
      ['titleTh', 'บันทึกการนิเทศ (ระบบ)'],
      ['checklist', 'needs-survey@1'],
      ['roles', 'teacher'],
      ['dueAt', '31/12/2569'],
    ]);
    expect(reserved.status).toBe(400);
    expect(await reserved.text()).toMatch(/id="titleTh-err">ชื่อ &quot;บันทึกการนิเทศ \(ระบบ\)&quot; สงวนไว้สำหรับระบบ/);
    expect(await footprint()).toEqual(before);
  });
});

describe('create, edit, close', () => {
  let id = '';

  it('creates and announces a campaign from Thai B.E. dates and a cluster, audited as the person', async () => {
    const res = await post('admin', BASE, [
      ['titleTh', 'สำรวจความพร้อมรับการนิเทศ ภาคเรียนที่ 2/2569'],
      ['checklist', 'needs-survey@1'],
      ['roles', 'teacher'],
      ['roles', 'principal'],
      ['clusterCodes', 'C1'],
      ['opensAt', '1 ธ.ค. 2569'],
      ['dueAt', '31/1/2570'],
      ['announce', '1'],
    ]);
    expect(res.status).toBe(303);
    id = /\/campaigns\/([0-9a-f-]{36})\?saved=1$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const row = await one<{ opens: string; due: string; announce: boolean; roles: string[] }>(
      h.db.db,
      sql`SELECT opens_at::text AS opens, due_at::text AS due, announce, roles FROM campaigns WHERE id = ${id}::uuid`,
    );
    expect(row).toEqual({
      opens: '2026-11-30 17:00:00+00',
      due: '2027-01-31 16:59:59+00',
      announce: true,
      roles: ['teacher', 'principal'],
    });
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'campaign.create' AND target_id = ${id} AND actor = ${`person:${adminId}`}`,
      ),
    ).toBe(1);
    const edit = await (await get('admin', `${BASE}/${id}?saved=1`)).text();
    expect(edit).toContain('บันทึกแล้ว');
    expect(edit).toContain('value="31/1/2570"');
    const list = await (await get('admin', BASE)).text();
    expect(list).toContain(`href="${BASE}/${id}"`);
  });

  it('moves the due date (a C.E. date is read too); a bad one stays beside its field', async () => {
    const bad = await post('admin', `${BASE}/${id}`, [['dueAt', 'เมื่อไรก็ได้']]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="dueAt-err">อ่านวันที่ &quot;เมื่อไรก็ได้&quot; ไม่ได้/);
    const ok = await post('admin', `${BASE}/${id}`, [
      ['dueAt', '2027-02-15'],
      ['announce', '1'],
    ]);
    expect(ok.status).toBe(303);
    const row = await one<{ due: string; announce: boolean }>(
      h.db.db,
      sql`SELECT due_at::text AS due, announce FROM campaigns WHERE id = ${id}::uuid`,
    );
    expect(row).toEqual({ due: '2027-02-15 16:59:59+00', announce: true });
  });

  it('closes only after confirming', async () => {
    const ask = await get('admin', `${BASE}/${id}/close`);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('ยืนยัน ปิดการติดตาม');
    const unconfirmed = await post('admin', `${BASE}/${id}/close`, []);
    expect(unconfirmed.status).toBe(303);
    expect(await count(h.db.db, sql`campaigns WHERE id = ${id}::uuid AND closed_at IS NOT NULL`)).toBe(0);
    const done = await post('admin', `${BASE}/${id}/close`, [['confirm', 'yes']]);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${BASE}?closed=1`);
    expect(await count(h.db.db, sql`campaigns WHERE id = ${id}::uuid AND closed_at IS NOT NULL`)).toBe(1);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'campaign.close' AND target_id = ${id}`)).toBe(1);
    expect(await (await get('admin', `${BASE}/${id}`)).text()).toContain('การติดตามนี้ปิดแล้ว');
  });
});

describe('who may', () => {
  it('directors and supervisors get no form and write nothing; another office sees a 404', async () => {
    const campaign = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM campaigns WHERE office_id = ${demo.office.id}::uuid AND closed_at IS NULL AND NOT system
           ORDER BY title_th LIMIT 1`,
    );
    const before = await footprint();
    const form: [string, string][] = [
      ['titleTh', 'ไม่ควรถูกสร้าง'],
      ['checklist', 'needs-survey@1'],
      ['roles', 'teacher'],
      ['dueAt', '31/12/2569'],
    ];
    for (const who of ['director', 'supervisor'] as const) {
      expect((await get(who, `${BASE}/new`)).status).toBe(403);
      expect((await get(who, `${BASE}/${campaign.id}`)).status).toBe(403);
      expect((await post(who, BASE, form)).status).toBe(403);
      expect((await post(who, `${BASE}/${campaign.id}/close`, [['confirm', 'yes']])).status).toBe(403);
      expect(await (await get(who, BASE)).text()).not.toContain('/campaigns/new');
    }
    expect((await post('otherOffice', BASE, form)).status).toBe(404);
    expect((await get('otherOffice', `/admin/offices/WEBC2/campaigns/${campaign.id}`)).status).toBe(404);
    expect(
      (await post('otherOffice', `/admin/offices/WEBC2/campaigns/${campaign.id}/close`, [['confirm', 'yes']])).status,
    ).toBe(404);
    expect(await footprint()).toEqual(before);
  });
});
