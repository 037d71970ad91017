// Supervisor assignments (นิเทศหลัก / นิเทศร่วม): which schools or whole clusters a supervisor covers. Only people
// with the supervisor role are assigned: directors see the whole office already, and the visit flows, digests and
// plan import all look up assignments of supervisors only.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { audit } from '../audit/audit.queries.js';
import { assignmentsBody, removeAssignment, upsertAssignmentsAction } from './assignments.actions.js';
import { listAssignmentsPage } from './assignments.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

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
    const counts = await upsertAssignmentsAction(c.var.deps.db, o.id, body.assignments, actorOf(c));
    return c.json(counts);
  });

  app.delete('/offices/:office/assignments/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    await removeAssignment(c.var.deps.db, o.id, id, actorOf(c));
    return c.body(null, 204);
  });
}
