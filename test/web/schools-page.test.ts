// The schools list and the school edit page over HTTP (issue 16 item 1 on the web): an admin edits a school's
// levels, size, place and tags through the API's own action (audited, each error beside its field, nothing saved
// on a refusal); the list cuts by level, size, district and tag with the campaigns' own rule; directors read
// without any form, supervisors see only their assigned schools and cannot edit; the API's PATCH is the same action.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { adminApi } from '../admin/api.js';
import type { Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE as BASE, postFields, webOffice } from '../support/web.js';

let h: Harness;
let admin: string;
let director: string;
let supervisor: string;
const inC1 = DEMO_SCHOOLS[0] ?? { code: '', nameTh: '' };
const inC2 = DEMO_SCHOOLS[7] ?? { code: '', nameTh: '' };
const ids: Record<string, string> = {};

const get = (path: string, cookie: string) => getPage(h, `${BASE}${path}`, cookie);
const post = (path: string, cookie: string, fields: Record<string, string> | [string, string][]) =>
  postFields(h, `${BASE}${path}`, cookie, fields);

const stored = (code: string) =>
  one<{ name_th: string; levels: string[]; size: string | null; district: string | null; tags: string[] }>(
    h.db.db,
    sql`SELECT name_th, levels, size, district, tags FROM schools WHERE code = ${code}`,
  );

