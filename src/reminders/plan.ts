// Plans the daily bundles: at most one push per person per local day, outside their own actions, carrying
// everything due for them (campaigns at 7/3/1/0 days before the due day or overdue, today's and tomorrow's
// meetings and deadlines, who has not answered a long-overdue campaign for principals and supervisors, the
// notices queued for them since their last bundle, an announced campaign's start button, and on Monday the
// weekly digest). Planning only: the sender renders and pushes the rows.
//
// The unit of work is one office at one instant, `planOffice(db, at, officeId)`: its current local hour is planned
// once (a plan_marks row claimed in the same transaction), so every other tick in that hour costs one read.
// Weekends, holidays and quiet hours have no planning hour at all. `planReminders(db, at)` plans every office that
// has work now, office by office (OFFICES_PER_STATEMENT).
import { type Db, namedInTransaction } from '../db/client.js';
import { planDigests } from '../digests/plan.js';
import { DEAD_REASONS } from '../outbox/decide.js';
import { supersedeStaleRows } from '../outbox/outbox.queries.js';
import {
  type BundleReport,
  claimHour,
  type ClaimedHour,
  lockOfficePlanning,
  officeSlot,
  officesToPlan,
  type OfficeSlot,
  planBundles,
  type PlanWindow,
  queueAnnouncements,
} from './reminders.queries.js';

export interface PlanReport {
  /** Offices whose hour was planned by this call. */
  offices: number;
  /** People with something in their bundle. */
  people: number;
  /** Outbox rows written (one per person per local day). */
  rows: number;
  /** Distinct bundle bodies among the rows (what the sender renders, and multicasts). */
  bodies: number;
  /** Items in the rows, and of them escalations (teachers to a principal, schools to a supervisor). */
  items: number;
  escalations: number;
  /** Announcement items queued for campaigns that opened. */
  announced: number;
  /** Digest items staged (Mondays). */
  digests: number;
}

export interface PlanOptions {
  /** Plan one office only; every office with work otherwise. */
  officeId?: string;
  /** Days before the due day (local days) on which a campaign is reminded; default [7, 3, 1, 0]. */
  offsets?: number[];
  /** N: principals hear who is missing after N overdue days, main supervisors after 2N; default 3. */
  escalateAfterDays?: number;
  /** Stage Monday's digests before the first bundle of the day (default true). */
  digests?: boolean;
  /** Offices per statement in the all-offices run (default OFFICES_PER_STATEMENT). */
  officesPerStatement?: number;
  /**
   * Transactions run at once in the all-offices run (default 1), each on its own pooled connection: how the units
   * of work run it (the Node runner claims 2 at a time, a Queues consumer up to max_concurrency invocations).
   */
  concurrency?: number;
}

export const DEFAULT_OFFSETS = [7, 3, 1, 0];
export const DEFAULT_ESCALATE_AFTER_DAYS = 3;
/**
 * Offices planned by one statement in the all-offices run. Measured nationally (bench/results/national.md): since
 * the planner's estimates were fixed, 25 offices per statement cost about as much Postgres CPU as one (11.6 s
 * against 12.2 s for the day; before, 31 s against 12.6 s), so the all-offices run plans office by office, as
 * per-office units of work do.
 */
export const OFFICES_PER_STATEMENT = 1;

const empty = (): PlanReport => ({
  offices: 0,
  people: 0,
  rows: 0,
  bodies: 0,
  items: 0,
  escalations: 0,
  announced: 0,
  digests: 0,
});

function windowOf(at: number, opts: PlanOptions): PlanWindow {
  const offsets = opts.offsets ?? DEFAULT_OFFSETS;
  const escalateAfterDays = opts.escalateAfterDays ?? DEFAULT_ESCALATE_AFTER_DAYS;
  if (!Number.isFinite(at)) throw new Error('planReminders: at is not a time');
  if (!offsets.every((d) => Number.isInteger(d) && d >= 0)) throw new Error('planReminders: offsets must be days ≥ 0');
  if (!Number.isInteger(escalateAfterDays) || escalateAfterDays < 1)
    throw new Error('planReminders: escalateAfterDays must be a whole number ≥ 1');
  return { at: new Date(at).toISOString(), offsets, escalateAfterDays };
}

