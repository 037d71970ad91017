// Office admin tokens: credentials that reach one office only. Made and revoked with the deployment token (an
// office token cannot mint or revoke credentials); an office's own token may list its office's tokens. The token
// is answered once, at creation; only its SHA-256 is kept, and no list ever shows either.
import type { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../deps.js';
import { actorOf, requireDeployment } from './auth.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { listTokensPage } from './tokens.queries.js';
import { createOfficeToken, revokeOfficeToken, tokenBody } from './tokens.actions.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

export function tokenRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/tokens', async (c) => {
    const o = await officeOf(c);
    const q = parseQuery(z.strictObject(pageParams.shape), c.req.query());
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await listTokensPage(c.var.deps.db, o.id, after, q.limit);
    return c.json(pageOf(rows, q.limit, (t) => [t.createdAt, t.id]));
  });

  app.post('/offices/:office/tokens', async (c) => {
    // Before the office lookup: the answer is the same for every office, so it tells an office token nothing.
    requireDeployment(c);
    const o = await officeOf(c);
    const body = parseBody(tokenBody, await readJson(c.req));
    const { row, token } = await createOfficeToken(c.var.deps.db, o.id, body.label, actorOf(c));
    return c.json({ id: row.id, token, label: row.label, createdAt: row.createdAt }, 201);
  });

  app.delete('/offices/:office/tokens/:id', async (c) => {
    requireDeployment(c);
    const o = await officeOf(c);
    const id = uuidParam(c);
    const { db, now } = c.var.deps;
    const row = await revokeOfficeToken(db, o.id, id, now(), actorOf(c));
    return c.json(row);
  });
}
