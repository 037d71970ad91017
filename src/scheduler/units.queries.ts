// SQL for the scheduler's units of work (work_units). Inserting a slot's units is one statement whose primary key
// makes a repeat insert nothing; claiming is one statement (by id for a queue message, SKIP LOCKED for Node's
// runner); every write-back is fenced by the attempt it belongs to, so a run that lost its lease cannot overwrite
// the run that took over.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { WorkUnitStatus } from '../db/schema.js';

export interface UnitRow extends Record<string, unknown> {
  id: string;
  kind: string;
  office_id: string | null;
  at_ms: number;
  attempts: number;
}

/** A kind of work at a slot, for every office ('office') or once for the deployment ('deployment'). */
export interface SlotSpec {
  kind: string;
  slot: string;
  scope: 'office' | 'deployment';
}

/**
 * Inserts the units of these kinds and slots for every office (and the deployment-scoped ones), and returns the
 * rows it inserted: a unit that exists already is left alone, so a repeated cron run enqueues nothing twice.
 * With `rerun`, units that exist and are not running are queued again instead (an explicit `tick --at`).
 */
export async function insertUnits(
  db: Db,
  p: { at: string; specs: SlotSpec[]; enqueuedAt: string | null; rerun: boolean },
): Promise<UnitRow[]> {
  if (p.specs.length === 0) return [];
  const onConflict = p.rerun
    ? sql`ON CONFLICT (id) DO UPDATE SET status = 'queued', attempts = 0, at = excluded.at,
            not_before = excluded.not_before, enqueued_at = excluded.enqueued_at, last_error = NULL
          WHERE w.status <> 'running' OR w.not_before <= excluded.at`
    : sql`ON CONFLICT (id) DO NOTHING`;
  return queryRows<UnitRow>(
    db,
    sql`
    WITH k AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(p.specs)}::jsonb) AS x(kind text, slot text, scope text)),
    scopes AS (SELECT id, 'office' AS scope FROM offices UNION ALL SELECT NULL::uuid, 'deployment'),
    ins AS (
      INSERT INTO work_units AS w (id, kind, office_id, at, not_before, enqueued_at)
      SELECT k.kind || ':' || coalesce(s.id::text, 'deployment') || ':' || k.slot, k.kind, s.id,
             ${p.at}::timestamptz, ${p.at}::timestamptz, ${p.enqueuedAt}::timestamptz
        FROM k JOIN scopes s ON s.scope = k.scope
      ${onConflict}
      RETURNING w.id, w.kind, w.office_id, (extract(epoch FROM w.at) * 1000)::float8 AS at_ms, w.attempts)
    SELECT * FROM ins ORDER BY id`,
  );
}

/** Units still queued whose message went out before `before` and never ran (a cron that died mid-send). */
export async function strandedUnits(db: Db, p: { before: string; now: string; limit: number }): Promise<UnitRow[]> {
  return queryRows<UnitRow>(
    db,
    sql`
    WITH s AS (
      SELECT id FROM work_units
       WHERE status = 'queued' AND not_before < ${p.before}::timestamptz
         AND (enqueued_at IS NULL OR enqueued_at < ${p.before}::timestamptz)
       ORDER BY not_before LIMIT ${p.limit}
         FOR UPDATE SKIP LOCKED)
    UPDATE work_units w SET enqueued_at = ${p.now}::timestamptz FROM s WHERE w.id = s.id
    RETURNING w.id, w.kind, w.office_id, (extract(epoch FROM w.at) * 1000)::float8 AS at_ms, w.attempts`,
  );
}

export interface ClaimedUnit extends UnitRow {
  /** false: not claimed; `status` and `not_before_ms` say why (done, dead, or running under another lease). */
  claimed: boolean;
  status: WorkUnitStatus;
  not_before_ms: number;
}

/**
 * Claims one unit for a queue message: queued or failed (waiting for this retry), or running under a lease that
 * has ended (the run that held it died). Otherwise answers the unit as it is, so the caller can ack or wait.
 */
export async function claimUnit(
  db: Db,
  p: { id: string; now: string; leaseUntil: string },
): Promise<ClaimedUnit | null> {
  const rows = await queryRows<ClaimedUnit>(
    db,
    sql`
    WITH c AS (
      UPDATE work_units SET status = 'running', attempts = attempts + 1, not_before = ${p.leaseUntil}::timestamptz
       WHERE id = ${p.id} AND (status IN ('queued', 'failed') OR (status = 'running' AND not_before <= ${p.now}::timestamptz))
      RETURNING id, kind, office_id, at, attempts, status, not_before)
    SELECT id, kind, office_id, (extract(epoch FROM at) * 1000)::float8 AS at_ms, attempts, status,
           (extract(epoch FROM not_before) * 1000)::float8 AS not_before_ms, true AS claimed FROM c
    UNION ALL
    SELECT id, kind, office_id, (extract(epoch FROM at) * 1000)::float8, attempts, status,
           (extract(epoch FROM not_before) * 1000)::float8, false FROM work_units
     WHERE id = ${p.id} AND NOT EXISTS (SELECT 1 FROM c)`,
  );
  return rows[0] ?? null;
}

/**
 * Node's runner: claims up to `limit` due units (queued, failed whose backoff is over, or running with an ended
 * lease), skipping rows another runner holds. `ids` restricts it to those units (an in-process `tick`).
 */
