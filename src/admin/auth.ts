// Admin sign-in and who acted. Credentials: the deployment's ADMIN_TOKEN (every office), office tokens (one office
// each, only their SHA-256 stored), and the web pages' server-side sessions (a random id in an HttpOnly cookie,
// only its SHA-256 stored; see sessions.queries.ts), started with either token or with a one-time link sent in chat
// to a linked admin, director or supervisor. The cookie is accepted by the API for reads only (GET/HEAD: the pages'
// export downloads), so it cannot be used to write through a forged cross-site request. Every token guess, on the
// pages' form or as a bearer, counts against one guess limit per client and a global budget per window.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { guessBucket } from './client-address.js';
import { can, scopeOf } from './scope.js';
import { liveSession, releaseGuess, reserveGuess } from './sessions.queries.js';
import { activeTokenByHash, touchToken } from './tokens.queries.js';
import type { AdminPrincipal } from './principal.js';

export const ADMIN_COOKIE = 'nithet_admin';

/** A working day; the secretary signs in again the next morning. Enforced by the server (expires_at). */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

/** Who the admin API or the pages let in (the contract the pages build on). */
export type { AdminPrincipal } from './principal.js';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** 32 random bytes, base64url: session ids and sign-in link tokens. */
export function newSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** An office token: a prefix that says what it is (and lets secret scanners find it), then 32 random bytes. */
export const OFFICE_TOKEN_PREFIX = 'nta_';
const OFFICE_TOKEN_SHAPE = /^nta_[A-Za-z0-9_-]{43}$/;

export function newOfficeToken(): string {
  return OFFICE_TOKEN_PREFIX + newSecret();
}

/** SHA-256, hex: what is stored of tokens, session ids and sign-in links. */
export async function tokenHash(token: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));
}

async function hmacHex(key: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(message))));
}

/** The configured token, or a 404: without ADMIN_TOKEN the admin surface does not exist, rather than being open. */
export function adminToken(c: Context<AppEnv>): string {
  const token = c.var.deps.config.adminToken;
  if (token === undefined) throw new AppError('not_found', 'Admin API is disabled (set ADMIN_TOKEN)');
  return token;
}

/** Marks deployment sessions with the token that made them: a rotated ADMIN_TOKEN ends them all. */
export const deploymentTag = (token: string) =>
  hmacHex(token, 'nithet-deployment-session-v1').then((h) => h.slice(0, 32));

// ── The guess limit ──

/** Wrong tokens allowed from one client in one window; the next attempt is refused without a comparison. */
export const GUESS_LIMIT = 5;
export const GUESS_WINDOW_MS = 15 * 60_000;
/** Wrong tokens allowed from everyone together in one window: a botnet of many addresses is bounded too. */
export const GUESS_BUDGET = 1000;

export interface GuessGate {
  client: string;
  windowStart: number;
  /** Set when this attempt is refused without looking at the token (this client's guesses are used up). */
  retryAfterSeconds?: number;
  /**
   * Set when everyone's budget for the window is spent: the token is still checked, and a right one accepted (the
   * limit is on guessing, it must not lock the admins out), but a wrong one is answered with this wait.
   */
  budgetRetryAfterSeconds?: number;
}

/**
 * Counts this attempt as a guess of this client in the current window (windows are fixed, GUESS_WINDOW_MS long),
 * atomically, before the token is looked at; a right token then takes it back (rightGuess). The client is a keyed
 * hash of its bucket (guessBucket; the audit log holds no IP that a dictionary could recover), from the address
 * as the runtime can vouch for it (deps.clientAddress: the socket, trusted proxies, or Cloudflare's header).
 */
export async function guessGate(c: Context<AppEnv>, via: 'web' | 'api'): Promise<GuessGate> {
  const { db, now, clientAddress } = c.var.deps;
  const at = now();
  const windowStart = Math.floor(at / GUESS_WINDOW_MS) * GUESS_WINDOW_MS;
  const bucket = guessBucket(clientAddress(c.req.raw, c.env));
  const mac = await hmacHex(adminToken(c), `nithet-signin-ip-v1:${bucket}`);
  const client = `ip:${mac.slice(0, 32)}`;
  const counts = await reserveGuess(db, client, windowStart, via, GUESS_LIMIT);
  const wait = Math.max(1, Math.ceil((windowStart + GUESS_WINDOW_MS - at) / 1000));
  if (counts.mine === null) return { client, windowStart, retryAfterSeconds: wait };
  return counts.everyone > GUESS_BUDGET
    ? { client, windowStart, budgetRetryAfterSeconds: wait }
    : { client, windowStart };
}

