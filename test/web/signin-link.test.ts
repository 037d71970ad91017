// Sign-in to the web pages from LINE, per person (issue 13.1): `เข้าเว็บ` in chat gives a linked admin, director
// or supervisor a one-time link (10 minutes, once, stored as a hash); opening it shows a button and uses nothing;
// pressing it starts a server-side session for that person and office; others are refused kindly; the session
// ends when the person is blocked or no longer has a web role; the audit log names the person.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/admin/auth.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { adminApi, type Api } from '../admin/api.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
let api: Api;
const ORIGIN = 'http://nithet.test';
const LINK = /http:\/\/nithet\.test\/admin\/signin\/([A-Za-z0-9_-]{43})/;

const users = { supervisor: userId('web-sup'), director: userId('web-dir'), teacher: userId('web-teacher') };

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: ORIGIN } });
  demo = await seedDemo(h.db.db, h.clock.now);
  api = adminApi(h);
  await api('POST', '/offices', { code: 'WEBOTHER', nameTh: 'สพป.อื่น ทดสอบเว็บ' });
  for (const [role, user] of Object.entries(users)) {
    await h.post(ev.text(persona(demo, role).inviteCode, { user }));
    await h.post(ev.text('ใช่', { user }));
  }
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
});

/** Asks for a link in chat; returns the reply's text and the token in it (if any). */
async function ask(user: string, text = 'เข้าเว็บ'): Promise<{ text: string; token: string | undefined }> {
  const [reply] = await h.post(ev.text(text, { user }));
  const t = replyTexts(reply).join('\n');
  return { text: t, token: LINK.exec(t)?.[1] };
}

const open = (token: string) => h.fetch(`/admin/signin/${token}`, { redirect: 'manual' });
const press = (token: string) =>
  h.fetch(`/admin/signin/${token}`, { method: 'POST', headers: { origin: ORIGIN }, redirect: 'manual' });
const page = (path: string, cookie: string, init: RequestInit = {}) =>
  h.fetch(path, { ...init, headers: { cookie, ...init.headers }, redirect: 'manual' });
const cookieOf = (res: Response) => /nithet_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';

async function signIn(user: string): Promise<string> {
  const { token } = await ask(user);
  const res = await press(token ?? '');
  expect(res.status).toBe(303);
  return cookieOf(res);
}

describe('the link in chat', () => {
  it('a supervisor gets a one-time link by reply; only its hash is stored, valid 10 minutes', async () => {
    const { text, token } = await ask(users.supervisor, 'เข้าเว็บครับ');
    expect(text).toContain('ใช้ได้ครั้งเดียวภายใน 10 นาที');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await one<{ person_id: string; expires_ms: number; created_ms: number }>(
      h.db.db,
      sql`SELECT person_id, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms,
                 (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
            FROM admin_signin_links WHERE token_hash = ${await tokenHash(token ?? '')}`,
    );
    expect(row.expires_ms - row.created_ms).toBe(10 * 60_000);
    expect(await count(h.db.db, sql`admin_signin_links WHERE token_hash = ${token ?? ''}`)).toBe(0);
  });

  it('others asking get a polite refusal and no link', async () => {
    const before = await count(h.db.db, sql`admin_signin_links`);
    const { text, token } = await ask(users.teacher);
    expect(token).toBeUndefined();
    expect(text).toContain('เว็บของสำนักงานเปิดให้ผู้ดูแลระบบ ผู้อำนวยการเขต และศึกษานิเทศก์');
    expect(await count(h.db.db, sql`admin_signin_links`)).toBe(before);
  });

  it('the postback a=web (for a menu tile or a button) works as the word does', async () => {
    const [reply] = await h.post(ev.postback('a=web', { user: users.director }));
    expect(replyTexts(reply).join('\n')).toMatch(LINK);
  });
});

