// Admin sign-in. Two kinds of bearer token: the deployment's ADMIN_TOKEN (every office) and office tokens (one
// office each, made by the deployment token; only their SHA-256 is stored). The web pages keep a session cookie
// holding an HMAC of ADMIN_TOKEN (never the token itself), HttpOnly and SameSite=Strict. The cookie is accepted by
// the API for reads only (GET/HEAD: the pages' export downloads), so it cannot be used to write through a forged
// cross-site request. Who was let in is put on the context (`admin`), for office scoping and the audit actor.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { activeTokenByHash, touchToken } from './tokens.queries.js';

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

/** Who the admin API let in: the deployment (its token, or the pages' cookie) or one office's token. */
export type AdminPrincipal =
  { kind: 'deployment'; via: 'token' | 'session' } | { kind: 'office'; officeId: string; tokenId: string };

/** An office token: a prefix that says what it is (and lets secret scanners find it), then 32 random bytes. */
export const OFFICE_TOKEN_PREFIX = 'nta_';
const OFFICE_TOKEN_SHAPE = /^nta_[A-Za-z0-9_-]{43}$/;

export function newOfficeToken(): string {
  return OFFICE_TOKEN_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)).buffer);
}

export async function tokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** last_used_at is written at most once a minute per token, not once per request. */
const TOUCH_EVERY_MS = 60_000;

async function principalFor(c: Context<AppEnv>, token: string): Promise<AdminPrincipal | undefined> {
  const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (given === undefined) {
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
    return reading && (await hasAdminSession(c)) ? { kind: 'deployment', via: 'session' } : undefined;
  }
  if (await timingSafeEqual(given, token)) return { kind: 'deployment', via: 'token' };
  // Anything not shaped like an office token costs no query.
  if (!OFFICE_TOKEN_SHAPE.test(given)) return undefined;
  const { db, now } = c.var.deps;
  const row = await activeTokenByHash(db, await tokenHash(given));
  if (row === undefined) return undefined;
  const at = now();
  if (row.last_used_ms === null || at - row.last_used_ms >= TOUCH_EVERY_MS) await touchToken(db, row.id, at);
  return { kind: 'office', officeId: row.office_id, tokenId: row.id };
}

/** The admin API's guard: a bearer token (deployment or office), or the pages' session cookie on reads. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = await principalFor(c, adminToken(c));
  if (principal === undefined) {
    c.header('WWW-Authenticate', 'Bearer realm="nithet-admin"');
    throw new AppError('unauthorized', 'A valid admin bearer token is required');
  }
  c.set('admin', principal);
  await next();
};

/** The principal requireAdmin set; a route outside the guard asking for it is a programming error. */
export function principalOf(c: Context<AppEnv>): AdminPrincipal {
  const p = c.var.admin;
  if (p === undefined) throw new Error('principalOf outside requireAdmin');
  return p;
}

/** Routes that act on the deployment (creating offices, LINE credentials, tokens): an office token gets a 403. */
export function requireDeployment(c: Context<AppEnv>): void {
  if (principalOf(c).kind !== 'deployment') {
    throw new AppError('forbidden', 'Only the deployment admin token can do this');
  }
}

/** The audit log's actor for this request. */
export function actorOf(c: Context<AppEnv>): string {
  const p = principalOf(c);
  if (p.kind === 'office') return `office-token:${p.tokenId}`;
  return p.via === 'session' ? ADMIN_SESSION_ACTOR : 'deployment-token';
}

/** The actor of what the web pages (signed in with the session cookie) write to the audit log. */
export const ADMIN_SESSION_ACTOR = 'admin-session';
