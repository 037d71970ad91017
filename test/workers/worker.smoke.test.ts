// End to end on workerd: `wrangler dev` runs src/worker.ts, the Neon driver reaches a local Postgres (or PGlite
// over TCP) through the WebSocket proxy, and replies go to the fake LINE server. Catches what Node tests cannot:
// modules that fail to load on Workers, the per-request Pool, waitUntil-deferred replies, the cron entry.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { upsertOffice } from '../../src/admin/admin.queries.js';
import { queryRows } from '../../src/db/client.js';
import { signLineBody } from '../../src/line/signature.js';
import { body, ev, userId } from '../support/events.js';
import { startFakeLine, type FakeLine } from '../support/fake-line.js';
import { ADMIN, replyTexts, SECRET, TOKEN } from '../support/harness.js';
import { startWranglerDev, type WranglerDev } from '../support/wrangler.js';
import { openWorkerDatabase, type WorkerDb } from '../support/worker-db.js';
import { startWsProxy, type WsProxy } from '../support/ws-proxy.js';

const sign = (raw: string, secret = SECRET) => signLineBody(secret, raw);
const isReply = (path: string) => path === '/v2/bot/message/reply';

let database: WorkerDb | undefined;
let proxy: WsProxy | undefined;
let line: FakeLine | undefined;
let worker: WranglerDev | undefined;
let failed = false;

function started(): { database: WorkerDb; line: FakeLine; worker: WranglerDev } {
  if (database === undefined || line === undefined || worker === undefined) throw new Error('beforeAll failed');
  return { database, line, worker };
}

async function post(raw: string, signature: string): Promise<Response> {
  return fetch(`${started().worker.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': signature },
    body: raw,
  });
}

beforeAll(async () => {
  database = await openWorkerDatabase();
  proxy = await startWsProxy();
  line = await startFakeLine();
  await upsertOffice(database.db, { code: 'SMOKE', nameTh: 'สำนักงานทดสอบเวิร์กเกอร์', nameEn: null });
  const t0 = Date.now();
  worker = await startWranglerDev({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    DATABASE_URL: database.url,
    NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v1`,
    ADMIN_TOKEN: ADMIN,
  });
  console.log(`wrangler dev answered /health after ${Date.now() - t0} ms`);
}, 120_000);

// workerd's own log (uncaught errors, the Worker's JSON logs) is the first thing to read when this file fails.
beforeEach(() => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  if (failed && worker !== undefined) console.log(`--- wrangler dev output ---\n${worker.output()}`);
  // Worker first, so no request holds a database connection while the database goes away.
  await worker?.stop();
  await proxy?.close();
  await line?.close();
  await database?.close();
}, 60_000);

describe('the Worker on workerd', () => {
  const follow = ev.follow({ user: userId('workers-smoke') });
  const followRaw = JSON.stringify(body(follow));

  it('reports a reachable database on /health', async () => {
    const { worker } = started();
    const res = await fetch(`${worker.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'up' });
  });

  it('rejects a webhook with a wrong signature', async () => {
    const raw = JSON.stringify(body(ev.follow({ user: userId('intruder') })));
    const res = await post(raw, await sign(raw, 'b'.repeat(32)));
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });

  it('answers a follow with the privacy notice and stores the conversation', async () => {
    const { database, line } = started();
    const res = await post(followRaw, await sign(followRaw));
    expect(res.status).toBe(200);
    await res.arrayBuffer();

    // The reply is sent in waitUntil after the response, so wait for it to reach the fake server.
    const reply = await line.waitFor((r) => isReply(r.path), 10_000);
    expect(reply.errors).toEqual([]);
    expect(reply.valid).toBe(true);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ replyToken: follow.replyToken });
    expect(replyTexts(reply.body).join('\n')).toContain('PDPA');

    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM conversations WHERE line_user_id = ${follow.source.userId}`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('handles a redelivered event once', async () => {
    const { line } = started();
    const res = await post(followRaw, await sign(followRaw));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    // Nothing to wait for when it works; give a wrong second reply the time it would take to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(line.requests.filter((r) => isReply(r.path))).toHaveLength(1);
  });

  it('answers an error with the request id of its header, from an app built once for the isolate', async () => {
    const { worker } = started();
    const res = await fetch(`${worker.url}/no/such/page`);
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found', requestId: id } });
    // Every request so far went to one isolate, which built its config, logger and app once.
    expect(worker.output().match(/"msg":"isolate.ready"/g)).toHaveLength(1);
  });

  it('embeds Sarabun in the report page from the fonts uploaded beside the script', async () => {
    const { worker } = started();
    const res = await fetch(`${worker.url}/admin/api/v1/offices/SMOKE/reports/office?year=2569`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('สำนักงานทดสอบเวิร์กเกอร์');
    // Four faces (Thai and Latin, regular and bold), each a whole WOFF2 file: its signature, then its length.
    const faces = [...html.matchAll(/url\(data:font\/woff2;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) =>
      Buffer.from(m[1] ?? '', 'base64'),
    );
    expect(faces).toHaveLength(4);
    for (const face of faces) {
      expect(face.subarray(0, 4).toString('latin1')).toBe('wOF2');
      expect(face.readUInt32BE(8)).toBe(face.length);
    }
    expect(worker.output()).not.toContain('report.fonts_missing');
  });

  it('runs the scheduled handler', async () => {
    const { worker } = started();
    const res = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*`);
    // Miniflare answers 200 "ok" only when the handler (and its waitUntil work) settled without throwing.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    // The cron only enqueues the slot's units of work (test/workers/queues.test.ts follows them through the queue).
    await expect.poll(() => worker.output(), { timeout: 5_000 }).toMatch(/"msg":"units.enqueued"/);
  });
});
