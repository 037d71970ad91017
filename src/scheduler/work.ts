// The bodies of the scheduled units of work, one per kind, each for ONE office (or, office null, for what belongs
// to no office). Every runtime runs them through src/scheduler/units.ts: Workers' queue consumer, Node's runner
// and `cli tick --at`. Time comes in as a parameter, never from the clock inside; each body is idempotent, so a
// unit run twice (a redelivered message, a retry after a lost answer) does its work once.
import { deleteExpiredSessions } from '../admin/sessions.queries.js';
import type { BlobStore } from '../checklists/evidence.js';
import { fetchEvidence } from '../checklists/evidence.js';
import { purgeErasedEvidence } from '../pdpa/erase-files.js';
import { purgeStaleUploads } from '../imports/uploads.js';
import { pendingEvidence } from '../checklists/evidence.queries.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/client.js';
import { planDigests } from '../digests/plan.js';
import type { Channel, ChannelResolver } from '../line/channels.js';
import { ENV_CHANNEL_ID } from '../line/channels.js';
import type { LineApi } from '../line/client.js';
import type { Logger } from '../log.js';
import { deleteUnusedBodiesBefore } from '../outbox/outbox.queries.js';
import { createQuotaReader } from '../outbox/quota.js';
import { sendOutbox, type SendReport } from '../outbox/sender.js';
import { planReminders } from '../reminders/plan.js';
import { createRichMenuApi, type RichMenuApi } from '../richmenu/line.js';
import { linkRichMenus, type LinkReport } from '../richmenu/link.js';
import { planVisitNotices } from '../visits/notices.js';
import {
  deleteFinishedOutboxBefore,
  deleteIdleConversationsBefore,
  deleteOldItems,
  deleteProcessedEventsBefore,
} from './tick.queries.js';
import { deleteOldUnits } from './units.queries.js';

/** LINE redelivers for a few hours at most; a week of event ids is ample for dedupe. */
export const PROCESSED_EVENTS_KEEP_MS = 7 * 86_400_000;
/** Sent and dead outbox rows are kept a month for the admin's view of delivery, then dropped (≈300 MB a day nationally). */
export const OUTBOX_KEEP_MS = 30 * 86_400_000;
/** Bundle bodies outlive every row that may still send them (a quota pause lasts at most a month). */
export const BODY_KEEP_MS = 45 * 86_400_000;
/** PDPA retention: a conversation idle this long has its state deleted (answers live in their own tables). */
export const CONVERSATION_IDLE_MS = 180 * 86_400_000;
/** Finished units are only a record of runs: two days of them; failed and dead ones a month, for the admin. */
export const UNITS_DONE_KEEP_MS = 2 * 86_400_000;
export const UNITS_KEEP_MS = 30 * 86_400_000;
/** Evidence the webhook could not fetch right away is retried this many at a time per unit. */
const EVIDENCE_BATCH = 50;

/**
 * The kinds of work, in the order an in-process run takes them: housekeeping, then planning, then sending
 * what was planned (as the single tick did).
 */
export const UNIT_KINDS = ['retention', 'evidence', 'notices', 'reminders', 'digests', 'richmenu', 'send'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

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

/** What units did, added up over the units of a tick (each unit fills in its own fields). */
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

export type UnitReport = Partial<TickResult> & {
  unitsDeleted?: number;
  notices?: number;
  sessionsDeleted?: number;
  itemsDeleted?: number;
  evidenceErased?: number;
  uploadsDeleted?: number;
};

/** A row's channel: the env channel by its fixed id, a registered one from the database. */
export function channelLookup(deps: TickDeps): (id: string) => Promise<Channel | null> {
  return async (id) => {
    if (deps.channels === undefined) return null;
    return id === ENV_CHANNEL_ID ? deps.channels.envChannel() : deps.channels.registered(deps.db, id);
  };
}

async function send(deps: TickDeps, at: number, officeId: string): Promise<SendReport | null> {
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
    { officeId },
  );
}

