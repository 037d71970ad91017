// The admin API's authorization matrix, as a table of routes: every route refuses a missing or wrong token with
// 401 and writes nothing; the pages' session cookie opens reads only; every route under /offices/:office answers
// 404 for an unknown office; and office A's routes given office B's ids (people, schools, clusters, supervisors,
// assignments, campaigns, visits, calendar events, a channel id) answer 404, or 400 (409 for the channel) naming
// the field, and write nothing anywhere, while A's own ids succeed. Office A's own admin token reaches A's routes
// only: B's are 404 and write nothing, the deployment's routes (offices, the LINE channel, tokens) are 403, a
// revoked token is 401. Every audit row names who acted. A new route is one more line in ROUTES (and, when it
// takes ids, one more line in CROSS; when only the deployment token may use it, one more line in DEPLOYMENT_ONLY).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { ADMIN_COOKIE } from '../../src/admin/auth.js';
import { ADMIN, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

/** Seeding and linking on embedded PGlite, on two cores shared with other work, can outlast the default. */
const SETUP_MS = 180_000;

let h: Harness;
/** Ids and codes of both offices, filled in beforeAll. */
const A = {
  code: 'DEMO1',
  id: '',
  schoolCode: '',
  schoolId: '',
  supervisorId: '',
  personId: '',
  teacherId: '',
  erasedId: '',
  assignmentId: '',
  campaignId: '',
  sarCampaignId: '',
  visitId: '',
  eventId: '',
  /** A token the deployment's allowed cells revoke. */
  spareTokenId: '',
  /** A's office token, for the office-token cells. */
  token: '',
  tokenId: '',
  revokedToken: '',
};
const B = {
  code: 'OFFB',
  id: '',
  schoolCode: '2020202020',
  schoolId: '',
  clusterCode: 'BX1',
  supervisorId: '',
  personId: '',
  channel: 'offb',
  assignmentId: '',
  campaignId: '',
  visitId: '',
  eventId: '',
  tokenId: '',
};
const B_SECRET = '0123456789abcdef0123456789abcdef';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  /** `:office` is replaced by the office's code, `:id` by `id()`. */
  path: string;
  /** The id in the path that would succeed for office A. */
  id?: () => string;
  /** A query string that would succeed for office A (without the `?`). */
  query?: () => string;
  /** A body that would succeed for office A (JSON, or CSV when a string). */
  body?: () => unknown;
}

const csv = (...lines: string[]) => lines.join('\n');
const definition = () => ({
  schema: 'nithet.checklist/1',
  key: 'authz-survey',
  version: 1,
  title: { th: 'แบบสำรวจทดสอบสิทธิ์' },
  scope: 'person',
  items: [{ type: 'yes_no', key: 'ready', label: { th: 'พร้อมหรือไม่' } }],
});

