// SQL for supervision visits: the block loadTurn adds to its single SELECT when a turn is about visits, the
// coverage figures for digests (visitsThisSemester) and reports, and the annual plan import for the admin API.
// Scope is decided here, in SQL: a supervisor sees the schools assigned to them (directly or through a cluster)
// and their own visits; a principal their own school's visits and follow-ups.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { enqueueCte, keySql, reachable } from '../outbox/enqueue.queries.js';
import { reminderDue, selfAssessmentUpsert, visitData } from './visit-effects.queries.js';
import { UUID_BODY, UUID_PATTERN } from '../ids/uuid.js';
import { loadParam } from '../conversation/load-params.js';
import type { LoadFragment } from '../conversation/types.js';
import { isBelowTargetKey } from '../sar/keys.queries.js';
import type { CalendarTerm } from '../time/term.js';
import { importedAfterDue, schoolInAudience } from '../checklists/audience.queries.js';

/** The built-in school self-assessment before a visit: its rating items share the visit form's indicator keys. */
export const SELF_ASSESSMENT_KEY = 'pre-visit-self-assessment';

/** The supervision-visit form visible to an office: its own latest version first, else the built-in. */
export const visitFormId = (officeId: SQL) => sql`(SELECT ck.id FROM checklists ck
   WHERE ck.key = 'supervision-visit' AND (ck.office_id = ${officeId} OR ck.office_id IS NULL)
   ORDER BY (ck.office_id IS NULL), ck.version DESC LIMIT 1)`;

/** The visit a turn is about: one a postback names, else the one in the conversation state. Needs CTE c. */
const focusVisitSql = sql`coalesce(${loadParam.focusVisit}::uuid,
  (SELECT CASE WHEN state->'flow'->>'visitId' ~ ${UUID_PATTERN} THEN (state->'flow'->>'visitId')::uuid
               WHEN state->'flow'->>'campaignId' ~ ${`^visit:${UUID_BODY}$`}
                 THEN substr(state->'flow'->>'campaignId', 7)::uuid END FROM c))`;

/** Whether this turn loads the visit block: asked for by the input, or the conversation is in a visit flow. */
const wantsVisits = sql`(${loadParam.visits}::boolean
  OR (SELECT state->'flow'->>'flow' FROM c) = 'visit'
  OR (SELECT state->'flow'->>'campaignId' FROM c) LIKE 'visit:%')`;

/** The same test in code, on a stored state (raw JSON or parsed): a visit flow, or a visit's record. */
function inVisitState(state: unknown): boolean {
  if (typeof state !== 'object' || state === null || !('flow' in state)) return false;
  const flow = state.flow;
  if (typeof flow !== 'object' || flow === null) return false;
  if ('flow' in flow && flow.flow === 'visit') return true;
  return 'campaignId' in flow && typeof flow.campaignId === 'string' && flow.campaignId.startsWith('visit:');
}

/**
 * The visits flow's part of the turn's load statement: the visit a supervisor's turn is about (fvis: its record's
 * response and form) and the visit block, for a visit input or a conversation inside a visit flow.
 */
export const visitsLoad: LoadFragment = {
  name: 'visits',
  ctes: sql`,
    fvis AS (
      SELECT v.response_id, r.checklist_id, ${visitFormId(sql`p.office_id`)} AS form_id
        FROM p LEFT JOIN visits v ON v.supervisor_id = p.id AND v.id = coalesce(${loadParam.focusVisit}::uuid,
               (SELECT f.id FROM visits f WHERE f.supervisor_id = p.id AND f.status = 'planned'
                   AND f.starts_at <= ${loadParam.now} ORDER BY f.starts_at LIMIT 1))
        LEFT JOIN responses r ON r.id = v.response_id
       WHERE ${wantsVisits} AND p.role = 'supervisor')`,
  focusWhen: sql` WHEN ${loadParam.focusVisit}::uuid IS NOT NULL THEN (SELECT response_id FROM fvis)`,
  focusFallback: sql`, (SELECT response_id FROM fvis)`,
  definitions: sql` UNION ALL SELECT checklist_id FROM fvis UNION ALL SELECT form_id FROM fvis`,
  columns: sql`, ${visitBlock()} AS vis`,
  wanted: (w) => w.visits || w.focusVisit !== null,
  // Only supervisors and principals get the block; for anyone else the SQL would find nothing.
  needed: (state, role) => (role === 'supervisor' || role === 'principal') && inVisitState(state),
};

/**
 * One JSON value (or null) for loadTurn's SELECT list. Needs loadTurn's CTEs c (state) and p (the person).
 */
