// Sign-in for the web pages: a posted token (ADMIN_TOKEN, or an office token for its own office) or a one-time
// link from chat (signin.tsx) starts a server-side session (src/admin/sessions.queries.ts) whose random id is the
// cookie. Guards: pages without a live session send the browser to the sign-in form, and every POST must come from
// this host (Origin, else Referer), on top of the cookie's SameSite=Strict, because older browsers and some in-app
// browsers (LINE's own among them) do not all honour SameSite.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  ADMIN_COOKIE,
  adminToken,
  deploymentTag,
  guessGate,
  newSecret,
  rightGuess,
  SECRET_SHAPE,
  SESSION_TTL_MS,
  sessionPrincipal,
  tokenHash,
  tokenPrincipal,
} from '../admin/auth.js';
import { audit } from '../audit/audit.queries.js';
import { can, scopeOf } from '../admin/scope.js';
import { insertSession, revokeSession } from '../admin/sessions.queries.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { officeGroupMember } from '../officesar/access.js';
import { readCapped } from '../http/body.js';

/** The scheme the browser used: https behind a TLS-terminating proxy shows in X-Forwarded-Proto. */
function isHttps(c: Context<AppEnv>): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Puts a new session id in the cookie; the server's expires_at is what counts, Max-Age only tidies the browser. */
export function setSessionCookie(c: Context<AppEnv>, id: string): void {
  setCookie(c, ADMIN_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/admin',
    secure: isHttps(c),
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export type SignInResult = { ok: true } | { ok: false; retryAfterSeconds?: number };

/**
 * A sign-in with a token: counted as a guess first, and refused outright (with the seconds until the window ends)
 * once this client has used up its guesses; otherwise the token is checked. A right one starts a session
 * (deployment, or the office token's office) and its guess is taken back, also when everyone's budget for the
 * window is spent; a wrong one stays counted, and with the budget spent is answered with the wait.
 */
export async function attemptSignIn(c: Context<AppEnv>, given: string): Promise<SignInResult> {
  const gate = await guessGate(c, 'web');
  if (gate.retryAfterSeconds !== undefined) return { ok: false, retryAfterSeconds: gate.retryAfterSeconds };
  const p = given === '' ? undefined : await tokenPrincipal(c, given);
  if (p === undefined) {
    const wait = gate.budgetRetryAfterSeconds;
    return wait === undefined ? { ok: false } : { ok: false, retryAfterSeconds: wait };
  }
  await rightGuess(c, gate);
  const { db, now } = c.var.deps;
  const id = newSecret();
  const at = now();
  if (p.kind === 'deployment') {
    await insertSession(
      db,
      await tokenHash(id),
      { kind: 'deployment', tokenTag: await deploymentTag(given) },
      at,
      SESSION_TTL_MS,
    );
  } else {
    await db.transaction(async (tx) => {
      await insertSession(
        tx,
        await tokenHash(id),
        { kind: 'office', officeId: p.officeId, tokenId: p.tokenId },
        at,
        SESSION_TTL_MS,
      );
      await audit(tx, {
        actor: `office-token:${p.tokenId}`,
        officeId: p.officeId,
        action: 'admin.signin',
        targetType: 'admin_token',
        targetId: p.tokenId,
      });
    });
  }
  setSessionCookie(c, id);
  return { ok: true };
}

/** Ends the session on the server (a copied cookie is dead too) and clears it in the browser. */
export async function signOut(c: Context<AppEnv>): Promise<void> {
  const id = getCookie(c, ADMIN_COOKIE);
  if (id !== undefined && SECRET_SHAPE.test(id)) {
    await revokeSession(c.var.deps.db, await tokenHash(id), c.var.deps.now());
  }
  deleteCookie(c, ADMIN_COOKIE, { path: '/admin', secure: isHttps(c) });
}

/**
 * Paths under /admin where a scope with `own.write` (a supervisor) may write: their own visits and feedback. The
 * page's handler still checks that the row is the person's own, in SQL.
 */
export const OWN_WRITE_PATHS: RegExp[] = [
  // Feedback on a school's SAR (src/web/pages/school.tsx): the school must be in the supervisor's scope.
  /^\/admin\/offices\/[^/]+\/schools\/[^/]+\/sar-feedback$/,
  // An indicator of the office SAR, entered by a person of its lead group (the statement checks the group).
  /^\/admin\/offices\/[^/]+\/office-sar\/sars\/[0-9a-f-]{36}\/indicators\/[^/]+$/,
];

/** The paths a committee member's session may open: the list of offices (a redirect) and the committee's pages. */
const COMMITTEE_PATH = /^\/admin\/offices(?:\/[^/]+\/committee(?:\/.*)?)?$/;

/**
 * Pages need a live session; without one the browser goes to the sign-in form (a 404 when ADMIN_TOKEN is unset).
 * Who signed in is put on the context (`admin`), as the API's guard does. Any write needs `office.write` (admins),
 * except on OWN_WRITE_PATHS, which need `own.write`: a director reads only, and a supervisor writes only their own.
 */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  adminToken(c);
  const principal = await sessionPrincipal(c);
  if (principal === undefined) return c.redirect('/admin', 303);
  // A committee member's session opens the committee's pages and nothing else of the office, whatever a page's
  // own guard says (the dashboard, for one, is open to every school scope).
  if (principal.kind === 'person' && principal.role === 'committee' && !COMMITTEE_PATH.test(c.req.path)) {
    throw new AppError('forbidden', 'A committee member’s session opens the committee’s pages only');
  }
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const scope = scopeOf(principal);
    const own = OWN_WRITE_PATHS.some((re) => re.test(c.req.path));
    if (!can(scope, 'office.write') && !(own && can(scope, 'own.write'))) {
      throw new AppError('forbidden', 'This session may not write here');
    }
  }
  c.set('admin', principal);
  // Group membership opens the office SAR to a supervisor, so the guard and the menu both need it (one statement).
  if (principal.kind === 'person') {
    c.set('officeGroup', await officeGroupMember(c.var.deps.db, principal.officeId, scopeOf(principal)));
  }
  await next();
};

/**
 * A POST whose Origin (or, without one, Referer) is not this host is refused: a forged cross-site form. A POST
 * with neither header is refused too; every browser that renders these pages sends at least one of them.
 */
export const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'POST') {
    const own = new URL(c.req.url);
    const origin = c.req.header('origin');
    const referer = c.req.header('referer');
    const from = origin !== undefined && origin !== 'null' ? origin : referer;
    let ok = false;
    if (from !== undefined) {
      try {
        const u = new URL(from);
        // The host must match; the scheme may differ only when a proxy terminates TLS in front of us.
        ok = u.host === own.host && (u.protocol === own.protocol || isHttps(c));
      } catch {
        ok = false;
      }
    }
    if (!ok) throw new AppError('forbidden', 'Cross-site request refused');
  }
  await next();
};

/** The pages' form bodies are small: read at most 64 KiB, whatever the client declares or streams. */
/** A multipart form (a file upload) read within `limit` bytes; undefined when the body is not one. */
export async function multipartBody(c: Context<AppEnv>, limit: number): Promise<FormData | undefined> {
  const raw = await readCapped(c.req.raw, limit);
  try {
    return await new Request('http://form.invalid/', {
      method: 'POST',
      headers: { 'content-type': c.req.header('content-type') ?? '' },
      body: raw,
    }).formData();
  } catch {
    return undefined;
  }
}

export async function formBody(c: Context<AppEnv>): Promise<URLSearchParams> {
  const raw = await readCapped(c.req.raw, 64 * 1024);
  return new URLSearchParams(new TextDecoder().decode(raw));
}
