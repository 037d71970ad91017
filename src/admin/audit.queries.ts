// SQL for reading the office's audit log through the admin API: newest first, keyset on the serial id.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { iso } from './admin.queries.js';

export interface AuditView extends Record<string, unknown> {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: unknown;
}

/** Cursor: [id]. `from`/`to` are office-local dates, inclusive. */
export async function listAuditPage(
  db: Db,
  officeId: string,
  f: { action?: string | undefined; from?: string | undefined; to?: string | undefined },
  after: string | null,
  limit: number,
): Promise<AuditView[]> {
  const local = sql`(a.at AT TIME ZONE o.time_zone)::date`;
  return queryRows<AuditView>(
    db,
    sql`SELECT a.id::text AS id, ${iso(sql`a.at`)} AS at, a.actor, a.action, a.target_type AS "targetType",
               a.target_id AS "targetId", a.detail
          FROM audit_log a JOIN offices o ON o.id = a.office_id
         WHERE a.office_id = ${officeId}
           ${f.action === undefined ? sql`` : sql`AND a.action = ${f.action}`}
           ${f.from === undefined ? sql`` : sql`AND ${local} >= ${f.from}::date`}
           ${f.to === undefined ? sql`` : sql`AND ${local} <= ${f.to}::date`}
           ${after === null ? sql`` : sql`AND a.id < ${after}::bigint`}
         ORDER BY a.id DESC LIMIT ${limit + 1}`,
  );
}
