// SQL for the web admin pages. Each page is one or two set-based statements over the whole office: counts are
// aggregated in SQL, never a query per school, person or campaign. Times come back as epoch milliseconds
// (float8) so PGlite and node-postgres hand over the same type. The campaign counts are the shared countedSubject()
// (src/checklists/audience.queries.ts).
import { sql, type SQL } from 'drizzle-orm';
import { schoolFilter, type Scope } from '../admin/scope.js';
import { countedSubject } from '../checklists/audience.queries.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import { QUOTA_TZ } from '../outbox/quota.js';
import { YEAR_START_MMDD } from '../time/term.js';

export interface CampaignCompletionRow extends Record<string, unknown> {
  id: string;
  title_th: string;
  checklist_key: string;
  checklist_title: string;
  checklist_version: number;
  scope: 'person' | 'school';
  roles: string[];
  school_count: number;
  cluster_count: number;
  opens_ms: number;
  due_ms: number;
  closed_ms: number | null;
  /** Subjects (people, or schools for school-scope checklists) in the audience today. */
  expected: number;
  submitted: number;
  in_progress: number;
}

/**
 * Every campaign of the office with its completion (`openOnly`: opened and not closed at `at`), soonest due first.
 * The audience is counted from today's people, also for closed campaigns. A supervisor's scope counts only the
 * subjects of their schools (people without a school are office staff, outside it).
 */
export async function campaignCompletion(
  db: Db,
  officeId: string,
  at: number,
  openOnly: boolean,
  scope: Scope,
): Promise<CampaignCompletionRow[]> {
  const atIso = new Date(at).toISOString();
  const open = openOnly ? sql`c.closed_at IS NULL AND c.opens_at <= ${atIso}` : sql`true`;
  return queryRows<CampaignCompletionRow>(
    db,
    sql`
    WITH camp AS (
      SELECT c.*, ck.key AS checklist_key, ck.title_th AS checklist_title, ck.version AS checklist_version, ck.scope
        FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
       WHERE c.office_id = ${officeId}::uuid AND NOT c.system AND ${open}),
    subj AS (
      SELECT DISTINCT c.id AS campaign_id, CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key
        FROM camp c
        JOIN people p ON p.office_id = c.office_id
        LEFT JOIN schools s ON s.id = p.school_id
       WHERE ${countedSubject('p', 's', 'c.scope')} AND ${schoolFilter(scope, sql`p.school_id`)}),
    done AS (
      SELECT subj.campaign_id, count(*)::int AS expected,
             count(r.id) FILTER (WHERE r.status = 'submitted')::int AS submitted,
             count(r.id) FILTER (WHERE r.status = 'in_progress')::int AS in_progress
        FROM subj
        LEFT JOIN responses r ON r.campaign_id = subj.campaign_id AND r.subject_key = subj.subject_key
       GROUP BY subj.campaign_id)
    SELECT c.id, c.title_th, c.checklist_key, c.checklist_title, c.checklist_version, c.scope, c.roles,
           cardinality(c.school_ids) AS school_count, cardinality(c.cluster_ids) AS cluster_count,
           (extract(epoch FROM c.opens_at) * 1000)::float8 AS opens_ms,
           (extract(epoch FROM c.due_at) * 1000)::float8 AS due_ms,
           (extract(epoch FROM c.closed_at) * 1000)::float8 AS closed_ms,
           coalesce(d.expected, 0) AS expected, coalesce(d.submitted, 0) AS submitted,
           coalesce(d.in_progress, 0) AS in_progress
      FROM camp c LEFT JOIN done d ON d.campaign_id = c.id
     ORDER BY c.due_at, c.title_th`,
  );
}

export interface OfficeHealthRow extends Record<string, unknown> {
  time_zone: string;
  /** Null when the office calendar has no term today: "this semester" is undefined. */
  term_year: number | null;
  /** Today's academic year (B.E.; it starts on 16 May) and how many terms the calendar has in it. */
  academic_year: number;
  year_terms: number;
  term: number | null;
  schools_visited: number | null;
  schools_with_main: number;
  planned_next_14: number;
  outbox_pending: number;
  outbox_dead: number;
  oldest_pending_ms: number | null;
  sent_today: number;
  month: string;
  pushes: number;
  push_quota: number | null;
  paused_until_ms: number | null;
  /** PDPA requests still open, and those of them past their limit (30 days for a copy, 90 for an erasure). */
  pdpa_open: number;
  pdpa_overdue: number;
}

/**
 * The dashboard's other figures in one statement: whether today's academic year has a term in the calendar, visit
 * coverage this term (by the office calendar), visits
 * planned in the next 14 days, the outbox, this month's pushes against the quota, and open PDPA requests.
 */
