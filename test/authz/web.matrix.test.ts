// The web pages' authorization matrix (issue 13, item 2): who may open which page of the office, and write what.
// Sessions are real: the admin, director and supervisor personas link in chat, type เข้าเว็บ and use the one-time
// link; another office's token signs in with the form. Every cell is a request over HTTP; each DENIED cell must
// write nothing (no invite, no audit row, no person changed) and show nothing of another scope (no name of the
// office's people, no school outside a supervisor's own, no id of office A for office B). ALLOWED cells check that
// the supervisor's figures are their schools' only, counted independently here. A new page is one line in PAGES.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { DEMO_PEOPLE, DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { adminApi } from '../admin/api.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

const SETUP_MS = 180_000;
const ORIGIN = 'http://nithet.test';
const LINK = /\/admin\/signin\/([A-Za-z0-9_-]{43})/;

/** `member`: an outside ก.ต.ป.น. member (role committee) signed in from LINE: the committee's pages only. */
type Who = 'admin' | 'director' | 'supervisor' | 'member' | 'otherOffice';
const WHO: Who[] = ['admin', 'director', 'supervisor', 'member', 'otherOffice'];

let h: Harness;
let demo: DemoSeed;
const cookies = {} as Record<Who, string>;
let personId = '';
let supervisorId = '';
let memberId = '';
/** Reading cells' ids: a campaign, a school inside the supervisor persona's cluster (C1) and one outside (C2). */
const read = { campaign: '', schoolIn: '', schoolOut: '', principalOut: '' };

interface Cell {
  label: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: () => string;
  /** A POST's form fields (urlencoded); none: an empty body. */
  fields?: Record<string, string>;
  /** The status each principal gets. */
  expect: Record<Who, number>;
}

