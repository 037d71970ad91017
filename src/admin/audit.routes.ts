// The office's audit log (who read, exported or changed what), newest first.
import type { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../deps.js';
import { listAuditPage } from './audit.queries.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { isoDate, parseQuery } from './validate.js';

const auditQuery = z.strictObject({
  ...pageParams.shape,
  action: z.string().trim().min(1).max(100).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export function auditRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/audit', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(auditQuery, c.req.query());
    const after = decodeCursor(q.cursor, ['bigint'])?.[0] ?? null;
    const rows = await listAuditPage(c.var.deps.db, o.id, { action: q.action, from: q.from, to: q.to }, after, q.limit);
    return c.json(pageOf(rows, q.limit, (a) => [a.id]));
  });
}