/**
 * Plans a batch of offices' current hours in one transaction: their markers first (a concurrent run for the same
 * office and hour waits on them, then finds them taken), Monday's digests and announcements per office, then one
 * statement for all their bundles.
 */
async function planSlots(
  db: Db,
  at: number,
  w: PlanWindow,
  found: OfficeSlot[],
  digests: boolean,
): Promise<PlanReport> {
  return db.transaction(async (t) => {
    // The unit's statements are named (parsed and planned once per connection), as the pool's are.
    const tx = namedInTransaction(t, db);
    const report = empty();
    const mine: ClaimedHour[] = [];
    // One planner per office at a time (in id order: no deadlock between batches). The slot is read again under
    // the lock: a planner that waited sees the hours the other one planned.
    const ids = found.map((s) => s.id).sort();
    for (const id of ids) await lockOfficePlanning(tx, id);
    for (const id of ids) {
      const s = await claimHour(tx, w.at, id);
      if (s?.claimed === true) mine.push(s);
    }
    for (const s of mine) {
      // Yesterday's bundles still unsent (sends were paused) give their items back to today's.
      await supersedeStaleRows(tx, s.id, s.day, DEAD_REASONS.superseded);
      // The week's digests are staged before the first bundle of its first working day, so they ride in it.
      if (digests && !s.digest_staged) report.digests += (await planDigests(tx, at, s.id)).items;
      // Most hours have no campaign to announce: claimHour said so, and the statement is skipped.
      if (s.announce) report.announced += await queueAnnouncements(tx, w.at, s.id);
    }
    // The rows one office's own unit planned are recorded on its marker by the same statement (an office planned in
    // a batch keeps 0: the batch's count is its run's).
    const [only] = mine;
    const mark =
      mine.length === 1 && only !== undefined ? { officeId: only.id, day: only.day, slot: only.slot } : undefined;
    const b: BundleReport = await planBundles(tx, w, mine, mark);
    return {
      ...report,
      offices: mine.length,
      people: b.people,
      rows: b.rows,
      bodies: b.bodies,
      items: b.items,
      escalations: b.escalations,
    };
  });
}

/** Plans one office's current hour, if it is open and not yet planned: the per-office unit of work. */
export async function planOffice(db: Db, at: number, officeId: string, opts: PlanOptions = {}): Promise<PlanReport> {
  const w = windowOf(at, opts);
  const slot = await officeSlot(db, w.at, officeId);
  if (slot === undefined || !slot.open || slot.planned) return empty();
  return planSlots(db, at, w, [slot], opts.digests ?? true);
}

/** Plans every office with work at `at` (or the one named), one transaction per office (`concurrency` at once). */
export async function planReminders(db: Db, at: number, opts: PlanOptions = {}): Promise<PlanReport> {
  if (opts.officeId !== undefined) return planOffice(db, at, opts.officeId, opts);
  const w = windowOf(at, opts);
  const total = empty();
  const due = await officesToPlan(db, w.at);
  const per = Math.max(1, opts.officesPerStatement ?? OFFICES_PER_STATEMENT);
  const batches: OfficeSlot[][] = [];
  for (let i = 0; i < due.length; i += per) batches.push(due.slice(i, i + per));
  // Batches never share an office, and each takes its offices' locks in id order: concurrent ones cannot deadlock.
  let next = 0;
  const worker = async () => {
    for (let b = batches[next++]; b !== undefined; b = batches[next++]) {
      const r = await planSlots(db, at, w, b, opts.digests ?? true);
      for (const k of Object.keys(total) as (keyof PlanReport)[]) total[k] += r[k];
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, batches.length)) }, worker));
  return total;
}
