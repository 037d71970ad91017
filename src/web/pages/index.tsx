/** @jsxImportSource hono/jsx */
// Web admin pages, server-rendered with Hono JSX and mounted at /admin (after the API at /admin/api/v1), for the
// office's staff: one module per page in this folder, each registering its routes and its scope guard (what a
// role may open: src/admin/scope.ts). The guards are registered per path, never on '*', because a '*' here would
// also sit in front of the API's own paths under /admin.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { ADMIN_COOKIE } from '../../admin/auth.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { errorFields } from '../../log.js';
import { requireSession, sameOrigin } from '../session.js';
import { signinLinkRoutes } from '../signin.js';
import { t } from '../web.th.js';
import { assignmentPages } from './assignments.js';
import { auditPages } from './audit.js';
import { CAMPAIGN_FORM_JS, CAMPAIGN_SCRIPT, campaignFormPages } from './campaign-form.js';
import { campaignPages } from './campaigns.js';
import { calendarPages } from './calendar.js';
import { checklistPages } from './checklists.js';
import { committeePages } from './committee.js';
import { officeSarPages } from './office-sar.js';
import { agencyPages } from './agencies.js';
import { dashboardPage } from './dashboard.js';
import { evidencePages } from './evidence.js';
import { exportPages } from './exports.js';
import { reportPages } from './reports.js';
import { honourPages } from './honours.js';
import { responsePages } from './responses.js';
import { schoolPages } from './school.js';
import { schoolListPages } from './schools.js';
import { eqaPages } from './eqa.js';
import { importPages } from './imports.js';
import { inviteSheetPages } from './invite-sheets.js';
import { settingsPages } from './settings.js';
import { officesPage } from './offices.js';
import { pdpaPages } from './pdpa.js';
import { peoplePages } from './people.js';
import { planPages } from './plan.js';
import { page } from './render.js';
import { signInPages } from './signin.js';

export { AUDIT_PAGE_SIZE } from './audit.js';
export { PDPA_PAGE_SIZE } from './pdpa.js';
export { PEOPLE_PAGE_SIZE } from './people.js';

export function adminPages() {
  const app = new Hono<AppEnv>();

  for (const path of ['/login', '/logout', '/offices/*']) app.use(path, sameOrigin);
  app.use('/offices', requireSession);
  app.use('/offices/*', requireSession);
  signinLinkRoutes(app);
  signInPages(app);
  officesPage(app);
  dashboardPage(app);
  peoplePages(app);
  // The pages' one script file (progressive enhancement), static and public: it holds no data.
  app.get(CAMPAIGN_SCRIPT.replace('/admin', ''), (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(CAMPAIGN_FORM_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  campaignFormPages(app);
  checklistPages(app);
  calendarPages(app);
  assignmentPages(app);
  planPages(app);
  campaignPages(app);
  reportPages(app);
  honourPages(app);
  responsePages(app);
  evidencePages(app);
  schoolPages(app);
  schoolListPages(app);
  eqaPages(app);
  exportPages(app);
  importPages(app);
  inviteSheetPages(app);
  settingsPages(app);
  auditPages(app);
  pdpaPages(app);
  // The office's own work (issue 16).
  committeePages(app);
  officeSarPages(app);
  agencyPages(app);

  // Errors on these pages are pages too (not the API's JSON); internal details never reach the browser.
  app.onError((err, c) => {
    const known = err instanceof AppError ? err : undefined;
    if (known === undefined) c.var.deps?.log.error('admin page error', { path: c.req.path, ...errorFields(err) });
    const status = known?.status ?? 500;
    const text =
      status === 403
        ? t.forbidden
        : status === 404
          ? t.notFound
          : status === 413
            ? t.tooLarge
            : status === 400
              ? t.badRequest
              : t.error;
    const signedIn = getCookie(c, ADMIN_COOKIE) !== undefined;
    return page(c, { title: text, status, signedIn }, <p role="alert">{text}</p>);
  });

  return app;
}
