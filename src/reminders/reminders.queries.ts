// SQL for planning the daily reminders. Everything is set-based and reads the clock only from `at`, turned into
// each office's local day and hour with `AT TIME ZONE`. Three kinds of statement: which offices have anything to
// say now; everything due for the people of a group of those offices (one row per person with their items); and
// INSERTs of the built pushes, whose unique dedupe key ("reminder:<person>:<local day>") makes planning idempotent.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface PlanWindow {
  /** The tick's instant, ISO 8601. */
  at: string;
  /** Days before the due day (in local days) on which a campaign is reminded. */
  offsets: number[];
  /** Overdue days after which principals hear who has not answered; supervisors after twice as many. */
  escalateAfterDays: number;
}

/** A campaign the person must still answer (due at an offset, or overdue). */
export interface CampaignItem {
  k: 'campaign';
  c: string;
  t: string;
  /** Due instant, epoch ms. */
  due: number;
  /** Local days past the due day: negative before it, 0 on it. */
  late: number;
  overdue: boolean;
  /** The person's (or school's) response so far, if started. */
  st: 'in_progress' | null;
}

/** A dated office event (meeting, deadline, report) today or tomorrow for the person's role. */
export interface EventItem {
  k: 'event';
  t: string;
  kind: 'meeting' | 'deadline' | 'report';
  /** YYYY-MM-DD */
  on: string;
  /** 0 today, 1 tomorrow. */
  in: number;
}

/** To a principal: the people of their school who have not answered an overdue campaign. */
export interface TeachersItem {
  k: 'teachers';
  c: string;
  t: string;
  due: number;
  late: number;
  n: number;
  /** Up to 10, by name. */
  names: string[];
}

/** To a main supervisor: their schools still missing answers to a long-overdue campaign. */
export interface SchoolsItem {
  k: 'schools';
  c: string;
  t: string;
  due: number;
  late: number;
  scope: 'person' | 'school';
  schools: number;
  people: number;
  /** Up to 10 schools, most missing first; `n` is people missing (1 for a school-scope campaign). */
  list: { s: string; n: number }[];
}

export type DueItem = CampaignItem | EventItem | TeachersItem | SchoolsItem;

export interface DuePerson extends Record<string, unknown> {
  person_id: string;
  office_id: string;
  channel_id: string;
  /** YYYY-MM-DD in the office's time zone. */
  local_day: string;
  time_zone: string;
  items: DueItem[];
}

/** [qs, 24) ∪ [0, qe) when qs > qe; [qs, qe) when qs < qe; no quiet hours when they are equal. */
const inQuiet = (h: SQL, qs: SQL, qe: SQL) =>
  sql`(CASE WHEN ${qs} > ${qe} THEN ${h} >= ${qs} OR ${h} < ${qe}
            WHEN ${qs} < ${qe} THEN ${h} >= ${qs} AND ${h} < ${qe} ELSE false END)`;

/**
 * The person (alias `p`) may get their reminder now: active, linked, not muted, their hour has come in the
 * office `og` (an hour inside quiet hours moves to the end of them), and not yet planned today.
 */
const reachable = (p: SQL) => sql`
  ${p}.status = 'active' AND NOT ${p}.muted AND ${p}.line_user_id IS NOT NULL AND ${p}.channel_id IS NOT NULL
  AND og.h >= CASE WHEN ${inQuiet(sql`${p}.reminder_hour`, sql`og.qs`, sql`og.qe`)} THEN og.qe ELSE ${p}.reminder_hour END
  AND NOT EXISTS (SELECT 1 FROM outbox x
                   WHERE x.dedupe_key = 'reminder:' || ${p}.id || ':' || to_char(og.d, 'YYYY-MM-DD'))`;

/**
 * dc: the offices' open campaigns due at an offset today or overdue. ev: their meetings, deadlines and reports
 * starting today or tomorrow. Both read `og` (id, tz, d = local day) from the statement they are part of.
 */
