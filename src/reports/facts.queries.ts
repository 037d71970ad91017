// The facts reports and exports are built from, each one set-based statement whatever the number of schools:
// recorded visits with their answers and the school's own self-assessment beside them, the schools in scope,
// agreed actions, SARs, and the checklist versions these answers are pinned to.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { type FormDefinition, validateFormDefinition } from '../checklists/definition.js';
import { type CalendarTerm, termOn } from '../time/term.js';
import { localDate } from '../time/thai.js';
import { SELF_ASSESSMENT_KEY } from '../visits/visits.queries.js';
import { isEmptyCut, schoolInCut, type SchoolCut } from '../checklists/audience.queries.js';

/** Which schools a report covers: the whole office, one cluster, or one school. */
export interface SchoolFilter {
  clusterId?: string | undefined;
  schoolId?: string | undefined;
  /** A supervisor's own schools (their assignments): the report is cut to these. */
  supervisorId?: string | undefined;
  /** Schools with these attributes only (levels, size, tags, places): the campaigns' own rule, schoolInCut. */
  cut?: SchoolCut | undefined;
}

const schoolWhere = (alias: string, f: SchoolFilter): SQL =>
  sql.join(
    [
      sql`true`,
      ...(f.clusterId === undefined ? [] : [sql`${sql.raw(alias)}.cluster_id = ${f.clusterId}::uuid`]),
      ...(f.schoolId === undefined ? [] : [sql`${sql.raw(alias)}.id = ${f.schoolId}::uuid`]),
      ...(f.supervisorId === undefined
        ? []
        : [
            sql`EXISTS (SELECT 1 FROM supervisor_assignments sa
                       WHERE sa.supervisor_id = ${f.supervisorId}::uuid AND sa.office_id = ${sql.raw(alias)}.office_id
                         AND (sa.school_id = ${sql.raw(alias)}.id OR sa.cluster_id = ${sql.raw(alias)}.cluster_id))`,
          ]),
      ...(f.cut === undefined || isEmptyCut(f.cut) ? [] : [schoolInCut(alias, f.cut)]),
    ],
    sql` AND `,
  );

export interface SchoolRow extends Record<string, unknown> {
  id: string;
  code: string;
  name: string;
  cluster_id: string | null;
  cluster_code: string | null;
  cluster_name: string | null;
}

export async function schoolsInScope(db: Db, officeId: string, f: SchoolFilter): Promise<SchoolRow[]> {
  return queryRows<SchoolRow>(
    db,
    sql`SELECT s.id, s.code, s.name_th AS name, s.cluster_id, cl.code AS cluster_code, cl.name_th AS cluster_name
          FROM schools s LEFT JOIN clusters cl ON cl.id = s.cluster_id
         WHERE s.office_id = ${officeId}::uuid AND ${schoolWhere('s', f)}
         ORDER BY cl.code NULLS LAST, s.code`,
  );
}

export interface VisitFactRow extends Record<string, unknown> {
  visit_id: string;
  school_id: string;
  school_code: string;
  school_name: string;
  starts_at: string;
  status: 'planned' | 'done' | 'cancelled';
  decision: 'achieved' | 'not_yet' | null;
  supervisor: string;
  purpose: string;
  acknowledged: boolean;
  /** The visit record's checklist version (null: not recorded). */
  checklist_id: string | null;
  /** The record's answers outside repeats, by item key. */
  answers: Record<string, unknown> | null;
  self_checklist_id: string | null;
  /** The school's own ratings (its self-assessment for the visit, else its latest before the record). */
  self_answers: Record<string, unknown> | null;
}

/** Visits starting in [from, to) of the schools in scope, cancelled ones left out, oldest first. */
export async function visitFacts(
  db: Db,
  officeId: string,
  from: string,
  to: string,
  f: SchoolFilter = {},
): Promise<VisitFactRow[]> {
  return queryRows<VisitFactRow>(
    db,
    sql`SELECT v.id AS visit_id, v.school_id, s.code AS school_code, s.name_th AS school_name, v.starts_at, v.status, v.decision, p.display_name AS supervisor,
               v.purpose_th AS purpose, v.acknowledged_at IS NOT NULL AS acknowledged,
               r.checklist_id, sup.answers, self.checklist_id AS self_checklist_id, self.answers AS self_answers
          FROM visits v
          JOIN schools s ON s.id = v.school_id
          JOIN people p ON p.id = v.supervisor_id
          LEFT JOIN responses r ON r.id = v.response_id AND r.status = 'submitted'
          LEFT JOIN LATERAL (
            SELECT jsonb_object_agg(a.item_key, a.value) AS answers FROM answers a
             WHERE a.response_id = r.id AND a.repeat_index = 0 AND jsonb_typeof(a.value) IN ('number', 'string')
          ) sup ON r.id IS NOT NULL
          LEFT JOIN LATERAL (
            SELECT sr.checklist_id,
                   (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
                     WHERE a.response_id = sr.id AND a.repeat_index = 0 AND jsonb_typeof(a.value) = 'number') AS answers
              FROM responses sr JOIN checklists ck ON ck.id = sr.checklist_id
             WHERE sr.school_id = v.school_id AND sr.office_id = v.office_id AND sr.status = 'submitted'
               AND ck.key = ${SELF_ASSESSMENT_KEY}
               AND sr.submitted_at <= coalesce(v.recorded_at, v.starts_at + interval '1 day')
             ORDER BY (sr.campaign_id IS NOT DISTINCT FROM v.self_assessment_campaign_id) DESC, sr.submitted_at DESC
             LIMIT 1
          ) self ON v.status = 'done'
         WHERE v.office_id = ${officeId}::uuid AND v.status <> 'cancelled'
           AND v.starts_at >= ${from}::timestamptz AND v.starts_at < ${to}::timestamptz AND ${schoolWhere('s', f)}
         ORDER BY v.starts_at, s.code, v.id`,
  );
}

