// Admin API v1 (bearer ADMIN_TOKEN, or an office token for one office): one guard, then one module per resource. Every route under /offices/:office
// is scoped to that office; every change and every read of personal data is audited. Lists share one convention
// (page.ts): ?limit= and an opaque keyset cursor, answered as { items, nextCursor }.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { readCapped } from '../http/body.js';
import { MAX_IMPORT_BYTES } from '../imports/sheet.js';
import { exportRoutes } from '../exports/exports.routes.js';
import { reportRoutes } from '../reports/reports.routes.js';
import { sarRoutes } from '../sar/sar.routes.js';
import { committeeRoutes } from '../committee/committee.routes.js';
import { officeSarRoutes } from '../officesar/officesar.routes.js';
import { honourRoutes } from '../honours/honours.routes.js';
import { agencyRoutes } from '../agencies/agencies.routes.js';
import { eqaRoutes } from '../eqa/eqa.routes.js';
import { assignmentRoutes } from './assignments.routes.js';
import { auditRoutes } from './audit.routes.js';
import { actorOf, requireAdmin } from './auth.js';
import { calendarRoutes } from './calendar.routes.js';
import { campaignRoutes } from './campaigns.routes.js';
import { importKindOf, refuseIssues, runImport } from './imports.actions.js';
import { officeOf } from './office.js';
import { officeRoutes } from './offices.routes.js';
import { orgRoutes } from './org.routes.js';
import { peopleRoutes } from './people.routes.js';
import { tokenRoutes } from './tokens.routes.js';
import { visitRoutes } from './visits.routes.js';

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
  tokenRoutes(app);
  committeeRoutes(app);
  officeSarRoutes(app);
  honourRoutes(app);
  agencyRoutes(app);
  eqaRoutes(app);

  // Imports: the body is the file, CSV (UTF-8, comma or tab) or XLSX (the first worksheet). Any bad row is a 400
  // naming every bad row (row 1 = header, as in the spreadsheet) and nothing is written; ?dryRun=1 validates only.
  app.post('/offices/:office/imports/:kind', async (c) => {
    const kind = importKindOf(c.req.param('kind'));
    const o = await officeOf(c);
    const bytes = await readCapped(c.req.raw, MAX_IMPORT_BYTES);
    const { db, now } = c.var.deps;
    const result = await runImport(db, {
      officeId: o.id,
      kind,
      bytes,
      contentType: c.req.header('content-type') ?? '',
      dryRun: flag(c.req.query('dryRun')),
      invites: flag(c.req.query('invites')),
      now: now(),
      actor: actorOf(c),
    });
    refuseIssues(result);
    return c.json(result);
  });

  // SAR first: exportRoutes serves /exports/:kind, which would otherwise catch /exports/sar.
  sarRoutes(app);
  exportRoutes(app);
  reportRoutes(app);
  return app;
}
