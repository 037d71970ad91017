// Adding people, editing one, and issuing invites: one implementation for the admin API (JSON bodies,
// src/admin/people.routes.ts) and the people page (forms, src/web/pages/people.tsx), so both validate, write,
// audit and answer alike. Each change and its audit row are one transaction; a refused change writes nothing and
// names the field (and, in a bulk body, the row) of every problem.
import * as z from 'zod';
import type { Db } from '../db/client.js';
import { roles } from '../db/schema.js';
import { AppError, type FieldIssue } from '../errors.js';
import { learningAreas, positions } from '../org/attributes.js';
import { schoolCutSchema } from '../org/cut.js';
import { isEmptyCut } from '../checklists/audience.queries.js';
import { issueInvites, type IssuedInvite } from '../onboarding/invites.js';
import { audit } from '../audit/audit.queries.js';
import { peopleInOffice, schoolIdsByCode, upsertPeople } from './admin.queries.js';
import { patchPerson, personView, type PersonView } from './people.queries.js';
import { duplicates } from './validate.js';

/** Roles whose person belongs to a school. */
export const needsSchool = (role: string) => role === 'teacher' || role === 'principal';

export const newPerson = z.object({
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(roles),
  schoolCode: z.string().trim().optional(),
  externalId: z.string().trim().min(1).max(100).optional(),
  learningAreas: z.array(z.enum(learningAreas)).max(learningAreas.length).optional(),
  position: z.enum(positions).nullable().optional(),
});

export const peopleBody = z.object({
  people: z.array(newPerson).min(1).max(5000),
  issueInvites: z.boolean().default(true),
  inviteDays: z.number().int().min(1).max(365).default(30),
});
export type PeopleBody = z.infer<typeof peopleBody>;

export const personPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles).optional(),
  schoolCode: z.string().trim().min(1).max(20).nullable().optional(),
  // 'invited' follows from having no LINE link and 'erased' from an erasure request: neither is set by hand.
  status: z.enum(['active', 'blocked']).optional(),
  learningAreas: z.array(z.enum(learningAreas)).max(learningAreas.length).optional(),
  position: z.enum(positions).nullable().optional(),
  /** A director's weekly digest counts only these schools (the reports' filter); null or empty: the whole office. */
  digestCut: schoolCutSchema.nullable().optional(),
});
export type PersonPatchBody = z.infer<typeof personPatch>;

export const invitesBody = z.object({
  personIds: z.array(z.uuid()).min(1).max(5000),
  inviteDays: z.number().int().min(1).max(365).default(30),
});
export type InvitesBody = z.infer<typeof invitesBody>;

export interface ActionContext {
  now: number;
  actor: string;
}

/**
 * Adds people (a row whose externalId the office already has updates that person), with invites when asked.
 * Returns, in input order, each row's person id and its invite (the plain code exists only in this answer).
 */
export async function addPeople(
  db: Db,
  officeId: string,
  body: PeopleBody,
  ctx: ActionContext,
): Promise<{ row: number; id: string; invite: IssuedInvite | null }[]> {
  duplicates(
    body.people.map((p) => p.externalId),
    'people',
    'externalId',
  );
  const codes = [...new Set(body.people.flatMap((p) => (p.schoolCode === undefined ? [] : [p.schoolCode])))];
  const schoolIds = await schoolIdsByCode(db, officeId, codes);
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
      officeId,
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
    const issued = body.issueInvites ? await issueInvites(tx, officeId, upserted, ctx.now, body.inviteDays) : [];
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: 'people.upsert',
      detail: { count: upserted.length, invites: issued.length },
    });
    return { ids: upserted, invites: issued };
  });
  const codeOf = new Map(invites.map((i) => [i.personId, i]));
  return ids.map((id, row) => ({ row, id, invite: codeOf.get(id) ?? null }));
}

/**
 * Changes the fields given of one person (not an erased one). A role change needs nothing more here: the tick
 * relinks the rich menu of anyone whose rich_menu_role differs. Returns the person as now stored.
 */
export async function updatePerson(
  db: Db,
  officeId: string,
  id: string,
  body: PersonPatchBody,
  ctx: ActionContext,
): Promise<PersonView> {
  const current = await personView(db, officeId, id);
  if (current === undefined || current.status === 'erased') {
    throw new AppError('not_found', 'No such person in this office');
  }
  let schoolId: string | null | undefined;
  if (body.schoolCode === null) schoolId = null;
  else if (body.schoolCode !== undefined) {
    schoolId = (await schoolIdsByCode(db, officeId, [body.schoolCode])).get(body.schoolCode);
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
    await patchPerson(tx, officeId, id, {
      ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(schoolId === undefined ? {} : { schoolId }),
      ...(body.status === undefined ? {} : { status: body.status }),
      ...(body.learningAreas === undefined ? {} : { learningAreas: [...new Set(body.learningAreas)] }),
      ...(body.position === undefined ? {} : { position: body.position }),
      ...(body.digestCut === undefined
        ? {}
        : { digestCut: body.digestCut === null || isEmptyCut(body.digestCut) ? null : body.digestCut }),
    });
    await audit(tx, {
      actor: ctx.actor,
      officeId,
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
  const after = await personView(db, officeId, id);
  if (after === undefined) throw new AppError('not_found', 'No such person in this office');
  return after;
}

/** New invite codes for people of the office (their old unused codes stop working); unknown ids are refused. */
export async function issueInvitesTo(
  db: Db,
  officeId: string,
  body: InvitesBody,
  ctx: ActionContext,
): Promise<IssuedInvite[]> {
  const known = await peopleInOffice(db, officeId, body.personIds);
  const issues = body.personIds.flatMap((id, row) =>
    known.has(id) ? [] : [{ row, field: 'personIds', message: 'no such person in this office' }],
  );
  if (issues.length > 0) throw new AppError('invalid_request', 'Unknown people', issues);
  return db.transaction(async (tx) => {
    const invites = await issueInvites(tx, officeId, body.personIds, ctx.now, body.inviteDays);
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: 'invites.issue',
      detail: { count: invites.length },
    });
    return invites;
  });
}
