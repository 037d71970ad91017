// Node's HTTP server. POST /webhook and POST /webhook/:channel are answered from node's IncomingMessage directly:
// @hono/node-server's WHATWG Request/Response conversion cost ~0.23 ms of the ~1.4 ms main-thread CPU per event
// (bench/results/peer.md). Everything after reading the body is the Hono route's own code (receiveWebhook), and the
// answers are the app's: the same request id rule, error body and statuses. Every other request goes through Hono.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { requestIdOf } from '../app.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { tooLarge } from '../http/body.js';
import { receiveWebhook, type WebhookRequest } from '../line/webhook.routes.js';
import { errorFields, withFields } from '../log.js';
import { extend } from '../objects/extend.js';

type FetchHandler = Parameters<typeof getRequestListener>[0];

export interface NodeServeOptions {
  fetch: FetchHandler;
  /** The process's shared Deps, which the app's middleware hands every request too. */
  deps: Deps;
  port: number;
  hostname: string;
}

/** Like @hono/node-server's serve(), with the webhook answered without building a web Request. */
export function serveNode(opts: NodeServeOptions, onListen?: (info: AddressInfo) => void): Server {
  const hono = getRequestListener(opts.fetch);
  const server = createServer((req, res) => {
    const channelName = req.method === 'POST' ? webhookChannel(req.url) : null;
    if (channelName === null) void hono(req, res);
    else void leanWebhook(opts.deps, channelName, req, res);
  });
  server.listen(opts.port, opts.hostname, () => onListen?.(server.address() as AddressInfo));
  return server;
}

/**
 * undefined for /webhook, the channel for /webhook/<channel>, null for anything else. Only plain paths (no query,
 * no percent-encoding, no trailing slash) take the lean path; anything unusual is Hono's to answer.
 */
function webhookChannel(url: string | undefined): string | undefined | null {
  if (url === '/webhook') return undefined;
  const m = url === undefined ? null : /^\/webhook\/([\w-]+)$/.exec(url);
  return m?.[1] ?? null;
}

/** A request header as one string (node gives a repeated one as an array). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The webhook request read from node's IncomingMessage; methods, not per-request closures. */
class NodeWebhookRequest implements WebhookRequest {
  readonly signature: string | undefined;
  constructor(
    readonly channelName: string | undefined,
    private readonly req: IncomingMessage,
  ) {
    this.signature = headerOf(req, 'x-line-signature');
  }
  read(limit: number): Promise<Uint8Array> {
    return readCapped(this.req, limit);
  }
  origin(): string {
    return `http://${headerOf(this.req, 'host') ?? 'localhost'}`;
  }
}

/** The answer to every webhook that was taken: receiveWebhook resolved. */
const OK_BODY = '{}';

async function leanWebhook(
  shared: Deps,
  channelName: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = requestIdOf((name) => headerOf(req, name));
  const deps: Deps = extend(shared, { log: withFields(shared.log, { requestId }) });
  let status = 200;
  let text = OK_BODY;
  try {
    await receiveWebhook(deps, new NodeWebhookRequest(channelName, req));
  } catch (err) {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else {
      deps.log.error('unhandled error', { path: req.url, ...errorFields(err) });
      appErr = new AppError('internal', 'Internal error');
    }
    status = appErr.status;
    text = JSON.stringify(appErr.body(requestId));
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}

/** src/http/body.ts's readCapped on node's stream: a declared or streamed body over `limit` bytes is a 413. */
function readCapped(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // The rest is read and dropped (as node does for a body nobody read), so the connection stays usable.
        req.off('data', onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