export async function officeHealth(db: Db, officeId: string, at: number): Promise<OfficeHealthRow | undefined> {
  const now = sql`${new Date(at).toISOString()}::timestamptz`;
  const rows = await queryRows<OfficeHealthRow>(
    db,
    sql`
    WITH o AS (SELECT * FROM offices WHERE id = ${officeId}::uuid),
    term AS (
      SELECT e.starts_on, e.ends_on, e.academic_year, e.term
        FROM o JOIN calendar_events e ON e.office_id = o.id AND e.kind = 'term'
         AND e.starts_on <= (${now} AT TIME ZONE o.time_zone)::date
         AND e.ends_on >= (${now} AT TIME ZONE o.time_zone)::date
       ORDER BY e.starts_on DESC LIMIT 1),
    -- Today's academic year by the one rule of src/time/term.ts (termOn): the calendar's term holding today, else
    -- the usual split on YEAR_START_MMDD. A year's days run from that day to the day before it a year later.
    ay AS (
      SELECT COALESCE((SELECT academic_year::int - 543 FROM term),
                      extract(year FROM d)::int - CASE WHEN to_char(d, 'MM-DD') < ${YEAR_START_MMDD}::text THEN 1 ELSE 0 END)
               AS ce
        FROM (SELECT (${now} AT TIME ZONE o.time_zone)::date AS d FROM o) today),
    yt AS (
      SELECT count(*)::int AS n FROM calendar_events e, ay
       WHERE e.office_id = ${officeId}::uuid AND e.kind = 'term'
         AND (e.academic_year = ay.ce + 543
              OR (e.starts_on < ((ay.ce + 1)::text || '-' || ${YEAR_START_MMDD}::text)::date
                  AND e.ends_on >= (ay.ce::text || '-' || ${YEAR_START_MMDD}::text)::date))),
    ob AS (
      SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
             count(*) FILTER (WHERE status = 'dead')::int AS dead,
             (extract(epoch FROM min(created_at) FILTER (WHERE status = 'pending')) * 1000)::float8 AS oldest_ms,
             count(*) FILTER (WHERE status = 'sent' AND sent_at >= (
               date_trunc('day', ${now} AT TIME ZONE (SELECT time_zone FROM o)) AT TIME ZONE (SELECT time_zone FROM o))
             )::int AS sent_today
        FROM outbox WHERE office_id = ${officeId}::uuid),
    m AS (SELECT to_char(${now} AT TIME ZONE ${QUOTA_TZ}, 'YYYY-MM') AS month),
    pdpa AS (SELECT ${pdpaTally} FROM (${pdpaRequests(officeId, now)}) r)
    SELECT o.time_zone, pdpa.open AS pdpa_open, pdpa.overdue AS pdpa_overdue,
           (SELECT ce + 543 FROM ay) AS academic_year, (SELECT n FROM yt) AS year_terms,
           (SELECT academic_year::int FROM term) AS term_year, (SELECT term::int FROM term) AS term,
           -- Coverage "this term" reads the calendar only, no split fallback: it counts visits between real term
           -- dates, and a guessed term would count against dates the office never set; the page says so instead.
           CASE WHEN EXISTS (SELECT 1 FROM term) THEN (
             SELECT count(DISTINCT v.school_id)::int FROM visits v, term t
              WHERE v.office_id = o.id AND v.status = 'done'
                AND (v.starts_at AT TIME ZONE o.time_zone)::date BETWEEN t.starts_on AND t.ends_on) END
             AS schools_visited,
           (SELECT count(*)::int FROM schools s
             WHERE s.office_id = o.id AND EXISTS (
               SELECT 1 FROM supervisor_assignments sa
                WHERE sa.office_id = o.id AND sa.kind = 'main'
                  AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))) AS schools_with_main,
           (SELECT count(*)::int FROM visits v
             WHERE v.office_id = o.id AND v.status = 'planned'
               AND v.starts_at >= ${now} AND v.starts_at < ${now} + interval '14 days') AS planned_next_14,
           ob.pending AS outbox_pending, ob.dead AS outbox_dead, ob.oldest_ms AS oldest_pending_ms,
           ob.sent_today, m.month,
           coalesce((SELECT pushes FROM push_usage u WHERE u.office_id = o.id AND u.month = m.month), 0) AS pushes,
           o.push_quota,
           CASE WHEN o.sends_paused_until > ${now}
                THEN (extract(epoch FROM o.sends_paused_until) * 1000)::float8 END AS paused_until_ms
      FROM o, ob, m, pdpa`,
  );
  return rows[0];
}