function visitBlock(): SQL {
  const now = sql`${loadParam.now}::timestamptz`;
  return sql`CASE WHEN ${wantsVisits} AND (SELECT role FROM p) IN ('supervisor', 'principal') THEN (
    WITH me AS (
      SELECT p.id, p.office_id, p.role, p.school_id, o.time_zone FROM p JOIN offices o ON o.id = p.office_id),
    -- The visit this turn is about; without one, the visit "บันทึกนิเทศ" would open: the earliest planned one started.
    fv AS (
      SELECT coalesce(${focusVisitSql},
                      (SELECT v.id FROM me JOIN visits v ON v.supervisor_id = me.id AND v.office_id = me.office_id
                        WHERE v.status = 'planned' AND v.starts_at <= ${now} ORDER BY v.starts_at LIMIT 1)) AS id),
    sc AS (
      SELECT DISTINCT ON (s.id) s.id, s.name_th, s.cluster_id, s.created_at, sa.kind,
             (SELECT string_agg(DISTINCT a.learning_area, ', ' ORDER BY a.learning_area)
                FROM supervisor_assignments a
               WHERE a.supervisor_id = me.id AND a.office_id = me.office_id
                 AND (a.school_id = s.id OR a.cluster_id = s.cluster_id)) AS learning_area
        FROM me
        JOIN supervisor_assignments sa ON sa.supervisor_id = me.id AND sa.office_id = me.office_id
        JOIN schools s ON s.office_id = sa.office_id AND (s.id = sa.school_id OR s.cluster_id = sa.cluster_id)
       WHERE me.role = 'supervisor'
       ORDER BY s.id, (sa.kind = 'main') DESC),
    vs AS (
      SELECT v.id, v.school_id, s.name_th AS school_name, v.supervisor_id, sp.display_name AS supervisor_name,
             v.starts_at, v.purpose_th, v.status, v.revision, v.response_id, r.status AS response_status,
             r.checklist_id AS response_checklist_id, v.acknowledged_at, v.decision, v.follow_up_of, v.recorded_at
        FROM me
        JOIN visits v ON v.office_id = me.office_id
        JOIN schools s ON s.id = v.school_id
        JOIN people sp ON sp.id = v.supervisor_id
        LEFT JOIN responses r ON r.id = v.response_id
       WHERE ((me.role = 'supervisor' AND v.supervisor_id = me.id AND v.school_id IN (SELECT id FROM sc))
              OR (me.role = 'principal' AND v.school_id = me.school_id))
         AND (v.status = 'planned' OR (v.status = 'done' AND v.starts_at > ${now} - interval '180 days')
              OR v.id = (SELECT id FROM fv))
         AND v.status <> 'cancelled'
       ORDER BY v.starts_at DESC
       LIMIT 200),
    fs AS (
      SELECT coalesce((SELECT school_id FROM vs WHERE id = (SELECT id FROM fv)),
                      (SELECT CASE WHEN state->'flow'->>'schoolId' ~ ${UUID_PATTERN}
                                   THEN (state->'flow'->>'schoolId')::uuid END FROM c)) AS id),
    prev AS (
      SELECT v.id, v.starts_at, v.decision, v.response_id
        FROM me JOIN visits v ON v.office_id = me.office_id
       WHERE v.school_id = (SELECT id FROM fs) AND v.status = 'done' AND v.id IS DISTINCT FROM (SELECT id FROM fv)
         AND ((me.role = 'principal' AND v.school_id = me.school_id)
              OR (me.role = 'supervisor' AND v.school_id IN (SELECT id FROM sc)))
       ORDER BY v.starts_at DESC LIMIT 1),
    acts AS (
      SELECT a.id, a.visit_id, a.school_id, a.position, a.what_th, a.owner_th, a.due_on
        FROM me JOIN visit_actions a ON a.office_id = me.office_id AND a.status = 'open'
       WHERE (me.role = 'principal' AND a.school_id = me.school_id)
          -- A supervisor's: all their schools' (ตารางนิเทศ lists them), the focus school's first (the record).
          OR (me.role = 'supervisor' AND a.school_id IN (SELECT id FROM sc))
       ORDER BY a.school_id IS NOT DISTINCT FROM (SELECT id FROM fs) DESC, a.due_on NULLS LAST, a.created_at,
                a.position
       LIMIT 20)
    SELECT json_build_object(
      'form', ${visitFormId(sql`me.office_id`)},
      'schools', (SELECT json_agg(json_build_object(
          'id', sc.id, 'name', sc.name_th, 'kind', sc.kind, 'area', sc.learning_area,
          'last', (SELECT max(v.starts_at) FROM visits v WHERE v.school_id = sc.id AND v.status = 'done'),
          'next', (SELECT min(v.starts_at) FROM visits v
                    WHERE v.school_id = sc.id AND v.status = 'planned' AND v.starts_at >= ${now}),
          'actions', (SELECT count(*) FROM visit_actions a WHERE a.school_id = sc.id AND a.status = 'open'),
          'overdue', (SELECT count(*) FROM campaigns cp JOIN checklists ck ON ck.id = cp.checklist_id
                       WHERE cp.office_id = me.office_id AND ck.scope = 'school' AND cp.closed_at IS NULL
                         AND cp.due_at < ${now} AND NOT ${importedAfterDue('sc', 'cp')} AND ${schoolInAudience('sc', 'cp')}
                         AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = cp.id
                                            AND r.subject_key = sc.id AND r.status = 'submitted')),
          'below', (SELECT count(*) FROM answers a
                     WHERE ${isBelowTargetKey(sql`a.item_key`)} AND a.value #>> '{}' IN ('1', 'true')
                       AND a.response_id = (
                         SELECT r.id FROM responses r
                          WHERE r.school_id = sc.id AND r.status = 'submitted'
                            AND EXISTS (SELECT 1 FROM answers x WHERE x.response_id = r.id
                                          AND ${isBelowTargetKey(sql`x.item_key`)})
                          ORDER BY r.submitted_at DESC LIMIT 1)))) FROM sc),
      'visits', (SELECT json_agg(json_build_object(
          'id', id, 'school_id', school_id, 'school', school_name, 'supervisor_id', supervisor_id,
          'supervisor', supervisor_name, 'starts_at', starts_at, 'purpose', purpose_th, 'status', status,
          'revision', revision, 'response_id', response_id, 'response_status', response_status,
          'response_checklist_id', response_checklist_id, 'acknowledged', acknowledged_at IS NOT NULL,
          'decision', decision, 'follow_up_of', follow_up_of, 'recorded_at', recorded_at)) FROM vs),
      'holidays', (SELECT json_agg(json_build_object('from', e.starts_on, 'to', e.ends_on, 'title', e.title_th)
                                   ORDER BY e.starts_on)
                     FROM calendar_events e
                    WHERE e.office_id = me.office_id AND e.kind = 'holiday' AND me.role = 'supervisor'
                      AND e.ends_on >= (${now} AT TIME ZONE me.time_zone)::date - 1),
      -- The office's own terms, which name the term of a planned visit's self-assessment (src/time/term.ts).
      'terms', (SELECT json_agg(json_build_object('from', e.starts_on, 'to', e.ends_on, 'year', e.academic_year,
                                                  'term', e.term) ORDER BY e.starts_on)
                  FROM calendar_events e
                 WHERE e.office_id = me.office_id AND e.kind = 'term' AND me.role = 'supervisor'
                   AND e.academic_year IS NOT NULL AND e.term IS NOT NULL
                   AND e.ends_on >= (${now} AT TIME ZONE me.time_zone)::date - 1),
      'previous', (SELECT json_build_object('id', prev.id, 'starts_at', prev.starts_at, 'decision', prev.decision,
                          'answers', (SELECT json_object_agg(a.item_key, a.value) FROM answers a
                                       WHERE a.response_id = prev.response_id AND a.repeat_index = 0
                                         AND a.item_key IN ('overall_level', 'strengths', 'improve', 'suggestions')))
                     FROM prev),
      'actions', (SELECT json_agg(json_build_object('id', id, 'visit_id', visit_id, 'school_id', school_id,
                          'what', what_th, 'owner', owner_th, 'due', due_on)) FROM acts),
      -- The school's own ratings: its latest submitted pre-visit self-assessment (the same indicator keys).
      'self', (SELECT json_build_object('submitted_at', r.submitted_at,
                          'ratings', (SELECT json_object_agg(a.item_key, a.value) FROM answers a
                                       WHERE a.response_id = r.id AND a.repeat_index = 0
                                         AND jsonb_typeof(a.value) = 'number'))
                 FROM responses r JOIN checklists ck ON ck.id = r.checklist_id
                WHERE r.school_id = (SELECT id FROM fs) AND r.office_id = me.office_id AND r.status = 'submitted'
                  AND ck.key = ${SELF_ASSESSMENT_KEY}
                  AND ((me.role = 'principal' AND r.school_id = me.school_id)
                       OR (me.role = 'supervisor' AND r.school_id IN (SELECT id FROM sc)))
                ORDER BY r.submitted_at DESC LIMIT 1))
      FROM me) END`;
}

