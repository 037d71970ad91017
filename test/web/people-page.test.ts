// The people page over HTTP (issue 13.3): the paged list with its statement count independent of the rows shown;
// adding a person and editing one through the API's own actions, each error beside its field and nothing saved;
// block and unblock after a confirmation page that changes nothing; invites for ticked people, confirmed first,
// shown once as printable cards. Directors read the list without any form; supervisors get nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import type { Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE as BASE, postFields, webOffice } from '../support/web.js';

let h: Harness;
let admin: string;
let director: string;
let supervisor: string;
const school = DEMO_SCHOOLS[1] ?? { code: '', nameTh: '' };

const get = (path: string, cookie: string) => getPage(h, `${BASE}${path}`, cookie);
const post = (path: string, cookie: string, fields: Record<string, string> | [string, string][]) =>
  postFields(h, `${BASE}${path}`, cookie, fields);

const person = (name: string) =>
  one<{ id: string; role: string; status: string; school_code: string | null; learning_areas: string[] }>(
    h.db.db,
    sql`SELECT p.id, p.role, p.status, s.code AS school_code, p.learning_areas FROM people p
          LEFT JOIN schools s ON s.id = p.school_id WHERE p.display_name = ${name}`,
  );

beforeAll(async () => {
  ({ h, admin, director, supervisor } = await webOffice());
}, 180_000);
afterAll(() => h.close());

describe('the list', () => {
  it('runs the same statements for 4 rows as for a full page of 50', async () => {
    const schoolId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${school.code}`)).id;
    const statements = async (path: string) => {
      const spy = vi.spyOn(h.db.db, 'execute');
      try {
        const html = await (await get(path, admin)).text();
        return { n: spy.mock.calls.length, rows: html.match(/<tr data-person=/g)?.length ?? 0 };
      } finally {
        spy.mockRestore();
      }
    };
    const few = await statements(`/people?school=${schoolId}`);
    const many = await statements('/people');
    expect(few.rows).toBe(4);
    expect(many.rows).toBe(50);
    expect(few.n).toBeGreaterThan(0);
    expect(many.n).toBe(few.n);
  });

  it('offers admins the add link, a tick per row and the school’s whole sheet; directors none of it', async () => {
    const schoolId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${school.code}`)).id;
    const html = await (await get(`/people?school=${schoolId}`, admin)).text();
    expect(html).toContain(`href="${BASE}/people/new"`);
    expect(html.match(/form="bulk-invites"/g)).toHaveLength(4);
    expect(html).toContain(`href="${BASE}/invite-sheets/${schoolId}"`);
    const read = await get(`/people?school=${schoolId}`, director);
    expect(read.status).toBe(200);
    const dhtml = await read.text();
    expect(dhtml).toContain(school.nameTh);
    for (const s of ['/people/new', 'bulk-invites', `<form method="post" action="${BASE}/people`, '/invite-sheets/']) {
      expect(dhtml).not.toContain(s);
    }
  });
});

