// The fake LINE server is only worth something if it rejects what LINE rejects: these tests show each
// check can fail, and that faults, retry keys and content downloads behave as the bot's tests expect.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLine, validateMessagingRequest, type FakeLine } from './fake-line.js';

const AUTH = { authorization: 'Bearer test-token' };
// vitest's asymmetric matchers are typed `any`; parking them in `unknown` keeps the lint honest.
const aString: unknown = expect.any(String);
const mentions = (part: string): unknown => expect.stringContaining(part);

let line: FakeLine;
beforeEach(async () => {
  line = await startFakeLine();
});
afterEach(async () => {
  await line.close();
});

interface Answer {
  status: number;
  json: unknown;
  headers: Headers;
}
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = AUTH,
): Promise<Answer> {
  const res = await fetch(line.url + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const text = (t: string): Record<string, unknown> => ({ type: 'text', text: t });
const reply = (...messages: unknown[]): Record<string, unknown> => ({ replyToken: randomUUID(), messages });
const push = (...messages: unknown[]): Record<string, unknown> => ({
  to: 'U0123456789abcdef0123456789abcdef',
  messages,
});
const bubble = (body: unknown): Record<string, unknown> => ({
  type: 'flex',
  altText: 'แจ้งเตือน',
  contents: { type: 'bubble', body },
});
const validBox = {
  type: 'box',
  layout: 'vertical',
  contents: [
    { type: 'text', text: 'การนิเทศ', weight: 'bold', wrap: true },
    { type: 'button', style: 'primary', action: { type: 'postback', label: 'ยืนยัน', data: 'a=confirm&id=1' } },
  ],
};

describe('validation', () => {
  it('accepts a text reply and answers like LINE', async () => {
    const res = await call('POST', '/v2/bot/message/reply', reply(text('สวัสดีครับ')));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sentMessages: [{ id: aString, quoteToken: aString }] });
    expect(line.requests).toHaveLength(1);
    expect(line.requests[0]).toMatchObject({ valid: true, errors: [], status: 200, method: 'POST' });
    expect(line.replies()).toHaveLength(1);
    expect(line.invalid()).toHaveLength(0);
  });

  it('rejects a text message without text', async () => {
    const res = await call('POST', '/v2/bot/message/reply', reply({ type: 'text' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ message: aString, details: [{ property: 'messages[0].text' }] });
    expect(line.invalid()).toHaveLength(1);
    expect(line.invalid()[0]?.errors.join('\n')).toMatch(/messages\[0\]\.text/);
    expect(line.replies()).toHaveLength(0);
  });

  it('rejects an unknown message type and more than 5 messages', async () => {
    expect((await call('POST', '/v2/bot/message/reply', reply({ type: 'sms', text: 'x' }))).status).toBe(400);
    const six = Array.from({ length: 6 }, (_, i) => text(`m${i}`));
    expect((await call('POST', '/v2/bot/message/push', push(...six))).status).toBe(400);
    expect((await call('POST', '/v2/bot/message/push', push(...six.slice(0, 5)))).status).toBe(200);
    expect(line.invalid()).toHaveLength(2);
  });

  it('checks flex components against their subtype, not just the base', async () => {
    expect((await call('POST', '/v2/bot/message/push', push(bubble(validBox)))).status).toBe(200);
    const bad = await call('POST', '/v2/bot/message/push', push(bubble({ type: 'box' })));
    expect(bad.status).toBe(400);
    expect(line.invalid()[0]?.errors).toEqual(
      expect.arrayContaining([expect.stringContaining('body.layout'), expect.stringContaining('body.contents')]),
    );
    // Deep inside a box: a button whose action lacks its type.
    const deep = { ...validBox, contents: [{ type: 'button', action: { label: 'x', data: 'y' } }] };
    expect(validateMessagingRequest('POST', '/v2/bot/message/push', push(bubble(deep)))).not.toEqual([]);
  });

  it('enforces quick reply limits the schema leaves out', async () => {
    const quick = (label: string): unknown => ({
      ...text('เลือก'),
      quickReply: { items: [{ type: 'action', action: { type: 'message', label, text: label } }] },
    });
    expect((await call('POST', '/v2/bot/message/reply', reply(quick('ก'.repeat(20))))).status).toBe(200);
    const res = await call('POST', '/v2/bot/message/reply', reply(quick('ก'.repeat(21))));
    expect(res.status).toBe(400);
    expect(line.invalid()[0]?.errors).toEqual([expect.stringContaining('quickReply.items[0].action.label')]);
  });

  it('enforces text, altText, postback and flex size limits', () => {
    const errors = (...messages: unknown[]): string[] =>
      validateMessagingRequest('POST', '/v2/bot/message/push', push(...messages));
    expect(errors(text('x'.repeat(5000)))).toEqual([]);
    expect(errors(text('x'.repeat(5001)))).not.toEqual([]);
    expect(errors(text('😀'.repeat(2501)))).not.toEqual([]); // UTF-16 units: each emoji counts 2
    expect(errors({ ...bubble(validBox), altText: 'a'.repeat(1501) })).not.toEqual([]);
    const postback = { type: 'postback', label: 'x', data: 'd'.repeat(301) };
    expect(errors(bubble({ ...validBox, contents: [{ type: 'button', action: postback }] }))).not.toEqual([]);
    const big = { ...validBox, contents: [{ type: 'text', text: 'ข'.repeat(11000) }] }; // ≈33 KB in UTF-8
    expect(errors(bubble(big))).toEqual([expect.stringContaining('30 KB')]);
    const carousel = (n: number): unknown => ({
      type: 'flex',
      altText: 'รายการ',
      contents: { type: 'carousel', contents: Array.from({ length: n }, () => ({ type: 'bubble', body: validBox })) },
    });
    expect(errors(carousel(12))).toEqual([]);
    expect(errors(carousel(13))).toEqual([expect.stringContaining('12 bubbles')]);
  });

  it('answers unknown paths 404 and bad JSON 400, and resolves path templates', async () => {
    expect((await call('POST', '/v2/bot/message/nope', {})).status).toBe(404);
    const res = await fetch(`${line.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{"to":',
    });
    expect(res.status).toBe(400);
    // Resolved to "link rich menu to user" (not a 404 for the path) and refused: there is no such menu.
    expect(await call('POST', '/v2/bot/user/U1/richmenu/richmenu-1')).toMatchObject({
      status: 400,
      json: { message: 'richmenu not found' },
    });
    expect(validateMessagingRequest('GET', '/v2/bot/richmenu/list', undefined)).toEqual([]);
    expect(validateMessagingRequest('GET', '/v2/bot/nothing', undefined)).toEqual([expect.stringContaining('no GET')]);
  });

  it('requires a bearer token', async () => {
    const res = await call('POST', '/v2/bot/message/reply', reply(text('x')), {});
    expect(res.status).toBe(401);
    expect(line.invalid()).toHaveLength(1);
    expect(line.replies()).toHaveLength(0);
  });

  it('accepts a reply token once, like LINE', async () => {
    const body = reply(text('x'));
    expect((await call('POST', '/v2/bot/message/reply', body)).status).toBe(200);
    expect((await call('POST', '/v2/bot/message/reply', body)).status).toBe(400);
    expect(line.replies()).toHaveLength(1);
  });
});

describe('retry keys', () => {
  it('rejects a retry key that is not a UUID', async () => {
    const res = await call('POST', '/v2/bot/message/push', push(text('x')), { ...AUTH, 'x-line-retry-key': 'retry-1' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ message: mentions('X-Line-Retry-Key') });
    expect(line.invalid()).toHaveLength(1);
  });

  it('answers 409 to a retry of a delivered push and counts it once', async () => {
    const headers = { ...AUTH, 'x-line-retry-key': randomUUID() };
    const first = await call('POST', '/v2/bot/message/push', push(text('x')), headers);
    const again = await call('POST', '/v2/bot/message/push', push(text('x')), headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
    expect(again.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect(line.requests[1]?.duplicateRetryKey).toBe(true);
    expect(line.pushes()).toHaveLength(1);
    expect((await call('GET', '/v2/bot/message/quota/consumption')).json).toEqual({ totalUsage: 1 });
  });

  it('lets a push retry through after a 500 (nothing was delivered)', async () => {
    line.failNext('/message/push', 500);
    const headers = { ...AUTH, 'x-line-retry-key': randomUUID() };
    expect((await call('POST', '/v2/bot/message/push', push(text('x')), headers)).status).toBe(500);
    expect((await call('POST', '/v2/bot/message/push', push(text('x')), headers)).status).toBe(200);
    expect(line.pushes()).toHaveLength(1);
  });
});

describe('faults', () => {
  it('failNext answers the scripted status in order, then recovers', async () => {
    line.failNext('/message/push', 429, 2, { message: 'slow down' });
    line.failNext('/message/push', 503);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/v2/bot/message/push', push(text('x')))).status);
    expect(statuses).toEqual([429, 429, 503, 200]);
    expect(line.requests[0]).toMatchObject({ valid: true, injected: 'fail', status: 429 });
    expect(line.pushes()).toHaveLength(1);
    // Other paths are untouched by a push fault.
    line.failNext('/message/push', 500);
    expect((await call('POST', '/v2/bot/message/reply', reply(text('x')))).status).toBe(200);
  });

  it('hangNext never answers, records the request, and close() still returns', async () => {
    line.hangNext('/message/push');
    const hung = fetch(`${line.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(push(text('x'))),
      signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toThrow();
    const rec = await line.waitFor((r) => r.injected === 'hang');
    expect(rec.status).toBe(0);
    expect((await call('POST', '/v2/bot/message/push', push(text('y')))).status).toBe(200);
    line.hangNext('/message/reply');
    void fetch(`${line.url}/v2/bot/message/reply`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(reply(text('x'))),
    }).catch(() => undefined);
    await line.waitFor((r) => r.path.endsWith('/reply'));
    await line.close(); // must not wait for the hung reply's socket
  });

  it('failRate fails a deterministic share of requests', async () => {
    const run = async (): Promise<number[]> => {
      line.reset();
      line.failRate('/message/push', 0.5, 42);
      const out = [];
      for (let i = 0; i < 20; i++) out.push((await call('POST', '/v2/bot/message/push', push(text('x')))).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(17);
    line.failRate('/message/push', 0);
    expect((await call('POST', '/v2/bot/message/push', push(text('x')))).status).toBe(200);
  });

  it('waitFor resolves on a later request and rejects on timeout', async () => {
    const waiting = line.waitFor((r) => r.path === '/v2/bot/message/multicast');
    const res = await call('POST', '/v2/bot/message/multicast', { to: ['U1', 'U2'], messages: [text('x')] });
    expect(res.json).toEqual({});
    expect((await waiting).status).toBe(200);
    expect(line.pushes()).toHaveLength(1);
    await expect(line.waitFor(() => false, 50)).rejects.toThrow(/no matching request/);
  });
});

describe('other endpoints', () => {
  it('serves registered message content from the data API path', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    line.setContent('4811', png, 'image/png');
    const res = await fetch(`${line.url}/v2/bot/message/4811/content`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    expect((await call('GET', '/v2/bot/message/9999/content')).status).toBe(404);
  });

  it('answers quota, rich menu creation and reset like LINE', async () => {
    expect((await call('GET', '/v2/bot/message/quota')).json).toEqual({ type: 'limited', value: 500 });
    const menu = {
      size: { width: 2500, height: 843 },
      selected: true,
      name: 'main',
      chatBarText: 'เมนู',
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: 'postback', data: 'menu' } }],
    };
    expect((await call('POST', '/v2/bot/chat/loading/start', { chatId: 'U1', loadingSeconds: 5 })).status).toBe(202);
    const created = await call('POST', '/v2/bot/richmenu', menu);
    const menuId: unknown = expect.stringMatching(/^richmenu-/);
    expect(created.json).toEqual({ richMenuId: menuId });
    line.reset();
    expect(line.requests).toHaveLength(0);
  });
});
