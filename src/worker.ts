// Cloudflare Workers runtime: fetch + scheduled. Postgres (Neon) through @neondatabase/serverless' Pool,
// one Pool per request or cron run, ended in waitUntil. Only wiring lives here.
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { createApp } from './app.js';
import { type Config, parseEnv } from './config/env.js';
import type { Db } from './db/client.js';
import * as schema from './db/schema.js';
import { buildDeps } from './deps.js';
import { ChannelResolver } from './line/channels.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { tick } from './scheduler/tick.js';

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

function openPool(config: Config, log: Logger): { pool: Pool; db: Db } {
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required on Workers');
  const pool = new Pool({ connectionString: config.databaseUrl });
  // An idle client's "connection lost" must not surface as an unhandled error.
  pool.on('error', (err: unknown) => log.warn('database pool error', errorFields(err)));
  return { pool, db: drizzle(pool, { schema }) };
}

export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const { config, log, channels } = isolate(env);
    let pool: Pool | undefined;
    const app = createApp(() => {
      const opened = openPool(config, log);
      pool = opened.pool;
      return buildDeps({ config, db: opened.db, log, channels, defer: (work) => ctx.waitUntil(work) });
    });
    try {
      return await app.fetch(request, env, ctx);
    } finally {
      if (pool !== undefined) ctx.waitUntil(pool.end());
    }
  },

  async scheduled(controller: ScheduledController, env: unknown, ctx: ExecutionContext): Promise<void> {
    const { config, log } = isolate(env);
    const { pool, db } = openPool(config, log);
    try {
      await tick({ db, log }, controller.scheduledTime);
    } finally {
      ctx.waitUntil(pool.end());
    }
  },
} satisfies ExportedHandler;
