// The web admin pages over HTTP: sign-in and its cookie, CSRF refusals, and what each page shows for a small
// office built here with known numbers (so every figure on the dashboard can be checked against the seed).
import { insertOutbox } from '../support/outbox.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_COOKIE } from '../../src/admin/auth.js';
import { createApp } from '../../src/app.js';
import { upsertOffice, upsertPeople, upsertSchools, schoolIdsByCode } from '../../src/admin/admin.queries.js';
import { syncBuiltins } from '../../src/checklists/builtin-files.js';
import { assignSupervisor, findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { canonicalInviteCode, hashInviteCode } from '../../src/onboarding/invite-code.js';
import { thaiShortDate } from '../../src/time/thai.js';
import { thaiDateTime } from '../../src/web/web.th.js';
import { ADMIN, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let cookie: string;
const ORIGIN = 'http://nithet.test';
const LINE_USER = `U${'ab12'.repeat(8)}`;
const DAY = 86_400_000;

const ids = {
  office: '',
  schoolA: '',
  schoolB: '',
  schoolC: '',
  teachers: [] as string[],
  supervisor: '',
  overdueCampaign: '',
  openCampaign: '',
  sarCampaign: '',
};

async function seed(now: number) {
  const db = h.deps.db;
  const office = await upsertOffice(db, { code: 'WEB1', nameTh: 'สพป.ทดสอบหน้าเว็บ', nameEn: null });
  ids.office = office.id;
  await upsertSchools(db, office.id, [
    { code: '1100000001', nameTh: 'โรงเรียนบ้านทดสอบเอ', clusterCode: 'K1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: '1100000002', nameTh: 'โรงเรียนบ้านทดสอบบี', clusterCode: 'K1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: '1100000003', nameTh: 'โรงเรียนบ้านทดสอบซี', clusterCode: 'K2', clusterNameTh: 'เครือข่ายสอง' },
  ]);
  const schools = await schoolIdsByCode(db, office.id, ['1100000001', '1100000002', '1100000003']);
  ids.schoolA = schools.get('1100000001') ?? '';
  ids.schoolB = schools.get('1100000002') ?? '';
  ids.schoolC = schools.get('1100000003') ?? '';
  // 55 teachers at school A (more than one page of 50), 1 at B; a supervisor; a name that needs escaping.
  const people = [
    ...Array.from({ length: 55 }, (_, i) => ({
      id: crypto.randomUUID(),
      displayName: `ครูทดสอบ ลำดับ${String(i).padStart(2, '0')}`,
      role: 'teacher' as const,
      schoolId: ids.schoolA,
      externalId: `t-${i}`,
    })),
    {
      id: crypto.randomUUID(),
      displayName: 'ครู<b>บี</b> สมมุติ',
      role: 'teacher' as const,
      schoolId: ids.schoolB,
      externalId: 't-b',
    },
    {
      id: crypto.randomUUID(),
      displayName: 'ศน.สมมุติ ใจดี',
      role: 'supervisor' as const,
      schoolId: null,
      externalId: 'sup-1',
    },
  ];
  const personIds = await upsertPeople(db, office.id, people);
  ids.teachers = personIds.slice(0, 56);
  ids.supervisor = personIds[56] ?? '';
  // The first teacher is linked to LINE.
  await db.execute(sql`UPDATE people SET line_user_id = ${LINE_USER}, channel_id = 'default', status = 'active',
                         linked_at = ${new Date(now - 3 * DAY).toISOString()} WHERE id = ${ids.teachers[0]}`);
  const clusters = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM clusters WHERE office_id = ${office.id}`,
  );
  // Main supervisor of cluster K1 (schools A and B); school C has none.
  await assignSupervisor(db, office.id, {
    supervisorId: ids.supervisor,
    schoolId: null,
    clusterId: clusters.find((c) => c.code === 'K1')?.id ?? null,
    kind: 'main',
  });

  await syncBuiltins(db);
  const survey = await findChecklist(db, office.id, 'needs-survey');
  const sar = await findChecklist(db, office.id, 'sar-basic');
  if (survey === undefined || sar === undefined) throw new Error('built-in checklists missing');
  // Overdue: teachers only, due yesterday: 56 expected, 2 submitted, 1 in progress → 54 overdue.
  ids.overdueCampaign = (
    await upsertCampaign(db, {
      officeId: office.id,
      checklistId: survey.id,
      titleTh: 'สำรวจความต้องการ เลยกำหนด',
      roles: ['teacher'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(now - 10 * DAY).toISOString(),
      dueAt: new Date(now - DAY).toISOString(),
    })
  ).id;
  // Open, not yet due, only school B: 1 expected, 0 submitted.
  ids.openCampaign = (
    await upsertCampaign(db, {
      officeId: office.id,
      checklistId: survey.id,
      titleTh: 'สำรวจความต้องการ โรงเรียนบี',
      roles: ['teacher'],
      schoolIds: [ids.schoolB],
      clusterIds: [],
      opensAt: new Date(now - DAY).toISOString(),
      dueAt: new Date(now + 7 * DAY).toISOString(),
    })
  ).id;
  // Not yet open: not on the dashboard, but on the campaigns and exports pages.
  ids.sarCampaign = (
    await upsertCampaign(db, {
      officeId: office.id,
      checklistId: sar.id,
      titleTh: 'รายงาน SAR ปีการศึกษา 2569',
      roles: ['principal'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(now + 30 * DAY).toISOString(),
      dueAt: new Date(now + 60 * DAY).toISOString(),
    })
  ).id;
  const iso = new Date(now - 2 * DAY).toISOString();
  for (const [i, status] of [
    [0, 'submitted'],
    [1, 'submitted'],
    [2, 'in_progress'],
  ] as const) {
    await db.execute(sql`INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id,
                           status, started_at, submitted_at, updated_at)
      VALUES (${crypto.randomUUID()}, ${office.id}, ${ids.overdueCampaign}, ${survey.id}, ${ids.teachers[i]},
              ${ids.schoolA}, ${status}, ${iso}, ${status === 'submitted' ? iso : null}, ${iso})`);
  }

  // Term 2/2569 covers now. Visits: two done at A (one school), one cancelled at B, planned in 5 and 20 days.
  await db.execute(sql`INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
    VALUES (${office.id}, 'term', 'ภาคเรียนที่ 2/2569', '2026-11-01', '2027-03-31', 2569, 2)`);
  const visit = (school: string, at: number, status: string) =>
    db.execute(sql`INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status)
      VALUES (${crypto.randomUUID()}, ${office.id}, ${school}, ${ids.supervisor}, ${new Date(at).toISOString()},
              'นิเทศติดตาม', ${status})`);
  await visit(ids.schoolA, now - 5 * DAY, 'done');
  await visit(ids.schoolA, now - 2 * DAY, 'done');
  await visit(ids.schoolB, now - DAY, 'cancelled');
  await visit(ids.schoolB, now + 5 * DAY, 'planned');
  await visit(ids.schoolC, now + 20 * DAY, 'planned');

  // Outbox: 2 pending (oldest 3 hours), 1 dead, 2 sent today (Bangkok), 1 sent two days ago; 123 of 500 pushes.
  const ob = (status: string, createdAgo: number, sentAgo: number | null) =>
    insertOutbox(
      db,
      sql`SELECT ${office.id}::uuid AS office_id, 'default' AS channel_id, ${crypto.randomUUID()} AS dedupe_key,
                 'reminder' AS kind, '[]'::jsonb AS messages, ${status} AS status,
                 ${new Date(now - createdAgo).toISOString()}::timestamptz AS created_at,
                 ${sentAgo === null ? null : new Date(now - sentAgo).toISOString()}::timestamptz AS sent_at`,
      ['office_id', 'channel_id', 'dedupe_key', 'kind', 'status', 'created_at', 'sent_at'],
    );
  await ob('pending', 3 * 3_600_000, null);
  await ob('pending', 60_000, null);
  await ob('dead', DAY, null);
  await ob('sent', 3_600_000, 3_600_000);
  // 5 hours ago is 04:00 today in Bangkok but yesterday in UTC: "today" is the office's day.
  await ob('sent', 5 * 3_600_000, 5 * 3_600_000);
  await ob('sent', 2 * DAY, 2 * DAY);
  await db.execute(sql`INSERT INTO push_usage (office_id, month, pushes) VALUES (${office.id}, '2026-11', 123)`);
  await db.execute(sql`UPDATE offices SET push_quota = 500 WHERE id = ${office.id}`);
}

beforeAll(async () => {
  h = await startHarness();
  // 09:00 in Bangkok on Friday 20 November 2026.
  await seed(h.clock.now);
  cookie = await signInCookie(h);
});
afterAll(() => h.close());

const get = (path: string, withCookie = true) =>
  h.fetch(path, { headers: withCookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  h.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const html = async (path: string) => {
  const res = await get(path);
  expect(res.status).toBe(200);
  return res.text();
};
/** The text of the element carrying data-figure="name" (tags stripped). */
const figure = (page: string, name: string, within?: string) => {
  const scope = within === undefined ? page : (page.split(within)[1]?.split('</tr>')[0] ?? '');
  const m = new RegExp(`data-figure="${name}"[^>]*>([\\s\\S]*?)</(td|dd|output)>`).exec(scope);
  return m?.[1]?.replace(/<[^>]+>/g, '').trim();
};

describe('sign-in', () => {
  it('sends every page to the sign-in form without a session', async () => {
    for (const path of ['/admin/offices', '/admin/offices/WEB1', '/admin/offices/WEB1/people']) {
      const res = await get(path, false);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
    }
    // A forged cookie is no session.
    const forged = await h.fetch('/admin/offices', {
      headers: { cookie: `${ADMIN_COOKIE}=${ADMIN}` },
      redirect: 'manual',
    });
    expect(forged.status).toBe(303);
  });

  it('shows a labelled token form in Thai', async () => {
    const page = await (await get('/admin', false)).text();
    expect(page).toMatch(/^<!doctype html><html lang="th">/);
    expect(page).toContain('<label for="token">');
    expect(page).toContain('id="token" name="token" type="password"');
  });

  it('answers a wrong token with the form again, a Thai error and 401, and no cookie', async () => {
    const res = await post('/admin/login', { token: 'not-the-token' }, { origin: ORIGIN });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const page = await res.text();
    expect(page).toContain('รหัสผู้ดูแลระบบไม่ถูกต้อง');
    expect(page).toContain('<form method="post" action="/admin/login">');
    expect((await post('/admin/login', { token: '' }, { origin: ORIGIN })).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Strict cookie on /admin holding a random session id, new at each sign-in', async () => {
    const res = await post('/admin/login', { token: ADMIN }, { origin: ORIGIN });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/offices');
    const set = res.headers.get('set-cookie') ?? '';
    const id = new RegExp(`${ADMIN_COOKIE}=([A-Za-z0-9_-]{43});`).exec(set)?.[1];
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(id ?? '-');
    expect(set).not.toContain(ADMIN);
    // Only the id's hash is stored.
    expect(await count(h.db.db, sql`admin_sessions WHERE id_hash = ${id ?? ''}`)).toBe(0);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\/admin(;|$)/);
    expect(set).not.toMatch(/Secure/i);
    // Signed in, the form sends the browser on to the offices.
    expect((await get('/admin')).headers.get('location')).toBe('/admin/offices');
  });

  it('marks the cookie Secure when the browser used https (behind a TLS proxy)', async () => {
    const res = await post(
      '/admin/login',
      { token: ADMIN },
      { origin: 'https://nithet.test', 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('signs out by ending the session on the server and expiring the cookie', async () => {
    const mine = await signInCookie(h);
    expect((await h.fetch('/admin/offices', { headers: { cookie: mine }, redirect: 'manual' })).status).toBe(200);
    const res = await post('/admin/logout', {}, { origin: ORIGIN, cookie: mine });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`${ADMIN_COOKIE}=;.*Max-Age=0`, 'i'));
    // A copy of the cookie kept after sign-out opens nothing.
    const after = await h.fetch('/admin/offices', { headers: { cookie: mine }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin');
  });
});

describe('headers and a disabled admin surface', () => {
  it('sends every page with a no-script CSP, no framing and no caching', async () => {
    for (const res of [await get('/admin', false), await get('/admin/offices/WEB1/people')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('script-src');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('has no sign-in form at all without ADMIN_TOKEN (404), and the API keeps its own paths', async () => {
    const app = createApp(() => ({ ...h.deps, config: { ...h.deps.config, adminToken: undefined } }));
    const res = await app.fetch(new Request('http://nithet.test/admin'));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<form');
    const page = await app.fetch(new Request('http://nithet.test/admin/offices/WEB1', { headers: { cookie } }));
    expect(page.status).toBe(404);
    // The pages' guards sit on their own paths only: the API still answers its bearer clients itself.
    const api = await h.fetch('/admin/api/v1/offices', {
      method: 'GET',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(api.status).toBe(200);
    const unknownApi = await h.fetch('/admin/api/v1/nothing-here', { redirect: 'manual' });
    expect(unknownApi.status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a POST from a foreign Origin, or with neither Origin nor Referer', async () => {
    const foreign = await post('/admin/login', { token: ADMIN }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    expect(await foreign.text()).toContain('ถูกปฏิเสธ');
    expect((await post('/admin/login', { token: ADMIN })).status).toBe(403);
    // Same host on another port is another origin.
    expect((await post('/admin/login', { token: ADMIN }, { origin: 'http://nithet.test:8080' })).status).toBe(403);
    // A same-site Referer stands in for a missing Origin.
    expect((await post('/admin/login', { token: ADMIN }, { referer: `${ORIGIN}/admin` })).status).toBe(303);
  });

  it('issues no invite for a cross-site form even with the session cookie', async () => {
    const person = ids.teachers[5] ?? '';
    const before = await count(h.deps.db, sql`invites WHERE person_id = ${person}`);
    const res = await post(
      `/admin/offices/WEB1/people/${person}/invite`,
      {},
      { origin: 'https://evil.example', cookie },
    );
    expect(res.status).toBe(403);
    expect(await count(h.deps.db, sql`invites WHERE person_id = ${person}`)).toBe(before);
  });
});

describe('dashboard', () => {
  it('shows the seeded completion, coverage, outbox and quota figures', async () => {
    const page = await html('/admin/offices/WEB1');
    const overdue = `data-campaign="${ids.overdueCampaign}"`;
    expect(figure(page, 'submitted', overdue)).toBe('2');
    expect(figure(page, 'expected', overdue)).toBe('56');
    expect(figure(page, 'percent', overdue)).toBe('4%');
    expect(figure(page, 'overdue', overdue)).toBe('54');
    const open = `data-campaign="${ids.openCampaign}"`;
    expect(figure(page, 'expected', open)).toBe('1');
    expect(figure(page, 'overdue', open)).toBe('0');
    // A campaign not yet open is not on the dashboard.
    expect(page).not.toContain(ids.sarCampaign);

    expect(figure(page, 'visited')).toMatch(/^1 \/ 2 \(50%\) · ภาคเรียนที่ 2\/2569$/);
    expect(figure(page, 'with-main')).toBe('2');
    expect(figure(page, 'planned-14')).toBe('1');
    expect(figure(page, 'pending')).toBe('2');
    expect(figure(page, 'dead')).toBe('1');
    expect(figure(page, 'oldest-pending')).toBe('3 ชม. 0 นาที');
    expect(figure(page, 'sent-today')).toBe('2');
    expect(figure(page, 'pushes')).toBe('123 / 500');
  });

  it('lists the offices and answers an unknown office with a 404 page', async () => {
    expect(await html('/admin/offices')).toContain('href="/admin/offices/WEB1"');
    const res = await get('/admin/offices/NOPE');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('ไม่พบ');
  });
});

describe('people and invites', () => {
  it('pages 50 at a time by name, shows linked status but never the LINE user id, and escapes names', async () => {
    const first = await html('/admin/offices/WEB1/people?role=teacher');
    expect(first.match(/<tr data-person=/g)?.length).toBe(50);
    expect(first).not.toContain(LINE_USER);
    expect(figure(first, 'linked', `data-person="${ids.teachers[0]}"`)).toContain('เชื่อมแล้ว');
    expect(figure(first, 'linked', `data-person="${ids.teachers[1]}"`)).toBe('ยังไม่เชื่อม / Not linked');
    const firstIds = [...first.matchAll(/<tr data-person="([^"]+)"/g)].map((m) => m[1]);
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBe(`/admin/offices/WEB1/people?role=teacher&after=${firstIds[49]}`);
    const second = await html(next ?? '');
    const secondIds = [...second.matchAll(/<tr data-person="([^"]+)"/g)].map((m) => m[1]);
    // 56 teachers: the six after the first fifty, none twice, none missed (whatever the collation's order).
    expect(secondIds.length).toBe(6);
    expect(new Set([...firstIds, ...secondIds])).toEqual(new Set(ids.teachers));
    expect(second).not.toContain('rel="next"');
    expect(first + second).toContain('ครู&lt;b&gt;บี&lt;/b&gt; สมมุติ');
    expect(first + second).not.toContain('<b>บี</b>');
  });

  it('filters by school, status and search', async () => {
    const bySchool = await html(`/admin/offices/WEB1/people?school=${ids.schoolB}`);
    expect(bySchool.match(/<tr data-person=/g)?.length).toBe(1);
    const active = await html('/admin/offices/WEB1/people?status=active');
    expect(active.match(/<tr data-person=/g)).toEqual([`<tr data-person=`]);
    expect(active).toContain(ids.teachers[0]);
    const search = await html(`/admin/offices/WEB1/people?q=${encodeURIComponent('ลำดับ1')}`);
    expect(search.match(/<tr data-person=/g)?.length).toBe(10);
    // LIKE wildcards typed by the user are literal.
    expect(await html('/admin/offices/WEB1/people?q=%25')).toContain('ไม่พบบุคลากร');
  });

  it('audits every read of the people page, with the filters but not the search text', async () => {
    const before = await count(h.deps.db, sql`audit_log WHERE action = 'people.read'`);
    await html(`/admin/offices/WEB1/people?role=teacher&q=${encodeURIComponent('ลำดับ')}`);
    expect(await count(h.deps.db, sql`audit_log WHERE action = 'people.read'`)).toBe(before + 1);
    const row = await one<{ office_id: string; detail: string }>(
      h.deps.db,
      sql`SELECT office_id, detail::text AS detail FROM audit_log WHERE action = 'people.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(row.office_id).toBe(ids.office);
    expect(JSON.parse(row.detail)).toMatchObject({ role: 'teacher', search: true, rows: 50 });
    expect(row.detail).not.toContain('ลำดับ');
  });

  it('issues an invite from the page, shows the code once and stores only its hash', async () => {
    const person = ids.teachers[7] ?? '';
    const res = await post(`/admin/offices/WEB1/people/${person}/invite`, {}, { origin: ORIGIN, cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    const code = figure(page, 'invite-code') ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = await one<{ code_hash: string }>(
      h.deps.db,
      sql`SELECT code_hash FROM invites WHERE person_id = ${person} AND revoked_at IS NULL`,
    );
    expect(stored.code_hash).toBe(await hashInviteCode(canonicalInviteCode(code) ?? ''));
    expect(await count(h.deps.db, sql`audit_log WHERE action = 'invites.issue' AND target_id = ${person}`)).toBe(1);
    // The list now shows the outstanding invite's expiry (30 days), not the code.
    const list = await html(`/admin/offices/WEB1/people?q=${encodeURIComponent('ลำดับ07')}`);
    expect(list).toContain(`Code valid until ${thaiShortDate(h.clock.now + 30 * DAY)}`);
    expect(list).not.toContain(code);
  });

  it('refuses an invite for a person of another office or an unknown id', async () => {
    const other = await upsertOffice(h.deps.db, { code: 'WEB2', nameTh: 'สพม.อื่น', nameEn: null });
    const [stranger] = await upsertPeople(h.deps.db, other.id, [
      { id: crypto.randomUUID(), displayName: 'คนนอก สมมุติ', role: 'director', schoolId: null, externalId: null },
    ]);
    const res = await post(`/admin/offices/WEB1/people/${stranger}/invite`, {}, { origin: ORIGIN, cookie });
    expect(res.status).toBe(404);
    expect((await post('/admin/offices/WEB1/people/not-a-uuid/invite', {}, { origin: ORIGIN, cookie })).status).toBe(
      404,
    );
    expect(await count(h.deps.db, sql`invites WHERE person_id = ${stranger}`)).toBe(0);
  });
});

