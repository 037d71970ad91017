// The sender's decisions, apart from its I/O: which claimed rows make which requests (a push per row, a multicast
// per batch), what a LINE answer means (sent, retry with backoff, dead, the monthly quota), and how each row ends.
// Pure: no database, no network, no clock (the caller passes `at` and the elapsed time), table-tested.
import { LineApiError } from '../line/client.js';
import type { Message } from '../line/messages.js';
import type { ClaimedRow, OutcomeKind } from './outbox.queries.js';

/** `last_error` of rows that died before any request: the dashboard groups by these. */
export const DEAD_REASONS = {
  blocked: 'blocked',
  erased: 'erased',
  notLinked: 'not linked',
  gaveUp: 'gave up after 23h',
  /** Not sent by the end of its local day (sends paused, an outage): its items ride the person's next bundle. */
  superseded: 'superseded: items carried to the next bundle',
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
export const CLAIM_CHUNK = 2_000;

/** LINE's 429 body for the monthly quota; every other 429 is the per-second rate limit. */
const MONTHLY_LIMIT_MESSAGE = 'You have reached your monthly limit';

/** One request: a push for a row, or a multicast for the rows of a batch. */
export interface Unit {
  kind: 'push' | 'multicast';
  /** The X-Line-Retry-Key: the row id for a push, the batch id for a multicast. */
  key: string;
  channelId: string;
  officeId: string | null;
  rows: { id: string; attempts: number; to: string }[];
  messages: Message[];
}

export type UnitResult =
  | { kind: 'sent' | 'already_sent' }
  | { kind: 'retry'; error: string; rateLimited: boolean }
  | { kind: 'dead'; error: string }
  | { kind: 'monthly_limit' }
  | { kind: 'no_channel' };

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

/** What a failed request means: retry later (and whether LINE's rate limit said so), give up, or the quota. */
export function classify(err: unknown): UnitResult {
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

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Claimed rows to requests: a push per plain row, one multicast per batch with members in row-id order. `render`
 * gives a body's messages (the sender renders each distinct body once).
 */
export function toUnits(rows: ClaimedRow[], render: (body: string | null) => Message[]): Unit[] {
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
        messages: render(r.body),
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
      messages: render(r.body),
    };
    batches.set(r.batch_id, unit);
    units.push(unit);
  }
  // Channel by channel, so one channel's stop (rate or monthly limit) is met early and costs few requests.
  return units.sort((a, b) => compare(a.channelId, b.channelId) || compare(a.key, b.key));
}

/** What to write back for a unit, and what the run must do besides. */
export interface Settlement {
  kind: OutcomeKind;
  notBefore?: number;
  error?: string;
  /** Send no more on this channel in this run; its remaining rows wait this long. */
  stopChannel?: number;
  /** Pause the office's sends (LINE's monthly limit). */
  pauseOffice?: boolean;
  /** LINE refused the body (logged with the unit's key, never its content). */
  rejected?: boolean;
}

/**
 * Before a request: a unit of a stopped channel or a paused office goes back untried; so does one reached after
 * the send window (`elapsed` since its claim), as its lease may end before LINE answers. Null: send it.
 */
export function gate(
  at: number,
  stoppedMs: number | undefined,
  officePaused: boolean,
  elapsedMs: number,
  sendWindowMs: number,
): Settlement | null {
  if (stoppedMs !== undefined || officePaused)
    return { kind: 'release', notBefore: at + (stoppedMs ?? OUTBOX_TIMING.stoppedChannelMs.monthlyLimit) };
  if (elapsedMs > sendWindowMs) return { kind: 'release', notBefore: at + OUTBOX_TIMING.retryBaseMs };
  return null;
}

/** After a request: how its rows end (sent, retried with backoff, dead, handed back) and what the run does next. */
export function decide(unit: Unit, result: UnitResult, at: number): Settlement {
  const attempt = unit.rows[0]?.attempts ?? 1;
  switch (result.kind) {
    case 'sent':
    case 'already_sent':
      return { kind: result.kind };
    case 'retry': {
      const base = result.rateLimited ? OUTBOX_TIMING.rateLimitBaseMs : OUTBOX_TIMING.retryBaseMs;
      return {
        kind: 'retry',
        notBefore: at + backoffMs(attempt, unit.key, base),
        error: result.error,
        // Further requests on this channel would only meet the same limit; let LINE's window pass.
        ...(result.rateLimited ? { stopChannel: OUTBOX_TIMING.stoppedChannelMs.rateLimit } : {}),
      };
    }
    case 'no_channel':
      return {
        kind: 'retry',
        notBefore: at + backoffMs(attempt, unit.key, OUTBOX_TIMING.retryBaseMs),
        error: 'channel unavailable',
      };
    case 'dead':
      return { kind: 'dead', error: result.error, rejected: true };
    case 'monthly_limit':
      // LINE refused the request, so its key is unused: the rows go back as they were, to wait for the pause.
      return {
        kind: 'release',
        notBefore: at + OUTBOX_TIMING.stoppedChannelMs.monthlyLimit,
        stopChannel: OUTBOX_TIMING.stoppedChannelMs.monthlyLimit,
        pauseOffice: unit.officeId !== null,
      };
  }
}
