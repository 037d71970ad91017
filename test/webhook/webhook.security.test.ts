// The webhook's front door: nothing runs before the signature is checked; bad input gets 4xx, never 5xx.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLineBody } from '../../src/line/signature.js';
import { WEBHOOK_BODY_LIMIT } from '../../src/line/webhook.routes.js';
import { body, ev } from '../support/events.js';
import { SECRET, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const nothingHappened = async () => {
  await h.settle();
  expect(await count(h.db.db, sql`processed_events`)).toBe(0);
  expect(await count(h.db.db, sql`conversations`)).toBe(0);
  expect(h.line.requests).toHaveLength(0);
};

describe('POST /webhook security', () => {
  const payload = body(ev.follow());

  it.each([
    ['no signature', undefined],
    ['a wrong signature', 'x'.repeat(43) + '='],
    ['a non-base64 signature', '***'],
    ['a signature made with another secret', 'other'],
  ])('answers 401 to %s and touches nothing', async (_, sig) => {
    const raw = JSON.stringify(payload);
    const signature = sig === 'other' ? await signLineBody('b'.repeat(32), raw) : sig;
    const res = await h.fetch('/webhook', {
      method: 'POST',
      headers: signature === undefined ? {} : { 'x-line-signature': signature },
      body: raw,
    });
    expect(res.status).toBe(401);
    // The body names the request's id, which the X-Request-Id header carries too (and every log line of it).
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Invalid signature', requestId } });
    await nothingHappened();
  });

  it('rejects a body whose bytes changed after signing (the signature covers the raw body)', async () => {
    const raw = JSON.stringify(payload);
    const signature = await signLineBody(SECRET, raw);
    const res = await h.fetch('/webhook', {
      method: 'POST',
      headers: { 'x-line-signature': signature },
      body: raw.replace('"follow"', '"follow" '),
    });
    expect(res.status).toBe(401);
    await nothingHappened();
  });

  it('answers 413 over the size limit, by Content-Length', async () => {
    const res = await h.webhook('x'.repeat(WEBHOOK_BODY_LIMIT + 1));
    expect(res.status).toBe(413);
    await nothingHappened();
  });

  it('answers 413 over the size limit for a chunked body with no Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > WEBHOOK_BODY_LIMIT) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await h.fetch('/webhook', {
      method: 'POST',
      headers: { 'x-line-signature': 'AAAA' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    await nothingHappened();
  });

  it.each([
    ['malformed JSON', '{"events": ['],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')],
    ['JSON that is not a webhook body', '[1,2,3]'],
    ['events that is not an array', '{"destination":"x","events":{}}'],
  ])('answers 400 to correctly signed %s', async (_, raw) => {
    const res = await h.webhook(raw);
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('bad_request');
    await nothingHappened();
  });

  it("answers LINE's verification request (no events) with 200 and no database work", async () => {
    const res = await h.webhook(body());
    expect(res.status).toBe(200);
    await nothingHappened();
  });

  it('answers 404 for an unknown registered channel, without revealing anything', async () => {
    const res = await h.webhook(payload, { path: '/webhook/no-such-channel' });
    expect(res.status).toBe(404);
    await nothingHappened();
  });

  it('ignores unknown event types and unreadable events with 200', async () => {
    const res = await h.webhook(
      body(
        { ...ev.follow(), type: 'somethingNew', somethingNew: { x: 1 } },
        { type: 'message' }, // no webhookEventId/timestamp: unreadable
        { ...ev.text('hi'), message: { type: 'brandNewKind', id: '9' } },
      ),
    );
    expect(res.status).toBe(200);
    await nothingHappened();
    expect(h.logs.some((l) => l.includes('unsupported type'))).toBe(true);
  });
});