/** Every admin API route that exists today (src/admin/*.routes.ts, exports.routes.ts, sar.routes.ts). */
const ROUTES: Route[] = [
  // offices.routes.ts
  { method: 'GET', path: '/offices' },
  { method: 'POST', path: '/offices', body: () => ({ code: 'OFFZ', nameTh: 'สพป.ทดสอบสิทธิ์' }) },
  { method: 'GET', path: '/offices/:office' },
  { method: 'PATCH', path: '/offices/:office', body: () => ({ quietStart: 21 }) },
  {
    method: 'PUT',
    path: '/offices/:office/channel',
    body: () => ({
      id: 'demo1-line',
      name: 'A',
      channelSecret: 'f'.repeat(32),
      channelAccessToken: 'a-token-0123456789abc',
    }),
  },
  // org.routes.ts
  { method: 'GET', path: '/offices/:office/clusters' },
  {
    method: 'POST',
    path: '/offices/:office/clusters',
    body: () => ({ clusters: [{ code: 'AZ1', nameTh: 'เครือข่ายทดสอบสิทธิ์' }] }),
  },
  { method: 'GET', path: '/offices/:office/schools' },
  {
    method: 'POST',
    path: '/offices/:office/schools',
    body: () => ({ schools: [{ code: '1212121212', nameTh: 'โรงเรียนทดสอบสิทธิ์' }] }),
  },
  { method: 'GET', path: '/offices/:office/schools/:id', id: () => A.schoolId },
  {
    method: 'PATCH',
    path: '/offices/:office/schools/:id',
    id: () => A.schoolId,
    body: () => ({ levels: ['primary'], tags: ['ทดสอบสิทธิ์'] }),
  },
  // eqa.routes.ts
  { method: 'GET', path: '/offices/:office/eqa' },
  {
    method: 'PUT',
    path: '/offices/:office/eqa/schools/:id',
    id: () => A.schoolId,
    body: () => ({ iqaSteps: ['plan'], scheduledOn: null, noteTh: null }),
  },
  {
    method: 'POST',
    path: '/offices/:office/eqa/schools/:id/results',
    id: () => A.schoolId,
    body: () => ({ assessedOn: '2027-01-15', levels: [{ standard: 1, level: 4 }] }),
  },
  // people.routes.ts
  { method: 'GET', path: '/offices/:office/people' },
  { method: 'GET', path: '/offices/:office/people/:id', id: () => A.personId },
  {
    method: 'POST',
    path: '/offices/:office/people',
    body: () => ({ people: [{ displayName: 'ครูทดสอบสิทธิ์', role: 'teacher', schoolCode: A.schoolCode }] }),
  },
  {
    method: 'PATCH',
    path: '/offices/:office/people/:id',
    id: () => A.personId,
    body: () => ({ displayName: 'ครูเปลี่ยนชื่อทดสอบสิทธิ์' }),
  },
  { method: 'GET', path: '/offices/:office/invites' },
  { method: 'POST', path: '/offices/:office/invites', body: () => ({ personIds: [A.personId] }) },
  // assignments.routes.ts
  { method: 'GET', path: '/offices/:office/assignments' },
  {
    method: 'POST',
    path: '/offices/:office/assignments',
    body: () => ({ assignments: [{ supervisorId: A.supervisorId, schoolCode: A.schoolCode, kind: 'joint' }] }),
  },
  { method: 'DELETE', path: '/offices/:office/assignments/:id', id: () => A.assignmentId },
  // campaigns.routes.ts
  { method: 'GET', path: '/offices/:office/checklists' },
  { method: 'POST', path: '/offices/:office/checklists', body: definition },
  { method: 'GET', path: '/offices/:office/checklists/needs-survey/versions/1?format=xlsx' },
  { method: 'GET', path: '/offices/:office/campaigns' },
  {
    method: 'POST',
    path: '/offices/:office/campaigns',
    body: () => ({
      titleTh: 'แบบสำรวจทดสอบสิทธิ์',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      dueAt: '2026-12-31',
    }),
  },
  {
    method: 'PATCH',
    path: '/offices/:office/campaigns/:id',
    id: () => A.campaignId,
    body: () => ({ dueAt: '2027-01-15' }),
  },
  // visits.routes.ts
  {
    method: 'POST',
    path: '/offices/:office/visits/plan',
    body: () => ({
      visits: [{ supervisorId: A.supervisorId, schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00' }],
    }),
  },
  { method: 'GET', path: '/offices/:office/visits' },
  { method: 'GET', path: '/offices/:office/visits/:id', id: () => A.visitId },
  // calendar.routes.ts
  { method: 'GET', path: '/offices/:office/calendar' },
  {
    method: 'POST',
    path: '/offices/:office/calendar',
    body: () => ({
      events: [{ id: A.eventId, kind: 'meeting', titleTh: 'ประชุมเลื่อนทดสอบสิทธิ์', startsOn: '2026-12-11' }],
    }),
  },
  { method: 'DELETE', path: '/offices/:office/calendar/:id', id: () => A.eventId },
  // audit.routes.ts
  { method: 'GET', path: '/offices/:office/audit' },
  // admin.routes.ts: imports, one line per kind
  {
    method: 'POST',
    path: '/offices/:office/imports/schools',
    body: () => csv('code,name', '1313131313,โรงเรียนนำเข้าทดสอบสิทธิ์'),
  },
  {
    method: 'POST',
    path: '/offices/:office/imports/people',
    body: () => csv('name,role,school_code,external_id', `ครูนำเข้าทดสอบสิทธิ์,teacher,${A.schoolCode},authz-import-1`),
  },
  {
    method: 'POST',
    path: '/offices/:office/imports/assignments',
    body: () => csv('supervisor_external_id,school_code,kind', `demo-supervisor-1,${A.schoolCode},joint`),
  },
  {
    method: 'POST',
    path: '/offices/:office/imports/plan',
    body: () =>
      csv('supervisor_external_id,school_code,date,time', `demo-supervisor-1,${A.schoolCode},3/12/2569,10:00`),
  },
  // exports.routes.ts and sar.routes.ts
  { method: 'GET', path: '/offices/:office/exports/responses', query: () => `campaign=${A.campaignId}&format=csv` },
  { method: 'GET', path: '/offices/:office/exports/visits', query: () => 'format=csv' },
  { method: 'GET', path: '/offices/:office/exports/completion', query: () => `campaign=${A.campaignId}&format=csv` },
  { method: 'GET', path: '/offices/:office/exports/sar', query: () => `campaign=${A.sarCampaignId}&format=csv` },
  // committee.routes.ts (issue 16)
  { method: 'GET', path: '/offices/:office/committee/members' },
  {
    method: 'POST',
    path: '/offices/:office/committee/members',
    body: () => ({ members: [{ personId: A.personId, committeeRole: 'member' }] }),
  },
  { method: 'GET', path: '/offices/:office/committee/meetings' },
  { method: 'GET', path: '/offices/:office/committee/plan' },
  {
    method: 'POST',
    path: '/offices/:office/committee/plan',
    body: () => ({
      items: [
        {
          academicYear: 2570,
          area: 'academic',
          titleTh: 'ติดตามการใช้หลักสูตร',
          tools: ['needs-survey'],
          startsOn: '2027-06-01',
          endsOn: '2027-08-31',
        },
      ],
    }),
  },
  { method: 'GET', path: '/offices/:office/committee/summary' },
  { method: 'GET', path: '/offices/:office/tasks', query: () => 'open=1' },
  // tokens.routes.ts
  { method: 'GET', path: '/offices/:office/tokens' },
  { method: 'POST', path: '/offices/:office/tokens', body: () => ({ label: 'ผู้ดูแลทดสอบสิทธิ์' }) },
  { method: 'DELETE', path: '/offices/:office/tokens/:id', id: () => A.spareTokenId },
];

/** Routes for the deployment token only: an office token gets 403 whatever the office. */
const DEPLOYMENT_ONLY = new Set([
  'POST /offices',
  'PUT /offices/:office/channel',
  'POST /offices/:office/tokens',
  'DELETE /offices/:office/tokens/:id',
]);

interface Given {
  headers: Record<string, string>;
  id?: string | undefined;
  query?: string | undefined;
  body?: unknown;
}
interface Answer {
  status: number;
  json: { error?: { code: string; issues?: { field: string; row?: number }[] } };
  text: string;
}

async function call(route: Route, office: string, given: Given): Promise<Answer> {
  const b = given.body ?? route.body?.();
  const isCsv = typeof b === 'string';
  const query = given.query ?? route.query?.();
  const path = route.path.replace(':office', office).replace(':id', given.id ?? route.id?.() ?? '');
  const res = await h.fetch(
    `/admin/api/v1${path}${query === undefined ? '' : `?${query}`}`,
    {
      method: route.method,
      headers: { 'content-type': isCsv ? 'text/csv; charset=utf-8' : 'application/json', ...given.headers },
      ...(b === undefined ? {} : { body: isCsv ? b : JSON.stringify(b) }),
    },
    nextClient(),
  );
  const text = await res.text();
  let json: Answer['json'] = {};
  if ((res.headers.get('content-type') ?? '').includes('application/json')) json = JSON.parse(text) as Answer['json'];
  return { status: res.status, json, text };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The deployment's web session, signed in once (beforeAll). */
let session = '';
const sessionCookie = () => Promise.resolve({ cookie: session });
/** Each call from its own address: the guess limit (5 wrong tokens per client per window) is tested elsewhere. */
let clients = 0;
const nextClient = () => {
  clients += 1;
  return `10.77.${Math.floor(clients / 250) % 250}.${(clients % 250) + 1}`;
};

/** Every table an admin route can write, digested: "nothing written" is an equal snapshot. */
const TABLES = [
  'offices',
  'eqa_schools',
  'eqa_results',
  'line_channels',
  'clusters',
  'schools',
  'people',
  'invites',
  'supervisor_assignments',
  'visits',
  'visit_actions',
  'checklists',
  'campaigns',
  'calendar_events',
  'outbox',
  'audit_log',
  'admin_tokens',
  'admin_sessions',
  'admin_signin_links',
];
async function snapshot(): Promise<Record<string, string>> {
  // Failed guesses are counted in the audit log (one row per client per window): a record of the attempt, not
  // something the credential wrote.
  const parts = TABLES.map(
    (t) =>
      `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x
         ${t === 'audit_log' ? "WHERE action <> 'admin.signin_failed'" : ''}) AS ${t}`,
  );
  return one<Record<string, string>>(h.db.db, sql.raw(`SELECT ${parts.join(', ')}`));
}
/** Office B's rows in every office-scoped table, digested: B before and after everything A did. */
async function snapshotOfB(): Promise<Record<string, string>> {
  const scoped = TABLES.filter((t) => t !== 'offices' && t !== 'visit_actions' && t !== 'outbox');
  const parts = [
    `(SELECT md5(x::text) FROM offices x WHERE id = '${B.id}') AS offices`,
    ...scoped.map(
      (t) =>
        `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x
           WHERE office_id = '${B.id}') AS ${t}`,
    ),
  ];
  return one<Record<string, string>>(h.db.db, sql.raw(`SELECT ${parts.join(', ')}`));
}

const BAD_CREDENTIALS: [string, () => Promise<Record<string, string>>][] = [
  ['no token', () => Promise.resolve({})],
  ['a wrong bearer token', () => Promise.resolve(bearer('wrong-token-0123456789'))],
  ['the token with one character changed', () => Promise.resolve(bearer(`${ADMIN.slice(0, -1)}X`))],
  ['the token in another scheme', () => Promise.resolve({ authorization: `Basic ${ADMIN}` })],
  ['an empty bearer', () => Promise.resolve({ authorization: 'Bearer ' })],
  ['a forged session cookie', () => Promise.resolve({ cookie: `${ADMIN_COOKIE}=${'F'.repeat(43)}` })],
  ['a revoked office token of A', () => Promise.resolve(bearer(A.revokedToken))],
  ['an office token never issued', () => Promise.resolve(bearer(`nta_${'A'.repeat(43)}`))],
  ['an office token as the session cookie', () => Promise.resolve({ cookie: `${ADMIN_COOKIE}=${A.token}` })],
];

let bBefore: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  const demo = await seedDemo(h.db.db, h.clock.now);
  session = await signInCookie(h);
  A.id = demo.office.id;
  const a = await one<{ code: string; sup: string; person: string; teacher: string; erased: string; asg: string }>(
    h.db.db,
    sql`SELECT (SELECT s.code FROM schools s JOIN clusters c ON c.id = s.cluster_id
                 WHERE s.office_id = ${A.id} AND c.code = 'C1' ORDER BY s.code LIMIT 1) AS code,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-supervisor-1') AS sup,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-1') AS person,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-2') AS teacher,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-3') AS erased,
               (SELECT a.id FROM supervisor_assignments a JOIN people p ON p.id = a.supervisor_id
                 WHERE a.office_id = ${A.id} AND p.external_id = 'demo-supervisor-2' AND a.kind = 'joint') AS asg`,
  );
  A.schoolCode = a.code;
  A.schoolId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${a.code}`)).id;
  A.supervisorId = a.sup;
  A.personId = a.person;
  A.teacherId = a.teacher;
  A.erasedId = a.erased;
  A.assignmentId = a.asg;
  await h.db.db.execute(sql`UPDATE people SET status = 'erased' WHERE id = ${A.erasedId}`);

  const adminCall = async (method: string, path: string, json: unknown) => {
    const res = await h.fetch(`/admin/api/v1${path}`, {
      method,
      headers: { ...bearer(ADMIN), 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.json<Record<string, unknown>>();
  };
  /** Both offices get a visit, a calendar event and a SAR campaign through the API, as an admin would. */
  const records = async (code: string, supervisorId: string, schoolCode: string) => {
    await adminCall('POST', `/offices/${code}/visits/plan`, {
      visits: [{ supervisorId, schoolCode, startsAt: '2026-12-02 09:00' }],
    });
    await adminCall('POST', `/offices/${code}/calendar`, {
      events: [{ kind: 'meeting', titleTh: 'ประชุมศึกษานิเทศก์', startsOn: '2026-12-10' }],
    });
    const sar = await adminCall('POST', `/offices/${code}/campaigns`, {
      titleTh: 'SAR ปีการศึกษา 2569 (ทดสอบสิทธิ์)',
      checklistKey: 'sar-basic',
      roles: ['principal'],
      dueAt: '2026-12-31',
    });
    const officeId = code === A.code ? A.id : B.id;
    const ids = await one<{ visit: string; event: string }>(
      h.db.db,
      sql`SELECT (SELECT id FROM visits WHERE office_id = ${officeId} ORDER BY created_at DESC LIMIT 1) AS visit,
                 (SELECT id FROM calendar_events WHERE office_id = ${officeId} LIMIT 1) AS event`,
    );
    return { visit: ids.visit, event: ids.event, sar: String(sar.id) };
  };

  B.id = String((await adminCall('POST', '/offices', { code: B.code, nameTh: 'สพม.ต่างเขต' })).id);
  await adminCall('PUT', `/offices/${B.code}/channel`, {
    id: B.channel,
    name: 'B',
    channelSecret: B_SECRET,
    channelAccessToken: 'office-b-token-0123456789',
  });
  await adminCall('POST', `/offices/${B.code}/schools`, {
    schools: [
      { code: B.schoolCode, nameTh: 'โรงเรียนต่างเขต', clusterCode: B.clusterCode, clusterNameTh: 'เครือข่ายต่างเขต' },
    ],
  });
  const people = await adminCall('POST', `/offices/${B.code}/people`, {
    people: [
      { displayName: 'ครูต่างเขต', role: 'teacher', schoolCode: B.schoolCode, externalId: 'b-teacher' },
      { displayName: 'ศน.ต่างเขต', role: 'supervisor', externalId: 'b-supervisor' },
    ],
    issueInvites: false,
  });
  B.schoolId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${B.schoolCode}`)).id;
  const ids = (people.people as { id: string }[]).map((p) => p.id);
  B.personId = ids[0] ?? '';
  B.supervisorId = ids[1] ?? '';
  await adminCall('POST', `/offices/${B.code}/assignments`, {
    assignments: [{ supervisorId: B.supervisorId, schoolCode: B.schoolCode }],
  });
  B.assignmentId = (
    await one<{ id: string }>(h.db.db, sql`SELECT id FROM supervisor_assignments WHERE office_id = ${B.id}`)
  ).id;
  const b = await records(B.code, B.supervisorId, B.schoolCode);
  B.visitId = b.visit;
  B.eventId = b.event;
  B.campaignId = b.sar;
  const own = await records(A.code, A.supervisorId, A.schoolCode);
  A.visitId = own.visit;
  A.eventId = own.event;
  A.sarCampaignId = own.sar;
  A.campaignId = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT c.id FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
           WHERE c.office_id = ${A.id} AND ck.key = 'needs-survey'`,
    )
  ).id;
  const token = async (code: string, label: string) => {
    const made = await adminCall('POST', `/offices/${code}/tokens`, { label });
    return { id: made.id as string, token: made.token as string };
  };
  B.tokenId = (await token(B.code, 'B')).id;
  A.spareTokenId = (await token(A.code, 'A spare')).id;
  const mine = await token(A.code, 'A');
  A.token = mine.token;
  A.tokenId = mine.id;
  const revoked = await token(A.code, 'A revoked');
  A.revokedToken = revoked.token;
  await adminCall('DELETE', `/offices/${A.code}/tokens/${revoked.id}`, undefined);
  // The token's first use writes last_used_at; later uses (same clock minute) write nothing, so snapshots compare.
  const warm = await h.fetch(`/admin/api/v1/offices/${A.code}`, { headers: bearer(A.token) });
  expect(warm.status).toBe(200);
  bBefore = await snapshotOfB();
}, SETUP_MS);
afterAll(() => h.close());

const label = (r: Route) => `${r.method} ${r.path}`;

describe(`admin API: ${ROUTES.length} routes × ${BAD_CREDENTIALS.length} bad credentials → 401, nothing written`, () => {
  for (const r of ROUTES) {
    it(`${label(r)}`, async () => {
      const before = await snapshot();
      for (const [what, headers] of BAD_CREDENTIALS) {
        const res = await call(r, A.code, { headers: await headers() });
        expect(res.status, `${label(r)} with ${what}`).toBe(401);
        expect(res.json.error?.code).toBe('unauthorized');
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

// The pages' session cookie is a read credential: a valid one opens GET routes and no route that writes (CSRF).
const writeRoutes = ROUTES.filter((r) => r.method !== 'GET');
const readRoutes = ROUTES.filter((r) => r.method === 'GET');
describe(`admin API: a valid session cookie → 401 on ${writeRoutes.length} writing routes, 200 on ${readRoutes.length} reads`, () => {
  for (const r of writeRoutes) {
    it(`DENIED ${label(r)} with the session cookie`, async () => {
      const before = await snapshot();
      const res = await call(r, A.code, { headers: await sessionCookie() });
      expect(res.status).toBe(401);
      expect(res.json.error?.code).toBe('unauthorized');
      expect(await snapshot()).toEqual(before);
    });
  }
  let sessionFrom = '';
  for (const r of readRoutes) {
    it(`ALLOWED ${label(r)} with the session cookie`, async () => {
      if (sessionFrom === '') sessionFrom = await lastAuditId();
      const res = await call(r, A.code, { headers: await sessionCookie() });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
    });
  }
  it('the reads the session cookie made are audited as the admin session', async () => {
    expect(await actorsSince(sessionFrom)).toEqual(['admin-session']);
  });
});

const officeRoutes = ROUTES.filter((r) => r.path.includes(':office'));
describe(`admin API: ${officeRoutes.length} office routes × an unknown office → 404, nothing written`, () => {
  for (const r of officeRoutes) {
    it(label(r), async () => {
      const before = await snapshot();
      for (const office of ['NOPE', '00000000-0000-4000-8000-000000000099']) {
        const res = await call(r, office, { headers: bearer(ADMIN) });
        expect(res.status, `${label(r)} for ${office}`).toBe(404);
        expect(res.json.error?.code).toBe('not_found');
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

/** Office A's route given B's ids: the status, the field named (for a 400/409), and nothing written anywhere. */
interface Cross {
  route: string;
  what: string;
  id?: () => string;
  query?: () => string;
  body?: () => unknown;
  status: 400 | 404 | 409;
  /** The field a 400/409 names; a 404 names none. */
  field?: string;
}
const visitRow = (over: Record<string, unknown>) => ({
  visits: [{ supervisorId: A.supervisorId, schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00', ...over }],
});
const CROSS: Cross[] = [
  // schools
  { route: 'GET /offices/:office/schools/:id', what: "B's school id", id: () => B.schoolId, status: 404 },
  {
    route: 'PUT /offices/:office/eqa/schools/:id',
    what: "B's school id",
    id: () => B.schoolId,
    body: () => ({ iqaSteps: ['plan'], scheduledOn: '2027-01-01', noteTh: null }),
    status: 404,
  },
  {
    route: 'POST /offices/:office/eqa/schools/:id/results',
    what: "B's school id",
    id: () => B.schoolId,
    body: () => ({ assessedOn: '2027-01-15', levels: [{ standard: 1, level: 1 }] }),
    status: 404,
  },
  {
    route: 'PATCH /offices/:office/schools/:id',
    what: "B's school id",
    id: () => B.schoolId,
    body: () => ({ nameTh: 'ยึดโรงเรียน', tags: ['ยึด'] }),
    status: 404,
  },
  // people and invites
  { route: 'GET /offices/:office/people/:id', what: "B's person id", id: () => B.personId, status: 404 },
  {
    route: 'PATCH /offices/:office/people/:id',
    what: "B's person id",
    id: () => B.personId,
    body: () => ({ displayName: 'ยึดคน', status: 'blocked' }),
    status: 404,
  },
  {
    route: 'PATCH /offices/:office/people/:id',
    what: "B's school code",
    body: () => ({ schoolCode: B.schoolCode }),
    status: 400,
    field: 'schoolCode',
  },
  {
    route: 'POST /offices/:office/invites',
    what: "B's person id",
    body: () => ({ personIds: [A.personId, B.personId] }),
    status: 400,
    field: 'personIds',
  },
  {
    route: 'POST /offices/:office/invites',
    what: "an erased person's id (same office: never linked again)",
    body: () => ({ personIds: [A.erasedId] }),
    status: 400,
    field: 'personIds',
  },
  {
    route: 'POST /offices/:office/people',
    what: "B's school code",
    body: () => ({ people: [{ displayName: 'ครูแฝง', role: 'teacher', schoolCode: B.schoolCode }] }),
    status: 400,
    field: 'schoolCode',
  },
  // assignments
  {
    route: 'DELETE /offices/:office/assignments/:id',
    what: "B's assignment id",
    id: () => B.assignmentId,
    status: 404,
  },
  {
    route: 'POST /offices/:office/assignments',
    what: "B's supervisor id",
    body: () => ({ assignments: [{ supervisorId: B.supervisorId, schoolCode: A.schoolCode }] }),
    status: 400,
    field: 'supervisorId',
  },
  {
    route: 'POST /offices/:office/assignments',
    what: "B's supervisor external id",
    body: () => ({ assignments: [{ supervisorExternalId: 'b-supervisor', schoolCode: A.schoolCode }] }),
    status: 400,
    field: 'supervisorExternalId',
  },
  {
    route: 'POST /offices/:office/assignments',
    what: "B's school code",
    body: () => ({ assignments: [{ supervisorId: A.supervisorId, schoolCode: B.schoolCode }] }),
    status: 400,
    field: 'schoolCode',
  },
  {
    route: 'POST /offices/:office/assignments',
    what: "B's cluster code",
    body: () => ({ assignments: [{ supervisorId: A.supervisorId, clusterCode: B.clusterCode }] }),
    status: 400,
    field: 'clusterCode',
  },
  {
    route: 'POST /offices/:office/assignments',
    what: "a teacher's id as the supervisor (same office, wrong role)",
    body: () => ({ assignments: [{ supervisorId: A.teacherId, schoolCode: A.schoolCode }] }),
    status: 400,
    field: 'supervisorId',
  },
  {
    route: 'POST /offices/:office/imports/assignments',
    what: "B's school code in the CSV",
    body: () => csv('supervisor_external_id,school_code,kind', `demo-supervisor-1,${B.schoolCode},joint`),
    status: 400,
    field: 'school_code',
  },
  {
    route: 'POST /offices/:office/imports/assignments',
    what: "B's supervisor external id in the CSV",
    body: () => csv('supervisor_external_id,school_code,kind', `b-supervisor,${A.schoolCode},joint`),
    status: 400,
    field: 'supervisor_external_id',
  },
  // campaigns and their exports
  {
    route: 'PATCH /offices/:office/campaigns/:id',
    what: "B's campaign id",
    id: () => B.campaignId,
    body: () => ({ close: true }),
    status: 404,
  },
  {
    route: 'POST /offices/:office/campaigns',
    what: "B's school code",
    body: () => ({
      titleTh: 'แบบสำรวจแฝง',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      schoolCodes: [B.schoolCode],
      dueAt: '2026-12-31',
    }),
    status: 400,
    field: 'schoolCodes.0',
  },
  {
    route: 'POST /offices/:office/campaigns',
    what: "B's cluster code",
    body: () => ({
      titleTh: 'แบบสำรวจแฝง',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      clusterCodes: [B.clusterCode],
      dueAt: '2026-12-31',
    }),
    status: 400,
    field: 'clusterCodes.0',
  },
  {
    route: 'GET /offices/:office/exports/responses',
    what: "B's campaign id",
    query: () => `campaign=${B.campaignId}&format=csv`,
    status: 404,
  },
  {
    route: 'GET /offices/:office/exports/completion',
    what: "B's campaign id",
    query: () => `campaign=${B.campaignId}&format=csv`,
    status: 404,
  },
  {
    route: 'GET /offices/:office/exports/sar',
    what: "B's SAR campaign id",
    query: () => `campaign=${B.campaignId}&format=csv`,
    status: 404,
  },
  // visits
  { route: 'GET /offices/:office/visits/:id', what: "B's visit id", id: () => B.visitId, status: 404 },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "B's school code",
    body: () => visitRow({ schoolCode: B.schoolCode }),
    status: 400,
    field: 'schoolCode',
  },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "B's supervisor id",
    body: () => visitRow({ supervisorId: B.supervisorId }),
    status: 400,
    field: 'supervisorId',
  },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "B's supervisor external id",
    body: () => ({
      visits: [{ supervisorExternalId: 'b-supervisor', schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00' }],
    }),
    status: 400,
    field: 'supervisorExternalId',
  },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "a teacher's id as the supervisor (same office, wrong role)",
    body: () => visitRow({ supervisorId: A.teacherId }),
    status: 400,
    field: 'supervisorId',
  },
  {
    route: 'POST /offices/:office/imports/plan',
    what: "B's supervisor external id in the CSV",
    body: () => csv('supervisor_external_id,school_code,date,time', `b-supervisor,${A.schoolCode},4/12/2569,10:00`),
    status: 400,
    field: 'supervisor_external_id',
  },
  // calendar
  { route: 'DELETE /offices/:office/calendar/:id', what: "B's event id", id: () => B.eventId, status: 404 },
  {
    route: 'POST /offices/:office/calendar',
    what: "B's event id (an update by id)",
    body: () => ({ events: [{ id: B.eventId, kind: 'holiday', titleTh: 'ยึดปฏิทิน', startsOn: '2026-12-12' }] }),
    status: 400,
    field: 'id',
  },
  // tokens
  { route: 'DELETE /offices/:office/tokens/:id', what: "B's token id", id: () => B.tokenId, status: 404 },
  // imports and the channel
  {
    route: 'POST /offices/:office/imports/people',
    what: "B's school code in the CSV",
    body: () => csv('name,role,school_code,external_id', `ครูแฝงนำเข้า,teacher,${B.schoolCode},authz-import-2`),
    status: 400,
    field: 'school_code',
  },
  {
    route: 'PUT /offices/:office/channel',
    what: "B's channel id (B's credentials must stay)",
    body: () => ({
      id: B.channel,
      name: 'ยึดช่อง',
      channelSecret: 'e'.repeat(32),
      channelAccessToken: 'stolen-0123456789abc',
    }),
    status: 409,
    field: 'id',
  },
];

const routeOf = (key: string): Route => {
  const r = ROUTES.find((x) => label(x) === key);
  if (r === undefined) throw new Error(`no route ${key}`);
  return r;
};

describe(`admin API: office A's routes with ids not theirs (office B's, wrong role, erased) — ${CROSS.length} denied cells`, () => {
  for (const c of CROSS) {
    it(`DENIED ${c.route} with ${c.what} → ${c.status} ${c.field ?? ''}`, async () => {
      const before = await snapshot();
      const res = await call(routeOf(c.route), A.code, {
        headers: bearer(ADMIN),
        id: c.id?.(),
        query: c.query?.(),
        body: c.body?.(),
      });
      expect(res.status, res.text.slice(0, 300)).toBe(c.status);
      if (c.field === undefined) expect(res.json.error?.code).toBe('not_found');
      else expect(res.json.error?.issues?.map((i) => i.field)).toContain(c.field);
      for (const id of [B.id, B.personId, B.supervisorId, B.campaignId, B.visitId, B.eventId, B.assignmentId]) {
        expect(res.text).not.toContain(id);
      }
      expect(await snapshot()).toEqual(before);
    });
  }
  it("B's channel still answers with B's own secret", async () => {
    const row = await one<{ office_id: string; name: string }>(
      h.db.db,
      sql`SELECT office_id, name FROM line_channels WHERE id = ${B.channel}`,
    );
    expect(row).toEqual({ office_id: B.id, name: 'B' });
  });
});

// A's lists show A's rows only: none of B's ids appears in any of them, the audit log included; B's own lists do
// show them (so a list that showed nothing would fail).
describe(`admin API: ${readRoutes.length} reads of office A show nothing of office B`, () => {
  const bIds = () => [
    B.id,
    B.personId,
    B.supervisorId,
    B.campaignId,
    B.visitId,
    B.eventId,
    B.assignmentId,
    B.schoolCode,
  ];
  for (const r of readRoutes.filter((x) => x.path.includes(':office'))) {
    it(`DENIED ${label(r)}: no id of B`, async () => {
      const res = await call(r, A.code, { headers: bearer(ADMIN) });
      expect(res.status).toBe(200);
      for (const id of bIds()) expect(res.text, label(r)).not.toContain(id);
    });
  }
  it("ALLOWED B's audit list holds B's campaign, A's does not", async () => {
    const audit = routeOf('GET /offices/:office/audit');
    const inB = await call(audit, B.code, { headers: bearer(ADMIN), query: 'limit=500' });
    expect(inB.text).toContain(B.campaignId);
    expect(inB.text).not.toContain(A.sarCampaignId);
    const inA = await call(audit, A.code, { headers: bearer(ADMIN), query: 'limit=500' });
    expect(inA.text).toContain(A.sarCampaignId);
    expect(inA.text).not.toContain(B.campaignId);
    expect(inA.text).not.toContain(B.id);
  });
  it("ALLOWED B's own reads show B's person, visit and campaign", async () => {
    const person = await call(routeOf('GET /offices/:office/people/:id'), B.code, {
      headers: bearer(ADMIN),
      id: B.personId,
    });
    expect(person.status).toBe(200);
    const visit = await call(routeOf('GET /offices/:office/visits/:id'), B.code, {
      headers: bearer(ADMIN),
      id: B.visitId,
    });
    expect(visit.status).toBe(200);
    const sar = await call(routeOf('GET /offices/:office/exports/sar'), B.code, {
      headers: bearer(ADMIN),
      query: `campaign=${B.campaignId}&format=csv`,
    });
    expect(sar.status).toBe(200);
    // Those reads were audited in B: B's baseline is taken again, for the allowed cells below.
    bBefore = await snapshotOfB();
  });
});

/** The actors of audit rows written since `after` (an audit_log id), each once. */
const actorsSince = async (after: string) =>
  (
    await one<{ actors: string[] | null }>(
      h.db.db,
      sql`SELECT array_agg(DISTINCT actor ORDER BY actor) AS actors FROM audit_log WHERE id > ${after}::bigint`,
    )
  ).actors ?? [];
const lastAuditId = async () =>
  (await one<{ id: string }>(h.db.db, sql`SELECT coalesce(max(id), 0)::text AS id FROM audit_log`)).id;

// Office A's own token: the office-token dimension of the matrix.
const officeTokenRoutes = ROUTES.filter((r) => !DEPLOYMENT_ONLY.has(label(r)));
const crossOfficeRoutes = officeRoutes.filter((r) => !DEPLOYMENT_ONLY.has(label(r)));
describe(`admin API: office A's token — ${crossOfficeRoutes.length} routes of B → 404, ${DEPLOYMENT_ONLY.size} deployment routes → 403, ${officeTokenRoutes.length} of A allowed`, () => {
  const asA = () => ({ headers: bearer(A.token) });
  for (const r of crossOfficeRoutes) {
    it(`DENIED ${label(r)} of office B (by code and by id) → 404, nothing written`, async () => {
      const before = await snapshot();
      for (const office of [B.code, B.id]) {
        const res = await call(r, office, asA());
        expect(res.status, `${label(r)} for ${office}: ${res.text.slice(0, 200)}`).toBe(404);
        expect(res.json.error?.code).toBe('not_found');
        expect(res.text).not.toContain(B.id);
      }
      expect(await snapshot()).toEqual(before);
      expect(await snapshotOfB()).toEqual(bBefore);
    });
  }
  for (const key of DEPLOYMENT_ONLY) {
    const r = routeOf(key);
    it(`DENIED ${key} → 403 for A's own office and for B, nothing written`, async () => {
      const before = await snapshot();
      for (const office of [A.code, B.code]) {
        const res = await call(r, office, asA());
        expect(res.status, `${key} for ${office}: ${res.text.slice(0, 200)}`).toBe(403);
        expect(res.json.error?.code).toBe('forbidden');
      }
      expect(await snapshot()).toEqual(before);
    });
  }
  it('GET /offices shows only office A', async () => {
    const res = await call(routeOf('GET /offices'), A.code, { ...asA(), query: 'limit=500' });
    expect(res.status).toBe(200);
    const items = (res.json as { items?: { code: string }[] }).items ?? [];
    expect(items.map((o) => o.code)).toEqual([A.code]);
  });

  // Deleting routes get rows of their own, so the deployment's allowed cells below still find A's.
  const fresh: Record<string, string> = {};
  let auditFrom = '';
  it(`ALLOWED ${officeTokenRoutes.length} routes of office A, each audited as A's token`, async () => {
    const deployment = async (method: string, path: string, json: unknown) => {
      const res = await h.fetch(`/admin/api/v1${path}`, {
        method,
        headers: { ...bearer(ADMIN), 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
      expect(res.status).toBeLessThan(300);
    };
    await deployment('POST', `/offices/${A.code}/assignments`, {
      assignments: [{ supervisorId: A.supervisorId, schoolCode: A.schoolCode, kind: 'joint' }],
    });
    await deployment('POST', `/offices/${A.code}/calendar`, {
      events: [{ kind: 'meeting', titleTh: 'ประชุมทดสอบโทเคนสำนักงาน', startsOn: '2026-12-20' }],
    });
    const ids = await one<{ asg: string; event: string }>(
      h.db.db,
      sql`SELECT (SELECT a.id FROM supervisor_assignments a JOIN schools s ON s.id = a.school_id
                   WHERE a.office_id = ${A.id} AND a.supervisor_id = ${A.supervisorId} AND s.code = ${A.schoolCode}
                     AND a.kind = 'joint') AS asg,
                 (SELECT id FROM calendar_events WHERE office_id = ${A.id}
                     AND title_th = 'ประชุมทดสอบโทเคนสำนักงาน') AS event`,
    );
    fresh['DELETE /offices/:office/assignments/:id'] = ids.asg;
    fresh['DELETE /offices/:office/calendar/:id'] = ids.event;

    auditFrom = await lastAuditId();
    const failures: string[] = [];
    for (const r of officeTokenRoutes) {
      const res = await call(r, A.code, { ...asA(), id: fresh[label(r)] });
      if (res.status >= 300) failures.push(`${label(r)} → ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await actorsSince(auditFrom)).toEqual([`office-token:${A.tokenId}`]);
    expect(await snapshotOfB()).toEqual(bBefore);
  });
});

// Every write route is atomic: with the database refusing the route's audit row (the last thing each writes), the
// route's other writes roll back with it. A route that wrote in two steps would leave its first write behind.
describe(`admin API: ${writeRoutes.length} writing routes with the audit row refused → nothing written`, () => {
  beforeAll(async () => {
    await h.db.db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'audit refused for the test' USING ERRCODE = 'P0001'; END $$`),
    );
    await h.db.db.execute(
      sql.raw(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
               WHEN (NEW.action <> 'admin.signin_failed') EXECUTE FUNCTION refuse_audit()`),
    );
  });
  afterAll(async () => {
    await h.db.db.execute(sql.raw('DROP TRIGGER refuse_audit ON audit_log'));
  });
  for (const r of writeRoutes) {
    it(`ATOMIC ${label(r)}`, async () => {
      const before = await snapshot();
      const res = await call(r, A.code, { headers: bearer(ADMIN) });
      // Refused, or (a checklist published before, unchanged) nothing to write and so nothing to audit.
      expect(res.status >= 500 || res.status === 200, `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
      expect(await snapshot()).toEqual(before);
    });
  }
  it('ATOMIC the pages’ invite form', async () => {
    const before = await snapshot();
    const res = await h.fetch(`/admin/offices/${A.code}/people/${A.personId}/invite`, {
      method: 'POST',
      headers: { cookie: session, origin: 'http://nithet.test' },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await snapshot()).toEqual(before);
  });
});

// The allowed cells: each office route with A's own ids succeeds (so a route that refused everything would fail).
let deploymentFrom = '';
describe(`admin API: ${ROUTES.length} allowed cells (A's route, A's ids)`, () => {
  beforeAll(async () => {
    deploymentFrom = await lastAuditId();
  });
  for (const r of ROUTES) {
    it(`ALLOWED ${label(r)}`, async () => {
      const res = await call(r, A.code, { headers: bearer(ADMIN) });
      expect(res.status, res.text.slice(0, 300)).toBeLessThan(300);
    });
  }
  it('wrote nothing into office B', async () => {
    expect(await snapshotOfB()).toEqual(bBefore);
  });
  it('audited every row as the deployment token', async () => {
    expect(await actorsSince(deploymentFrom)).toEqual(['deployment-token']);
  });
});