export interface PeopleFilter {
  role: Role | undefined;
  schoolId: string | undefined;
  status: PersonStatus | undefined;
  /** Part of a name or external id. */
  search: string | undefined;
  /** The id of the last person of the previous page (keyset: name, then id). */
  after: string | undefined;
}

export interface PersonRow extends Record<string, unknown> {
  id: string;
  display_name: string;
  role: Role;
  status: PersonStatus;
  external_id: string | null;
  school_name: string | null;
  /** Whether a LINE account is linked; the LINE user id itself is never selected. */
  linked: boolean;
  linked_ms: number | null;
  /** The latest usable invite's expiry, if one is outstanding. */
  invite_expires_ms: number | null;
}

/** A LIKE pattern finding `s` anywhere, its wildcards taken literally. */
export const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** One page of the office's people, ordered by name; `limit + 1` rows are read to know whether more follow. */
export async function peoplePage(
  db: Db,
  officeId: string,
  f: PeopleFilter,
  at: number,
  limit: number,
): Promise<PersonRow[]> {
  const cond = [sql`p.office_id = ${officeId}::uuid`];
  if (f.role !== undefined) cond.push(sql`p.role = ${f.role}`);
  if (f.schoolId !== undefined) cond.push(sql`p.school_id = ${f.schoolId}::uuid`);
  if (f.status !== undefined) cond.push(sql`p.status = ${f.status}`);
  if (f.search !== undefined) {
    const pat = likePattern(f.search);
    cond.push(sql`(p.display_name ILIKE ${pat} OR p.external_id ILIKE ${pat})`);
  }
  if (f.after !== undefined) {
    cond.push(sql`(p.display_name, p.id) > (SELECT display_name, id FROM people
                                             WHERE id = ${f.after}::uuid AND office_id = ${officeId}::uuid)`);
  }
  return queryRows<PersonRow>(
    db,
    sql`
    SELECT p.id, p.display_name, p.role, p.status, p.external_id, s.name_th AS school_name,
           (p.line_user_id IS NOT NULL) AS linked,
           (extract(epoch FROM p.linked_at) * 1000)::float8 AS linked_ms,
           (SELECT (extract(epoch FROM max(i.expires_at)) * 1000)::float8 FROM invites i
             WHERE i.person_id = p.id AND i.used_at IS NULL AND i.revoked_at IS NULL
               AND i.expires_at > ${new Date(at).toISOString()}::timestamptz) AS invite_expires_ms
      FROM people p LEFT JOIN schools s ON s.id = p.school_id
     WHERE ${sql.join(cond, sql` AND `)}
     ORDER BY p.display_name, p.id
     LIMIT ${limit + 1}`,
  );
}

export interface SchoolOption extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
}

export async function schoolOptions(db: Db, officeId: string): Promise<SchoolOption[]> {
  return queryRows<SchoolOption>(
    db,
    sql`SELECT id, code, name_th FROM schools WHERE office_id = ${officeId}::uuid ORDER BY name_th, code LIMIT 2000`,
  );
}

export interface ScopedSchool extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  /** 'main' or 'joint' for a supervisor's assignment; null office-wide. */
  kind: 'main' | 'joint' | null;
}

/** The schools in a scope (a supervisor's assigned ones), by name; at most `limit`. */
export async function scopedSchools(db: Db, officeId: string, scope: Scope, limit: number): Promise<ScopedSchool[]> {
  const kind =
    scope.schools === 'office'
      ? sql`NULL::text`
      : sql`(SELECT max(sa.kind) FROM supervisor_assignments sa -- 'main' sorts after 'joint'
              WHERE sa.supervisor_id = ${scope.personId}::uuid
                AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))`;
  return queryRows<ScopedSchool>(
    db,
    sql`SELECT s.id, s.code, s.name_th, ${kind} AS kind FROM schools s
         WHERE s.office_id = ${officeId}::uuid AND ${schoolFilter(scope, sql`s.id`)}
         ORDER BY s.name_th, s.code LIMIT ${limit}`,
  );
}

export interface SupervisorOption extends Record<string, unknown> {
  id: string;
  display_name: string;
}

/** The office's supervisors (not erased), by name: those who can be assigned schools and plan visits. */
export async function supervisorOptions(db: Db, officeId: string): Promise<SupervisorOption[]> {
  return queryRows<SupervisorOption>(
    db,
    sql`SELECT id, display_name FROM people
         WHERE office_id = ${officeId}::uuid AND role = 'supervisor' AND status <> 'erased'
         ORDER BY display_name, id LIMIT 1000`,
  );
}

