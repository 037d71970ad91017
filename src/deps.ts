// What the core needs from a runtime, built by worker.ts or node.ts and handed in. Nothing in the core
// reaches for a global: the database, the clock, LINE and background work all come through here.
import type { AdminPrincipal } from './admin/principal.js';
import { forwardedClient, nodeSocketAddress } from './admin/client-address.js';
import type { BlobStore } from './checklists/evidence.js';
import type { Config } from './config/env.js';
import type { Db } from './db/client.js';
import type { Channel } from './line/channels.js';
import { ChannelResolver } from './line/channels.js';
import type { LineApi } from './line/client.js';
import { createLineApi, type ReplyTransport } from './line/client.js';
import type { Logger } from './log.js';
import { type SignatureCheck, verifyLineSignature } from './line/signature.js';
import type { PdfPrinter } from './runtime/chromium-pdf.js';
import type { RunTurn } from './conversation/turn.types.js';
import type { ReportFonts } from './reports/fonts.js';
import { memoize } from './objects/memo.js';

export interface Deps {
  config: Config;
  db: Db;
  now: () => number;
  log: Logger;
  channels: ChannelResolver;
  lineApi: (channel: Pick<Channel, 'accessToken'>) => LineApi;
  /** Work to finish after the response (replies): waitUntil on Workers, a tracked promise on Node. */
  defer: (work: Promise<unknown>) => void;
  /** Where evidence photos go: R2 on Workers, disk on Node. */
  blobs: BlobStore;
  /** The client's address as this runtime can vouch for it (src/admin/client-address.ts), for guess limits. */
  clientAddress: (req: Request, env: unknown) => string;
  /** Checks LINE's webhook signature: WebCrypto (Workers), node:crypto on Node (src/runtime/node-signature.ts). */
  verifySignature: SignatureCheck;
  /** Prints a report page to PDF: Chromium on Node (src/runtime/chromium-pdf.ts); absent on Workers. */
  printPdf?: PdfPrinter | undefined;
  /** Runs a webhook event's turn: Node's batcher over its pool (src/conversation/batch.ts); runTurn when absent. */
  runTurn?: RunTurn | undefined;
  /** Sarabun for the report pages (src/reports/fonts.ts): files on Node, binary modules on Workers. */
  reportFonts?: ReportFonts | undefined;
}

/**
 * `deps` and `requestId` are set by the app's first middleware (src/app.ts) for every request; `admin` by the
 * admin API's guard (src/admin/auth.ts) and nowhere else; `officeGroup` (the session's person is in one of its
 * office's groups: src/officesar/access.ts) by the web pages' session middleware (src/web/session.ts).
 */
export type AppEnv = {
  Variables: { deps: Deps; requestId: string; admin?: AdminPrincipal; officeGroup?: boolean };
};

/** Access tokens whose LINE clients are kept (one per channel; a rotated token leaves its old one behind). */
const MAX_LINE_APIS = 256;

/** The usual wiring; runtimes and tests pass what differs (database, clock, logger, background work). */
export function buildDeps(opts: {
  config: Config;
  db: Db;
  log: Logger;
  defer: (work: Promise<unknown>) => void;
  now?: () => number;
  channels?: ChannelResolver;
  blobs: BlobStore;
  clientAddress?: (req: Request, env: unknown) => string;
  printPdf?: PdfPrinter;
  reportFonts?: ReportFonts;
  /** The runtime's reply call (Node: a keep-alive agent); the SDK's when absent. */
  reply?: ReplyTransport;
  verifySignature?: SignatureCheck;
  runTurn?: RunTurn;
}): Deps {
  const now = opts.now ?? Date.now;
  const { config } = opts;
  // One client per access token, made on first use: a reply per webhook request would otherwise build one each time.
  const apiFor = memoize(
    (channelAccessToken: string): LineApi =>
      createLineApi({
        channelAccessToken,
        apiBaseUrl: config.lineApiBaseUrl,
        dataApiBaseUrl: config.lineDataApiBaseUrl,
        reply: opts.reply,
      }),
    MAX_LINE_APIS,
  );
  const lineApi = (channel: Pick<Channel, 'accessToken'>): LineApi => apiFor(channel.accessToken);
  return {
    config,
    db: opts.db,
    now,
    log: opts.log,
    channels: opts.channels ?? new ChannelResolver(config, now),
    lineApi,
    defer: opts.defer,
    blobs: opts.blobs,
    printPdf: opts.printPdf,
    runTurn: opts.runTurn,
    reportFonts: opts.reportFonts,
    verifySignature: opts.verifySignature ?? verifyLineSignature,
    // Node's: the socket's peer, or what TRUSTED_PROXIES proxies say. Workers pass their own.
    clientAddress:
      opts.clientAddress ??
      ((req, env) =>
        forwardedClient(
          nodeSocketAddress(env),
          req.headers.get('x-forwarded-for') ?? undefined,
          config.trustedProxies,
        )),
  };
}