/** The token was right: its guess is taken back, so signing in costs no guesses. */
export function rightGuess(c: Context<AppEnv>, gate: GuessGate): Promise<void> {
  return releaseGuess(c.var.deps.db, gate.client, gate.windowStart);
}

/** A token's principal (deployment or office), or undefined; the caller has passed the guess gate. */
export async function tokenPrincipal(
  c: Context<AppEnv>,
  given: string,
): Promise<{ kind: 'deployment' } | { kind: 'office'; officeId: string; tokenId: string } | undefined> {
  if (given !== '' && (await timingSafeEqual(given, adminToken(c)))) return { kind: 'deployment' };
  // Anything not shaped like an office token costs no query.
  if (!OFFICE_TOKEN_SHAPE.test(given)) return undefined;
  const { db, now } = c.var.deps;
  const row = await activeTokenByHash(db, await tokenHash(given));
  if (row === undefined) return undefined;
  const at = now();
  if (row.last_used_ms === null || at - row.last_used_ms >= TOUCH_EVERY_MS) await touchToken(db, row.id, at);
  return { kind: 'office', officeId: row.office_id, tokenId: row.id };
}

/** last_used_at is written at most once a minute per token, not once per request. */
const TOUCH_EVERY_MS = 60_000;

// ── Sessions ──

/** The session the cookie names, if the server still holds it good; an ill-shaped cookie costs no query. */
export async function sessionPrincipal(c: Context<AppEnv>): Promise<AdminPrincipal | undefined> {
  const id = getCookie(c, ADMIN_COOKIE);
  if (id === undefined || !SECRET_SHAPE.test(id)) return undefined;
  const { db, now } = c.var.deps;
  const row = await liveSession(db, await tokenHash(id), now(), await deploymentTag(adminToken(c)));
  if (row === undefined) return undefined;
  if (row.kind === 'deployment') return { kind: 'deployment', via: 'session' };
  if (row.office_id === null) return undefined;
  if (row.kind === 'office') {
    return row.token_id === null
      ? undefined
      : { kind: 'office', officeId: row.office_id, tokenId: row.token_id, via: 'session' };
  }
  const role = row.role;
  if (
    row.person_id === null ||
    (role !== 'admin' && role !== 'director' && role !== 'supervisor' && role !== 'committee')
  ) {
    return undefined;
  }
  return { kind: 'person', officeId: row.office_id, personId: row.person_id, role, via: 'session' };
}

// ── The API's guard ──

async function apiPrincipal(c: Context<AppEnv>): Promise<AdminPrincipal | undefined> {
  const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (given === undefined) {
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
    return reading ? sessionPrincipal(c) : undefined;
  }
  const gate = await guessGate(c, 'api');
  if (gate.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(gate.retryAfterSeconds));
    throw new AppError('too_many_requests', 'Too many wrong tokens from this client; try again later');
  }
  const p = await tokenPrincipal(c, given);
  if (p === undefined) {
    if (gate.budgetRetryAfterSeconds === undefined) return undefined;
    c.header('Retry-After', String(gate.budgetRetryAfterSeconds));
    throw new AppError('too_many_requests', 'Too many wrong tokens from everyone; try again later');
  }
  await rightGuess(c, gate);
  return { ...p, via: 'token' };
}

/** The admin API's guard: a bearer token (deployment or office), or a pages' session cookie on reads. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  adminToken(c);
  const principal = await apiPrincipal(c);
  if (principal === undefined) {
    c.header('WWW-Authenticate', 'Bearer realm="nithet-admin"');
    throw new AppError('unauthorized', 'A valid admin bearer token is required');
  }
  // A supervisor reads their own schools only; the API's lists are office-wide, so they are not theirs to read.
  if (!can(scopeOf(principal), 'office.read')) {
    throw new AppError('forbidden', 'A supervisor’s session does not open the admin API');
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

/** Routes that act on the deployment (creating offices, LINE credentials, tokens): anyone else gets a 403. */
export function requireDeployment(c: Context<AppEnv>): void {
  if (principalOf(c).kind !== 'deployment') {
    throw new AppError('forbidden', 'Only the deployment admin token can do this');
  }
}

/** The audit log's actor for this request: the token, the deployment's session, or the person. */
export function actorOf(c: Context<AppEnv>): string {
  const p = principalOf(c);
  switch (p.kind) {
    case 'office':
      return `office-token:${p.tokenId}`;
    case 'person':
      return `person:${p.personId}`;
    case 'deployment':
      return p.via === 'session' ? ADMIN_SESSION_ACTOR : 'deployment-token';
  }
}

/** The actor of what the deployment's web session writes to the audit log. */
export const ADMIN_SESSION_ACTOR = 'admin-session';
