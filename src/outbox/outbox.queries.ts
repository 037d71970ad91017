// SQL for sending the outbox. Claiming is one statement: it locks due rows (SKIP LOCKED, so concurrent ticks
// split the work), marks the ones whose person can no longer be reached dead, groups fresh identical messages
// into multicast batches, and leases the rest. Results are written back set-based, one statement per chunk.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { QUOTA_TZ } from './quota.js';

export interface DueGroup extends Record<string, unknown> {
  office_id: string | null;
  channel_id: string;
  rows: number;
  paused: boolean;
}

/** Due rows per office and channel: what a run is about to send (for the quota check) or hold back (paused). */
export async function dueOverview(db: Db, at: string, officeId?: string): Promise<DueGroup[]> {
  return queryRows<DueGroup>(
    db,
    sql`SELECT o.office_id, o.channel_id, count(*)::int AS rows,
               coalesce(bool_or(f.sends_paused_until > ${at}::timestamptz), false) AS paused
          FROM outbox o LEFT JOIN offices f ON f.id = o.office_id
         WHERE o.status = 'pending' AND o.not_before <= ${at}::timestamptz ${officeFilter(officeId)}
         GROUP BY o.office_id, o.channel_id`,
  );
}

export interface ClaimedRow extends Record<string, unknown> {
  id: string;
  office_id: string | null;
  channel_id: string;
  /** 'pending': leased to this run, to be sent; 'dead': found unsendable while claiming (reason in last_error). */
  status: 'pending' | 'dead';
  /** Attempts including this one: the fence every write-back checks. */
  attempts: number;
  batch_id: string | null;
  last_error: string | null;
  /** outbox_bodies.hash of what to send (null for rows found dead). */
  body: string | null;
  line_user_id: string | null;
}

export interface ClaimParams {
  at: string;
  /** not_before of claimed rows: no other run touches them until then, even if this one dies mid-send. */
  leaseUntil: string;
  /** Rows first attempted at or before this die instead: LINE forgets retry keys after 24 hours. */
  giveUpBefore: string;
  limit: number;
  maxBatch: number;
  /** Channels this run has stopped sending on (rate limit, monthly limit): their rows are left alone. */
  skipChannels: string[];
  reasons: { blocked: string; erased: string; notLinked: string; gaveUp: string; superseded: string };
  /** One office's rows only (a per-office unit of work); every office's otherwise. */
  officeId?: string;
}

/** By outbox_office_status_idx (office_id, status, not_before): a unit reads only its own office's due rows. */
const officeFilter = (officeId: string | undefined) =>
  officeId === undefined ? sql`` : sql`AND o.office_id = ${officeId}::uuid`;

/**
 * Claims up to `limit` due rows of unpaused offices. A batch is claimed whole or not at all: sending part of a
 * batch under its retry key and the rest later would make LINE answer 409 for people who never got it. Fresh
 * rows (never attempted) with the same channel, office, hash and body become batches of up to `maxBatch`, each
 * recipient at most once per batch; rows already attempted keep the unit they were first sent as (a push stays
 * a push under its own id; a batch keeps its id and members, and may only shrink), so a retry never reuses a
 * key for a different set of people than LINE may already have accepted.
 */
