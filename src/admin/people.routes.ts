// People of one office and their invites. Every read of people is audited (PDPA): the list, one person, invites.
// A person's LINE user id is never shown, only whether one is linked; an invite's code only once, when issued.
import type { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { personStatuses, roles } from '../db/schema.js';
import { learningAreas, positions } from '../org/attributes.js';
import { issueInvites } from '../onboarding/invites.js';
import { peopleInOffice, schoolIdsByCode, upsertPeople } from './admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { listInvitesPage, listPeoplePage, patchPerson, personView } from './people.queries.js';
import { duplicates, parseBody, parseQuery, readJson, uuidParam } from './validate.js';

/** Roles whose person belongs to a school. */
const needsSchool = (role: string) => role === 'teacher' || role === 'principal';

const peopleBody = z.object({
  people: z
    .array(
      z.object({
        displayName: z.string().trim().min(1).max(200),
        role: z.enum(roles),
        schoolCode: z.string().trim().optional(),
        externalId: z.string().trim().min(1).max(100).optional(),
        learningAreas: z.array(z.enum(learningAreas)).max(learningAreas.length).optional(),
        position: z.enum(positions).nullable().optional(),
      }),
    )
    .min(1)
    .max(5000),
  issueInvites: z.boolean().default(true),
  inviteDays: z.number().int().min(1).max(365).default(30),
});

const peopleQuery = z.strictObject({
  ...pageParams.shape,
  role: z.enum(roles).optional(),
  school: z.string().trim().min(1).max(20).optional(),
  status: z.enum(personStatuses).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  learningArea: z.enum(learningAreas).optional(),
  position: z.enum(positions).optional(),
});

const personPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles).optional(),
  schoolCode: z.string().trim().min(1).max(20).nullable().optional(),
  // 'invited' follows from having no LINE link and 'erased' from an erasure request: neither is set by hand.
  status: z.enum(['active', 'blocked']).optional(),
  learningAreas: z.array(z.enum(learningAreas)).max(learningAreas.length).optional(),
  position: z.enum(positions).nullable().optional(),
});

const invitesBody = z.object({
  personIds: z.array(z.uuid()).min(1).max(5000),
  inviteDays: z.number().int().min(1).max(365).default(30),
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
    duplicates(
      body.people.map((p) => p.externalId),
      'people',
      'externalId',
    );
    const { db, now } = c.var.deps;
    const codes = [...new Set(body.people.flatMap((p) => (p.schoolCode === undefined ? [] : [p.schoolCode])))];
    const schoolIds = await schoolIdsByCode(db, o.id, codes);
    const issues: FieldIssue[] = [];
    body.people.forEach((p, row) => {
      if (p.schoolCode !== undefined && !schoolIds.has(p.schoolCode)) {
        issues.push({ row, field: 'schoolCode', message: `no school with code ${p.schoolCode} in this office` });
      }
      if (needsSchool(p.role) && p.schoolCode === undefined) {
        issues.push({ row, field: 'schoolCode', message: `a ${p.role} needs a school` });
      }
    });
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);

    // People, their invites and the audit row in one transaction, as the import does: a failure leaves nothing.
    const { ids, invites } = await db.transaction(async (tx) => {
      const upserted = await upsertPeople(
        tx,
        o.id,
        body.people.map((p) => ({
          id: crypto.randomUUID(),
          displayName: p.displayName,
          role: p.role,
          schoolId: p.schoolCode === undefined ? null : (schoolIds.get(p.schoolCode) ?? null),
          externalId: p.externalId ?? null,
          attrs: {
            ...(p.learningAreas === undefined ? {} : { learningAreas: [...new Set(p.learningAreas)] }),
            ...(p.position === undefined ? {} : { position: p.position }),
          },
        })),
      );
      const issued = body.issueInvites ? await issueInvites(tx, o.id, upserted, now(), body.inviteDays) : [];
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'people.upsert',
        detail: { count: upserted.length, invites: issued.length },
      });
      return { ids: upserted, invites: issued };
    });
    const codeOf = new Map(invites.map((i) => [i.personId, i]));
    return c.json({
      people: ids.map((id, row) => ({
        row,
        id,
        inviteCode: codeOf.get(id)?.code ?? null,
        inviteExpiresAt: codeOf.get(id)?.expiresAt ?? null,
      })),
    });
  });

  // A role change needs nothing more here: the tick relinks the rich menu of anyone whose rich_menu_role differs.
  app.patch('/offices/:office/people/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(personPatch, await readJson(c.req));
    const db = c.var.deps.db;
    const current = await personView(db, o.id, id);
    if (current === undefined || current.status === 'erased')
      throw new AppError('not_found', 'No such person in this office');
    let schoolId: string | null | undefined;
    if (body.schoolCode === null) schoolId = null;
    else if (body.schoolCode !== undefined) {
      schoolId = (await schoolIdsByCode(db, o.id, [body.schoolCode])).get(body.schoolCode);
      if (schoolId === undefined) {
        throw new AppError('invalid_request', 'Unknown school', [
          { field: 'schoolCode', message: `no school with code ${body.schoolCode} in this office` },
        ]);
      }
    }
    const role = body.role ?? current.role;
    const hasSchool = schoolId === undefined ? current.schoolCode !== null : schoolId !== null;
    if (needsSchool(role) && !hasSchool) {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'schoolCode', message: `a ${role} needs a school` },
      ]);
    }
    if (body.status === 'active' && current.status === 'invited') {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'status', message: 'a person becomes active by linking LINE with an invite' },
      ]);
    }
    await db.transaction(async (tx) => {
      await patchPerson(tx, o.id, id, {
        ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(schoolId === undefined ? {} : { schoolId }),
        ...(body.status === undefined ? {} : { status: body.status }),
        ...(body.learningAreas === undefined ? {} : { learningAreas: [...new Set(body.learningAreas)] }),
        ...(body.position === undefined ? {} : { position: body.position }),
      });
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'person.update',
        targetType: 'person',
        targetId: id,
        detail: {
          fields: Object.keys(body),
          ...(body.role === undefined ? {} : { role: body.role }),
          ...(body.status === undefined ? {} : { status: body.status }),
        },
      });
    });
    return c.json(await personView(db, o.id, id));
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
    const { db, now } = c.var.deps;
    const known = await peopleInOffice(db, o.id, body.personIds);
    const issues = body.personIds.flatMap((id, row) =>
      known.has(id) ? [] : [{ row, field: 'personIds', message: 'no such person in this office' }],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'Unknown people', issues);
    const invites = await db.transaction(async (tx) => {
      const invites = await issueInvites(tx, o.id, body.personIds, now(), body.inviteDays);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'invites.issue',
        detail: { count: invites.length },
      });
      return invites;
    });
    return c.json({ invites });
  });
}