export interface CardRow extends Record<string, unknown> {
  id: string;
  display_name: string;
  role: Role;
  school_name: string | null;
}

/** The office's people (not erased) among `ids`, by name, with their school's name: one statement. */
export async function peopleByIds(db: Db, officeId: string, ids: string[]): Promise<CardRow[]> {
  if (ids.length === 0) return [];
  return queryRows<CardRow>(
    db,
    sql`SELECT p.id, p.display_name, p.role, s.name_th AS school_name
          FROM people p LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.office_id = ${officeId}::uuid AND p.id = ANY(${sql.param(ids)}::uuid[]) AND p.status <> 'erased'
         ORDER BY p.display_name, p.id`,
  );
}

export interface PersonHead extends Record<string, unknown> {
  id: string;
  display_name: string;
  status: PersonStatus;
}

/** A person of this office who can be invited (not erased), or undefined. */
export async function invitablePerson(db: Db, officeId: string, personId: string): Promise<PersonHead | undefined> {
  const rows = await queryRows<PersonHead>(
    db,
    sql`SELECT id, display_name, status FROM people
         WHERE id = ${personId}::uuid AND office_id = ${officeId}::uuid AND status <> 'erased'`,
  );
  return rows[0];
}

export interface AuditRow extends Record<string, unknown> {
  id: number;
  at_ms: number;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: unknown;
  /** The person's name when the actor is 'person:<id>' of this office. */
  actor_name: string | null;
}

/** The office's audit log, newest first; `before` is the id of the last row of the previous page. */
export async function auditPage(
  db: Db,
  officeId: string,
  f: { action: string | undefined; before: number | undefined },
  limit: number,
): Promise<AuditRow[]> {
  const cond = [sql`office_id = ${officeId}::uuid`];
  if (f.action !== undefined) cond.push(sql`action = ${f.action}`);
  if (f.before !== undefined) cond.push(sql`id < ${f.before}`);
  const rows = await queryRows<AuditRow>(
    db,
    // A person who acted (actor 'person:<id>', in chat or signed in from chat) is shown by name, unless erased.
    sql`SELECT a.id, (extract(epoch FROM a.at) * 1000)::float8 AS at_ms, a.actor, a.action, a.target_type,
               a.target_id, a.detail, p.display_name AS actor_name
          FROM (SELECT * FROM audit_log WHERE ${sql.join(cond, sql` AND `)} ORDER BY id DESC LIMIT ${limit + 1}) a
          LEFT JOIN people p ON a.actor LIKE 'person:%' AND p.id::text = substr(a.actor, 8)
                            AND p.office_id = ${officeId}::uuid AND p.status <> 'erased'
         ORDER BY a.id DESC`,
  );
  // bigserial comes back as a string from node-postgres.
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function auditActions(db: Db, officeId: string): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(
    db,
    sql`SELECT DISTINCT action FROM audit_log WHERE office_id = ${officeId}::uuid ORDER BY action`,
  );
  return rows.map((r) => r.action);
}

// ── PDPA requests ──

/** Days the office has to answer a data subject's request (DOMAIN.md): a copy within 30, an erasure within 90. */
export const PDPA_LIMIT_DAYS = { 'pdpa.copy': 30, 'pdpa.erase': 90 } as const;
const DAY_MS = 86_400_000;

/**
 * The office's PDPA requests as the chat records them in the audit log: a copy ('pdpa.copy') is answered in the
 * same turn, so it is requested and completed at its row's time; an erasure ('pdpa.erase') carries its own
 * {requestedAt, completedAt}, and one without completedAt is still open. `days` is whole days from the request
 * to its completion, or to `now` while open; `limit_days` is the kind's limit.
 */
function pdpaRequests(officeId: string, now: SQL) {
  return sql`
    SELECT r.*, floor((coalesce(r.completed_ms, extract(epoch FROM ${now}) * 1000) - r.requested_ms) / ${DAY_MS})::int
             AS days,
           CASE r.action WHEN 'pdpa.copy' THEN ${PDPA_LIMIT_DAYS['pdpa.copy']}::int
                         ELSE ${PDPA_LIMIT_DAYS['pdpa.erase']}::int END AS limit_days
      FROM (SELECT id, action, target_id,
                   (extract(epoch FROM CASE WHEN action = 'pdpa.erase' AND detail ? 'requestedAt'
                                            THEN (detail ->> 'requestedAt')::timestamptz ELSE at END) * 1000)::float8
                     AS requested_ms,
                   (extract(epoch FROM CASE WHEN action = 'pdpa.copy' THEN at
                                            ELSE (detail ->> 'completedAt')::timestamptz END) * 1000)::float8
                     AS completed_ms
              FROM audit_log
             WHERE office_id = ${officeId}::uuid AND action IN ('pdpa.copy', 'pdpa.erase')) r`;
}

