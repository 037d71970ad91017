// The ก.ต.ป.น. committee's changes, shared by the admin API (committee.routes.ts) and the web pages
// (src/web/pages/committee.tsx): one schema each, the checks that need the database (people of the office, a
// due day not before the office's today), one transaction with its audit row. A refused change throws AppError
// with its field issues, which the API answers as 400 and a page shows beside the fields.
import type { Context } from 'hono';
import * as z from 'zod';
import { actorOf } from '../admin/auth.js';
import type { AppEnv } from '../deps.js';
import { audit } from '../audit/audit.queries.js';
import { isoDate, isoInstant } from '../admin/validate.js';
import type { Db } from '../db/client.js';
import { committeeRoles, monitoringAreas, roles } from '../db/schema.js';
import { AppError, type FieldIssue } from '../errors.js';
import { findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { completeTask, createTasks } from '../tasks/tasks.queries.js';
import { localDate, thaiShortDate } from '../time/thai.js';
import { officeTimeZone } from '../time/zone.queries.js';
import {
  insertMeeting,
  insertPlanItems,
  patchMeeting,
  peopleOfOffice,
  queueMeetingNotices,
  removeMember,
  upsertMembers,
  withdrawMeetingNotices,
} from './committee.queries.js';

export const ATTENDANCE_CHECKLIST = 'ktpn-attendance';

/** What an action needs of its request (API or page): the database, the clock, the office, the audited actor. */
export interface ActionCtx {
  db: Db;
  now: () => number;
  officeId: string;
  actor: string;
}
type Ctx = ActionCtx;

/** The action context of a request (API or page): its database, clock, office and the actor it audits. */
export const actionCtx = (c: Context<AppEnv>, officeId: string): Ctx => ({
  db: c.var.deps.db,
  now: c.var.deps.now,
  officeId,
  actor: actorOf(c),
});

const text = (max: number) => z.string().trim().min(1).max(max);
const doc = z.strictObject({ titleTh: text(200), url: z.url().max(2000) });

export const membersBody = z.strictObject({
  members: z
    .array(z.strictObject({ personId: z.uuid(), committeeRole: z.enum(committeeRoles).default('member') }))
    .min(1)
    .max(500),
});

export const meetingBody = z.strictObject({
  titleTh: text(200),
  startsAt: isoInstant,
  placeTh: text(200),
  agenda: z
    .array(z.strictObject({ titleTh: text(500) }))
    .max(50)
    .default([]),
  documents: z.array(doc).max(50).default([]),
});

export const meetingPatch = z.strictObject({
  minutesTh: z.string().trim().max(50_000).optional(),
  status: z.enum(['held', 'cancelled']).optional(),
});

export const resolutionsBody = z.strictObject({
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

export const planBody = z.strictObject({
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

export const doneBody = z.strictObject({ noteTh: z.string().trim().max(2000).optional() });

const invalid = (issues: FieldIssue[]) => new AppError('invalid_request', 'The request has invalid fields', issues);

export async function addMembers(x: Ctx, body: z.infer<typeof membersBody>): Promise<number> {
  const known = await peopleOfOffice(
    x.db,
    x.officeId,
    body.members.map((m) => m.personId),
  );
  const issues: FieldIssue[] = body.members.flatMap((m, row) =>
    known.has(m.personId) ? [] : [{ row, field: 'personId', message: 'no such person in this office' }],
  );
  if (issues.length > 0) throw new AppError('invalid_request', 'Unknown people', issues);
  return x.db.transaction(async (tx) => {
    const n = await upsertMembers(tx, x.officeId, body.members);
    await audit(tx, { actor: x.actor, officeId: x.officeId, action: 'committee.members.upsert', detail: { count: n } });
    return n;
  });
}

export async function dropMember(x: Ctx, personId: string): Promise<void> {
  const gone = await x.db.transaction(async (tx) => {
    const gone = await removeMember(tx, x.officeId, personId);
    if (gone) {
      await audit(tx, {
        actor: x.actor,
        officeId: x.officeId,
        action: 'committee.members.remove',
        targetType: 'person',
        targetId: personId,
      });
    }
    return gone;
  });
  if (!gone) throw new AppError('not_found', 'No such committee member');
}

/**
 * A meeting: its attendance campaign (committee members only, due when it starts), the invitation in each
 * member's next daily bundle with the attendance button, and reminders the day before and on the day.
 */
export async function createMeeting(
  x: Ctx,
  body: z.infer<typeof meetingBody>,
): Promise<{ id: string; queued: number }> {
  const at = x.now();
  if (Date.parse(body.startsAt) <= at) {
    throw invalid([{ field: 'startsAt', message: 'วันประชุมต้องเป็นเวลาในอนาคต / the meeting must be in the future' }]);
  }
  const checklist = await findChecklist(x.db, x.officeId, ATTENDANCE_CHECKLIST);
  if (checklist === undefined) throw new Error(`the built-in checklist ${ATTENDANCE_CHECKLIST} is not synced`);
  const tz = await officeTimeZone(x.db, x.officeId);
  const id = crypto.randomUUID();
  const queued = await x.db.transaction(async (tx) => {
    const campaign = await upsertCampaign(tx, {
      officeId: x.officeId,
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
    await insertMeeting(tx, x.officeId, m);
    const queued = await queueMeetingNotices(tx, x.officeId, m, at, tz);
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'committee.meeting.create',
      targetType: 'committee_meeting',
      targetId: id,
      detail: { queued },
    });
    return queued;
  });
  return { id, queued };
}

/** Minutes, and held or cancelled (cancelling withdraws the notices not yet sent and closes the attendance). */
export async function updateMeeting(x: Ctx, id: string, body: z.infer<typeof meetingPatch>): Promise<void> {
  const done = await x.db.transaction(async (tx) => {
    const done = await patchMeeting(tx, x.officeId, id, { ...body, now: new Date(x.now()).toISOString() });
    if (done === undefined) return undefined;
    if (body.status === 'cancelled') await withdrawMeetingNotices(tx, id);
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'committee.meeting.update',
      targetType: 'committee_meeting',
      targetId: id,
      detail: { fields: Object.keys(body), ...(body.status === undefined ? {} : { status: body.status }) },
    });
    return done;
  });
  if (done === undefined) throw new AppError('not_found', 'No such meeting');
}

/** Resolutions of a meeting (the caller has found it): each with its owner and due date, a reminded follow-up. */
export async function addResolutions(
  x: Ctx,
  meetingId: string,
  body: z.infer<typeof resolutionsBody>,
): Promise<string[]> {
  const known = await peopleOfOffice(
    x.db,
    x.officeId,
    body.resolutions.map((r) => r.ownerId),
  );
  const tz = await officeTimeZone(x.db, x.officeId);
  const today = localDate(x.now(), tz);
  const issues: FieldIssue[] = body.resolutions.flatMap((r, row) => [
    ...(known.has(r.ownerId) ? [] : [{ row, field: 'ownerId', message: 'no such person in this office' }]),
    ...(r.dueOn < today
      ? [{ row, field: 'dueOn', message: 'กำหนดเสร็จต้องไม่ก่อนวันนี้ / the due date is in the past' }]
      : []),
  ]);
  if (issues.length > 0) throw invalid(issues);
  return x.db.transaction(async (tx) => {
    const ids = await createTasks(
      tx,
      x.officeId,
      body.resolutions.map((r) => ({ source: 'resolution' as const, sourceId: meetingId, ...r })),
      x.now(),
      tz,
    );
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'committee.resolutions.create',
      targetType: 'committee_meeting',
      targetId: meetingId,
      detail: { count: ids.length },
    });
    return ids;
  });
}

export async function addPlanItems(x: Ctx, body: z.infer<typeof planBody>): Promise<number> {
  const issues: FieldIssue[] = body.items.flatMap((i, row) =>
    i.endsOn < i.startsOn ? [{ row, field: 'endsOn', message: 'ends before it starts' }] : [],
  );
  if (issues.length > 0) throw invalid(issues);
  return x.db.transaction(async (tx) => {
    const n = await insertPlanItems(tx, x.officeId, body.items);
    await audit(tx, { actor: x.actor, officeId: x.officeId, action: 'committee.plan.add', detail: { count: n } });
    return n;
  });
}

export async function finishTask(x: Ctx, id: string, body: z.infer<typeof doneBody>): Promise<void> {
  const ok = await x.db.transaction(async (tx) => {
    const ok = await completeTask(tx, x.officeId, id, { noteTh: body.noteTh ?? null, now: x.now() });
    if (ok)
      await audit(tx, { actor: x.actor, officeId: x.officeId, action: 'task.done', targetType: 'task', targetId: id });
    return ok;
  });
  if (!ok) throw new AppError('not_found', 'No such task');
}
