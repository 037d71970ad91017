// Every admin list pages the same way: 250 rows at limit 100 are 3 pages with each row exactly once (keyset on a
// sort key with ties broken by id, so equal names, dates and times neither repeat nor drop rows), only the office's
// own rows, and a limit or cursor that is not ours is a 400 naming that parameter.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { decodeCursor, encodeCursor } from '../../src/admin/page.js';
import { startHarness, type Harness } from '../support/harness.js';
import { adminApi, walk, type Api } from './api.js';

let h: Harness;
let api: Api;
let office = '';

const N = 250;

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  const db = h.db.db;
  await db.execute(sql`INSERT INTO offices (code, name_th)
    SELECT 'PG' || lpad(g::text, 3, '0'), 'สำนักงานทดสอบ ' || g FROM generate_series(1, ${N}) g`);
  const [o] = await queryRows<{ id: string }>(db, sql`SELECT id FROM offices WHERE code = 'PG001'`);
  office = o?.id ?? '';
  // The same rows for a second office, which no list of PG001 may show.
  for (const code of ['PG001', 'PG002']) {
    const rows = code === 'PG001' ? N : 7;
    await db.execute(sql`
      WITH o AS (SELECT id FROM offices WHERE code = ${code}),
      cl AS (INSERT INTO clusters (office_id, code, name_th)
             SELECT o.id, 'K' || lpad(g::text, 3, '0'), 'เครือข่าย ' || g FROM o, generate_series(1, ${rows}) g
             RETURNING id, office_id, code),
      s AS (INSERT INTO schools (office_id, code, name_th, cluster_id)
            SELECT cl.office_id, '77' || lpad(substr(cl.code, 2), 8, '0'), 'โรงเรียนทดสอบ ' || cl.code, cl.id FROM cl
            RETURNING id, office_id),
      sup AS (INSERT INTO people (office_id, role, display_name, external_id)
              SELECT o.id, 'supervisor', 'ศน.ทดสอบ', 'sup-' || ${code} FROM o RETURNING id, office_id),
      -- Ten names only: the name ties are broken by id.
      t AS (INSERT INTO people (office_id, role, display_name, school_id)
            SELECT s.office_id, 'teacher', 'ครูทดสอบ ' || (row_number() OVER () % 10), s.id FROM s
            RETURNING id, office_id, school_id),
      inv AS (INSERT INTO invites (office_id, person_id, code_hash, expires_at, created_at)
              SELECT t.office_id, t.id, 'hash-' || t.id, '2027-01-01', '2026-11-01' FROM t RETURNING 1),
      asg AS (INSERT INTO supervisor_assignments (office_id, supervisor_id, school_id)
              SELECT s.office_id, sup.id, s.id FROM s JOIN sup ON sup.office_id = s.office_id RETURNING 1),
      vis AS (INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th)
              SELECT gen_random_uuid(), s.office_id, s.id, sup.id,
                     '2026-12-01T02:00:00Z'::timestamptz + (row_number() OVER () % 3) * interval '1 day', 'นิเทศ'
                FROM s JOIN sup ON sup.office_id = s.office_id RETURNING 1)
      SELECT (SELECT count(*) FROM inv) + (SELECT count(*) FROM asg) + (SELECT count(*) FROM vis)`);
    await db.execute(sql`
      WITH o AS (SELECT id FROM offices WHERE code = ${code}),
      ck AS (INSERT INTO checklists (office_id, key, version, title_th, scope, definition)
             SELECT o.id, 'pg-test', g, 'แบบทดสอบ', 'person', '{}'::jsonb FROM o, generate_series(1, ${rows}) g
             RETURNING id, office_id, version),
      cp AS (INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
             SELECT ck.office_id, ck.id, 'การสำรวจ ' || ck.version, '{teacher}', '2026-11-01',
                    '2026-12-01'::timestamptz + (ck.version % 4) * interval '1 day' FROM ck RETURNING 1),
      ev AS (INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on)
             SELECT o.id, 'meeting', 'ประชุม ' || g, '2026-12-01'::date + g % 5, '2026-12-01'::date + g % 5
               FROM o, generate_series(1, ${rows}) g RETURNING 1),
      au AS (INSERT INTO audit_log (office_id, actor, action)
             SELECT o.id, 'test', 'test.row' FROM o, generate_series(1, ${rows}) g RETURNING 1)
      SELECT (SELECT count(*) FROM cp) + (SELECT count(*) FROM ev) + (SELECT count(*) FROM au)`);
  }
});
afterAll(() => h.close());

async function ids(from: ReturnType<typeof sql>): Promise<string[]> {
  return (await queryRows<{ id: string }>(h.db.db, sql`SELECT id::text AS id FROM ${from}`)).map((r) => r.id).sort();
}