export interface VisitBlockRow {
  form: string | null;
  schools:
    | {
        id: string;
        name: string;
        kind: 'main' | 'joint';
        area: string | null;
        last: string | null;
        next: string | null;
        actions: number;
        overdue: number;
        below: number;
      }[]
    | null;
  visits:
    | {
        id: string;
        school_id: string;
        school: string;
        supervisor_id: string;
        supervisor: string;
        starts_at: string;
        purpose: string;
        status: 'planned' | 'done' | 'cancelled';
        revision: number;
        response_id: string | null;
        response_status: 'in_progress' | 'submitted' | null;
        response_checklist_id: string | null;
        acknowledged: boolean;
        decision: 'achieved' | 'not_yet' | null;
        follow_up_of: string | null;
        recorded_at: string | null;
      }[]
    | null;
  holidays: { from: string; to: string; title: string }[] | null;
  /** Absent from a block built before the terms were loaded. */
  terms?: CalendarTerm[] | null;
  previous: {
    id: string;
    starts_at: string;
    decision: 'achieved' | 'not_yet' | null;
    answers: Record<string, unknown> | null;
  } | null;
  actions:
    | { id: string; visit_id: string; school_id: string; what: string; owner: string | null; due: string | null }[]
    | null;
  self?: { submitted_at: string; ratings: Record<string, unknown> | null } | null;
}

