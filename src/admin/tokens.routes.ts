// Office admin tokens: credentials that reach one office only. Made and revoked with the deployment token (an
// office token cannot mint or revoke credentials); an office's own token may list its office's tokens. The token
// is answered once, at creation; only its SHA-256 is kept, and no list ever shows either.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { actorOf, newOfficeToken, requireDeployment, tokenHash } from './auth.js';
import { officeOf } from './office.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { insertToken, listTokensPage, revokeToken } from './tokens.queries.js';
import { revokeSessionsOfToken } from './sessions.queries.js';
import { parseBody, parseQuery, readJson, uuidParam } from './validate.js';

const tokenBody = z.strictObject({ label: z.string().trim().min(1).max(200) });

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
    const db = c.var.deps.db;
    const token = newOfficeToken();
    const row = await db.transaction(async (tx) => {
      const row = await insertToken(tx, o.id, body.label, await tokenHash(token));
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'admin_token.create',
        targetType: 'admin_token',
        targetId: row.id,
        detail: { label: row.label },
      });
      return row;
    });
    return c.json({ id: row.id, token, label: row.label, createdAt: row.createdAt }, 201);
  });

  app.delete('/offices/:office/tokens/:id', async (c) => {
    requireDeployment(c);
    const o = await officeOf(c);
    const id = uuidParam(c);
    const { db, now } = c.var.deps;
    const at = now();
    // The token, the sessions it started on the pages, and the audit row: all or nothing.
    const row = await db.transaction(async (tx) => {
      const revoked = await revokeToken(tx, o.id, id, at);
      if (revoked === undefined) throw new AppError('not_found', 'No such token in this office');
      await revokeSessionsOfToken(tx, id, at);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'admin_token.revoke',
        targetType: 'admin_token',
        targetId: id,
      });
      return revoked;
    });
    return c.json(row);
  });
}