/** Every page of the office (src/web/pages/), and the API reads a session may make. */
const PAGES: Cell[] = [
  ['dashboard', ''],
  ['campaigns', '/campaigns'],
  ['schools (a supervisor: their own)', '/schools'],
].map(([label, rest]) => ({
  label: `GET ${label}`,
  method: 'GET' as const,
  path: () => `/admin/offices/DEMO1${rest}`,
  expect: { admin: 200, director: 200, supervisor: 200, member: 403, otherOffice: 404 },
}));
const OFFICE_WIDE: Cell[] = [
  ['people', '/people'],
  ['people, a next page', '/people?role=teacher&after=00000000-0000-4000-8000-000000000000'],
  ['supervisor assignments', '/assignments'],
  ['the annual visit plan', '/plan'],
  ['exports', '/exports'],
  ['audit log', '/audit'],
  ['PDPA requests', '/pdpa'],
  ['the schools ranked for honouring', '/honours?year=2569&by=improvement,sar'],
].map(([label, rest]) => ({
  label: `GET ${label}`,
  method: 'GET' as const,
  path: () => `/admin/offices/DEMO1${rest}`,
  expect: { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 },
}));
/** Admin-only pages (office.write): the director reads only, the supervisor has no office-wide page. */
const ADMIN_ONLY: Cell[] = [
  ['imports', '/imports'],
  ['invite sheets', '/invite-sheets'],
  ['settings', '/settings'],
  ['add a person', '/people/new'],
].map(([label, rest]) => ({
  label: `GET ${label}`,
  method: 'GET' as const,
  path: () => `/admin/offices/DEMO1${rest}`,
  expect: { admin: 200, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
}));
const API: Cell[] = [
  {
    label: 'API GET people (session cookie)',
    method: 'GET',
    path: () => '/admin/api/v1/offices/DEMO1/people',
    expect: { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'API GET the visit log export (session cookie)',
    method: 'GET',
    path: () => '/admin/api/v1/offices/DEMO1/exports/visits?format=csv',
    expect: { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'API GET the honours ranking (session cookie)',
    method: 'GET',
    path: () => '/admin/api/v1/offices/DEMO1/honours?by=actions',
    expect: { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 },
  },
];
const adminOnly = { admin: 200, director: 403, supervisor: 403, member: 403, otherOffice: 404 };
const WRITES: Cell[] = [
  {
    label: 'GET edit an assigned school',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/schools/${read.schoolIn}/edit`,
    expect: adminOnly,
  },
  {
    // The refusal comes before the school is looked up; a real edit is test/web/schools-page.test.ts.
    label: 'POST edit a school (an unknown id: the admin gets 404)',
    method: 'POST',
    path: () => '/admin/offices/DEMO1/schools/00000000-0000-4000-8000-000000000000/edit',
    expect: { ...adminOnly, admin: 404 },
  },
  {
    label: 'GET record a school’s external assessment',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/eqa/schools/${read.schoolIn}`,
    expect: adminOnly,
  },
  {
    label: 'POST external results of a school (an unknown id: the admin gets 404)',
    method: 'POST',
    path: () => '/admin/offices/DEMO1/eqa/schools/00000000-0000-4000-8000-000000000000/results',
    expect: { ...adminOnly, admin: 404 },
  },
  {
    label: 'API PATCH a school (session cookie: the API writes only with a bearer token)',
    method: 'PATCH',
    path: () => `/admin/api/v1/offices/DEMO1/schools/${read.schoolIn}`,
    expect: { admin: 401, director: 401, supervisor: 401, member: 401, otherOffice: 401 },
  },
  {
    label: 'GET edit a person',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/people/${personId}`,
    expect: { admin: 200, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'GET the block confirmation',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/people/${personId}/block`,
    expect: { admin: 200, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST block a person (confirmed)',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/people/${personId}/block`,
    expect: { admin: 303, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST a new invite',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/people/${personId}/invite`,
    expect: { admin: 200, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    // Publishing honours is the admin's; an empty form is a 400 naming its fields, and nothing is published.
    label: 'POST publish an honour list (empty form)',
    method: 'POST',
    path: () => '/admin/offices/DEMO1/honours',
    expect: { admin: 400, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
];
/** Reading the work (responses, evidence): every role in its scope; a school outside a supervisor's is a 404. */
const everyone = { admin: 200, director: 200, supervisor: 200, member: 403, otherOffice: 404 };
const notSupervisor = { admin: 200, director: 200, supervisor: 404, member: 403, otherOffice: 404 };
const READING: Cell[] = (
  [
    ['a campaign’s completion per school', () => `/responses/campaigns/${read.campaign}`, everyone],
    ['a campaign’s responses', () => `/responses/campaigns/${read.campaign}?view=responses`, everyone],
    ['an assigned school’s responses', () => `/responses/schools/${read.schoolIn}`, everyone],
    ['another school’s responses', () => `/responses/schools/${read.schoolOut}`, notSupervisor],
    ['another school’s principal’s responses', () => `/responses/people/${read.principalOut}`, notSupervisor],
    ['an assigned school’s page', () => `/schools/${read.schoolIn}`, everyone],
    ['another school’s page', () => `/schools/${read.schoolOut}`, notSupervisor],
    ['the schools cut by level', () => '/schools?level=primary', everyone],
  ] as const
).map(([label, rest, expect]) => ({
  label: `GET ${label}`,
  method: 'GET' as const,
  path: () => `/admin/offices/DEMO1${rest()}`,
  expect,
}));
/** The committee's pages: the office's readers and the committee's own members; its API is the office's. */
const COMMITTEE: Cell[] = [
  {
    label: 'GET the ก.ต.ป.น. committee',
    method: 'GET',
    path: () => '/admin/offices/DEMO1/committee',
    expect: { admin: 200, director: 200, supervisor: 403, member: 200, otherOffice: 404 },
  },
  {
    label: 'API GET committee members (session cookie)',
    method: 'GET',
    path: () => '/admin/api/v1/offices/DEMO1/committee/members',
    expect: { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST remove a committee member (unconfirmed: the admin is sent to the question)',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/committee/members/${memberId}/remove`,
    expect: { admin: 303, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
];
/** Feedback on a school's SAR (issue 15 item 3): an admin, or the school's supervisor; a director reads only. */
const feedback = { standard: 'all', text: 'ข้อเสนอแนะทดสอบสิทธิ์' };
const SAR_FEEDBACK: Cell[] = [
  {
    label: 'POST SAR feedback on an assigned school',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/schools/${read.schoolIn}/sar-feedback`,
    fields: feedback,
    expect: { admin: 303, director: 403, supervisor: 303, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST SAR feedback on another school',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/schools/${read.schoolOut}/sar-feedback`,
    fields: feedback,
    expect: { admin: 303, director: 403, supervisor: 404, member: 403, otherOffice: 404 },
  },
];
/**
 * The office SAR (seed 003): the office's readers; a supervisor only while in one of the office's groups (this
 * persona is in none, so 403 even on the indicator path open to supervisors' own writes); a director writes nothing.
 */
const NO_SAR = '00000000-0000-4000-8000-000000000000';
const officeSarRead = { admin: 200, director: 200, supervisor: 403, member: 403, otherOffice: 404 };
const OFFICE_SAR: Cell[] = [
  ...[
    ['the office SAR', '/office-sar'],
    ['the office groups', '/office-sar/groups'],
    ['the office standard', '/office-sar/standard'],
    ['an indicator of the office standard', '/office-sar/standard/indicators/I1'],
  ].map(([label, rest]) => ({
    label: `GET ${label}`,
    method: 'GET' as const,
    path: () => `/admin/offices/DEMO1${rest}`,
    expect: officeSarRead,
  })),
  {
    // The add-member picker's search returns staff names: the office's readers only (a director gets no form).
    label: 'GET the office groups, searching a person to add',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/office-sar/groups?code=&personId=&who=${encodeURIComponent('นาง')}`,
    expect: officeSarRead,
  },
  {
    label: 'POST the office groups, add a member',
    method: 'POST',
    path: () => '/admin/offices/DEMO1/office-sar/groups/members',
    fields: { code: '', personId: NO_SAR },
    expect: { admin: 400, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST an office SAR indicator level (no such SAR)',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/office-sar/sars/${NO_SAR}/indicators/I1`,
    expect: { admin: 404, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST an office SAR milestone done (no such task)',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/office-sar/tasks/${NO_SAR}/done`,
    expect: { admin: 404, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
];
/** Work with other agencies: the office's readers; admins write (a project that does not exist: 404). */
const AGENCIES: Cell[] = [
  {
    label: 'GET work with other agencies',
    method: 'GET',
    path: () => '/admin/offices/DEMO1/agencies',
    expect: officeSarRead,
  },
  {
    label: 'GET work with other agencies, searching an owner',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/agencies?titleTh=&ownerId=&who=${encodeURIComponent('นาง')}`,
    expect: officeSarRead,
  },
  {
    // A supervisor opens only a project they own a stage of (their reminder's button lands there): none here.
    label: 'GET one agency project (no such project)',
    method: 'GET',
    path: () => `/admin/offices/DEMO1/agencies/${NO_SAR}`,
    expect: { admin: 404, director: 404, supervisor: 403, member: 403, otherOffice: 404 },
  },
  {
    label: 'POST advance an agency project (no such project)',
    method: 'POST',
    path: () => `/admin/offices/DEMO1/agencies/${NO_SAR}/advance`,
    expect: { admin: 404, director: 403, supervisor: 403, member: 403, otherOffice: 404 },
  },
];
const CELLS = [
  ...PAGES,
  ...OFFICE_WIDE,
  ...ADMIN_ONLY,
  ...READING,
  ...API,
  ...WRITES,
  ...COMMITTEE,
  ...SAR_FEEDBACK,
  ...OFFICE_SAR,
  ...AGENCIES,
];

/** What a cell could write: compared before and after every denied cell. */
async function footprint() {
  const db = h.db.db;
  return {
    invites: await count(db, sql`invites`),
    feedback: await count(db, sql`sar_feedback`),
    audit: await count(db, sql`audit_log WHERE action <> 'admin.signin'`),
    people: await one<{ v: string }>(db, sql`SELECT md5(string_agg(p::text, ',' ORDER BY id)) AS v FROM people p`),
  };
}

const request = (cell: Cell, who: Who) =>
  h.fetch(cell.path(), {
    method: cell.method,
    headers: {
      cookie: cookies[who],
      ...(cell.method === 'GET' ? {} : { origin: ORIGIN }),
      ...(cell.fields === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(cell.fields === undefined ? {} : { body: new URLSearchParams(cell.fields).toString() }),
    redirect: 'manual',
  });

/** Names of the office's people: none may show on a refused page. */
const names = DEMO_PEOPLE.map((p) => p.displayName);
/** The demo supervisor persona's cluster is C1: the C2 schools are outside their scope. */
const outside = DEMO_SCHOOLS.filter((s) => s.clusterCode === 'C2').map((s) => s.nameTh);
const inside = DEMO_SCHOOLS.filter((s) => s.clusterCode === 'C1').map((s) => s.nameTh);

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: ORIGIN } });
  demo = await seedDemo(h.db.db, h.clock.now);
  const api = adminApi(h);
  for (const role of ['admin', 'director', 'supervisor'] as const) {
    const user = userId(`web-matrix-${role}`);
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
  // An outside expert (role committee, no school) on the office's ก.ต.ป.น., signed in from LINE like the others.
  const added = await api('POST', '/offices/DEMO1/people', {
    people: [{ displayName: 'นางสมมุติ ผู้ทรงคุณวุฒิเว็บ', role: 'committee', externalId: 'web-matrix-member' }],
  });
  const [expert] = added.json.people as { id: string; inviteCode: string }[];
  memberId = expert?.id ?? '';
  const memberUser = userId('web-matrix-member');
  await h.post(ev.text(expert?.inviteCode ?? '', { user: memberUser }));
  await h.post(ev.text('ใช่', { user: memberUser })); // whose account it is: confirmed
  await api('POST', '/offices/DEMO1/committee/members', { members: [{ personId: memberId, committeeRole: 'expert' }] });
  const [memberReply] = await h.post(ev.text('เข้าเว็บ', { user: memberUser }));
  const memberToken = LINK.exec(replyTexts(memberReply).join('\n'))?.[1] ?? '';
  const signedIn = await h.fetch(`/admin/signin/${memberToken}`, {
    method: 'POST',
    headers: { origin: ORIGIN },
    redirect: 'manual',
  });
  expect(signedIn.status).toBe(303);
  cookies.member = /nithet_admin=[^;]+/.exec(signedIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
  expect((await api('POST', '/offices', { code: 'WEBB2', nameTh: 'สพป.อื่น ทดสอบสิทธิ์เว็บ' })).status).toBe(201);
  const tok = await api('POST', '/offices/WEBB2/tokens', { label: 'matrix' });
  cookies.otherOffice = await signInCookie(h, String(tok.json.token));
  personId = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE role = 'teacher' AND office_id = ${demo.office.id}::uuid
           ORDER BY display_name LIMIT 1`,
    )
  ).id;
  const school = (code: string | undefined) =>
    one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${code ?? ''}`).then((r) => r.id);
  read.schoolIn = await school(DEMO_SCHOOLS.find((s) => s.clusterCode === 'C1')?.code);
  read.schoolOut = await school(DEMO_SCHOOLS.find((s) => s.clusterCode === 'C2')?.code);
  read.principalOut = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE role = 'principal' AND school_id = ${read.schoolOut}::uuid`,
    )
  ).id;
  read.campaign = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT c.id FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
           WHERE c.office_id = ${demo.office.id}::uuid AND ck.key = 'needs-survey'`,
    )
  ).id;
  supervisorId = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE line_user_id = ${userId('web-matrix-supervisor')}`,
    )
  ).id;
}, SETUP_MS);
afterAll(() => h.close());

describe(`web pages: ${CELLS.length} cells × ${WHO.length} principals`, () => {
  for (const cell of CELLS) {
    for (const who of WHO) {
      const status = cell.expect[who];
      const allowed = status < 400;
      it(`${allowed ? 'ALLOWED' : 'DENIED'} ${who}: ${cell.label} → ${status}`, async () => {
        const before = allowed ? undefined : await footprint();
        const res = await request(cell, who);
        const body = await res.text();
        expect(res.status).toBe(status);
        if (before !== undefined) {
          expect(await footprint()).toEqual(before);
          for (const n of names) expect(body).not.toContain(n);
          for (const s of [...inside, ...outside]) expect(body).not.toContain(s);
          expect(body).not.toContain(demo.office.id);
        }
        if (who === 'supervisor' && allowed) {
          for (const s of outside) expect(body).not.toContain(s);
        }
      });
    }
  }
});

describe('what each role is shown', () => {
  const menu = async (who: Who) => {
    const html = await (await request(PAGES[0] as Cell, who)).text();
    return [...html.matchAll(/<nav class="office"[\s\S]*?<\/nav>/g)]
      .flatMap((m) => [...m[0].matchAll(/href="\/admin\/offices\/DEMO1([^"]*)"/g)])
      .map((m) => m[1]);
  };

  it('the menu shows each role only what it may open', async () => {
    expect(await menu('admin')).toEqual([
      '',
      '/people',
      '/campaigns',
      '/checklists',
      '/calendar',
      '/assignments',
      '/plan',
      '/schools',
      '/eqa',
      '/reports',
      '/office-sar',
      '/agencies',
      '/committee',
      '/exports',
      '/imports',
      '/invite-sheets',
      '/settings',
      '/pdpa',
      '/audit',
    ]);
    expect(await menu('director')).toEqual([
      '',
      '/people',
      '/campaigns',
      '/checklists',
      '/calendar',
      '/assignments',
      '/plan',
      '/schools',
      '/eqa',
      '/reports',
      '/office-sar',
      '/agencies',
      '/committee',
      '/exports',
      '/pdpa',
      '/audit',
    ]);
    expect(await menu('supervisor')).toEqual(['', '/campaigns', '/schools', '/reports']);
  });

  it("a supervisor in one of the office's groups is shown the office SAR, which lets them in; out again, neither", async () => {
    const sar = { label: 'GET the office SAR', method: 'GET' as const, path: () => '/admin/offices/DEMO1/office-sar' };
    await h.db.db.execute(
      sql`INSERT INTO office_groups (office_id, code, name_th, member_ids)
          VALUES (${demo.office.id}::uuid, 'matrix-group', 'กลุ่มทดสอบสิทธิ์', ARRAY[${supervisorId}::uuid])`,
    );
    try {
      expect(await menu('supervisor')).toEqual(['', '/campaigns', '/schools', '/reports', '/office-sar']);
      expect((await request({ ...sar, expect: PAGES[0]!.expect }, 'supervisor')).status).toBe(200);
    } finally {
      await h.db.db.execute(sql`DELETE FROM office_groups WHERE code = 'matrix-group'`);
    }
    expect(await menu('supervisor')).toEqual(['', '/campaigns', '/schools', '/reports']);
    expect((await request({ ...sar, expect: PAGES[0]!.expect }, 'supervisor')).status).toBe(403);
  });

  it("a committee member sees the committee's page only: its menu, no form, no school; signing in lands there", async () => {
    const cell = COMMITTEE[0] as Cell;
    const html = await (await request(cell, 'member')).text();
    const menu = [...html.matchAll(/<nav class="office"[\s\S]*?<\/nav>/g)]
      .flatMap((m) => [...m[0].matchAll(/href="\/admin\/offices\/DEMO1([^"]*)"/g)])
      .map((m) => m[1]);
    expect(menu).toEqual(['/committee']);
    expect(html).toContain('ท่านเห็นเฉพาะข้อมูลของคณะกรรมการ ก.ต.ป.น.');
    expect(html).not.toContain('<form method="post" action="/admin/offices/DEMO1/committee');
    for (const s of [...inside, ...outside]) expect(html).not.toContain(s);
    const home = await h.fetch('/admin/offices', { headers: { cookie: cookies.member }, redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/admin/offices/DEMO1/committee');
  });

  it('a member taken off the committee: their session ends at its next request', async () => {
    const api = adminApi(h);
    expect((await api('DELETE', `/offices/DEMO1/committee/members/${memberId}`)).status).toBe(204);
    const res = await request(COMMITTEE[0] as Cell, 'member');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it("a supervisor's dashboard lists their schools only and no office-wide figures", async () => {
    const html = await (await request(PAGES[0] as Cell, 'supervisor')).text();
    for (const s of inside) expect(html).toContain(s);
    for (const s of outside) expect(html).not.toContain(s);
    expect(html).not.toContain('data-figure="pending"');
    expect(html).not.toContain('data-figure="pdpa-open"');
  });

  it("a supervisor's completion counts their schools' subjects only, the admin's the whole office", async () => {
    const campaign = await one<{ id: string }>(
      h.db.db,
      sql`SELECT c.id FROM campaigns c WHERE c.office_id = ${demo.office.id}::uuid AND 'teacher' = ANY (c.roles)
           ORDER BY c.title_th LIMIT 1`,
    );
    // Counted here independently of the page's query: active or invited teachers of the supervisor's schools.
    const mine = await count(
      h.db.db,
      sql`people p JOIN schools s ON s.id = p.school_id
           WHERE p.office_id = ${demo.office.id}::uuid AND p.role = 'teacher' AND p.status <> 'erased'
             AND s.cluster_id IN (SELECT cluster_id FROM supervisor_assignments WHERE supervisor_id = ${supervisorId}::uuid)`,
    );
    const all = await count(
      h.db.db,
      sql`people p WHERE p.office_id = ${demo.office.id}::uuid AND p.role = 'teacher' AND p.status <> 'erased'`,
    );
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(all);
    const figure = async (who: Who) => {
      const html = await (await request(PAGES[1] as Cell, who)).text();
      const row = new RegExp(`data-campaign="${campaign.id}"[\\s\\S]*?data-figure="completion">([^<]*)<`).exec(html);
      return row?.[1]?.replace(/\s+/g, ' ').trim();
    };
    expect(await figure('supervisor')).toBe(`0 / ${mine} (0%)`);
    expect(await figure('admin')).toBe(`0 / ${all} (0%)`);
    // The export links are for those who may export.
    const supHtml = await (await request(PAGES[1] as Cell, 'supervisor')).text();
    expect(supHtml).not.toContain('/exports');
  });

  it('a director reads the people page but is offered no invite button, and the admin is', async () => {
    const cell = OFFICE_WIDE[0] as Cell;
    expect(await (await request(cell, 'director')).text()).not.toContain('/invite"');
    expect(await (await request(cell, 'admin')).text()).toContain('/invite"');
  });

  it('every page read and write is audited as the person who made it', async () => {
    const admin = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE line_user_id = ${userId('web-matrix-admin')}`,
    );
    expect(
      await count(h.db.db, sql`audit_log WHERE action = 'invites.issue' AND actor = ${`person:${admin.id}`}`),
    ).toBe(1);
    // A supervisor's one write is feedback on their school's SAR; their reads of their schools' answers are
    // audited, their refusals are not.
    const supervisorRows = await queryRows<{ action: string; target_id: string }>(
      h.db.db,
      sql`SELECT action, target_id FROM audit_log WHERE actor = ${`person:${supervisorId}`}
           AND action <> 'admin.signin' ORDER BY id`,
    );
    expect(supervisorRows).toEqual([
      { action: 'responses.list', target_id: read.campaign },
      { action: 'responses.list', target_id: read.schoolIn },
      { action: 'school.view', target_id: read.schoolIn },
      { action: 'sar.feedback', target_id: read.schoolIn },
    ]);
  });
});
