// SQL for office admin tokens: only the SHA-256 hash of a token is stored, so a leaked table opens nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { iso } from './admin.queries.js';

export interface TokenView extends Record<string, unknown> {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const cols = sql`t.id, t.label, ${iso(sql`t.created_at`)} AS "createdAt", ${iso(sql`t.last_used_at`)} AS "lastUsedAt",
                 ${iso(sql`t.revoked_at`)} AS "revokedAt"`;

export async function insertToken(db: Db, officeId: string, label: string, tokenHash: string): Promise<TokenView> {
  const rows = await queryRows<TokenView>(
    db,
    sql`WITH t AS (INSERT INTO admin_tokens (office_id, label, token_hash) VALUES (${officeId}, ${label}, ${tokenHash})
                   RETURNING *)
        SELECT ${cols} FROM t`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('insertToken returned no row');
  return row;
}

/** Cursor: [createdAt, id], oldest first. */
export async function listTokensPage(
  db: Db,
  officeId: string,
  after: readonly string[] | null,
  limit: number,
): Promise<TokenView[]> {
  return queryRows<TokenView>(
    db,
    sql`SELECT ${cols} FROM admin_tokens t
         WHERE t.office_id = ${officeId}
           ${after === null ? sql`` : sql`AND (t.created_at, t.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`}
         ORDER BY t.created_at, t.id LIMIT ${limit + 1}`,
  );
}

/** Revokes once: a second revoke keeps the first time. Undefined when the office has no such token. */
export async function revokeToken(db: Db, officeId: string, id: string, at: number): Promise<TokenView | undefined> {
  const rows = await queryRows<TokenView>(
    db,
    sql`WITH t AS (UPDATE admin_tokens SET revoked_at = coalesce(revoked_at, ${new Date(at).toISOString()}::timestamptz)
                    WHERE office_id = ${officeId} AND id = ${id}::uuid RETURNING *)
        SELECT ${cols} FROM t`,
  );
  return rows[0];
}

export interface ActiveToken extends Record<string, unknown> {
  id: string;
  office_id: string;
  /** Epoch milliseconds, or null if never used. */
  last_used_ms: number | null;
}

/** The guard's lookup: one query on the unique hash index; a revoked token is no token. */
export async function activeTokenByHash(db: Db, tokenHash: string): Promise<ActiveToken | undefined> {
  const rows = await queryRows<ActiveToken>(
    db,
    sql`SELECT id, office_id, (extract(epoch FROM last_used_at) * 1000)::float8 AS last_used_ms
          FROM admin_tokens WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`,
  );
  return rows[0];
}

export async function touchToken(db: Db, id: string, at: number): Promise<void> {
  await db.execute(sql`UPDATE admin_tokens SET last_used_at = ${new Date(at).toISOString()}::timestamptz
                        WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at < ${new Date(at).toISOString()}::timestamptz)`);
}