/**
 * Open requests, open ones past their limit, and answered ones that took longer than it, as SQL aggregates. The
 * last day of the limit is still in time: 90 whole days open is not overdue, 91 is.
 */
const pdpaTally = sql`
  count(*) FILTER (WHERE completed_ms IS NULL)::int AS open,
  count(*) FILTER (WHERE completed_ms IS NULL AND days > limit_days)::int AS overdue,
  count(*) FILTER (WHERE completed_ms IS NOT NULL AND days > limit_days)::int AS late`;

export interface PdpaTally extends Record<string, unknown> {
  open: number;
  overdue: number;
  late: number;
}

export interface PdpaRequestRow extends Record<string, unknown> {
  id: number;
  action: 'pdpa.copy' | 'pdpa.erase';
  /** The person's id as audited: erased people have no name left to show. */
  target_id: string | null;
  requested_ms: number;
  completed_ms: number | null;
  days: number;
  limit_days: number;
}

type PdpaPageRow = PdpaTally & { [K in keyof PdpaRequestRow]: PdpaRequestRow[K] | null };

/**
 * One page of the office's PDPA requests, newest first (`before`: the id of the last row of the previous page),
 * with the office-wide tally, in one statement. Reads the audit log by (office_id, at) and filters on action:
 * its cost grows with the office's whole audit log, which is fine at an office's size.
 */
export async function pdpaPage(
  db: Db,
  officeId: string,
  f: { before: number | undefined },
  at: number,
  limit: number,
): Promise<{ tally: PdpaTally; rows: PdpaRequestRow[] }> {
  const now = sql`${new Date(at).toISOString()}::timestamptz`;
  const before = f.before === undefined ? sql`true` : sql`id < ${f.before}`;
  const rows = await queryRows<PdpaPageRow>(
    db,
    sql`
    WITH req AS (${pdpaRequests(officeId, now)}),
    tally AS (SELECT ${pdpaTally} FROM req)
    SELECT tally.open, tally.overdue, tally.late, p.id, p.action, p.target_id, p.requested_ms, p.completed_ms, p.days,
           p.limit_days
      FROM tally
      LEFT JOIN LATERAL (SELECT * FROM req WHERE ${before} ORDER BY id DESC LIMIT ${limit + 1}) p ON true
     ORDER BY p.id DESC`,
  );
  const first = rows[0];
  return {
    tally: { open: first?.open ?? 0, overdue: first?.overdue ?? 0, late: first?.late ?? 0 },
    rows: rows.flatMap((r) =>
      r.id === null || r.action === null || r.requested_ms === null || r.days === null || r.limit_days === null
        ? []
        : [
            {
              // bigserial comes back as a string from node-postgres.
              id: Number(r.id),
              action: r.action,
              target_id: r.target_id,
              requested_ms: r.requested_ms,
              completed_ms: r.completed_ms,
              days: r.days,
              limit_days: r.limit_days,
            },
          ],
    ),
  };
}

// ── Sign-in throttling ──

/**
 * The times (epoch ms) of this client's failed sign-ins in (at - windowMs, at], newest first, at most `max`.
 * Failures are audit rows without an office ('admin.signin_failed', target_id: the keyed hash of the client's IP),
 * so the count holds across Workers isolates and Node processes alike. The audit log's (office_id, at) index
 * answers `office_id IS NULL AND at > …` as a range scan: the statement reads only the office-less rows of the
 * last window (failed sign-ins and the few office-less admin actions), then filters those on action and client.
 */
export async function recentSignInFailures(
  db: Db,
  client: string,
  at: number,
  windowMs: number,
  max: number,
): Promise<number[]> {
  const rows = await queryRows<{ at_ms: number }>(
    db,
    sql`SELECT (extract(epoch FROM at) * 1000)::float8 AS at_ms FROM audit_log
         WHERE office_id IS NULL AND at > ${new Date(at - windowMs).toISOString()}::timestamptz
           AND at <= ${new Date(at).toISOString()}::timestamptz
           AND action = 'admin.signin_failed' AND target_id = ${client}
         ORDER BY at DESC LIMIT ${max}`,
  );
  return rows.map((r) => r.at_ms);
}

export async function recordSignInFailure(db: Db, client: string, at: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
    VALUES (NULL, 'anonymous', 'admin.signin_failed', 'client', ${client}, ${new Date(at).toISOString()}::timestamptz)`);
}
