// Export routes of the admin API (registered on its app, behind its guard): downloads of a campaign's responses,
// the visit log and a campaign's completion, as CSV or XLSX. GET only, so the web pages' session cookie works.
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { actorOf } from '../admin/auth.js';
import { officeOf } from '../admin/office.js';
import { contentDisposition, exportKinds, runExport, type ExportKind } from './build.js';

export function exportRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/exports/:kind', async (c) => {
    const kind = c.req.param('kind');
    if (!(exportKinds as readonly string[]).includes(kind)) throw new AppError('not_found', 'Unknown export');
    const office = await officeOf(c);
    const { db, now, config } = c.var.deps;
    const q = (name: string) => c.req.query(name);
    const file = await runExport(
      db,
      office,
      kind as ExportKind,
      { campaign: q('campaign'), format: q('format'), table: q('table'), by: q('by'), from: q('from'), to: q('to') },
      { now: now(), via: 'api', actor: actorOf(c), webBase: config.publicBaseUrl ?? new URL(c.req.url).origin },
    );
    return c.body(typeof file.body === 'string' ? file.body : file.body.slice().buffer, 200, {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file),
      // Personal data: never kept by a shared cache.
      'cache-control': 'no-store',
    });
  });
}
