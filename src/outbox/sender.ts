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
import { LineApiError } from '../line/client.js';
import type { Message } from '../line/messages.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import type { ClaimedRow, Outcome, OutcomeKind } from './outbox.queries.js';
import { claimDue, dueOverview, pauseOfficeSends, recordOutcomes, recordPushQuota } from './outbox.queries.js';
import type { PushQuota } from './quota.js';
import { SEND_RATES, TokenBucket } from './rate-limit.js';

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
}

/** `last_error` of rows that died before any request: the dashboard groups by these. */
export const DEAD_REASONS = {
  blocked: 'blocked',
  erased: 'erased',
  notLinked: 'not linked',
  gaveUp: 'gave up after 23h',
} as const;

/** Shown to the office's admins on the dashboard (offices.sends_paused_reason). */
export const PAUSE_REASONS = {
  monthlyLimit: 'โควตาข้อความรายเดือนของ LINE หมดแล้ว ระบบหยุดส่งข้อความจนถึงต้นเดือนหน้า',
  quotaShort: 'โควตาข้อความรายเดือนของ LINE เหลือไม่พอสำหรับข้อความที่รอส่ง ระบบหยุดส่งข้อความจนถึงต้นเดือนหน้า',
} as const;

export const OUTBOX_TIMING = {
  /** Longer than a run can take to send one chunk, including LINE timeouts; a dead run's rows wait this long. */
  leaseMs: 15 * 60_000,
  /** LINE keeps retry keys 24 hours; an hour of margin for clock skew and a run in progress. */
  giveUpMs: 23 * 3_600_000,
  retryBaseMs: 30_000,
  retryCapMs: 3_600_000,
  rateLimitBaseMs: 60_000,
  /** How long rows of a channel stopped mid-run (rate limit, monthly limit) wait before the next try. */
  stoppedChannelMs: { rateLimit: 60_000, monthlyLimit: 3_600_000 },
  /**
   * No request starts later than this before its lease ends (a LINE timeout, pacing and the write-back fit in
   * it): past that, another run may have claimed the row. Rows not reached by then go back for the next run.
   */
  leaseMarginMs: 3 * 60_000,
} as const;

/** LINE's limit on multicast recipients. */
export const MULTICAST_MAX = 500;
/** Due rows for one office and channel beyond which LINE's quota is checked before sending. */
export const LARGE_RUN_ROWS = 1_000;
/** Rows per claim: at least a full batch, so a claim that cuts a batch still makes progress. */
const CLAIM_CHUNK = 2_000;

/** LINE's 429 body for the monthly quota; every other 429 is the per-second rate limit. */
const MONTHLY_LIMIT_MESSAGE = 'You have reached your monthly limit';

/** One request: a push for a row, or a multicast for the rows of a batch. */
interface Unit {
  kind: 'push' | 'multicast';
  /** The X-Line-Retry-Key: the row id for a push, the batch id for a multicast. */
  key: string;
  channelId: string;
  officeId: string | null;
  rows: { id: string; attempts: number; to: string }[];
  messages: Message[];
}

type UnitResult =
  | { kind: 'sent' | 'already_sent' }
  | { kind: 'retry'; error: string; rateLimited: boolean }
  | { kind: 'dead'; error: string }
  | { kind: 'monthly_limit' }
  | { kind: 'no_channel' };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A number in [0, 1) from a key: jitter that spreads retries yet is the same on every run (FNV-1a). */
