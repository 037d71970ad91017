// The app as tests drive it: a real database, the fake LINE server, signed webhooks over Hono's fetch,
// an injectable clock, and a way to wait for the replies sent after commit.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../src/app.js';
import { fsBlobStore } from '../../src/runtime/fs-blobs.js';
import { nodeReportFonts } from '../../src/runtime/node-report-fonts.js';
import type { DemoSeed } from '../../src/demo/seed.js';
import { DESTINATION, followAppClock, followedClock } from './events.js';
import { DEMO_PEOPLE } from '../../src/demo/demo-data.js';
import { parseEnv } from '../../src/config/env.js';
import { buildDeps, type Deps } from '../../src/deps.js';
import { createTurnBatcher } from '../../src/conversation/batch.js';
import { createLogger } from '../../src/log.js';
import { signLineBody } from '../../src/line/signature.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { startFakeLine, type FakeLine } from './fake-line.js';

export const SECRET = 'a'.repeat(32);
export const TOKEN = 'test-access-token-0123456789';
export const ADMIN = 'admin-token-0123456789';
export const SECRETS_KEY = 'k'.repeat(40);

/** Where every harness's clock starts (generated events are stamped around it). */
export const HARNESS_EPOCH = Date.parse('2026-11-20T02:00:00Z');

export interface Harness {
  db: TestDatabase;
  line: FakeLine;
  deps: Deps;
  logs: string[];
  clock: { now: number };
  /** With `listen`: where the app answers on a loopback port (also its PUBLIC_BASE_URL), for a real browser. */
  base?: string;
  /** `client`: the socket address the request comes from, as @hono/node-server hands it over (default 127.0.0.1). */
  fetch(path: string, init?: RequestInit, client?: string): Promise<Response>;
  /** Signs with `secret` (the env channel's by default) and posts to `path`. */
  webhook(body: unknown, opts?: { path?: string; secret?: string; signature?: string }): Promise<Response>;
  /** Waits for every reply sent after the responses so far. */
  settle(): Promise<void>;
  /** Posts events to the env channel (expecting 200), waits, and returns the bodies of the replies they caused. */
  post(...events: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    poolSize?: number;
    pglite?: boolean;
    pgliteDir?: string;
    env?: Record<string, string>;
    /** Also serve the app on a loopback port (Node's server), for Chromium; PUBLIC_BASE_URL points at it. */
    listen?: boolean;
    /** false: every turn on the single path (runTurn), without Node's batcher. */
    batch?: boolean;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase({
    ...(opts.poolSize === undefined ? {} : { poolSize: opts.poolSize }),
    ...(opts.pglite === undefined ? {} : { pglite: opts.pglite }),
    ...(opts.pgliteDir === undefined ? {} : { pgliteDir: opts.pgliteDir }),
  });
  const line = await startFakeLine();
  // The server starts before the app exists (its port is the app's PUBLIC_BASE_URL); requests wait for the app.
  const served: { fetch?: (req: Request, env: unknown) => Response | Promise<Response> } = {};
  const server = opts.listen
    ? await new Promise<ServerType>((resolve) => {
        const s = serve(
          {
            fetch: (req, env) => served.fetch?.(req, env) ?? new Response('starting', { status: 503 }),
            port: 0,
            hostname: '127.0.0.1',
          },
          () => resolve(s),
        );
      })
    : undefined;
  const base = server === undefined ? undefined : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = parseEnv({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    ADMIN_TOKEN: ADMIN,
    SECRETS_KEY,
    LOG_LEVEL: 'debug',
    // The env channel belongs to the demo office; tests of other offices link on their registered channels.
    DEFAULT_OFFICE: 'DEMO1',
    ...(base === undefined ? {} : { PUBLIC_BASE_URL: base }),
    ...opts.env,
  });
  const logs: string[] = [];
  const clock = { now: HARNESS_EPOCH };
  const appNow = () => clock.now;
  followAppClock(appNow);
  const pending = new Set<Promise<unknown>>();
  const blobDir = mkdtempSync(join(tmpdir(), 'nithet-blobs-'));
  const deps = buildDeps({
    config,
    db: db.db,
    // Turns as src/node.ts runs them on Postgres: checklist answers through the batcher (a lone one is a batch of 1).
    ...(db.kind === 'postgres' && opts.batch !== false ? { runTurn: createTurnBatcher(db.db).run } : {}),
    blobs: fsBlobStore(blobDir),
    reportFonts: nodeReportFonts,
    log: createLogger('debug', (l) => logs.push(l)),
    now: () => clock.now,
    defer: (work) => {
      const p = work.finally(() => pending.delete(p));
      pending.add(p);
    },
  });
  const app = createApp(() => deps);
  served.fetch = (req, env) => app.fetch(req, env);
  const fetch = async (path: string, init?: RequestInit, client = '127.0.0.1') =>
    app.fetch(new Request(`http://nithet.test${path}`, init), { incoming: { socket: { remoteAddress: client } } });
  const webhook: Harness['webhook'] = async (body, o = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const signature = o.signature ?? (await signLineBody(o.secret ?? SECRET, raw));
    return fetch(o.path ?? '/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signature },
      body: raw,
    });
  };
  const settle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    db,
    line,
    deps,
    logs,
    clock,
    ...(base === undefined ? {} : { base }),
    fetch,
    webhook,
    settle,
    async post(...events) {
      const before = line.replies().length;
      const res = await webhook({ destination: DESTINATION, events });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await settle();
      return line
        .replies()
        .slice(before)
        .map((r) => r.body);
    },
    async close() {
      await Promise.allSettled([...pending]);
      if (server !== undefined) {
        const closing = new Promise<void>((resolve) => server.close(() => resolve()));
        // A browser's keep-alive connections would hold close() open.
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closing;
      }
      await line.close();
      await db.close();
      rmSync(blobDir, { recursive: true, force: true });
      if (followedClock() === appNow) followAppClock(undefined);
      // Log hygiene (PDPA): every test that used this harness fails if the app logged personal data or secrets.
      const leaks = logLeaks(logs, [SECRET, TOKEN, ADMIN, SECRETS_KEY, ...(db.url === undefined ? [] : [db.url])]);
      if (leaks.length > 0) throw new Error(`personal data or secrets in the logs:\n${leaks.join('\n')}`);
    },
  };
}