describe('adding a person', () => {
  it('shows each error beside its field, keeps what was typed, and saves nothing', async () => {
    const before = await count(h.db.db, sql`people`);
    const res = await post('/people/new', admin, { displayName: '', role: 'teacher', externalId: 'x-new-1' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(
      /id="displayName" name="displayName" aria-describedby="displayName-error" aria-invalid="true"/,
    );
    expect(html).toContain('<p id="displayName-error" class="field-error">กรุณากรอกชื่อ');
    expect(html).toContain('value="x-new-1"');
    // The action's own rule (a teacher needs a school), after the schema passed.
    const res2 = await post('/people/new', admin, { displayName: 'ครูทดสอบ ไร้โรงเรียน', role: 'teacher' });
    expect(res2.status).toBe(400);
    const html2 = await res2.text();
    expect(html2).toMatch(/id="schoolCode" name="schoolCode" aria-describedby="schoolCode-hint schoolCode-error"/);
    expect(html2).toContain('<p id="schoolCode-error" class="field-error">ครูและผู้อำนวยการโรงเรียนต้องเลือกโรงเรียน');
    expect(html2).not.toContain('id="displayName-error"');
    expect(await count(h.db.db, sql`people`)).toBe(before);
  });

  it('adds the person with the API’s action, audited, and shows their invite card once', async () => {
    const res = await post('/people/new', admin, [
      ['displayName', 'ครูทดสอบ เพิ่มจากเว็บ'],
      ['role', 'teacher'],
      ['schoolCode', school.code],
      ['externalId', 'web-added-1'],
      ['learningAreas', 'math'],
      ['learningAreas', 'science'],
      ['position', 'teacher'],
      ['issueInvite', '1'],
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const p = await person('ครูทดสอบ เพิ่มจากเว็บ');
    expect(p).toMatchObject({ role: 'teacher', status: 'invited', school_code: school.code });
    expect(p.learning_areas).toEqual(['math', 'science']);
    expect(html.match(/data-figure="invite-code">[A-Z2-9]{4}-[A-Z2-9]{4}</g)).toHaveLength(1);
    expect(await count(h.db.db, sql`invites WHERE person_id = ${p.id}::uuid AND revoked_at IS NULL`)).toBe(1);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'people.upsert' AND actor LIKE 'person:%'`)).toBe(1);
  });
});

describe('editing, blocking and unblocking', () => {
  it('edits role, school and attributes; a bad change is named beside its field and saves nothing', async () => {
    const p = await person('ครูทดสอบ เพิ่มจากเว็บ');
    const page = await (await get(`/people/${p.id}`, admin)).text();
    expect(page).toContain('value="ครูทดสอบ เพิ่มจากเว็บ"');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'person.read' AND target_id = ${p.id}`)).toBe(1);
    const bad = await post(`/people/${p.id}`, admin, { displayName: 'ครูทดสอบ เพิ่มจากเว็บ', role: 'principal' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p id="schoolCode-error" class="field-error">');
    expect((await person('ครูทดสอบ เพิ่มจากเว็บ')).role).toBe('teacher');
    const other = DEMO_SCHOOLS[2]?.code ?? '';
    const ok = await post(`/people/${p.id}`, admin, [
      ['displayName', 'ครูทดสอบ เพิ่มจากเว็บ'],
      ['role', 'principal'],
      ['schoolCode', other],
      ['learningAreas', 'thai'],
      ['position', 'deputy_director'],
    ]);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${BASE}/people/${p.id}?saved=1`);
    expect(await person('ครูทดสอบ เพิ่มจากเว็บ')).toMatchObject({
      role: 'principal',
      school_code: other,
      learning_areas: ['thai'],
    });
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'person.update' AND target_id = ${p.id} AND actor LIKE 'person:%'`,
      ),
    ).toBe(1);
  });

  it("sets a director's digest cut with the API's action, shown in Thai; a bad value is a 400 beside the field", async () => {
    const d = await one<{ id: string; display_name: string }>(
      h.db.db,
      sql`SELECT id, display_name FROM people WHERE role = 'director' AND status <> 'erased' ORDER BY id LIMIT 1`,
    );
    const cutOf = async () =>
      (await one<{ c: unknown }>(h.db.db, sql`SELECT digest_cut AS c FROM people WHERE id = ${d.id}::uuid`)).c;
    const base: [string, string][] = [
      ['displayName', d.display_name],
      ['role', 'director'],
    ];
    const bad = await post(`/people/${d.id}`, admin, [...base, ['digestLevels', 'kindergarten-ish']]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p id="digestCut-error" class="field-error">');
    expect(await cutOf()).toBeNull();
    const ok = await post(`/people/${d.id}`, admin, [
      ...base,
      ['digestLevels', 'early_childhood'],
      ['digestTags', 'โรงเรียนคุณภาพประจำตำบล'],
    ]);
    expect(ok.status).toBe(303);
    expect(await cutOf()).toMatchObject({ levels: ['early_childhood'], tags: ['โรงเรียนคุณภาพประจำตำบล'], sizes: [] });
    const page = await (await get(`/people/${d.id}`, admin)).text();
    expect(page).toContain('ปัจจุบัน: เฉพาะโรงเรียน ระดับ ปฐมวัย · โครงการ โรงเรียนคุณภาพประจำตำบล');
    expect(page).toMatch(/name="digestLevels" value="early_childhood" checked/);
    // Nothing ticked: the whole office again.
    expect((await post(`/people/${d.id}`, admin, base)).status).toBe(303);
    expect(await cutOf()).toBeNull();
  });

  it('blocks only after the confirmation, and unblocks the same way', async () => {
    const p = await person('ครูทดสอบ เพิ่มจากเว็บ');
    const confirm = await get(`/people/${p.id}/block`, admin);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`action="${BASE}/people/${p.id}/block"`);
    expect((await person('ครูทดสอบ เพิ่มจากเว็บ')).status).toBe('invited');
    expect((await post(`/people/${p.id}/block`, admin, {})).status).toBe(303);
    expect((await person('ครูทดสอบ เพิ่มจากเว็บ')).status).toBe('blocked');
    const edit = await (await get(`/people/${p.id}`, admin)).text();
    expect(edit).toContain(`href="${BASE}/people/${p.id}/unblock"`);
    expect((await post(`/people/${p.id}/unblock`, admin, {})).status).toBe(303);
    expect((await person('ครูทดสอบ เพิ่มจากเว็บ')).status).toBe('active');
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'person.update' AND target_id = ${p.id} AND detail->>'status' IS NOT NULL`,
      ),
    ).toBe(2);
  });
});

describe('invites for ticked people', () => {
  it('asks first, then issues one code each, shown once as printable cards, audited', async () => {
    const ids = (
      await queryRows<{ id: string }>(
        h.db.db,
        sql`SELECT p.id FROM people p JOIN schools s ON s.id = p.school_id
             WHERE s.code = ${DEMO_SCHOOLS[3]?.code ?? ''} AND p.line_user_id IS NULL ORDER BY p.display_name LIMIT 3`,
      )
    ).map((r) => r.id);
    expect(ids).toHaveLength(3);
    const before = await count(h.db.db, sql`invites`);
    const fields = ids.map((id): [string, string] => ['person', id]);
    const ask = await post('/people/invites', admin, fields);
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain('ออกรหัสเชิญใหม่ 3 คน?');
    expect(askHtml.match(/<input type="hidden" name="person"/g)).toHaveLength(3);
    expect(await count(h.db.db, sql`invites`)).toBe(before);
    const res = await post('/people/invites', admin, [...fields, ['confirm', '1']]);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html.match(/<article class="card"/g)).toHaveLength(3);
    expect(new Set(html.match(/[A-Z2-9]{4}-[A-Z2-9]{4}(?=<)/g)).size).toBe(3);
    expect(
      await count(
        h.db.db,
        sql`invites WHERE person_id = ANY(${sql.param(ids)}::uuid[]) AND used_at IS NULL AND revoked_at IS NULL`,
      ),
    ).toBe(3);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'invites.issue' AND (detail->>'count')::int = 3`)).toBe(1);
  });

  it('nothing ticked: says so and issues nothing', async () => {
    const before = await count(h.db.db, sql`invites`);
    const res = await post('/people/invites', admin, { confirm: '1' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('ยังไม่ได้เลือกรายชื่อ');
    expect(await count(h.db.db, sql`invites`)).toBe(before);
  });
});

describe('permissions', () => {
  it('directors read the list only; supervisors get nothing; neither writes', async () => {
    const p = await person('ครูทดสอบ เพิ่มจากเว็บ');
    const footprint = async () => ({
      people: await one<{ v: string }>(
        h.db.db,
        sql`SELECT md5(string_agg(p::text, ',' ORDER BY id)) AS v FROM people p`,
      ),
      invites: await count(h.db.db, sql`invites`),
    });
    const before = await footprint();
    expect((await get('/people', supervisor)).status).toBe(403);
    for (const cookie of [director, supervisor]) {
      for (const path of ['/people/new', `/people/${p.id}`, `/people/${p.id}/block`]) {
        expect((await get(path, cookie)).status, path).toBe(403);
      }
      const writes: [string, Record<string, string>][] = [
        ['/people/new', { displayName: 'แอบเพิ่ม', role: 'admin' }],
        [`/people/${p.id}`, { displayName: 'แอบแก้', role: 'admin' }],
        [`/people/${p.id}/block`, {}],
        ['/people/invites', { person: p.id, confirm: '1' }],
      ];
      for (const [path, fields] of writes) expect((await post(path, cookie, fields)).status, path).toBe(403);
    }
    expect(await footprint()).toEqual(before);
  });
});
