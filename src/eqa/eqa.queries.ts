// SQL of the external quality assessment (สมศ.): the office's schools with their latest SAR levels, IQA steps,
// scheduled date and last assessment (one statement per page whatever the number of schools), one school's record
// and results, and the writes (one statement each, set-based for an import).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { isSarChecklist } from '../sar/keys.queries.js';

export interface EqaOverviewRow extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  cluster: string | null;
  sar_ms: number | null;
  /** The latest SAR's sN_level answers. */
  sar_answers: Record<string, unknown> | null;
  iqa_steps: string[] | null;
  scheduled_on: string | null;
  /** The last assessment's date, if สมศ. has assessed the school. */
  assessed_on: string | null;
}

/** The schools of the office that `inScope` (a condition on `s`) admits, by code. */
export async function eqaOverview(db: Db, officeId: string, inScope: SQL): Promise<EqaOverviewRow[]> {
  return queryRows<EqaOverviewRow>(
    db,
    sql`WITH sc AS (
          SELECT s.id, s.code, s.name_th, cl.name_th AS cluster FROM schools s
            LEFT JOIN clusters cl ON cl.id = s.cluster_id
           WHERE s.office_id = ${officeId}::uuid AND ${inScope}),
        sar AS (
          SELECT DISTINCT ON (r.school_id) r.id, r.school_id, r.submitted_at
            FROM responses r JOIN checklists ck ON ck.id = r.checklist_id JOIN campaigns c ON c.id = r.campaign_id
           WHERE r.office_id = ${officeId}::uuid AND r.school_id IN (SELECT id FROM sc) AND r.status = 'submitted'
             AND ${isSarChecklist()}
           -- The same latest SAR as the school page's (src/sar/feedback.queries.ts sarsWhere).
           ORDER BY r.school_id, r.submitted_at DESC, c.due_at DESC, r.id)
        SELECT sc.id, sc.code, sc.name_th, sc.cluster,
               (extract(epoch FROM sar.submitted_at) * 1000)::float8 AS sar_ms,
               (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
                 WHERE a.response_id = sar.id AND a.repeat_index = 0 AND a.item_key ~ '^s[0-9]+_level$') AS sar_answers,
               e.iqa_steps, e.scheduled_on::text AS scheduled_on,
               (SELECT max(x.assessed_on)::text FROM eqa_results x WHERE x.school_id = sc.id) AS assessed_on
          FROM sc LEFT JOIN sar ON sar.school_id = sc.id LEFT JOIN eqa_schools e ON e.school_id = sc.id
         ORDER BY sc.code`,
  );
}

export interface EqaResult {
  assessedOn: string;
  standard: number;
  level: number;
}

export interface EqaSchoolRow extends Record<string, unknown> {
  iqa_steps: string[];
  scheduled_on: string | null;
  note_th: string | null;
  /** Every result, newest assessment first, by standard. */
  results: EqaResult[];
}

/** One school's record and results (the school must be the office's). */
export async function eqaOfSchool(db: Db, officeId: string, schoolId: string): Promise<EqaSchoolRow> {
  const rows = await queryRows<EqaSchoolRow>(
    db,
    sql`SELECT coalesce(e.iqa_steps, '{}') AS iqa_steps, e.scheduled_on::text AS scheduled_on, e.note_th,
               coalesce((SELECT jsonb_agg(jsonb_build_object('assessedOn', x.assessed_on::text, 'standard', x.standard,
                                                             'level', x.level)
                                          ORDER BY x.assessed_on DESC, x.standard)
                           FROM eqa_results x WHERE x.school_id = s.id), '[]'::jsonb) AS results
          FROM schools s LEFT JOIN eqa_schools e ON e.school_id = s.id
         WHERE s.id = ${schoolId}::uuid AND s.office_id = ${officeId}::uuid`,
  );
  return rows[0] ?? { iqa_steps: [], scheduled_on: null, note_th: null, results: [] };
}

/** Sets a school's IQA steps, scheduled date and note (all three: the form and the API give the whole record). */
export async function saveEqaSchool(
  db: Db,
  officeId: string,
  schoolId: string,
  r: { iqaSteps: string[]; scheduledOn: string | null; noteTh: string | null },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO eqa_schools (school_id, office_id, iqa_steps, scheduled_on, note_th, updated_at)
    VALUES (${schoolId}::uuid, ${officeId}::uuid, ${sql.param(r.iqaSteps)}::text[], ${r.scheduledOn}::date,
            ${r.noteTh}, now())
    ON CONFLICT (school_id) DO UPDATE
       SET iqa_steps = excluded.iqa_steps, scheduled_on = excluded.scheduled_on, note_th = excluded.note_th,
           updated_at = now()`);
}

/** Upserts results by (school, date, standard); returns how many were new and how many replaced a level. */
export async function saveEqaResults(
  db: Db,
  officeId: string,
  rows: (EqaResult & { schoolId: string })[],
  actor: string,
): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const out = await queryRows<{ created: number; updated: number }>(
    db,
    sql`WITH up AS (
          INSERT INTO eqa_results (office_id, school_id, assessed_on, standard, level, recorded_by)
          SELECT ${officeId}::uuid, t.school_id, t.assessed_on, t.standard, t.level, ${actor}
            FROM unnest(${sql.param(rows.map((r) => r.schoolId))}::uuid[],
                        ${sql.param(rows.map((r) => r.assessedOn))}::date[],
                        ${sql.param(rows.map((r) => r.standard))}::smallint[],
                        ${sql.param(rows.map((r) => r.level))}::smallint[]) AS t(school_id, assessed_on, standard, level)
            JOIN schools s ON s.id = t.school_id AND s.office_id = ${officeId}::uuid
          ON CONFLICT (school_id, assessed_on, standard) DO UPDATE
             SET level = excluded.level, recorded_by = excluded.recorded_by, recorded_at = now()
          RETURNING (xmax = 0) AS created)
        SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated
          FROM up`,
  );
  return out[0] ?? { created: 0, updated: 0 };
}
