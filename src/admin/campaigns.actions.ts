// Creating, editing and closing a campaign, and counting who would be in an audience: one implementation for the
// admin API (JSON bodies, src/admin/campaigns.routes.ts) and the web page (forms, src/web/pages/campaigns.tsx), so
// both validate, write, audit and answer alike. Each change and its audit row are one transaction.
import * as z from 'zod';
import type { Db } from '../db/client.js';
import { roles } from '../db/schema.js';
import { AppError, type FieldIssue } from '../errors.js';
import { findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { audit } from '../audit/audit.queries.js';
import {
  audienceSize,
  codesToIds,
  listCampaignsPage,
  officeLocalInstant,
  patchCampaign,
  supervisionAudience,
  type CampaignView,
} from './campaigns.queries.js';
import { isoDate, isoInstant } from './validate.js';
import {
  learningAreas,
  noFilters,
  parseLearningArea,
  positions,
  schoolLevels,
  schoolSizes,
  type AudienceFilters,
} from '../org/attributes.js';

/** A date (office-local; opens at 00:00, due at 23:59:59 as in the CLI) or an exact instant with an offset. */
const when = z.union([isoDate, isoInstant], { error: 'a date YYYY-MM-DD or an ISO time with an offset' });

export const campaignBody = z.strictObject({
  titleTh: z.string().trim().min(1).max(200),
  checklistKey: z.string().trim().min(1).max(64),
  /** Without one, the latest version visible to the office (its own first), as the CLI does. */
  checklistVersion: z.number().int().min(1).optional(),
  roles: z.array(z.enum(roles)).min(1).max(roles.length),
  schoolCodes: z.array(z.string().trim().min(1).max(20)).max(5000).default([]),
  clusterCodes: z.array(z.string().trim().min(1).max(50)).max(1000).default([]),
  opensAt: when.optional(),
  dueAt: when,
  /** Announce it when it opens: one push in each person's daily bundle, with a start button. */
  announce: z.boolean().optional(),
  /** Filters on school and people attributes; each list left out or empty means any. */
  filters: z
    .strictObject({
      levels: z.array(z.enum(schoolLevels)).max(schoolLevels.length),
      sizes: z.array(z.enum(schoolSizes)).max(schoolSizes.length),
      tags: z.array(z.string().trim().min(1).max(100)).max(50),
      subdistricts: z.array(z.string().trim().min(1).max(100)).max(500),
      districts: z.array(z.string().trim().min(1).max(100)).max(500),
      provinces: z.array(z.string().trim().min(1).max(100)).max(100),
      learningAreas: z.array(z.enum(learningAreas)).max(learningAreas.length),
      positions: z.array(z.enum(positions)).max(positions.length),
    })
    .partial()
    .optional(),
  /**
   * A supervisor's learning-area supervision as the audience: the schools of their assignments and the learning
   * areas those name, taken when the campaign is written (with schoolCodes and filters.learningAreas unset).
   */
  supervisorId: z.uuid().optional(),
});
export type CampaignBody = z.infer<typeof campaignBody>;

export const campaignPatch = z.strictObject({
  dueAt: when.optional(),
  close: z.literal(true).optional(),
  announce: z.boolean().optional(),
});
export type CampaignPatch = z.infer<typeof campaignPatch>;

export interface ActionContext {
  now: number;
  actor: string;
}

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The body's filters over "no filter", each list without repeats. */
function filtersOf(given: CampaignBody['filters']): AudienceFilters {
  const filters = noFilters();
  for (const [k, v] of Object.entries(given ?? {})) {
    if (v !== undefined) Object.assign(filters, { [k]: [...new Set(v)] });
  }
  return filters;
}

export const msg = {
  noChecklist: (key: string, version?: number) =>
    `ไม่พบแบบ ${key}${version === undefined ? '' : ` ฉบับที่ ${version}`} / no checklist ${key}${version === undefined ? '' : ` version ${version}`}`,
  noSchool: (code: string) => `ไม่พบโรงเรียนรหัส ${code} ในสำนักงานนี้ / no school with code ${code} in this office`,
  noCluster: (code: string) => `ไม่พบกลุ่มโรงเรียนรหัส ${code} ในสำนักงานนี้ / no cluster with code ${code} in this office`,
  dueBeforeOpen: 'วันครบกำหนดต้องหลังวันเปิด / due before it opens',
};

/** Creates the campaign, or updates the office's campaign with the same title; 400 naming each bad field. */
export async function createCampaign(
  db: Db,
  officeId: string,
  body: CampaignBody,
  ctx: ActionContext,
): Promise<{ view: CampaignView; created: boolean }> {
  const checklist = await findChecklist(db, officeId, body.checklistKey, body.checklistVersion);
  const ids = await codesToIds(db, officeId, body.schoolCodes, body.clusterCodes);
  const issues: FieldIssue[] = [];
  if (checklist === undefined) {
    issues.push({
      field: body.checklistVersion === undefined ? 'checklistKey' : 'checklistVersion',
      message: msg.noChecklist(body.checklistKey, body.checklistVersion),
    });
  }
  body.schoolCodes.forEach((code, i) => {
    if (!ids.schools.has(code)) issues.push({ field: `schoolCodes.${i}`, message: msg.noSchool(code) });
  });
  body.clusterCodes.forEach((code, i) => {
    if (!ids.clusters.has(code)) issues.push({ field: `clusterCodes.${i}`, message: msg.noCluster(code) });
  });
  const filters = filtersOf(body.filters);
  let supervised: string[] = [];
  if (body.supervisorId !== undefined) {
    const sup = await supervisionAudience(db, officeId, body.supervisorId);
    if (sup === undefined) issues.push({ field: 'supervisorId', message: 'no supervisor with this id in this office' });
    else if (sup.schoolIds.length === 0)
      issues.push({ field: 'supervisorId', message: 'the supervisor has no schools assigned' });
    else {
      if (body.schoolCodes.length > 0 || (body.filters?.learningAreas?.length ?? 0) > 0)
        issues.push({ field: 'supervisorId', message: 'give either supervisorId or schoolCodes/learningAreas' });
      supervised = sup.schoolIds;
      // Areas named in the assignments; an assignment for every area (null) leaves the filter open.
      if (!sup.areas.includes(null)) {
        const parsed = sup.areas.map((a) => (a === null ? undefined : parseLearningArea(a)));
        if (parsed.some((a) => a === undefined))
          issues.push({ field: 'supervisorId', message: 'an assignment names a learning area not known' });
        filters.learningAreas = [...new Set(parsed.flatMap((a) => (a === undefined ? [] : [a])))];
      }
    }
  }
  const instant = async (v: string, time: string) => (isDate(v) ? officeLocalInstant(db, officeId, v, time) : v);
  const opensAt =
    body.opensAt === undefined ? new Date(ctx.now).toISOString() : await instant(body.opensAt, '00:00:00');
  const dueAt = await instant(body.dueAt, '23:59:59');
  if (Date.parse(dueAt) <= Date.parse(opensAt)) issues.push({ field: 'dueAt', message: msg.dueBeforeOpen });
  if (issues.length > 0 || checklist === undefined) {
    throw new AppError('invalid_request', 'The request has invalid fields', issues);
  }
  const out = await db.transaction(async (tx) => {
    const out = await upsertCampaign(tx, {
      officeId,
      checklistId: checklist.id,
      titleTh: body.titleTh,
      roles: body.roles,
      schoolIds: supervised.length > 0 ? supervised : body.schoolCodes.flatMap((code) => ids.schools.get(code) ?? []),
      filters,
      clusterIds: body.clusterCodes.flatMap((code) => ids.clusters.get(code) ?? []),
      opensAt,
      dueAt,
      ...(body.announce === undefined ? {} : { announce: body.announce }),
    });
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: out.created ? 'campaign.create' : 'campaign.update',
      targetType: 'campaign',
      targetId: out.id,
      detail: {
        checklist: checklist.key,
        version: checklist.version,
        ...(body.supervisorId === undefined ? {} : { supervisor: body.supervisorId }),
      },
    });
    return out;
  });
  const [view] = await listCampaignsPage(db, officeId, { id: out.id }, null, 1);
  if (view === undefined) throw new Error('createCampaign: the campaign vanished');
  return { view, created: out.created };
}