/** The texts of a recorded reply, flattened (text messages' text, flex altText). */
export function replyTexts(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('messages' in body) || !Array.isArray(body.messages)) return [];
  return body.messages.map((m: unknown) => {
    if (typeof m !== 'object' || m === null) return '';
    if ('text' in m && typeof m.text === 'string') return m.text;
    if ('altText' in m && typeof m.altText === 'string') return m.altText;
    return '';
  });
}

/** Log lines holding a LINE user id, a demo person's name, or one of the given secrets. */
export function logLeaks(logs: string[], secrets: string[]): string[] {
  const names = DEMO_PEOPLE.map((p) => p.displayName);
  return logs.filter(
    (line) =>
      /U[0-9a-f]{32}/.test(line) || names.some((n) => line.includes(n)) || secrets.some((s) => line.includes(s)),
  );
}

/** The demo persona of a role (one each). */
export function persona(demo: DemoSeed, role: string): DemoSeed['personas'][number] {
  const p = demo.personas.find((x) => x.role === role);
  if (p === undefined) throw new Error(`no demo persona ${role}`);
  return p;
}

/** Signs in to the web pages with a token (the deployment's by default) and returns the session's cookie header. */
export async function signInCookie(h: Pick<Harness, 'fetch'>, token = ADMIN, client?: string): Promise<string> {
  const res = await h.fetch(
    '/admin/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://nithet.test' },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    },
    client,
  );
  const set = res.headers.get('set-cookie') ?? '';
  const m = /nithet_admin=([^;]+)/.exec(set);
  if (res.status !== 303 || m === null) throw new Error(`sign-in answered ${res.status}`);
  return `nithet_admin=${m[1] ?? ''}`;
}
