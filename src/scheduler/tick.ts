// The scheduled work, one entry for every runtime: Workers' cron, Node's interval and `cli tick --at`.
// Time comes in as a parameter (the cron's scheduled time), never from the clock inside. Plan, then send.
import type { BlobStore } from '../checklists/evidence.js';
import { fetchEvidence } from '../checklists/evidence.js';
import { pendingEvidence } from '../checklists/evidence.queries.js';
import type { Db } from '../db/client.js';
import type { Channel, ChannelResolver } from '../line/channels.js';
import { ENV_CHANNEL_ID } from '../line/channels.js';
import type { LineApi } from '../line/client.js';
import type { Logger } from '../log.js';
import type { Config } from '../config/env.js';
import { planDigests } from '../digests/plan.js';
import { planReminders } from '../reminders/plan.js';
import { planVisitNotices } from '../visits/notices.js';
import { sendOutbox, type SendReport } from '../outbox/sender.js';
import { createQuotaReader } from '../outbox/quota.js';
import { linkRichMenus, type LinkReport } from '../richmenu/link.js';
import { createRichMenuApi, type RichMenuApi } from '../richmenu/line.js';
import {
  deleteFinishedOutboxBefore,
  deleteIdleConversationsBefore,
  deleteProcessedEventsBefore,
} from './tick.queries.js';

/** LINE redelivers for a few hours at most; a week of event ids is ample for dedupe. */
export const PROCESSED_EVENTS_KEEP_MS = 7 * 86_400_000;
/** Sent and dead outbox rows are kept a month for the admin's view of delivery, then dropped (≈300 MB a day nationally). */
export const OUTBOX_KEEP_MS = 30 * 86_400_000;
/** PDPA retention: a conversation idle this long has its state deleted (answers live in their own tables). */
export const CONVERSATION_IDLE_MS = 180 * 86_400_000;
/** Evidence the webhook could not fetch right away is retried this many at a time per tick. */
const EVIDENCE_BATCH = 50;

export interface TickDeps {
  db: Db;
  log: Logger;
  config?: Pick<Config, 'lineApiBaseUrl'>;
  channels?: ChannelResolver;
  lineApi?: (channel: Channel) => LineApi;
  blobs?: BlobStore;
  /** Rich menu calls per channel; built from config.lineApiBaseUrl when not given. */
  richMenuApi?: (channel: Channel) => RichMenuApi;
}

export interface TickResult {
  processedEventsDeleted: number;
  evidenceRetried: number;
  remindersPlanned: number;
  digestsPlanned: number;
  outboxDeleted: number;
  conversationsDeleted: number;
  richMenus: LinkReport | null;
  sent: SendReport | null;
}

/** A row's channel: the env channel by its fixed id, a registered one from the database. */
export function channelLookup(deps: TickDeps): (id: string) => Promise<Channel | null> {
  return async (id) => {
    if (deps.channels === undefined) return null;
    return id === ENV_CHANNEL_ID ? deps.channels.envChannel() : deps.channels.registered(deps.db, id);
  };
}

async function send(deps: TickDeps, at: number): Promise<SendReport | null> {
  const { lineApi, config } = deps;
  if (lineApi === undefined || deps.channels === undefined) return null;
  return sendOutbox(
    {
      db: deps.db,
      log: deps.log,
      channel: channelLookup(deps),
      lineApi,
      ...(config === undefined ? {} : { quota: createQuotaReader({ apiBaseUrl: config.lineApiBaseUrl }) }),
    },
    at,
  );
}

async function retryEvidence(deps: TickDeps, at: number): Promise<number> {
  const { lineApi, blobs } = deps;
  if (lineApi === undefined || blobs === undefined) return 0;
  const files = await pendingEvidence(deps.db, new Date(at - 60_000).toISOString(), EVIDENCE_BATCH);
  const channel = channelLookup(deps);
  let done = 0;
  for (const f of files) {
    const ch = await channel(f.channelId);
    if (ch === null) continue;
    await fetchEvidence({ db: deps.db, blobs, log: deps.log, lineApi: lineApi(ch) }, f);
    done++;
  }
  return done;
}

/** Gives people whose role changed, or who just linked, their role's rich menu (not a push: no outbox). */
async function linkMenus(deps: TickDeps): Promise<LinkReport | null> {
  const { config } = deps;
  const api =
    deps.richMenuApi ??
    (config === undefined
      ? undefined
      : (ch: Channel) =>
          // Linking is on the api host only; the data host is for image uploads, which the tick never does.
          createRichMenuApi({
            channelAccessToken: ch.accessToken,
            apiBaseUrl: config.lineApiBaseUrl,
            dataApiBaseUrl: config.lineApiBaseUrl,
          }));
  if (api === undefined || deps.channels === undefined) return null;
  return linkRichMenus({ db: deps.db, log: deps.log, channel: channelLookup(deps), api });
}

export async function tick(deps: TickDeps, at: number): Promise<TickResult> {
  const processedEventsDeleted = await deleteProcessedEventsBefore(
    deps.db,
    new Date(at - PROCESSED_EVENTS_KEEP_MS).toISOString(),
  );
  const evidenceRetried = await retryEvidence(deps, at);
  // Plan first (set-based, idempotent by dedupe keys), then send whatever is due.
  const remindersPlanned = (await planReminders(deps.db, at)).rows;
  const digestsPlanned = (await planDigests(deps.db, at)).rows;
  await planVisitNotices(deps.db, at);
  const outboxDeleted = await deleteFinishedOutboxBefore(deps.db, new Date(at - OUTBOX_KEEP_MS).toISOString());
  const conversationsDeleted = await deleteIdleConversationsBefore(
    deps.db,
    new Date(at - CONVERSATION_IDLE_MS).toISOString(),
  );
  const richMenus = await linkMenus(deps);
  const sent = await send(deps, at);
  const result = {
    processedEventsDeleted,
    evidenceRetried,
    remindersPlanned,
    digestsPlanned,
    outboxDeleted,
    conversationsDeleted,
    richMenus,
    sent,
  };
  deps.log.info('tick', {
    at: new Date(at).toISOString(),
    ...result,
    richMenus: richMenus?.linked ?? 0,
    richMenusPending: richMenus?.pending ?? 0,
    sent: sent?.sent ?? 0,
    retried: sent?.retried ?? 0,
    dead: sent?.dead ?? 0,
  });
  return result;
}
