// SQL for planning the daily bundles. The clock comes only from `at`, turned into each office's local day and hour
// with `AT TIME ZONE`. An office's reminder hour is planned once, under a plan_marks row; planning it is one
// statement that reads who is due from the pending-assignment set (pending_assignments, kept by triggers), the
// office's calendar and the queued bundle items, builds each person's bundle as data, stores each distinct bundle
// once (outbox_bodies) and writes one small outbox row per person, all inside Postgres: nothing crosses the wire.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type FixedStatement, fixedStatement, queryRows, queryRowsFixed, queryRowsPrepared } from '../db/client.js';
import { outboxStatuses } from '../db/schema.js';
import { keySql, outboxRowId } from '../outbox/enqueue.queries.js';

export type { CampaignItem, EventItem, TeachersItem, SchoolsItem } from '../outbox/bundle.js';

export interface PlanWindow {
  /** The tick's instant, ISO 8601. */
  at: string;
  /** Days before the due day (in local days) on which a campaign is reminded. */
  offsets: number[];
  /** Overdue days after which principals hear who has not answered; supervisors after twice as many. */
  escalateAfterDays: number;
}

/** [qs, 24) ∪ [0, qe) when qs > qe; [qs, qe) when qs < qe; no quiet hours when they are equal. */
const inQuiet = (h: SQL, qs: SQL, qe: SQL) =>
  sql`(CASE WHEN ${qs} > ${qe} THEN ${h} >= ${qs} OR ${h} < ${qe}
            WHEN ${qs} < ${qe} THEN ${h} >= ${qs} AND ${h} < ${qe} ELSE false END)`;

/** An hour inside quiet hours moves to their end. */
const effectiveHour = (h: SQL, qs: SQL, qe: SQL) => sql`(CASE WHEN ${inQuiet(h, qs, qe)} THEN ${qe} ELSE ${h} END)`;

/** An office's local day and hour at `at`, and whether pushes may go out then (a weekday, no holiday, not quiet). */
export interface OfficeSlot extends Record<string, unknown> {
  id: string;
  tz: string;
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  /** ISO day of week, 1 = Monday. */
  dow: number;
  quiet_start: number;
  quiet_end: number;
  open: boolean;
  /** The ISO week's first working day there (Monday, or the next weekday that is no holiday), whatever the hour. */
  digest_day: boolean;
  /** YYYY-MM-DD of the ISO week's Monday: the week's digest marker is kept under it. */
  week_start: string;
  /** This hour's marker slot (`hNN`), the one claimHour claims and planBundles records rows on. */
  slot: string;
  /** The highest hour already planned today (-1: none), and whether this hour is. */
  last_hour: number;
  planned: boolean;
  digest_staged: boolean;
}

const slotSql = (at: string, where: SQL) => sql`
  SELECT o.id, o.time_zone AS tz, to_char(l.d, 'YYYY-MM-DD') AS day, l.h AS hour, l.dow, k.slot, o.quiet_start,
         o.quiet_end,
         (l.dow < 6 AND NOT ${inQuiet(sql`l.h`, sql`o.quiet_start`, sql`o.quiet_end`)}
          -- While sends are paused (LINE's monthly quota) nothing is planned: the items wait for the first bundle
          -- after the pause, instead of a month of daily rows going out together when it ends.
          AND (o.sends_paused_until IS NULL OR o.sends_paused_until <= ${at}::timestamptz)
          AND NOT EXISTS (SELECT 1 FROM calendar_events e
                           WHERE e.office_id = o.id AND e.kind = 'holiday' AND e.starts_on <= l.d AND e.ends_on >= l.d))
           AS open,
         -- The ISO week's first working day: a weekday with no holiday, and no earlier one this week.
         (l.dow < 6
           AND NOT EXISTS (SELECT 1 FROM generate_series(date_trunc('week', l.d), l.d - 1, interval '1 day') g(d)
                            WHERE extract(isodow FROM g.d) < 6
                              AND NOT EXISTS (SELECT 1 FROM calendar_events e
                                               WHERE e.office_id = o.id AND e.kind = 'holiday'
                                                 AND e.starts_on <= g.d::date AND e.ends_on >= g.d::date))
           AND NOT EXISTS (SELECT 1 FROM calendar_events e
                            WHERE e.office_id = o.id AND e.kind = 'holiday' AND e.starts_on <= l.d AND e.ends_on >= l.d))
           AS digest_day,
         to_char(date_trunc('week', l.d), 'YYYY-MM-DD') AS week_start,
         coalesce((SELECT max(substr(m.slot, 2)::int) FROM plan_marks m
                    WHERE m.office_id = o.id AND m.day = l.d AND m.slot LIKE 'h%'), -1) AS last_hour,
         EXISTS (SELECT 1 FROM plan_marks m WHERE m.office_id = o.id AND m.day = l.d AND m.slot = k.slot)
           AS planned,
         -- The week's digest, keyed by the ISO week (its Monday): a Monday holiday moves it to the next working day.
         EXISTS (SELECT 1 FROM plan_marks m WHERE m.office_id = o.id AND m.day = date_trunc('week', l.d)::date
                    AND m.slot = 'digest')
           AS digest_staged
    FROM offices o
    CROSS JOIN LATERAL (SELECT ${at}::timestamptz AT TIME ZONE o.time_zone AS lt) t
    CROSS JOIN LATERAL (SELECT t.lt::date AS d, extract(hour FROM t.lt)::int AS h, extract(isodow FROM t.lt)::int AS dow) l
    CROSS JOIN LATERAL (SELECT 'h' || lpad(l.h::text, 2, '0') AS slot) k
   WHERE ${where}`;

