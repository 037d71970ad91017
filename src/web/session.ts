// Sign-in for the web pages: the admin token is posted once and exchanged for the session cookie of
// src/admin/auth.ts. Two guards: pages without a session send the browser to the sign-in form, and every POST
// must come from this host (Origin, else Referer), on top of the cookie's SameSite=Strict, because older
// browsers and some in-app browsers (LINE's own among them) do not all honour SameSite.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ADMIN_COOKIE, adminSessionValue, adminToken, hasAdminSession } from '../admin/auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';

/** A working day; the secretary signs in again the next morning. */
const SESSION_SECONDS = 12 * 60 * 60;

/** The scheme the browser used: https behind a TLS-terminating proxy shows in X-Forwarded-Proto. */
function isHttps(c: Context<AppEnv>): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Checks a posted token against ADMIN_TOKEN in constant time; sets the session cookie when it matches. */
export async function signIn(c: Context<AppEnv>, given: string): Promise<boolean> {
  const token = adminToken(c);
  if (given === '' || !(await timingSafeEqual(given, token))) return false;
  setCookie(c, ADMIN_COOKIE, await adminSessionValue(token), {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/admin',
    secure: isHttps(c),
    maxAge: SESSION_SECONDS,
  });
  return true;
}

export function signOut(c: Context<AppEnv>): void {
  deleteCookie(c, ADMIN_COOKIE, { path: '/admin', secure: isHttps(c) });
}

/** Pages need a session; without one the browser goes to the sign-in form (a 404 when ADMIN_TOKEN is unset). */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  adminToken(c);
  if (!(await hasAdminSession(c))) return c.redirect('/admin', 303);
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
