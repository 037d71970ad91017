// Named prepared statements through PgBouncer in transaction mode, which is how Neon pools (the `-pooler` host),
// with Node's pool warmed first (NodeDatabase.warm, as src/node.ts does).
// The test starts Debian's pgbouncer on a free port in front of the machine's PostgreSQL (127.0.0.1:5432, or
// DATABASE_URL's server), with fewer server connections than clients so statements of different clients meet on
// one server connection, and runs conversation turns through it: with node-postgres in this process, and with
// the Neon driver inside the Worker on workerd (through the WebSocket proxy, as Neon's own proxy does). Migrations
// go straight to the server (Neon's direct host). Every turn is committed exactly once either way: PgBouncer
// 1.21+ with max_prepared_statements (Neon's setting) keeps the names per client, and older ones (Debian 12 has
// 1.18) make the server answer 42P05/26000 once, after which the process runs the statements unnamed.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { namedStatementsGivenUp, queryRows } from '../../src/db/client.js';
import { type NodeDatabase, openNodeDatabase } from '../../src/db/node.js';
import { warmHotStatements } from '../../src/conversation/warm.queries.js';
import { buildDeps } from '../../src/deps.js';
import { signLineBody } from '../../src/line/signature.js';
import { createLogger } from '../../src/log.js';
import { withDatabase } from '../support/db.js';
import { body, ev, userId } from '../support/events.js';
import { startFakeLine, type FakeLine } from '../support/fake-line.js';
import { SECRET, TOKEN } from '../support/harness.js';
import { type PgBouncer, startPgBouncer } from '../support/pgbouncer.js';
import { startWranglerDev, type WranglerDev } from '../support/wrangler.js';
import { startWsProxy, type WsProxy } from '../support/ws-proxy.js';

const BASE = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const NAME = `nithet_bouncer_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
/** Clients per pool, against PgBouncer's 2 server connections. */
const CLIENTS = 8;
const USERS = 24;

let bouncer: PgBouncer | undefined;
let line: FakeLine | undefined;
let direct: NodeDatabase | undefined;
let failed = false;

function ready(): { bouncer: PgBouncer; line: FakeLine; direct: NodeDatabase } {
  if (bouncer === undefined || line === undefined || direct === undefined) throw new Error('beforeAll failed');
  return { bouncer, line, direct };
}

/** Through PgBouncer: the same database name, PgBouncer's port. */
const pooledUrl = () => {
  const u = new URL(withDatabase(BASE, NAME));
  u.host = `127.0.0.1:${ready().bouncer.port}`;
  return u.toString();
};

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  // Migrations on the direct connection, as on Neon.
  direct = await openNodeDatabase({ databaseUrl: withDatabase(BASE, NAME), dataDir: '', poolSize: 2 });
  const server = new URL(BASE);
  bouncer = await startPgBouncer({ host: server.hostname, port: Number(server.port || 5432) }, 2);
  line = await startFakeLine();
}, 60_000);

beforeEach(() => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  if (failed && bouncer !== undefined) console.log(`--- pgbouncer output ---\n${bouncer.output()}`);
  await bouncer?.stop();
  await line?.close();
  await direct?.close();
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
}, 60_000);

/** Two turns per user (follow, then a text), users in parallel: every webhook answered 200. */
async function runTurns(post: (raw: string, signature: string) => Promise<Response>, prefix: string) {
  const statuses: number[] = [];
  const users = Array.from({ length: USERS }, (_, i) => userId(`${prefix}-${i}`));
  await Promise.all(
    users.map(async (user) => {
      for (const event of [ev.follow({ user }), ev.text('สวัสดีครับ', { user })]) {
        const raw = JSON.stringify(body(event));
        const res = await post(raw, await signLineBody(SECRET, raw));
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    }),
  );
  return { statuses, users };
}

/** What the turns committed: one conversation per user, each at version 2 (two turns). */
async function committed(users: string[]) {
  const { direct } = ready();
  const [c] = await queryRows<{ conversations: number; versions: number }>(
    direct.db,
    sql`SELECT count(*)::int AS conversations, count(*) FILTER (WHERE version = 2)::int AS versions
          FROM conversations WHERE line_user_id = ANY(${sql.param(users)}::text[])`,
  );
  return c;
}

describe('turns through PgBouncer in transaction mode', () => {
  it('node-postgres: every turn commits once, with names kept (1.21+) or given up once (older)', async () => {
    const { bouncer, line } = ready();
    const pooled = await openNodeDatabase({ databaseUrl: pooledUrl(), dataDir: '', migrate: false, poolSize: CLIENTS });
    try {
      // Warmed as src/node.ts warms its pool: statements prepared on each client before the first turn.
      await pooled.warm((db) => warmHotStatements(db, new Date().toISOString()));
      const logs: string[] = [];
      const config = parseEnv({
        LINE_CHANNEL_SECRET: SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
        LINE_API_BASE_URL: line.url,
        LINE_DATA_API_BASE_URL: line.url,
      });
      const pending: Promise<unknown>[] = [];
      const deps = buildDeps({
        config,
        db: pooled.db,
        log: createLogger('debug', (l) => logs.push(l)),
        blobs: {
          put: () => Promise.reject(new Error('no blobs here')),
          get: () => Promise.resolve(null),
          delete: () => Promise.resolve(),
        },
        defer: (work) => pending.push(work),
      });
      const app = createApp(() => deps);
      line.reset();
      const { statuses, users } = await runTurns(
        async (raw, signature) =>
          app.fetch(
            new Request('http://nithet.test/webhook', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-line-signature': signature },
              body: raw,
            }),
          ),
        'pgb-node',
      );
      await Promise.allSettled(pending);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(await committed(users)).toMatchObject({ conversations: USERS, versions: USERS });
      expect(line.replies()).toHaveLength(2 * USERS);
      expect(line.invalid()).toEqual([]);
      expect(logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
      expect(namedStatementsGivenUp(pooled.db)).toBe(!bouncer.keepsNames);
    } finally {
      await pooled.close();
    }
  }, 120_000);

  describe('the Neon driver in the Worker (workerd), through the WebSocket proxy', () => {
    let proxy: WsProxy | undefined;
    let worker: WranglerDev | undefined;
    beforeAll(async () => {
      const { line } = ready();
      proxy = await startWsProxy();
      worker = await startWranglerDev({
        LINE_CHANNEL_SECRET: SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
        LINE_API_BASE_URL: line.url,
        LINE_DATA_API_BASE_URL: line.url,
        DATABASE_URL: pooledUrl(),
        NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v1`,
      });
    }, 120_000);
    afterAll(async () => {
      if (failed && worker !== undefined) console.log(`--- wrangler dev output ---\n${worker.output()}`);
      await worker?.stop();
      await proxy?.close();
    }, 60_000);

    it('every turn commits once and is answered', async () => {
      const { line } = ready();
      if (worker === undefined) throw new Error('wrangler dev did not start');
      const url = `${worker.url}/webhook`;
      line.reset();
      const { statuses, users } = await runTurns(
        (raw, signature) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-line-signature': signature },
            body: raw,
          }),
        'pgb-neon',
      );
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(await committed(users)).toMatchObject({ conversations: USERS, versions: USERS });
      await expect.poll(() => line.replies().length, { timeout: 15_000 }).toBe(2 * USERS);
      expect(line.invalid()).toEqual([]);
      expect(worker.output()).not.toMatch(/"level":"error"/);
    }, 120_000);
  });
});
