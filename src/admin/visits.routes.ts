// Supervision visits through the admin API: the annual plan import, a page of visits, one visit with its actions.
// Visits name supervisors and carry principals' comments: reads are audited.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { visitStatuses } from '../db/schema.js';
import { importPlanAction, planBody } from '../visits/plan-import.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { listVisitsPage, visitWithActions } from './visits.queries.js';
import { isoDate, parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const visitsQuery = z.strictObject({
  ...pageParams.shape,
  supervisor: z.uuid().optional(),
  school: z.string().trim().min(1).max(20).optional(),
  status: z.enum(visitStatuses).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export function visitRoutes(app: Hono<AppEnv>): void {
  app.post('/offices/:office/visits/plan', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(planBody, await readJson(c.req), 'visits');
    const counts = await importPlanAction(c.var.deps.db, o.id, body, c.var.deps.now(), actorOf(c));
    return c.json(counts);
  });

  app.get('/offices/:office/visits', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(visitsQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const db = c.var.deps.db;
    const rows = await listVisitsPage(
      db,
      o.id,
      { supervisorId: q.supervisor, schoolCode: q.school, status: q.status, from: q.from, to: q.to },
      after,
      q.limit,
    );
    const page = pageOf(rows, q.limit, (v) => [v.startsAt, v.id]);
    await audit(db, { actor: actorOf(c), officeId: o.id, action: 'visits.list', detail: { count: page.items.length } });
    return c.json(page);
  });

  app.get('/offices/:office/visits/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    const visit = await visitWithActions(db, o.id, id);
    if (visit === undefined) throw new AppError('not_found', 'No such visit in this office');
    await audit(db, { actor: actorOf(c), officeId: o.id, action: 'visit.read', targetType: 'visit', targetId: id });
    return c.json(visit);
  });
}
