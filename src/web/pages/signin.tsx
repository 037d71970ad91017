/** @jsxImportSource hono/jsx */
// Sign-in with a token (ADMIN_TOKEN, or an office token for its own office) and sign-out. The one-time links from
// chat are ../signin.tsx.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { adminToken, sessionPrincipal } from '../../admin/auth.js';
import type { AppEnv } from '../../deps.js';
import { attemptSignIn, formBody, signOut } from '../session.js';
import { t } from '../web.th.js';
import { page } from './render.js';
import { msg } from '../../i18n/msg.js';

function SignInForm(props: { error: boolean; retryAfterSeconds?: number }): Child {
  return (
    <form method="post" action="/admin/login">
      <p class="muted">{t.signInTitleEn}</p>
      <p class="muted">{msg.web.signin.formHint}</p>
      {props.retryAfterSeconds !== undefined ? (
        <p class="error" role="alert">
          {t.tooManyTries(Math.ceil(props.retryAfterSeconds / 60))}
          <br />
          {t.tooManyTriesEn}
        </p>
      ) : props.error ? (
        <p class="error" role="alert">
          {t.wrongToken}
          <br />
          {t.wrongTokenEn}
        </p>
      ) : null}
      <p>
        <label for="token">{t.tokenLabel}</label>
        <br />
        <input id="token" name="token" type="password" autocomplete="current-password" required size={40} />
      </p>
      <button type="submit">{t.signIn}</button>
    </form>
  );
}

export function signInPages(app: Hono<AppEnv>): void {
  app.get('/', async (c) => {
    adminToken(c); // without ADMIN_TOKEN there is no sign-in form: a 404, as for the API
    if ((await sessionPrincipal(c)) !== undefined) return c.redirect('/admin/offices', 303);
    return page(c, { title: t.signInTitle, signedIn: false }, <SignInForm error={false} />);
  });

  app.post('/login', async (c) => {
    const token = (await formBody(c)).get('token') ?? '';
    const result = await attemptSignIn(c, token);
    if (result.ok) return c.redirect('/admin/offices', 303);
    if (result.retryAfterSeconds !== undefined) {
      c.header('Retry-After', String(result.retryAfterSeconds));
      return page(
        c,
        { title: t.signInTitle, status: 429, signedIn: false },
        <SignInForm error={true} retryAfterSeconds={result.retryAfterSeconds} />,
      );
    }
    return page(c, { title: t.signInTitle, status: 401, signedIn: false }, <SignInForm error={true} />);
  });

  app.post('/logout', async (c) => {
    await signOut(c);
    return c.redirect('/admin', 303);
  });
}
