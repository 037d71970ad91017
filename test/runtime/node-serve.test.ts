// Node's server answers the webhook from node:http directly (src/runtime/node-serve.ts): the same answers as the
// Hono route for every case of the front door, and everything else still through Hono.
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { signLineBody } from '../../src/line/signature.js';
import { WEBHOOK_BODY_LIMIT } from '../../src/line/webhook.routes.js';
import { serveNode } from '../../src/runtime/node-serve.js';
import { body, ev } from '../support/events.js';
import { SECRET, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

let h: Harness;
let server: Server;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  await new Promise<void>((resolve) => {
    server = serveNode({ fetch: createApp(() => h.deps).fetch, deps: h.deps, port: 0, hostname: '127.0.0.1' }, (a) => {
      base = `http://127.0.0.1:${a.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await h.close();
});

/** Status, JSON body (request id left out) and content type, from Node's server and from the Hono app. */
async function both(path: string, init: RequestInit) {
  const answer = async (res: Response) => {
    const json: { error?: { requestId?: string } } = await res.json();
    const requestId = res.headers.get('x-request-id');
    if (json.error !== undefined) {
      expect(json.error.requestId).toBe(requestId);
      delete json.error.requestId;
    }
    return { status: res.status, type: res.headers.get('content-type'), json, hasId: requestId !== null };
  };
  const node = await answer(await fetch(`${base}${path}`, init));
  const hono = await answer(await h.fetch(path, init));
  return { node, hono };
}

const signed = async (raw: string, secret = SECRET) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-line-signature': await signLineBody(secret, raw) },
  body: raw,
});

describe('Node server: lean webhook path', () => {
  it('answers 200 {} and handles the events (the same code as the Hono route)', async () => {
    const res = await fetch(`${base}/webhook`, await signed(JSON.stringify(body(ev.follow()))));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({});
    await h.settle();
    expect(await count(h.db.db, sql`processed_events`)).toBe(1);
    expect(h.line.replies()).toHaveLength(1);
  });

  it('keeps a plain X-Request-Id from a proxy, as the app does', async () => {
    const res = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'x-request-id': 'edge-42' }, body: '{}' });
    expect(res.headers.get('x-request-id')).toBe('edge-42');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', requestId: 'edge-42' } });
  });

  it.each([
    ['no signature', '/webhook', () => Promise.resolve({ method: 'POST', body: JSON.stringify(body(ev.follow())) })],
    ['a wrong secret', '/webhook', async () => signed(JSON.stringify(body(ev.follow())), 'b'.repeat(32))],
    ['signed bytes that are not JSON', '/webhook', async () => signed('{"events": [')],
    ['signed JSON that is not a LINE request', '/webhook', async () => signed('{"events": 1}')],
    ['a Verify request (no events)', '/webhook', async () => signed('{"destination":"U1","events":[]}')],
    ['an unknown channel', '/webhook/no-such-channel', async () => signed('{}')],
    ['a body over the limit', '/webhook', async () => signed('x'.repeat(WEBHOOK_BODY_LIMIT + 1))],
  ])('answers %s exactly as the Hono route does', async (_, path, init) => {
    const { node, hono } = await both(path, await init());
    expect(node).toEqual(hono);
    expect(node.hasId).toBe(true);
  });

  it('leaves every other request to Hono', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'up' });
    const { node, hono } = await both('/webhook?x=%00', await signed('{}'));
    expect(node).toEqual(hono);
    expect(node.status).toBe(400);
  });
});