describe('opening and using the link', () => {
  it('GET shows a button and uses nothing (link previews fetch URLs); POST signs in once', async () => {
    const { token } = await ask(users.supervisor);
    const link = token ?? '';
    for (let i = 0; i < 2; i++) {
      const res = await open(link);
      expect(res.status).toBe(200);
      // same-origin, not no-referrer: under no-referrer Chromium posts the button with `Origin: null` (browser test).
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('set-cookie')).toBeNull();
      const html = await res.text();
      expect(html).toContain(`<form method="post" action="/admin/signin/${link}">`);
      // Nothing personal on a page a preview bot may keep.
      expect(html).not.toContain(persona(demo, 'supervisor').name);
    }
    const used = await press(link);
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/admin/offices');
    const set = used.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/nithet_admin=[A-Za-z0-9_-]{43};/);
    expect(set).toMatch(/HttpOnly/i);
    // Once only: a second press, or a later open, finds nothing.
    expect((await press(link)).status).toBe(410);
    expect((await open(link)).status).toBe(410);
    // The session is the person's: their office, straight away.
    const cookie = cookieOf(used);
    const offices = await page('/admin/offices', cookie);
    expect(offices.headers.get('location')).toBe('/admin/offices/DEMO1');
    expect((await page('/admin/offices/DEMO1', cookie)).status).toBe(200);
    expect((await page('/admin/offices/WEBOTHER', cookie)).status).toBe(404);
    const sup = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${users.supervisor}`);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'admin.signin' AND actor = ${`person:${sup.id}`}`)).toBe(
      1,
    );
    expect(await count(h.db.db, sql`admin_sessions WHERE person_id = ${sup.id} AND kind = 'person'`)).toBe(1);
  });

  it('a link older than 10 minutes, a forged one, and a cross-site press are refused', async () => {
    const { token } = await ask(users.supervisor);
    const was = h.clock.now;
    h.clock.now = was + 10 * 60_000 + 1;
    try {
      expect((await open(token ?? '')).status).toBe(410);
      expect((await press(token ?? '')).status).toBe(410);
    } finally {
      h.clock.now = was;
    }
    expect((await open('A'.repeat(43))).status).toBe(410);
    expect((await open('short')).status).toBe(410);
    const fresh = (await ask(users.supervisor)).token ?? '';
    const foreign = await h.fetch(`/admin/signin/${fresh}`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect((await press(fresh)).status).toBe(303);
  });
});

describe("a person's session", () => {
  it('a director reads the pages and the API (audited by name), and writes nothing', async () => {
    const cookie = await signIn(users.director);
    const dir = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${users.director}`);
    expect((await page('/admin/offices/DEMO1/people', cookie)).status).toBe(200);
    const api = await page('/admin/api/v1/offices/DEMO1/people', cookie);
    expect(api.status).toBe(200);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'people.list' AND actor = ${`person:${dir.id}`}`)).toBe(1);
    const invite = await page(`/admin/offices/DEMO1/people/${dir.id}/invite`, cookie, {
      method: 'POST',
      headers: { origin: ORIGIN },
    });
    expect(invite.status).toBe(403);
    // The audit page shows the person's name for what they did.
    const audit = await (await page('/admin/offices/DEMO1/audit?action=people.read', cookie)).text();
    expect(audit).toContain(`<td>${persona(demo, 'director').name}</td>`);
  });

  it("a supervisor's session does not open the office-wide API", async () => {
    const cookie = await signIn(users.supervisor);
    expect((await page('/admin/api/v1/offices/DEMO1/people', cookie)).status).toBe(403);
  });

  it('ends when the role is no longer a web role, when the person blocks the bot, and after 12 hours', async () => {
    const cookie = await signIn(users.supervisor);
    const sup = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${users.supervisor}`);
    expect((await page('/admin/offices/DEMO1', cookie)).status).toBe(200);
    const school = await one<{ code: string }>(h.db.db, sql`SELECT code FROM schools ORDER BY code LIMIT 1`);
    const patch = (body: unknown) => api('PATCH', `/offices/DEMO1/people/${sup.id}`, body);
    expect((await patch({ role: 'teacher', schoolCode: school.code })).status).toBe(200);
    expect((await page('/admin/offices/DEMO1', cookie)).status).toBe(303);
    expect((await patch({ role: 'supervisor', schoolCode: null })).status).toBe(200);
    // The role is back; the session that ended stays ended.
    expect((await page('/admin/offices/DEMO1', cookie)).status).toBe(303);

    const again = await signIn(users.supervisor);
    await h.post(ev.unfollow({ user: users.supervisor }));
    expect((await page('/admin/offices/DEMO1', again)).status).toBe(303);
    await h.post(ev.follow({ user: users.supervisor }));

    const third = await signIn(users.supervisor);
    const was = h.clock.now;
    h.clock.now = was + 12 * 3_600_000 - 1;
    try {
      expect((await page('/admin/offices/DEMO1', third)).status).toBe(200);
      h.clock.now = was + 12 * 3_600_000;
      expect((await page('/admin/offices/DEMO1', third)).status).toBe(303);
    } finally {
      h.clock.now = was;
    }
  });
});
