// Every request has an id: the X-Request-Id header, the error body's requestId and every log line of that request
// carry the same one; a proxy's X-Request-Id is kept, anything else gets a fresh UUID. The database here is a real
// PGlite, closed so that every query fails (what the logs of a database outage look like).
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;
const lines: { msg: string; requestId?: string }[] = [];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestDatabase({ pglite: true });
  const deps = buildDeps({
    config: parseEnv({}),
    db: t.db,
    log: createLogger('debug', (l) => lines.push(JSON.parse(l) as { msg: string; requestId?: string })),
    blobs: {
      put: () => Promise.reject(new Error('none')),
      get: () => Promise.resolve(null),
      delete: () => Promise.resolve(),
    },
    defer: () => {},
  });
  app = createApp(() => deps);
  await t.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('an error body names the request, as its header does', async () => {
    const res = await app.fetch(new Request('http://nithet.test/no/such/page'));
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found', requestId: id } });
    const other = await app.fetch(new Request('http://nithet.test/no/such/page'));
    expect(other.headers.get('x-request-id')).not.toBe(id);
  });

  it('every log line of a request carries its id', async () => {
    lines.length = 0;
    const res = await app.fetch(new Request('http://nithet.test/health'));
    expect(res.status).toBe(503);
    const id = res.headers.get('x-request-id');
    expect(lines.map((l) => l.msg)).toEqual(['health: database down']);
    expect(lines.every((l) => l.requestId === id)).toBe(true);
  });

  it('keeps a proxy’s X-Request-Id, and replaces one that is not a plain token', async () => {
    const kept = await app.fetch(new Request('http://nithet.test/x', { headers: { 'x-request-id': 'edge-42_abc' } }));
    expect(kept.headers.get('x-request-id')).toBe('edge-42_abc');
    const replaced = await app.fetch(
      new Request('http://nithet.test/x', { headers: { 'x-request-id': 'a b"<script>' } }),
    );
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
  });
});
