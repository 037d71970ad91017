// An explicit run of all the scheduled work as of one instant, in this process: `cli tick --at`, the /dev
// simulator's clock buttons and the tests. It queues every unit of that instant (again, if it ran before: each
// body is idempotent) and runs them one by one through the same runClaimed as Node's runner and Workers' queue
// consumer, housekeeping and planning before sending. A unit that fails is recorded (and retried by the runner
// like any other); the tick throws at the end so that the caller sees it.
import { drainUnits, enqueueInstant, type UnitDeps } from './units.js';
import type { UnitRow } from './units.queries.js';
import { type TickDeps, type TickResult, UNIT_KINDS, type UnitKind, type UnitReport } from './work.js';
import type { LinkReport } from '../richmenu/link.js';
import type { SendReport } from '../outbox/sender.js';

export {
  CONVERSATION_IDLE_MS,
  OUTBOX_KEEP_MS,
  PROCESSED_EVENTS_KEEP_MS,
  type TickDeps,
  type TickResult,
} from './work.js';

/** The retry base when the caller has no config (tests): Node's runner picks failed units up after it. */
const DEFAULT_RETRY_SECONDS = 30;

export class TickError extends Error {
  override name = 'TickError';
  constructor(readonly failed: string[]) {
    super(`${failed.length} unit(s) failed: ${failed.slice(0, 5).join(', ')}`);
  }
}

const rank = (u: UnitRow): number => {
  const i = UNIT_KINDS.indexOf(u.kind as UnitKind);
  return i < 0 ? UNIT_KINDS.length : i;
};

export async function tick(
  deps: TickDeps & Partial<Pick<UnitDeps, 'retryBaseSeconds'>>,
  at: number,
): Promise<TickResult> {
  const unitDeps: UnitDeps = { ...deps, retryBaseSeconds: deps.retryBaseSeconds ?? DEFAULT_RETRY_SECONDS };
  const units = await enqueueInstant(deps.db, at);
  const ran = await drainUnits(unitDeps, () => at, {
    ids: units.map((u) => u.id),
    order: (a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  });
  const result = addUp(ran.flatMap((r) => (r.outcome.status === 'done' ? [r.outcome.report] : [])));
  const failed = ran.filter((r) => r.outcome.status !== 'done').map((r) => r.unit.id);
  deps.log.info('tick', {
    at: new Date(at).toISOString(),
    units: ran.length,
    failed: failed.length,
    processedEventsDeleted: result.processedEventsDeleted,
    evidenceRetried: result.evidenceRetried,
    remindersPlanned: result.remindersPlanned,
    digestsPlanned: result.digestsPlanned,
    outboxDeleted: result.outboxDeleted,
    conversationsDeleted: result.conversationsDeleted,
    richMenus: result.richMenus?.linked ?? 0,
    richMenusPending: result.richMenus?.pending ?? 0,
    sent: result.sent?.sent ?? 0,
    retried: result.sent?.retried ?? 0,
    dead: result.sent?.dead ?? 0,
  });
  if (failed.length > 0) throw new TickError(failed);
  return result;
}

/** The units' reports added up: counts summed, paused offices joined, null where no unit had the means to act. */
export function addUp(reports: UnitReport[]): TickResult {
  const sum = (
    k:
      | 'processedEventsDeleted'
      | 'evidenceRetried'
      | 'remindersPlanned'
      | 'digestsPlanned'
      | 'outboxDeleted'
      | 'conversationsDeleted',
  ) => reports.reduce((n, r) => n + (r[k] ?? 0), 0);
  let richMenus: LinkReport | null = null;
  let sent: SendReport | null = null;
  for (const r of reports) {
    if (r.richMenus) {
      const m: LinkReport = richMenus ?? { linked: 0, unlinked: 0, pending: 0, calls: 0 };
      richMenus = {
        linked: m.linked + r.richMenus.linked,
        unlinked: m.unlinked + r.richMenus.unlinked,
        pending: m.pending + r.richMenus.pending,
        calls: m.calls + r.richMenus.calls,
      };
    }
    if (r.sent) {
      const s: SendReport = sent ?? { sent: 0, alreadySent: 0, retried: 0, dead: 0, skipped: 0, paused: [] };
      sent = {
        sent: s.sent + r.sent.sent,
        alreadySent: s.alreadySent + r.sent.alreadySent,
        retried: s.retried + r.sent.retried,
        dead: s.dead + r.sent.dead,
        skipped: s.skipped + r.sent.skipped,
        paused: [...s.paused, ...r.sent.paused].sort(),
      };
    }
  }
  return {
    processedEventsDeleted: sum('processedEventsDeleted'),
    evidenceRetried: sum('evidenceRetried'),
    remindersPlanned: sum('remindersPlanned'),
    digestsPlanned: sum('digestsPlanned'),
    outboxDeleted: sum('outboxDeleted'),
    conversationsDeleted: sum('conversationsDeleted'),
    richMenus,
    sent,
  };
}
