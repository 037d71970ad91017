// Units of work: the scheduled work cut into one office and one kind at a time, so no run does more than one
// office and a failure stays with its office. A slot's units are rows of work_units, inserted once (the id
// `<kind>:<office>:<slot>` makes a repeated cron or timer run insert nothing); Workers hand each id to a queue
// message, Node's runner claims them from the table with SKIP LOCKED. Both then call runClaimed: one code path
// for every body, its outcome and its retry.
import type { Db } from '../db/client.js';
import { pgErrorCode } from '../db/client.js';
import { errorFields } from '../log.js';
import { claimDueUnits, insertUnits, recordUnit, type SlotSpec, type UnitRow } from './units.queries.js';
import { runBody, type TickDeps, UNIT_KINDS, type UnitKind, type UnitReport } from './work.js';

/** How often each kind runs from the cron or Node's timer: sending and menus every tick, planning less often. */
export const CADENCE_MIN: Record<UnitKind, number> = {
  send: 5,
  richmenu: 5,
  evidence: 15,
  reminders: 15,
  digests: 15,
  notices: 60,
  retention: 60,
};

/** The Workers cron and Node's timer fire every this often. */
export const TICK_MS = 5 * 60_000;
/** Attempts before a unit is dead: the queue's max_retries (wrangler.toml) is one less. */
export const MAX_ATTEMPTS = 5;
/** A claimed unit is another run's to take over after this: Workers' wall-clock limit for a queue consumer. */
export const LEASE_MS = 15 * 60_000;
/** The longest backoff between attempts. */
const MAX_BACKOFF_S = 3_600;

export const isUnitKind = (k: string): k is UnitKind => (UNIT_KINDS as readonly string[]).includes(k);

/** Seconds before attempt `attempts + 1`: base, 2×, 4×… capped at an hour. */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_BACKOFF_S, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

/** `2026-11-23T01:05Z`: the start of the slot of `ms` minutes that contains `at`. */
function slotOf(at: number, minutes: number): string {
  const ms = minutes * 60_000;
  return new Date(Math.floor(at / ms) * ms).toISOString().slice(0, 16) + 'Z';
}

/**
 * The units a cron or timer firing at `at` asks for: every kind at its cadence's slot. A kind whose slot began
 * at an earlier firing is already in the table, so only the first firing of an hour plans the hourly work.
 */
export function periodicSpecs(at: number): SlotSpec[] {
  return UNIT_KINDS.flatMap((kind) => {
    const slot = slotOf(at, CADENCE_MIN[kind]);
    const office: SlotSpec = { kind, slot, scope: 'office' };
    return kind === 'retention' ? [office, { kind, slot, scope: 'deployment' }] : [office];
  });
}

/** Every kind for exactly this instant (an explicit `tick --at`). */
function instantSpecs(at: number): SlotSpec[] {
  const slot = new Date(at).toISOString();
  return UNIT_KINDS.flatMap((kind): SlotSpec[] =>
    kind === 'retention'
      ? [
          { kind, slot, scope: 'office' },
          { kind, slot, scope: 'deployment' },
        ]
      : [{ kind, slot, scope: 'office' }],
  );
}

/** Inserts the periodic units of `at`; answers the new ones (to send as queue messages on Workers). */
export function enqueuePeriodic(db: Db, at: number, enqueuedAt: number | null): Promise<UnitRow[]> {
  return insertUnits(db, {
    at: new Date(at).toISOString(),
    specs: periodicSpecs(at),
    enqueuedAt: enqueuedAt === null ? null : new Date(enqueuedAt).toISOString(),
    rerun: false,
  });
}

/** Inserts (or queues again) every unit of exactly this instant, for an in-process run of all of them. */
export function enqueueInstant(db: Db, at: number): Promise<UnitRow[]> {
  return insertUnits(db, { at: new Date(at).toISOString(), specs: instantSpecs(at), enqueuedAt: null, rerun: true });
}

/**
 * A failed attempt as the admin sees it: the error's class, its SQLSTATE (with Postgres's own message, which
 * names objects, not row values) or HTTP status. Never a driver's wrapper message: that quotes the SQL's
 * parameters, which can be personal data.
 */
