// The Hono app, shared by both runtimes. `makeDeps` builds the per-request dependencies (a database pool per
// request on Workers, shared ones on Node); one onError maps AppError codes to statuses.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { sql } from 'drizzle-orm';
import { adminRoutes } from './admin/admin.routes.js';
import type { AppEnv, Deps } from './deps.js';
import { AppError } from './errors.js';
import { webhookRoutes } from './line/webhook.routes.js';
import { errorFields } from './log.js';
import { adminPages } from './web/pages.js';

export interface AppOptions {
  /** Routes only one runtime serves (Node's /dev simulator in dev mode), mounted before the 404 handler. */
  extraRoutes?: (app: Hono<AppEnv>) => void;
}

export function createApp(makeDeps: (c: { req: Request; env: unknown }) => Deps, opts: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('deps', makeDeps({ req: c.req.raw, env: c.env }));
    await next();
  });

  app.get('/health', async (c) => {
    try {
      await c.var.deps.db.execute(sql`SELECT 1`);
      return c.json({ ok: true, database: 'up' });
    } catch (err) {
      c.var.deps.log.error('health: database down', errorFields(err));
      return c.json({ ok: false, database: 'down' }, 503);
    }
  });

  app.route('/', webhookRoutes());
  app.route('/admin/api/v1', adminRoutes());
  app.route('/admin', adminPages());
  opts.extraRoutes?.(app);

  app.notFound((c) => c.json(new AppError('not_found', 'Not found').toJSON(), 404));

  app.onError((err, c) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (err instanceof HTTPException && err.status === 401) appErr = new AppError('unauthorized', 'Unauthorized');
    else if (err instanceof HTTPException && err.status === 413)
      appErr = new AppError('payload_too_large', 'Too large');
    else if (err instanceof HTTPException && err.status < 500) appErr = new AppError('bad_request', 'Bad request');
    else {
      // A database that does not answer is "try again", which is what LINE needs to redeliver.
      c.var.deps?.log.error('unhandled error', { path: c.req.path, ...errorFields(err) });
      appErr = new AppError('internal', 'Internal error');
    }
    return c.json(appErr.toJSON(), appErr.status);
  });

  return app;
}