describe('campaigns, exports and the audit log', () => {
  it('lists every campaign with its checklist, audience, Thai BE dates, status and completion', async () => {
    const page = await html('/admin/offices/WEB1/campaigns');
    const row = (id: string) => page.split(`data-campaign="${id}"`)[1]?.split('</tr>')[0] ?? '';
    expect(row(ids.overdueCampaign)).toContain('needs-survey v1');
    expect(row(ids.overdueCampaign)).toContain('เลยกำหนด (ยังเปิด)');
    expect(row(ids.overdueCampaign)).toContain(thaiShortDate(h.clock.now - DAY));
    expect(thaiShortDate(h.clock.now - DAY)).toContain('2569');
    expect(figure(page, 'completion', `data-campaign="${ids.overdueCampaign}"`)).toBe('2 / 56 (4%)');
    expect(row(ids.openCampaign)).toContain('1 โรงเรียน');
    expect(row(ids.sarCampaign)).toContain('ยังไม่เปิด');
    expect(row(ids.sarCampaign)).toContain('ผู้อำนวยการโรงเรียน');
    expect(row(ids.sarCampaign)).toContain(`/admin/offices/WEB1/exports#c-${ids.sarCampaign}`);
  });

  it('links CSV and XLSX exports of responses, completion, SAR (SAR checklists only) and the visit log', async () => {
    const page = (await html('/admin/offices/WEB1/exports')).replace(/&amp;/g, '&');
    const api = '/admin/api/v1/offices/WEB1/exports';
    for (const format of ['csv', 'xlsx']) {
      expect(page).toContain(`href="${api}/visits?format=${format}"`);
      for (const id of [ids.overdueCampaign, ids.sarCampaign]) {
        expect(page).toContain(`href="${api}/responses?campaign=${id}&format=${format}"`);
        expect(page).toContain(`href="${api}/completion?campaign=${id}&format=${format}"`);
      }
      expect(page).toContain(`href="${api}/sar?campaign=${ids.sarCampaign}&format=${format}"`);
      expect(page).not.toContain(`href="${api}/sar?campaign=${ids.overdueCampaign}`);
    }
    expect(page).toContain(`id="c-${ids.sarCampaign}"`);
  });

  it('shows the audit log newest first, filtered by action, with Thai BE times', async () => {
    await html('/admin/offices/WEB1/people');
    const all = await html('/admin/offices/WEB1/audit');
    const actions = [...all.matchAll(/data-figure="action"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(actions[0]).toBe('people.read');
    expect(actions).toContain('invites.issue');
    const rowIds = [...all.matchAll(/<tr data-audit="(\d+)"/g)].map((m) => Number(m[1]));
    expect(rowIds).toEqual([...rowIds].sort((a, b) => b - a));
    expect(all).toMatch(/\d{1,2} [ก-๛.]+ 25\d\d \d\d:\d\d น\./);
    const filtered = await html('/admin/offices/WEB1/audit?action=invites.issue');
    const only = [...filtered.matchAll(/data-figure="action"[^>]*>([^<]+)</g)].map((m) => m[1]);
    const issued = await count(
      h.deps.db,
      sql`audit_log a JOIN offices o ON o.id = a.office_id WHERE o.code = 'WEB1' AND a.action = 'invites.issue'`,
    );
    expect(issued).toBeGreaterThan(0);
    expect(only).toEqual(Array.from({ length: Math.min(issued, 50) }, () => 'invites.issue'));
    // The other office's rows never show here.
    expect(all).not.toContain('คนนอก');
  });
});

describe('PDPA requests', () => {
  const pdpa = { erasedName: 'นายถูกลบ ข้อมูลเดิม', copier: '', erased: '', open91: '', open89: '', late: '' };
  const rowOf = (page: string, target: string) =>
    page.split(`<code>${target}</code>`)[0]?.split('<tr data-pdpa=').at(-1) ?? '';

  beforeAll(async () => {
    const db = h.deps.db;
    const now = h.clock.now;
    const iso = (ms: number) => new Date(ms).toISOString();
    // The erased person's old name is still in this row on purpose: the page must not join people to show it.
    const [erased = '', copier = '', open91 = '', open89 = '', late = ''] = await upsertPeople(
      db,
      ids.office,
      [pdpa.erasedName, 'ครูขอสำเนา ทดสอบ', 'ครูรอลบ หนึ่ง', 'ครูรอลบ สอง', 'ครูลบช้า ทดสอบ'].map((displayName) => ({
        id: crypto.randomUUID(),
        displayName,
        role: 'teacher' as const,
        schoolId: ids.schoolC,
        externalId: null,
      })),
    );
    Object.assign(pdpa, { erased, copier, open91, open89, late });
    await db.execute(sql`UPDATE people SET status = 'erased' WHERE id = ${erased}`);
    const row = (person: string, action: string, at: number, detail: object | null) =>
      db.execute(sql`INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
        VALUES (${ids.office}, ${`person:${person}`}, ${action}, 'person', ${person},
                ${detail === null ? null : JSON.stringify(detail)}::jsonb, ${iso(at)})`);
    // Answered late: 100 days from request to erasure.
    await row(late, 'pdpa.erase', now - 100 * DAY, {
      requestedAt: iso(now - 200 * DAY),
      completedAt: iso(now - 100 * DAY),
    });
    // Still open after 91 days (one past the limit) and after 89 days (within it).
    await row(open91, 'pdpa.erase', now - 91 * DAY, { requestedAt: iso(now - 91 * DAY) });
    await row(open89, 'pdpa.erase', now - 89 * DAY, { requestedAt: iso(now - 89 * DAY) });
    // Erased an hour after asking, ten days ago.
    await row(erased, 'pdpa.erase', now - 10 * DAY + 3_600_000, {
      requestedAt: iso(now - 10 * DAY),
      completedAt: iso(now - 10 * DAY + 3_600_000),
    });
    // A copy is answered in the same turn.
    await row(copier, 'pdpa.copy', now - 3 * DAY, null);
    // Another office's open request counts nowhere here.
    const other = await upsertOffice(db, { code: 'WEB3', nameTh: 'สพม.ทดสอบอื่น', nameEn: null });
    await db.execute(sql`INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
      VALUES (${other.id}, 'person:x', 'pdpa.erase', 'person', 'other-office-person',
              ${JSON.stringify({ requestedAt: iso(now - 200 * DAY) })}::jsonb, ${iso(now)})`);
  });

  it('lists requests newest first with Thai BE times, days taken and status against the limit (90 days for an erasure)', async () => {
    const page = await html('/admin/offices/WEB1/pdpa');
    const order = [...page.matchAll(/<tr data-pdpa="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order.length).toBe(5);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(page.indexOf(`<code>${pdpa.copier}</code>`)).toBeLessThan(page.indexOf(`<code>${pdpa.late}</code>`));

    const status = (target: string) => figure(rowOf(page, target) + '</tr>', 'pdpa-status');
    const days = (target: string) => figure(rowOf(page, target) + '</tr>', 'days');
    // 91 days open is past the limit (the test fails for any limit of 91 days or more); 89 is not.
    expect(status(pdpa.open91)).toBe('เกินกำหนด / Overdue · ค้างอยู่ 91 วัน / Open for 91 days');
    expect(status(pdpa.open89)).toBe('ค้างอยู่ 89 วัน / Open for 89 days');
    expect(days(pdpa.open89)).toBe('–');
    expect(status(pdpa.late)).toBe('เกินกำหนด / Overdue');
    expect(days(pdpa.late)).toBe('100');
    expect(status(pdpa.erased)).toBe('ทันเวลา / On time');
    expect(days(pdpa.erased)).toBe('0');
    expect(status(pdpa.copier)).toBe('ทันเวลา / On time');
    expect(rowOf(page, pdpa.copier)).toContain('ขอสำเนาข้อมูล');
    expect(rowOf(page, pdpa.open91)).toContain(thaiDateTime(h.clock.now - 91 * DAY, 'Asia/Bangkok'));
    expect(rowOf(page, pdpa.erased)).toContain(thaiDateTime(h.clock.now - 10 * DAY + 3_600_000, 'Asia/Bangkok'));
    expect(thaiDateTime(h.clock.now, 'Asia/Bangkok')).toContain('2569');

    expect(figure(page, 'pdpa-open')).toBe('2');
    expect(figure(page, 'pdpa-overdue')).toBe('1');
    expect(figure(page, 'pdpa-late')).toBe('1');
    // Ids only: no name, neither the erased person's nor anyone else's; no other office's request.
    expect(page).not.toContain(pdpa.erasedName);
    expect(page).not.toContain('ครูขอสำเนา');
    expect(page).not.toContain('other-office-person');
    expect(page).toContain(`href="/admin/offices/WEB1/pdpa" aria-current="page"`);
  });

  it('counts open and overdue requests on the dashboard by the injected clock', async () => {
    const dash = await html('/admin/offices/WEB1');
    expect(figure(dash, 'pdpa-open')).toBe('2');
    expect(figure(dash, 'pdpa-overdue')).toBe('1');
    const was = h.clock.now;
    const signedIn = cookie;
    h.clock.now = was + 2 * DAY;
    try {
      // Sessions end after 12 hours, by the server's clock: sign in again two days on.
      expect((await get('/admin/offices/WEB1')).status).toBe(303);
      cookie = await signInCookie(h);
      // Two days on, the 89-day request is 91 days open too.
      expect(figure(await html('/admin/offices/WEB1'), 'pdpa-overdue')).toBe('2');
      const page = await html('/admin/offices/WEB1/pdpa');
      expect(figure(rowOf(page, pdpa.open89) + '</tr>', 'pdpa-status')).toContain('เกินกำหนด');
    } finally {
      h.clock.now = was;
      cookie = signedIn;
    }
  });

  it('audits every read of the page', async () => {
    const before = await count(h.deps.db, sql`audit_log WHERE action = 'pdpa.read' AND office_id = ${ids.office}`);
    await html('/admin/offices/WEB1/pdpa');
    expect(await count(h.deps.db, sql`audit_log WHERE action = 'pdpa.read' AND office_id = ${ids.office}`)).toBe(
      before + 1,
    );
    const row = await one<{ detail: string }>(
      h.deps.db,
      sql`SELECT detail::text AS detail FROM audit_log WHERE action = 'pdpa.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.parse(row.detail)).toEqual({ page: 'first', rows: 5 });
  });

  it('pages 50 requests at a time, newest first', async () => {
    await h.deps.db.execute(sql`INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
      SELECT ${ids.office}::uuid, 'person:x', 'pdpa.copy', 'person', 'copy-' || g, now() FROM generate_series(1, 50) g`);
    const first = await html('/admin/offices/WEB1/pdpa');
    const firstIds = [...first.matchAll(/<tr data-pdpa="(\d+)"/g)].map((m) => Number(m[1]));
    expect(firstIds.length).toBe(50);
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1];
    expect(next).toBe(`/admin/offices/WEB1/pdpa?before=${firstIds[49]}`);
    const second = await html(next ?? '');
    const secondIds = [...second.matchAll(/<tr data-pdpa="(\d+)"/g)].map((m) => Number(m[1]));
    expect(secondIds.length).toBe(5);
    expect(Math.max(...secondIds)).toBeLessThan(Math.min(...firstIds));
    expect(second).toContain(`<code>${pdpa.late}</code>`);
    expect(second).not.toContain('rel="next"');
    // The tally is office-wide, not per page.
    expect(figure(second, 'pdpa-open')).toBe('2');
  });
});

describe('sign-in throttling', () => {
  const attempt = (token: string, client: string, headers: Record<string, string> = {}) =>
    h.fetch(
      '/admin/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
        body: new URLSearchParams({ token }).toString(),
        redirect: 'manual',
      },
      client,
    );

  it('refuses a client with 429 and Retry-After after 5 wrong tokens in its window, right token or not', async () => {
    const ip = '198.51.100.7';
    const was = h.clock.now; // 02:00Z, the start of a 15-minute window
    try {
      for (let i = 0; i < 5; i++) {
        expect((await attempt(`wrong-${i}`, ip)).status).toBe(401);
        h.clock.now += 60_000;
      }
      const locked = await attempt('wrong-again', ip);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe(String(10 * 60));
      const body = await locked.text();
      expect(body).toContain('ใส่รหัสผิดหลายครั้งเกินไป');
      expect(body).toContain('<form method="post" action="/admin/login">');
      // The right token is not even compared during the lockout.
      const right = await attempt(ADMIN, ip);
      expect(right.status).toBe(429);
      expect(right.headers.get('set-cookie')).toBeNull();
      // Another client has its own bucket.
      expect((await attempt(ADMIN, '198.51.100.8')).status).toBe(303);
      // Failures are one audit row per client per window, counted, without an office and without the IP.
      const rows = await queryRows<{ office_id: string | null; target_id: string; detail: { count: number } }>(
        h.deps.db,
        sql`SELECT office_id, target_id, detail FROM audit_log WHERE action = 'admin.signin_failed'
             AND at = ${new Date(was).toISOString()}::timestamptz`,
      );
      expect(rows.map((r) => r.detail.count)).toContain(5);
      expect(rows.filter((r) => r.detail.count === 5)).toHaveLength(1);
      expect(rows.every((r) => r.office_id === null && !r.target_id.includes('198.51'))).toBe(true);

      h.clock.now = was + 15 * 60_000 - 1_000;
      const last = await attempt(ADMIN, ip);
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toBe('1');
      // The next window starts afresh.
      h.clock.now = was + 15 * 60_000;
      expect((await attempt(ADMIN, ip)).status).toBe(303);
    } finally {
      h.clock.now = was;
    }
  });

  it('takes the client from the socket on Node: X-Forwarded-For and CF-Connecting-IP are not believed', async () => {
    const was = h.clock.now;
    h.clock.now = was + DAY; // a window of its own
    try {
      for (let i = 0; i < 5; i++) {
        const spoof = { 'x-forwarded-for': `203.0.113.${i}`, 'cf-connecting-ip': `192.0.2.${i}` };
        expect((await attempt('wrong', '203.0.113.50', spoof)).status).toBe(401);
      }
      const locked = await attempt(ADMIN, '203.0.113.50', { 'x-forwarded-for': '203.0.113.99' });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('900');
      // Five wrong tokens from one client lock that client only, not every admin.
      expect((await attempt(ADMIN, '203.0.113.51')).status).toBe(303);
    } finally {
      h.clock.now = was;
    }
  });
});