/** Moves the due date, turns the announcement on or off, or closes (404 for another office's or the system's). */
export async function updateCampaign(
  db: Db,
  officeId: string,
  id: string,
  body: CampaignPatch,
  ctx: ActionContext,
): Promise<CampaignView> {
  const dueAt =
    body.dueAt === undefined
      ? undefined
      : isDate(body.dueAt)
        ? await officeLocalInstant(db, officeId, body.dueAt, '23:59:59')
        : body.dueAt;
  const [current] = await listCampaignsPage(db, officeId, { id }, null, 1);
  if (current === undefined) throw new AppError('not_found', 'No such campaign in this office');
  if (dueAt !== undefined && Date.parse(dueAt) <= Date.parse(current.opensAt)) {
    throw new AppError('invalid_request', 'The request has invalid fields', [
      { field: 'dueAt', message: msg.dueBeforeOpen },
    ]);
  }
  await db.transaction(async (tx) => {
    await patchCampaign(tx, officeId, id, {
      dueAt,
      close: body.close,
      announce: body.announce,
      now: new Date(ctx.now).toISOString(),
    });
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: body.close === true ? 'campaign.close' : 'campaign.update',
      targetType: 'campaign',
      targetId: id,
      detail: { fields: Object.keys(body) },
    });
  });
  const [view] = await listCampaignsPage(db, officeId, { id }, null, 1);
  if (view === undefined) throw new Error('updateCampaign: the campaign vanished');
  return view;
}