describe('admin list pagination', () => {
  const lists: { path: string; table: () => ReturnType<typeof sql>; key?: string }[] = [
    { path: '/offices/PG001/clusters', table: () => sql`clusters WHERE office_id = ${office}` },
    { path: '/offices/PG001/schools', table: () => sql`schools WHERE office_id = ${office}` },
    {
      path: '/offices/PG001/people?role=teacher',
      table: () => sql`people WHERE office_id = ${office} AND role = 'teacher'`,
    },
    { path: '/offices/PG001/invites', table: () => sql`invites WHERE office_id = ${office}` },
    { path: '/offices/PG001/assignments', table: () => sql`supervisor_assignments WHERE office_id = ${office}` },
    { path: '/offices/PG001/visits', table: () => sql`visits WHERE office_id = ${office}` },
    { path: '/offices/PG001/campaigns', table: () => sql`campaigns WHERE office_id = ${office}` },
    { path: '/offices/PG001/checklists', table: () => sql`checklists WHERE office_id = ${office}` },
    { path: '/offices/PG001/calendar', table: () => sql`calendar_events WHERE office_id = ${office}` },
    { path: '/offices', table: () => sql`offices` },
  ];

  for (const list of lists) {
    it(`GET ${list.path}: ${N} rows at limit 100 are 3 pages, each row once, only this office's`, async () => {
      const { pages, items } = await walk<{ id: string }>(api, list.path, 100);
      expect(pages).toBe(3);
      const got = items.map((i) => i.id);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual(await ids(list.table()));
    });
  }

  it('GET audit: newest first, every row once (the walk itself adds none)', async () => {
    const { pages, items } = await walk<{ id: string; action: string }>(api, '/offices/PG001/audit', 100);
    const expected = await ids(sql`audit_log WHERE office_id = ${office}`);
    expect(expected.length).toBeGreaterThan(N); // the lists above audited their reads of people
    expect(pages).toBe(Math.ceil(expected.length / 100));
    const got = items.map((i) => Number(i.id));
    expect(got).toEqual([...got].sort((a, b) => b - a));
    expect(got.map(String).sort()).toEqual(expected);
  });

  it('orders people by name, ties by id, across page boundaries', async () => {
    const { items } = await walk<{ id: string; displayName: string }>(api, '/offices/PG001/people?role=teacher', 7);
    // Each name is one block (names ascend in the database's collation), and within a block ids ascend.
    const blocks = items.map((p) => p.displayName).filter((n, i, all) => i === 0 || all[i - 1] !== n);
    expect(blocks.length).toBe(10);
    expect(new Set(blocks).size).toBe(10);
    items.forEach((p, i) => {
      const prev = items[i - 1];
      if (prev !== undefined && prev.displayName === p.displayName) expect(prev.id < p.id).toBe(true);
    });
  });

  it('answers each list with a fixed number of statements, however many rows (no query per row)', async () => {
    const db = h.deps.db;
    const execute = db.execute.bind(db);
    let statements = 0;
    db.execute = (query: Parameters<typeof execute>[0]) => {
      statements += 1;
      return execute(query);
    };
    try {
      for (const list of lists) {
        const counts: number[] = [];
        for (const limit of [2, 500]) {
          statements = 0;
          const sep = list.path.includes('?') ? '&' : '?';
          expect((await api('GET', `${list.path}${sep}limit=${limit}`)).status).toBe(200);
          counts.push(statements);
        }
        // The guard's guess limit (the guess reserved before the token is compared, then given back for a right
        // token), the office lookup, the page, and for lists of people the audit row.
        expect(counts[0], list.path).toBe(counts[1]);
        expect(counts[1], list.path).toBeLessThanOrEqual(5);
      }
    } finally {
      db.execute = execute;
    }
  });

  it('defaults to 100 rows and allows 500 at most', async () => {
    const first = await api('GET', '/offices/PG001/schools');
    expect((first.json.items as unknown[]).length).toBe(100);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const all = await api('GET', '/offices/PG001/schools?limit=500');
    expect((all.json.items as unknown[]).length).toBe(N);
    expect(all.json.nextCursor).toBeNull();
    for (const limit of ['0', '501', 'ten', '2.5']) {
      const bad = await api('GET', `/offices/PG001/schools?limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(bad.json.error?.issues?.map((i) => i.field)).toEqual(['limit']);
    }
  });

  it('refuses a cursor that is not one of this list (rather than starting over)', async () => {
    for (const cursor of ['garbage!', encodeCursor(['a', 'b', 'c']), encodeCursor([])]) {
      const bad = await api('GET', `/offices/PG001/people?cursor=${encodeURIComponent(cursor)}`);
      expect(bad.status).toBe(400);
      expect(bad.json.error?.issues).toEqual([{ field: 'cursor', message: 'not a cursor from this list' }]);
    }
    const audit = await api('GET', `/offices/PG001/audit?cursor=${encodeCursor(['1; DROP TABLE x'])}`);
    expect(audit.status).toBe(400);
  });

  it('refuses an unknown filter, naming it', async () => {
    const bad = await api('GET', '/offices/PG001/people?rol=teacher');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([{ field: 'rol', message: 'unknown field' }]);
  });

  it('round-trips Thai text in a cursor', () => {
    const key = ['ครูทดสอบ ๑', '2026-11-20T02:00:00.123456+00:00'];
    expect(decodeCursor(encodeCursor(key), ['text', 'timestamp'])).toEqual(key);
    expect(() => decodeCursor(encodeCursor(key), ['text', 'timestamp', 'uuid'])).toThrow(/cursor/i);
    // Each part is checked for its kind: a text where a timestamp or uuid belongs is refused, not cast in SQL.
    expect(() => decodeCursor(encodeCursor(key), ['timestamp', 'timestamp'])).toThrow(/cursor/i);
    expect(() => decodeCursor(encodeCursor(['x', 'not-a-uuid']), ['text', 'uuid'])).toThrow(/cursor/i);
  });
});