function spread(key: string, attempt: number): number {
  let h = 0x811c9dc5;
  const s = `${key}:${attempt}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/** Exponential backoff with jitter between half and one and a half of the step. */
export function backoffMs(attempt: number, key: string, baseMs: number, capMs = OUTBOX_TIMING.retryCapMs): number {
  const step = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
  return Math.round(step * (0.5 + spread(key, attempt)));
}

function bodyOf(err: LineApiError): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(err.body);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** LINE's `message` (and the first detail) from an error body: it names fields, never the data in them. */
function lineMessage(err: LineApiError): string {
  const body = bodyOf(err);
  const message = typeof body.message === 'string' ? body.message : '';
  const first: unknown = Array.isArray(body.details) ? (body.details as unknown[])[0] : undefined;
  if (typeof first === 'object' && first !== null && 'message' in first && typeof first.message === 'string') {
    const property = 'property' in first && typeof first.property === 'string' ? `${first.property}: ` : '';
    return `${message} (${property}${first.message})`.slice(0, 500);
  }
  return message.slice(0, 500);
}

function classify(err: unknown): UnitResult {
  if (!(err instanceof LineApiError)) return { kind: 'retry', error: 'error', rateLimited: false };
  if (err.status === 429) {
    const message = bodyOf(err).message;
    if (typeof message === 'string' && message.startsWith(MONTHLY_LIMIT_MESSAGE)) return { kind: 'monthly_limit' };
    return { kind: 'retry', error: 'HTTP 429: rate limit', rateLimited: true };
  }
  if (err.retryable)
    return { kind: 'retry', error: err.status === 0 ? 'timeout' : `HTTP ${err.status}`, rateLimited: false };
  const message = lineMessage(err);
  return { kind: 'dead', error: message === '' ? `HTTP ${err.status}` : `HTTP ${err.status}: ${message}` };
}

function toMessages(value: unknown): Message[] {
  // Planning validated these; the database gives back what it was given (a string from some drivers).
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as Message[]) : [];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Claimed rows to requests: a push per plain row, one multicast per batch with members in row-id order. */
function toUnits(rows: ClaimedRow[]): Unit[] {
  const units: Unit[] = [];
  const batches = new Map<string, Unit>();
  const sorted = rows.filter((r) => r.status === 'pending').sort((a, b) => compare(a.id, b.id));
  for (const r of sorted) {
    const member = { id: r.id, attempts: r.attempts, to: r.line_user_id ?? '' };
    if (r.batch_id === null) {
      units.push({
        kind: 'push',
        key: r.id,
        channelId: r.channel_id,
        officeId: r.office_id,
        rows: [member],
        messages: toMessages(r.messages),
      });
      continue;
    }
    const batch = batches.get(r.batch_id);
    if (batch !== undefined) {
      batch.rows.push(member);
      continue;
    }
    const unit: Unit = {
      kind: 'multicast',
      key: r.batch_id,
      channelId: r.channel_id,
      officeId: r.office_id,
      rows: [member],
      messages: toMessages(r.messages),
    };
    batches.set(r.batch_id, unit);
    units.push(unit);
  }
  // Channel by channel, so one channel's stop (rate or monthly limit) is met early and costs few requests.
  return units.sort((a, b) => compare(a.channelId, b.channelId) || compare(a.key, b.key));
}

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

export async function sendOutbox(deps: SenderDeps, at: number, opts: SendOptions = {}): Promise<SendReport> {
  const started = performance.now();
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
      b = new TokenBucket(rate, Math.max(1, Math.floor(rate / 20)), () => performance.now(), sleep);
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
  while (claimed < maxRows && performance.now() - started < sendWindowMs) {
    const claimedAt = performance.now();
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
    const attempt = (unit: Unit): number => unit.rows[0]?.attempts ?? 1;

    await pool(toUnits(rows), concurrency, async (unit) => {
      const stop = stopped.get(unit.channelId);
      if (stop !== undefined || (unit.officeId !== null && paused.has(unit.officeId))) {
        settle(unit, 'release', at + (stop ?? OUTBOX_TIMING.stoppedChannelMs.monthlyLimit));
        return;
      }
      if (performance.now() - claimedAt > sendWindowMs) {
        settle(unit, 'release', at + OUTBOX_TIMING.retryBaseMs);
        return;
      }
      const result = await send(unit);
      switch (result.kind) {
        case 'sent':
        case 'already_sent':
          settle(unit, result.kind);
          return;
        case 'retry': {
          const base = result.rateLimited ? OUTBOX_TIMING.rateLimitBaseMs : OUTBOX_TIMING.retryBaseMs;
          settle(unit, 'retry', at + backoffMs(attempt(unit), unit.key, base), result.error);
          // Further requests on this channel would only meet the same limit; let LINE's window pass.
          if (result.rateLimited) stopped.set(unit.channelId, OUTBOX_TIMING.stoppedChannelMs.rateLimit);
          return;
        }
        case 'no_channel':
          settle(
            unit,
            'retry',
            at + backoffMs(attempt(unit), unit.key, OUTBOX_TIMING.retryBaseMs),
            'channel unavailable',
          );
          return;
        case 'dead':
          // LINE's message names fields, never their values: safe to log.
          log.warn('outbox.rejected', { key: unit.key, rows: unit.rows.length, error: result.error.slice(0, 120) });
          settle(unit, 'dead', undefined, result.error);
          return;
        case 'monthly_limit':
          // LINE refused the request, so its key is unused: the rows go back as they were, to wait for the pause.
          stopped.set(unit.channelId, OUTBOX_TIMING.stoppedChannelMs.monthlyLimit);
          settle(unit, 'release', at + OUTBOX_TIMING.stoppedChannelMs.monthlyLimit);
          if (unit.officeId === null) {
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
          return;
      }
    });

    const applied = await recordOutcomes(db, atIso, outcomes);
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
    ms: Math.round(performance.now() - started),
  });
  return report;
}
