// SQL for CSV imports that the admin queries do not already have: which external ids an office already uses.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export async function existingExternalIds(db: Db, officeId: string, externalIds: string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await queryRows<{ external_id: string }>(
    db,
    sql`SELECT external_id FROM people WHERE office_id = ${officeId}
          AND external_id = ANY(${sql.param(externalIds)}::text[])`,
  );
  return new Set(rows.map((r) => r.external_id));
}

export interface AssignmentRef {
  supervisorExternalId: string;
  schoolCode: string;
  clusterCode: string;
}

export interface ResolvedAssignment extends Record<string, unknown> {
  i: number;
  supervisor_id: string | null;
  supervisor_role: string | null;
  school_id: string | null;
  cluster_id: string | null;
  /** The assignment already there (same supervisor and school or cluster), if any. */
  existing_kind: string | null;
  existing_area: string | null;
}

/** Every row's supervisor (by external id), school and cluster (by code) and current assignment, in one query. */
export async function resolveAssignments(
  db: Db,
  officeId: string,
  rows: AssignmentRef[],
): Promise<ResolvedAssignment[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(
    rows.map((r, i) => ({
      i,
      ext: r.supervisorExternalId,
      school: r.schoolCode || null,
      cluster: r.clusterCode || null,
    })),
  );
  return queryRows<ResolvedAssignment>(
    db,
    sql`WITH x AS (SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(i int, ext text, school text, cluster text))
        SELECT x.i, p.id AS supervisor_id, p.role AS supervisor_role, s.id AS school_id, c.id AS cluster_id,
               sa.kind AS existing_kind, sa.learning_area AS existing_area
          FROM x
          LEFT JOIN people p ON p.office_id = ${officeId}::uuid AND p.external_id = x.ext AND p.status <> 'erased'
          LEFT JOIN schools s ON s.office_id = ${officeId}::uuid AND s.code = x.school
          LEFT JOIN clusters c ON c.office_id = ${officeId}::uuid AND c.code = x.cluster
          LEFT JOIN supervisor_assignments sa
            ON sa.supervisor_id = p.id AND sa.school_id IS NOT DISTINCT FROM s.id
           AND sa.cluster_id IS NOT DISTINCT FROM c.id
         ORDER BY x.i`,
  );
}

/**
 * For a plan dry run: of these visits, which (by index) are already there, and whether the import would change
 * their purpose — the same match as importPlannedVisits (supervisor, school, start; not cancelled).
 */
export async function existingPlanVisits(
  db: Db,
  officeId: string,
  rows: { supervisorId: string; schoolId: string; startsAt: string; purposeTh: string | null }[],
): Promise<{ i: number; changes: boolean }[]> {
  if (rows.length === 0) return [];
  return queryRows<{ i: number; changes: boolean }>(
    db,
    sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows.map((r, i) => ({ ...r, i })))}::jsonb)
            AS x(i int, "supervisorId" uuid, "schoolId" uuid, "startsAt" timestamptz, "purposeTh" text))
        SELECT DISTINCT ON (x.i) x.i,
               (v.status = 'planned' AND x."purposeTh" IS NOT NULL AND x."purposeTh" <> v.purpose_th) AS changes
          FROM x JOIN visits v ON v.office_id = ${officeId}::uuid AND v.supervisor_id = x."supervisorId"
           AND v.school_id = x."schoolId" AND v.starts_at = x."startsAt" AND v.status <> 'cancelled'
         ORDER BY x.i, v.created_at`,
  );
}

/** An import file kept for its confirm, as of `at` (a re-check of the same file restarts its day). */
export async function recordUpload(db: Db, officeId: string, sha: string, at: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO import_uploads (office_id, sha, uploaded_at) VALUES (${officeId}::uuid, ${sha}, ${at}::timestamptz)
    ON CONFLICT (office_id, sha) DO UPDATE SET uploaded_at = EXCLUDED.uploaded_at`);
}

/** The office's kept import files uploaded before `before`, at most `limit`. */
export async function uploadsBefore(db: Db, officeId: string, before: string, limit: number): Promise<string[]> {
  const rows = await queryRows<{ sha: string }>(
    db,
    sql`SELECT sha FROM import_uploads
         WHERE office_id = ${officeId}::uuid AND uploaded_at < ${before}::timestamptz LIMIT ${limit}`,
  );
  return rows.map((r) => r.sha);
}

/** After the store deleted an import file's blob. */
export async function forgetUpload(db: Db, officeId: string, sha: string): Promise<void> {
  await db.execute(sql`DELETE FROM import_uploads WHERE office_id = ${officeId}::uuid AND sha = ${sha}`);
}