export async function claimDue(db: Db, p: ClaimParams): Promise<ClaimedRow[]> {
  const at = sql`${p.at}::timestamptz`;
  return queryRows<ClaimedRow>(
    db,
    sql`
    WITH cand AS (
      SELECT o.id, o.office_id, o.channel_id, o.person_id, o.batch_id, o.attempts, o.first_attempt_at, o.body,
             o.local_day, f.time_zone
        FROM outbox o
        LEFT JOIN offices f ON f.id = o.office_id
       WHERE o.status = 'pending' AND o.not_before <= ${at} ${officeFilter(p.officeId)}
         AND (f.sends_paused_until IS NULL OR f.sends_paused_until <= ${at})
         AND NOT (o.channel_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(p.skipChannels)}::jsonb)))
       -- Members of a batch share not_before and sort together, so a LIMIT cuts at most one batch.
       ORDER BY date_trunc('hour', o.not_before), o.channel_id, o.office_id, o.body, coalesce(o.batch_id, o.id)
       LIMIT ${p.limit}
         FOR UPDATE OF o SKIP LOCKED),
    cut AS (
      SELECT c.batch_id FROM cand c WHERE c.batch_id IS NOT NULL GROUP BY c.batch_id
      HAVING count(*) < (SELECT count(*) FROM outbox b WHERE b.batch_id = c.batch_id AND b.status = 'pending')),
    res AS (
      SELECT c.*, p.line_user_id, CASE
               WHEN c.first_attempt_at <= ${p.giveUpBefore}::timestamptz THEN ${p.reasons.gaveUp}
               -- A day's bundle no request was made for by the end of its day (sends paused, an outage): its items
               -- go back to wait for the person's next bundle, rather than two days' bundles going out together.
               WHEN c.attempts = 0 AND c.local_day < (${at} AT TIME ZONE coalesce(c.time_zone, 'Asia/Bangkok'))::date
                 THEN ${p.reasons.superseded}
               WHEN p.status = 'blocked' THEN ${p.reasons.blocked}
               WHEN p.status = 'erased' THEN ${p.reasons.erased}
               WHEN p.id IS NULL OR p.status <> 'active' OR p.line_user_id IS NULL
                 OR p.channel_id IS DISTINCT FROM c.channel_id THEN ${p.reasons.notLinked}
             END AS dead_reason
        FROM cand c LEFT JOIN people p ON p.id = c.person_id
       WHERE c.batch_id IS NULL OR c.batch_id NOT IN (SELECT batch_id FROM cut)),
    -- Grouping by window functions over every claimed row (non-fresh rows fall in partitions of their own kind
    -- and get no batch): joins between CTEs would be planned blind, as nested loops.
    -- A CTE with a volatile function is materialized: each row draws one uuid here, and a batch takes its first
    -- member's (in a window function's argument it would be drawn again for every row).
    flagged AS (
      SELECT r.*, (r.dead_reason IS NULL AND r.attempts = 0 AND r.batch_id IS NULL) AS fresh,
             gen_random_uuid() AS draw
        FROM res r),
    ranked AS (
      SELECT f.*, row_number() OVER (PARTITION BY f.fresh, f.channel_id, f.office_id, f.body,
                                     f.line_user_id ORDER BY f.id) AS dup
        FROM flagged f),
    bucketed AS (
      SELECT k.*, (row_number() OVER (PARTITION BY k.fresh, k.channel_id, k.office_id, k.body, k.dup
                                      ORDER BY k.id) - 1) / ${p.maxBatch} AS bucket
        FROM ranked k),
    batched AS (
      SELECT b.*, CASE WHEN b.fresh AND count(*) OVER w > 1 THEN first_value(b.draw) OVER w END
                  AS new_batch
        FROM bucketed b
      WINDOW w AS (PARTITION BY b.fresh, b.channel_id, b.office_id, b.body, b.dup, b.bucket)),
    upd AS (
      UPDATE outbox o SET
             status = CASE WHEN r.dead_reason IS NULL THEN 'pending' ELSE 'dead' END,
             last_error = coalesce(r.dead_reason, o.last_error),
             attempts = o.attempts + CASE WHEN r.dead_reason IS NULL THEN 1 ELSE 0 END,
             first_attempt_at = CASE WHEN r.dead_reason IS NULL THEN coalesce(o.first_attempt_at, ${at})
                                     ELSE o.first_attempt_at END,
             not_before = CASE WHEN r.dead_reason IS NULL THEN ${p.leaseUntil}::timestamptz ELSE o.not_before END,
             batch_id = coalesce(o.batch_id, r.new_batch)
        FROM batched r
       WHERE o.id = r.id
      RETURNING o.id, o.office_id, o.channel_id, o.status, o.attempts, o.batch_id, o.last_error,
                CASE WHEN r.dead_reason IS NULL THEN o.body END AS body,
                CASE WHEN r.dead_reason IS NULL THEN r.line_user_id END AS line_user_id,
                o.person_id, o.local_day),
    ${itemsOfDead(sql`upd`, p.reasons.superseded)}
    SELECT id, office_id, channel_id, status, attempts, batch_id, last_error, body, line_user_id FROM upd`,
  );
}

