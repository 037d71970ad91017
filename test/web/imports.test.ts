// The imports page over HTTP (issue 13.3): an admin checks a file (a dry run listing every bad row with its row,
// column and Thai message, writing nothing), then confirms a good one, which imports it with the API's own action
// (people created, invite codes shown once, the audit row naming the person). CSV and XLSX alike. Directors and
// supervisors are refused (403) and write nothing; a missing file and an oversized one are answered next to the
// file field.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_KEEP_MS } from '../../src/imports/uploads.js';
import { tick } from '../../src/scheduler/tick.js';
import { xlsx } from '../imports/xlsx-fixture.js';
import { ADMIN, signInCookie, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { postFields, postForm, webOffice } from '../support/web.js';

let h: Harness;
let admin: string;
let director: string;
let supervisor: string;
let schoolCode = '';
const PATH = '/admin/offices/DEMO1/imports';

const upload = (kind: string, name: string, data: Uint8Array | string, type: string, invites = true) => {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([data], { type }), name);
  if (invites) form.set('invites', '1');
  form.set('step', 'check');
  return form;
};
const csv = (...lines: string[]) => lines.join('\n');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  ({ h, admin, director, supervisor } = await webOffice());
  schoolCode = (await one<{ code: string }>(h.db.db, sql`SELECT code FROM schools ORDER BY code LIMIT 1`)).code;
}, 180_000);
afterAll(() => h.close());

