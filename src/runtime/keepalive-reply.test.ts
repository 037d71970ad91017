// The Node reply call: one request per reply over kept-alive sockets, LINE's errors as LineApiError, and one
// more try (on a fresh socket) when a reused socket turns out to have been closed by the other end.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createLineApi, LineApiError } from '../line/client.js';
import { keepAliveReply, parseAnswer } from './keepalive-reply.js';

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

/**
 * A raw TCP stand-in for LINE: each request (read whole by its Content-Length) gets `answer`'s bytes as written; a
 * null piece closes the connection there.
 */
async function rawLine(answer: (n: number) => string | (string | null)[]) {
  const seen: { socket: number; head: string; body: string }[] = [];
  let sockets = 0;
  const server = net.createServer((socket) => {
    const id = sockets++;
    let buf = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('latin1', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        seen.push({ socket: id, head, body: buf.toString('utf8', end + 4, end + 4 + length) });
        buf = buf.subarray(end + 4 + length);
        const out = answer(seen.length);
        // Pieces are written apart (a tick between), so the client reads an answer in several chunks.
        const pieces = typeof out === 'string' ? [out] : out;
        const write = (i: number) => {
          if (i >= pieces.length || socket.destroyed) return;
          const piece = pieces[i];
          if (piece === null) {
            socket.end();
            return;
          }
          socket.write(piece ?? '');
          setTimeout(() => write(i + 1), 1);
        };
        write(0);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const open = new Set<net.Socket>();
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  closers.push(() => {
    for (const s of open) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url, seen };
}

const apiAt = (url: string) =>
  createLineApi({ channelAccessToken: 'tok', apiBaseUrl: url, dataApiBaseUrl: url, reply: keepAliveReply() });

describe('keepAliveReply over raw HTTP/1.1', () => {
  it('writes one request with the host, token, type and byte length of the UTF-8 body', async () => {
    const line = await rawLine(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    await apiAt(line.url).reply('r1', text('หนึ่ง'));
    const [req] = line.seen;
    const lines = req?.head.split('\r\n') ?? [];
    expect(lines[0]).toBe('POST /v2/bot/message/reply HTTP/1.1');
    expect(lines).toContain(`Host: ${new URL(line.url).host}`);
    expect(lines).toContain('Authorization: Bearer tok');
    expect(lines).toContain('Content-Type: application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ replyToken: 'r1', messages: text('หนึ่ง') });
    expect(lines).toContain(`Content-Length: ${Buffer.byteLength(req?.body ?? '')}`);
  });

  it('reads answers framed by length or by chunks, in pieces, and keeps the socket for the next reply', async () => {
    const line = await rawLine((n) =>
      n === 1
        ? ['HTTP/1.1 200 OK\r\nContent-', 'Length: 19\r\n\r\n{"sentMess', 'ages":[]}']
        : [
            'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
            '5\r\n{"sen\r\n',
            'e\r\ntMessages":[]}\r\n0\r\n\r\n',
          ],
    );
    const api = apiAt(line.url);
    await api.reply('r1', text('หนึ่ง'));
    await api.reply('r2', text('สอง'));
    await api.reply('r3', text('สาม'));
    expect(line.seen.map((s) => s.socket)).toEqual([0, 0, 0]);
  });

  it('skips an interim 1xx answer, and reports a chunked error body whole', async () => {
    const body = '{"message":"Invalid reply token"}';
    const line = await rawLine(() => [
      'HTTP/1.1 100 Continue\r\n\r\n',
      `HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ]);
    const err: unknown = await apiAt(line.url)
      .reply('r1', text('หนึ่ง'))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, body });
  });

  it('opens a new socket after an answer that says Connection: close, or whose body runs to the close', async () => {
    const line = await rawLine((n) =>
      n === 1
        ? 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}'
        : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}',
    );
    const api = apiAt(line.url);
    await api.reply('r1', text('หนึ่ง'));
    await api.reply('r2', text('สอง'));
    expect(line.seen.map((s) => s.socket)).toEqual([0, 1]);
  });

  it('reports a 5xx answer as a retryable LineApiError, not sent again, and keeps the socket', async () => {
    const body = '{"message":"busy"}';
    const line = await rawLine((n) =>
      n === 1
        ? `HTTP/1.1 503 Service Unavailable\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}',
    );
    const api = apiAt(line.url);
    const err: unknown = await api.reply('r1', text('หนึ่ง')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect(err).toMatchObject({ status: 503, body, retryable: true });
    await api.reply('r2', text('สอง'));
    expect(line.seen.map((s) => s.socket)).toEqual([0, 0]);
  });

  it('fails a reply whose answer the socket cuts short, and does not send it again on a reused socket', async () => {
    // The second and third answers stop part-way (in the body, then in the head) and LINE closes the connection:
    // the request reached LINE, so it is not sent again, whether or not the socket had carried a reply before.
    const line = await rawLine((n) =>
      n === 1
        ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'
        : n === 2
          ? ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{', null]
          : ['HTTP/1.1 200 OK\r\nContent-Le', null],
    );
    const api = apiAt(line.url);
    await api.reply('r1', text('หนึ่ง'));
    await expect(api.reply('r2', text('สอง'))).rejects.toMatchObject({ status: 0 });
    await expect(api.reply('r3', text('สาม'))).rejects.toMatchObject({ status: 0 });
    expect(line.seen.map((s) => s.socket)).toEqual([0, 0, 1]);
  });

  it('refuses an access token that is not a valid header value before sending a byte', async () => {
    const line = await rawLine(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    const reply = keepAliveReply();
    const request = { replyToken: 'r1', messages: text('หนึ่ง') };
    for (const token of ['tok\r\nX-Injected: 1', 'tok\u0000', 'โทเค็น']) {
      const err: unknown = await reply(line.url, token, request).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LineApiError);
      expect(err).toMatchObject({ status: 0, message: 'reply: the access token is not a valid header value' });
    }
    await reply(line.url, 'tok\tok', request);
    expect(line.seen.map((s) => s.head.split('\r\n').find((l) => l.startsWith('Authorization')))).toEqual([
      'Authorization: Bearer tok\tok',
    ]);
  });

  it('queues replies beyond its socket limit and answers every one', async () => {
    const line = await rawLine(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    const api = apiAt(line.url);
    await Promise.all(Array.from({ length: 100 }, (_, i) => api.reply(`r${i}`, text(`${i}`))));
    expect(line.seen).toHaveLength(100);
    expect(new Set(line.seen.map((s) => s.socket)).size).toBeLessThanOrEqual(32);
  });

  it('fails a reply whose answer is not HTTP, and does not send it again', async () => {
    const line = await rawLine(() => 'SSH-2.0-OpenSSH\r\n\r\n');
    await expect(apiAt(line.url).reply('r1', text('หนึ่ง'))).rejects.toMatchObject({ status: 0 });
    expect(line.seen).toHaveLength(1);
  });

  it('fails a reply LINE never answers and closes its socket, so the next reply gets a fresh one', async () => {
    // The first request is read and never answered; later ones are.
    const line = await rawLine((n) => (n === 1 ? [] : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
    const reply = keepAliveReply({ silentMs: 50 });
    const request = (replyToken: string) => ({ replyToken, messages: text('หนึ่ง') });
    await expect(reply(line.url, 'tok', request('r1'))).rejects.toThrow('no answer from LINE in time');
    await reply(line.url, 'tok', request('r2'));
    expect(line.seen.map((s) => s.socket)).toEqual([0, 1]);
  });

  it('speaks TLS to an https base with the host name for SNI, and refuses a certificate no CA vouches for', async () => {
    // test/fixtures/tls: a self-signed certificate for localhost, made for this test only.
    const fixture = (f: string) => readFileSync(new URL(`../../test/fixtures/tls/${f}`, import.meta.url));
    const names: string[] = [];
    let bytes = 0;
    const server = tls.createServer({
      key: fixture('localhost.key'),
      cert: fixture('localhost.crt'),
      SNICallback: (name, cb) => {
        names.push(name);
        cb(null, undefined);
      },
    });
    server.on('secureConnection', (socket) => socket.on('data', (c: Buffer) => (bytes += c.length)));
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `https://localhost:${(server.address() as AddressInfo).port}`;
    await expect(keepAliveReply()(url, 'tok', { replyToken: 'r1', messages: text('หนึ่ง') })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(names).toEqual(['localhost']);
    expect(bytes).toBe(0);
  });
});

describe('parseAnswer', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  it('waits for a whole answer, and reads a body without a length to the end of the connection', () => {
    expect(parseAnswer(b('HTTP/1.1 500 Oops\r\nContent-Length: 5\r\n\r\n{}'), false)).toBeNull();
    expect(parseAnswer(b('HTTP/1.1 500 Oops\r\n\r\n{"a":1}'), false)).toBeNull();
    expect(parseAnswer(b('HTTP/1.1 500 Oops\r\n\r\n{"a":1}'), true)).toEqual({
      answer: { status: 500, body: '{"a":1}' },
      used: 28,
      reusable: false,
    });
    expect(() => parseAnswer(b('HTTP/1.1 500 Oops\r\nContent-Length: 5\r\n\r\n{}'), true)).toThrow(/cut short/);
  });

  it('skips an accepted answer’s body unread, and reads a refusal’s whatever its framing', () => {
    const chunked = (status: string) =>
      parseAnswer(b(`HTTP/1.1 ${status}\r\nTransfer-Encoding: chunked\r\n\r\n2;x=1\r\n{}\r\n0\r\n\r\n`), false);
    expect(chunked('200 OK')).toEqual({ answer: { status: 200, body: '' }, used: 63, reusable: true });
    expect(chunked('429 Too Many')?.answer).toEqual({ status: 429, body: '{}' });
    const sized = (status: string) =>
      parseAnswer(b(`HTTP/1.1 ${status}\r\nCONTENT-LENGTH: 2\r\nX-Other: y\r\n\r\n{}`), false)?.answer;
    expect(sized('200 OK')).toEqual({ status: 200, body: '' });
    expect(sized('401 No')).toEqual({ status: 401, body: '{}' });
  });

  it('refuses conflicting lengths and malformed chunks', () => {
    expect(() => parseAnswer(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'), false)).toThrow(
      /content-length/,
    );
    expect(() => parseAnswer(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), false)).toThrow(/chunk/);
    expect(() => parseAnswer(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}xx'), false)).toThrow(
      /chunk end/,
    );
  });

  it('an HTTP/1.0 answer closes its connection unless it asks to be kept alive', () => {
    const ok = (h: string) => parseAnswer(b(`HTTP/1.0 200 OK\r\n${h}Content-Length: 0\r\n\r\n`), false)?.reusable;
    expect(ok('')).toBe(false);
    expect(ok('Connection: keep-alive\r\n')).toBe(true);
  });
});
