// Web sessions for tests: a demo persona links in chat with its invite code, types เข้าเว็บ, and uses the link the
// bot replies with, as a person would. The harness must be started with PUBLIC_BASE_URL (or `listen`). webOffice()
// is the signed-in office most page tests start from; Chromium is launched by ./browser.ts.
import { expect } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from './events.js';
import { persona, replyTexts, startHarness, type Harness } from './harness.js';

/** The demo office's pages. */
export const OFFICE = '/admin/offices/DEMO1';

export interface WebOffice {
  h: Harness;
  demo: DemoSeed;
  /** Session cookies of the demo admin, director and supervisor, each signed in from chat. */
  admin: string;
  director: string;
  supervisor: string;
}

/** A harness with the demo office seeded and its admin, director and supervisor signed in from chat. */
export async function webOffice(): Promise<WebOffice> {
  const h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  const demo = await seedDemo(h.db.db, h.clock.now);
  return {
    h,
    demo,
    admin: await personCookie(h, demo, 'admin'),
    director: await personCookie(h, demo, 'director'),
    supervisor: await personCookie(h, demo, 'supervisor'),
  };
}

/** A GET with the session's cookie; redirects are answered, not followed. */
export function getPage(h: Harness, path: string, cookie: string): Promise<Response> {
  return h.fetch(path, { headers: { cookie }, redirect: 'manual' });
}

const LINK = /\/admin\/signin\/([A-Za-z0-9_-]{43})/;

/** The cookie header of a new session for the demo persona of `role` (linked as LINE user `user` on first use). */
export async function personCookie(h: Harness, demo: DemoSeed, role: string, user = `web-${role}`): Promise<string> {
  const id = userId(user);
  await h.post(ev.text(persona(demo, role).inviteCode, { user: id }));
  await h.post(ev.text('ใช่', { user: id })); // whose account it is: confirmed
  const [reply] = await h.post(ev.text('เข้าเว็บ', { user: id }));
  const token = LINK.exec(replyTexts(reply).join('\n'))?.[1];
  expect(token, `no sign-in link for ${role}`).toBeDefined();
  const res = await h.fetch(`/admin/signin/${token ?? ''}`, {
    method: 'POST',
    headers: { origin: 'http://nithet.test' },
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return /nithet_admin=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
}

/** A POST of a multipart form from this origin with the session's cookie. */
export function postForm(h: Harness, path: string, cookie: string, form: FormData): Promise<Response> {
  return h.fetch(path, {
    method: 'POST',
    headers: { cookie, origin: 'http://nithet.test' },
    body: form,
    redirect: 'manual',
  });
}

/** A POST of an urlencoded form from this origin with the session's cookie. */
export function postFields(
  h: Harness,
  path: string,
  cookie: string,
  fields: Record<string, string> | [string, string][],
): Promise<Response> {
  return h.fetch(path, {
    method: 'POST',
    headers: { cookie, origin: 'http://nithet.test', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}
