// The Node reply call: one request per reply over kept-alive sockets, LINE's errors as LineApiError, and one
// more try (on a fresh socket) when a reused socket turns out to have been closed by the other end.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLineApi, LineApiError } from '../line/client.js';
import { keepAliveReply } from './keepalive-reply.js';

interface Seen {
  socket: number;
  auth: string | undefined;
  body: unknown;
}

/** A stand-in for LINE's reply endpoint; `answer` decides per request (null: reset the connection). */
async function fakeLine(answer: (n: number, socketUses: number) => { status: number; body: string } | null) {
  const seen: Seen[] = [];
  const sockets = new Map<object, { id: number; uses: number }>();
  const server = http.createServer((req, res) => {
    let s = sockets.get(req.socket);
    if (s === undefined) sockets.set(req.socket, (s = { id: sockets.size, uses: 0 }));
    s.uses++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        socket: s.id,
        auth: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const a = answer(seen.length, s.uses);
      if (a === null) {
        req.socket.destroy();
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url, seen };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const text = (t: string) => [{ type: 'text' as const, text: t }];

describe('keepAliveReply', () => {
  it('sends the SDK’s reply request with the token, and reuses one socket for the next replies', async () => {
    const line = await fakeLine(() => ({ status: 200, body: '{"sentMessages":[]}' }));
    const api = createLineApi({
      channelAccessToken: 'tok',
      apiBaseUrl: line.url,
      dataApiBaseUrl: line.url,
      reply: keepAliveReply(),
    });
    await api.reply('r1', text('หนึ่ง'));
    await api.reply('r2', text('สอง'));
    await api.reply('r3', text('สาม'));
    expect(line.seen.map((s) => s.body)).toEqual([
      { replyToken: 'r1', messages: text('หนึ่ง') },
      { replyToken: 'r2', messages: text('สอง') },
      { replyToken: 'r3', messages: text('สาม') },
    ]);
    expect(line.seen.every((s) => s.auth === 'Bearer tok')).toBe(true);
    expect(new Set(line.seen.map((s) => s.socket)).size).toBe(1);
  });

  it('sends once more on a fresh socket when a kept-alive one was reset before any answer', async () => {
    // The second request arrives on the socket the first used, and that connection is reset.
    const line = await fakeLine((_n, uses) => (uses === 2 ? null : { status: 200, body: '{}' }));
    const api = createLineApi({
      channelAccessToken: 'tok',
      apiBaseUrl: line.url,
      dataApiBaseUrl: line.url,
      reply: keepAliveReply(),
    });
    await api.reply('r1', text('หนึ่ง'));
    await api.reply('r2', text('สอง'));
    expect(line.seen.map((s) => [s.socket, (s.body as { replyToken: string }).replyToken])).toEqual([
      [0, 'r1'],
      [0, 'r2'],
      [1, 'r2'],
    ]);
  });

  it('does not send again when a fresh socket is reset, and reports LINE’s errors with their status and body', async () => {
    const reset = await fakeLine(() => null);
    const api = createLineApi({
      channelAccessToken: 'tok',
      apiBaseUrl: reset.url,
      dataApiBaseUrl: reset.url,
      reply: keepAliveReply(),
    });
    await expect(api.reply('r1', text('หนึ่ง'))).rejects.toMatchObject({ status: 0 });
    expect(reset.seen).toHaveLength(1);

    const refused = await fakeLine(() => ({ status: 400, body: '{"message":"Invalid reply token"}' }));
    const api2 = createLineApi({
      channelAccessToken: 'tok',
      apiBaseUrl: refused.url,
      dataApiBaseUrl: refused.url,
      reply: keepAliveReply(),
    });
    const err: unknown = await api2.reply('r1', text('หนึ่ง')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect(err).toMatchObject({ status: 400, body: '{"message":"Invalid reply token"}', retryable: false });
  });
});
