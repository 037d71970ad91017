// Clusters (กลุ่มโรงเรียน / เครือข่าย) and schools of one office: pages, and bulk upserts by code.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from './auth.js';
import type { AppEnv } from '../deps.js';
import { upsertSchools } from './admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from './office.js';
import { AppError } from '../errors.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { duplicates, parseBody, parseQuery, readJson, uuidParam } from './validate.js';
import { schoolLevels, schoolSizes } from '../org/attributes.js';
import { schoolAttrsOf, schoolAttrsShape, schoolPatch, updateSchool } from './schools.actions.js';
import { listSchoolsPage, schoolView, upsertClusters, listClustersPage } from './org.queries.js';
import { cutOf } from '../org/cut.js';

const clusterCode = z.string().trim().min(1).max(50);

const clustersBody = z.object({
  clusters: z
    .array(z.object({ code: clusterCode, nameTh: z.string().trim().min(1).max(200) }))
    .min(1)
    .max(5000),
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
        clusterCode: clusterCode.optional(),
        clusterNameTh: z.string().trim().min(1).max(200).optional(),
        ...schoolAttrsShape,
      }),
    )
    .min(1)
    .max(5000),
});

const schoolsQuery = z.strictObject({
  ...pageParams.shape,
  cluster: clusterCode.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  level: z.enum(schoolLevels).optional(),
  size: z.enum(schoolSizes).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  district: z.string().trim().min(1).max(100).optional(),
  province: z.string().trim().min(1).max(100).optional(),
});

export function orgRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/clusters', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(z.strictObject(pageParams.shape), c.req.query());
    const after = decodeCursor(q.cursor, ['text'])?.[0] ?? null;
    const rows = await listClustersPage(c.var.deps.db, o.id, after, q.limit);
    return c.json(pageOf(rows, q.limit, (r) => [r.code]));
  });

  app.post('/offices/:office/clusters', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(clustersBody, await readJson(c.req), 'clusters');
    duplicates(
      body.clusters.map((r) => r.code),
      'clusters',
      'code',
    );
    const db = c.var.deps.db;
    const counts = await db.transaction(async (tx) => {
      const counts = await upsertClusters(tx, o.id, body.clusters);
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'clusters.upsert', detail: counts });
      return counts;
    });
    return c.json(counts);
  });

  app.get('/offices/:office/schools', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(schoolsQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['text'])?.[0] ?? null;
    const rows = await listSchoolsPage(
      c.var.deps.db,
      o.id,
      { clusterCode: q.cluster, q: q.q, cut: cutOf(q) },
      after,
      q.limit,
    );
    return c.json(pageOf(rows, q.limit, (r) => [r.code]));
  });

  app.post('/offices/:office/schools', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(schoolsBody, await readJson(c.req), 'schools');
    duplicates(
      body.schools.map((s) => s.code),
      'schools',
      'code',
    );
    const db = c.var.deps.db;
    const count = await db.transaction(async (tx) => {
      const count = await upsertSchools(
        tx,
        o.id,
        body.schools.map((s) => ({
          code: s.code,
          nameTh: s.nameTh,
          clusterCode: s.clusterCode ?? null,
          clusterNameTh: s.clusterNameTh ?? null,
          attrs: schoolAttrsOf(s),
        })),
      );
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'schools.upsert', detail: { count } });
      return count;
    });
    return c.json({ upserted: count });
  });

  app.get('/offices/:office/schools/:id', async (c) => {
    const o = await officeOf(c);
    const school = await schoolView(c.var.deps.db, o.id, uuidParam(c));
    if (school === undefined) throw new AppError('not_found', 'No such school in this office');
    return c.json(school);
  });

  app.patch('/offices/:office/schools/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(schoolPatch, await readJson(c.req));
    return c.json(await updateSchool(c.var.deps.db, o.id, id, body, { actor: actorOf(c) }));
  });
}
