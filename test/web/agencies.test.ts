// Work with other agencies (issue 16 item 5, seed 000 part 3) on the web and through the tick: the admin adds a
// project (its study stage a follow-up of the owner), keeps a PDF with the stage in the evidence blob store (a file
// that is not what its name says is refused beside the field), advances to the proposal stage (the study closed with
// its note, the next owner and dates named); bad fields are named beside them and write nothing. The stage's due-day
// reminder reaches the owner inside their one daily push, through the real tick. A director reads only; a supervisor
// does not open the pages, except a project they own a stage of: their reminder's button (through the webhook) gives
// a one-time sign-in link landing on it, to read, since the admin ends a stage on the web. The API shares the actions.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { adminApi } from '../admin/api.js';
import { ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { personCookie, postFields, postForm } from '../support/web.js';

let h: Harness;
let demo: DemoSeed;
const cookie = { admin: '', director: '', supervisor: '' };
const BASE = '/admin/offices/DEMO1';
const OWNER = userId('web-admin');
let ownerId = '';
let directorId = '';
let projectId = '';

const get = async (path: string, who: keyof typeof cookie) => {
  const res = await h.fetch(`${BASE}${path}`, { headers: { cookie: cookie[who] }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), res };
};
const PDF = new TextEncoder().encode('%PDF-1.4\n% ทดสอบ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026, 09:00 in Bangkok
  for (const who of ['admin', 'director', 'supervisor'] as const) cookie[who] = await personCookie(h, demo, who);
  ownerId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${OWNER}`)).id;
  directorId = (
    await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${userId('web-director')}`)
  ).id;
}, 180_000);
afterAll(() => h.close());

