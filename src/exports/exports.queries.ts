// SQL for the visit-log and completion exports: one statement each, whatever the number of schools or visits.
import { sql } from 'drizzle-orm';
import { countedSubject, schoolInScope } from '../checklists/audience.queries.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface VisitLogRow extends Record<string, unknown> {
  id: string;
  starts_at: string;
  status: string;
  purpose_th: string;
  source: string;
  recorded_at: string | null;
  decision: string | null;
  school_code: string;
  school_name: string;
  supervisor: string;
  actions_open: number;
  actions_done: number;
}

/** The office's visits starting in [from, to), with their agreed actions counted (one grouped join, not per visit). */
export async function visitLog(db: Db, officeId: string, from: string, to: string): Promise<VisitLogRow[]> {
  return queryRows<VisitLogRow>(
    db,
    sql`SELECT v.id, v.starts_at, v.status, v.purpose_th, v.source, v.recorded_at, v.decision,
               s.code AS school_code, s.name_th AS school_name, p.display_name AS supervisor,
               coalesce(a.open, 0)::int AS actions_open, coalesce(a.done, 0)::int AS actions_done
          FROM visits v
          JOIN schools s ON s.id = v.school_id
          JOIN people p ON p.id = v.supervisor_id
          LEFT JOIN (SELECT visit_id, count(*) FILTER (WHERE status = 'open') AS open,
                            count(*) FILTER (WHERE status = 'done') AS done
                       FROM visit_actions WHERE office_id = ${officeId}::uuid GROUP BY visit_id) a ON a.visit_id = v.id
         WHERE v.office_id = ${officeId}::uuid AND v.starts_at >= ${from}::timestamptz AND v.starts_at < ${to}::timestamptz
         ORDER BY v.starts_at, s.code, p.display_name, v.id`,
  );
}

export interface CompletionRow extends Record<string, unknown> {
  school_code: string | null;
  school_name: string | null;
  cluster_code: string | null;
  cluster_name: string | null;
  expected: number;
  submitted: number;
  in_progress: number;
}

/**
 * A campaign's completion per school: every school the campaign targets (so a school nobody has started shows
 * up), plus one row without a school for audience members who have none (office staff). The audience is decided
 * by the shared countedSubject() (src/checklists/audience.queries.ts), as everywhere else.
 */
export async function completionBySchool(db: Db, officeId: string, campaignId: string): Promise<CompletionRow[]> {
  return queryRows<CompletionRow>(
    db,
    sql`WITH c AS (
          SELECT c.*, ck.scope FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
           WHERE c.id = ${campaignId}::uuid AND c.office_id = ${officeId}::uuid),
        subj AS (
          SELECT DISTINCT p.school_id, CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key
            FROM c JOIN people p ON p.office_id = c.office_id
            LEFT JOIN schools s ON s.id = p.school_id
           WHERE ${countedSubject('p', 's', 'c.scope')}),
        agg AS (
          SELECT subj.school_id, count(*)::int AS expected,
                 count(r.id) FILTER (WHERE r.status = 'submitted')::int AS submitted,
                 count(r.id) FILTER (WHERE r.status = 'in_progress')::int AS in_progress
            FROM subj LEFT JOIN responses r ON r.campaign_id = ${campaignId}::uuid AND r.subject_key = subj.subject_key
           GROUP BY subj.school_id),
        targets AS (
          SELECT s.id FROM c JOIN schools s ON s.office_id = c.office_id
           WHERE ${schoolInScope('s', { roles: sql`c.roles`, schoolIds: sql`c.school_ids`, clusterIds: sql`c.cluster_ids` })})
        SELECT s.code AS school_code, s.name_th AS school_name, cl.code AS cluster_code, cl.name_th AS cluster_name,
               coalesce(a.expected, 0) AS expected, coalesce(a.submitted, 0) AS submitted,
               coalesce(a.in_progress, 0) AS in_progress
          FROM targets t
          FULL JOIN agg a ON a.school_id = t.id
          LEFT JOIN schools s ON s.id = coalesce(t.id, a.school_id)
          LEFT JOIN clusters cl ON cl.id = s.cluster_id
         ORDER BY cl.code NULLS LAST, s.code NULLS LAST`,
  );
}
