// Checklists (versioned definitions: the office's own beside the built-ins) and campaigns (a version sent to an
// audience between two dates). Publishing and creating go through the same functions as `npm run cli --
// checklists sync` and `campaign create`, so a version never changes once stored and a campaign title is its key.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { readCapped } from '../http/body.js';
import { AppError } from '../errors.js';
import { findChecklistVersion } from '../checklists/checklists.queries.js';
import { validateFormDefinition } from '../checklists/definition.js';
import { checklistWorkbook, publishChecklistFile, XLSX_CONTENT_TYPE } from '../checklists/upload.js';
import { contentDisposition } from '../exports/build.js';
import { MAX_IMPORT_BYTES } from '../imports/sheet.js';
import {
  audienceQuery,
  campaignBody,
  campaignPatch,
  countAudience,
  createCampaign,
  updateCampaign,
} from './campaigns.actions.js';
import { listCampaignsPage, listChecklistsPage } from './campaigns.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const checklistsQuery = z.strictObject({ ...pageParams.shape, key: z.string().trim().min(1).max(64).optional() });
const versionQuery = z.strictObject({ format: z.enum(['json', 'xlsx']).default('json') });

const campaignsQuery = z.strictObject({
  ...pageParams.shape,
  state: z.enum(['open', 'closed']).optional(),
});

/** The live audience count's query: comma-separated lists, as a form's JavaScript sends them. */
const audienceCountQuery = z.strictObject({
  roles: z.string().max(200).optional(),
  schools: z.string().max(50_000).optional(),
  clusters: z.string().max(20_000).optional(),
  checklist: z.string().max(64).optional(),
  version: z.coerce.number().int().min(1).optional(),
});
const list = (v: string | undefined) =>
  (v ?? '')
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

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
    const out = await createCampaign(db, o.id, body, { now: now(), actor: actorOf(c) });
    return c.json(out.view, out.created ? 201 : 200);
  });

  // Who an audience would hold, before the campaign exists (the campaign form's live count): the shared audience().
  app.get('/offices/:office/campaigns/audience-count', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(audienceCountQuery, c.req.query());
    const a = parseBody(audienceQuery, {
      roles: list(q.roles),
      schoolCodes: list(q.schools),
      clusterCodes: list(q.clusters),
      ...(q.checklist === undefined || q.checklist === '' ? {} : { checklistKey: q.checklist }),
      ...(q.version === undefined ? {} : { checklistVersion: q.version }),
    });
    return c.json(await countAudience(c.var.deps.db, o.id, a));
  });

  app.patch('/offices/:office/campaigns/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(campaignPatch, await readJson(c.req));
    const { db, now } = c.var.deps;
    return c.json(await updateCampaign(db, o.id, id, body, { now: now(), actor: actorOf(c) }));
  });
}
