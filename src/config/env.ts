// Environment, parsed once at each runtime's boundary. The core receives a typed Config and never reads process.env.
import * as z from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envSchema = z.object({
  LINE_CHANNEL_SECRET: optionalString,
  LINE_CHANNEL_ACCESS_TOKEN: optionalString,
  SECRETS_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'SECRETS_KEY must be at least 32 characters',
  }),
  LINE_API_BASE_URL: z.url().default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: z.url().default('https://api-data.line.me'),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('.data'),
  ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'ADMIN_TOKEN must be at least 16 characters',
  }),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DEV: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * Node only: how many reverse proxies in front of this server append to X-Forwarded-For. 0 (the default) means
   * none: the client's address is the socket's, and X-Forwarded-For is ignored. On Workers, CF-Connecting-IP.
   */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** The office (code) the env channel (`POST /webhook`) belongs to: only its invite codes link there. */
  DEFAULT_OFFICE: optionalString,
  /** Where people reach this server, for links sent in chat (web sign-in). Node: http://localhost:$PORT. */
  PUBLIC_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/\s]+\/?$/.test(v), {
    message: 'PUBLIC_BASE_URL must be an origin such as https://nithet.example.go.th',
  }),
  /** Workers only, for local tests: host:port/path of a WebSocket-to-TCP proxy in front of a plain Postgres. */
  NEON_WS_PROXY: optionalString,
  /** Seconds before the first retry of a failed unit of scheduled work (doubling after); tests shorten it. */
  UNIT_RETRY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

export interface Config {
  lineChannelSecret: string | undefined;
  lineChannelAccessToken: string | undefined;
  secretsKey: string | undefined;
  lineApiBaseUrl: string;
  lineDataApiBaseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  port: number;
  /** The /dev simulator is served only without a real LINE secret, or when DEV=1. */
  devMode: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  neonWsProxy: string | undefined;
  unitRetrySeconds: number;
  trustedProxies: number;
  /** The env channel's office code; unset: the deployment's only office (with several, no invite links there). */
  defaultOffice: string | undefined;
  /** Without a trailing slash; unset on Workers: the origin the webhook was called at. */
  publicBaseUrl: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseEnv(env: Record<string, unknown>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable, never echo its value: values are secrets.
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    lineChannelSecret: e.LINE_CHANNEL_SECRET,
    lineChannelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN,
    secretsKey: e.SECRETS_KEY,
    lineApiBaseUrl: e.LINE_API_BASE_URL.replace(/\/$/, ''),
    lineDataApiBaseUrl: e.LINE_DATA_API_BASE_URL.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    port: e.PORT,
    devMode: e.LINE_CHANNEL_SECRET === undefined || e.DEV === '1',
    logLevel: e.LOG_LEVEL,
    neonWsProxy: e.NEON_WS_PROXY,
    unitRetrySeconds: e.UNIT_RETRY_SECONDS,
    trustedProxies: e.TRUSTED_PROXIES,
    defaultOffice: e.DEFAULT_OFFICE,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
  };
}
