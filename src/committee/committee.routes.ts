// The admin API of the office's own work (issue 16): the ก.ต.ป.น. committee (members, meetings with invitations,
// reminders and attendance in chat, minutes, resolutions as follow-ups, the monitoring plan, the summary reported
// to the committee) and the follow-ups every part shares (/tasks). Every change is audited with its rows.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from '../admin/auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from '../admin/office.js';
import { parseBody, parseQuery, readJson, uuidParam } from '../admin/validate.js';
import { localDate } from '../time/thai.js';
import { listTasks } from '../tasks/tasks.queries.js';
import { officeTimeZone } from '../time/zone.queries.js';
import {
  actionCtx as ctx,
  addMembers,
  addPlanItems,
  addResolutions,
  createMeeting,
  doneBody,
  dropMember,
  finishTask,
  meetingBody,
  meetingPatch,
  membersBody,
  planBody,
  resolutionsBody,
  updateMeeting,
} from './committee.actions.js';
import { committeeSummary, listMeetings, listMembers, listPlan, meetingAttendance } from './committee.queries.js';

const tasksQuery = z.strictObject({
  source: z.enum(['resolution', 'office_sar', 'agency']).optional(),
  open: z.enum(['0', '1']).optional(),
});

export function committeeRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/committee/members', async (c) => {
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const items = await listMembers(db, o.id);
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'committee.members.list',
      detail: { count: items.length },
    });
    return c.json({ items });
  });

  app.post('/offices/:office/committee/members', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(membersBody, await readJson(c.req), 'members');
    return c.json({ upserted: await addMembers(ctx(c, o.id), body) });
  });

  app.delete('/offices/:office/committee/members/:id', async (c) => {
    const o = await officeOf(c);
    await dropMember(ctx(c, o.id), uuidParam(c));
    return c.body(null, 204);
  });

  app.get('/offices/:office/committee/meetings', async (c) => {
    const o = await officeOf(c);
    return c.json({ items: await listMeetings(c.var.deps.db, o.id) });
  });

  app.post('/offices/:office/committee/meetings', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(meetingBody, await readJson(c.req));
    const out = await createMeeting(ctx(c, o.id), body);
    const [view] = await listMeetings(c.var.deps.db, o.id, out.id);
    return c.json({ ...view, queued: out.queued }, 201);
  });

  app.get('/offices/:office/committee/meetings/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    const [view] = await listMeetings(db, o.id, id);
    if (view === undefined) throw new AppError('not_found', 'No such meeting');
    const attendance = await meetingAttendance(db, o.id, id);
    const resolutions = await listTasks(db, o.id, { sourceId: id });
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'committee.meeting.read',
      targetType: 'committee_meeting',
      targetId: id,
    });
    return c.json({ ...view, members: attendance, resolutions });
  });

  app.patch('/offices/:office/committee/meetings/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(meetingPatch, await readJson(c.req));
    await updateMeeting(ctx(c, o.id), id, body);
    const [view] = await listMeetings(c.var.deps.db, o.id, id);
    return c.json(view);
  });

  // Resolutions: each with its owner and due date, a follow-up reminded like a visit's agreed actions.
  app.post('/offices/:office/committee/meetings/:id/resolutions', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(resolutionsBody, await readJson(c.req), 'resolutions');
    const [meeting] = await listMeetings(c.var.deps.db, o.id, id);
    if (meeting === undefined) throw new AppError('not_found', 'No such meeting');
    const ids = await addResolutions(ctx(c, o.id), id, body);
    return c.json({ ids }, 201);
  });

  app.get('/offices/:office/committee/plan', async (c) => {
    const o = await officeOf(c);
    const year = c.req.query('year');
    const y = year === undefined ? undefined : Number(year);
    if (y !== undefined && !(Number.isInteger(y) && y >= 2500 && y <= 2700)) {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'year', message: 'a Buddhist-Era year such as 2570' },
      ]);
    }
    return c.json({ items: await listPlan(c.var.deps.db, o.id, y) });
  });

  app.post('/offices/:office/committee/plan', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(planBody, await readJson(c.req), 'items');
    const n = await addPlanItems(ctx(c, o.id), body);
    return c.json({ added: n }, 201);
  });

  app.get('/offices/:office/committee/summary', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    return c.json(await committeeSummary(db, o.id, localDate(now(), await officeTimeZone(db, o.id))));
  });

  app.get('/offices/:office/tasks', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(tasksQuery, c.req.query());
    const db = c.var.deps.db;
    const items = await listTasks(db, o.id, {
      ...(q.source === undefined ? {} : { source: q.source }),
      openOnly: q.open === '1',
    });
    return c.json({ items });
  });

  app.post('/offices/:office/tasks/:id/done', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(doneBody, await readJson(c.req));
    await finishTask(ctx(c, o.id), id, body);
    const db = c.var.deps.db;
    const [task] = await listTasks(db, o.id, { id });
    return c.json(task);
  });
}
