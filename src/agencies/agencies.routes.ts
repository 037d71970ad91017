// The admin API of the work with other agencies (issue 16 item 5): list and add projects, read one with its
// stages, advance it, keep a link with its current stage. The changes are agencies.actions.ts's, as the page's are.
import type { Hono } from 'hono';
import { officeOf } from '../admin/office.js';
import { parseBody, readJson, uuidParam } from '../admin/validate.js';
import { actionCtx } from '../committee/committee.actions.js';
import type { AppEnv } from '../deps.js';
import { listTasks } from '../tasks/tasks.queries.js';
import {
  addStageDocument,
  advanceBody,
  advanceProject,
  createProject,
  documentBody,
  projectBody,
  projectOf,
} from './agencies.actions.js';
import { listProjects } from './agencies.queries.js';

export function agencyRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/agencies', async (c) => {
    const o = await officeOf(c);
    return c.json({ items: await listProjects(c.var.deps.db, o.id, { limit: 200 }) });
  });

  app.post('/offices/:office/agencies', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(projectBody, await readJson(c.req));
    const id = await createProject(actionCtx(c, o.id), body);
    return c.json(await projectOf({ db: c.var.deps.db, officeId: o.id }, id), 201);
  });

  app.get('/offices/:office/agencies/:id', async (c) => {
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const p = await projectOf({ db, officeId: o.id }, uuidParam(c));
    return c.json({ ...p, tasks: await listTasks(db, o.id, { sourceId: p.id }) });
  });

  app.post('/offices/:office/agencies/:id/advance', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(advanceBody, await readJson(c.req));
    await advanceProject(actionCtx(c, o.id), id, body);
    return c.json(await projectOf({ db: c.var.deps.db, officeId: o.id }, id));
  });

  app.post('/offices/:office/agencies/:id/documents', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(documentBody, await readJson(c.req));
    return c.json({ id: await addStageDocument(actionCtx(c, o.id), id, body) }, 201);
  });
}
