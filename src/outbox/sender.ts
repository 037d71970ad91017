// Sends the outbox: every push goes out at most once per row, and each row ends sent or dead with its reason.
//
// Exactly-once rests on LINE's X-Line-Retry-Key: a request repeated with a key LINE already accepted is answered
// 409 and not sent again, for 24 hours. So a row's key (its id, or its batch's id for a multicast) and body are
// fixed before the first request, every retry repeats them, and nothing is retried after 23 hours. Claiming
// leases the rows (not_before moves past the lease), so a run that dies mid-send leaves them to be retried by a
// later run with the same key; results are written back after the requests, so the worst a crash does is send
// a request LINE answers with 409.
import type { Db } from '../db/client.js';
import type { Channel } from '../line/channels.js';
import type { LineApi } from '../line/client.js';
import type { Message } from '../line/messages.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { type OutboxBody, parseBody, referencedBodies, renderBody } from './bundle.js';
import {
  CLAIM_CHUNK,
  classify,
  DEAD_REASONS,
  decide,
  gate,
  LARGE_RUN_ROWS,
  MULTICAST_MAX,
  OUTBOX_TIMING,
  PAUSE_REASONS,
  type Settlement,
  toUnits,
  type Unit,
  type UnitResult,
} from './decide.js';
import type { ClaimedRow, Outcome, OutcomeKind } from './outbox.queries.js';
import {
  claimDue,
  dueOverview,
  loadBodies,
  pauseOfficeSends,
  recordOutcomes,
  recordPushQuota,
} from './outbox.queries.js';
import type { PushQuota } from './quota.js';
import { SEND_RATES, TokenBucket } from './rate-limit.js';

export { backoffMs, DEAD_REASONS, LARGE_RUN_ROWS, MULTICAST_MAX, OUTBOX_TIMING, PAUSE_REASONS } from './decide.js';

export interface SenderDeps {
  db: Db;
  log: Logger;
  channel(id: string): Promise<Channel | null>;
  lineApi(channel: Channel): LineApi;
  /** LINE's quota for a channel (see quota.ts); without it, large runs are not checked up front. */
  quota?(channel: Channel): Promise<PushQuota>;
}

export interface SendReport {
  /** Rows LINE accepted in this run. */
  sent: number;
  /** Rows LINE answered 409 for: accepted by an earlier request whose answer was lost. */
  alreadySent: number;
  /** Rows that failed for now (5xx, timeout, rate limit) and wait for a later run. */
  retried: number;
  /** Rows given up on in this run, each with its reason in last_error. */
  dead: number;
  /**
   * Due rows not attempted: those of paused offices (left untouched), and claimed rows handed back unsent because
   * their channel was stopped (rate or monthly limit) or the run ran out of time.
   */
  skipped: number;
  /** Offices whose due rows were held back by a sends pause (already paused, or paused in this run). */
  paused: string[];
}

export interface SendOptions {
  /** Rows claimed per run at most; the rest wait for the next tick. */
  maxRows?: number;
  /** Requests in flight at once, across channels. */
  concurrency?: number;
  /** How pacing waits; tests pass one that records instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Send one office's rows only (its unit of work); every office's otherwise. */
  officeId?: string;
  /**
   * Milliseconds on a monotonic clock, for pacing and for the run's send window (how long since a claim): by
   * default performance.now(). Tests pass their own, so a loaded machine cannot end a run early.
   */
  clock?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, runner));
}

/**
 * Loads the claimed rows' bodies (and the digests they refer to) and renders each distinct body once: every row of
 * a body, and every retry of it, sends the same messages. A body that is missing renders as nothing, and LINE's
 * 400 for an empty push then marks the row dead with the reason.
 */
