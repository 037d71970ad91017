// Assigning supervisors to schools or clusters and removing an assignment: one implementation for the admin API
// (src/admin/assignments.routes.ts) and the assignments page, so both resolve, validate, write and audit alike. A
// refused request writes nothing and names the row and field of every problem.
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import { deleteAssignment, resolveAssignments, upsertAssignments } from './assignments.queries.js';

export const assignmentsBody = z.object({
  assignments: z
    .array(
      z
        .object({
          supervisorId: z.uuid().optional(),
          supervisorExternalId: z.string().trim().min(1).max(100).optional(),
          schoolCode: z.string().trim().min(1).max(20).optional(),
          clusterCode: z.string().trim().min(1).max(50).optional(),
          kind: z.enum(['main', 'joint']).default('main'),
          learningArea: z.string().trim().min(1).max(100).nullable().optional(),
        })
        .refine((r) => (r.supervisorId === undefined) !== (r.supervisorExternalId === undefined), {
          message: 'give supervisorId or supervisorExternalId (one of them)',
          path: ['supervisorId'],
        })
        .refine((r) => (r.schoolCode === undefined) !== (r.clusterCode === undefined), {
          message: 'give schoolCode or clusterCode (one of them)',
          path: ['schoolCode'],
        }),
    )
    .min(1)
    .max(5000),
});
export type AssignmentRow = z.infer<typeof assignmentsBody>['assignments'][number];

/** Upserts assignments on (supervisor, school, cluster); an assignment posted again exactly as it is writes nothing. */
export async function upsertAssignmentsAction(
  db: Db,
  officeId: string,
  input: AssignmentRow[],
  actor: string,
): Promise<{ created: number; updated: number }> {
  const resolved = await resolveAssignments(
    db,
    officeId,
    input.map((a) => ({
      supervisorId: a.supervisorId ?? null,
      supervisorExternalId: a.supervisorExternalId ?? null,
      schoolCode: a.schoolCode ?? null,
      clusterCode: a.clusterCode ?? null,
    })),
  );
  const issues: FieldIssue[] = [];
  // Two rows for the same (supervisor, target) would hit one row twice in one INSERT … ON CONFLICT.
  const seen = new Map<string, number>();
  input.forEach((a, row) => {
    const r = resolved[row];
    const who = a.supervisorId === undefined ? 'supervisorExternalId' : 'supervisorId';
    const target = a.schoolCode === undefined ? 'clusterCode' : 'schoolCode';
    if (r?.person_id == null) issues.push({ row, field: who, message: 'no such person in this office' });
    else if (r.role !== 'supervisor') {
      issues.push({
        row,
        field: who,
        message: `a ${r.role ?? 'person'} cannot be assigned schools; only a supervisor`,
      });
    }
    if (r?.school_id == null && r?.cluster_id == null) {
      const what =
        a.schoolCode === undefined ? `cluster with code ${a.clusterCode ?? ''}` : `school with code ${a.schoolCode}`;
      issues.push({ row, field: target, message: `no ${what} in this office` });
    } else if (r.person_id != null) {
      const key = `${r.person_id}|${r.school_id ?? ''}|${r.cluster_id ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined) issues.push({ row, field: target, message: `duplicate of assignments row ${first}` });
      else seen.set(key, row);
    }
  });
  if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
  return db.transaction(async (tx) => {
    const out = await upsertAssignments(
      tx,
      officeId,
      input.map((a, row) => ({
        supervisorId: resolved[row]?.person_id ?? '',
        schoolId: resolved[row]?.school_id ?? null,
        clusterId: resolved[row]?.cluster_id ?? null,
        kind: a.kind,
        learningArea: a.learningArea ?? null,
      })),
    );
    // `updated` counts rows that changed; an assignment posted again exactly as it is writes nothing.
    const counts = { created: out.inserted, updated: out.updated };
    await audit(tx, { actor, officeId, action: 'assignments.upsert', detail: counts });
    return counts;
  });
}

/** Removes one assignment of the office, audited; 404 if there is none. */
export async function removeAssignment(db: Db, officeId: string, id: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await deleteAssignment(tx, officeId, id)))
      throw new AppError('not_found', 'No such assignment in this office');
    await audit(tx, { actor, officeId, action: 'assignment.delete', targetType: 'assignment', targetId: id });
  });
}
