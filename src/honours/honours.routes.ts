// Honours through the admin API: GET /offices/:office/honours ranks the office's schools (?year= B.E., ?term=1|2,
// ?by=sar,improvement,actions in order; audited as honours.read) and lists the honour lists published for it; POST …/honours/preview
// answers the notice a body would publish; POST …/honours publishes it (201; 200 with republished: true when the
// same list was published before, and nobody is told twice). Office-wide readers only (requireAdmin); publishing
// needs a token (a web session reads the API only), as every API write.
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { actorOf } from '../admin/auth.js';
import { officeOf } from '../admin/office.js';
import { parseBody, readJson } from '../admin/validate.js';
import { honourNotice, publishBody, publishHonours, readRanking } from './honours.actions.js';

export function honourRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/honours', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const q = (n: string) => c.req.query(n);
    const params = { year: q('year'), term: q('term'), by: q('by') };
    return c.json(await readRanking(db, o.id, params, { now: now(), actor: actorOf(c) }));
  });

  app.post('/offices/:office/honours/preview', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(publishBody, await readJson(c.req));
    const { db, now } = c.var.deps;
    return c.json(await honourNotice(db, o.id, body, now()));
  });

  app.post('/offices/:office/honours', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(publishBody, await readJson(c.req));
    const { db, now } = c.var.deps;
    const r = await publishHonours(db, o.id, body, actorOf(c), now());
    return c.json(
      { id: r.list.id, recipients: r.recipients, republished: r.republished, list: r.list },
      r.republished ? 200 : 201,
    );
  });
}