export interface VisitSchool {
  id: string;
  name: string;
  kind: 'main' | 'joint';
  /** The learning area(s) of the supervisor's assignment of this school (กลุ่มสาระ), when set. */
  learningArea: string | null;
  lastVisitAt: number | null;
  nextVisitAt: number | null;
  openActions: number;
  overdue: number;
  belowTarget: number;
}

export interface VisitView {
  id: string;
  schoolId: string;
  schoolName: string;
  supervisorId: string;
  supervisorName: string;
  startsAt: number;
  purpose: string;
  status: 'planned' | 'done' | 'cancelled';
  revision: number;
  responseId: string | null;
  responseStatus: 'in_progress' | 'submitted' | null;
  responseChecklistId: string | null;
  acknowledged: boolean;
  decision: 'achieved' | 'not_yet' | null;
  followUpOf: string | null;
  recordedAt: number | null;
}

export interface LoadedVisits {
  formChecklistId: string | null;
  schools: VisitSchool[];
  visits: VisitView[];
  holidays: { from: string; to: string; title: string }[];
  /** The office calendar's terms ending from yesterday on (a supervisor's block only). */
  terms: CalendarTerm[];
  previous: {
    visitId: string;
    startsAt: number;
    decision: 'achieved' | 'not_yet' | null;
    level: number | null;
    strengths: string | null;
    improve: string | null;
    suggestions: string | null;
  } | null;
  actions: {
    id: string;
    visitId: string;
    schoolId: string;
    what: string;
    owner: string | null;
    dueOn: string | null;
  }[];
  /** The school's own ratings by item key (its latest submitted self-assessment), for the visit form. */
  self?: { submittedAt: number; ratings: Record<string, number> } | null;
}

const ms = (s: string | null) => (s === null ? null : Date.parse(s));
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

export function parseVisitBlock(row: VisitBlockRow | null): LoadedVisits | null {
  if (row === null) return null;
  const answers = row.previous?.answers ?? {};
  return {
    formChecklistId: row.form,
    schools: (row.schools ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      learningArea: s.area ?? null,
      lastVisitAt: ms(s.last),
      nextVisitAt: ms(s.next),
      openActions: Number(s.actions),
      overdue: Number(s.overdue),
      belowTarget: Number(s.below),
    })),
    visits: (row.visits ?? []).map((v) => ({
      id: v.id,
      schoolId: v.school_id,
      schoolName: v.school,
      supervisorId: v.supervisor_id,
      supervisorName: v.supervisor,
      startsAt: Date.parse(v.starts_at),
      purpose: v.purpose,
      status: v.status,
      revision: v.revision,
      responseId: v.response_id,
      responseStatus: v.response_status,
      responseChecklistId: v.response_checklist_id,
      acknowledged: v.acknowledged,
      decision: v.decision,
      followUpOf: v.follow_up_of,
      recordedAt: ms(v.recorded_at),
    })),
    holidays: row.holidays ?? [],
    terms: row.terms ?? [],
    previous:
      row.previous === null
        ? null
        : {
            visitId: row.previous.id,
            startsAt: Date.parse(row.previous.starts_at),
            decision: row.previous.decision,
            level: typeof answers.overall_level === 'number' ? answers.overall_level : null,
            strengths: str(answers.strengths),
            improve: str(answers.improve),
            suggestions: str(answers.suggestions),
          },
    actions: (row.actions ?? []).map((a) => ({
      id: a.id,
      visitId: a.visit_id,
      schoolId: a.school_id,
      what: a.what,
      owner: a.owner,
      dueOn: a.due,
    })),
    self:
      row.self === undefined || row.self === null
        ? null
        : {
            submittedAt: Date.parse(row.self.submitted_at),
            ratings: Object.fromEntries(
              Object.entries(row.self.ratings ?? {}).flatMap(([k, v]) =>
                typeof v === 'number' && v >= 1 && v <= 5 ? [[k, v]] : [],
              ),
            ),
          },
  };
}

// ── Coverage ──

/**
 * Visits of the current term (by each office's calendar), as the grain for coverage figures. Calendar only, no
 * split fallback (src/time/term.ts): coverage is counted between the term's real dates, and the usual split's
 * dates are a guess an office never set; without a term there are no rows, and the readers say so.
 */