describe('an agency project on the web', () => {
  it('bad fields are named beside them; nothing is written', async () => {
    const res = await postFields(h, `${BASE}/agencies`, cookie.admin, {
      titleTh: '',
      agencyTh: 'สำนักงานสาธารณสุขอำเภอสมมุติ',
      scope: 'outside',
      ownerId: '',
      startsOn: '2026-11-20',
      dueOn: '2026-11-19',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="titleTh-error"');
    expect(html).toContain('id="ownerId-error"');
    expect(html).toContain('value="สำนักงานสาธารณสุขอำเภอสมมุติ"');
    const before = await postFields(h, `${BASE}/agencies`, cookie.admin, {
      titleTh: 'โครงการอาหารกลางวันปลอดภัย',
      agencyTh: 'สำนักงานสาธารณสุขอำเภอสมมุติ',
      scope: 'outside',
      ownerId,
      startsOn: '2026-11-20',
      dueOn: '2026-11-19',
    });
    expect(before.status).toBe(400);
    expect(await before.text()).toContain('id="dueOn-error"');
    expect(await count(h.db.db, sql`agency_projects`)).toBe(0);
    expect(await count(h.db.db, sql`office_tasks WHERE source = 'agency'`)).toBe(0);
  });

  it('a project starts at the study stage, a follow-up of its owner, audited', async () => {
    const res = await postFields(h, `${BASE}/agencies`, cookie.admin, {
      titleTh: 'โครงการอาหารกลางวันปลอดภัย',
      agencyTh: 'สำนักงานสาธารณสุขอำเภอสมมุติ',
      scope: 'outside',
      ownerId,
      startsOn: '2026-11-20',
      dueOn: '2026-11-25',
    });
    expect(res.status).toBe(303);
    projectId = /agencies\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const list = await get('/agencies', 'admin');
    expect(list.html).toMatch(new RegExp(`data-project="${projectId}"[\\s\\S]*?data-cell="stage">ศึกษา วิเคราะห์`));
    expect(list.html).toContain('25 พ.ย. 2569');
    const page = await get(`/agencies/${projectId}`, 'admin');
    expect(page.html).toMatch(/data-stage="study"[\s\S]*?data-cell="status">กำลังดำเนินการ/);
    expect(page.html).toMatch(/data-stage="propose"[\s\S]*?data-cell="status">ยังไม่ถึง/);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'agency.create'`)).toBe(1);
  });

  it('a PDF is kept with the stage in the blob store and downloads; a fake one is refused beside the field', async () => {
    const fake = new FormData();
    fake.append('docTitle', 'บันทึกข้อตกลง');
    fake.append('file', new Blob([new TextEncoder().encode('not a pdf')]), 'บันทึกข้อตกลง.pdf');
    const bad = await postForm(h, `${BASE}/agencies/${projectId}/documents`, cookie.admin, fake);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="file-error"');
    const form = new FormData();
    form.append('docTitle', 'บันทึกข้อตกลงความร่วมมือ');
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'บันทึกข้อตกลง.pdf');
    const ok = await postForm(h, `${BASE}/agencies/${projectId}/documents`, cookie.admin, form);
    expect(ok.status).toBe(303);
    const page = await get(`/agencies/${projectId}`, 'admin');
    const href = new RegExp(`href="(${BASE}/agencies/${projectId}/documents/[0-9a-f-]{36})">บันทึกข้อตกลงความร่วมมือ`).exec(
      page.html,
    )?.[1];
    expect(href).toMatch(/\/documents\/[0-9a-f-]{36}$/);
    const file = await h.fetch(href ?? '', { headers: { cookie: cookie.director } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'agency.document.view'`)).toBe(1);
  });

  it('advancing needs the next owner; then the study is done with its note and the proposal open', async () => {
    const bad = await postFields(h, `${BASE}/agencies/${projectId}/advance`, cookie.admin, {
      noteTh: 'ศึกษาภารกิจแล้ว',
      nextOwnerId: '',
      nextStarts: '2026-11-26',
      nextDue: '2026-11-30',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="nextOwnerId-error"');
    const ok = await postFields(h, `${BASE}/agencies/${projectId}/advance`, cookie.admin, {
      noteTh: 'ศึกษาภารกิจแล้ว',
      nextOwnerId: directorId,
      nextStarts: '2026-11-26',
      nextDue: '2026-11-30',
    });
    expect(ok.status).toBe(303);
    const page = await get(`/agencies/${projectId}`, 'admin');
    expect(page.html).toMatch(/data-stage="study"[\s\S]*?data-cell="status">เสร็จ[\s\S]*?ศึกษาภารกิจแล้ว/);
    expect(page.html).toMatch(/data-stage="propose"[\s\S]*?ดร\.วรวุฒิ ตัวอย่างดี[\s\S]*?data-cell="status">กำลังดำเนินการ/);
    expect(page.html).toContain('หนังสือขออนุมัติการสนับสนุน');
    // The study's reminders not yet bundled were withdrawn with it; the proposal's are queued for its owner.
    const queued = await one<{ study: number; propose: number }>(
      h.db.db,
      sql`SELECT count(*) FILTER (WHERE i.person_id = ${ownerId}::uuid AND i.bundled_on IS NULL)::int AS study,
                 count(*) FILTER (WHERE i.person_id = ${directorId}::uuid)::int AS propose
            FROM outbox_items i WHERE i.key LIKE 'task:%'`,
    );
    expect(queued).toEqual({ study: 0, propose: 3 });
  });

  it('a director reads without a form and may not write; a supervisor may not open it', async () => {
    const page = await get(`/agencies/${projectId}`, 'director');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`<form method="post" action="${BASE}/agencies`);
    const res = await postFields(h, `${BASE}/agencies/${projectId}/advance`, cookie.director, { noteTh: 'x' });
    expect(res.status).toBe(403);
    expect((await get('/agencies', 'supervisor')).status).toBe(403);
  });
});

describe('the owner picker', () => {
  const radios = (html: string, name: string) =>
    [...html.matchAll(new RegExp(`<input type="radio" name="${name}" value="([^"]+)"`, 'g'))].map((m) => m[1]);

  it('a search finds staff by name and keeps what was typed; the list page names nobody before it', async () => {
    const admin = await one<{ name: string }>(
      h.db.db,
      sql`SELECT display_name AS name FROM people WHERE id = ${ownerId}`,
    );
    expect(radios((await get('/agencies', 'admin')).html, 'ownerId')).toEqual([]);
    const qs = new URLSearchParams({
      titleTh: 'โครงการค้นหาผู้รับผิดชอบ',
      agencyTh: 'หน่วยงานสมมุติ',
      scope: 'inside',
      ownerId: '',
      startsOn: '2026-11-20',
      dueOn: '2026-11-30',
      who: admin.name,
    });
    const listed = await get(`/agencies?${qs.toString()}`, 'admin');
    expect(listed.status).toBe(200);
    const list = listed.html;
    expect(radios(list, 'ownerId')).toContain(ownerId);
    expect(list).toContain('value="โครงการค้นหาผู้รับผิดชอบ"');
    expect(list).toMatch(/<option value="inside" selected="">/);
    const step = new URLSearchParams({
      noteTh: 'ประสานแล้ว',
      nextOwnerId: '',
      nextStarts: '',
      nextDue: '',
      who: admin.name,
    });
    const project = (await get(`/agencies/${projectId}?${step.toString()}`, 'admin')).html;
    expect(radios(project, 'nextOwnerId')).toContain(ownerId);
    expect(project).toContain('ประสานแล้ว');
    expect(project).toContain(`formaction="/admin/offices/DEMO1/agencies/${projectId}#nextOwnerId-picker"`);
  });

  it('a teacher or another office’s person as owner is refused beside the field; nothing is written', async () => {
    const other = await one<{ id: string }>(
      h.db.db,
      sql`WITH o AS (INSERT INTO offices (code, name_th) VALUES ('AGEN2', 'สพป.อื่น ทดสอบผู้รับผิดชอบ') RETURNING id)
          INSERT INTO people (office_id, role, display_name) SELECT id, 'supervisor', 'ศน.ต่างเขต' FROM o RETURNING id`,
    );
    const teacher = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE office_id = ${demo.office.id}::uuid AND school_id IS NOT NULL LIMIT 1`,
    );
    const projects = await count(h.db.db, sql`agency_projects`);
    for (const id of [other.id, teacher.id]) {
      const res = await postFields(h, `${BASE}/agencies`, cookie.admin, {
        titleTh: 'โครงการผู้รับผิดชอบผิดคน',
        agencyTh: 'หน่วยงานสมมุติ',
        scope: 'outside',
        ownerId: id,
        startsOn: '2026-11-20',
        dueOn: '2026-11-30',
        who: 'ศน.',
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('id="ownerId-error"');
      expect(html).toContain('value="ศน."');
    }
    expect(await count(h.db.db, sql`agency_projects`)).toBe(projects);
  });
});

describe('reminders through the tick', () => {
  it("a stage's due day reaches its owner inside their one daily push", async () => {
    // Through the API (the same action): a stage due Wednesday 25 November, owned by the linked admin.
    const api = adminApi(h);
    const made = await api('POST', '/offices/DEMO1/agencies', {
      titleTh: 'ค่ายวิทยาศาสตร์ร่วมกับมหาวิทยาลัยสมมุติ',
      agencyTh: 'มหาวิทยาลัยสมมุติ',
      scope: 'outside',
      ownerId,
      startsOn: '2026-11-20',
      dueOn: '2026-11-25',
    });
    expect(made.status).toBe(201);
    const pushes = () =>
      h.line
        .pushes()
        .filter((p) => (p.body as { to?: string }).to === OWNER)
        .map((p) => JSON.stringify(p.body));
    const before = pushes().length;
    await tick(h.deps, Date.parse('2026-11-25T01:01:00Z'));
    await tick(h.deps, Date.parse('2026-11-25T05:01:00Z'));
    const today = pushes().slice(before);
    expect(today).toHaveLength(1);
    expect(today[0]).toContain('งานร่วมกับหน่วยงานอื่น: ครบกำหนดวันนี้');
    expect(today[0]).toContain('ค่ายวิทยาศาสตร์ร่วมกับมหาวิทยาลัยสมมุติ');
    const kinds = await one<{ kinds: string[] }>(
      h.db.db,
      sql`SELECT array_agg(DISTINCT o.kind) AS kinds FROM outbox o WHERE o.person_id = ${ownerId}::uuid`,
    );
    expect(kinds.kinds).toEqual(['bundle']);
  });
});

describe("a stage's owner from the reminder's button", () => {
  const SUPERVISOR = userId('web-supervisor');
  it('the reminder asks for a sign-in link that lands on that project’s page, to read; nothing else opens', async () => {
    const supervisorId = (
      await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${SUPERVISOR}`)
    ).id;
    const made = await adminApi(h)('POST', '/offices/DEMO1/agencies', {
      titleTh: 'อบรมครูร่วมกับศูนย์วิทยาศาสตร์สมมุติ',
      agencyTh: 'ศูนย์วิทยาศาสตร์สมมุติ',
      scope: 'outside',
      ownerId: supervisorId,
      startsOn: '2026-11-20',
      dueOn: '2026-11-27',
    });
    expect(made.status).toBe(201);
    const own = (
      await one<{ id: string }>(h.db.db, sql`SELECT id FROM agency_projects WHERE agency_th = 'ศูนย์วิทยาศาสตร์สมมุติ'`)
    ).id;
    await tick(h.deps, Date.parse('2026-11-27T01:01:00Z')); // Friday, the due day: one push to the owner
    const push = h.line
      .pushes()
      .filter((p) => (p.body as { to?: string }).to === SUPERVISOR)
      .map((p) => JSON.stringify(p.body));
    expect(push).toHaveLength(1);
    expect(push[0]).toContain('อบรมครูร่วมกับศูนย์วิทยาศาสตร์สมมุติ');
    const data = `a=web&to=agency&id=${own}`;
    expect(push[0]).toContain(`"data":"${data}"`);

    // The button through the webhook: a one-time link to that page.
    const [reply] = await h.post(ev.postback(data, { user: SUPERVISOR }));
    const text = replyTexts(reply).join('\n');
    const token = new RegExp(`/admin/signin/([A-Za-z0-9_-]{43})\\?to=agency&id=${own}$`, 'm').exec(text)?.[1];
    expect(token, text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const link = `/admin/signin/${token ?? ''}?to=agency&id=${own}`;
    expect(await (await h.fetch(link)).text()).toContain(`action="${link.replace(/&/g, '&amp;')}"`);
    const signedIn = await h.fetch(link, {
      method: 'POST',
      headers: { origin: 'http://nithet.test' },
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/admin/offices/${demo.office.id}/agencies/${own}`);
    const session = /nithet_admin=[^;]+/.exec(signedIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const landing = await h.fetch(signedIn.headers.get('location') ?? '', { headers: { cookie: session } });
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toMatch(/data-stage="study"[\s\S]*?data-cell="status">กำลังดำเนินการ/);
    expect(html).not.toMatch(/<form method="post" action="[^"]*\/agencies\//); // read only: the admin advances

    // Only their own project, only to read.
    const as = (path: string, init: RequestInit = {}) =>
      h.fetch(`${BASE}${path}`, { ...init, headers: { cookie: session, origin: 'http://nithet.test' } });
    expect((await as(`/agencies/${own}`)).status).toBe(200);
    expect((await as(`/agencies/${projectId}`)).status).toBe(403);
    expect((await as('/agencies')).status).toBe(403);
    const advance = await postFields(h, `${BASE}/agencies/${own}/advance`, session, { noteTh: 'เสร็จแล้ว' });
    expect(advance.status).toBe(403);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'agency.advance' AND target_id = ${own}`)).toBe(0);
    // A bad id in the button is an ordinary link home.
    const [plain] = await h.post(ev.postback('a=web&to=agency&id=nope', { user: SUPERVISOR }));
    expect(replyTexts(plain).join('\n')).toMatch(/\/admin\/signin\/[A-Za-z0-9_-]{43}$/m);
  });
});
