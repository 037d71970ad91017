// WebSocket-to-TCP proxy for tests: lets @neondatabase/serverless (inside workerd) reach a plain Postgres or
// PGlite on loopback, the way Neon's own proxy does in production. The target comes from `?address=host:port`.
import { createConnection } from 'node:net';
import { type RawData, WebSocketServer } from 'ws';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const SSL_OR_GSS_REQUEST = new Set([80877103, 80877104]);

const toBuffer = (d: RawData): Buffer =>
  Array.isArray(d) ? Buffer.concat(d) : Buffer.isBuffer(d) ? d : Buffer.from(d);

/**
 * Follows the client's Postgres messages and says when a Terminate ('X') has gone by. Postgres closes the
 * connection on Terminate and the Neon driver relies on that: its end() never closes the WebSocket itself.
 * PGlite's socket server ignores Terminate, so without this the socket stays open forever, and workerd holds a
 * scheduled event open until it closes.
 */
function terminateWatcher(): (chunk: Buffer) => boolean {
  let buffered = Buffer.alloc(0);
  let untyped = true; // the startup packet (and an SSL/GSS request before it) carries no type byte
  let lost = false;
  return (chunk) => {
    if (lost) return false;
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const offset = untyped ? 0 : 1;
      if (buffered.length < offset + 4) return false;
      const length = offset + buffered.readInt32BE(offset);
      if (length < offset + 4) {
        lost = true; // not Postgres framing: stop watching rather than loop
        return false;
      }
      if (buffered.length < length) return false;
      if (!untyped && buffered[0] === 0x58) return true;
      if (untyped && !(buffered.length >= 8 && SSL_OR_GSS_REQUEST.has(buffered.readInt32BE(4)))) untyped = false;
      buffered = buffered.subarray(length);
    }
  };
}

export interface WsProxy {
  port: number;
  close(): Promise<void>;
}

export async function startWsProxy(): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1' });
  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '', 'http://proxy.invalid').searchParams.get('address') ?? '';
    const match = /^(.+):(\d+)$/.exec(address);
    // Tests only ever proxy to loopback; anything else would make this an open relay.
    if (match === null || !LOOPBACK.has(match[1] ?? '')) {
      ws.close(1008, 'only loopback targets');
      return;
    }
    const tcp = createConnection({ host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(match[2]) });
    tcp.setNoDelay(true);
    const terminated = terminateWatcher();
    tcp.on('data', (chunk) => ws.send(chunk, { binary: true }));
    ws.on('message', (data: RawData) => {
      const chunk = toBuffer(data);
      tcp.write(chunk);
      if (terminated(chunk)) tcp.end(); // what Postgres itself does after Terminate
    });
    // Either side going away ends the other, so neither the driver nor the database waits on a dead peer.
    tcp.on('close', () => ws.close());
    tcp.on('error', () => ws.terminate());
    ws.on('close', () => tcp.end());
    ws.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const addr = wss.address();
  if (addr === null || typeof addr === 'string') throw new Error('ws proxy did not get a TCP port');
  return {
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