const termVisits = (officeIds: string[], at: string) => sql`
  term AS (
    SELECT DISTINCT ON (o.id) o.id AS office_id, e.starts_on, e.ends_on, e.academic_year, e.term, o.time_zone
      FROM offices o
      JOIN calendar_events e ON e.office_id = o.id AND e.kind = 'term'
       AND e.starts_on <= (${at}::timestamptz AT TIME ZONE o.time_zone)::date
       AND e.ends_on >= (${at}::timestamptz AT TIME ZONE o.time_zone)::date
     WHERE o.id = ANY(${sql.param(officeIds)}::uuid[])
     ORDER BY o.id, e.starts_on DESC),
  tv AS (
    SELECT v.*, t.academic_year, t.term FROM visits v
      JOIN term t ON t.office_id = v.office_id
     WHERE v.status <> 'cancelled'
       AND (v.starts_at AT TIME ZONE t.time_zone)::date BETWEEN t.starts_on AND t.ends_on)`;

/** One supervisor's visits to one school this semester (the digests' visit bars, cut by school for a director's cut). */
export interface VisitCountRow {
  office_id: string;
  supervisor_id: string;
  school_id: string;
  /** Visits recorded this semester. */
  done: number;
  /** Visits planned this semester. */
  planned: number;
}

/**
 * Visits done against planned this semester, per supervisor and school, in the shape src/digests/digests.queries.ts
 * declares (a supervisor's digest sums their rows, a director's those of the schools they follow). Offices without
 * a term in their calendar today have no rows. "Planned" counts every visit of the term that was not cancelled
 * (done ones included); "done" those recorded.
 */
export async function visitsThisSemester(db: Db, officeIds: string[], at: string): Promise<VisitCountRow[]> {
  if (officeIds.length === 0) return [];
  return queryRows<VisitCountRow & Record<string, unknown>>(
    db,
    sql`WITH ${termVisits(officeIds, at)}
        SELECT office_id, supervisor_id, school_id, count(*) FILTER (WHERE status = 'done')::int AS done,
               count(*)::int AS planned
          FROM tv GROUP BY office_id, supervisor_id, school_id ORDER BY office_id, supervisor_id, school_id`,
  );
}

interface CoverageRow extends Record<string, unknown> {
  /** 'supervisor', 'cluster' or 'unvisited' (a school with no visit done this term). */
  kind: 'supervisor' | 'cluster' | 'unvisited';
  id: string | null;
  name: string | null;
  done: number;
  planned: number;
}

/** Coverage of one office this term: per supervisor, per cluster, and the schools not visited yet. */
export async function coverage(db: Db, officeId: string, at: string): Promise<CoverageRow[]> {
  return queryRows<CoverageRow>(
    db,
    sql`WITH ${termVisits([officeId], at)}
        SELECT 'supervisor' AS kind, p.id::text AS id, p.display_name AS name,
               count(*) FILTER (WHERE tv.status = 'done')::int AS done, count(*)::int AS planned
          FROM tv JOIN people p ON p.id = tv.supervisor_id GROUP BY p.id, p.display_name
        UNION ALL
        SELECT 'cluster', cl.id::text, cl.name_th,
               count(tv.id) FILTER (WHERE tv.status = 'done')::int, count(tv.id)::int
          FROM clusters cl JOIN schools s ON s.cluster_id = cl.id LEFT JOIN tv ON tv.school_id = s.id
         WHERE cl.office_id = ${officeId}::uuid AND EXISTS (SELECT 1 FROM term)
         GROUP BY cl.id, cl.name_th
        UNION ALL
        SELECT 'unvisited', s.id::text, s.name_th, 0, count(tv.id)::int
          FROM schools s LEFT JOIN tv ON tv.school_id = s.id
         WHERE s.office_id = ${officeId}::uuid AND EXISTS (SELECT 1 FROM term)
         GROUP BY s.id, s.name_th
        HAVING count(tv.id) FILTER (WHERE tv.status = 'done') = 0
        ORDER BY 1, 3`,
  );
}

// ── The annual supervision plan (แผนนิเทศ), for the admin API ──

interface PlanRowRef {
  supervisorId?: string | undefined;
  supervisorExternalId?: string | undefined;
  schoolCode: string;
}

interface ResolvedPlanRow extends Record<string, unknown> {
  i: number;
  supervisor_id: string | null;
  school_id: string | null;
  /** The supervisor is assigned the school, directly or through its cluster (main or joint). */
  assigned: boolean;
}

/** The plan's rows resolved in one query: the supervisor (by id or external id) and school (by code) of the office. */
export async function resolvePlanRows(db: Db, officeId: string, rows: PlanRowRef[]): Promise<ResolvedPlanRow[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(
    rows.map((r, i) => ({ i, sid: r.supervisorId ?? null, ext: r.supervisorExternalId ?? null, code: r.schoolCode })),
  );
  return queryRows<ResolvedPlanRow>(
    db,
    sql`WITH x AS (SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(i int, sid text, ext text, code text))
        SELECT x.i, sp.id AS supervisor_id, s.id AS school_id,
               coalesce(EXISTS (SELECT 1 FROM supervisor_assignments sa
                                 WHERE sa.supervisor_id = sp.id AND sa.office_id = sp.office_id
                                   AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)), false) AS assigned
          FROM x
          LEFT JOIN LATERAL (
            SELECT p.id, p.office_id FROM people p
             WHERE p.office_id = ${officeId}::uuid AND p.role = 'supervisor' AND p.status <> 'erased'
               AND (p.id::text = x.sid OR p.external_id = x.ext)
             ORDER BY p.id LIMIT 1) sp ON true
          LEFT JOIN schools s ON s.office_id = ${officeId}::uuid AND s.code = x.code
         ORDER BY x.i`,
  );
}

