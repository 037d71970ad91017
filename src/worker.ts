// Cloudflare Workers runtime: fetch, scheduled and queue. Per isolate: the parsed config, the logger, the channel
// cache and the Hono app, built once. Per request (or cron run, or queue batch): a Neon Pool of its own (Workers
// forbid sharing I/O between requests), ended in waitUntil once the deferred work is done. The cron only
// enqueues the slot's units of work; the queue consumer runs them (src/scheduler/queue.ts). Only wiring lives here.
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import type { Context } from 'hono';
import { createApp, type RequestServices } from './app.js';
import type { BlobStore } from './checklists/evidence.js';
import { type Config, parseEnv } from './config/env.js';
import { enableNamedStatements, releaseLostClients, type Db } from './db/client.js';
import * as schema from './db/schema.js';
import { type AppEnv, buildDeps } from './deps.js';
import { ChannelResolver } from './line/channels.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { r2BlobStore } from './runtime/r2-blobs.js';
import { workerReportFonts } from './runtime/worker-report-fonts.js';
import { consumeDeadUnits, consumeUnits, produceUnits, type UnitQueue } from './scheduler/queue.js';

interface Isolate {
  env: unknown;
  config: Config;
  log: Logger;
  channels: ChannelResolver;
  app: ReturnType<typeof createApp>;
}
let cached: Isolate | undefined;
function isolate(env: unknown): Isolate {
  if (cached === undefined || cached.env !== env) {
    const config = parseEnv(typeof env === 'object' && env !== null ? { ...env } : {});
    if (config.neonWsProxy !== undefined) {
      // Local tests only: the Neon driver speaks to a plain Postgres through a WebSocket-to-TCP proxy.
      const proxy = config.neonWsProxy;
      neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineTLS = false;
      neonConfig.pipelineConnect = false;
    }
    const log = createLogger(config.logLevel, (line) => console.log(line)); // eslint-disable-line no-console
    const channels = new ChannelResolver(config, Date.now);
    const app = createApp((c) => requestServices(c, config, log, channels));
    cached = { env, config, log, channels, app };
    log.info('isolate.ready', {});
  }
  return cached;
}

/** Evidence photos go to the R2 bucket bound as EVIDENCE; without one they stay pending, and say why. */
function blobsOf(env: unknown): BlobStore {
  const bucket = binding(env, 'EVIDENCE');
  if (isR2Bucket(bucket)) return r2BlobStore(bucket);
  return {
    put: () => Promise.reject(new Error('No R2 bucket bound as EVIDENCE')),
    get: () => Promise.resolve(null),
    delete: () => Promise.reject(new Error('No R2 bucket bound as EVIDENCE')),
  };
}

function binding(env: unknown, name: string): unknown {
  return typeof env === 'object' && env !== null && name in env ? (env as Record<string, unknown>)[name] : undefined;
}

function isR2Bucket(v: unknown): v is R2Bucket {
  return typeof v === 'object' && v !== null && 'put' in v && 'get' in v && typeof v.put === 'function';
}

function isQueue(v: unknown): v is UnitQueue {
  return typeof v === 'object' && v !== null && 'sendBatch' in v && typeof v.sendBatch === 'function';
}

function openPool(config: Config, log: Logger): { pool: Pool; db: Db } {
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required on Workers');
  const pool = new Pool({ connectionString: config.databaseUrl });
  // An idle client's "connection lost" must not surface as an unhandled error.
  pool.on('error', (err: unknown) => log.warn('database pool error', errorFields(err)));
  releaseLostClients(pool);
  return { pool, db: enableNamedStatements(drizzle(pool, { schema })) };
}

/** A request's services: its pool, and its deferred work (replies, evidence) that the pool must outlive. */
function requestServices(c: Context<AppEnv>, config: Config, log: Logger, channels: ChannelResolver): RequestServices {
  const { pool, db } = openPool(config, log);
  const deferred: Promise<unknown>[] = [];
  const deps = buildDeps({
    config,
    db,
    log,
    channels,
    blobs: blobsOf(c.env),
    reportFonts: workerReportFonts,
    defer: (work) => deferred.push(work),
    // Cloudflare sets CF-Connecting-IP on every request it forwards; a client cannot choose it here.
    clientAddress: (req) => req.headers.get('cf-connecting-ip') ?? 'unknown',
  });
  return {
    deps,
    release: () => c.executionCtx.waitUntil(Promise.allSettled(deferred).then(() => pool.end())),
  };
}

/** The cron and the consumer's services: a pool for the invocation, deferred work kept alive by waitUntil. */
function invocation(env: unknown, ctx: ExecutionContext) {
  const { config, log, channels } = isolate(env);
  const { pool, db } = openPool(config, log);
  const deps = buildDeps({ config, db, log, channels, blobs: blobsOf(env), defer: (work) => ctx.waitUntil(work) });
  return { deps: { ...deps, retryBaseSeconds: config.unitRetrySeconds }, end: () => ctx.waitUntil(pool.end()) };
}

export default {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response> {
    return isolate(env).app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: unknown, ctx: ExecutionContext): Promise<void> {
    const { deps, end } = invocation(env, ctx);
    try {
      const queue = binding(env, 'UNITS');
      if (!isQueue(queue)) throw new Error('No queue bound as UNITS: see wrangler.toml and the README');
      await produceUnits(deps, queue, controller.scheduledTime, Date.now());
    } finally {
      end();
    }
  },

  async queue(batch: MessageBatch, env: unknown, ctx: ExecutionContext): Promise<void> {
    const { deps, end } = invocation(env, ctx);
    try {
      // The dead-letter queue is consumed by this Worker too: its name ends in "-dlq" (wrangler.toml).
      if (batch.queue.endsWith('-dlq')) await consumeDeadUnits(deps, batch.messages, Date.now);
      else await consumeUnits(deps, batch.messages, Date.now);
    } finally {
      end();
    }
  },
} satisfies ExportedHandler;
