// Cloudflare Queues around the units of work. The cron only enqueues: it inserts the slot's units (a repeated
// run inserts nothing) and sends one message per new unit, plus units a dead cron left queued. The consumer
// runs one unit per message and acks it, or retries it with the unit's backoff; after the last attempt Queues
// moves the message to the dead-letter queue, whose consumer marks the unit dead for the admin. The types
// below are the few members of Workers' Queue and Message this needs, so it runs under Node's tests too.
import { errorFields } from '../log.js';
import { backoffSeconds, enqueuePeriodic, LEASE_MS, runClaimed, type UnitDeps } from './units.js';
import { claimUnit, markDead, strandedUnits, type UnitRow } from './units.queries.js';

export interface UnitMessageBody {
  id: string;
}

export interface UnitQueue {
  sendBatch(messages: Iterable<{ body: UnitMessageBody; contentType?: 'json' }>): Promise<unknown>;
}

export interface UnitMessage {
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Queues' limit on a sendBatch: 100 messages (each of ours is tens of bytes, far below 256 KB). */
const SEND_BATCH_MAX = 100;
/** A unit queued this long ago without having run lost its message (a cron that died mid-send): send it again. */
const STRANDED_AFTER_MS = 15 * 60_000;
const STRANDED_PER_RUN = 500;
/** Queues' longest retry delay. */
const MAX_DELAY_S = 43_200;

function unitId(body: unknown): string | null {
  return typeof body === 'object' &&
    body !== null &&
    'id' in body &&
    typeof body.id === 'string' &&
    body.id.length < 200
    ? body.id
    : null;
}

/** The cron's whole job: insert this slot's units and send a message for each new (or stranded) one. */
export async function produceUnits(
  deps: Pick<UnitDeps, 'db' | 'log'>,
  queue: UnitQueue,
  at: number,
  now: number,
): Promise<{ enqueued: number; stranded: number }> {
  const fresh = await enqueuePeriodic(deps.db, at, now);
  const stranded = await strandedUnits(deps.db, {
    before: new Date(now - STRANDED_AFTER_MS).toISOString(),
    now: new Date(now).toISOString(),
    limit: STRANDED_PER_RUN,
  });
  const all: UnitRow[] = [...fresh, ...stranded];
  for (let i = 0; i < all.length; i += SEND_BATCH_MAX) {
    await queue.sendBatch(
      all.slice(i, i + SEND_BATCH_MAX).map((u) => ({ body: { id: u.id }, contentType: 'json' as const })),
    );
  }
  deps.log.info('units.enqueued', {
    at: new Date(at).toISOString(),
    enqueued: fresh.length,
    stranded: stranded.length,
  });
  return { enqueued: fresh.length, stranded: stranded.length };
}

/**
 * The consumer: one unit per message, one after the other (max_batch_size in wrangler.toml bounds a batch).
 * A unit another run holds is retried when its lease ends; a unit already done or dead is acked; a database
 * that fails before the unit ran or was recorded is a failed attempt like any other.
 */
export async function consumeUnits(deps: UnitDeps, messages: readonly UnitMessage[], now: () => number): Promise<void> {
  for (const message of messages) {
    const id = unitId(message.body);
    if (id === null) {
      deps.log.warn('unit.bad_message', { attempts: message.attempts });
      message.ack();
      continue;
    }
    try {
      const t = now();
      const unit = await claimUnit(deps.db, {
        id,
        now: new Date(t).toISOString(),
        leaseUntil: new Date(t + LEASE_MS).toISOString(),
      });
      if (unit === null) {
        // Deleted since (its office was removed, or retention): nothing to do.
        deps.log.warn('unit.missing', { unit: id });
        message.ack();
      } else if (!unit.claimed) {
        if (unit.status === 'running') {
          message.retry({
            delaySeconds: Math.min(MAX_DELAY_S, Math.max(1, Math.ceil((unit.not_before_ms - t) / 1000))),
          });
        } else {
          message.ack();
        }
      } else {
        const outcome = await runClaimed(deps, unit, now);
        if (outcome.status === 'failed' || outcome.status === 'dead') {
          message.retry({ delaySeconds: Math.min(MAX_DELAY_S, outcome.retryInSeconds) });
        } else {
          message.ack();
        }
      }
    } catch (err) {
      deps.log.error('unit.consume_failed', { unit: id, attempts: message.attempts, ...errorFields(err) });
      message.retry({ delaySeconds: Math.min(MAX_DELAY_S, backoffSeconds(message.attempts, deps.retryBaseSeconds)) });
    }
  }
}

/** The dead-letter queue's consumer: the unit is given up on, and the admin sees it dead. */
export async function consumeDeadUnits(
  deps: Pick<UnitDeps, 'db' | 'log'>,
  messages: readonly UnitMessage[],
  now: () => number,
): Promise<void> {
  for (const message of messages) {
    const id = unitId(message.body);
    try {
      if (id !== null) {
        const marked = await markDead(deps.db, {
          id,
          now: new Date(now()).toISOString(),
          error: 'dead-lettered: no run finished within the queue’s retries',
        });
        deps.log.error('unit.dead_lettered', { unit: id, marked });
      }
      message.ack();
    } catch (err) {
      deps.log.error('unit.dead_letter_failed', { unit: id, ...errorFields(err) });
      message.retry({ delaySeconds: 60 });
    }
  }
}