function dueCtes(w: PlanWindow): SQL {
  const at = sql`${w.at}::timestamptz`;
  // An upper bound on due_at lets campaigns_office_due_idx skip campaigns due far ahead.
  const horizon = Math.max(0, ...w.offsets) + 2;
  return sql`
    dc AS MATERIALIZED (
      SELECT cp.id, cp.office_id, cp.title_th, cp.due_at, ck.scope, cp.roles, cp.school_ids, cp.cluster_ids,
             og.d - (cp.due_at AT TIME ZONE og.tz)::date AS late, cp.due_at <= ${at} AS overdue
        FROM og
        JOIN campaigns cp ON cp.office_id = og.id AND cp.due_at < ${at} + make_interval(days => ${horizon})
        JOIN checklists ck ON ck.id = cp.checklist_id
       WHERE cp.opens_at <= ${at} AND (cp.closed_at IS NULL OR cp.closed_at > ${at})
         AND (cp.due_at <= ${at}
              OR (cp.due_at AT TIME ZONE og.tz)::date - og.d = ANY(${sql.param(w.offsets)}::int[]))),
    ev AS MATERIALIZED (
      SELECT e.office_id, e.title_th, e.kind, e.starts_on, e.roles, e.starts_on - og.d AS in_days
        FROM og
        JOIN calendar_events e ON e.office_id = og.id AND e.starts_on BETWEEN og.d AND og.d + 1
       WHERE e.kind IN ('meeting', 'deadline', 'report'))`;
}

/** An office where reminders may go out at the tick's instant, with its local day and hour then. */
export interface PlannableOffice extends Record<string, unknown> {
  id: string;
  tz: string;
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  quiet_start: number;
  quiet_end: number;
  /** People of the office (any status): sizes the groups of offices planned together. */
  people: number;
}

/**
 * Offices where a push may go out at `at` (a weekday that is no holiday, outside quiet hours) and that have a
 * campaign or an event to remind of, with their local day and hour.
 */
export async function plannableOffices(db: Db, w: PlanWindow, officeId: string | null): Promise<PlannableOffice[]> {
  return queryRows<PlannableOffice>(
    db,
    sql`
    WITH og AS MATERIALIZED (
      SELECT o.id, o.time_zone AS tz, o.quiet_start, o.quiet_end, l.d, l.h
        FROM offices o
        CROSS JOIN LATERAL (SELECT ${w.at}::timestamptz AT TIME ZONE o.time_zone AS lt) t
        CROSS JOIN LATERAL (SELECT t.lt::date AS d, extract(hour FROM t.lt)::int AS h,
                                   extract(isodow FROM t.lt)::int AS dow) l
       WHERE (${officeId}::uuid IS NULL OR o.id = ${officeId}::uuid)
         AND l.dow < 6
         AND NOT ${inQuiet(sql`l.h`, sql`o.quiet_start`, sql`o.quiet_end`)}
         AND NOT EXISTS (SELECT 1 FROM calendar_events e
                          WHERE e.office_id = o.id AND e.kind = 'holiday' AND e.starts_on <= l.d AND e.ends_on >= l.d)),
    ${dueCtes(w)}
    SELECT og.id, og.tz, to_char(og.d, 'YYYY-MM-DD') AS day, og.h AS hour, og.quiet_start, og.quiet_end,
           (SELECT count(*) FROM people p WHERE p.office_id = og.id)::int AS people
      FROM og
     WHERE EXISTS (SELECT 1 FROM dc WHERE dc.office_id = og.id) OR EXISTS (SELECT 1 FROM ev WHERE ev.office_id = og.id)
     ORDER BY og.id`,
  );
}

/**
 * Everyone in these offices whose reminder is due now and not yet planned today, with all their items: one row
 * per person. Who must answer a campaign follows loadTurn's rule (role in the campaign's roles, its school and
 * cluster filters); a school-scope campaign is answered by the school's principal, once per school.
 *
 * The offices come in as arrays rather than being re-derived from `at`: Postgres then knows how many there are
 * (unnest of a constant array) and sizes the joins below near the truth; re-deriving them, it guessed 2 offices
 * of 12 and looped (28 s instead of 0.5 s for 12 offices). Nor can it size a join of two large CTEs: items carry
 * their person's columns so the final GROUP BY joins nothing back, and escalations look their recipients up by
 * index rather than joining the people CTE to the missing counts. The people scan repeats the offices as
 * `p.office_id = ANY(…)`: joined only to og, whose rows the planner cannot see, it read the whole table per batch.
 */