export const audienceQuery = z.strictObject({
  roles: z.array(z.enum(roles)).max(roles.length).default([]),
  schoolCodes: z.array(z.string().trim().min(1).max(20)).max(5000).default([]),
  clusterCodes: z.array(z.string().trim().min(1).max(50)).max(1000).default([]),
  checklistKey: z.string().trim().max(64).optional(),
  checklistVersion: z.number().int().min(1).optional(),
  filters: campaignBody.shape.filters,
});
export type AudienceQuery = z.infer<typeof audienceQuery>;

export interface AudienceCount {
  /** People in the audience now. */
  people: number;
  /** Who is expected to answer: people, or schools for a school-scope checklist. */
  expected: number;
  scope: 'person' | 'school';
  /** Codes that name no school or cluster of the office (left out of the count). */
  unknownSchools: string[];
  unknownClusters: string[];
}

/**
 * Who an audience holds before the campaign exists (the campaign form's live count): the shared audience()
 * predicate over the chosen roles, schools and clusters, in one statement.
 */
export async function countAudience(db: Db, officeId: string, q: AudienceQuery): Promise<AudienceCount> {
  const checklist =
    q.checklistKey === undefined || q.checklistKey === ''
      ? undefined
      : await findChecklist(db, officeId, q.checklistKey, q.checklistVersion);
  const scope = checklist?.scope ?? 'person';
  const ids = await codesToIds(db, officeId, q.schoolCodes, q.clusterCodes);
  const unknownSchools = q.schoolCodes.filter((c) => !ids.schools.has(c));
  const unknownClusters = q.clusterCodes.filter((c) => !ids.clusters.has(c));
  const n = await audienceSize(db, officeId, {
    roles: q.roles,
    schoolIds: [...ids.schools.values()],
    clusterIds: [...ids.clusters.values()],
    filters: filtersOf(q.filters),
    scope,
  });
  return { ...n, scope, unknownSchools, unknownClusters };
}
