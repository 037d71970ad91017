// SQL for rich menus: the menus synced per channel and role, and the linker's work list (people whose linked
// menu is not their role's), read in one query over the partial index people_rich_menu_pending_idx.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';

export interface StoredMenu extends Record<string, unknown> {
  role: Role;
  rich_menu_id: string;
  alias_id: string;
  content_hash: string;
}

export async function storedMenus(db: Db, channelId: string): Promise<StoredMenu[]> {
  return queryRows<StoredMenu>(
    db,
    sql`SELECT role, rich_menu_id, alias_id, content_hash FROM rich_menus WHERE channel_id = ${channelId}`,
  );
}

/** Marks a stored menu whose predecessors on LINE are still to be deleted: a re-run finishes the job. */
export const SWEEP_PREFIX = 'sweep:';

/** Everyone on the channel who should have the role's menu now: linked to LINE and active. */
export async function peopleOfRole(
  db: Db,
  channelId: string,
  role: Role,
): Promise<{ person_id: string; line_user_id: string }[]> {
  return queryRows<{ person_id: string; line_user_id: string }>(
    db,
    sql`SELECT id AS person_id, line_user_id FROM people
         WHERE channel_id = ${channelId} AND role = ${role} AND line_user_id IS NOT NULL AND status = 'active'
         ORDER BY id`,
  );
}

/**
 * Records the channel's new menu for a role (its hash marked for the sweep) and, in the same statement, what
 * people have now: the ones the sync just linked have the role's menu; anyone else still on the role's old
 * menu (linked in chat meanwhile, or whose role changed) becomes pending, so the tick links them to the new one.
 */
export async function saveMenu(
  db: Db,
  m: { channelId: string; role: Role; richMenuId: string; aliasId: string; contentHash: string; linked: string[] },
): Promise<void> {
  const hash = SWEEP_PREFIX + m.contentHash;
  await db.execute(sql`
    WITH saved AS (
      INSERT INTO rich_menus (channel_id, role, rich_menu_id, alias_id, content_hash, updated_at)
      VALUES (${m.channelId}, ${m.role}, ${m.richMenuId}, ${m.aliasId}, ${hash}, now())
      ON CONFLICT (channel_id, role) DO UPDATE SET rich_menu_id = excluded.rich_menu_id,
        alias_id = excluded.alias_id, content_hash = excluded.content_hash, updated_at = now()
      RETURNING 1)
    UPDATE people
       SET rich_menu_role = CASE WHEN id = ANY(${sql.param(m.linked)}::uuid[]) AND role = ${m.role} THEN role END
     WHERE channel_id = ${m.channelId} AND EXISTS (SELECT 1 FROM saved)
       AND (id = ANY(${sql.param(m.linked)}::uuid[]) OR rich_menu_role = ${m.role})`);
}

/** After the old menus are gone: the stored hashes become plain again, and the next sync has nothing to do. */
export async function sweepDone(db: Db, channelId: string): Promise<void> {
  await db.execute(sql`
    UPDATE rich_menus SET content_hash = substr(content_hash, ${SWEEP_PREFIX.length + 1})
     WHERE channel_id = ${channelId} AND content_hash LIKE ${SWEEP_PREFIX + '%'}`);
}

/** Registered channels that have credentials (the env channel is not a row with credentials). */
export async function registeredChannelIds(db: Db): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM line_channels
         WHERE id <> 'default' AND secret_enc IS NOT NULL AND access_token_enc IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

export interface PendingLink extends Record<string, unknown> {
  person_id: string;
  channel_id: string;
  role: Role;
  line_user_id: string;
  /** The menu to link; null when the role has no menu on the channel and the old one is to be unlinked. */
  rich_menu_id: string | null;
}

/**
 * People whose linked menu differs from their role's, ordered so each channel and role comes as one run.
 * Only people we can reach: linked to LINE (erased people have no user id) and active (blocked ones are linked
 * when they come back). A role without a menu on the channel waits, unless an old menu is to be unlinked.
 */
export async function pendingLinks(
  db: Db,
  limit: number,
  channelId?: string,
  officeId?: string,
): Promise<PendingLink[]> {
  return queryRows<PendingLink>(
    db,
    sql`SELECT p.id AS person_id, p.channel_id, p.role, p.line_user_id, rm.rich_menu_id
          FROM people p
          LEFT JOIN rich_menus rm ON rm.channel_id = p.channel_id AND rm.role = p.role
         WHERE p.line_user_id IS NOT NULL AND p.rich_menu_role IS DISTINCT FROM p.role
           AND p.channel_id IS NOT NULL AND p.status = 'active'
           AND (rm.rich_menu_id IS NOT NULL OR p.rich_menu_role IS NOT NULL)
           ${channelId === undefined ? sql`` : sql`AND p.channel_id = ${channelId}`}
           ${officeId === undefined ? sql`` : sql`AND p.office_id = ${officeId}::uuid`}
         ORDER BY p.channel_id, p.role, p.id
         LIMIT ${limit}`,
  );
}

/**
 * After LINE accepted a bulk call: these people now have `linked` (a role, or null after an unlink). A person
 * whose role changed meanwhile keeps differing and is picked up on the next tick.
 */
export async function markLinked(db: Db, personIds: string[], role: Role, linked: Role | null): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH done AS (
          UPDATE people SET rich_menu_role = ${linked}
           WHERE id = ANY(${sql.param(personIds)}::uuid[]) AND role = ${role} AND line_user_id IS NOT NULL
          RETURNING 1)
        SELECT count(*)::int AS n FROM done`,
  );
  return rows[0]?.n ?? 0;
}
