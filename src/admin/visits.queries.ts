// SQL for the admin API's read-only view of supervision visits: a page of them, and one with its agreed actions.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { VisitStatus } from '../db/schema.js';
import { iso } from './admin.queries.js';

export interface VisitView extends Record<string, unknown> {
  id: string;
  schoolCode: string;
  schoolNameTh: string;
  supervisorId: string;
  supervisorName: string;
  startsAt: string;
  purposeTh: string;
  status: VisitStatus;
  source: 'chat' | 'plan';
  revision: number;
  decision: 'achieved' | 'not_yet' | null;
  followUpOf: string | null;
  recordedAt: string | null;
  acknowledgedAt: string | null;
  cancelledAt: string | null;
}

const visitCols = sql`v.id, s.code AS "schoolCode", s.name_th AS "schoolNameTh", v.supervisor_id AS "supervisorId",
  sp.display_name AS "supervisorName", ${iso(sql`v.starts_at`)} AS "startsAt", v.purpose_th AS "purposeTh",
  v.status, v.source, v.revision, v.decision, v.follow_up_of AS "followUpOf",
  ${iso(sql`v.recorded_at`)} AS "recordedAt", ${iso(sql`v.acknowledged_at`)} AS "acknowledgedAt",
  ${iso(sql`v.cancelled_at`)} AS "cancelledAt"`;

export interface VisitFilter {
  supervisorId?: string | undefined;
  schoolCode?: string | undefined;
  status?: VisitStatus | undefined;
  /** Office-local dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Visits by start time. Cursor: [startsAt, id]. */
export async function listVisitsPage(
  db: Db,
  officeId: string,
  f: VisitFilter,
  after: string[] | null,
  limit: number,
): Promise<VisitView[]> {
  const local = sql`(v.starts_at AT TIME ZONE o.time_zone)::date`;
  return queryRows<VisitView>(
    db,
    sql`SELECT ${visitCols}
          FROM visits v
          JOIN offices o ON o.id = v.office_id
          JOIN schools s ON s.id = v.school_id
          JOIN people sp ON sp.id = v.supervisor_id
         WHERE v.office_id = ${officeId}
           ${f.supervisorId === undefined ? sql`` : sql`AND v.supervisor_id = ${f.supervisorId}::uuid`}
           ${f.schoolCode === undefined ? sql`` : sql`AND s.code = ${f.schoolCode}`}
           ${f.status === undefined ? sql`` : sql`AND v.status = ${f.status}`}
           ${f.from === undefined ? sql`` : sql`AND ${local} >= ${f.from}::date`}
           ${f.to === undefined ? sql`` : sql`AND ${local} <= ${f.to}::date`}
           ${after === null ? sql`` : sql`AND (v.starts_at, v.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`}
         ORDER BY v.starts_at, v.id LIMIT ${limit + 1}`,
  );
}

export interface VisitActionView {
  position: number;
  whatTh: string;
  ownerTh: string | null;
  dueOn: string | null;
  status: 'open' | 'done';
  doneAt: string | null;
}

/** One visit with its actions (aggregated in the same statement), or undefined outside the office. */
export async function visitWithActions(
  db: Db,
  officeId: string,
  id: string,
): Promise<(VisitView & { principalComment: string | null; actions: VisitActionView[] }) | undefined> {
  const rows = await queryRows<VisitView & { principalComment: string | null; actions: VisitActionView[] }>(
    db,
    sql`SELECT ${visitCols}, v.principal_comment AS "principalComment",
               coalesce((SELECT json_agg(json_build_object(
                            'position', a.position, 'whatTh', a.what_th, 'ownerTh', a.owner_th,
                            'dueOn', a.due_on::text, 'status', a.status, 'doneAt', a.done_at) ORDER BY a.position)
                           FROM visit_actions a WHERE a.visit_id = v.id), '[]'::json) AS actions
          FROM visits v
          JOIN schools s ON s.id = v.school_id
          JOIN people sp ON sp.id = v.supervisor_id
         WHERE v.office_id = ${officeId} AND v.id = ${id}::uuid`,
  );
  return rows[0];
}