/** One office's slot at `at` (undefined: no such office). */
export async function officeSlot(db: Db, at: string, officeId: string): Promise<OfficeSlot | undefined> {
  return (await queryRowsPrepared<OfficeSlot>(db, 'plan_slot', slotSql(at, sql`o.id = ${officeId}::uuid`)))[0];
}

/**
 * Offices with work at `at`: open and this hour not yet planned. This is what an idle tick costs: one read of the
 * offices (245 nationally) against their markers.
 */
export async function officesToPlan(db: Db, at: string): Promise<OfficeSlot[]> {
  const rows = await queryRows<OfficeSlot>(db, sql`SELECT * FROM (${slotSql(at, sql`true`)}) x ORDER BY x.id`);
  return rows.filter((r) => r.open && !r.planned);
}

/**
 * Takes the office's planning lock for the rest of the transaction: two planners of one office (a late tick and the
 * next, a unit retried while another runs) plan one after the other, and a submission in flight (which shares the
 * lock, migration 0015) commits before a planner reads the pending set, or waits until it has planned.
 */
export async function lockOfficePlanning(db: Db, officeId: string): Promise<void> {
  await queryRowsPrepared(db, 'plan_lock', sql`SELECT pg_advisory_xact_lock(nithet_plan_lock_key(${officeId}::uuid))`);
}