export interface PlannedVisitInput {
  supervisorId: string;
  schoolId: string;
  startsAt: string;
  /** Null keeps the purpose of a visit already imported (a new one gets an empty purpose). */
  purposeTh: string | null;
}

export interface PlanImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number[];
}

/**
 * Upserts the plan's visits (source 'plan') by their natural key: supervisor, school and start. A visit already
 * there (planned or done, from chat or an earlier import) is not inserted again; a planned one gets the new purpose.
 * Rows whose supervisor is not assigned the school, or that name another office's people or schools, are skipped
 * and returned by index. Notices are not sent here: planVisitNotices (src/visits/notices.ts) plans them from the
 * tick when the visit comes near, as a year's plan would otherwise fill the outbox months ahead.
 */
/** Holds the office's plan-import lock until the surrounding transaction ends. */
export async function lockVisitImports(db: Db, officeId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`visits-import:${officeId}`}, 0))`);
}

export async function importPlannedVisits(
  db: Db,
  officeId: string,
  rows: PlannedVisitInput[],
  now: string,
): Promise<PlanImportCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
  // Two imports of the same plan at once would both see "no such visit" and both insert: one office's imports
  // queue behind a transaction-scoped advisory lock instead. (A unique index would also refuse a clash a
  // supervisor knowingly confirms in chat.)
  const result = await db.transaction(async (tx) => {
    await lockVisitImports(tx, officeId);
    return importRows(tx, officeId, rows, now);
  });
  const r = result[0];
  const updated = r?.updated ?? 0;
  return {
    inserted: r?.inserted ?? 0,
    updated,
    unchanged: (r?.matched ?? 0) - updated,
    rejected: r?.rejected ?? [],
  };
}

// ── Notices of imported visits (planVisitNotices) ──

interface VisitLackingNotices extends Record<string, unknown> {
  id: string;
  starts_at: string;
  purpose: string;
  school: string;
  supervisor: string;
  time_zone: string;
  /** The office calendar's terms holding the visit's day (none: the usual split names its term). */
  terms: CalendarTerm[] | null;
}

/**
 * Planned visits of the annual plan starting in (at, until] that still lack a notice: no self-assessment campaign
 * yet, a linked principal without the planned notice, or a linked supervisor without the reminders.
 */
export async function visitsLackingNotices(
  db: Db,
  at: string,
  until: string,
  limit: number,
  officeId: string | null = null,
): Promise<VisitLackingNotices[]> {
  return queryRows<VisitLackingNotices>(
    db,
    sql`SELECT v.id, v.starts_at, v.purpose_th AS purpose, s.name_th AS school, sp.display_name AS supervisor,
               o.time_zone,
               (SELECT json_agg(json_build_object('from', e.starts_on, 'to', e.ends_on, 'year', e.academic_year,
                                                  'term', e.term))
                  FROM calendar_events e
                 WHERE e.office_id = v.office_id AND e.kind = 'term' AND e.academic_year IS NOT NULL
                   AND e.term IS NOT NULL
                   AND (v.starts_at AT TIME ZONE o.time_zone)::date BETWEEN e.starts_on AND e.ends_on) AS terms
          FROM visits v
          JOIN schools s ON s.id = v.school_id
          JOIN people sp ON sp.id = v.supervisor_id
          JOIN offices o ON o.id = v.office_id
         WHERE v.source = 'plan' AND v.status = 'planned'
           AND (${officeId}::uuid IS NULL OR v.office_id = ${officeId}::uuid)
           AND v.starts_at > ${at}::timestamptz AND v.starts_at <= ${until}::timestamptz
           AND (v.self_assessment_campaign_id IS NULL
                OR EXISTS (SELECT 1 FROM people pp
                            WHERE pp.school_id = v.school_id AND pp.office_id = v.office_id AND pp.role = 'principal'
                              AND pp.status = 'active' AND pp.channel_id IS NOT NULL AND pp.line_user_id IS NOT NULL
                              AND NOT EXISTS (SELECT 1 FROM outbox_items ob
                                               WHERE ob.person_id = pp.id AND ob.key = ${keySql('visit', sql`v.id`, 'planned')}))
                OR (sp.status = 'active' AND sp.channel_id IS NOT NULL AND sp.line_user_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM outbox_items ob
                                     WHERE ob.person_id = sp.id AND ob.key = ${keySql('visit', sql`v.id`, 'record', sql`v.revision`)})))
         ORDER BY v.starts_at, v.id
         LIMIT ${limit}`,
  );
}

interface VisitNoticeRow {
  visitId: string;
  /** A fresh id, used when the visit's self-assessment campaign does not exist yet. */
  campaignId: string;
  campaignTitle: string;
  reminders: { kind: string; notBefore: string | null; messages: unknown }[];
}

/**
 * One statement for all rows: the pre-visit self-assessment campaign (as the chat path opens it), and the items of
 * the principals' notices (`visit:<id>:planned`) and the supervisor's reminders (`visit:<id>:<kind>:<revision>`,
 * future ones only) for their daily bundles, the same items the chat path queues; repeating it queues nothing.
 * Returns the items queued.
 */
export async function insertVisitNotices(db: Db, at: string, rows: VisitNoticeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const json = JSON.stringify(
    rows.map((r) => ({
      visit_id: r.visitId,
      campaign_id: r.campaignId,
      campaign_title: r.campaignTitle,
      reminders: r.reminders.map((m) => ({ kind: m.kind, not_before: m.notBefore, messages: m.messages })),
    })),
  );
  const result = await queryRows<{ rows: number }>(
    db,
    sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${json}::jsonb)
            AS x(visit_id uuid, campaign_id uuid, campaign_title text, reminders jsonb)),
        v AS (
          SELECT v.id, v.office_id, v.school_id, v.supervisor_id, v.starts_at, v.purpose_th, v.revision,
                 v.self_assessment_campaign_id, x.*
            FROM visits v JOIN x ON x.visit_id = v.id
           WHERE v.status = 'planned' AND v.starts_at > ${at}::timestamptz),
        ck AS (
          SELECT DISTINCT ON (v.office_id) v.office_id, ck.id
            FROM v JOIN checklists ck ON (ck.office_id = v.office_id OR ck.office_id IS NULL)
             AND ck.key = 'pre-visit-self-assessment'
           ORDER BY v.office_id, (ck.office_id IS NULL), ck.version DESC),
        cp AS (
          INSERT INTO campaigns AS c (id, office_id, checklist_id, title_th, roles, school_ids, opens_at, due_at,
                                      system)
          SELECT DISTINCT ON (v.office_id, v.campaign_title) v.campaign_id, v.office_id, ck.id, v.campaign_title,
                 ARRAY['principal'], ARRAY[v.school_id], ${at}::timestamptz, v.starts_at, true
            FROM v JOIN ck ON ck.office_id = v.office_id
           WHERE v.self_assessment_campaign_id IS NULL
           ORDER BY v.office_id, v.campaign_title, v.starts_at
          ${selfAssessmentUpsert(at)}
          RETURNING id, office_id, title_th),
        vu AS (
          UPDATE visits u SET self_assessment_campaign_id = cp.id, updated_at = ${at}::timestamptz
            FROM v JOIN cp ON cp.office_id = v.office_id AND cp.title_th = v.campaign_title
           WHERE u.id = v.id AND u.self_assessment_campaign_id IS NULL
          RETURNING u.id, cp.id AS cp),
        vc AS (
          SELECT v.*, coalesce(v.self_assessment_campaign_id, (SELECT vu.cp FROM vu WHERE vu.id = v.id)) AS cp FROM v),
        ${enqueueCte(
          sql.raw('pn'),
          sql`SELECT pp.office_id, pp.id AS person_id, ${keySql('visit', sql`v.id`, 'planned')} AS key, 'visit' AS kind,
                     ${visitData('planned', sql`v.cp::text`)} AS data, ${at}::timestamptz AS due_at,
                     v.starts_at AS urgent_by
                FROM vc v
                JOIN schools s ON s.id = v.school_id
                JOIN people sv ON sv.id = v.supervisor_id
                JOIN people pp ON pp.school_id = v.school_id AND pp.office_id = v.office_id AND pp.role = 'principal'
               WHERE ${reachable('pp')}`,
        )},
        ${enqueueCte(
          sql.raw('rm'),
          sql`SELECT sv.office_id, sv.id AS person_id, ${keySql('visit', sql`v.id`, sql`r.kind`, sql`v.revision`)} AS key,
                     'visit' AS kind, ${visitData(sql`r.kind`)} AS data,
                     ${reminderDue(sql`r.kind`, sql`r.not_before`, sql`o.time_zone`)} AS due_at,
                     CASE WHEN r.kind = 'morning' THEN v.starts_at END AS urgent_by
                FROM v
                JOIN schools s ON s.id = v.school_id
                JOIN offices o ON o.id = v.office_id
                JOIN people sv ON sv.id = v.supervisor_id
                CROSS JOIN LATERAL jsonb_to_recordset(v.reminders) AS r(kind text, not_before timestamptz)
               WHERE r.not_before > ${at}::timestamptz AND ${reachable('sv')}`,
        )}
        SELECT ((SELECT count(*) FROM pn) + (SELECT count(*) FROM rm))::int AS rows`,
  );
  return result[0]?.rows ?? 0;
}