async function renderer(db: Db, rows: ClaimedRow[]): Promise<(body: string | null) => Message[]> {
  const wanted = [...new Set(rows.flatMap((r) => (r.status === 'pending' && r.body !== null ? [r.body] : [])))];
  const bodies = new Map<string, OutboxBody>();
  for (const [hash, raw] of await loadBodies(db, wanted)) bodies.set(hash, parseBody(raw));
  const refs = [...new Set([...bodies.values()].flatMap(referencedBodies))].filter((h) => !bodies.has(h));
  for (const [hash, raw] of await loadBodies(db, refs)) bodies.set(hash, parseBody(raw));
  const rendered = new Map<string, Message[]>();
  return (hash) => {
    if (hash === null) return [];
    let messages = rendered.get(hash);
    if (messages === undefined) {
      const body = bodies.get(hash);
      messages = body === undefined ? [] : renderBody(body, bodies);
      rendered.set(hash, messages);
    }
    return messages;
  };
}

export async function sendOutbox(deps: SenderDeps, at: number, opts: SendOptions = {}): Promise<SendReport> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const { db, log } = deps;
  const sleep = opts.sleep ?? defaultSleep;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const maxRows = Math.max(1, opts.maxRows ?? 20_000);
  const atIso = new Date(at).toISOString();
  const iso = (ms: number): string => new Date(ms).toISOString();
  const report: SendReport = { sent: 0, alreadySent: 0, retried: 0, dead: 0, skipped: 0, paused: [] };
  const paused = new Set<string>();
  /** Channels this run sends no more on, with how long their remaining rows wait. */
  const stopped = new Map<string, number>();

  const apis = new Map<string, Promise<{ channel: Channel; api: LineApi } | null>>();
  const apiFor = (channelId: string) => {
    let hit = apis.get(channelId);
    if (hit === undefined) {
      hit = deps
        .channel(channelId)
        .then((channel) => (channel === null ? null : { channel, api: deps.lineApi(channel) }));
      apis.set(channelId, hit);
    }
    return hit;
  };
  const buckets = new Map<string, TokenBucket>();
  const bucketFor = (channelId: string, kind: Unit['kind']): TokenBucket => {
    const k = `${kind}:${channelId}`;
    let b = buckets.get(k);
    if (b === undefined) {
      const rate = SEND_RATES[kind];
      // A twentieth of a second's worth at once: bursts stay far below LINE's per-second limit.
      b = new TokenBucket(rate, Math.max(1, Math.floor(rate / 20)), clock, sleep);
      buckets.set(k, b);
    }
    return b;
  };

  const pause = async (officeId: string, reason: string, detail: Record<string, string | number | null>) => {
    paused.add(officeId);
    const result = await pauseOfficeSends(db, officeId, atIso, reason, detail);
    if (result.paused) log.warn('outbox.paused', { officeId, until: iso(result.until), cause: detail.cause });
  };

  // Up front: paused offices' due rows stay untouched, and a large run is checked against LINE's quota.
  const due = await dueOverview(db, atIso, opts.officeId);
  for (const group of due) if (group.paused && group.office_id !== null) paused.add(group.office_id);
  const readQuota = deps.quota?.bind(deps);
  for (const group of readQuota === undefined ? [] : due) {
    const officeId = group.office_id;
    if (readQuota === undefined || officeId === null || group.rows <= LARGE_RUN_ROWS || paused.has(officeId)) continue;
    try {
      const ch = await apiFor(group.channel_id);
      if (ch === null) continue;
      const quota = await readQuota(ch.channel);
      await recordPushQuota(db, officeId, quota.limit);
      if (quota.limit !== null && quota.limit - quota.used < group.rows) {
        await pause(officeId, PAUSE_REASONS.quotaShort, {
          cause: 'quota_short',
          channelId: group.channel_id,
          limit: quota.limit,
          used: quota.used,
          due: group.rows,
        });
      }
    } catch (err) {
      // A quota check that fails must not stop sending: the monthly-limit 429 still protects the office.
      log.warn('outbox.quota_check_failed', { officeId, ...errorFields(err) });
    }
  }
  for (const group of due) {
    if (group.paused || (group.office_id !== null && paused.has(group.office_id))) report.skipped += group.rows;
  }

  const send = async (unit: Unit): Promise<UnitResult> => {
    let ch: Awaited<ReturnType<typeof apiFor>>;
    try {
      ch = await apiFor(unit.channelId);
    } catch (err) {
      log.warn('outbox.channel_failed', { channelId: unit.channelId, ...errorFields(err) });
      return { kind: 'no_channel' };
    }
    if (ch === null) return { kind: 'no_channel' };
    await bucketFor(unit.channelId, unit.kind).take();
    try {
      const first = unit.rows[0];
      if (unit.kind === 'push' && first !== undefined)
        return { kind: await ch.api.push(first.to, unit.messages, unit.key) };
      return {
        kind: await ch.api.multicast(
          unit.rows.map((r) => r.to),
          unit.messages,
          unit.key,
        ),
      };
    } catch (err) {
      return classify(err);
    }
  };

  const sendWindowMs = OUTBOX_TIMING.leaseMs - OUTBOX_TIMING.leaseMarginMs;
  let claimed = 0;
  while (claimed < maxRows && clock() - started < sendWindowMs) {
    const claimedAt = clock();
    const rows = await claimDue(db, {
      at: atIso,
      leaseUntil: iso(at + OUTBOX_TIMING.leaseMs),
      giveUpBefore: iso(at - OUTBOX_TIMING.giveUpMs),
      limit: Math.min(CLAIM_CHUNK, maxRows - claimed),
      maxBatch: MULTICAST_MAX,
      reasons: DEAD_REASONS,
      skipChannels: [...stopped.keys()],
      ...(opts.officeId === undefined ? {} : { officeId: opts.officeId }),
    });
    if (rows.length === 0) break;
    claimed += rows.length;
    report.dead += rows.filter((r) => r.status === 'dead').length;

    const outcomes: Outcome[] = [];
    const settle = (unit: Unit, kind: OutcomeKind, notBefore?: number, error?: string): void => {
      for (const r of unit.rows)
        outcomes.push({
          id: r.id,
          attempts: r.attempts,
          kind,
          ...(notBefore === undefined ? {} : { notBefore: iso(notBefore) }),
          ...(error === undefined ? {} : { error }),
        });
    };
    const apply = async (unit: Unit, s: Settlement): Promise<void> => {
      settle(unit, s.kind, s.notBefore, s.error);
      if (s.stopChannel !== undefined) stopped.set(unit.channelId, s.stopChannel);
      // LINE's message names fields, never their values: safe to log.
      if (s.rejected === true)
        log.warn('outbox.rejected', { key: unit.key, rows: unit.rows.length, error: (s.error ?? '').slice(0, 120) });
      if (s.pauseOffice !== true || unit.officeId === null) {
        if (s.stopChannel === OUTBOX_TIMING.stoppedChannelMs.monthlyLimit && unit.officeId === null)
          log.warn('outbox.monthly_limit', { channelId: unit.channelId });
        return;
      }
      try {
        await pause(unit.officeId, PAUSE_REASONS.monthlyLimit, {
          cause: 'monthly_limit',
          channelId: unit.channelId,
          status: 429,
        });
      } catch (err) {
        // The rows are handed back either way; the next run meets the 429 again and pauses then.
        log.error('outbox.pause_failed', { officeId: unit.officeId, ...errorFields(err) });
      }
    };

    const render = await renderer(db, rows);
    await pool(toUnits(rows, render), concurrency, async (unit) => {
      const held = gate(
        at,
        stopped.get(unit.channelId),
        unit.officeId !== null && paused.has(unit.officeId),
        clock() - claimedAt,
        sendWindowMs,
      );
      if (held !== null) return apply(unit, held);
      return apply(unit, decide(unit, await send(unit), at));
    });

    const applied = await recordOutcomes(db, atIso, outcomes, DEAD_REASONS.superseded);
    report.sent += applied.sent ?? 0;
    report.alreadySent += applied.already_sent ?? 0;
    report.retried += applied.retry ?? 0;
    report.dead += applied.dead ?? 0;
    report.skipped += applied.release ?? 0;
  }

  report.paused = [...paused].sort();
  log.info('outbox.run', {
    at: atIso,
    claimed,
    sent: report.sent,
    alreadySent: report.alreadySent,
    retried: report.retried,
    dead: report.dead,
    skipped: report.skipped,
    paused: report.paused.length,
    ms: Math.round(clock() - started),
  });
  return report;
}
