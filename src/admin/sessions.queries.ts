// SQL for the web pages' server-side sessions, the one-time sign-in links sent in chat, and the guess limit on
// admin credentials. Only SHA-256 hashes of session ids and link tokens are stored. The session lookup is one
// statement that also decides whether the session still stands: not expired, not revoked, its office token not
// revoked, its deployment token not rotated, its person still an active admin, director or supervisor.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Roles that may sign in to the web pages from chat. */
export const WEB_ROLES = ['admin', 'director', 'supervisor', 'committee'] as const;
export type WebRole = (typeof WEB_ROLES)[number];

/**
 * A person who may hold a web session: an admin, director or supervisor; or an outside committee member (role
 * committee) while still on the office's ก.ต.ป.น. (removed from it, their session ends at its next request).
 */
const webPerson = (p: SQL) =>
  sql`(${p}.role IN ('admin', 'director', 'supervisor')
       OR (${p}.role = 'committee' AND EXISTS (SELECT 1 FROM committee_members cm WHERE cm.person_id = ${p}.id)))`;

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
                   WHEN 'person' THEN p.office_id = s.office_id AND p.status = 'active' AND ${webPerson(sql`p`)}
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
             AND p.id = l.person_id AND p.office_id = l.office_id AND p.status = 'active' AND ${webPerson(sql`p`)}
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

export interface GuessReservation extends Record<string, unknown> {
  /** This client's guesses in the window including this one; null when its limit was already reached (refused). */
  mine: number | null;
  /** Everyone's guesses in the window, this one included. */
  everyone: number;
}

const signinFailed = (client: string, windowStart: number) =>
  sql`action = 'admin.signin_failed' AND target_id = ${client} AND at = ${iso(windowStart)}::timestamptz`;

/**
 * Counts a guess before the token is looked at, in one statement: the window's row for the client is made or
 * counted up only while it is under `limit`, so concurrent guesses cannot all pass a count read before any was
 * written. A guess that turns out right is taken back (releaseGuess); the rows stay one per client per window.
 */
export async function reserveGuess(
  db: Db,
  client: string,
  windowStart: number,
  via: 'web' | 'api',
  limit: number,
): Promise<GuessReservation> {
  const rows = await queryRows<GuessReservation>(
    db,
    sql`WITH up AS (
          INSERT INTO audit_log AS a (office_id, actor, action, target_type, target_id, detail, at)
          VALUES (NULL, 'anonymous', 'admin.signin_failed', 'client', ${client},
                  jsonb_build_object('count', 1, 'via', ${via}::text), ${iso(windowStart)}::timestamptz)
          ON CONFLICT (target_id, at) WHERE action = 'admin.signin_failed'
          DO UPDATE SET detail = jsonb_set(a.detail, '{count}', to_jsonb(coalesce((a.detail->>'count')::int, 0) + 1))
           WHERE coalesce((a.detail->>'count')::int, 0) < ${limit}
          RETURNING (a.detail->>'count')::int AS mine)
        SELECT (SELECT mine FROM up) AS mine,
               (coalesce((SELECT sum((detail->>'count')::int) FROM audit_log
                           WHERE office_id IS NULL AND at = ${iso(windowStart)}::timestamptz
                             AND action = 'admin.signin_failed' AND target_id <> ${client}), 0)
                + coalesce((SELECT mine FROM up), ${limit}))::int AS everyone`,
  );
  return rows[0] ?? { mine: null, everyone: 0 };
}

/** Takes back a guess that was right: the count goes down, and a row left at nought goes. */
export async function releaseGuess(db: Db, client: string, windowStart: number): Promise<void> {
  await db.execute(sql`
    WITH gone AS (DELETE FROM audit_log WHERE ${signinFailed(client, windowStart)}
                     AND coalesce((detail->>'count')::int, 0) <= 1 RETURNING 1)
    UPDATE audit_log SET detail = jsonb_set(detail, '{count}', to_jsonb((detail->>'count')::int - 1))
     WHERE ${signinFailed(client, windowStart)} AND (detail->>'count')::int > 1`);
}

/**
 * Expired sessions and sign-in links are kept a day (for an answer that names them), then removed by the
 * deployment's retention unit (src/scheduler/work.ts). Returns how many rows went.
 */
export async function deleteExpiredSessions(db: Db, at: number): Promise<number> {
  const before = iso(at - 24 * 3_600_000);
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH s AS (DELETE FROM admin_sessions WHERE expires_at < ${before}::timestamptz RETURNING 1),
             l AS (DELETE FROM admin_signin_links WHERE expires_at < ${before}::timestamptz RETURNING 1)
        SELECT ((SELECT count(*) FROM s) + (SELECT count(*) FROM l))::int AS n`,
  );
  return rows[0]?.n ?? 0;
}