/**
 * Closes the school self-assessments whose visits have happened (every visit using one has started, was recorded
 * or was cancelled): its reminders stop, and no digest, dashboard or ranking counts it overdue afterwards. A later
 * visit of the term reopens it (selfAssessmentUpsert).
 */
export async function closePassedSelfAssessments(db: Db, at: string, officeId: string | null): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH done AS (
          UPDATE campaigns c SET closed_at = ${at}::timestamptz
           WHERE c.system AND c.closed_at IS NULL AND c.due_at <= ${at}::timestamptz
             AND (${officeId}::uuid IS NULL OR c.office_id = ${officeId}::uuid)
             AND EXISTS (SELECT 1 FROM visits v WHERE v.self_assessment_campaign_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.self_assessment_campaign_id = c.id
                               AND v.status = 'planned' AND v.starts_at > ${at}::timestamptz)
          RETURNING 1)
        SELECT count(*)::int AS n FROM done`,
  );
  return rows[0]?.n ?? 0;
}

function importRows(db: Db, officeId: string, rows: PlannedVisitInput[], now: string) {
  return queryRows<{ inserted: number; updated: number; matched: number; rejected: number[] | null }>(
    db,
    sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows.map((r, i) => ({ ...r, i })))}::jsonb)
            AS x(i int, "supervisorId" uuid, "schoolId" uuid, "startsAt" timestamptz, "purposeTh" text)),
        ok AS (
          SELECT x.* FROM x
            JOIN people sp ON sp.id = x."supervisorId" AND sp.office_id = ${officeId}::uuid AND sp.role = 'supervisor'
            JOIN schools s ON s.id = x."schoolId" AND s.office_id = ${officeId}::uuid
           WHERE EXISTS (SELECT 1 FROM supervisor_assignments sa WHERE sa.supervisor_id = sp.id
                           AND sa.office_id = sp.office_id AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))),
        old AS (
          SELECT DISTINCT ON (ok.i) ok.i, v.id, v.status, v.purpose_th, ok."purposeTh"
            FROM ok JOIN visits v ON v.office_id = ${officeId}::uuid AND v.supervisor_id = ok."supervisorId"
             AND v.school_id = ok."schoolId" AND v.starts_at = ok."startsAt" AND v.status <> 'cancelled'
           ORDER BY ok.i, v.created_at),
        up AS (
          UPDATE visits v SET purpose_th = old."purposeTh", updated_at = ${now}::timestamptz
            FROM old
           WHERE v.id = old.id AND old.status = 'planned' AND old."purposeTh" IS NOT NULL
             AND old."purposeTh" <> old.purpose_th
          RETURNING 1),
        ins AS (
          INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, source, created_at,
                              updated_at)
          SELECT gen_random_uuid(), ${officeId}::uuid, "schoolId", "supervisorId", "startsAt",
                 coalesce("purposeTh", ''), 'plan', ${now}::timestamptz, ${now}::timestamptz
            FROM ok WHERE i NOT IN (SELECT i FROM old)
          RETURNING 1)
        SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM up)::int AS updated,
               (SELECT count(*) FROM old)::int AS matched,
               (SELECT array_agg(i ORDER BY i) FROM x WHERE i NOT IN (SELECT i FROM ok)) AS rejected`,
  );
}

