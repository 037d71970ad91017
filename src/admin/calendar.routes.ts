// The office calendar as data: terms per academic year (B.E.), holidays (no reminders on them), and dated events
// (meetings, deadlines, report dates) for the listed roles. Bulk rows with an id update that event; without one
// they add an event.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { calendarKinds, roles } from '../db/schema.js';
import { audit } from '../audit/audit.queries.js';
import { calendarIdsInOffice, deleteCalendarEvent, listCalendarPage, upsertCalendar } from './calendar.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { duplicates, isoDate, parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const calendarBody = z.object({
  events: z
    .array(
      z
        .object({
          id: z.uuid().optional(),
          kind: z.enum(calendarKinds),
          titleTh: z.string().trim().min(1).max(200),
          startsOn: isoDate,
          endsOn: isoDate.optional(),
          // Buddhist Era, as offices write it (ปีการศึกษา 2569).
          academicYear: z.number().int().min(2500).max(2700).optional(),
          term: z.number().int().min(1).max(3).optional(),
          roles: z.array(z.enum(roles)).max(roles.length).default([]),
        })
        .refine((e) => e.endsOn === undefined || e.endsOn >= e.startsOn, {
          message: 'ends before it starts',
          path: ['endsOn'],
        })
        .refine((e) => e.kind !== 'term' || (e.academicYear !== undefined && e.term !== undefined), {
          message: 'a term needs academicYear (B.E.) and term',
          path: ['academicYear'],
        }),
    )
    .min(1)
    .max(2000),
});

const calendarQuery = z.strictObject({
  ...pageParams.shape,
  kind: z.enum(calendarKinds).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export function calendarRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/calendar', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(calendarQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['date', 'uuid']);
    const rows = await listCalendarPage(c.var.deps.db, o.id, { kind: q.kind, from: q.from, to: q.to }, after, q.limit);
    return c.json(pageOf(rows, q.limit, (e) => [e.startsOn, e.id]));
  });

  app.post('/offices/:office/calendar', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(calendarBody, await readJson(c.req), 'events');
    duplicates(
      body.events.map((e) => e.id),
      'events',
      'id',
    );
    const db = c.var.deps.db;
    const ids = body.events.flatMap((e) => (e.id === undefined ? [] : [e.id]));
    const known = await calendarIdsInOffice(db, o.id, ids);
    const issues: FieldIssue[] = body.events.flatMap((e, row) =>
      e.id === undefined || known.has(e.id) ? [] : [{ row, field: 'id', message: 'no such event in this office' }],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
    const counts = await db.transaction(async (tx) => {
      const counts = await upsertCalendar(
        tx,
        o.id,
        body.events.map((e) => ({
          id: e.id ?? null,
          kind: e.kind,
          titleTh: e.titleTh,
          startsOn: e.startsOn,
          endsOn: e.endsOn ?? e.startsOn,
          academicYear: e.academicYear ?? null,
          term: e.term ?? null,
          roles: e.roles,
        })),
      );
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'calendar.upsert', detail: counts });
      return counts;
    });
    return c.json(counts);
  });

  app.delete('/offices/:office/calendar/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    await db.transaction(async (tx) => {
      if (!(await deleteCalendarEvent(tx, o.id, id))) throw new AppError('not_found', 'No such event in this office');
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'calendar.delete',
        targetType: 'calendar_event',
        targetId: id,
      });
    });
    return c.body(null, 204);
  });
}
