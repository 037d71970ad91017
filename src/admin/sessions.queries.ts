// SQL for the web pages' server-side sessions, the one-time sign-in links sent in chat, and the guess limit on
// admin credentials. Only SHA-256 hashes of session ids and link tokens are stored. The session lookup is one
// statement that also decides whether the session still stands: not expired, not revoked, its office token not
// revoked, its deployment token not rotated, its person still an active admin, director or supervisor.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Roles that may sign in to the web pages from chat. */
export const WEB_ROLES = ['admin', 'director', 'supervisor'] as const;
export type WebRole = (typeof WEB_ROLES)[number];

export type NewSession =
  | { kind: 'deployment'; tokenTag: string }
  | { kind: 'office'; officeId: string; tokenId: string }
  | { kind: 'person'; officeId: string; personId: string };

export async function insertSession(db: Db, idHash: string, s: NewSession, at: number, ttlMs: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO admin_sessions (id_hash, kind, office_id, person_id, token_id, token_tag, created_at, expires_at)
    VALUES (${idHash}, ${s.kind}, ${s.kind === 'deployment' ? null : s.officeId}::uuid,
            ${s.kind === 'person' ? s.personId : null}::uuid, ${s.kind === 'office' ? s.tokenId : null}::uuid,
            ${s.kind === 'deployment' ? s.tokenTag : null}, ${iso(at)}::timestamptz, ${iso(at + ttlMs)}::timestamptz)`);
}

export interface LiveSession extends Record<string, unknown> {
  kind: 'deployment' | 'office' | 'person';
  office_id: string | null;
  person_id: string | null;
  token_id: string | null;
  role: Role | null;
}

/**
 * The session, if it still stands at `at`; undefined otherwise (whatever the reason). A session that fails a check
 * other than its expiry (its person blocked, erased or moved to another role, its office token revoked, the
 * deployment token rotated) is revoked by the same statement, so it stays ended if the role comes back.
 */
export async function liveSession(
  db: Db,
  idHash: string,
  at: number,
  deploymentTag: string | null,
): Promise<LiveSession | undefined> {
  const rows = await queryRows<LiveSession>(
    db,
    sql`WITH s AS (
          SELECT s.id_hash, s.kind, s.office_id, s.person_id, s.token_id, p.role,
                 CASE s.kind
                   WHEN 'deployment' THEN s.token_tag = ${deploymentTag}
                   WHEN 'office' THEN t.revoked_at IS NULL AND t.office_id = s.office_id
                   WHEN 'person' THEN p.office_id = s.office_id AND p.status = 'active'
                                      AND p.role IN ('admin', 'director', 'supervisor')
                   ELSE false
                 END AS ok
            FROM admin_sessions s
            LEFT JOIN admin_tokens t ON t.id = s.token_id
            LEFT JOIN people p ON p.id = s.person_id
           WHERE s.id_hash = ${idHash} AND s.revoked_at IS NULL AND s.expires_at > ${iso(at)}::timestamptz),
        ended AS (
          UPDATE admin_sessions SET revoked_at = ${iso(at)}::timestamptz
           WHERE id_hash = (SELECT id_hash FROM s WHERE ok IS NOT TRUE)
          RETURNING 1)
        SELECT kind, office_id, person_id, token_id, role FROM s WHERE ok IS TRUE`,
  );
  return rows[0];
}

/** Sign-out: the session ends on the server, whatever the browser keeps. */
export async function revokeSession(db: Db, idHash: string, at: number): Promise<void> {
  await db.execute(sql`UPDATE admin_sessions SET revoked_at = ${iso(at)}::timestamptz
                        WHERE id_hash = ${idHash} AND revoked_at IS NULL`);
}

/** A revoked office token ends the sessions it started (the lookup refuses them anyway; this records when). */
export async function revokeSessionsOfToken(db: Db, tokenId: string, at: number): Promise<void> {
  await db.execute(sql`UPDATE admin_sessions SET revoked_at = ${iso(at)}::timestamptz
                        WHERE token_id = ${tokenId}::uuid AND revoked_at IS NULL`);
}

// ── One-time sign-in links (`เข้าเว็บ` in chat) ──

export interface SigninLink extends Record<string, unknown> {
  office_id: string;
  person_id: string;
}

/**
 * The link's person, if the link can still be used at `at` (unused, unexpired, the person still an active
 * admin, director or supervisor); a read only, for the confirmation page.
 */
export async function usableSigninLink(db: Db, tokenHash: string, at: number): Promise<SigninLink | undefined> {
  const rows = await queryRows<SigninLink>(
    db,
    sql`SELECT l.office_id, l.person_id FROM admin_signin_links l JOIN people p ON p.id = l.person_id
         WHERE l.token_hash = ${tokenHash} AND l.used_at IS NULL AND l.expires_at > ${iso(at)}::timestamptz
           AND p.office_id = l.office_id AND p.status = 'active' AND p.role IN ('admin', 'director', 'supervisor')`,
  );
  return rows[0];
}

/**
 * Uses the link and starts the person's session in one statement: the UPDATE's WHERE is the single-use check, so
 * two taps racing get one session between them. Undefined when the link cannot be used.
 */
export async function consumeSigninLink(
  db: Db,
  tokenHash: string,
  sessionIdHash: string,
  at: number,
  ttlMs: number,
): Promise<SigninLink | undefined> {
  const rows = await queryRows<SigninLink>(
    db,
    sql`WITH used AS (
          UPDATE admin_signin_links l SET used_at = ${iso(at)}::timestamptz
            FROM people p
           WHERE l.token_hash = ${tokenHash} AND l.used_at IS NULL AND l.expires_at > ${iso(at)}::timestamptz
             AND p.id = l.person_id AND p.office_id = l.office_id AND p.status = 'active'
             AND p.role IN ('admin', 'director', 'supervisor')
          RETURNING l.office_id, l.person_id),
        s AS (
          INSERT INTO admin_sessions (id_hash, kind, office_id, person_id, created_at, expires_at)
          SELECT ${sessionIdHash}, 'person', office_id, person_id, ${iso(at)}::timestamptz,
                 ${iso(at + ttlMs)}::timestamptz
            FROM used
          RETURNING 1),
        a AS (
          INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
          SELECT office_id, 'person:' || person_id::text, 'admin.signin', 'person', person_id::text, ${iso(at)}::timestamptz
            FROM used
          RETURNING 1)
        SELECT office_id, person_id FROM used`,
  );
  return rows[0];
}

// ── The guess limit: failed sign-ins, one audit row per client per window ──

export interface GuessCounts extends Record<string, unknown> {
  mine: number;
  everyone: number;
}

/** This client's failures and everyone's in the window starting at `windowStart`. */
export async function guessCounts(db: Db, client: string, windowStart: number): Promise<GuessCounts> {
  const rows = await queryRows<GuessCounts>(
    db,
    sql`SELECT coalesce(sum((detail->>'count')::int) FILTER (WHERE target_id = ${client}), 0)::int AS mine,
               coalesce(sum((detail->>'count')::int), 0)::int AS everyone
          FROM audit_log
         WHERE office_id IS NULL AND at = ${iso(windowStart)}::timestamptz AND action = 'admin.signin_failed'`,
  );
  return rows[0] ?? { mine: 0, everyone: 0 };
}

/** One more failure of this client in this window: the window's row is made once and counted up after that. */
export async function recordGuessFailure(
  db: Db,
  client: string,
  windowStart: number,
  via: 'web' | 'api',
): Promise<void> {
  await db.execute(sql`
    INSERT INTO audit_log AS a (office_id, actor, action, target_type, target_id, detail, at)
    VALUES (NULL, 'anonymous', 'admin.signin_failed', 'client', ${client},
            jsonb_build_object('count', 1, 'via', ${via}::text), ${iso(windowStart)}::timestamptz)
    ON CONFLICT (target_id, at) WHERE action = 'admin.signin_failed'
    DO UPDATE SET detail = jsonb_set(a.detail, '{count}', to_jsonb(coalesce((a.detail->>'count')::int, 0) + 1))`);
}

/** Expired sessions and links are kept a day (for an answer that names them), then removed by the tick. */
export async function deleteExpiredSessions(db: Db, at: number): Promise<void> {
  const before = iso(at - 24 * 3_600_000);
  await db.execute(sql`DELETE FROM admin_sessions WHERE expires_at < ${before}::timestamptz`);
  await db.execute(sql`DELETE FROM admin_signin_links WHERE expires_at < ${before}::timestamptz`);
}
