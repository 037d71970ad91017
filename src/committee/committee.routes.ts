// The admin API of the office's own work (issue 16): the ก.ต.ป.น. committee (members, meetings with invitations,
// reminders and attendance in chat, minutes, resolutions as follow-ups, the monitoring plan, the summary reported
// to the committee) and the follow-ups every part shares (/tasks). Every change is audited with its rows.
import type { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from '../admin/auth.js';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from '../admin/office.js';
import { isoDate, isoInstant, parseBody, parseQuery, readJson, uuidParam } from '../admin/validate.js';
import { committeeRoles, monitoringAreas, roles } from '../db/schema.js';
import { findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { localDate, thaiShortDate } from '../time/thai.js';
import { officeTimeZone } from '../visits/visits.queries.js';
import { completeTask, createTasks, listTasks } from '../tasks/tasks.queries.js';
import {
  committeeSummary,
  insertMeeting,
  insertPlanItems,
  listMeetings,
  listMembers,
  listPlan,
  meetingAttendance,
  patchMeeting,
  peopleOfOffice,
  queueMeetingNotices,
  removeMember,
  upsertMembers,
  withdrawMeetingNotices,
} from './committee.queries.js';

export const ATTENDANCE_CHECKLIST = 'ktpn-attendance';

const text = (max: number) => z.string().trim().min(1).max(max);
const doc = z.strictObject({ titleTh: text(200), url: z.url().max(2000) });

const membersBody = z.strictObject({
  members: z
    .array(z.strictObject({ personId: z.uuid(), committeeRole: z.enum(committeeRoles).default('member') }))
    .min(1)
    .max(500),
});

const meetingBody = z.strictObject({
  titleTh: text(200),
  startsAt: isoInstant,
  placeTh: text(200),
  agenda: z
    .array(z.strictObject({ titleTh: text(500) }))
    .max(50)
    .default([]),
  documents: z.array(doc).max(50).default([]),
});

const meetingPatch = z.strictObject({
  minutesTh: z.string().trim().max(50_000).optional(),
  status: z.enum(['held', 'cancelled']).optional(),
});

const resolutionsBody = z.strictObject({
  resolutions: z
    .array(
      z.strictObject({
        titleTh: text(500),
        ownerId: z.uuid(),
        dueOn: isoDate,
        documents: z.array(doc).max(20).default([]),
      }),
    )
    .min(1)
    .max(100),
});

const planBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        academicYear: z.number().int().min(2500).max(2700),
        area: z.enum(monitoringAreas),
        titleTh: text(500),
        tools: z
          .array(
            z
              .string()
              .trim()
              .regex(/^[a-z][a-z0-9-]{1,63}$/, 'a checklist key'),
          )
          .max(20)
          .default([]),
        startsOn: isoDate,
        endsOn: isoDate,
      }),
    )
    .min(1)
    .max(500),
});

const tasksQuery = z.strictObject({
  source: z.enum(['resolution', 'office_sar', 'agency']).optional(),
  open: z.enum(['0', '1']).optional(),
});

