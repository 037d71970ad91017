// Honours through the admin API: GET /offices/:office/honours ranks the office's schools (?year= B.E., ?term=1|2,
// ?by=sar,improvement,actions in order) and lists the honour lists published for that year; POST …/honours/preview
// answers the notice a body would publish; POST …/honours publishes it (201; 200 with republished: true when the
// same list was published before, and nobody is told twice). Office-wide readers only (requireAdmin); publishing
// needs a token (a web session reads the API only), as every API write.
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { actorOf } from '../admin/auth.js';
import { officeOf } from '../admin/office.js';
import { parseBody, readJson } from '../admin/validate.js';
import { honourNotice, publishBody, publishHonours, rankOffice } from './honours.actions.js';
import { honourListsOf } from './honours.queries.js';

export function honourRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/honours', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const q = (n: string) => c.req.query(n);
    const ranking = await rankOffice(db, o.id, { year: q('year'), term: q('term'), by: q('by') }, now());
    const published = await honourListsOf(db, o.id, ranking.period.year, ranking.period.term);
    return c.json({ ...ranking, published });
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
