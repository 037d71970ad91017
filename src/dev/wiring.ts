// Dev mode's wiring, shared by node.ts and the simulator test so both run the same thing: without a LINE secret
// (or with DEV=1) the env channel gets a secret and token generated in memory, and the LINE API hosts point at
// this app itself (its fake LINE API at /v2/bot/…, see dev-line.ts), so the real LINE client, signature check and outbox are all on the path.
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { Config } from '../config/env.js';
import type { AppEnv } from '../deps.js';
import type { DemoSeed } from '../demo/seed.js';
import { DEMO_OFFICE } from '../demo/demo-data.js';
import { DevClock } from './clock.js';
import { DevLine } from './dev-line.js';
import { personasOf } from './personas.js';
import { devRoutes } from './routes.js';
import { DevSimulator } from './simulator.js';

type Env = Record<string, string | undefined>;

const set = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** Whether `env` asks for dev mode: the same rule as config.devMode (no LINE secret, or DEV=1). */
export function wantsDevMode(env: Env): boolean {
  return !set(env.LINE_CHANNEL_SECRET) || env.DEV?.trim() === '1';
}

/**
 * The environment the app runs with in dev mode: generated channel credentials where none are set (never printed
 * or logged) and the LINE hosts at this app unless set explicitly. DEV=1 keeps config.devMode on
 * once a secret exists. Outside dev mode `env` is returned unchanged.
 */
export function devEnv(env: Env, port: number): Env {
  if (!wantsDevMode(env)) return env;
  const fake = `http://127.0.0.1:${port}`;
  return {
    ...env,
    DEV: '1',
    LINE_CHANNEL_SECRET: set(env.LINE_CHANNEL_SECRET) ? env.LINE_CHANNEL_SECRET : randomBytes(16).toString('hex'),
    LINE_CHANNEL_ACCESS_TOKEN: set(env.LINE_CHANNEL_ACCESS_TOKEN)
      ? env.LINE_CHANNEL_ACCESS_TOKEN
      : `dev-${randomBytes(24).toString('base64url')}`,
    LINE_API_BASE_URL: set(env.LINE_API_BASE_URL) ? env.LINE_API_BASE_URL : fake,
    LINE_DATA_API_BASE_URL: set(env.LINE_DATA_API_BASE_URL) ? env.LINE_DATA_API_BASE_URL : fake,
    // The env channel is the demo office's (its invite codes are the personas').
    DEFAULT_OFFICE: set(env.DEFAULT_OFFICE) ? env.DEFAULT_OFFICE : DEMO_OFFICE.code,
    // The web pages exist only with a deployment token: one nobody knows, so a persona's `เข้าเว็บ` link works.
    ADMIN_TOKEN: set(env.ADMIN_TOKEN) ? env.ADMIN_TOKEN : randomBytes(24).toString('base64url'),
  };
}

export interface DevKit {
  clock: DevClock;
  simulator: DevSimulator;
  /** For createApp's extraRoutes: mounts /dev and the fake LINE API. */
  mount: (app: Hono<AppEnv>) => void;
}

/** The clock exists before the deps (they take its `now`); the simulator needs the seed, made with the deps. */
export function createDevClock(): DevClock {
  return new DevClock();
}

/**
 * The simulator and its routes, or undefined outside dev mode: then /dev and the fake LINE API do not exist at
 * all (404), whatever is asked. Needs the env channel's credentials, which devEnv supplies.
 */
export function createDevKit(opts: {
  config: Pick<Config, 'devMode' | 'lineChannelSecret' | 'lineChannelAccessToken'>;
  clock: DevClock;
  seed: DemoSeed;
  selfUrl: string;
}): DevKit | undefined {
  const { devMode, lineChannelSecret, lineChannelAccessToken } = opts.config;
  if (!devMode || lineChannelSecret === undefined || lineChannelAccessToken === undefined) return undefined;
  const line = new DevLine(lineChannelAccessToken, opts.clock.now);
  const simulator = new DevSimulator({
    line,
    clock: opts.clock,
    personas: personasOf(opts.seed),
    channelSecret: lineChannelSecret,
    selfUrl: opts.selfUrl,
  });
  return {
    clock: opts.clock,
    simulator,
    mount: (app) => {
      app.route('/', line.routes());
      app.route('/dev', devRoutes(simulator));
    },
  };
}