async function retryEvidence(deps: TickDeps, at: number, officeId: string): Promise<number> {
  const { lineApi, blobs } = deps;
  if (lineApi === undefined || blobs === undefined) return 0;
  const files = await pendingEvidence(deps.db, new Date(at - 60_000).toISOString(), EVIDENCE_BATCH, officeId);
  const channel = channelLookup(deps);
  let done = 0;
  for (const f of files) {
    const ch = await channel(f.channelId);
    if (ch === null) continue;
    await fetchEvidence({ db: deps.db, blobs, log: deps.log, lineApi: lineApi(ch) }, f, at);
    done++;
  }
  return done;
}

/** Gives people whose role changed, or who just linked, their role's rich menu (not a push: no outbox). */
async function linkMenus(deps: TickDeps, officeId: string): Promise<LinkReport | null> {
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
  return linkRichMenus({ db: deps.db, log: deps.log, channel: channelLookup(deps), api }, { officeId });
}

async function retention(deps: TickDeps, officeId: string | null, at: number): Promise<UnitReport> {
  const before = (ms: number) => new Date(at - ms).toISOString();
  const report: UnitReport = {
    processedEventsDeleted: await deleteProcessedEventsBefore(deps.db, officeId, before(PROCESSED_EVENTS_KEEP_MS)),
    outboxDeleted: await deleteFinishedOutboxBefore(deps.db, officeId, before(OUTBOX_KEEP_MS)),
    conversationsDeleted: await deleteIdleConversationsBefore(deps.db, officeId, before(CONVERSATION_IDLE_MS)),
    // Bundle items go with their rows; items that never found a bundle (their person never became reachable) go
    // when no body they could refer to is kept any longer.
    itemsDeleted: await deleteOldItems(deps.db, officeId, before(OUTBOX_KEEP_MS).slice(0, 10), before(BODY_KEEP_MS)),
  };
  // PDPA erasure: the erased person's evidence files leave the blob store (every office's evidence has an office).
  const { blobs } = deps;
  if (officeId !== null && blobs !== undefined) {
    report.evidenceErased = await purgeErasedEvidence({ db: deps.db, blobs, log: deps.log }, officeId);
    // Import files never confirmed (a people sheet lists staff): gone a day after their check.
    report.uploadsDeleted = await purgeStaleUploads({ db: deps.db, blobs, log: deps.log }, officeId, at);
  }
  // The units table itself has no office: the deployment's own unit keeps it short.
  if (officeId === null) {
    // Bodies are shared across offices (an identical bundle is one body): the deployment's unit drops old ones.
    await deleteUnusedBodiesBefore(deps.db, before(BODY_KEEP_MS));
    // Admin sessions and sign-in links a day past their expiry (the deployment's sessions belong to no office).
    report.sessionsDeleted = await deleteExpiredSessions(deps.db, at);
    report.unitsDeleted = await deleteOldUnits(deps.db, {
      doneBefore: before(UNITS_DONE_KEEP_MS),
      allBefore: before(UNITS_KEEP_MS),
    });
  }
  return report;
}

/** Runs one unit's work as of `at`. Only retention has a deployment-wide (office null) unit. */
export async function runBody(
  deps: TickDeps,
  kind: UnitKind,
  officeId: string | null,
  at: number,
): Promise<UnitReport> {
  if (kind === 'retention') return retention(deps, officeId, at);
  if (officeId === null) throw new Error(`unit ${kind} needs an office`);
  switch (kind) {
    case 'evidence':
      return { evidenceRetried: await retryEvidence(deps, at, officeId) };
    case 'notices':
      return { notices: (await planVisitNotices(deps.db, at, officeId)).rows };
    case 'reminders': {
      // The office's planning hour also stages Monday's digests (they ride in its bundles) and announcements.
      const r = await planReminders(deps.db, at, { officeId });
      return { remindersPlanned: r.rows, digestsPlanned: r.digests };
    }
    case 'digests':
      // Usually a no-op: the office's first planning hour of a Monday stages them before its bundles.
      return { digestsPlanned: (await planDigests(deps.db, at, officeId)).items };
    case 'richmenu':
      return { richMenus: await linkMenus(deps, officeId) };
    case 'send':
      return { sent: await send(deps, at, officeId) };
  }
}
