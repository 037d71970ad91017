// The scheduled work, one entry for every runtime: Workers' cron, Node's interval and `cli tick --at`.
// Time comes in as a parameter (the cron's scheduled time), never from the clock inside.
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { deleteProcessedEventsBefore } from './tick.queries.js';

/** LINE redelivers for a few hours at most; a week of event ids is ample for dedupe. */
export const PROCESSED_EVENTS_KEEP_MS = 7 * 86_400_000;

export interface TickResult {
  processedEventsDeleted: number;
}

export async function tick(deps: { db: Db; log: Logger }, at: number): Promise<TickResult> {
  const processedEventsDeleted = await deleteProcessedEventsBefore(
    deps.db,
    new Date(at - PROCESSED_EVENTS_KEEP_MS).toISOString(),
  );
  deps.log.info('tick', { at: new Date(at).toISOString(), processedEventsDeleted });
  return { processedEventsDeleted };
}
