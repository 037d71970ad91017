// SQL for invites: issue many at once (set-based), revoking each person's older unused codes.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface InviteInsert {
  personId: string;
  codeHash: string;
}

/** Revokes the people's unused invites and inserts new ones, in one statement. Returns the people it issued for. */
export async function replaceInvites(
  db: Db,
  officeId: string,
  rows: InviteInsert[],
  expiresAt: string,
  now: string,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await queryRows<{ person_id: string }>(
    db,
    sql`
    WITH input AS (
      SELECT * FROM unnest(${sql.param(rows.map((r) => r.personId))}::uuid[], ${sql.param(rows.map((r) => r.codeHash))}::text[])
        AS t(person_id, code_hash)),
    owned AS (
      SELECT input.* FROM input JOIN people p ON p.id = input.person_id
       WHERE p.office_id = ${officeId} AND p.status <> 'erased'),
    revoked AS (
      -- A join on the indexed person_id: an IN (subquery) here was planned as a scan of every invite per
      -- person on tables not yet analysed (7 s for a second batch of 5,000 codes).
      UPDATE invites i SET revoked_at = ${now}
        FROM owned o
       WHERE i.person_id = o.person_id AND i.used_at IS NULL AND i.revoked_at IS NULL
      RETURNING i.id)
    INSERT INTO invites (office_id, person_id, code_hash, expires_at, created_at)
    SELECT ${officeId}, person_id, code_hash, ${expiresAt}, ${now} FROM owned
    RETURNING person_id`,
  );
  return result.map((r) => r.person_id);
}
