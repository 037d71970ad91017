// POST /webhook (the env channel) and POST /webhook/:channel (a registered channel). Order matters:
// size limit → signature on the raw bytes (401 before anything else) → JSON (400) → events → 200 after commit.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { fetchEvidence } from '../checklists/evidence.js';
import { evidenceByIds } from '../checklists/evidence.queries.js';
import type { AppEnv, Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { readCapped } from '../http/body.js';
import { errorFields } from '../log.js';
import type { Channel } from './channels.js';
import type { Db } from '../db/client.js';
import { handleEvents } from './webhook.js';
import { callbackRequest } from './webhook.schema.js';

/** Strict UTF-8 (a malformed body is a 400); decode() without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** LINE batches events; even 100 events of long text stay far below this. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export function webhookRoutes() {
  const app = new Hono<AppEnv>();
  app.post('/webhook', async (c) => viaHono(c, undefined));
  app.post('/webhook/:channel', async (c) => viaHono(c, c.req.param('channel')));
  return app;
}

async function viaHono(c: Context<AppEnv>, channelName: string | undefined): Promise<Response> {
  await receiveWebhook(c.var.deps, {
    channelName,
    read: (limit) => readCapped(c.req.raw, limit),
    signature: c.req.header('x-line-signature'),
    origin: () => new URL(c.req.url).origin,
  });
  return c.json({});
}

/** One webhook request as both servers see it: Hono's route and Node's lean path (src/runtime/node-serve.ts). */
export interface WebhookRequest {
  /** undefined for POST /webhook (the env channel), else the :channel segment of POST /webhook/:channel. */
  channelName: string | undefined;
  /** The raw body, refusing more than `limit` bytes (413). */
  read: (limit: number) => Promise<Uint8Array>;
  signature: string | undefined;
  /** Where LINE reached this webhook, for links when PUBLIC_BASE_URL is unset. */
  origin: () => string;
}

/** Everything after routing: resolves when the answer is 200 {}, throws AppError otherwise. */
export async function receiveWebhook(deps: Deps, req: WebhookRequest): Promise<void> {
  const name = req.channelName;
  const channel = await resolve(deps, (db) =>
    name === undefined ? deps.channels.envChannelOf(db) : deps.channels.registered(db, name),
  );
  await receive(deps, channel, req);
}

/** Finding the channel reads the database (cached): when it is down, that is a 503 so LINE redelivers. */
async function resolve(deps: Deps, find: (db: Db) => Promise<Channel | null>): Promise<Channel | null> {
  try {
    return await find(deps.db);
  } catch (err) {
    deps.log.error('webhook: channel lookup failed', errorFields(err));
    throw new AppError('unavailable', 'Could not read the channel; LINE will redeliver');
  }
}

async function receive(deps: Deps, channel: Channel | null, req: WebhookRequest): Promise<void> {
  if (channel === null) throw new AppError('not_found', 'Unknown channel');
  const raw = await req.read(WEBHOOK_BODY_LIMIT);
  // Node's check answers at once (node:crypto), WebCrypto's with a promise: await only that.
  const verified = deps.verifySignature(channel.secret, raw, req.signature);
  if (!(verified instanceof Promise ? await verified : verified)) {
    throw new AppError('unauthorized', 'Invalid signature');
  }
  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(raw));
  } catch {
    throw new AppError('bad_request', 'Body is not valid UTF-8 JSON');
  }
  const body = callbackRequest.safeParse(json);
  if (!body.success) throw new AppError('bad_request', 'Body is not a LINE webhook request');
  // LINE's "Verify" button sends no events: answer 200 without touching the database.
  if (body.data.events.length === 0) return;

  // Links sent in chat (web sign-in) point at PUBLIC_BASE_URL, or where LINE reached this webhook (Workers).
  const base = deps.config.publicBaseUrl ?? req.origin();
  const result = await handleEvents(deps, channel, body.data.events, base);
  if (result.replies.length > 0) {
    const api = deps.lineApi(channel);
    deps.defer(
      Promise.all(
        result.replies.map(async (r) => {
          try {
            await api.reply(r.replyToken, r.messages);
          } catch (err) {
            // The answer is committed; the user's next message shows the current question again.
            deps.log.warn('reply failed', { channel: channel.id, ...errorFields(err) });
          }
        }),
      ),
    );
  }
  if (result.evidenceIds.length > 0) {
    const api = deps.lineApi(channel);
    deps.defer(
      evidenceByIds(deps.db, result.evidenceIds).then((files) =>
        Promise.all(
          files.map((f) =>
            fetchEvidence({ db: deps.db, blobs: deps.blobs, log: deps.log, lineApi: api }, f, deps.now()),
          ),
        ),
      ),
    );
  }
  if (result.failed) throw new AppError('unavailable', 'Could not store the events; LINE will redeliver');
}