/**
 * CTEs for the items carried by rows that just died (`dead`: a CTE returning status, last_error, person_id and
 * local_day): a superseded row's items go back to wait for the next bundle; any other dead row's stay bundled and
 * are marked failed with its reason, so they are shown as failed and never bundled again.
 */
const itemsOfDead = (dead: SQL, superseded: string): SQL => sql`
    requeued AS (
      UPDATE outbox_items i SET bundled_on = NULL
        FROM ${dead} d
       WHERE d.status = 'dead' AND d.last_error = ${superseded} AND d.local_day IS NOT NULL
         AND i.person_id = d.person_id AND i.bundled_on = d.local_day AND i.failed IS NULL
      RETURNING 1),
    failed AS (
      UPDATE outbox_items i SET failed = coalesce(d.last_error, 'failed')
        FROM ${dead} d
       WHERE d.status = 'dead' AND d.last_error IS DISTINCT FROM ${superseded} AND d.local_day IS NOT NULL
         AND i.person_id = d.person_id AND i.bundled_on = d.local_day AND i.failed IS NULL
      RETURNING 1)`;

/**
 * Before an office's hour is planned: its day bundles of earlier local days that no request was made for (sends
 * were paused, or an outage) die as superseded, and their items go back to wait, so the bundle planned now
 * carries them: one push, nothing lost. Rows already attempted keep their retry key and go (or give up) as usual.
 *
 * Unnamed, so planned afresh each time: a plan cached while the day's outbox was still small scanned all of it for
 * every office once it had grown (4 s of the national day).
 */
export async function supersedeStaleRows(db: Db, officeId: string, day: string, superseded: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`
    WITH upd AS (
      UPDATE outbox o SET status = 'dead', last_error = ${superseded}
       WHERE o.office_id = ${officeId}::uuid AND o.status = 'pending' AND o.attempts = 0
         AND o.local_day < ${day}::date
      RETURNING o.status, o.last_error, o.person_id, o.local_day),
    ${itemsOfDead(sql`upd`, superseded)}
    SELECT count(*)::int AS n FROM upd`,
  );
  return rows[0]?.n ?? 0;
}