beforeAll(async () => {
  ({ h, admin, director, supervisor } = await webOffice());
  for (const s of [inC1, inC2]) {
    ids[s.code] = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${s.code}`)).id;
  }
}, 180_000);
afterAll(() => h.close());

describe('editing a school', () => {
  it('saves levels, size, place and tags, audited, and the school page shows them', async () => {
    const id = ids[inC1.code] ?? '';
    const form = await get(`/schools/${id}/edit`, admin);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(`value="${inC1.nameTh}"`);
    const res = await post(`/schools/${id}/edit`, admin, [
      ['nameTh', inC1.nameTh],
      ['levels', 'early_childhood'],
      ['levels', 'primary'],
      ['size', 'small'],
      ['subdistrict', 'ในเมือง'],
      ['district', 'เมืองทดสอบ'],
      ['province', 'ขอนแก่น'],
      ['tags', 'โรงเรียนคุณภาพประจำตำบล\nโรงเรียนพระราชทาน'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/schools/${id}/edit?saved=1`);
    expect(await stored(inC1.code)).toEqual({
      name_th: inC1.nameTh,
      levels: ['early_childhood', 'primary'],
      size: 'small',
      district: 'เมืองทดสอบ',
      tags: ['โรงเรียนคุณภาพประจำตำบล', 'โรงเรียนพระราชทาน'],
    });
    const a = await one<{ actor: string; detail: { fields: string[] } }>(
      h.db.db,
      sql`SELECT actor, detail FROM audit_log WHERE action = 'school.update' AND target_id = ${id}`,
    );
    expect(a.actor).toMatch(/^person:/);
    expect(a.detail.fields).toContain('tags');
    const page = await (await get(`/schools/${id}`, admin)).text();
    expect(page).toContain('<dd data-figure="levels">ปฐมวัย, ประถมศึกษา</dd>');
    expect(page).toContain('ต.ในเมือง อ.เมืองทดสอบ จ.ขอนแก่น');
    expect(page).toContain('โรงเรียนคุณภาพประจำตำบล, โรงเรียนพระราชทาน');
    expect(page).toContain(`href="${BASE}/schools/${id}/edit"`);
  });

  it('shows each error beside its field, keeps what was typed, and saves nothing', async () => {
    const id = ids[inC1.code] ?? '';
    const before = await stored(inC1.code);
    const audits = await count(h.db.db, sql`audit_log WHERE action = 'school.update'`);
    const res = await post(`/schools/${id}/edit`, admin, [
      ['nameTh', ''],
      ['levels', 'kindergarten'],
      ['size', 'huge'],
      ['district', 'อำเภอใหม่'],
      ['tags', 'ก'.repeat(101)],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="nameTh" name="nameTh" aria-describedby="nameTh-error" aria-invalid="true"/);
    expect(html).toContain('<p id="nameTh-error" class="field-error">กรุณากรอกชื่อโรงเรียน');
    expect(html).toContain('<p id="levels-error" class="field-error">เลือกระดับจากรายการ');
    expect(html).toContain('<p id="size-error" class="field-error">เลือกขนาดจากรายการ');
    expect(html).toContain('<p id="tags-error" class="field-error">ไม่เกิน 50 โครงการ');
    expect(html).not.toContain('id="district-error"');
    expect(html).toContain('value="อำเภอใหม่"');
    expect(await stored(inC1.code)).toEqual(before);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'school.update'`)).toBe(audits);
  });

  it('is refused to a director and a supervisor (403), who change nothing and see no edit link', async () => {
    const id = ids[inC1.code] ?? '';
    const before = await stored(inC1.code);
    for (const cookie of [director, supervisor]) {
      expect((await get(`/schools/${id}/edit`, cookie)).status).toBe(403);
      expect((await post(`/schools/${id}/edit`, cookie, { nameTh: 'เปลี่ยนชื่อ', size: 'large' })).status).toBe(403);
      const page = await get(`/schools/${id}`, cookie);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain('/edit"');
    }
    expect(await stored(inC1.code)).toEqual(before);
  });

  it('the API PATCH is the same action: it saves, and names a bad field with 400', async () => {
    const api = adminApi(h);
    const id = ids[inC2.code] ?? '';
    const ok = await api('PATCH', `/offices/DEMO1/schools/${id}`, { levels: ['special'], tags: ['ห้องเรียนพิเศษ'] });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.levels).toEqual(['special']);
    expect((await stored(inC2.code)).tags).toEqual(['ห้องเรียนพิเศษ']);
    const bad = await api('PATCH', `/offices/DEMO1/schools/${id}`, { size: 'huge', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.map((i) => i.field).sort()).toEqual(['colour', 'size']);
    expect((await api('PATCH', `/offices/DEMO1/schools/00000000-0000-4000-8000-000000000000`, {})).status).toBe(404);
  });
});

describe('the list', () => {
  it('cuts by level, district and tag with the campaigns’ rule, and links each school and its edit form', async () => {
    const rows = async (path: string, cookie = admin) => {
      const html = await (await get(path, cookie)).text();
      return [...html.matchAll(/<tr data-school="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await rows('/schools')).toHaveLength(DEMO_SCHOOLS.length);
    expect(await rows('/schools?level=early_childhood')).toEqual([ids[inC1.code]]);
    expect(await rows('/schools?level=ปฐมวัย')).toEqual([ids[inC1.code]]);
    expect(await rows(`/schools?tag=${encodeURIComponent('โรงเรียนคุณภาพประจำตำบล')}`)).toEqual([ids[inC1.code]]);
    expect(await rows(`/schools?district=${encodeURIComponent('เมืองทดสอบ')}&size=large`)).toEqual([]);
    const html = await (await get('/schools', admin)).text();
    expect(html).toContain(`href="${BASE}/schools/${ids[inC1.code]}/edit"`);
    expect(html).toContain('<option value="เมืองทดสอบ">เมืองทดสอบ</option>');
    expect((await get('/schools?level=kindergarten', admin)).status).toBe(400);
  });

  it('shows a director every school without edit links, a supervisor only their assigned ones', async () => {
    const d = await (await get('/schools', director)).text();
    expect(d).toContain(inC2.nameTh);
    expect(d).not.toContain('/edit"');
    const s = await get('/schools', supervisor);
    expect(s.status).toBe(200);
    const html = await s.text();
    expect(html).toContain(inC1.nameTh);
    for (const other of DEMO_SCHOOLS.filter((x) => x.clusterCode === 'C2')) expect(html).not.toContain(other.nameTh);
  });
});
