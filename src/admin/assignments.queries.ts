// SQL for supervisor assignments in the admin API: a page of them, the bulk upsert on their natural key
// (supervisor, school, cluster), and a delete; rows are resolved by id/external id and codes in one statement.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import { iso } from './admin.queries.js';

export interface AssignmentView extends Record<string, unknown> {
  id: string;
  supervisorId: string;
  supervisorName: string;
  schoolCode: string | null;
  schoolNameTh: string | null;
  clusterCode: string | null;
  clusterNameTh: string | null;
  kind: 'main' | 'joint';
  learningArea: string | null;
  createdAt: string;
}

/** Cursor: [createdAt, id]. */
export async function listAssignmentsPage(
  db: Db,
  officeId: string,
  f: {
    id?: string | undefined;
    supervisorId?: string | undefined;
    schoolCode?: string | undefined;
    clusterCode?: string | undefined;
  },
  after: string[] | null,
  limit: number,
): Promise<AssignmentView[]> {
  return queryRows<AssignmentView>(
    db,
    sql`SELECT a.id, a.supervisor_id AS "supervisorId", p.display_name AS "supervisorName",
               s.code AS "schoolCode", s.name_th AS "schoolNameTh", cl.code AS "clusterCode",
               cl.name_th AS "clusterNameTh", a.kind, a.learning_area AS "learningArea",
               ${iso(sql`a.created_at`)} AS "createdAt"
          FROM supervisor_assignments a
          JOIN people p ON p.id = a.supervisor_id
          LEFT JOIN schools s ON s.id = a.school_id
          LEFT JOIN clusters cl ON cl.id = a.cluster_id
         WHERE a.office_id = ${officeId}
           ${f.id === undefined ? sql`` : sql`AND a.id = ${f.id}::uuid`}
           ${f.supervisorId === undefined ? sql`` : sql`AND a.supervisor_id = ${f.supervisorId}::uuid`}
           ${f.schoolCode === undefined ? sql`` : sql`AND s.code = ${f.schoolCode}`}
           ${f.clusterCode === undefined ? sql`` : sql`AND cl.code = ${f.clusterCode}`}
           ${after === null ? sql`` : sql`AND (a.created_at, a.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`}
         ORDER BY a.created_at, a.id LIMIT ${limit + 1}`,
  );
}

export interface AssignmentRef {
  supervisorId: string | null;
  supervisorExternalId: string | null;
  schoolCode: string | null;
  clusterCode: string | null;
}

export interface ResolvedAssignment extends Record<string, unknown> {
  i: number;
  person_id: string | null;
  role: Role | null;
  status: PersonStatus | null;
  school_id: string | null;
  cluster_id: string | null;
}

/** Each row's person (of this office, any role: the caller names a wrong one), school and cluster, in input order. */
export async function resolveAssignments(
  db: Db,
  officeId: string,
  rows: AssignmentRef[],
): Promise<ResolvedAssignment[]> {
  const json = JSON.stringify(
    rows.map((r, i) => ({ i, sid: r.supervisorId, ext: r.supervisorExternalId, sc: r.schoolCode, cc: r.clusterCode })),
  );
  return queryRows<ResolvedAssignment>(
    db,
    sql`WITH x AS (SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(i int, sid text, ext text, sc text, cc text))
        SELECT x.i, p.id AS person_id, p.role, p.status, s.id AS school_id, cl.id AS cluster_id
          FROM x
          LEFT JOIN people p ON p.office_id = ${officeId}::uuid AND p.status <> 'erased'
                            AND (p.id::text = x.sid OR p.external_id = x.ext)
          LEFT JOIN schools s ON s.office_id = ${officeId}::uuid AND s.code = x.sc
          LEFT JOIN clusters cl ON cl.office_id = ${officeId}::uuid AND cl.code = x.cc
         ORDER BY x.i`,
  );
}

export interface AssignmentInput {
  supervisorId: string;
  schoolId: string | null;
  clusterId: string | null;
  kind: 'main' | 'joint';
  learningArea: string | null;
}

/**
 * Upserts assignments on their natural key (supervisor, school, cluster). A row already exactly so is not touched,
 * so a repeated import or API post writes nothing; returns how many were inserted and how many changed.
 */
export async function upsertAssignments(
  db: Db,
  officeId: string,
  rows: AssignmentInput[],
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const out = await queryRows<{ inserted: number; updated: number }>(
    db,
    sql`WITH up AS (
          INSERT INTO supervisor_assignments AS sa (office_id, supervisor_id, school_id, cluster_id, kind, learning_area)
          SELECT ${officeId}::uuid, t.supervisor_id, t.school_id, t.cluster_id, t.kind, t.learning_area
            FROM unnest(${sql.param(rows.map((r) => r.supervisorId))}::uuid[],
                        ${sql.param(rows.map((r) => r.schoolId))}::uuid[],
                        ${sql.param(rows.map((r) => r.clusterId))}::uuid[],
                        ${sql.param(rows.map((r) => r.kind))}::text[],
                        ${sql.param(rows.map((r) => r.learningArea))}::text[])
              AS t(supervisor_id, school_id, cluster_id, kind, learning_area)
          ON CONFLICT ON CONSTRAINT supervisor_assignments_target_uq DO UPDATE
             SET kind = excluded.kind, learning_area = excluded.learning_area
           WHERE (sa.kind, sa.learning_area) IS DISTINCT FROM (excluded.kind, excluded.learning_area)
          RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
          FROM up`,
  );
  return out[0] ?? { inserted: 0, updated: 0 };
}

export async function deleteAssignment(db: Db, officeId: string, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM supervisor_assignments WHERE office_id = ${officeId} AND id = ${id}::uuid RETURNING id`,
  );
  return rows.length > 0;
}
