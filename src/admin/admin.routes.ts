// Admin API v1 (bearer ADMIN_TOKEN): one guard, then one module per resource. Every route under /offices/:office
// is scoped to that office; every change and every read of personal data is audited. Lists share one convention
// (page.ts): ?limit= and an opaque keyset cursor, answered as { items, nextCursor }.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { decodeUtf8 } from '../imports/csv.js';
import { importCsv, importKinds, type ImportKind } from '../imports/imports.js';
import { exportRoutes } from '../exports/exports.routes.js';
import { sarRoutes } from '../sar/sar.routes.js';
import { assignmentRoutes } from './assignments.routes.js';
import { auditRoutes } from './audit.routes.js';
import { requireAdmin } from './auth.js';
import { calendarRoutes } from './calendar.routes.js';
import { campaignRoutes } from './campaigns.routes.js';
import { officeOf } from './office.js';
import { officeRoutes } from './offices.routes.js';
import { orgRoutes } from './org.routes.js';
import { peopleRoutes } from './people.routes.js';
import { visitRoutes } from './visits.routes.js';

/** A CSV import body larger than this is refused (5,000 rows of a few columns is well under 1 MB). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const flag = (v: string | undefined) => v === '1' || v === 'true';

export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.use('*', requireAdmin);

  officeRoutes(app);
  orgRoutes(app);
  peopleRoutes(app);
  assignmentRoutes(app);
  campaignRoutes(app);
  visitRoutes(app);
  calendarRoutes(app);
  auditRoutes(app);

  app.post('/offices/:office/imports/:kind', async (c) => {
    const kind = c.req.param('kind');
    if (!(importKinds as readonly string[]).includes(kind)) throw new AppError('not_found', 'Unknown import kind');
    const o = await officeOf(c);
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The CSV file is too large');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'The CSV file is too large');
    const csv = decodeUtf8(bytes);
    if (csv === undefined) {
      throw new AppError('invalid_request', 'The CSV is not UTF-8', [
        { field: '(file)', message: 'ไฟล์ต้องเป็น UTF-8 (CSV UTF-8) / the file must be UTF-8 (save as "CSV UTF-8")' },
      ]);
    }
    const { db, now } = c.var.deps;
    const result = await importCsv(db, o.id, kind as ImportKind, csv, {
      dryRun: flag(c.req.query('dryRun')),
      invites: flag(c.req.query('invites')),
      now: now(),
    });
    if (result.issues.length > 0) {
      throw new AppError(
        'invalid_request',
        `${result.issues.length} problems in the CSV; nothing was written`,
        result.issues,
      );
    }
    return c.json(result);
  });

  exportRoutes(app);
  sarRoutes(app);
  return app;
}
