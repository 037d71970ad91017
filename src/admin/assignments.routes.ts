// Supervisor assignments (นิเทศหลัก / นิเทศร่วม): which schools or whole clusters a supervisor covers. Only people
// with the supervisor role are assigned: directors see the whole office already, and the visit flows, digests and
// plan import all look up assignments of supervisors only.
import type { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { deleteAssignment, listAssignmentsPage, resolveAssignments, upsertAssignments } from './assignments.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const assignmentsBody = z.object({
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

const assignmentsQuery = z.strictObject({
  ...pageParams.shape,
  supervisor: z.uuid().optional(),
  school: z.string().trim().min(1).max(20).optional(),
  cluster: z.string().trim().min(1).max(50).optional(),
});

export function assignmentRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/assignments', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(assignmentsQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const db = c.var.deps.db;
    const rows = await listAssignmentsPage(
      db,
      o.id,
      { supervisorId: q.supervisor, schoolCode: q.school, clusterCode: q.cluster },
      after,
      q.limit,
    );
    const page = pageOf(rows, q.limit, (a) => [a.createdAt, a.id]);
    // The rows name supervisors: a read of personal data.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'assignments.list',
      detail: { count: page.items.length },
    });
    return c.json(page);
  });

  app.post('/offices/:office/assignments', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(assignmentsBody, await readJson(c.req), 'assignments');
    const db = c.var.deps.db;
    const input = body.assignments;
    const resolved = await resolveAssignments(
      db,
      o.id,
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
    const counts = await db.transaction(async (tx) => {
      const out = await upsertAssignments(
        tx,
        o.id,
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
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'assignments.upsert', detail: counts });
      return counts;
    });
    return c.json(counts);
  });

  app.delete('/offices/:office/assignments/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    await db.transaction(async (tx) => {
      if (!(await deleteAssignment(tx, o.id, id))) throw new AppError('not_found', 'No such assignment in this office');
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'assignment.delete',
        targetType: 'assignment',
        targetId: id,
      });
    });
    return c.body(null, 204);
  });
}