const doneBody = z.strictObject({ noteTh: z.string().trim().max(2000).optional() });

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
    const db = c.var.deps.db;
    const known = await peopleOfOffice(
      db,
      o.id,
      body.members.map((m) => m.personId),
    );
    const issues: FieldIssue[] = body.members.flatMap((m, row) =>
      known.has(m.personId) ? [] : [{ row, field: 'personId', message: 'no such person in this office' }],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'Unknown people', issues);
    const n = await db.transaction(async (tx) => {
      const n = await upsertMembers(tx, o.id, body.members);
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'committee.members.upsert', detail: { count: n } });
      return n;
    });
    return c.json({ upserted: n });
  });

  app.delete('/offices/:office/committee/members/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    const gone = await db.transaction(async (tx) => {
      const gone = await removeMember(tx, o.id, id);
      if (gone) {
        await audit(tx, {
          actor: actorOf(c),
          officeId: o.id,
          action: 'committee.members.remove',
          targetType: 'person',
          targetId: id,
        });
      }
      return gone;
    });
    if (!gone) throw new AppError('not_found', 'No such committee member');
    return c.body(null, 204);
  });

  app.get('/offices/:office/committee/meetings', async (c) => {
    const o = await officeOf(c);
    return c.json({ items: await listMeetings(c.var.deps.db, o.id) });
  });

  // A meeting: its attendance campaign (committee members only, due when it starts), the invitation in each
  // member's next daily bundle with the attendance button, and reminders the day before and on the day.
  app.post('/offices/:office/committee/meetings', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(meetingBody, await readJson(c.req));
    const { db, now } = c.var.deps;
    const at = now();
    if (Date.parse(body.startsAt) <= at) {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'startsAt', message: 'วันประชุมต้องเป็นเวลาในอนาคต / the meeting must be in the future' },
      ]);
    }
    const checklist = await findChecklist(db, o.id, ATTENDANCE_CHECKLIST);
    if (checklist === undefined) throw new Error(`the built-in checklist ${ATTENDANCE_CHECKLIST} is not synced`);
    const tz = await officeTimeZone(db, o.id);
    const id = crypto.randomUUID();
    const out = await db.transaction(async (tx) => {
      const campaign = await upsertCampaign(tx, {
        officeId: o.id,
        checklistId: checklist.id,
        titleTh: `ตอบรับการประชุม: ${body.titleTh} (${thaiShortDate(Date.parse(body.startsAt), tz)})`,
        roles: [...roles],
        schoolIds: [],
        clusterIds: [],
        opensAt: new Date(at).toISOString(),
        dueAt: body.startsAt,
        committeeOnly: true,
      });
      const m = { ...body, id, campaignId: campaign.id };
      await insertMeeting(tx, o.id, m);
      const queued = await queueMeetingNotices(tx, o.id, m, at, tz);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'committee.meeting.create',
        targetType: 'committee_meeting',
        targetId: id,
        detail: { queued },
      });
      return { queued };
    });
    const [view] = await listMeetings(db, o.id, id);
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

  // Minutes, and held or cancelled (cancelling withdraws the notices not yet sent and closes the attendance).
  app.patch('/offices/:office/committee/meetings/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(meetingPatch, await readJson(c.req));
    const { db, now } = c.var.deps;
    const done = await db.transaction(async (tx) => {
      const done = await patchMeeting(tx, o.id, id, { ...body, now: new Date(now()).toISOString() });
      if (done === undefined) return undefined;
      if (body.status === 'cancelled') await withdrawMeetingNotices(tx, id);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'committee.meeting.update',
        targetType: 'committee_meeting',
        targetId: id,
        detail: { fields: Object.keys(body), ...(body.status === undefined ? {} : { status: body.status }) },
      });
      return done;
    });
    if (done === undefined) throw new AppError('not_found', 'No such meeting');
    const [view] = await listMeetings(db, o.id, id);
    return c.json(view);
  });

  // Resolutions: each with its owner and due date, a follow-up reminded like a visit's agreed actions.
  app.post('/offices/:office/committee/meetings/:id/resolutions', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(resolutionsBody, await readJson(c.req), 'resolutions');
    const { db, now } = c.var.deps;
    const [meeting] = await listMeetings(db, o.id, id);
    if (meeting === undefined) throw new AppError('not_found', 'No such meeting');
    const known = await peopleOfOffice(
      db,
      o.id,
      body.resolutions.map((r) => r.ownerId),
    );
    const tz = await officeTimeZone(db, o.id);
    const today = localDate(now(), tz);
    const issues: FieldIssue[] = body.resolutions.flatMap((r, row) => [
      ...(known.has(r.ownerId) ? [] : [{ row, field: 'ownerId', message: 'no such person in this office' }]),
      ...(r.dueOn < today
        ? [{ row, field: 'dueOn', message: 'กำหนดเสร็จต้องไม่ก่อนวันนี้ / the due date is in the past' }]
        : []),
    ]);
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
    const ids = await db.transaction(async (tx) => {
      const ids = await createTasks(
        tx,
        o.id,
        body.resolutions.map((r) => ({ source: 'resolution' as const, sourceId: id, ...r })),
        now(),
        tz,
      );
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'committee.resolutions.create',
        targetType: 'committee_meeting',
        targetId: id,
        detail: { count: ids.length },
      });
      return ids;
    });
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
    const issues: FieldIssue[] = body.items.flatMap((i, row) =>
      i.endsOn < i.startsOn ? [{ row, field: 'endsOn', message: 'ends before it starts' }] : [],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
    const db = c.var.deps.db;
    const n = await db.transaction(async (tx) => {
      const n = await insertPlanItems(tx, o.id, body.items);
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'committee.plan.add', detail: { count: n } });
      return n;
    });
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
    const { db, now } = c.var.deps;
    const ok = await db.transaction(async (tx) => {
      const ok = await completeTask(tx, o.id, id, { noteTh: body.noteTh ?? null, now: now() });
      if (ok) {
        await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'task.done', targetType: 'task', targetId: id });
      }
      return ok;
    });
    if (!ok) throw new AppError('not_found', 'No such task');
    const [task] = await listTasks(db, o.id, { id });
    return c.json(task);
  });
}