export async function claimDueUnits(
  db: Db,
  p: { now: string; leaseUntil: string; limit: number; ids?: string[] },
): Promise<UnitRow[]> {
  return queryRows<UnitRow>(
    db,
    sql`
    WITH c AS (
      SELECT id FROM work_units
       WHERE status IN ('queued', 'running', 'failed') AND not_before <= ${p.now}::timestamptz
         ${p.ids === undefined ? sql`` : sql`AND id = ANY(${sql.param(p.ids)}::text[])`}
       ORDER BY not_before, id
       LIMIT ${p.limit}
         FOR UPDATE SKIP LOCKED)
    UPDATE work_units w SET status = 'running', attempts = w.attempts + 1, not_before = ${p.leaseUntil}::timestamptz
      FROM c WHERE w.id = c.id
    RETURNING w.id, w.kind, w.office_id, (extract(epoch FROM w.at) * 1000)::float8 AS at_ms, w.attempts`,
  );
}

export type UnitOutcome =
  | { kind: 'done'; result: Record<string, unknown> }
  | { kind: 'failed'; error: string; retryAt: string; maxAttempts: number };

/**
 * Writes one attempt's outcome, fenced by its attempt number. Done also marks earlier failures of the same kind
 * and office resolved; a failure at the last attempt is dead. Answers the status written (null: fenced out).
 */
export async function recordUnit(
  db: Db,
  p: { id: string; attempts: number; now: string; ms: number; outcome: UnitOutcome },
): Promise<WorkUnitStatus | null> {
  const o = p.outcome;
  const rows = await queryRows<{ status: WorkUnitStatus }>(
    db,
    o.kind === 'done'
      ? sql`
    WITH u AS (
      UPDATE work_units SET status = 'done', result = ${JSON.stringify(o.result)}::jsonb, ms = ${p.ms},
             finished_at = ${p.now}::timestamptz, last_error = NULL
       WHERE id = ${p.id} AND attempts = ${p.attempts} AND status = 'running'
      RETURNING kind, office_id, at, status),
    fixed AS (
      UPDATE work_units f SET resolved_at = ${p.now}::timestamptz
        FROM u
       WHERE f.status IN ('failed', 'dead') AND f.resolved_at IS NULL AND f.kind = u.kind AND f.at < u.at
         AND f.office_id IS NOT DISTINCT FROM u.office_id
      RETURNING 1)
    SELECT status FROM u`
      : sql`
    UPDATE work_units SET status = CASE WHEN attempts >= ${o.maxAttempts} THEN 'dead' ELSE 'failed' END,
           last_error = ${o.error}, ms = ${p.ms}, finished_at = ${p.now}::timestamptz,
           not_before = ${o.retryAt}::timestamptz
     WHERE id = ${p.id} AND attempts = ${p.attempts} AND status = 'running'
    RETURNING status`,
  );
  return rows[0]?.status ?? null;
}

/** The dead-letter queue's word: the unit is given up on (unless a run finished it meanwhile). */
export async function markDead(db: Db, p: { id: string; now: string; error: string }): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE work_units SET status = 'dead', last_error = coalesce(last_error, ${p.error}),
               finished_at = coalesce(finished_at, ${p.now}::timestamptz)
         WHERE id = ${p.id} AND status <> 'done'
        RETURNING id`,
  );
  return rows.length > 0;
}

export interface FailedUnit extends Record<string, unknown> {
  id: string;
  kind: string;
  office_id: string | null;
  status: 'failed' | 'dead';
  attempts: number;
  last_error: string | null;
  at: string;
  finished_at: string | null;
  resolved_at: string | null;
}

/**
 * For the admin (dashboard and API): an office's failed and dead units, newest first. `failed` units are still
 * being retried; `dead` ones were given up on; `resolved_at` says a later unit of the same work succeeded.
 * `officeId` null lists the deployment's own units (housekeeping of the env channel).
 */
export async function failedUnits(
  db: Db,
  p: { officeId: string | null; since: string; unresolvedOnly?: boolean; limit?: number },
): Promise<FailedUnit[]> {
  return queryRows<FailedUnit>(
    db,
    sql`SELECT id, kind, office_id, status, attempts, last_error, at, finished_at, resolved_at
          FROM work_units
         WHERE status IN ('failed', 'dead')
           AND ${p.officeId === null ? sql`office_id IS NULL` : sql`office_id = ${p.officeId}::uuid`}
           AND finished_at >= ${p.since}::timestamptz
           ${p.unresolvedOnly === true ? sql`AND resolved_at IS NULL` : sql``}
         ORDER BY finished_at DESC, id
         LIMIT ${Math.min(Math.max(p.limit ?? 100, 1), 500)}`,
  );
}

/** Units done (or queued and never run) before `doneBefore`, and any unit before `allBefore`, in bounded batches. */
export async function deleteOldUnits(
  db: Db,
  p: { doneBefore: string; allBefore: string; batch?: number },
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (
          SELECT id FROM work_units
           WHERE at < ${p.allBefore}::timestamptz
              OR (at < ${p.doneBefore}::timestamptz AND status IN ('done', 'queued'))
           LIMIT ${p.batch ?? 50_000}),
        gone AS (DELETE FROM work_units w USING doomed d WHERE w.id = d.id RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}
