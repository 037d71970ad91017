// Malformed input gets a 400 or a 413, never a 500 (issue 12.2, 12.6): a body over 1 MiB on every JSON route,
// a NUL in any string of a body, a query or a path (named), and cursors that are not ours.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/admin/page.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

let h: Harness;
let api: Api;
let personId: string;
let campaignId: string;
beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  await seedDemo(h.db.db, h.clock.now);
  const people = await api('GET', '/offices/DEMO1/people?limit=1');
  personId = String((people.json.items as { id: string }[])[0]?.id);
  const camp = await api('POST', '/offices/DEMO1/campaigns', {
    titleTh: 'สำรวจทดสอบขนาด',
    checklistKey: 'needs-survey',
    roles: ['teacher'],
    dueAt: '2026-12-31',
  });
  campaignId = String(camp.json.id);
});
afterAll(() => h.close());

const JSON_ROUTES: [string, string][] = [
  ['POST', '/offices'],
  ['PATCH', '/offices/DEMO1'],
  ['PUT', '/offices/DEMO1/channel'],
  ['POST', '/offices/DEMO1/clusters'],
  ['POST', '/offices/DEMO1/schools'],
  ['POST', '/offices/DEMO1/people'],
  ['PATCH', '/offices/DEMO1/people/:person'],
  ['POST', '/offices/DEMO1/invites'],
  ['POST', '/offices/DEMO1/assignments'],

  ['POST', '/offices/DEMO1/campaigns'],
  ['PATCH', '/offices/DEMO1/campaigns/:campaign'],
  ['POST', '/offices/DEMO1/visits/plan'],
  ['POST', '/offices/DEMO1/calendar'],
  ['POST', '/offices/DEMO1/tokens'],
];

/** A JSON document one byte over 1 MiB: a long string in an otherwise plausible body. */
const over = `{"x":"${'ก'.repeat(Math.ceil((1024 * 1024) / 3))}"}`;

const send = (method: string, path: string, body: BodyInit, extra: RequestInit = {}) =>
  h.fetch(`/admin/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body,
    ...extra,
  });

describe('JSON body limit (1 MiB)', () => {
  it.each(JSON_ROUTES)('%s %s: 413 with Content-Length, and when streamed without one', async (method, route) => {
    const path = () => route.replace(':person', personId).replace(':campaign', campaignId);
    const declared = await send(method, path(), over);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const bytes = new TextEncoder().encode(over);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < bytes.length; i += 65536) ctl.enqueue(bytes.slice(i, i + 65536));
        ctl.close();
      },
    });
    const chunked = await send(method, path(), stream, { duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});

describe('a route that needs more (checklist definitions and XLSForm workbooks, as imports: 5 MB)', () => {
  it('POST …/checklists: 413 past 5 MB, declared or streamed', async () => {
    const big = `{"x":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    expect((await send('POST', '/offices/DEMO1/checklists', big)).status).toBe(413);
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < bytes.length; i += 65536) ctl.enqueue(bytes.slice(i, i + 65536));
        ctl.close();
      },
    });
    expect((await send('POST', '/offices/DEMO1/checklists', stream, { duplex: 'half' } as RequestInit)).status).toBe(
      413,
    );
  });
});

describe('NUL is refused in every string of a body, a query and a path, naming the field', () => {
  it('in a body, nested in a bulk row', async () => {
    const before = await count(h.db.db, sql`schools`);
    const res = await api('POST', '/offices/DEMO1/schools', {
      schools: [{ code: '1234567890', nameTh: 'โรงเรียน\u0000ทดสอบ' }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.issues).toEqual([{ field: 'schools.0.nameTh', message: expect.stringContaining('NUL') }]);
    expect(await count(h.db.db, sql`schools`)).toBe(before);
  });

  it('in a checklist definition (not parsed by a zod schema of the route)', async () => {
    const res = await api('POST', '/offices/DEMO1/checklists', {
      schema: 'nithet.checklist/1',
      key: 'nul-test',
      version: 1,
      title: { th: 'ทดสอบ\u0000' },
      scope: 'person',
      items: [{ type: 'yes_no', key: 'ok', label: { th: 'ใช่ไหม' } }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.issues?.[0]?.field).toBe('title.th');
  });

  it('in a query parameter and in a path', async () => {
    const q = await api('GET', '/offices/DEMO1/people?q=%00ครู');
    expect(q.status).toBe(400);
    expect(q.json.error?.issues?.[0]?.field).toBe('q');
    const p = await api('GET', '/offices/DEMO%001/people');
    expect(p.status).toBe(400);
    expect(p.json.error?.issues?.[0]?.field).toBe('path');
    const pages = await h.fetch('/admin/offices/DEMO%001');
    expect(pages.status).toBe(400);
  });
});

const LISTS: [string, string[]][] = [
  ['/offices', ['text']],
  ['/offices/DEMO1/clusters', ['text']],
  ['/offices/DEMO1/schools', ['text']],
  ['/offices/DEMO1/people', ['text', 'uuid']],
  ['/offices/DEMO1/invites', ['timestamp', 'uuid']],
  ['/offices/DEMO1/assignments', ['timestamp', 'uuid']],
  ['/offices/DEMO1/checklists', ['text', 'int', 'uuid']],
  ['/offices/DEMO1/campaigns', ['timestamp', 'uuid']],
  ['/offices/DEMO1/visits', ['timestamp', 'uuid']],
  ['/offices/DEMO1/calendar', ['date', 'uuid']],
  ['/offices/DEMO1/tokens', ['timestamp', 'uuid']],
  ['/offices/DEMO1/audit', ['bigint']],
];

describe('cursors are decoded and checked', () => {
  it.each(LISTS)('%s: a cursor of the right length with parts of the wrong kind is a 400', async (path, shape) => {
    const wrong = shape.map((kind) => (kind === 'text' ? '\u0000' : kind === 'uuid' ? 'not-a-uuid' : '31/12/2569'));
    for (const cursor of [encodeCursor(wrong), 'not base64 !', encodeCursor([...wrong, 'extra'])]) {
      const res = await api('GET', `${path}?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, `${path} ${cursor}`).toBe(400);
      expect(res.json.error?.issues?.[0]?.field).toBe('cursor');
    }
  });

  it('random query values on every list route never give a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LISTS.map(([p]) => p)),
        fc.constantFrom('cursor', 'limit', 'q', 'from', 'to', 'role', 'state', 'school', 'action', 'kind'),
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.array(fc.string()).map((a) => encodeCursor(a)),
        ),
        async (path, name, value) => {
          const res = await api('GET', `${path}?${name}=${encodeURIComponent(value)}`);
          expect(res.status, `${path}?${name}=${JSON.stringify(value)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
