// The pending-assignment set's audience function (nithet_pending_audience, called by the triggers of migration
// 0009), generated from audience() so that the set the planner reads and every query that counts an audience share
// one predicate. Migration 0009 created a first copy; installDerivedSql() replaces it after every migration run, so
// a change to audience() reaches the triggers at the next `migrate` without a hand-written copy to keep in step.
// Like countedSubject(), the set leaves out schools imported after a campaign's due time: reminders and escalations
// must not chase what the counts do not count (migration 0021 re-runs the set when a due time moves).
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { audience, importedAfterDue } from './audience.queries.js';

const dialect = new PgDialect();

/** Today's rule as a plain SQL text: a function body cannot take bind parameters. */
function audienceText(): string {
  const built = dialect.sqlToQuery(sql`${audience('p', 's', 'ck.scope')} AND NOT ${importedAfterDue('s', 'c')}`);
  if (built.params.length > 0) throw new Error('audience() must be parameter-free to be installed in a function');
  return built.sql;
}

/** The CREATE OR REPLACE statement of nithet_pending_audience(campaign_ids, person_ids). */
export function pendingAudienceFunction(): string {
  const subject = `CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END`;
  return `CREATE OR REPLACE FUNCTION nithet_pending_audience(campaign_ids uuid[], person_ids uuid[]) RETURNS void
LANGUAGE sql AS $fn$
  INSERT INTO pending_assignments (campaign_id, subject_key, office_id, school_id, person_id, role, started)
  SELECT c.id, ${subject}, c.office_id, p.school_id,
         CASE WHEN ck.scope = 'school' THEN NULL ELSE p.id END, CASE WHEN ck.scope = 'school' THEN NULL ELSE p.role END,
         EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = c.id AND r.subject_key = ${subject})
    FROM campaigns c
    JOIN checklists ck ON ck.id = c.checklist_id
    JOIN people p ON p.office_id = c.office_id
    LEFT JOIN schools s ON s.id = p.school_id
   WHERE (campaign_ids IS NULL OR c.id = ANY(campaign_ids)) AND (person_ids IS NULL OR p.id = ANY(person_ids))
     AND ${audienceText()}
     AND NOT EXISTS (SELECT 1 FROM responses r
                      WHERE r.campaign_id = c.id AND r.status = 'submitted' AND r.subject_key = ${subject})
  ON CONFLICT DO NOTHING
$fn$`;
}

/** Re-creates the SQL objects derived from code; run after migrations (src/db/node.ts). Idempotent. */
export async function installDerivedSql(db: Db): Promise<void> {
  await db.execute(sql.raw(pendingAudienceFunction()));
}
