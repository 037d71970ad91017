// The Hono app, shared by both runtimes and built once per process (Node) or isolate (Workers). One middleware
// gives each request its id and its services: `open` answers the request's Deps (Workers: a database pool of its
// own and its deferred work) and, where there is something to release after the response, `release`. One onError
// maps AppError codes to statuses; every error body and every log line of a request carries its id.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { sql } from 'drizzle-orm';
import { adminRoutes } from './admin/admin.routes.js';
import type { AppEnv, Deps } from './deps.js';
import { AppError } from './errors.js';
import { webhookRoutes } from './line/webhook.routes.js';
import { thumbRoutes } from './checklists/thumbs.routes.js';
import { errorFields, withFields } from './log.js';
import { refuseNulInUrl } from './http/body.js';
import { adminPages } from './web/pages/index.js';

export interface AppOptions {
  /** Routes only one runtime serves (Node's /dev simulator in dev mode), mounted before the 404 handler. */
  extraRoutes?: (app: Hono<AppEnv>) => void;
}

/** A request's services and what to release once its response is out (and its deferred work done). */
export interface RequestServices {
  deps: Deps;
  release(): void;
}

/** Builds a request's services: shared Deps (Node, tests), or a per-request pool with its release (Workers). */
export type OpenServices = (c: Context<AppEnv>) => Deps | RequestServices;

const isScoped = (s: Deps | RequestServices): s is RequestServices => 'release' in s;

/** Cloudflare's ray id names the request in Cloudflare's own logs too; elsewhere a random UUID. */
const rayOrUuid = (ray: string | undefined): string =>
  ray !== undefined && /^[\w-]{1,64}$/.test(ray) ? ray : crypto.randomUUID();
const newRequestId = (c: Context): string => rayOrUuid(c.req.header('cf-ray'));

/** Hono's requestId rule (a proxy's X-Request-Id kept if short and plain) for servers that bypass Hono. */
export const requestIdOf = (header: (name: string) => string | undefined): string => {
  const given = header('x-request-id');
  return given !== undefined && given !== '' && given.length <= 255 && !/[^\w\-=]/.test(given)
    ? given
    : rayOrUuid(header('cf-ray'));
};

export function createApp(open: OpenServices, opts: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  // A proxy's X-Request-Id is kept (Hono checks its length and characters); the answer carries it back.
  app.use('*', requestId({ generator: newRequestId }), async (c, next) => {
    const opened = open(c);
    const scoped = isScoped(opened) ? opened : undefined;
    const deps = scoped?.deps ?? (opened as Deps);
    c.set('deps', { ...deps, log: withFields(deps.log, { requestId: c.var.requestId }) });
    try {
      await next();
    } finally {
      scoped?.release();
    }
  });

  app.use('*', refuseNulInUrl);

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
  app.route('/', thumbRoutes());
  app.route('/admin/api/v1', adminRoutes());
  app.route('/admin', adminPages());
  opts.extraRoutes?.(app);

  app.notFound((c) => c.json(new AppError('not_found', 'Not found').body(c.var.requestId), 404));

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
    return c.json(appErr.body(c.var.requestId), appErr.status);
  });

  return app;
}
