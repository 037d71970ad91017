// Admin sign-in, for now one shared ADMIN_TOKEN: the API takes it as a bearer token; the web pages keep a
// session cookie holding an HMAC of it (never the token itself), HttpOnly and SameSite=Strict. The cookie is
// accepted by the API for reads only (GET/HEAD: the pages' export downloads), so it cannot be used to write
// through a forged cross-site request.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';

export const ADMIN_COOKIE = 'nithet_admin';

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** The cookie value for a token: HMAC-SHA256(token, purpose), so a leaked cookie does not reveal the token. */
export async function adminSessionValue(token: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return base64url(await crypto.subtle.sign('HMAC', key, enc.encode('nithet-admin-session-v1')));
}

/** The configured token, or a 404: without ADMIN_TOKEN the admin surface does not exist, rather than being open. */
export function adminToken(c: Context<AppEnv>): string {
  const token = c.var.deps.config.adminToken;
  if (token === undefined) throw new AppError('not_found', 'Admin API is disabled (set ADMIN_TOKEN)');
  return token;
}

export async function hasAdminSession(c: Context<AppEnv>): Promise<boolean> {
  const cookie = getCookie(c, ADMIN_COOKIE);
  return cookie !== undefined && (await timingSafeEqual(cookie, await adminSessionValue(adminToken(c))));
}

/** The admin API's guard: a bearer token, or the pages' session cookie on reads. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = adminToken(c);
  const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  const ok =
    given !== undefined
      ? await timingSafeEqual(given, token)
      : (c.req.method === 'GET' || c.req.method === 'HEAD') && (await hasAdminSession(c));
  if (!ok) {
    c.header('WWW-Authenticate', 'Bearer realm="nithet-admin"');
    throw new AppError('unauthorized', 'A valid admin bearer token is required');
  }
  await next();
};