/** The bodies with these hashes (each distinct bundle once), for the sender to render. */
export async function loadBodies(db: Db, hashes: string[]): Promise<Map<string, unknown>> {
  if (hashes.length === 0) return new Map();
  const rows = await queryRows<{ hash: string; body: unknown }>(
    db,
    sql`SELECT hash::text AS hash, body FROM outbox_bodies WHERE hash = ANY(${sql.param(hashes)}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.hash, r.body]));
}

/**
 * Bodies last planned before `before`, in bounded batches. The caller keeps them longer than any row can wait (a
 * quota pause lasts at most a month; rows give up 23 hours after their first attempt): no index on outbox.body.
 */
export async function deleteUnusedBodiesBefore(db: Db, before: string, batch = 50_000): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (SELECT hash FROM outbox_bodies WHERE used_at < ${before}::timestamptz LIMIT ${batch}),
        gone AS (DELETE FROM outbox_bodies b USING doomed d WHERE b.hash = d.hash RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

export type OutcomeKind = 'sent' | 'already_sent' | 'retry' | 'dead' | 'release';

/**
 * What became of one claimed row. 'release' hands a row back as if never claimed: only for rows no request was
 * made for, or whose request LINE refused outright (the monthly-quota 429), so its retry key was not used up.
 */
export interface Outcome {
  id: string;
  attempts: number;
  kind: OutcomeKind;
  notBefore?: string;
  error?: string;
}

/**
 * Writes a chunk's outcomes and counts the pushes in one statement, so a row is never sent without being
 * counted or counted twice. Only still-pending rows change. Everything but 'sent' also checks that no later
 * claim has taken the row since (attempts is the fence); 'sent' always wins, because LINE has it.
 */
export async function recordOutcomes(
  db: Db,
  at: string,
  outcomes: Outcome[],
  superseded: string,
): Promise<Partial<Record<OutcomeKind, number>>> {
  if (outcomes.length === 0) return {};
  const rows = await queryRows<{ kind: OutcomeKind; n: number }>(
    db,
    sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
          AS x(id uuid, attempts int, kind text, "notBefore" timestamptz, error text)),
    upd AS (
      UPDATE outbox o SET
             status = CASE WHEN r.kind IN ('sent', 'already_sent') THEN 'sent'
                           WHEN r.kind = 'dead' THEN 'dead' ELSE 'pending' END,
             sent_at = CASE WHEN r.kind IN ('sent', 'already_sent') THEN ${at}::timestamptz ELSE o.sent_at END,
             not_before = coalesce(r."notBefore", o.not_before),
             last_error = CASE WHEN r.kind IN ('retry', 'dead') THEN r.error ELSE o.last_error END,
             attempts = o.attempts - CASE WHEN r.kind = 'release' THEN 1 ELSE 0 END,
             first_attempt_at = CASE WHEN r.kind = 'release' AND o.attempts = 1 THEN NULL ELSE o.first_attempt_at END,
             -- A batch no request was ever made for may be regrouped; once its key may be at LINE, never.
             batch_id = CASE WHEN r.kind = 'release' AND o.attempts = 1 THEN NULL ELSE o.batch_id END
        FROM r
       WHERE o.id = r.id AND o.status = 'pending'
         AND (r.kind IN ('sent', 'already_sent') OR o.attempts = r.attempts)
      RETURNING o.office_id, r.kind, o.status, o.last_error, o.person_id, o.local_day),
    ${itemsOfDead(sql`upd`, superseded)},
    usage AS (
      INSERT INTO push_usage (office_id, month, pushes)
      SELECT office_id, to_char(${at}::timestamptz AT TIME ZONE ${QUOTA_TZ}, 'YYYY-MM'), count(*)::int
        FROM upd WHERE kind IN ('sent', 'already_sent') AND office_id IS NOT NULL
       GROUP BY office_id
      ON CONFLICT (office_id, month) DO UPDATE SET pushes = push_usage.pushes + excluded.pushes
      RETURNING 1)
    SELECT kind, count(*)::int AS n FROM upd GROUP BY kind`,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/**
 * Pauses an office's sends until the first moment of next month (Thai time), when LINE's quota resets, and
 * audits it once: a pause already reaching that far is left alone. Admins see it on the dashboard
 * (`outboxHealth`); a LINE message to them would be refused by the same quota.
 */
export async function pauseOfficeSends(
  db: Db,
  officeId: string,
  at: string,
  reason: string,
  detail: Record<string, string | number | null>,
): Promise<{ paused: boolean; until: number }> {
  const rows = await queryRows<{ paused: boolean; until_ms: number }>(
    db,
    sql`
    WITH t AS (
      SELECT (date_trunc('month', ${at}::timestamptz AT TIME ZONE ${QUOTA_TZ}) + interval '1 month')
             AT TIME ZONE ${QUOTA_TZ} AS until),
    upd AS (
      UPDATE offices SET sends_paused_until = t.until, sends_paused_reason = ${reason}
        FROM t
       WHERE offices.id = ${officeId}::uuid
         AND (offices.sends_paused_until IS NULL OR offices.sends_paused_until < t.until)
      RETURNING offices.id, offices.sends_paused_until),
    audit AS (
      INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
      SELECT id, 'system', 'sends.paused', 'office', id::text,
             ${JSON.stringify(detail)}::jsonb || jsonb_build_object('until', sends_paused_until), ${at}::timestamptz
        FROM upd
      RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM upd) AS paused, (extract(epoch FROM t.until) * 1000)::float8 AS until_ms FROM t`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('pauseOfficeSends: no row');
  return { paused: row.paused, until: Number(row.until_ms) };
}

/** Remembers the monthly quota LINE reported, for the dashboard. */
export async function recordPushQuota(db: Db, officeId: string, limit: number | null): Promise<void> {
  await db.execute(sql`UPDATE offices SET push_quota = ${limit} WHERE id = ${officeId}::uuid`);
}

export interface OutboxHealth {
  counts: { pending: number; sent: number; dead: number };
  /** The ten most common reasons rows died, most common first. */
  deadReasons: { reason: string; count: number }[];
  /** 'YYYY-MM' in Thai time, the month `pushesThisMonth` counts. */
  month: string;
  pushesThisMonth: number;
  /** The monthly quota LINE last reported (null until checked, or when LINE sets none). */
  quota: number | null;
  /** ISO instant until which sends are paused; null when not paused at `at`. */
  pausedUntil: string | null;
  pausedReason: string | null;
  /** Bundle items whose push failed for good (their row died), by kind: shown as failed, never bundled again. */
  failedItems: { kind: string; count: number }[];
}

const parseJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The admin dashboard's view of an office's sending. `at` defaults to the database's clock. */
export async function outboxHealth(db: Db, officeId: string, at?: number): Promise<OutboxHealth | undefined> {
  const now = at === undefined ? sql`now()` : sql`${new Date(at).toISOString()}::timestamptz`;
  const rows = await queryRows<{
    counts: unknown;
    dead_reasons: unknown;
    month: string;
    pushes: number | null;
    push_quota: number | null;
    paused_until_ms: number | null;
    reason: string | null;
    failed_items: unknown;
  }>(
    db,
    sql`
    WITH m AS (SELECT to_char(${now} AT TIME ZONE ${QUOTA_TZ}, 'YYYY-MM') AS month)
    SELECT (SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
              FROM (SELECT status, count(*)::int AS n FROM outbox WHERE office_id = f.id GROUP BY status) s) AS counts,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('reason', reason, 'count', n) ORDER BY n DESC, reason),
                            '[]'::jsonb)
              FROM (SELECT coalesce(last_error, '') AS reason, count(*)::int AS n
                      FROM outbox WHERE office_id = f.id AND status = 'dead'
                     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10) d) AS dead_reasons,
           m.month,
           (SELECT pushes FROM push_usage u WHERE u.office_id = f.id AND u.month = m.month) AS pushes,
           f.push_quota,
           CASE WHEN f.sends_paused_until > ${now}
                THEN (extract(epoch FROM f.sends_paused_until) * 1000)::float8 END AS paused_until_ms,
           CASE WHEN f.sends_paused_until > ${now} THEN f.sends_paused_reason END AS reason,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'count', n) ORDER BY n DESC, kind), '[]'::jsonb)
              FROM (SELECT kind, count(*)::int AS n FROM outbox_items
                     WHERE office_id = f.id AND bundled_on IS NOT NULL AND failed IS NOT NULL
                     GROUP BY kind) fi) AS failed_items
      FROM offices f, m
     WHERE f.id = ${officeId}::uuid`,
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const counts = parseJson(row.counts) as Partial<Record<'pending' | 'sent' | 'dead', number>>;
  return {
    counts: { pending: counts.pending ?? 0, sent: counts.sent ?? 0, dead: counts.dead ?? 0 },
    deadReasons: parseJson(row.dead_reasons) as { reason: string; count: number }[],
    month: row.month,
    pushesThisMonth: row.pushes ?? 0,
    quota: row.push_quota,
    pausedUntil: row.paused_until_ms === null ? null : new Date(Number(row.paused_until_ms)).toISOString(),
    pausedReason: row.reason,
    failedItems: parseJson(row.failed_items) as { kind: string; count: number }[],
  };
}
