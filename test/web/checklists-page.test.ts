// The checklists page over HTTP with real sessions: every version with its downloads, a preview of the questions
// as the chat asks them, an upload (JSON here; XLSForm goes through the same publishChecklistFile) that publishes
// and audits, and a bad file named path by path beside the file field with nothing published. Directors read;
// supervisors and another office see nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { adminApi } from '../admin/api.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

const ORIGIN = 'http://nithet.test';
const LINK = /\/admin\/signin\/([A-Za-z0-9_-]{43})/;
type Who = 'admin' | 'director' | 'supervisor' | 'otherOffice';
let h: Harness;
let demo: DemoSeed;
const cookies = {} as Record<Who, string>;
const BASE = '/admin/offices/DEMO1/checklists';

const get = (who: Who, path: string) => h.fetch(path, { headers: { cookie: cookies[who] }, redirect: 'manual' });
function upload(who: Who, name: string, content: string, path = BASE) {
  const form = new FormData();
  form.set('file', new Blob([content], { type: 'application/json' }), name);
  return h.fetch(path, {
    method: 'POST',
    headers: { cookie: cookies[who], origin: ORIGIN },
    body: form,
    redirect: 'manual',
  });
}

const definition = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: 'nithet.checklist/1',
    key: 'reading-week',
    version: 1,
    title: { th: 'สัปดาห์รักการอ่าน' },
    scope: 'school',
    items: [
      { type: 'yes_no', key: 'held', label: { th: 'จัดกิจกรรมแล้วหรือไม่' } },
      {
        type: 'select_many',
        key: 'kinds',
        label: { th: 'กิจกรรมที่จัด' },
        hint: { th: 'เลือกได้มากกว่าหนึ่ง' },
        relevant: "${held} = 'yes'",
        choices: [
          { value: 'fair', label: { th: 'งานหนังสือ' } },
          { value: 'contest', label: { th: 'ประกวดเล่านิทาน' } },
        ],
      },
    ],
    ...over,
  });

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: ORIGIN } });
  demo = await seedDemo(h.db.db, h.clock.now);
  for (const role of ['admin', 'director', 'supervisor'] as const) {
    const user = userId(`checklists-page-${role}`);
    await h.post(ev.text(persona(demo, role).inviteCode, { user }));
    await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
    const token = LINK.exec(replyTexts(reply).join('\n'))?.[1] ?? '';
    const res = await h.fetch(`/admin/signin/${token}`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      redirect: 'manual',
    });
    cookies[role] = /nithet_admin=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  }
  const api = adminApi(h);
  expect((await api('POST', '/offices', { code: 'WEBK2', nameTh: 'สพป.อื่น ทดสอบแบบ' })).status).toBe(201);
  const tok = await api('POST', '/offices/WEBK2/tokens', { label: 'checklists-page' });
  cookies.otherOffice = await signInCookie(h, String(tok.json.token));
}, 180_000);
afterAll(() => h.close());

describe('the checklists page', () => {
  it('lists every version with its JSON and XLSForm downloads, which the session can fetch', async () => {
    const res = await get('admin', BASE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-checklist="sar-basic@');
    expect(html).toContain('href="/admin/api/v1/offices/DEMO1/checklists/needs-survey/versions/1?format=xlsx"');
    expect(html).toContain('<label for="file">');
    const json = await get('admin', '/admin/api/v1/offices/DEMO1/checklists/needs-survey/versions/1');
    expect(json.status).toBe(200);
    expect((await json.json<{ key: string }>()).key).toBe('needs-survey');
    const xlsx = await get('admin', '/admin/api/v1/offices/DEMO1/checklists/needs-survey/versions/1?format=xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('uploads a JSON definition: published, audited as the person, then previewed as the chat asks it', async () => {
    const res = await upload('admin', 'reading-week.json', definition());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('เผยแพร่ reading-week ฉบับ 1 แล้ว');
    expect(
      await count(h.db.db, sql`checklists WHERE key = 'reading-week' AND office_id = ${demo.office.id}::uuid`),
    ).toBe(1);
    expect(await count(h.db.db, sql`audit_log WHERE action LIKE 'checklist%' AND actor LIKE 'person:%'`)).toBe(1);
    const again = await upload('admin', 'reading-week.json', definition());
    expect(await again.text()).toContain('มีอยู่แล้วและเหมือนเดิม');

    const preview = await get('admin', `${BASE}/reading-week/1`);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('จัดกิจกรรมแล้วหรือไม่');
    expect(html).toMatch(/<span class="qr">ใช่<\/span><span class="qr">ไม่ใช่<\/span>/);
    expect(html).toMatch(/<span class="qr">งานหนังสือ<\/span><span class="qr">ประกวดเล่านิทาน<\/span>/);
    expect(html).toContain('เลือกได้มากกว่าหนึ่ง');
    expect(html).toContain('ถามเมื่อ / asked when: <code>${held} = &#39;yes&#39;</code>');
    expect((await get('admin', `${BASE}/reading-week/9`)).status).toBe(404);
  });

  it('a bad file is named path by path beside the file field, and nothing is published', async () => {
    const before = await count(h.db.db, sql`checklists`);
    const bad = await upload(
      'admin',
      'broken.json',
      definition({ key: 'broken-list', items: [{ type: 'yes_no', key: 'q1' }] }),
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="file"[^>]*aria-invalid="true"[^>]*aria-describedby="file-hint file-err"/);
    expect(html).toMatch(/<div id="file-err" class="field-error" role="alert">[\s\S]*<code>items\.0\.label<\/code>/);
    const changed = await upload('admin', 'reading-week.json', definition({ title: { th: 'ชื่อใหม่' } }));
    expect(changed.status).toBe(400);
    const empty = await upload('admin', 'nothing.json', '');
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('กรุณาเลือกไฟล์');
    expect(await count(h.db.db, sql`checklists`)).toBe(before);
  });

  it('directors read without the upload form and cannot upload; supervisors and another office see nothing', async () => {
    const before = await count(h.db.db, sql`checklists`);
    const dir = await get('director', BASE);
    expect(dir.status).toBe(200);
    expect(await dir.text()).not.toContain('<label for="file">');
    expect((await upload('director', 'x.json', definition({ key: 'director-list' }))).status).toBe(403);
    expect((await get('supervisor', BASE)).status).toBe(403);
    expect((await get('supervisor', `${BASE}/reading-week/1`)).status).toBe(403);
    expect((await upload('supervisor', 'x.json', definition({ key: 'supervisor-list' }))).status).toBe(403);
    // DEMO1's own version is not another office's: a 404 under its own office, a 404 for DEMO1's path.
    expect((await get('otherOffice', '/admin/offices/WEBK2/checklists/reading-week/1')).status).toBe(404);
    expect((await get('otherOffice', `${BASE}/reading-week/1`)).status).toBe(404);
    expect((await upload('otherOffice', 'x.json', definition({ key: 'other-list' }))).status).toBe(404);
    expect(await count(h.db.db, sql`checklists`)).toBe(before);
  });
});