/** Claims a slot (`hNN` or `digest`) of an office's day; false when another run has it. Inside the plan's transaction. */
export async function claimSlot(db: Db, officeId: string, day: string, slot: string, at: string): Promise<boolean> {
  const rows = await queryRowsPrepared<{ ok: number }>(
    db,
    'plan_claim',
    sql`INSERT INTO plan_marks (office_id, day, slot, at) VALUES (${officeId}::uuid, ${day}::date, ${slot}, ${at}::timestamptz)
        ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
  );
  return rows.length > 0;
}

/** An office's slot as claimHour read it, whether it claimed the hour, and whether a campaign waits to be announced. */
export type ClaimedHour = OfficeSlot & { claimed: boolean; announce: boolean };

/**
 * An office's slot at `at`, read again under its planning lock, and its hour claimed when open and not yet planned
 * (`claimed`): one statement for what officeSlot then claimSlot do, a round trip less per unit of work. It also
 * says whether a campaign of the office waits to be announced (`announce`), so that most hours, which have none,
 * skip queueAnnouncements' statement: another round trip less.
 */
export async function claimHour(db: Db, at: string, officeId: string): Promise<ClaimedHour | undefined> {
  const rows = await queryRowsPrepared<ClaimedHour>(
    db,
    'plan_claim_hour',
    sql`
    WITH s AS (${slotSql(at, sql`o.id = ${officeId}::uuid`)}),
    claim AS (
      INSERT INTO plan_marks (office_id, day, slot, at)
      SELECT s.id, s.day::date, s.slot, ${at}::timestamptz FROM s WHERE s.open AND NOT s.planned
      ON CONFLICT DO NOTHING RETURNING 1)
    SELECT s.*, EXISTS (SELECT 1 FROM claim) AS claimed,
           EXISTS (SELECT 1 FROM campaigns c WHERE ${toAnnounce(sql`${officeId}::uuid`, sql`${at}::timestamptz`)}) AS announce
      FROM s`,
  );
  return rows[0];
}

/** The office's campaigns (`c`) that have opened at `at` and are still to be announced. */
const toAnnounce = (officeId: SQL, at: SQL): SQL =>
  sql`c.office_id = ${officeId} AND c.announce AND c.announced_at IS NULL AND c.opens_at <= ${at}
      AND (c.closed_at IS NULL OR c.closed_at > ${at}) AND c.due_at > ${at}`;

/**
 * Announcements of campaigns that have opened: one item per person still to answer (from the pending set; a
 * school-scope campaign's principals), queued for their bundle, then the campaign is marked announced.
 */
export async function queueAnnouncements(db: Db, at: string, officeId: string): Promise<number> {
  const rows = await queryRowsPrepared<{ n: number }>(
    db,
    'plan_announce',
    sql`
    WITH c AS (
      SELECT c.id, c.title_th, c.due_at FROM campaigns c
       WHERE ${toAnnounce(sql`${officeId}::uuid`, sql`${at}::timestamptz`)}),
    who AS (
      SELECT DISTINCT c.id, c.title_th, c.due_at, p.id AS person_id
        FROM c
        JOIN pending_assignments pa ON pa.campaign_id = c.id
        JOIN people p ON p.id = pa.person_id OR (pa.person_id IS NULL AND p.school_id = pa.school_id AND p.role = 'principal')
       WHERE p.office_id = ${officeId}::uuid AND p.status = 'active' AND p.line_user_id IS NOT NULL),
    ins AS (
      INSERT INTO outbox_items (office_id, person_id, key, kind, data, due_at)
      SELECT ${officeId}::uuid, who.person_id, ${keySql('announce', sql`who.id`)}, 'announce',
             jsonb_build_object('k', 'announce', 'c', who.id, 't', who.title_th,
                                'due', (extract(epoch FROM who.due_at) * 1000)::bigint),
             ${at}::timestamptz
        FROM who
      ON CONFLICT (person_id, key) DO NOTHING
      RETURNING 1),
    done AS (UPDATE campaigns SET announced_at = ${at}::timestamptz WHERE id IN (SELECT id FROM c) RETURNING 1)
    SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT count(*) FROM done)::int AS campaigns`,
  );
  return rows[0]?.n ?? 0;
}

export interface BundleReport extends Record<string, unknown> {
  /** People with something in their bundle. */
  people: number;
  /** Outbox rows written (one per person per local day). */
  rows: number;
  /** Distinct bodies among them. */
  bodies: number;
  /** Items bundled, and of them escalations (teachers to a principal, schools to a supervisor). */
  items: number;
  escalations: number;
}

/** Reminder kinds: what mute silences (notices of visits, submissions, digests and published notices still go). */
const REMINDER_KINDS = ['campaign', 'event', 'teachers', 'schools', 'announce', 'action'];

/**
 * The bundle statement's text, built once per variant (with or without the marker's update, `marked`): each unit
 * sends only its name and values (its ~12 KB text built and hashed per unit was a sixth of the day's Node CPU).
 */
function bundleSql(marked: boolean): SQL {
  // Each run's values, by name.
  const v = (name: string) => sql.placeholder(name);
  const at = sql`${v('at')}::timestamptz`;
  const eh = effectiveHour(sql`p.reminder_hour`, sql`p.qs`, sql`p.qe`);
  const hourDue = (h: SQL) => {
    const e = effectiveHour(h, sql`og.qs`, sql`og.qe`);
    return sql`${e} > og.last AND ${e} <= og.h`;
  };
  const msAt = (c: SQL) => sql`(extract(epoch FROM ${c}) * 1000)::bigint`;
  // og.hours: each office's reminder hours that fall due now (the effective hour in (last planned, this hour]),
  // worked out once for the day's 24 hours rather than per person.
  return sql`
    WITH og AS MATERIALIZED (
      SELECT og.*, ARRAY(SELECT x FROM generate_series(0, 23) x WHERE ${hourDue(sql`x`)}) AS hours
        FROM unnest(${v('id')}::uuid[], ${v('tz')}::text[], ${v('day')}::date[], ${v('hour')}::int[],
                    ${v('last_hour')}::int[], ${v('quiet_start')}::int[], ${v('quiet_end')}::int[])
          AS og(id, tz, d, h, last, qs, qe)),
    -- Today's rows the offices already have (an earlier hour, a bundle sent early for an urgent item, a run whose
    -- marker was lost), read by outbox_office_status_idx from the local day's midnight on: a row of day d is planned
    -- at an instant of d, and its not_before only ever moves later (leases, retries), so every one is found here.
    -- The new rows leave those people out and are inserted plainly: an ON CONFLICT arbiter probe of the primary key
    -- per row was about a tenth of the statement. The primary key still refuses a second row for a person's day.
    -- Matched by person, not by id: a row planned under an earlier id scheme (md5, before fb8b030) counts too.
    seen AS MATERIALIZED (
      SELECT o.person_id
        FROM og
       CROSS JOIN LATERAL (
             SELECT o.person_id FROM outbox o
              WHERE o.office_id = og.id AND o.status = ANY(${v('statuses')}::text[])
                AND o.not_before >= (og.d::timestamp AT TIME ZONE og.tz) AND o.local_day = og.d
             OFFSET 0) o),
    urgent AS MATERIALIZED (
      SELECT i.person_id, min(i.urgent_by) AS by
        FROM outbox_items i
       WHERE i.office_id = ANY(${v('id')}::uuid[]) AND i.bundled_on IS NULL AND i.due_at <= ${at}
         AND i.urgent_by > ${at}
       GROUP BY i.person_id),
    -- The offices' people, read once: who is due now (ppl), and the names of teachers a principal hears about.
    op AS MATERIALIZED (
      SELECT p.*, og.d, og.tz, og.hours, og.qs, og.qe
        FROM og
       CROSS JOIN LATERAL (
             SELECT p.id, p.office_id, p.role, p.school_id, p.channel_id, p.muted, p.reminder_hour, p.status,
                    p.line_user_id, p.display_name
               FROM people p WHERE p.office_id = og.id
             OFFSET 0) p),
    ppl AS MATERIALIZED (
      SELECT p.id, p.office_id, p.role, p.school_id, p.channel_id, p.muted, p.d, p.tz
        FROM op p
        LEFT JOIN urgent u ON u.person_id = p.id
       WHERE p.status = 'active' AND p.channel_id IS NOT NULL AND p.line_user_id IS NOT NULL
         -- The urgent test only for people with an urgent item: its time zone conversion, run for everyone whose hour
         -- has not come, was a fifth of planning an hour in which nobody is due.
         AND (p.reminder_hour = ANY(p.hours)
              OR u.by IS NOT NULL
                 AND u.by < ((p.d + make_interval(hours => ${eh})) AT TIME ZONE p.tz) + interval '30 minutes')),
    dc AS MATERIALIZED (
      SELECT cp.id, cp.office_id, cp.title_th, cp.due_at, cp.scope,
             og.d - (cp.due_at AT TIME ZONE og.tz)::date AS late, cp.due_at < ${at} AS overdue
        FROM og
       CROSS JOIN LATERAL (
             SELECT cp.id, cp.office_id, cp.title_th, cp.due_at,
                    (SELECT ck.scope FROM checklists ck WHERE ck.id = cp.checklist_id) AS scope
               FROM campaigns cp
              WHERE cp.office_id = og.id AND cp.due_at < ${at} + make_interval(days => ${v('horizon')})
                AND cp.opens_at <= ${at} AND (cp.closed_at IS NULL OR cp.closed_at > ${at})
                -- A school's pre-visit self-assessment is reminded of until its visit, never after.
                AND NOT (cp.system AND cp.due_at <= ${at})
             OFFSET 0) cp
       WHERE cp.due_at < ${at} OR (cp.due_at AT TIME ZONE og.tz)::date - og.d = ANY(${v('offsets')}::int[])),
    -- Who still has to answer the due campaigns, read once by campaign: the pending set alone says who is due (a
    -- submission deletes its row, migration 0009), and the escalations below count from the same rows.
    pend AS MATERIALIZED (
      SELECT dc.id AS campaign_id, pa.person_id, pa.school_id, pa.role, pa.started, dc.scope, dc.overdue, dc.late
        FROM dc
       CROSS JOIN LATERAL (
             SELECT pa.person_id, pa.school_id, pa.role, pa.started FROM pending_assignments pa
              WHERE pa.campaign_id = dc.id
             OFFSET 0) pa),
    -- Person-scope: the person's own pending row; school-scope: the school's, for its principals.
    due AS (
      SELECT pe.person_id, pe.campaign_id, pe.started FROM pend pe WHERE pe.scope = 'person'
      UNION ALL
      SELECT p.id, pe.campaign_id, pe.started FROM pend pe
        JOIN ppl p ON p.school_id = pe.school_id AND p.role = 'principal'
       WHERE pe.scope = 'school'),
    -- Each item is built once, as jsonb, under a key (vk) that determines it and its sort key: which campaign, event,
    -- school or queued item, and what varies (a campaign's started flag, the supervisor a list is for, a queued
    -- item's data). A person's bundle is then the list of their items' keys, and only distinct lists are built into
    -- bodies and hashed (about 120 for an office's 1,000 people): a body built and hashed per person was a third of
    -- the statement's time. The bodies (and hashes) are what building one per person gives.
    cid AS (
      SELECT 'c' || dc.id::text || s.bit AS vk,
             jsonb_build_object('k', 'campaign', 'c', dc.id, 't', dc.title_th, 'due', ${msAt(sql`dc.due_at`)},
                                'late', dc.late, 'overdue', dc.overdue,
                                'st', CASE WHEN s.bit = '1' THEN 'in_progress' END) AS item
        FROM dc CROSS JOIN (VALUES ('0'), ('1')) s(bit)),
    evd AS MATERIALIZED (
      SELECT og.id AS office_id, e.roles, 'e' || e.id::text AS vk,
             jsonb_build_object('k', 'event', 't', e.title_th, 'kind', e.kind, 'on', to_char(e.starts_on, 'YYYY-MM-DD'),
                                'in', e.starts_on - og.d) AS item
        FROM og
       CROSS JOIN LATERAL (
             SELECT e.id, e.roles, e.title_th, e.kind, e.starts_on FROM calendar_events e
              WHERE e.office_id = og.id AND e.kind IN ('meeting', 'deadline', 'report')
                AND e.starts_on BETWEEN og.d AND og.d + 1
             OFFSET 0) e),
    -- Escalations are counts over the pending set, for the schools whose principal (or supervisor) is due now.
    prin AS MATERIALIZED (SELECT id, school_id FROM ppl WHERE role = 'principal' AND NOT muted),
    -- A school's missing teachers by name: one sort of them all, aggregated in that order (a sort per school, as
    -- an ordered aggregate does, was a fifth of the statement). Pending people are their campaign's office's.
    tnames AS (
      SELECT pe.campaign_id, pe.school_id, m.display_name
        FROM pend pe JOIN op m ON m.id = pe.person_id
       WHERE pe.overdue AND pe.late >= ${v('n')} AND pe.scope = 'person' AND pe.person_id IS NOT NULL
         AND pe.role <> 'principal' AND pe.school_id IN (SELECT school_id FROM prin)
       ORDER BY pe.campaign_id, pe.school_id, m.display_name),
    tmiss AS MATERIALIZED (
      SELECT tm.school_id, 't' || dc.id::text || tm.school_id::text AS vk,
             jsonb_build_object('k', 'teachers', 'c', dc.id, 't', dc.title_th, 'due', ${msAt(sql`dc.due_at`)},
                                'late', dc.late, 'n', tm.n, 'names', tm.names) AS item,
             't' || dc.id::text AS sk
        FROM (SELECT campaign_id, school_id, count(*)::int AS n, (array_agg(display_name))[1:10] AS names
                FROM tnames GROUP BY campaign_id, school_id) tm
        JOIN dc ON dc.id = tm.campaign_id),
    -- Main supervisors due now, their assignments (a school, or a cluster), and the schools those cover, matched
    -- by hashing against the office's schools (read only when a supervisor is due).
    sa AS MATERIALIZED (
      SELECT sp.id AS person_id, sp.office_id, a.school_id, a.cluster_id
        FROM ppl sp
       CROSS JOIN LATERAL (
             SELECT sa.school_id, sa.cluster_id FROM supervisor_assignments sa
              WHERE sa.supervisor_id = sp.id AND sa.kind = 'main'
             OFFSET 0) a
       WHERE sp.role = 'supervisor' AND NOT sp.muted
         AND EXISTS (SELECT 1 FROM dc WHERE dc.office_id = sp.office_id AND dc.overdue AND dc.late >= ${v('n2')})),
    osch AS MATERIALIZED (
      SELECT og.id AS office_id, sc.id, sc.cluster_id, sc.name_th
        FROM og
       CROSS JOIN LATERAL (SELECT sc.id, sc.cluster_id, sc.name_th FROM schools sc WHERE sc.office_id = og.id OFFSET 0) sc
       WHERE EXISTS (SELECT 1 FROM sa)),
    sup AS MATERIALIZED (
      SELECT a.person_id, a.office_id, sc.id AS school_id, sc.name_th
        FROM sa a JOIN osch sc ON sc.office_id = a.office_id AND sc.id = a.school_id
      UNION
      SELECT a.person_id, a.office_id, sc.id, sc.name_th
        FROM sa a JOIN osch sc ON sc.office_id = a.office_id AND sc.cluster_id = a.cluster_id),
    smiss AS (
      SELECT pe.campaign_id, pe.school_id, count(*)::int AS n
        FROM pend pe
       WHERE pe.overdue AND pe.late >= ${v('n2')} AND pe.school_id IN (SELECT school_id FROM sup)
       GROUP BY pe.campaign_id, pe.school_id),
    -- One per supervisor and campaign: the item's key names the supervisor. Schools most missing first: one sort
    -- of them all, aggregated in that order.
    sch AS MATERIALIZED (
      SELECT g.person_id, 's' || dc.id::text || g.person_id::text AS vk,
             jsonb_build_object('k', 'schools', 'c', dc.id, 't', dc.title_th, 'due', ${msAt(sql`dc.due_at`)},
                                'late', dc.late, 'scope', dc.scope, 'schools', g.schools, 'people', g.people,
                                'list', g.list) AS item,
             's' || dc.id::text AS sk
        FROM (SELECT s.person_id, s.campaign_id, count(*) AS schools, sum(s.n) AS people,
                     (array_agg(jsonb_build_object('s', s.name_th, 'n', s.n)))[1:10] AS list
                FROM (SELECT sup.person_id, sm.campaign_id, sm.n, sup.name_th
                        FROM smiss sm JOIN sup ON sup.school_id = sm.school_id
                       ORDER BY sup.person_id, sm.campaign_id, sm.n DESC, sup.name_th) s
               GROUP BY s.person_id, s.campaign_id) g
        JOIN dc ON dc.id = g.campaign_id),
    qi AS MATERIALIZED (
      SELECT i.person_id, i.key, i.data AS item, 'q' || i.key AS sk, 'q' || md5(i.key || ' ' || i.data::text) AS vk
        FROM outbox_items i JOIN ppl p ON p.id = i.person_id
       WHERE i.office_id = ANY(${v('id')}::uuid[]) AND i.bundled_on IS NULL AND i.due_at <= ${at}
         AND (NOT p.muted OR NOT (i.kind = ANY(${v('kinds')}::text[])))),
    defs AS MATERIALIZED (
      SELECT vk, item FROM cid
      UNION ALL SELECT vk, item FROM evd
      UNION ALL SELECT vk, item FROM tmiss
      UNION ALL SELECT vk, item FROM sch
      UNION ALL SELECT DISTINCT ON (vk) vk, item FROM qi),
    items AS (
      SELECT due.person_id, 'c' || due.campaign_id::text AS sk,
             'c' || due.campaign_id::text || CASE WHEN due.started THEN '1' ELSE '0' END AS vk
        FROM due JOIN ppl p ON p.id = due.person_id AND NOT p.muted
      UNION ALL
      SELECT p.id, evd.vk, evd.vk
        FROM evd JOIN ppl p ON p.office_id = evd.office_id AND NOT p.muted AND p.role = ANY(evd.roles)
      UNION ALL SELECT pr.id, tm.sk, tm.vk FROM tmiss tm JOIN prin pr ON pr.school_id = tm.school_id
      UNION ALL SELECT person_id, sk, vk FROM sch
      UNION ALL SELECT person_id, sk, vk FROM qi),
    -- Items in a fixed order by a short key of what they are (campaign, event, queued item key), compared
    -- bytewise: the same items make the same list (and body, and hash) for everyone. One sort of all the items,
    -- aggregated in that order (a statement that writes never runs in parallel), rather than a sort per person.
    agg AS (
      SELECT i.person_id, string_agg(i.vk, ',') COLLATE "C" AS key
        FROM (SELECT * FROM items ORDER BY person_id, sk COLLATE "C") i
       GROUP BY i.person_id),
    per AS MATERIALIZED (
      SELECT p.id AS person_id, p.office_id, p.channel_id, p.d, p.tz, a.key
        FROM agg a JOIN ppl p ON p.id = a.person_id),
    -- The distinct bundles, each built from its items' keys in order and hashed once: one sort of every bundle's
    -- items, aggregated in that order (an ordered aggregate sorts per bundle). The bundles' keys are all split
    -- first (fenced) and then matched with the items in one hash join: joined inside the LATERAL split, the items
    -- were hashed and scanned again for every distinct bundle (a fifth of the statement).
    built AS MATERIALIZED (
      SELECT b.d, b.tz, b.key, md5(b.body::text)::uuid AS hash, b.body, b.n, b.esc
        FROM (SELECT k.d, k.tz, k.key,
                     jsonb_build_object('day', to_char(k.d, 'YYYY-MM-DD'), 'tz', k.tz, 'items', jsonb_agg(k.item))
                       AS body,
                     count(*) AS n, count(*) FILTER (WHERE left(k.vk, 1) IN ('t', 's')) AS esc
                FROM (SELECT k.d, k.tz, k.key, k.vk, df.item
                        FROM (SELECT k.d, k.tz, k.key, x.vk, x.o
                                FROM (SELECT DISTINCT d, tz, key FROM per) k
                               CROSS JOIN LATERAL unnest(string_to_array(k.key, ',')) WITH ORDINALITY x(vk, o)
                              OFFSET 0) k
                        JOIN defs df ON df.vk = k.vk
                       ORDER BY k.d, k.tz, k.key, k.o) k
               GROUP BY k.d, k.tz, k.key) b),
    hashed AS MATERIALIZED (
      SELECT ${outboxRowId(sql`p.person_id`, sql`p.d`)} AS id, p.person_id, p.office_id, p.channel_id,
             p.d, b.hash
        FROM per p JOIN built b ON b.d = p.d AND b.tz = p.tz AND b.key = p.key),
    bodies AS (
      INSERT INTO outbox_bodies AS b (hash, body, used_at)
      SELECT DISTINCT ON (hash) hash, body, ${at} FROM built
      ON CONFLICT (hash) DO UPDATE SET used_at = excluded.used_at WHERE b.used_at < excluded.used_at - interval '1 day'
      RETURNING 1),
    ins AS (
      INSERT INTO outbox (id, office_id, channel_id, person_id, local_day, kind, body, not_before)
      SELECT h.id, h.office_id, h.channel_id, h.person_id, h.d, 'bundle', h.hash, ${at}
        FROM hashed h
       WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.person_id = h.person_id)
       ORDER BY h.id
      RETURNING person_id, body, local_day),
    -- The queued items the new rows carry, found among the office's waiting items (by their index), not by
    -- probing the national table per item.
    stamp AS (
      UPDATE outbox_items i SET bundled_on = s.local_day
        FROM (SELECT qi.person_id, qi.key, ins.local_day FROM qi JOIN ins ON ins.person_id = qi.person_id) s
       WHERE i.office_id = ANY(${v('id')}::uuid[]) AND i.bundled_on IS NULL AND i.due_at <= ${at}
         AND i.person_id = s.person_id AND i.key = s.key
      RETURNING 1)${
        marked
          ? sql`,
    marked AS (
      UPDATE plan_marks SET rows = (SELECT count(*) FROM ins)
       WHERE office_id = ${v('mark_office')}::uuid AND day = ${v('mark_day')}::date AND slot = ${v('mark_slot')}
      RETURNING 1)`
          : sql``
      }
    SELECT (SELECT count(*) FROM hashed)::int AS people, (SELECT count(*) FROM ins)::int AS rows,
           t.bodies, t.items, t.escalations,
           (SELECT count(*) FROM bodies)::int AS new_bodies, (SELECT count(*) FROM stamp)::int AS stamped${
             marked ? sql`, (SELECT count(*) FROM marked)::int AS marked` : sql``
           }
      -- Distinct bodies, items and escalations of the rows written, by body (a body's counts are its own; each is in
      -- built once, so its groups count the bodies, without a second sort of the rows).
      FROM (SELECT count(*)::int AS bodies, coalesce(sum(b.n * c.rows), 0)::int AS items,
                   coalesce(sum(b.esc * c.rows), 0)::int AS escalations
              FROM (SELECT body, count(*) AS rows FROM ins GROUP BY body) c
              JOIN (SELECT DISTINCT ON (hash) hash, n, esc FROM built) b ON b.hash = c.body) t`;
}

let bundleStatements: [FixedStatement, FixedStatement] | undefined;

/**
 * Plans the bundles of offices' current hours (one office for the per-office unit, a batch of them for the
 * all-offices run): everyone linked and active whose reminder hour (moved out of quiet hours) is in (the office's
 * last planned hour, this hour], and anyone with a queued item that would be too late at their own hour (a visit
 * before it), gets one outbox row with everything due: open campaigns due at an offset or overdue that they (or,
 * school-scope, their school) still have to answer; today's and tomorrow's calendar events for their role; for
 * principals, who in their school has not answered a campaign N days overdue, and for main supervisors, their
 * schools missing answers 2N days overdue; and their queued items due by now. Muted people get only the notices. A
 * person already bundled today is left alone (the row's id is the person's day: one push a day).
 *
 * How it is planned: every table is read through a LATERAL subquery (fenced with OFFSET 0, so it is not flattened)
 * driven by a small set (the offices, their due campaigns, a supervisor's assignments), so each read is an index
 * lookup; every join between the statement's own CTEs is hashed, because the statement runs with enable_nestloop
 * off. Postgres, blind to a CTE's size, estimated a row or two for each and looped: the
 * escalations alone (the pending set probed once per principal's and supervisor's school, a scan of one CTE per
 * row of another) were half of the statement. Its planner settings last until the transaction ends, so it is the
 * transaction's last statement.
 */
export async function planBundles(
  db: Db,
  w: PlanWindow,
  slots: OfficeSlot[],
  /** The marker (claimed earlier in the transaction) that records how many rows this statement wrote. */
  mark?: { officeId: string; day: string; slot: string },
): Promise<BundleReport> {
  if (slots.length === 0) return { people: 0, rows: 0, bodies: 0, items: 0, escalations: 0 };
  // For the rest of the transaction, of which this is the last statement (the settings end with it, so nothing
  // sets them back: a round trip less per unit): no nested loops (each join with a CTE the planner cannot size), no
  // JIT (which the cost of the disabled loops the LATERAL reads still need would otherwise switch on: 3 s to
  // compile), its generic plan (a named statement, planned once per connection; the LATERAL reads make it the same
  // as a custom one), and no sequential scans: that plan may be made while the day's outbox is still empty, and a
  // scan chosen then for the day's rows (seen, below) read the whole grown outbox for every later office (measured:
  // 12-42% more Postgres CPU for the day). Every table here is meant to be read by an index.
  await queryRowsPrepared(
    db,
    'plan_settings',
    sql`SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true),
               set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true)`,
  );
  bundleStatements ??= [
    fixedStatement('plan_bundles', bundleSql(false)),
    fixedStatement('plan_bundles', bundleSql(true)),
  ];
  const rows = await queryRowsFixed<BundleReport>(db, bundleStatements[mark === undefined ? 0 : 1], {
    id: slots.map((o) => o.id),
    tz: slots.map((o) => o.tz),
    day: slots.map((o) => o.day),
    hour: slots.map((o) => o.hour),
    last_hour: slots.map((o) => o.last_hour),
    quiet_start: slots.map((o) => o.quiet_start),
    quiet_end: slots.map((o) => o.quiet_end),
    at: w.at,
    n: w.escalateAfterDays,
    n2: 2 * w.escalateAfterDays,
    horizon: Math.max(0, ...w.offsets) + 2,
    offsets: w.offsets,
    statuses: [...outboxStatuses],
    kinds: REMINDER_KINDS,
    mark_office: mark?.officeId,
    mark_day: mark?.day,
    mark_slot: mark?.slot,
  });
  return rows[0] ?? { people: 0, rows: 0, bodies: 0, items: 0, escalations: 0 };
}
