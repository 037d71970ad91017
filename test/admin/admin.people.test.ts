// People, invites and supervisor assignments through the admin API: filters, the LINE id never shown, edits
// checked against the office's schools and the role rules, invite states without codes, assignment upserts on
// their natural key, reads of people audited, and nothing across offices.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

let h: Harness;
let api: Api;
let demo: DemoSeed;
let strangerId = '';
let strangerAssignment = '';

const idOf = async (externalId: string) =>
  (await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = ${externalId}`)).id;

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  demo = await seedDemo(h.db.db, h.clock.now);
  await api('POST', '/offices', { code: 'OTHER', nameTh: 'สพม.อื่น ทดสอบ' });
  await api('POST', '/offices/OTHER/schools', {
    schools: [{ code: '5550000001', nameTh: 'โรงเรียนต่างเขต', clusterCode: 'C1', clusterNameTh: 'เครือข่ายต่างเขต' }],
  });
  const res = await api('POST', '/offices/OTHER/people', {
    people: [
      { displayName: 'ศน.ต่างเขต ทดสอบ', role: 'supervisor', externalId: 'other-sup' },
      { displayName: 'ครูต่างเขต ทดสอบ', role: 'teacher', schoolCode: '5550000001', externalId: 'other-t' },
    ],
  });
  strangerId = (res.json.people as { id: string }[])[0]?.id ?? '';
  await api('POST', '/offices/OTHER/assignments', {
    assignments: [{ supervisorExternalId: 'other-sup', clusterCode: 'C1' }],
  });
  strangerAssignment = (
    await one<{ id: string }>(h.db.db, sql`SELECT id FROM supervisor_assignments WHERE supervisor_id = ${strangerId}`)
  ).id;
});
afterAll(() => h.close());

describe('people', () => {
  it('401 without a token', async () => {
    expect((await api('GET', '/offices/DEMO1/people', undefined, null)).status).toBe(401);
    expect((await api('PATCH', `/offices/DEMO1/people/${strangerId}`, { role: 'teacher' }, null)).status).toBe(401);
    expect((await api('GET', '/offices/DEMO1/invites', undefined, null)).status).toBe(401);
  });

  it('filters by role, school, status and a name search; only this office', async () => {
    const list = async (q: string) =>
      (await api('GET', `/offices/DEMO1/people?limit=500&${q}`)).json.items as { role: string; schoolCode: string }[];
    expect((await list('role=principal')).length).toBe(12);
    expect((await list('school=9999000001')).map((p) => p.role).sort()).toEqual([
      'principal',
      'teacher',
      'teacher',
      'teacher',
    ]);
    expect((await list('status=invited')).length).toBe(52);
    expect((await list('status=active')).length).toBe(0);
    expect(await list(`q=${encodeURIComponent('นิเทศงาม')}`)).toEqual([
      expect.objectContaining({ displayName: 'นางอัญชลี นิเทศงาม', role: 'supervisor', externalId: 'demo-supervisor-1' }),
    ]);
    expect(await list(`q=${encodeURIComponent('ต่างเขต')}`)).toEqual([]);
    expect(await list('school=5550000001')).toEqual([]);
    const bad = await api('GET', '/offices/DEMO1/people?role=janitor&status=erased-ish');
    expect(bad.json.error?.issues?.map((i) => i.field)).toEqual(['role', 'status']);
  });

  it('shows linked, never the LINE user id', async () => {
    const line = userId('linked-teacher');
    const id = await idOf('demo-teacher-1-1');
    await h.db.db.execute(
      sql`UPDATE people SET line_user_id = ${line}, channel_id = 'default', status = 'active', linked_at = now() WHERE id = ${id}`,
    );
    const one_ = await api('GET', `/offices/DEMO1/people/${id}`);
    expect(one_.json).toMatchObject({ id, linked: true, status: 'active', schoolCode: '9999000001' });
    const list = await api('GET', '/offices/DEMO1/people?limit=500');
    for (const res of [one_, list]) {
      expect(JSON.stringify(res.json)).not.toContain(line);
      expect(JSON.stringify(res.json)).not.toMatch(/lineUserId|line_user_id|channel/);
    }
    expect((list.json.items as { id: string; linked: boolean }[]).filter((p) => p.linked).map((p) => p.id)).toEqual([
      id,
    ]);
  });

  it('another office’s person, or a malformed id, is a 404', async () => {
    expect((await api('GET', `/offices/DEMO1/people/${strangerId}`)).status).toBe(404);
    expect((await api('GET', '/offices/DEMO1/people/not-a-uuid')).status).toBe(404);
    expect((await api('PATCH', `/offices/DEMO1/people/${strangerId}`, { displayName: 'ถูกแก้' })).status).toBe(404);
    expect(await count(h.db.db, sql`people WHERE display_name = 'ถูกแก้'`)).toBe(0);
  });

  it('PATCH checks school (of this office) and role rules, naming the field', async () => {
    const teacher = await idOf('demo-teacher-2-1');
    const patch = (json: unknown) => api('PATCH', `/offices/DEMO1/people/${teacher}`, json);
    expect((await patch({ schoolCode: null })).json.error?.issues).toEqual([
      { field: 'schoolCode', message: 'a teacher needs a school' },
    ]);
    expect((await patch({ schoolCode: '5550000001' })).json.error?.issues).toEqual([
      { field: 'schoolCode', message: 'no school with code 5550000001 in this office' },
    ]);
    expect((await patch({ status: 'erased' })).json.error?.issues?.[0]?.field).toBe('status');
    expect((await patch({ status: 'active' })).json.error?.issues).toEqual([
      { field: 'status', message: 'a person becomes active by linking LINE with an invite' },
    ]);
    expect((await patch({ lineUserId: userId('x') })).json.error?.issues).toEqual([
      { field: 'lineUserId', message: 'unknown field' },
    ]);
    const badCut = await patch({ digestCut: { levels: ['primary'], sizes: ['huge'] } });
    expect(badCut.status).toBe(400);
    expect(badCut.json.error?.issues?.map((i: { field: string }) => i.field)).toEqual(['digestCut.sizes.0']);

    // A teacher becomes a supervisor (no school needed), then moves school and is renamed.
    const ok = await patch({ role: 'supervisor', schoolCode: null, displayName: 'ศน.ใหม่ ทดสอบ' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ role: 'supervisor', schoolCode: null, displayName: 'ศน.ใหม่ ทดสอบ' });
    const row = await one<{ role: string; rich_menu_role: string | null }>(
      h.db.db,
      sql`SELECT role, rich_menu_role FROM people WHERE id = ${teacher}`,
    );
    // The rich menu follows through the tick's reconciler, which picks up role <> rich_menu_role.
    expect(row).toEqual({ role: 'supervisor', rich_menu_role: null });
  });

  it('blocks and unblocks a linked person', async () => {
    const id = await idOf('demo-teacher-1-1');
    expect((await api('PATCH', `/offices/DEMO1/people/${id}`, { status: 'blocked' })).json.status).toBe('blocked');
    expect((await api('PATCH', `/offices/DEMO1/people/${id}`, { status: 'active' })).json.status).toBe('active');
  });

  it('audits reads and changes of people', async () => {
    const actions = await queryRows<{ action: string; n: number }>(
      h.db.db,
      sql`SELECT action, count(*)::int AS n FROM audit_log WHERE office_id = ${demo.office.id} GROUP BY action`,
    );
    const n = Object.fromEntries(actions.map((a) => [a.action, a.n]));
    expect(n['people.list']).toBeGreaterThanOrEqual(8);
    expect(n['person.read']).toBe(1);
    expect(n['person.update']).toBe(3);
    // Audit details never carry the search text or names.
    expect(
      await count(h.db.db, sql`audit_log WHERE detail::text LIKE '%นิเทศงาม%' OR detail::text LIKE '%ศน.ใหม่%'`),
    ).toBe(0);
  });
});

describe('invites', () => {
  it('lists each invite with its state and expiry, never its code or hash', async () => {
    const sup = await idOf('demo-supervisor-1');
    h.clock.now += 60_000;
    const issued = await api('POST', '/offices/DEMO1/invites', { personIds: [sup], inviteDays: 10 });
    const code = (issued.json.invites as { code: string }[])[0]?.code ?? '';
    const principal = await idOf('demo-principal-1');
    await h.db.db.execute(sql`UPDATE invites SET used_at = now() WHERE person_id = ${principal}`);
    const teacher = await idOf('demo-teacher-1-1');
    await h.db.db.execute(sql`UPDATE invites SET expires_at = '2026-01-01' WHERE person_id = ${teacher}`);

    const res = await api('GET', '/offices/DEMO1/invites');
    const items = res.json.items as { personId: string; state: string; expiresAt: string }[];
    const hashes = await queryRows<{ code_hash: string }>(h.db.db, sql`SELECT code_hash FROM invites`);
    const text = JSON.stringify(res.json);
    expect(text).not.toContain(code);
    for (const hsh of hashes) expect(text).not.toContain(hsh.code_hash);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(
      ['createdAt', 'displayName', 'expiresAt', 'id', 'personId', 'revokedAt', 'state', 'usedAt'].sort(),
    );
    const states = (pid: string) => items.filter((i) => i.personId === pid).map((i) => i.state);
    expect(states(sup)).toEqual(['pending', 'revoked']); // newest first: the new code, then the one it replaced
    expect(states(principal)).toEqual(['used']);
    expect(states(teacher)).toEqual(['expired']);
    expect(items.find((i) => i.personId === sup)?.expiresAt).toMatch(/^2026-11-30T02:01:00/);
    expect(states(strangerId)).toEqual([]);

    const mine = await api('GET', `/offices/DEMO1/invites?person=${sup}&state=pending`);
    expect((mine.json.items as { personId: string }[]).map((i) => i.personId)).toEqual([sup]);
    expect((await api('GET', `/offices/DEMO1/invites?person=${strangerId}`)).json.items).toEqual([]);
  });
});

describe('supervisor assignments', () => {
  it('lists the office assignments with supervisor, target and kind', async () => {
    const res = await api('GET', '/offices/DEMO1/assignments');
    const items = res.json.items as { supervisorName: string; clusterCode: string; schoolCode: null; kind: string }[];
    expect(items.map((a) => `${a.supervisorName}|${a.clusterCode}|${a.kind}`).sort()).toEqual([
      'นางอัญชลี นิเทศงาม|C1|main',
      'นายสมชาย ใฝ่พัฒนา|C1|joint',
      'นายสมชาย ใฝ่พัฒนา|C2|main',
    ]);
    const sup1 = await idOf('demo-supervisor-1');
    expect(((await api('GET', `/offices/DEMO1/assignments?supervisor=${sup1}`)).json.items as unknown[]).length).toBe(
      1,
    );
  });

  it('names every bad row: not a supervisor, unknown or foreign target, both or neither target, duplicates', async () => {
    const bad = await api('POST', '/offices/DEMO1/assignments', {
      assignments: [
        { supervisorExternalId: 'demo-teacher-3-1', schoolCode: '9999000003' },
        { supervisorExternalId: 'demo-director', clusterCode: 'C2' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '5550000001' },
        { supervisorId: strangerId, schoolCode: '9999000003' },
        { supervisorExternalId: 'demo-supervisor-1', clusterCode: 'C9' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000007' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000007', kind: 'joint' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 0, field: 'supervisorExternalId', message: 'a teacher cannot be assigned schools; only a supervisor' },
      { row: 1, field: 'supervisorExternalId', message: 'a director cannot be assigned schools; only a supervisor' },
      { row: 2, field: 'schoolCode', message: 'no school with code 5550000001 in this office' },
      { row: 3, field: 'supervisorId', message: 'no such person in this office' },
      { row: 4, field: 'clusterCode', message: 'no cluster with code C9 in this office' },
      { row: 6, field: 'schoolCode', message: 'duplicate of assignments row 5' },
    ]);
    const shape = await api('POST', '/offices/DEMO1/assignments', {
      assignments: [
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000007', clusterCode: 'C2' },
        { schoolCode: '9999000007' },
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000007', kind: 'lead' },
      ],
    });
    expect(shape.json.error?.issues).toEqual([
      { row: 0, field: 'schoolCode', message: 'give schoolCode or clusterCode (one of them)' },
      { row: 1, field: 'supervisorId', message: 'give supervisorId or supervisorExternalId (one of them)' },
      { row: 2, field: 'kind', message: expect.any(String) },
    ]);
    expect(await count(h.db.db, sql`supervisor_assignments WHERE office_id = ${demo.office.id}`)).toBe(3);
  });

  it('upserts on (supervisor, school | cluster): a repeat updates kind and learning area', async () => {
    const first = await api('POST', '/offices/DEMO1/assignments', {
      assignments: [
        { supervisorExternalId: 'demo-supervisor-1', schoolCode: '9999000007', learningArea: 'คณิตศาสตร์' },
        { supervisorExternalId: 'demo-supervisor-1', clusterCode: 'C1', kind: 'joint' },
      ],
    });
    expect(first.json).toEqual({ created: 1, updated: 1 });
    const again = await api('POST', '/offices/DEMO1/assignments', {
      assignments: [{ supervisorId: await idOf('demo-supervisor-1'), schoolCode: '9999000007', kind: 'joint' }],
    });
    expect(again.json).toEqual({ created: 0, updated: 1 });
    const same = await api('POST', '/offices/DEMO1/assignments', {
      assignments: [{ supervisorId: await idOf('demo-supervisor-1'), schoolCode: '9999000007', kind: 'joint' }],
    });
    expect(same.json).toEqual({ created: 0, updated: 0 }); // posted again exactly as it is: nothing written
    const rows = await queryRows<{ kind: string; learning_area: string | null; code: string }>(
      h.db.db,
      sql`SELECT a.kind, a.learning_area, coalesce(s.code, c.code) AS code FROM supervisor_assignments a
            JOIN people p ON p.id = a.supervisor_id LEFT JOIN schools s ON s.id = a.school_id
            LEFT JOIN clusters c ON c.id = a.cluster_id
           WHERE p.external_id = 'demo-supervisor-1' ORDER BY code`,
    );
    expect(rows).toEqual([
      { kind: 'joint', learning_area: null, code: '9999000007' },
      { kind: 'joint', learning_area: null, code: 'C1' },
    ]);
  });

  it('DELETE removes one of this office (204, audited); another office’s is a 404 and stays', async () => {
    expect((await api('DELETE', `/offices/DEMO1/assignments/${strangerAssignment}`)).status).toBe(404);
    expect(await count(h.db.db, sql`supervisor_assignments WHERE id = ${strangerAssignment}`)).toBe(1);
    const [mine] = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT a.id FROM supervisor_assignments a JOIN schools s ON s.id = a.school_id WHERE s.code = '9999000007'`,
    );
    const del = await api('DELETE', `/offices/DEMO1/assignments/${mine?.id ?? ''}`);
    expect(del.status).toBe(204);
    expect(await count(h.db.db, sql`supervisor_assignments WHERE id = ${mine?.id ?? ''}`)).toBe(0);
    expect((await api('DELETE', `/offices/DEMO1/assignments/${mine?.id ?? ''}`)).status).toBe(404);
    expect(
      await count(h.db.db, sql`audit_log WHERE action = 'assignment.delete' AND target_id = ${mine?.id ?? ''}`),
    ).toBe(1);
    expect((await api('DELETE', `/offices/DEMO1/assignments/${strangerAssignment}`, undefined, null)).status).toBe(401);
  });
});
