// People of one office and their invites. Every read of people is audited (PDPA): the list, one person, invites.
// A person's LINE user id is never shown, only whether one is linked; an invite's code only once, when issued.
// The writes are the shared actions (people.actions.ts) that the people page uses too.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { personStatuses, roles } from '../db/schema.js';
import { learningAreas, positions } from '../org/attributes.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { addPeople, invitesBody, issueInvitesTo, peopleBody, personPatch, updatePerson } from './people.actions.js';
import { listInvitesPage, listPeoplePage, personView } from './people.queries.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const peopleQuery = z.strictObject({
  ...pageParams.shape,
  role: z.enum(roles).optional(),
  school: z.string().trim().min(1).max(20).optional(),
  status: z.enum(personStatuses).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  learningArea: z.enum(learningAreas).optional(),
  position: z.enum(positions).optional(),
});

const invitesQuery = z.strictObject({
  ...pageParams.shape,
  person: z.uuid().optional(),
  state: z.enum(['pending', 'used', 'expired', 'revoked']).optional(),
});

export function peopleRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/people', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(peopleQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['text', 'uuid']);
    const db = c.var.deps.db;
    const rows = await listPeoplePage(
      db,
      o.id,
      {
        role: q.role,
        schoolCode: q.school,
        status: q.status,
        q: q.q,
        learningArea: q.learningArea,
        position: q.position,
      },
      after,
      q.limit,
    );
    const page = pageOf(rows, q.limit, (p) => [p.displayName, p.id]);
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'people.list',
      detail: { count: page.items.length, role: q.role, school: q.school, status: q.status, search: q.q !== undefined },
    });
    return c.json(page);
  });

  app.get('/offices/:office/people/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const db = c.var.deps.db;
    const person = await personView(db, o.id, id);
    if (person === undefined) throw new AppError('not_found', 'No such person in this office');
    await audit(db, { actor: actorOf(c), officeId: o.id, action: 'person.read', targetType: 'person', targetId: id });
    return c.json(person);
  });

  app.post('/offices/:office/people', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(peopleBody, await readJson(c.req), 'people');
    const rows = await addPeople(c.var.deps.db, o.id, body, { now: c.var.deps.now(), actor: actorOf(c) });
    return c.json({
      people: rows.map(({ row, id, invite }) => ({
        row,
        id,
        inviteCode: invite?.code ?? null,
        inviteExpiresAt: invite?.expiresAt ?? null,
      })),
    });
  });

  app.patch('/offices/:office/people/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(personPatch, await readJson(c.req));
    return c.json(await updatePerson(c.var.deps.db, o.id, id, body, { now: c.var.deps.now(), actor: actorOf(c) }));
  });

  app.get('/offices/:office/invites', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(invitesQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const { db, now } = c.var.deps;
    const rows = await listInvitesPage(
      db,
      o.id,
      { personId: q.person, state: q.state },
      new Date(now()).toISOString(),
      after,
      q.limit,
    );
    const page = pageOf(rows, q.limit, (i) => [i.createdAt, i.id]);
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'invites.list',
      detail: { count: page.items.length },
    });
    return c.json(page);
  });

  app.post('/offices/:office/invites', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(invitesBody, await readJson(c.req), 'personIds');
    const invites = await issueInvitesTo(c.var.deps.db, o.id, body, { now: c.var.deps.now(), actor: actorOf(c) });
    return c.json({ invites });
  });
}
