// Checklists (versioned definitions: the office's own beside the built-ins) and campaigns (a version sent to an
// audience between two dates). Publishing and creating go through the same functions as `npm run cli --
// checklists sync` and `campaign create`, so a version never changes once stored and a campaign title is its key.
import type { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { readCapped } from '../http/body.js';
import { AppError, type FieldIssue } from '../errors.js';
import { roles } from '../db/schema.js';
import { findChecklist, findChecklistVersion, upsertCampaign } from '../checklists/checklists.queries.js';
import { validateFormDefinition } from '../checklists/definition.js';
import { campaignBlockers, checklistWorkbook, publishChecklistFile, XLSX_CONTENT_TYPE } from '../checklists/upload.js';
import { contentDisposition } from '../exports/build.js';
import { MAX_IMPORT_BYTES } from '../imports/sheet.js';
import { audit } from '../audit/audit.queries.js';
import {
  codesToIds,
  listCampaignsPage,
  listChecklistsPage,
  officeLocalInstant,
  patchCampaign,
  supervisionAudience,
} from './campaigns.queries.js';
import {
  learningAreas,
  noFilters,
  parseLearningArea,
  positions,
  schoolLevels,
  schoolSizes,
} from '../org/attributes.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { isoDate, isoInstant, parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const checklistsQuery = z.strictObject({ ...pageParams.shape, key: z.string().trim().min(1).max(64).optional() });
const versionQuery = z.strictObject({ format: z.enum(['json', 'xlsx']).default('json') });

/** A date (office-local; opens at 00:00, due at 23:59:59 as in the CLI) or an exact instant with an offset. */
const when = z.union([isoDate, isoInstant], { error: 'a date YYYY-MM-DD or an ISO time with an offset' });

const campaignBody = z.strictObject({
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

const campaignPatch = z.strictObject({
  dueAt: when.optional(),
  close: z.literal(true).optional(),
  announce: z.boolean().optional(),
});

const campaignsQuery = z.strictObject({
  ...pageParams.shape,
  state: z.enum(['open', 'closed']).optional(),
});

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

export function campaignRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/checklists', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(checklistsQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['text', 'int', 'uuid']);
    const rows = await listChecklistsPage(c.var.deps.db, o.id, { key: q.key }, after, q.limit);
    return c.json(pageOf(rows, q.limit, (r) => [r.key, String(r.version), r.id]));
  });

  // The body is the definition itself (schema nithet.checklist/1) or an XLSForm workbook (.xlsx, by content type or
  // its zip signature), published as the office's own version.
  app.post('/offices/:office/checklists', async (c) => {
    const o = await officeOf(c);
    // A JSON definition or a workbook: the import's limit, declared or streamed.
    const bytes = await readCapped(c.req.raw, MAX_IMPORT_BYTES);
    const out = await publishChecklistFile(
      c.var.deps.db,
      o.id,
      { bytes, contentType: c.req.header('content-type') ?? '' },
      actorOf(c),
    );
    return c.json(out, out.status === 'created' ? 201 : 200);
  });

  // One version: its definition (JSON), or ?format=xlsx as an XLSForm workbook that uploads back unchanged.
  app.get('/offices/:office/checklists/:key/versions/:version', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(versionQuery, c.req.query());
    const key = c.req.param('key');
    const version = Number(c.req.param('version'));
    if (!/^[a-z][a-z0-9-]{1,63}$/.test(key) || !Number.isInteger(version) || version < 1 || version > 2147483647)
      throw new AppError('not_found', 'No such checklist version');
    const db = c.var.deps.db;
    if (q.format === 'xlsx') {
      const file = await checklistWorkbook(db, o.id, key, version);
      if (file === undefined) throw new AppError('not_found', 'No such checklist version');
      return c.body(file.body.slice().buffer, 200, {
        'content-type': XLSX_CONTENT_TYPE,
        'content-disposition': contentDisposition(file),
      });
    }
    const row = await findChecklistVersion(db, o.id, key, version);
    if (row === undefined) throw new AppError('not_found', 'No such checklist version');
    const parsed = validateFormDefinition(row.definition);
    return c.json({
      id: row.id,
      key: row.key,
      version: row.version,
      builtIn: row.office_id === null,
      definition: parsed.ok ? parsed.definition : row.definition,
    });
  });

  app.get('/offices/:office/campaigns', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(campaignsQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await listCampaignsPage(
      c.var.deps.db,
      o.id,
      { open: q.state === undefined ? undefined : q.state === 'open' },
      after,
      q.limit,
    );
    return c.json(pageOf(rows, q.limit, (r) => [r.dueAt, r.id]));
  });

  app.post('/offices/:office/campaigns', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(campaignBody, await readJson(c.req));
    const { db, now } = c.var.deps;
    const checklist = await findChecklist(db, o.id, body.checklistKey, body.checklistVersion);
    const ids = await codesToIds(db, o.id, body.schoolCodes, body.clusterCodes);
    const issues: FieldIssue[] = [];
    if (checklist === undefined) {
      issues.push({
        field: body.checklistVersion === undefined ? 'checklistKey' : 'checklistVersion',
        message: `no checklist ${body.checklistKey}${body.checklistVersion === undefined ? '' : ` version ${body.checklistVersion}`}`,
      });
    }
    body.schoolCodes.forEach((code, i) => {
      if (!ids.schools.has(code))
        issues.push({ field: `schoolCodes.${i}`, message: `no school with code ${code} in this office` });
    });
    body.clusterCodes.forEach((code, i) => {
      if (!ids.clusters.has(code)) {
        issues.push({ field: `clusterCodes.${i}`, message: `no cluster with code ${code} in this office` });
      }
    });
    const filters = noFilters();
    for (const [k, v] of Object.entries(body.filters ?? {})) {
      if (v !== undefined) Object.assign(filters, { [k]: [...new Set(v)] });
    }
    let supervised: string[] = [];
    if (body.supervisorId !== undefined) {
      const sup = await supervisionAudience(db, o.id, body.supervisorId);
      if (sup === undefined)
        issues.push({ field: 'supervisorId', message: 'no supervisor with this id in this office' });
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
    const instant = async (v: string, time: string) => (isDate(v) ? officeLocalInstant(db, o.id, v, time) : v);
    const opensAt =
      body.opensAt === undefined ? new Date(now()).toISOString() : await instant(body.opensAt, '00:00:00');
    const dueAt = await instant(body.dueAt, '23:59:59');
    if (Date.parse(dueAt) <= Date.parse(opensAt)) issues.push({ field: 'dueAt', message: 'due before it opens' });
    // A version with parts the chat cannot run yet (an XLSForm's documents, sections …) waits for the chat.
    if (checklist !== undefined) issues.push(...(await campaignBlockers(db, checklist.id)));
    if (issues.length > 0 || checklist === undefined) {
      throw new AppError('invalid_request', 'The request has invalid fields', issues);
    }
    const out = await db.transaction(async (tx) => {
      const out = await upsertCampaign(tx, {
        officeId: o.id,
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
        actor: actorOf(c),
        officeId: o.id,
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
    const [view] = await listCampaignsPage(db, o.id, { id: out.id }, null, 1);
    return c.json(view, out.created ? 201 : 200);
  });

  app.patch('/offices/:office/campaigns/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(campaignPatch, await readJson(c.req));
    const { db, now } = c.var.deps;
    const at = new Date(now()).toISOString();
    const dueAt =
      body.dueAt === undefined
        ? undefined
        : isDate(body.dueAt)
          ? await officeLocalInstant(db, o.id, body.dueAt, '23:59:59')
          : body.dueAt;
    const [current] = await listCampaignsPage(db, o.id, { id }, null, 1);
    if (current === undefined) throw new AppError('not_found', 'No such campaign in this office');
    if (dueAt !== undefined && Date.parse(dueAt) <= Date.parse(current.opensAt)) {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'dueAt', message: 'due before it opens' },
      ]);
    }
    await db.transaction(async (tx) => {
      await patchCampaign(tx, o.id, id, { dueAt, close: body.close, announce: body.announce, now: at });
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: body.close === true ? 'campaign.close' : 'campaign.update',
        targetType: 'campaign',
        targetId: id,
        detail: { fields: Object.keys(body) },
      });
    });
    const [view] = await listCampaignsPage(db, o.id, { id }, null, 1);
    return c.json(view);
  });
}
