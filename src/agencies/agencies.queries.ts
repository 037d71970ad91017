// SQL of the work with other agencies (issue 16 item 5): the projects; each stage's follow-up is an office task
// (src/tasks/), joined here for the lists. One statement each.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { agencyStages } from '../db/schema.js';
import { iso } from '../admin/admin.queries.js';

export type AgencyStage = (typeof agencyStages)[number];
export type ProjectStage = AgencyStage | 'closed';

export interface StageRef {
  stage: AgencyStage;
  taskId: string;
  startsOn: string;
}

/** A document kept with a stage: a link, or a file in the blob store (served by the page's download route). */
export interface StageDocument {
  id: string;
  titleTh: string;
  url?: string;
  key?: string;
  fileName?: string;
  contentType?: string;
  sizeBytes?: number;
}

export interface ProjectRow extends Record<string, unknown> {
  id: string;
  titleTh: string;
  agencyTh: string;
  scope: 'inside' | 'outside';
  stage: ProjectStage;
  stages: StageRef[];
  createdAt: string;
  closedAt: string | null;
  /** The current stage's follow-up (null once closed). */
  ownerName: string | null;
  dueOn: string | null;
}

export async function insertProject(
  db: Db,
  officeId: string,
  p: { id: string; titleTh: string; agencyTh: string; scope: 'inside' | 'outside'; first: StageRef },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO agency_projects (id, office_id, title_th, agency_th, scope, stage, stages)
    VALUES (${p.id}::uuid, ${officeId}::uuid, ${p.titleTh}, ${p.agencyTh}, ${p.scope}, ${p.first.stage},
            ${JSON.stringify([p.first])}::jsonb)`);
}

const projectColumns = sql`p.id, p.title_th AS "titleTh", p.agency_th AS "agencyTh", p.scope, p.stage, p.stages,
       ${iso(sql`p.created_at`)} AS "createdAt", ${iso(sql`p.closed_at`)} AS "closedAt",
       pe.display_name AS "ownerName", to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn"`;
const currentTask = sql`LEFT JOIN office_tasks t
         ON p.stage <> 'closed' AND t.office_id = p.office_id
        AND t.id = (p.stages -> (jsonb_array_length(p.stages) - 1) ->> 'taskId')::uuid
       LEFT JOIN people pe ON pe.id = t.owner_id`;

/** The office's projects, newest first, a page at a time (keyset on created_at, id), with the current stage. */
export async function listProjects(
  db: Db,
  officeId: string,
  page: { afterId?: string; limit: number },
): Promise<ProjectRow[]> {
  return queryRows<ProjectRow>(
    db,
    sql`SELECT ${projectColumns}
          FROM agency_projects p ${currentTask}
         WHERE p.office_id = ${officeId}::uuid
           ${
             page.afterId === undefined
               ? sql``
               : sql`AND (p.created_at, p.id) < (SELECT a.created_at, a.id FROM agency_projects a
                                                   WHERE a.office_id = p.office_id AND a.id = ${page.afterId}::uuid)`
           }
         ORDER BY p.created_at DESC, p.id DESC
         LIMIT ${page.limit}`,
  );
}

export async function findProject(db: Db, officeId: string, id: string): Promise<ProjectRow | undefined> {
  const rows = await queryRows<ProjectRow>(
    db,
    sql`SELECT ${projectColumns} FROM agency_projects p ${currentTask}
         WHERE p.office_id = ${officeId}::uuid AND p.id = ${id}::uuid`,
  );
  return rows[0];
}

/**
 * Moves a project from `from` to the next stage (appending its follow-up) or to closed; false when it is no longer
 * at `from` (another request moved it first), so a stage is never skipped or doubled.
 */
export async function moveProject(
  db: Db,
  officeId: string,
  id: string,
  from: ProjectStage,
  next: StageRef | null,
  now: number,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    next === null
      ? sql`UPDATE agency_projects SET stage = 'closed', closed_at = ${new Date(now).toISOString()}::timestamptz
             WHERE office_id = ${officeId}::uuid AND id = ${id}::uuid AND stage = ${from} RETURNING id`
      : sql`UPDATE agency_projects SET stage = ${next.stage}, stages = stages || ${JSON.stringify([next])}::jsonb
             WHERE office_id = ${officeId}::uuid AND id = ${id}::uuid AND stage = ${from} RETURNING id`,
  );
  return rows.length > 0;
}

/** Appends a document to a stage's follow-up of this project; false when the task is not the project's. */
export async function addTaskDocument(
  db: Db,
  officeId: string,
  projectId: string,
  taskId: string,
  doc: StageDocument,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE office_tasks SET documents = documents || ${JSON.stringify([doc])}::jsonb
         WHERE office_id = ${officeId}::uuid AND id = ${taskId}::uuid AND source = 'agency'
           AND source_id = ${projectId}::uuid
        RETURNING id`,
  );
  return rows.length > 0;
}

/** Whether this person owns one of the project's stages (its follow-ups), done or open. */
export async function ownsAgencyStage(db: Db, officeId: string, projectId: string, personId: string): Promise<boolean> {
  const rows = await queryRows<{ own: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM office_tasks
                        WHERE source_id = ${projectId}::uuid AND source = 'agency' AND office_id = ${officeId}::uuid
                          AND owner_id = ${personId}::uuid) AS own`,
  );
  return rows[0]?.own === true;
}
