// Cloudflare Workers runtime: fetch + scheduled. Postgres (Neon) through @neondatabase/serverless' Pool,
// one Pool per request or cron run, ended in waitUntil. Only wiring lives here.
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { createApp } from './app.js';
import { type Config, parseEnv } from './config/env.js';
import { enableNamedStatements, type Db } from './db/client.js';
import * as schema from './db/schema.js';
import { buildDeps } from './deps.js';
import { ChannelResolver } from './line/channels.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { tick } from './scheduler/tick.js';
import type { BlobStore } from './checklists/evidence.js';
import { r2BlobStore } from './runtime/r2-blobs.js';

// Per isolate, not per request: parsed config and the channel cache are the same for every request.
interface Isolate {
  env: unknown;
  config: Config;
  log: Logger;
  channels: ChannelResolver;
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
    cached = { env, config, log, channels: new ChannelResolver(config, Date.now) };
  }
  return cached;
}

/** Evidence photos go to the R2 bucket bound as EVIDENCE; without one they stay pending, and say why. */
function blobsOf(env: unknown): BlobStore {
  const bucket = typeof env === 'object' && env !== null && 'EVIDENCE' in env ? env.EVIDENCE : undefined;
  if (isR2Bucket(bucket)) return r2BlobStore(bucket);
  return {
    put: () => Promise.reject(new Error('No R2 bucket bound as EVIDENCE')),
    get: () => Promise.resolve(null),
  };
}

function isR2Bucket(v: unknown): v is R2Bucket {
  return typeof v === 'object' && v !== null && 'put' in v && 'get' in v && typeof v.put === 'function';
}

function openPool(config: Config, log: Logger): { pool: Pool; db: Db } {
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required on Workers');
  const pool = new Pool({ connectionString: config.databaseUrl });
  // An idle client's "connection lost" must not surface as an unhandled error.
  pool.on('error', (err: unknown) => log.warn('database pool error', errorFields(err)));
  return { pool, db: enableNamedStatements(drizzle(pool, { schema })) };
}

export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const { config, log, channels } = isolate(env);
    let pool: Pool | undefined;
    const deferred: Promise<unknown>[] = [];
    const app = createApp(() => {
      const opened = openPool(config, log);
      pool = opened.pool;
      return buildDeps({
        config,
        db: opened.db,
        log,
        channels,
        blobs: blobsOf(env),
        defer: (work) => deferred.push(work),
      });
    });
    try {
      return await app.fetch(request, env, ctx);
    } finally {
      // Replies and evidence fetches run after the response; the pool closes only once they are done.
      const opened = pool;
      ctx.waitUntil(Promise.allSettled(deferred).then(() => opened?.end()));
    }
  },

  async scheduled(controller: ScheduledController, env: unknown, ctx: ExecutionContext): Promise<void> {
    const { config, log, channels } = isolate(env);
    const { pool, db } = openPool(config, log);
    try {
      const deps = buildDeps({ config, db, log, channels, blobs: blobsOf(env), defer: (work) => ctx.waitUntil(work) });
      await tick(deps, controller.scheduledTime);
    } finally {
      ctx.waitUntil(pool.end());
    }
  },
} satisfies ExportedHandler;
