// Evidence downloads are bounded (issue 12.4): against a hostile content server, the type and the declared
// Content-Length are checked before reading, a streamed body is counted and cut past the limit, and the timeout
// covers the whole body, so a stalled body ends too. A shutdown waits a bounded time for such work.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentRefused, createLineApi, LineApiError } from '../../src/line/client.js';
import { drain } from '../../src/runtime/drain.js';

// A generous whole-body timeout, so a loaded machine's slow stream is still cut by its size, not by the clock; the
// stall test uses its own short one.
const LIMITS = { maxBytes: 1024 * 1024, types: new Set(['image/jpeg']), timeoutMs: 10_000 };
const STALL_LIMITS = { ...LIMITS, timeoutMs: 500 };
let server: Server;
let base = '';
/** How many body bytes the server managed to send, per message id. */
const sent = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const id = req.url?.split('/')[4] ?? '';
    const write = (chunk: Buffer) => {
      sent.set(id, (sent.get(id) ?? 0) + chunk.length);
      return res.write(chunk);
    };
    switch (id) {
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000000' });
        write(Buffer.alloc(65536, 60));
        return; // never ends: a reader that read it would wait
      case 'huge':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(400 * 1024 * 1024) });
        write(Buffer.alloc(65536, 1));
        return;
      case 'stream': {
        // No Content-Length: 5 MB in chunks, as fast as the reader takes them.
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        let left = 80;
        const more = () => {
          while (left > 0) {
            left -= 1;
            if (!write(Buffer.alloc(65536, 2))) return void res.once('drain', more);
          }
          res.end();
        };
        more();
        return;
      }
      case 'stall':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '1000' });
        write(Buffer.alloc(10, 3));
        return; // the rest never comes
      default:
        res.writeHead(200, { 'content-type': 'image/jpeg; charset=binary', 'content-length': '4' });
        res.end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const api = () => createLineApi({ channelAccessToken: 't', apiBaseUrl: base, dataApiBaseUrl: base });

describe('bounded evidence downloads', () => {
  it('reads a photo', async () => {
    expect(await api().getContent('ok', LIMITS)).toEqual({
      data: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      contentType: 'image/jpeg',
    });
  });

  it('refuses a type that is not a photo before reading its body', async () => {
    await expect(api().getContent('html', LIMITS)).rejects.toMatchObject({ name: 'ContentRefused', reason: 'type' });
  });

  it('refuses a declared Content-Length over the limit before reading (400 MB is never read)', async () => {
    const t = Date.now();
    const err = await api()
      .getContent('huge', LIMITS)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentRefused);
    expect(err).toMatchObject({ reason: 'size' });
    // Refused at the headers: far sooner than reading 400 MB (or waiting out the timeout) could take.
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('counts a streamed body and stops past the limit', async () => {
    // The size is what is tested, not the clock: a loaded machine may take longer than LIMITS' 500 ms to stream 1 MB.
    const slow = { ...LIMITS, timeoutMs: 30_000 };
    await expect(api().getContent('stream', slow)).rejects.toMatchObject({ name: 'ContentRefused', reason: 'size' });
    // The server was cut off long before its 5 MB.
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.get('stream') ?? 0).toBeLessThan(5 * 1024 * 1024);
  });

  it('times out a body that stalls after the headers', async () => {
    const t = Date.now();
    const err = await api()
      .getContent('stall', STALL_LIMITS)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect((err as LineApiError).status).toBe(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(STALL_LIMITS.timeoutMs - 50);
    expect(Date.now() - t).toBeLessThan(STALL_LIMITS.timeoutMs + 1500);
  });
});

describe('a bounded shutdown', () => {
  it('waits for work that ends, and no longer than the bound for work that does not', async () => {
    const quick = new Promise((r) => setTimeout(r, 50));
    expect(await drain(new Set([quick]), 2000)).toBe('drained');
    const t = Date.now();
    const never = new Promise(() => {});
    expect(await drain(new Set([never, quick]), 300)).toBe('timed out');
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
