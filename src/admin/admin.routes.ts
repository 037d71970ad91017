// Admin API v1 (bearer ADMIN_TOKEN): offices, a LINE channel per office, schools, people and invites.
// Every route under /offices/:office is scoped to that office; every change and read of people is audited.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { encryptSecret } from '../crypto/secrets.js';
import { roles } from '../db/schema.js';
import { upsertChannel } from '../line/channels.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import {
  audit,
  listOffices,
  peopleInOffice,
  schoolIdsByCode,
  upsertOffice,
  upsertPeople,
  upsertSchools,
} from './admin.queries.js';
import { parseBody, readJson } from './validate.js';
import { requireAdmin } from './auth.js';
import { officeOf } from './office.js';
import { exportRoutes } from '../exports/exports.routes.js';
import { sarRoutes } from '../sar/sar.routes.js';
import { importPlan, planBody } from '../visits/plan-import.js';
import { importFile, importKinds, type ImportKind } from '../imports/imports.js';

/** A CSV import body larger than this is refused (5,000 rows of a few columns is well under 1 MB). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const flag = (v: string | undefined) => v === '1' || v === 'true';

const officeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,32}$/, 'letters, digits, - or _ (2–32)'),
  nameTh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).optional(),
});

const channelBody = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'lower-case letters, digits and - (3–63)')
    .refine((v) => v !== 'default', 'reserved for the env channel')
    .optional(),
  name: z.string().trim().min(1).max(100),
  lineChannelId: z
    .string()
    .regex(/^\d{6,20}$/)
    .optional(),
  channelSecret: z.string().regex(/^[0-9a-f]{32}$/, 'a 32-character hex channel secret'),
  channelAccessToken: z.string().min(20).max(500),
});

const schoolsBody = z.object({
  schools: z
    .array(
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^\d{8,10}$/, 'an OBEC school code of 8–10 digits'),
        nameTh: z.string().trim().min(1).max(200),
        clusterCode: z.string().trim().min(1).max(50).optional(),
        clusterNameTh: z.string().trim().min(1).max(200).optional(),
      }),
    )
    .min(1)
    .max(5000),
});

const peopleBody = z.object({
  people: z
    .array(
      z.object({
        displayName: z.string().trim().min(1).max(200),
        role: z.enum(roles),
        schoolCode: z.string().trim().optional(),
        externalId: z.string().trim().min(1).max(100).optional(),
      }),
    )
    .min(1)
    .max(5000),
  issueInvites: z.boolean().default(true),
  inviteDays: z.number().int().min(1).max(365).default(30),
});

const invitesBody = z.object({
  personIds: z.array(z.uuid()).min(1).max(5000),
  inviteDays: z.number().int().min(1).max(365).default(30),
});

export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.use('*', requireAdmin);
  const office = officeOf;

  app.get('/offices', async (c) => {
    const rows = await listOffices(c.var.deps.db);
    return c.json({ offices: rows.map((o) => ({ id: o.id, code: o.code, nameTh: o.name_th, nameEn: o.name_en })) });
  });

  app.post('/offices', async (c) => {
    const body = parseBody(officeBody, await readJson(c.req));
    const db = c.var.deps.db;
    const row = await upsertOffice(db, { code: body.code, nameTh: body.nameTh, nameEn: body.nameEn ?? null });
    await audit(db, {
      officeId: row.id,
      action: row.created ? 'office.create' : 'office.update',
      targetType: 'office',
      targetId: row.id,
    });
    return c.json({ id: row.id, code: row.code, nameTh: row.name_th, nameEn: row.name_en }, row.created ? 201 : 200);
  });

  app.put('/offices/:office/channel', async (c) => {
    const o = await office(c);
    const body = parseBody(channelBody, await readJson(c.req));
    const { db, config, channels } = c.var.deps;
    if (config.secretsKey === undefined) {
      throw new AppError('invalid_request', 'SECRETS_KEY is not set; channel credentials cannot be stored', [
        { field: 'channelSecret', message: 'the server has no SECRETS_KEY to encrypt it with' },
      ]);
    }
    const id = body.id ?? o.code.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    await upsertChannel(db, {
      id,
      officeId: o.id,
      name: body.name,
      lineChannelId: body.lineChannelId ?? null,
      secretEnc: await encryptSecret(config.secretsKey, body.channelSecret),
      tokenEnc: await encryptSecret(config.secretsKey, body.channelAccessToken),
    });
    channels.forget(id);
    const stored = await channels.registered(db, id);
    if (stored === null || stored.officeId !== o.id) {
      throw new AppError('conflict', 'That channel id belongs to another office', [{ field: 'id', message: 'taken' }]);
    }
    await audit(db, { officeId: o.id, action: 'channel.register', targetType: 'channel', targetId: id });
    return c.json({ id, webhookPath: `/webhook/${id}` });
  });

  app.post('/offices/:office/schools', async (c) => {
    const o = await office(c);
    const body = parseBody(schoolsBody, await readJson(c.req), 'schools');
    duplicates(
      body.schools.map((s) => s.code),
      'schools',
      'code',
    );
    const db = c.var.deps.db;
    const count = await upsertSchools(
      db,
      o.id,
      body.schools.map((s) => ({
        code: s.code,
        nameTh: s.nameTh,
        clusterCode: s.clusterCode ?? null,
        clusterNameTh: s.clusterNameTh ?? null,
      })),
    );
    await audit(db, { officeId: o.id, action: 'schools.upsert', detail: { count } });
    return c.json({ upserted: count });
  });

  app.post('/offices/:office/people', async (c) => {
    const o = await office(c);
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
      if ((p.role === 'teacher' || p.role === 'principal') && p.schoolCode === undefined) {
        issues.push({ row, field: 'schoolCode', message: `a ${p.role} needs a school` });
      }
    });
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);

    const ids = await upsertPeople(
      db,
      o.id,
      body.people.map((p) => ({
        id: crypto.randomUUID(),
        displayName: p.displayName,
        role: p.role,
        schoolId: p.schoolCode === undefined ? null : (schoolIds.get(p.schoolCode) ?? null),
        externalId: p.externalId ?? null,
      })),
    );
    const invites = body.issueInvites ? await issueInvites(db, o.id, ids, now(), body.inviteDays) : [];
    const codeOf = new Map(invites.map((i) => [i.personId, i]));
    await audit(db, {
      officeId: o.id,
      action: 'people.upsert',
      detail: { count: ids.length, invites: invites.length },
    });
    return c.json({
      people: ids.map((id, row) => ({
        row,
        id,
        inviteCode: codeOf.get(id)?.code ?? null,
        inviteExpiresAt: codeOf.get(id)?.expiresAt ?? null,
      })),
    });
  });

  app.post('/offices/:office/invites', async (c) => {
    const o = await office(c);
    const body = parseBody(invitesBody, await readJson(c.req), 'personIds');
    const { db, now } = c.var.deps;
    const known = await peopleInOffice(db, o.id, body.personIds);
    const issues = body.personIds.flatMap((id, row) =>
      known.has(id) ? [] : [{ row, field: 'personIds', message: 'no such person in this office' }],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'Unknown people', issues);
    const invites = await issueInvites(db, o.id, body.personIds, now(), body.inviteDays);
    await audit(db, { officeId: o.id, action: 'invites.issue', detail: { count: invites.length } });
    return c.json({ invites });
  });

  app.post('/offices/:office/visits/plan', async (c) => {
    const o = await office(c);
    const body = parseBody(planBody, await readJson(c.req), 'visits');
    const { db, now } = c.var.deps;
    const counts = await importPlan(db, o.id, body, now());
    await audit(db, { officeId: o.id, action: 'visits.plan_import', detail: { rows: body.visits.length, ...counts } });
    return c.json(counts);
  });

  // Imports: the body is the file, CSV (UTF-8, comma or tab) or XLSX (the first worksheet). Any bad row is a 400
  // naming every bad row (row 1 = header, as in the spreadsheet) and nothing is written; ?dryRun=1 validates only.
  app.post('/offices/:office/imports/:kind', async (c) => {
    const kind = c.req.param('kind');
    if (!(importKinds as readonly string[]).includes(kind)) throw new AppError('not_found', 'Unknown import kind');
    const o = await office(c);
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The file is too large');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The file is too large');
    const { db, now } = c.var.deps;
    const result = await importFile(db, o.id, kind as ImportKind, bytes, c.req.header('content-type') ?? '', {
      dryRun: flag(c.req.query('dryRun')),
      invites: flag(c.req.query('invites')),
      now: now(),
    });
    if (result.issues.length > 0) {
      throw new AppError(
        'invalid_request',
        `${result.issues.length} problems in the file; nothing was written`,
        result.issues,
      );
    }
    return c.json(result);
  });

  exportRoutes(app);
  sarRoutes(app);
  return app;
}

/** Two rows with the same natural key in one request would update one row twice: name both rows. */
function duplicates(values: (string | undefined)[], list: string, field: string): void {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  values.forEach((v, row) => {
    if (v === undefined) return;
    const first = seen.get(v);
    if (first !== undefined) issues.push({ row, field, message: `duplicate of ${list} row ${first}` });
    else seen.set(v, row);
  });
  if (issues.length > 0) throw new AppError('invalid_request', `Duplicate ${field} values`, issues);
}
