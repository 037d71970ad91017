// Node's runner: what Cloudflare's cron and Queues do on Workers, in process. Every POLL_MS it inserts the
// current slot's units (once per slot; several processes may share a database, the ids keep them from doubling)
// and claims due units with FOR UPDATE SKIP LOCKED, so every process takes its own share, including retries
// whose backoff is over and units whose run died with its process (their lease ends).
import { errorFields } from '../log.js';
import { drainUnits, enqueuePeriodic, TICK_MS, type UnitDeps } from './units.js';

/** How often due units (retries, a slot's units) are looked for. */
export const POLL_MS = 30_000;

export interface Runner {
  /** Stops polling and waits for the units in hand. */
  stop(): Promise<void>;
}

export function startRunner(
  deps: UnitDeps,
  now: () => number,
  opts: { pollMs?: number; concurrency?: number } = {},
): Runner {
  let lastSlot = -1;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const round = async () => {
    const t = now();
    const slot = Math.floor(t / TICK_MS);
    if (slot !== lastSlot) {
      await enqueuePeriodic(deps.db, t, null);
      lastSlot = slot;
    }
    await drainUnits(deps, now, { concurrency: opts.concurrency ?? 2 });
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round()
        .catch((err: unknown) => deps.log.error('runner failed', errorFields(err)))
        .finally(() => schedule(opts.pollMs ?? POLL_MS));
    }, ms);
  };
  schedule(opts.pollMs ?? POLL_MS);
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
  };
}