export async function duePeople(db: Db, w: PlanWindow, offices: PlannableOffice[]): Promise<DuePerson[]> {
  const n = w.escalateAfterDays;
  const epochMs = (col: SQL) => sql`(extract(epoch FROM ${col}) * 1000)::bigint`;
  const col = <K extends keyof PlannableOffice>(k: K) => sql.param(offices.map((o) => o[k]));
  return queryRows<DuePerson>(
    db,
    sql`
    WITH og AS MATERIALIZED (
      SELECT * FROM unnest(${col('id')}::uuid[], ${col('tz')}::text[], ${col('day')}::date[], ${col('hour')}::int[],
                           ${col('quiet_start')}::int[], ${col('quiet_end')}::int[]) AS og(id, tz, d, h, qs, qe)),
    ${dueCtes(w)},
    p AS MATERIALIZED (
      SELECT p.id, p.office_id, p.role, p.school_id, s.cluster_id, p.channel_id, og.d, og.tz
        FROM og
        JOIN people p ON p.office_id = og.id
        LEFT JOIN schools s ON s.id = p.school_id
       WHERE p.office_id = ANY(${col('id')}::uuid[]) AND ${reachable(sql`p`)}),
    ci AS (
      SELECT p.id AS person_id, p.office_id, p.channel_id, p.d, p.tz,
             dc.id AS c, dc.title_th AS t, dc.due_at, dc.late, dc.overdue, r.status AS st
        FROM p
        JOIN dc ON dc.office_id = p.office_id AND p.role = ANY(dc.roles)
         AND (cardinality(dc.school_ids) = 0 OR p.school_id = ANY(dc.school_ids))
         AND (cardinality(dc.cluster_ids) = 0 OR p.cluster_id = ANY(dc.cluster_ids))
         AND (dc.scope = 'person' OR (p.role = 'principal' AND p.school_id IS NOT NULL))
        LEFT JOIN responses r ON r.campaign_id = dc.id
         AND r.subject_key = CASE WHEN dc.scope = 'school' THEN p.school_id ELSE p.id END
       WHERE r.status IS DISTINCT FROM 'submitted'),
    -- Overdue campaigns × the schools in their audience that have someone to tell now: a reachable principal not
    -- yet planned today, or (2N days late) such a main supervisor. Later ticks of the day then skip the counting.
    cs AS (
      SELECT dc.id AS c, dc.title_th AS t, dc.due_at, dc.late, dc.scope, dc.roles, dc.office_id,
             s.id AS school_id, s.cluster_id, s.name_th
        FROM dc
        JOIN og ON og.id = dc.office_id
        JOIN schools s ON s.office_id = dc.office_id
       WHERE dc.overdue AND dc.late >= ${n}
         AND (cardinality(dc.school_ids) = 0 OR s.id = ANY(dc.school_ids))
         AND (cardinality(dc.cluster_ids) = 0 OR s.cluster_id = ANY(dc.cluster_ids))
         AND ((dc.scope = 'person'
               AND EXISTS (SELECT 1 FROM people pr
                            WHERE pr.school_id = s.id AND pr.role = 'principal' AND ${reachable(sql`pr`)}))
              OR (dc.late >= ${2 * n}
                  AND EXISTS (SELECT 1 FROM supervisor_assignments sa JOIN people sp ON sp.id = sa.supervisor_id
                               WHERE (sa.school_id = s.id OR sa.cluster_id = s.cluster_id) AND sa.kind = 'main'
                                 AND sp.role = 'supervisor' AND sp.office_id = og.id AND ${reachable(sql`sp`)})))),
    -- Per overdue campaign and school: who has not submitted (a school-scope campaign: the school itself).
    -- nt and names leave out principals: a principal's own answer is already in their bundle, and the list
    -- they get is of their teachers.
    miss AS MATERIALIZED (
      SELECT cs.c, cs.t, cs.due_at, cs.late, cs.scope, cs.office_id, cs.school_id, cs.cluster_id, cs.name_th,
             count(*)::int AS n, count(*) FILTER (WHERE m.role <> 'principal')::int AS nt,
             (array_agg(m.display_name ORDER BY m.display_name) FILTER (WHERE m.role <> 'principal'))[1:10] AS names
        FROM cs
        JOIN people m ON m.school_id = cs.school_id AND m.role = ANY(cs.roles) AND m.status <> 'erased'
       WHERE cs.scope = 'person'
         AND NOT EXISTS (SELECT 1 FROM responses r
                          WHERE r.campaign_id = cs.c AND r.subject_key = m.id AND r.status = 'submitted')
       GROUP BY cs.c, cs.t, cs.due_at, cs.late, cs.scope, cs.office_id, cs.school_id, cs.cluster_id, cs.name_th
      UNION ALL
      SELECT cs.c, cs.t, cs.due_at, cs.late, cs.scope, cs.office_id, cs.school_id, cs.cluster_id, cs.name_th,
             1, 0, NULL
        FROM cs
       WHERE cs.scope = 'school'
         AND NOT EXISTS (SELECT 1 FROM responses r
                          WHERE r.campaign_id = cs.c AND r.subject_key = cs.school_id AND r.status = 'submitted')),
    -- Main supervisors of each school still missing answers 2N days after the due day: directly, or through the
    -- school's cluster (UNION: a school reached both ways counts once).
    sv AS (
      SELECT sa.supervisor_id, mi.*
        FROM miss mi JOIN supervisor_assignments sa ON sa.school_id = mi.school_id AND sa.kind = 'main'
       WHERE mi.late >= ${2 * n}
      UNION
      SELECT sa.supervisor_id, mi.*
        FROM miss mi JOIN supervisor_assignments sa ON sa.cluster_id = mi.cluster_id AND sa.kind = 'main'
       WHERE mi.late >= ${2 * n}),
    items AS (
      SELECT ci.person_id, ci.office_id, ci.channel_id, ci.d, ci.tz,
             json_build_object('k', 'campaign', 'c', ci.c, 't', ci.t, 'due', ${epochMs(sql`ci.due_at`)},
                               'late', ci.late, 'overdue', ci.overdue, 'st', ci.st) AS item
        FROM ci
      UNION ALL
      SELECT p.id, p.office_id, p.channel_id, p.d, p.tz,
             json_build_object('k', 'event', 't', ev.title_th, 'kind', ev.kind,
                               'on', to_char(ev.starts_on, 'YYYY-MM-DD'), 'in', ev.in_days)
        FROM p JOIN ev ON ev.office_id = p.office_id AND p.role = ANY(ev.roles)
      UNION ALL
      -- Escalations start from the schools and look their recipients up by index (principals by school,
      -- supervisors by assignment), checking reachability on the spot.
      SELECT pr.id, pr.office_id, pr.channel_id, og.d, og.tz,
             json_build_object('k', 'teachers', 'c', mi.c, 't', mi.t, 'due', ${epochMs(sql`mi.due_at`)},
                               'late', mi.late, 'n', mi.nt, 'names', mi.names)
        FROM miss mi
        JOIN people pr ON pr.school_id = mi.school_id AND pr.role = 'principal'
        JOIN og ON og.id = pr.office_id
       WHERE mi.scope = 'person' AND mi.nt > 0 AND ${reachable(sql`pr`)}
      UNION ALL
      SELECT sp.id, sp.office_id, sp.channel_id, og.d, og.tz,
             json_build_object('k', 'schools', 'c', sv.c, 't', sv.t, 'due', ${epochMs(sql`sv.due_at`)},
                               'late', sv.late, 'scope', sv.scope, 'schools', count(*), 'people', sum(sv.n),
                               'list', (array_agg(json_build_object('s', sv.name_th, 'n', sv.n)
                                                  ORDER BY sv.n DESC, sv.name_th))[1:10])
        FROM sv
        JOIN people sp ON sp.id = sv.supervisor_id AND sp.role = 'supervisor' AND sp.office_id = sv.office_id
        JOIN og ON og.id = sp.office_id
       WHERE ${reachable(sql`sp`)}
       GROUP BY sp.id, sp.office_id, sp.channel_id, og.d, og.tz, sv.c, sv.t, sv.due_at, sv.late, sv.scope)
    SELECT person_id, office_id, channel_id, to_char(d, 'YYYY-MM-DD') AS local_day, tz AS time_zone,
           json_agg(item) AS items
      FROM items
     GROUP BY person_id, office_id, channel_id, d, tz`,
  );
}

