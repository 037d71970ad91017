// The admin API's authorization matrix, as a table of routes: every route refuses a missing or wrong token with
// 401 and writes nothing; every route under /offices/:office answers 404 for an unknown office; and office A's
// routes given office B's ids (people, school codes, supervisors, a channel id) answer 400 (409 for the channel)
// naming the field, and write nothing anywhere, while A's own ids succeed. A new route is one more line in ROUTES
// (and, when it takes ids, one more line in CROSS).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { adminSessionValue, ADMIN_COOKIE } from '../../src/admin/auth.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

/** Seeding and linking on embedded PGlite, on two cores shared with other work, can outlast the default. */
const SETUP_MS = 180_000;

let h: Harness;
let demo: DemoSeed;
/** Ids and codes of both offices, filled in beforeAll. */
const A = { code: 'DEMO1', id: '', schoolCode: '', supervisorId: '', personId: '', teacherId: '', erasedId: '' };
const B = { code: 'OFFB', id: '', schoolCode: '2020202020', supervisorId: '', personId: '', channel: 'offb' };
const B_SECRET = '0123456789abcdef0123456789abcdef';

interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** `:office` is replaced by the office's code. */
  path: string;
  /** A body that would succeed for office A (JSON, or CSV when a string). */
  body?: () => unknown;
}

