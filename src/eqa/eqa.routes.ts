// The external quality assessment through the admin API (issue 16 item 4): GET …/eqa (every school's readiness,
// scheduled date, whether it is due this academic year, and which are ready to propose), PUT …/eqa/schools/:id (the
// IQA steps the office has seen, the date สมศ. scheduled, a note), POST …/eqa/schools/:id/results (levels per
// standard of one assessment). Imports of results go through …/imports/eqa (CSV/XLSX, src/imports/eqa.ts).
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { actorOf } from '../admin/auth.js';
import { officeOf } from '../admin/office.js';
import { parseBody, readJson, uuidParam } from '../admin/validate.js';
import { eqaResultsBody, eqaSchoolBody, eqaSchools, recordEqaResults, updateEqaSchool } from './eqa.actions.js';

export function eqaRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/eqa', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    // The API's principals are office-wide (its guard refuses a supervisor's session).
    const scope = { role: 'admin' as const, officeId: o.id, personId: null, schools: 'office' as const };
    const schools = await eqaSchools(db, o.id, scope, now(), o.time_zone);
    return c.json({
      ready: schools.filter((s) => s.readiness.status === 'ready').length,
      toPropose: schools.filter((s) => s.toPropose).length,
      dueThisYear: schools.filter((s) => s.dueThisYear).length,
      schools,
    });
  });

  app.put('/offices/:office/eqa/schools/:id', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(eqaSchoolBody, await readJson(c.req));
    await updateEqaSchool(c.var.deps.db, o.id, id, body, { actor: actorOf(c) });
    return c.body(null, 204);
  });

  app.post('/offices/:office/eqa/schools/:id/results', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(eqaResultsBody, await readJson(c.req));
    return c.json(await recordEqaResults(c.var.deps.db, o.id, id, body, { actor: actorOf(c) }));
  });
}