/** Checklist versions by id, parsed with the wide schema (a version that no longer parses is left out). */
export async function definitionsById(db: Db, ids: string[]): Promise<Map<string, FormDefinition>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await queryRows<{ id: string; definition: unknown }>(
    db,
    sql`SELECT id, definition FROM checklists WHERE id = ANY(${`{${unique.join(',')}}`}::uuid[])`,
  );
  return new Map(
    rows.flatMap((r) => {
      const d = validateFormDefinition(r.definition);
      return d.ok ? [[r.id, d.definition] as const] : [];
    }),
  );
}

export interface LatestResponseRow extends Record<string, unknown> {
  school_id: string;
  checklist_id: string;
  submitted_at: string;
  answers: Record<string, unknown> | null;
}

/**
 * Each school's latest submitted response in [from, to) of the checklists whose key matches `keyLike` (SQL LIKE:
 * 'sar-%' for the SARs, the self-assessment's key), with its answers outside repeats.
 */
export async function latestResponses(
  db: Db,
  officeId: string,
  keyLike: string,
  from: string,
  to: string,
  f: SchoolFilter = {},
): Promise<LatestResponseRow[]> {
  return queryRows<LatestResponseRow>(
    db,
    sql`SELECT DISTINCT ON (r.school_id) r.school_id, r.checklist_id, r.submitted_at,
               (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
                 WHERE a.response_id = r.id AND a.repeat_index = 0
                   AND jsonb_typeof(a.value) IN ('number', 'string')) AS answers
          FROM responses r
          JOIN checklists ck ON ck.id = r.checklist_id
          JOIN schools s ON s.id = r.school_id
         WHERE r.office_id = ${officeId}::uuid AND r.status = 'submitted' AND ck.key LIKE ${keyLike}
           AND r.submitted_at >= ${from}::timestamptz AND r.submitted_at < ${to}::timestamptz AND ${schoolWhere('s', f)}
         ORDER BY r.school_id, r.submitted_at DESC`,
  );
}

export interface ActionRow extends Record<string, unknown> {
  school_id: string;
  what: string;
  owner: string | null;
  due_on: string | null;
  status: 'open' | 'done';
  done_at: string | null;
}

/** The agreed actions of visits starting in [from, to) of the schools in scope. */
export async function actionFacts(
  db: Db,
  officeId: string,
  from: string,
  to: string,
  f: SchoolFilter = {},
): Promise<ActionRow[]> {
  return queryRows<ActionRow>(
    db,
    sql`SELECT a.school_id, a.what_th AS what, a.owner_th AS owner, a.due_on::text AS due_on, a.status, a.done_at
          FROM visit_actions a
          JOIN visits v ON v.id = a.visit_id
          JOIN schools s ON s.id = a.school_id
         WHERE a.office_id = ${officeId}::uuid AND v.starts_at >= ${from}::timestamptz
           AND v.starts_at < ${to}::timestamptz AND ${schoolWhere('s', f)}
         ORDER BY s.code, a.due_on NULLS LAST, a.position`,
  );
}

/**
 * The office's time zone and the terms of its calendar holding its local date at `at` (usually none or one): the
 * default academic year of a report or a ranking (termOn in src/time/term.ts). One statement, where the time zone
 * alone was read before.
 */
export async function officeCalendarNow(
  db: Db,
  officeId: string,
  at: number,
): Promise<{ timeZone: string; terms: CalendarTerm[] }> {
  const rows = await queryRows<{ time_zone: string; terms: CalendarTerm[] | null }>(
    db,
    sql`SELECT o.time_zone,
               (SELECT json_agg(json_build_object('from', e.starts_on, 'to', e.ends_on, 'year', e.academic_year,
                                                  'term', e.term))
                  FROM calendar_events e
                 WHERE e.office_id = o.id AND e.kind = 'term' AND e.academic_year IS NOT NULL AND e.term IS NOT NULL
                   AND (${new Date(at).toISOString()}::timestamptz AT TIME ZONE o.time_zone)::date
                       BETWEEN e.starts_on AND e.ends_on) AS terms
          FROM offices o WHERE o.id = ${officeId}::uuid`,
  );
  return { timeZone: rows[0]?.time_zone ?? 'Asia/Bangkok', terms: rows[0]?.terms ?? [] };
}

/**
 * The office's default academic year now (B.E.): the office calendar's term holding today, else the usual split
 * (termOn in src/time/term.ts); with the office's local date and time zone, which the callers need too.
 */
export async function officeYearNow(
  db: Db,
  officeId: string,
  at: number,
): Promise<{ year: number; today: string; timeZone: string }> {
  const { timeZone, terms } = await officeCalendarNow(db, officeId, at);
  const today = localDate(at, timeZone);
  return { year: termOn(today, terms).year, today, timeZone };
}

export interface TermRow extends Record<string, unknown> {
  term: number | null;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  office_name: string;
}

/** The office's terms of an academic year (B.E.) from its calendar, and its time zone and name. */
export async function officeTerms(db: Db, officeId: string, year: number): Promise<TermRow[]> {
  return queryRows<TermRow>(
    db,
    sql`SELECT e.term, e.starts_on::text AS starts_on, e.ends_on::text AS ends_on, o.time_zone, o.name_th AS office_name
          FROM offices o
          LEFT JOIN calendar_events e ON e.office_id = o.id AND e.kind = 'term' AND e.academic_year = ${year}
         WHERE o.id = ${officeId}::uuid
         ORDER BY e.term NULLS FIRST`,
  );
}