export interface PlannedPush {
  personId: string;
  officeId: string;
  channelId: string;
  localDay: string;
  messages: unknown[];
}

/**
 * One INSERT for all the pushes of a group. The dedupe key makes a repeat (a second tick, a concurrent one) plan
 * nothing. Returns the people whose row was inserted. message_hash lets the sender multicast identical bundles
 * (same campaigns, same days) on one channel. The person is not looked up again here: a mute or block that lands
 * between planning and sending is the sender's to honour, as it is for any row that waits in the outbox.
 */
export async function insertReminders(db: Db, at: string, pushes: PlannedPush[]): Promise<string[]> {
  if (pushes.length === 0) return [];
  const json = JSON.stringify(
    pushes.map((x) => ({
      person_id: x.personId,
      office_id: x.officeId,
      channel_id: x.channelId,
      local_day: x.localDay,
      messages: x.messages,
    })),
  );
  const rows = await queryRows<{ person_id: string }>(
    db,
    sql`
    INSERT INTO outbox (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before, local_day, message_hash)
    SELECT x.office_id, x.channel_id, x.person_id, 'reminder:' || x.person_id || ':' || to_char(x.local_day, 'YYYY-MM-DD'),
           'reminder', x.messages, ${at}::timestamptz, x.local_day, md5(x.messages::text)
      FROM jsonb_to_recordset(${json}::jsonb)
           AS x(person_id uuid, office_id uuid, channel_id text, local_day date, messages jsonb)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING person_id`,
  );
  return rows.map((r) => r.person_id);
}