describe('imports page', () => {
  it('shows the form: the four kinds, a labelled file field with its hint', async () => {
    const res = await h.fetch(PATH, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const k of ['schools', 'people', 'assignments', 'plan']) expect(html).toContain(`value="${k}"`);
    expect(html).toContain('<label for="file">');
    expect(html).toContain('aria-describedby="file-hint"');
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('a CSV with bad rows: every bad row listed with row, column and Thai message; nothing written', async () => {
    const before = await count(h.db.db, sql`people`);
    const file = csv(
      'ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,รหัสบุคลากร',
      `ครูทดสอบ หนึ่ง,ครู,${schoolCode},imp-1`,
      `ครูทดสอบ สอง,ภารโรง,${schoolCode},imp-2`,
      `ครูทดสอบ สาม,ครู,0000000000,imp-3`,
    );
    const res = await postForm(h, PATH, admin, upload('people', 'people.csv', file, 'text/csv'));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('พบปัญหา 2 รายการ');
    expect(html).toMatch(
      /<tr data-row="3" data-field="role"><td class="n">3<\/td><td>บทบาท<\/td><td>[^<]*ไม่รู้จักบทบาท &quot;ภารโรง&quot;/,
    );
    expect(html).toMatch(/<tr data-row="4" data-field="school_code"><td class="n">4<\/td><td>รหัสโรงเรียน<\/td>/);
    expect(html).not.toContain('name="upload"');
    expect(await count(h.db.db, sql`people`)).toBe(before);
  });

  it('an XLSX that is good: checked, confirmed, imported with invite codes shown once and audited', async () => {
    const before = await count(h.db.db, sql`people`);
    const file = await xlsx([
      ['ชื่อ-สกุล', 'บทบาท', 'รหัสโรงเรียน', 'รหัสบุคลากร'],
      ['ครูนำเข้า หนึ่ง', 'ครู', schoolCode, 'imp-x1'],
      ['ครูนำเข้า สอง', 'ครู', Number(schoolCode), 'imp-x2'],
    ]);
    const checked = await postForm(h, PATH, admin, upload('people', 'people.xlsx', file, XLSX));
    expect(checked.status).toBe(200);
    const html = await checked.text();
    expect(html).toContain('ไฟล์ถูกต้อง พร้อมนำเข้า');
    expect(html).toMatch(/data-figure="created">2</);
    const sha = /name="upload" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';
    expect(sha).toHaveLength(64);
    // The check wrote nothing but the kept file.
    expect(await count(h.db.db, sql`people`)).toBe(before);
    const o = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'DEMO1'`);
    const key = `imports/${o.id}/${sha}`;
    expect(await h.deps.blobs.get(key)).not.toBeNull();

    const done = await postFields(h, `${PATH}/confirm`, admin, { kind: 'people', upload: sha, invites: '1' });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(page).toMatch(/data-figure="written">2</);
    expect([...page.matchAll(/data-figure="invite-code">([A-Z2-9]{4}-[A-Z2-9]{4})</g)]).toHaveLength(2);
    expect(page).toContain('/invite-sheets');
    // Imported: the file (it lists staff) is deleted at once, and its confirm cannot run twice.
    expect(await h.deps.blobs.get(key)).toBeNull();
    expect(await count(h.db.db, sql`import_uploads WHERE sha = ${sha}`)).toBe(0);
    const again = await postFields(h, `${PATH}/confirm`, admin, { kind: 'people', upload: sha, invites: '1' });
    expect(again.status).toBe(410);
    expect(await count(h.db.db, sql`people WHERE external_id IN ('imp-x1', 'imp-x2')`)).toBe(2);
    const me = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE line_user_id IS NOT NULL AND role = 'admin' LIMIT 1`,
    );
    expect(await count(h.db.db, sql`audit_log WHERE action = 'import.people' AND actor = ${`person:${me.id}`}`)).toBe(
      1,
    );
  });

  it('a confirm naming no kept file (or another office’s) is a 410 that writes nothing', async () => {
    const before = await count(h.db.db, sql`audit_log WHERE action LIKE 'import.%'`);
    const res = await postFields(h, `${PATH}/confirm`, admin, { kind: 'people', upload: 'f'.repeat(64) });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('กรุณาอัปโหลดอีกครั้ง');
    const bad = await postFields(h, `${PATH}/confirm`, admin, { kind: 'nonsense', upload: 'f'.repeat(64) });
    expect(bad.status).toBe(404);
    expect(await count(h.db.db, sql`audit_log WHERE action LIKE 'import.%'`)).toBe(before);
  });

  it('a checked file never confirmed is deleted by the office’s retention unit a day after its check', async () => {
    const file = csv('ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,รหัสบุคลากร', `ครูค้าง ไม่ยืนยัน,ครู,${schoolCode},imp-left`);
    const checked = await postForm(h, PATH, admin, upload('people', 'left.csv', file, 'text/csv'));
    expect(checked.status).toBe(200);
    const sha = /name="upload" value="([0-9a-f]{64})"/.exec(await checked.text())?.[1] ?? '';
    const o = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'DEMO1'`);
    const key = `imports/${o.id}/${sha}`;
    // Within the day it is kept for its confirm.
    await tick(h.deps, h.clock.now + UPLOAD_KEEP_MS - 60_000);
    expect(await h.deps.blobs.get(key)).not.toBeNull();
    await tick(h.deps, h.clock.now + UPLOAD_KEEP_MS + 60_000);
    expect(await h.deps.blobs.get(key)).toBeNull();
    expect(await count(h.db.db, sql`import_uploads WHERE sha = ${sha}`)).toBe(0);
    const late = await postFields(h, `${PATH}/confirm`, admin, { kind: 'people', upload: sha, invites: '1' });
    expect(late.status).toBe(410);
    expect(await count(h.db.db, sql`people WHERE external_id = 'imp-left'`)).toBe(0);
  });

  it('no file: 400 with the error next to the file field', async () => {
    const form = new FormData();
    form.set('kind', 'schools');
    const res = await postForm(h, PATH, admin, form);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('aria-describedby="file-hint file-error"');
    expect(html).toMatch(/<span id="file-error" class="error field-error">กรุณาเลือกไฟล์/);
  });

  it('a file over 5 MB: 413, nothing read into the import', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024 + 1);
    const res = await postForm(h, PATH, admin, upload('schools', 'big.csv', big, 'text/csv'));
    expect(res.status).toBe(413);
  });

  it('directors and supervisors may not import: 403, nothing written', async () => {
    const before = await count(h.db.db, sql`people`);
    const file = csv('ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,รหัสบุคลากร', `ครูแอบ นำเข้า,ครู,${schoolCode},imp-sneak`);
    for (const cookie of [director, supervisor]) {
      expect((await h.fetch(PATH, { headers: { cookie } })).status).toBe(403);
      expect((await postForm(h, PATH, cookie, upload('people', 'p.csv', file, 'text/csv'))).status).toBe(403);
      expect((await postFields(h, `${PATH}/confirm`, cookie, { kind: 'people', upload: 'a'.repeat(64) })).status).toBe(
        403,
      );
    }
    expect(await count(h.db.db, sql`people`)).toBe(before);
    // The deployment's session may (every office).
    const deployment = await signInCookie(h, ADMIN);
    expect((await h.fetch(PATH, { headers: { cookie: deployment } })).status).toBe(200);
  });
});