export interface DueActionRow extends Record<string, unknown> {
  what: string;
  owner: string | null;
  /** YYYY-MM-DD, or null when the visit set no date. */
  due: string | null;
  school: string;
  /** Days past its due date in the office's time zone (0 or less: not yet late). */
  late: number | null;
  total: number;
}

/**
 * The open follow-up actions (ข้อตกลง) a person follows, soonest due first: a supervisor's assigned schools, a
 * principal's own school, a director's office. `limit` rows; `total` counts all.
 */
export async function openActionsFor(
  db: Db,
  person: { id: string; role: string; officeId: string; schoolId: string | null },
  at: string,
  limit: number,
): Promise<DueActionRow[]> {
  return queryRows<DueActionRow>(
    db,
    sql`SELECT a.what_th AS what, a.owner_th AS owner, a.due_on::text AS due, s.name_th AS school,
               ((${at}::timestamptz AT TIME ZONE o.time_zone)::date - a.due_on)::int AS late,
               (count(*) OVER ())::int AS total
          FROM visit_actions a
          JOIN schools s ON s.id = a.school_id
          JOIN offices o ON o.id = a.office_id
         WHERE a.office_id = ${person.officeId}::uuid AND a.status = 'open'
           AND (${person.role} = 'director'
                OR (${person.role} = 'principal' AND a.school_id = ${person.schoolId}::uuid)
                OR (${person.role} = 'supervisor' AND EXISTS (
                      SELECT 1 FROM supervisor_assignments sa
                       WHERE sa.supervisor_id = ${person.id}::uuid AND sa.office_id = s.office_id
                         AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))))
         ORDER BY a.due_on NULLS LAST, s.name_th, a.created_at, a.position
         LIMIT ${limit}`,
  );
}