const csv = (...lines: string[]) => lines.join('\n');
/** Every admin API route that exists today. */
const ROUTES: Route[] = [
  { method: 'GET', path: '/offices' },
  { method: 'POST', path: '/offices', body: () => ({ code: 'OFFZ', nameTh: 'สพป.ทดสอบสิทธิ์' }) },
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
  {
    method: 'POST',
    path: '/offices/:office/schools',
    body: () => ({ schools: [{ code: '1212121212', nameTh: 'โรงเรียนทดสอบสิทธิ์' }] }),
  },
  {
    method: 'POST',
    path: '/offices/:office/people',
    body: () => ({ people: [{ displayName: 'ครูทดสอบสิทธิ์', role: 'teacher', schoolCode: A.schoolCode }] }),
  },
  { method: 'POST', path: '/offices/:office/invites', body: () => ({ personIds: [A.personId] }) },
  {
    method: 'POST',
    path: '/offices/:office/visits/plan',
    body: () => ({
      visits: [{ supervisorId: A.supervisorId, schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00' }],
    }),
  },
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
];

async function call(route: Route, office: string, headers: Record<string, string>, bodyOverride?: unknown) {
  const b = bodyOverride ?? route.body?.();
  const isCsv = typeof b === 'string';
  const res = await h.fetch(`/admin/api/v1${route.path.replace(':office', office)}`, {
    method: route.method,
    headers: { 'content-type': isCsv ? 'text/csv; charset=utf-8' : 'application/json', ...headers },
    ...(b === undefined ? {} : { body: isCsv ? b : JSON.stringify(b) }),
  });
  return {
    status: res.status,
    json: await res.json<{ error?: { code: string; issues?: { field: string; row?: number }[] } }>(),
  };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every table an admin route can write, digested: "nothing written" is an equal snapshot. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = [
    'offices',
    'line_channels',
    'clusters',
    'schools',
    'people',
    'invites',
    'supervisor_assignments',
    'visits',
    'campaigns',
    'outbox',
    'audit_log',
  ];
  const parts = tables.map(
    (t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x) AS ${t}`,
  );
  return one<Record<string, string>>(h.db.db, sql.raw(`SELECT ${parts.join(', ')}`));
}

const BAD_CREDENTIALS: [string, () => Promise<Record<string, string>>][] = [
  ['no token', () => Promise.resolve({})],
  ['a wrong bearer token', () => Promise.resolve(bearer('wrong-token-0123456789'))],
  ['the token with one character changed', () => Promise.resolve(bearer(`${ADMIN.slice(0, -1)}X`))],
  ['the token in another scheme', () => Promise.resolve({ authorization: `Basic ${ADMIN}` })],
  ['an empty bearer', () => Promise.resolve({ authorization: 'Bearer ' })],
  ['a forged session cookie', async () => ({ cookie: `${ADMIN_COOKIE}=${await adminSessionValue('not-the-token')}` })],
];

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  A.id = demo.office.id;
  const a = await one<{ code: string; sup: string; person: string }>(
    h.db.db,
    sql`SELECT (SELECT s.code FROM schools s JOIN clusters c ON c.id = s.cluster_id
                 WHERE s.office_id = ${A.id} AND c.code = 'C1' ORDER BY s.code LIMIT 1) AS code,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-supervisor-1') AS sup,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-1') AS person`,
  );
  A.schoolCode = a.code;
  A.supervisorId = a.sup;
  A.personId = a.person;
  const more = await one<{ teacher: string; erased: string }>(
    h.db.db,
    sql`SELECT (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-2') AS teacher,
               (SELECT id FROM people WHERE office_id = ${A.id} AND external_id = 'demo-teacher-1-3') AS erased`,
  );
  A.teacherId = more.teacher;
  A.erasedId = more.erased;
  await h.db.db.execute(sql`UPDATE people SET status = 'erased' WHERE id = ${A.erasedId}`);

  const adminCall = async (method: string, path: string, json: unknown) => {
    const res = await h.fetch(`/admin/api/v1${path}`, {
      method,
      headers: { ...bearer(ADMIN), 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status).toBeLessThan(300);
    return res.json<Record<string, unknown>>();
  };
  B.id = String((await adminCall('POST', '/offices', { code: B.code, nameTh: 'สพม.ต่างเขต' })).id);
  await adminCall('PUT', `/offices/${B.code}/channel`, {
    id: B.channel,
    name: 'B',
    channelSecret: B_SECRET,
    channelAccessToken: 'office-b-token-0123456789',
  });
  await adminCall('POST', `/offices/${B.code}/schools`, { schools: [{ code: B.schoolCode, nameTh: 'โรงเรียนต่างเขต' }] });
  const people = await adminCall('POST', `/offices/${B.code}/people`, {
    people: [
      { displayName: 'ครูต่างเขต', role: 'teacher', schoolCode: B.schoolCode, externalId: 'b-teacher' },
      { displayName: 'ศน.ต่างเขต', role: 'supervisor', externalId: 'b-supervisor' },
    ],
    issueInvites: false,
  });
  const ids = (people.people as { id: string }[]).map((p) => p.id);
  B.personId = ids[0] ?? '';
  B.supervisorId = ids[1] ?? '';
}, SETUP_MS);
afterAll(() => h.close());

const label = (r: Route) => `${r.method} ${r.path}`;

describe(`admin API: ${ROUTES.length} routes × ${BAD_CREDENTIALS.length} bad credentials → 401, nothing written`, () => {
  for (const r of ROUTES) {
    it(`${label(r)}`, async () => {
      const before = await snapshot();
      for (const [what, headers] of BAD_CREDENTIALS) {
        const res = await call(r, A.code, await headers());
        expect(res.status, `${label(r)} with ${what}`).toBe(401);
        expect(res.json.error?.code).toBe('unauthorized');
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

// The pages' session cookie is a read credential: a valid one opens GET routes and no route that writes (CSRF).
const writeRoutes = ROUTES.filter((r) => r.method !== 'GET');
describe(`admin API: a valid session cookie → 401 on ${writeRoutes.length} writing routes, 200 on reads`, () => {
  for (const r of writeRoutes) {
    it(`DENIED ${label(r)} with the session cookie`, async () => {
      const before = await snapshot();
      const res = await call(r, A.code, { cookie: `${ADMIN_COOKIE}=${await adminSessionValue(ADMIN)}` });
      expect(res.status).toBe(401);
      expect(await snapshot()).toEqual(before);
    });
  }
  it('ALLOWED GET /offices with the session cookie', async () => {
    const res = await call(ROUTES[0] as Route, A.code, { cookie: `${ADMIN_COOKIE}=${await adminSessionValue(ADMIN)}` });
    expect(res.status).toBe(200);
  });
});

const officeRoutes = ROUTES.filter((r) => r.path.includes(':office'));
describe(`admin API: ${officeRoutes.length} office routes × an unknown office → 404, nothing written`, () => {
  for (const r of officeRoutes) {
    it(label(r), async () => {
      const before = await snapshot();
      for (const office of ['NOPE', '00000000-0000-4000-8000-000000000099']) {
        expect((await call(r, office, bearer(ADMIN))).status, `${label(r)} for ${office}`).toBe(404);
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

/** Office A's route given B's ids: the status, the field named, and nothing written anywhere. */
interface Cross {
  route: string;
  what: string;
  body: () => unknown;
  status: 400 | 409;
  field: string;
}
const CROSS: Cross[] = [
  {
    route: 'POST /offices/:office/invites',
    what: "B's person id",
    body: () => ({ personIds: [A.personId, B.personId] }),
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
  {
    route: 'POST /offices/:office/visits/plan',
    what: "B's school code",
    body: () => ({
      visits: [{ supervisorId: A.supervisorId, schoolCode: B.schoolCode, startsAt: '2026-12-01 09:00' }],
    }),
    status: 400,
    field: 'schoolCode',
  },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "B's supervisor id",
    body: () => ({
      visits: [{ supervisorId: B.supervisorId, schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00' }],
    }),
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
    route: 'POST /offices/:office/imports/people',
    what: "B's school code in the CSV",
    body: () => csv('name,role,school_code,external_id', `ครูแฝงนำเข้า,teacher,${B.schoolCode},authz-import-2`),
    status: 400,
    field: 'school_code',
  },
  {
    route: 'POST /offices/:office/visits/plan',
    what: "a teacher's id as the supervisor (same office, wrong role)",
    body: () => ({ visits: [{ supervisorId: A.teacherId, schoolCode: A.schoolCode, startsAt: '2026-12-01 09:00' }] }),
    status: 400,
    field: 'supervisorId',
  },
  {
    route: 'POST /offices/:office/invites',
    what: "an erased person's id (same office: never linked again)",
    body: () => ({ personIds: [A.erasedId] }),
    status: 400,
    field: 'personIds',
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

describe(`admin API: office A's routes with ids not theirs (office B's, wrong role, erased) — ${CROSS.length} denied cells (400/409 naming the field)`, () => {
  for (const c of CROSS) {
    it(`DENIED ${c.route} with ${c.what} → ${c.status} ${c.field}`, async () => {
      const before = await snapshot();
      const res = await call(routeOf(c.route), A.code, bearer(ADMIN), c.body());
      expect(res.status).toBe(c.status);
      expect(res.json.error?.issues?.map((i) => i.field)).toContain(c.field);
      expect(JSON.stringify(res.json)).not.toContain(B.id);
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

// The allowed cells: each office route with A's own ids succeeds (so a route that refused everything would fail).
describe(`admin API: ${ROUTES.length} allowed cells (A's route, A's ids)`, () => {
  for (const r of ROUTES) {
    it(`ALLOWED ${label(r)}`, async () => {
      const res = await call(r, A.code, bearer(ADMIN));
      expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
    });
  }
  it('wrote only into office A (and the new office)', async () => {
    const b = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT (SELECT count(*) FROM people WHERE office_id = ${B.id})::int
               + (SELECT count(*) FROM schools WHERE office_id = ${B.id})::int
               + (SELECT count(*) FROM visits WHERE office_id = ${B.id})::int AS n`,
    );
    expect(b[0]?.n).toBe(3);
  });
});