export function describeError(err: unknown): string {
  const fields = errorFields(err);
  const code = pgErrorCode(err);
  let e: unknown = err;
  for (let i = 0; i < 4 && code !== undefined && typeof e === 'object' && e !== null; i++) {
    if ('code' in e && e.code === code && 'message' in e && typeof e.message === 'string') {
      return `${String(fields.error)} ${code}: ${e.message}`.slice(0, 300);
    }
    e = 'cause' in e ? e.cause : undefined;
  }
  if (fields.status !== undefined) return `${String(fields.error)} HTTP ${fields.status}`;
  const own = err instanceof Error && (err.name === 'Error' || err.name === 'AppError') ? `: ${err.message}` : '';
  return `${String(fields.error)}${own}`.slice(0, 300);
}

export interface UnitDeps extends TickDeps {
  /** Seconds before the first retry of a failed unit; doubles each attempt. */
  retryBaseSeconds: number;
}

export type RunOutcome =
  | { status: 'done'; report: UnitReport }
  | { status: 'failed' | 'dead'; error: string; retryInSeconds: number }
  /** The write-back found the unit taken over by another run (this run outlived its lease). */
  | { status: 'lost' };

/**
 * Runs a claimed unit as of the later of its slot and now, and records the outcome fenced by its attempt.
 * A body that throws is recorded as failed with its backoff (dead at the last attempt); this throws only when
 * the outcome cannot be written (the database is gone), which the caller treats as a failed attempt.
 */
export async function runClaimed(deps: UnitDeps, unit: UnitRow, now: () => number): Promise<RunOutcome> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const kind = unit.kind;
  const started = performance.now();
  const fields = { unit: unit.id, kind, attempt: unit.attempts };
  let ran: { status: 'done'; report: UnitReport } | { status: 'failed'; error: string; retryInSeconds: number };
  if (!isUnitKind(kind)) {
    ran = { status: 'failed', error: `unknown kind ${kind.slice(0, 40)}`, retryInSeconds: 0 };
  } else {
    try {
      ran = { status: 'done', report: await runBody(deps, kind, unit.office_id, Math.max(unit.at_ms, now())) };
    } catch (err) {
      deps.log.warn('unit.failed', { ...fields, ...errorFields(err) });
      ran = {
        status: 'failed',
        error: describeError(err),
        retryInSeconds: backoffSeconds(unit.attempts, deps.retryBaseSeconds),
      };
    }
  }
  const ms = Math.round(performance.now() - started);
  const t = now();
  const status = await recordUnit(deps.db, {
    id: unit.id,
    attempts: unit.attempts,
    now: iso(t),
    ms,
    outcome:
      ran.status === 'done'
        ? { kind: 'done', result: ran.report }
        : { kind: 'failed', error: ran.error, retryAt: iso(t + ran.retryInSeconds * 1000), maxAttempts: MAX_ATTEMPTS },
  });
  const outcome: RunOutcome =
    status === null
      ? { status: 'lost' }
      : status === 'dead' && ran.status === 'failed'
        ? { ...ran, status: 'dead' }
        : ran;
  const counted = outcome.status === 'done' ? counts(outcome.report) : {};
  deps.log.info('unit', { ...fields, status: outcome.status, ms, ...counted });
  return outcome;
}

/** The report's counts, flat, for the unit's log line. */
function counts(r: UnitReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'number') out[k] = v;
    else if (v !== null && typeof v === 'object') {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') out[`${k}.${k2}`] = v2;
    }
  }
  return out;
}

/**
 * Node's runner: claims due units (SKIP LOCKED, so several processes share them) and runs them, `concurrency`
 * at a time, until none is due or `maxUnits` ran. `ids` limits it to those units (an in-process tick).
 */
export async function drainUnits(
  deps: UnitDeps,
  now: () => number,
  opts: { concurrency?: number; maxUnits?: number; ids?: string[]; order?: (a: UnitRow, b: UnitRow) => number } = {},
): Promise<{ unit: UnitRow; outcome: RunOutcome }[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const maxUnits = opts.maxUnits ?? 1_000;
  const ran: { unit: UnitRow; outcome: RunOutcome }[] = [];
  while (ran.length < maxUnits) {
    const t = now();
    const claimed = await claimDueUnits(deps.db, {
      now: new Date(t).toISOString(),
      leaseUntil: new Date(t + LEASE_MS).toISOString(),
      limit: Math.min(opts.ids?.length ?? concurrency, maxUnits - ran.length),
      ...(opts.ids === undefined ? {} : { ids: opts.ids }),
    });
    if (claimed.length === 0) break;
    if (opts.order !== undefined) claimed.sort(opts.order);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < claimed.length; i = next++) {
        const unit = claimed[i];
        if (unit === undefined) continue;
        ran.push({ unit, outcome: await runClaimed(deps, unit, now) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    if (opts.ids !== undefined) break;
  }
  return ran;
}
