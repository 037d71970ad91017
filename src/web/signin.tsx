/** @jsxImportSource hono/jsx */
// The one-time sign-in link a linked admin, director or supervisor gets in chat (`เข้าเว็บ`): /admin/signin/<token>.
// Opening it (GET) only shows a button; pressing it (POST) uses the link and starts the person's session. Link
// previews and safety scanners fetch URLs from chats with GET, and LINE's in-app browser may prefetch: a GET that
// used the link would burn it before the person ever saw it. The GET reads nothing personal either (a preview
// could keep what it shows), and the POST is a same-origin form, like every other POST of the pages.
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { adminToken, newSecret, SECRET_SHAPE, SESSION_TTL_MS, tokenHash } from '../admin/auth.js';
import { consumeSigninLink, usableSigninLink } from '../admin/sessions.queries.js';
import type { AppEnv } from '../deps.js';
import { isUuid } from '../ids/uuid.js';
import { Layout } from './layout.js';
import { sameOrigin, setSessionCookie } from './session.js';
import { msg } from '../i18n/msg.js';

/** How long a link from chat works, and the path it points at. */
export const SIGNIN_LINK_TTL_MS = 10 * 60_000;
export const signinPath = (token: string) => `/admin/signin/${token}`;

function linkPage(c: Context<AppEnv>, status: 200 | 410, body: Child) {
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header('X-Frame-Options', 'DENY');
  // The token is in the URL: it goes into no cache and no search index, and in a Referer only to this host
  // (same-origin, as the layout's meta tag says too). Not no-referrer: under it a browser that follows the header
  // posts the button's form with `Origin: null` and no Referer, which sameOrigin (rightly) refuses, so the link
  // could never be used.
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  return c.html(
    <Layout title={msg.web.signin.linkTitle} signedIn={false} sections={[]}>
      <p class="muted">{msg.web.signin.linkTitleEn}</p>
      {body}
    </Layout>,
    status,
  );
}

const invalid = (c: Context<AppEnv>) =>
  linkPage(
    c,
    410,
    <p class="error" role="alert">
      {msg.web.signin.linkInvalid}
    </p>,
  );

/** Where the link asks to land (src/signin/chat.ts makes these): the reports page, an agency project, or home. */
function landingOf(c: Context<AppEnv>): 'reports' | { agency: string } | null {
  const to = c.req.query('to');
  if (to === 'reports') return 'reports';
  const id = c.req.query('id') ?? '';
  return to === 'agency' && isUuid(id) ? { agency: id } : null;
}

/** The landing as the link's query, kept on the form that consumes it. */
function landingQuery(c: Context<AppEnv>): string {
  const l = landingOf(c);
  return l === null ? '' : l === 'reports' ? '?to=reports' : `?to=agency&id=${l.agency}`;
}

export function signinLinkRoutes(app: Hono<AppEnv>): void {
  app.use('/signin/*', sameOrigin);

  app.get('/signin/:token', async (c) => {
    adminToken(c);
    const token = c.req.param('token');
    const { db, now } = c.var.deps;
    if (!SECRET_SHAPE.test(token) || (await usableSigninLink(db, await tokenHash(token), now())) === undefined) {
      return invalid(c);
    }
    const to = landingQuery(c);
    return linkPage(
      c,
      200,
      <form method="post" action={`${signinPath(token)}${to}`}>
        <p>{msg.web.signin.linkBody}</p>
        <button type="submit">{msg.web.signin.linkButton}</button>
      </form>,
    );
  });

  app.post('/signin/:token', async (c) => {
    adminToken(c);
    const token = c.req.param('token');
    if (!SECRET_SHAPE.test(token)) return invalid(c);
    const { db, now } = c.var.deps;
    const id = newSecret();
    const used = await consumeSigninLink(db, await tokenHash(token), await tokenHash(id), now(), SESSION_TTL_MS);
    if (used === undefined) return invalid(c);
    setSessionCookie(c, id);
    // `รายงาน` in chat: the link lands on the person's office's reports page; an agency stage's reminder button, on
    // that project's page of the person's office (only these fixed shapes: no open redirect).
    const landing = landingOf(c);
    if (landing === 'reports') return c.redirect(`/admin/offices/${used.office_id}/reports`, 303);
    if (landing !== null) return c.redirect(`/admin/offices/${used.office_id}/agencies/${landing.agency}`, 303);
    return c.redirect('/admin/offices', 303);
  });
}
