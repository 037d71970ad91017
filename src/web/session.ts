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
import { recentSignInFailures, recordSignInFailure } from './web.queries.js';

/** A working day; the secretary signs in again the next morning. */
const SESSION_SECONDS = 12 * 60 * 60;

/** The scheme the browser used: https behind a TLS-terminating proxy shows in X-Forwarded-Proto. */
function isHttps(c: Context<AppEnv>): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Wrong tokens allowed from one client within the window; the next attempt is refused without a comparison. */
export const SIGNIN_MAX_FAILURES = 5;
export const SIGNIN_WINDOW_MS = 15 * 60_000;

/**
 * The client's IP: Cloudflare's cf-connecting-ip, else the first X-Forwarded-For entry, else 'local'. Behind no
 * proxy X-Forwarded-For is whatever the client sends, so on Node the throttle is only as good as the proxy in front.
 */
export function clientIp(c: Context<AppEnv>): string {
  const cf = c.req.header('cf-connecting-ip')?.trim();
  if (cf !== undefined && cf !== '') return cf;
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded !== undefined && forwarded !== '' ? forwarded : 'local';
}

/** HMAC-SHA256 of the IP keyed with the admin token: the audit log holds no IP that a dictionary could recover. */
async function clientKey(token: string, ip: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`nithet-signin-ip-v1:${ip}`)));
  return `ip:${[...mac.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type SignInResult = { ok: true } | { ok: false; retryAfterSeconds?: number };

/**
 * A sign-in attempt: refused outright (with the seconds until the oldest counted failure leaves the window) after
 * SIGNIN_MAX_FAILURES wrong tokens from this client in SIGNIN_WINDOW_MS; otherwise the token is checked and a wrong
 * one recorded. Refused attempts are not recorded, so a lockout ends one window after the failure that caused it.
 */
export async function attemptSignIn(c: Context<AppEnv>, given: string): Promise<SignInResult> {
  const { db, now } = c.var.deps;
  const at = now();
  const client = await clientKey(adminToken(c), clientIp(c));
  const failures = await recentSignInFailures(db, client, at, SIGNIN_WINDOW_MS, SIGNIN_MAX_FAILURES);
  const oldest = failures[SIGNIN_MAX_FAILURES - 1];
  if (oldest !== undefined) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + SIGNIN_WINDOW_MS - at) / 1000)) };
  }
  if (await signIn(c, given)) return { ok: true };
  await recordSignInFailure(db, client, at);
  return { ok: false };
}

/** Checks a posted token against ADMIN_TOKEN in constant time; sets the session cookie when it matches. */
async function signIn(c: Context<AppEnv>, given: string): Promise<boolean> {
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
