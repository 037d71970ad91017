// Office-level SAR synthesis routes of the admin API (registered on its app, behind its guard).
//   GET /offices/:office/exports/sar?campaign=<id>&format=csv|xlsx[&table=summary|below|texts|feedback]
// Another office's campaign, or a campaign that is not a SAR, is a 404: ids are not a way to look across offices.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from '../admin/auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from '../admin/office.js';
import { parseBody } from '../admin/validate.js';
import { feedbackOf } from './feedback.queries.js';
import { loadSarReport } from './report.js';
import { attachment, sarFile, sarTables } from './sheets.js';

const exportQuery = z.object({
  campaign: z.string().min(1).max(100),
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  table: z.enum(sarTables).default('summary'),
});

export function sarRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/exports/sar', async (c) => {
    const o = await officeOf(c);
    const q = parseBody(exportQuery, c.req.query());
    const db = c.var.deps.db;
    const report = await loadSarReport(db, o.id, { id: q.campaign });
    if (report === undefined) throw new AppError('not_found', 'Unknown SAR campaign');
    const feedback = await feedbackOf(db, o.id, null, report.campaign.id);
    const file = await sarFile(report, feedback, q.format, q.table);
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'export.sar',
      targetType: 'campaign',
      targetId: report.campaign.id,
      detail: {
        format: q.format,
        ...(q.format === 'csv' ? { table: q.table } : {}),
        schools: report.synthesis.expected,
      },
    });
    c.header('content-type', file.contentType);
    c.header('content-disposition', attachment(file.filename, file.filenameUtf8));
    c.header('cache-control', 'no-store');
    // Hono's body types want an ArrayBuffer-backed view; the writer's is typed ArrayBufferLike, so copy it once.
    return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body));
  });
}
