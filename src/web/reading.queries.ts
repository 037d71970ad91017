// SQL for reading the work on the web (issue 13, item 4): a campaign's completion per school and its responses,
// one school's or one person's responses, one response with its answers, one school's page, and the evidence
// files behind the photo route. Every statement takes the session's scope (schoolFilter), so a supervisor's page
// can only hold rows of their assigned schools; a row outside the scope is indistinguishable from a missing one.
// Lists are keyset-paged: `limit + 1` rows are read to know whether another page follows, so a page costs the same
// statements for 10 rows as for 1,000. Times come back as epoch milliseconds (float8), as in web.queries.ts.
import { sql, type SQL } from 'drizzle-orm';
import { schoolFilter, type Scope } from '../admin/scope.js';
import { countedSubject } from '../checklists/audience.queries.js';
import type { AnswerValue } from '../checklists/answers.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

const ms = (col: string) => sql.raw(`(extract(epoch FROM ${col}) * 1000)::float8`);

export interface CampaignHeadRow extends Record<string, unknown> {
  id: string;
  title_th: string;
  checklist_title: string;
  checklist_key: string;
  checklist_version: number;
  scope: 'person' | 'school';
  opens_ms: number;
  due_ms: number;
  time_zone: string;
}

/** One of the office's own campaigns (never the internal visit-record campaign), with the office's time zone. */
export async function campaignHead(db: Db, officeId: string, campaignId: string): Promise<CampaignHeadRow | undefined> {
  const rows = await queryRows<CampaignHeadRow>(
    db,
    sql`SELECT c.id, c.title_th, ck.title_th AS checklist_title, ck.key AS checklist_key,
               ck.version AS checklist_version, ck.scope, ${ms('c.opens_at')} AS opens_ms, ${ms('c.due_at')} AS due_ms,
               o.time_zone
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id JOIN offices o ON o.id = c.office_id
         WHERE c.id = ${campaignId}::uuid AND c.office_id = ${officeId}::uuid AND NOT c.system`,
  );
  return rows[0];
}

export interface SchoolCompletionRow extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  cluster_name: string | null;
  expected: number;
  submitted: number;
  in_progress: number;
}

/**
 * A campaign's completion per school in the scope, by school code, from the school after `after` (a code): the
 * subjects counted today (countedSubject: people, or the school itself for school-scope checklists) and their responses.
 */
export async function campaignSchools(
  db: Db,
  officeId: string,
  campaignId: string,
  scope: Scope,
  after: string | undefined,
  limit: number,
): Promise<SchoolCompletionRow[]> {
  return queryRows<SchoolCompletionRow>(
    db,
    sql`
    WITH c AS (SELECT c.*, ck.scope FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
                WHERE c.id = ${campaignId}::uuid AND c.office_id = ${officeId}::uuid AND NOT c.system),
    sch AS (SELECT s.id, s.code, s.name_th, s.cluster_id FROM schools s
             WHERE s.office_id = ${officeId}::uuid AND ${schoolFilter(scope, sql`s.id`)}
               ${after === undefined ? sql`` : sql`AND s.code > ${after}`}
               AND EXISTS (SELECT 1 FROM c JOIN people p ON p.school_id = s.id WHERE ${countedSubject('p', 's', 'c.scope')})
             ORDER BY s.code LIMIT ${limit + 1}),
    subj AS (SELECT DISTINCT sch.id AS school_id, CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key
               FROM sch JOIN schools s ON s.id = sch.id JOIN people p ON p.school_id = s.id CROSS JOIN c
              WHERE ${countedSubject('p', 's', 'c.scope')})
    SELECT sch.id, sch.code, sch.name_th, cl.name_th AS cluster_name,
           count(subj.subject_key)::int AS expected,
           count(r.id) FILTER (WHERE r.status = 'submitted')::int AS submitted,
           count(r.id) FILTER (WHERE r.status = 'in_progress')::int AS in_progress
      FROM sch
      LEFT JOIN clusters cl ON cl.id = sch.cluster_id
      LEFT JOIN subj ON subj.school_id = sch.id
      LEFT JOIN responses r ON r.campaign_id = ${campaignId}::uuid AND r.subject_key = subj.subject_key
     GROUP BY sch.id, sch.code, sch.name_th, cl.name_th
     ORDER BY sch.code`,
  );
}

export interface ResponseListRow extends Record<string, unknown> {
  id: string;
  status: 'in_progress' | 'submitted';
  updated_ms: number;
  submitted_ms: number | null;
  campaign_id: string;
  campaign_title: string;
  /** An internal campaign (visit records, pre-visit self-assessments): listed by title, never linked. */
  campaign_system: boolean;
  checklist_title: string;
  school_id: string | null;
  school_code: string | null;
  school_name: string | null;
  respondent_id: string | null;
  respondent: string | null;
}

export type ResponseFilter =
  { campaignId: string; schoolId?: string | undefined } | { schoolId: string } | { personId: string };

/**
 * Responses of a campaign (optionally one school's), of a school, or of a person (started by them, or about them),
 * in the scope, latest change first, after the response `after` (keyset on updated_at, id).
 */
export async function responsePage(
  db: Db,
  officeId: string,
  scope: Scope,
  f: ResponseFilter,
  after: string | undefined,
  limit: number,
): Promise<ResponseListRow[]> {
  const cond: SQL[] = [sql`r.office_id = ${officeId}::uuid`, schoolFilter(scope, sql`r.school_id`)];
  if ('campaignId' in f) {
    cond.push(sql`r.campaign_id = ${f.campaignId}::uuid`);
    if (f.schoolId !== undefined) cond.push(sql`r.school_id = ${f.schoolId}::uuid`);
  } else if ('schoolId' in f) cond.push(sql`r.school_id = ${f.schoolId}::uuid`);
  else cond.push(sql`(r.started_by = ${f.personId}::uuid OR r.subject_key = ${f.personId}::uuid)`);
  if (after !== undefined)
    cond.push(sql`(r.updated_at, r.id) < (SELECT updated_at, id FROM responses
                                           WHERE id = ${after}::uuid AND office_id = ${officeId}::uuid)`);
  return queryRows<ResponseListRow>(
    db,
    sql`
    SELECT r.id, r.status, ${ms('r.updated_at')} AS updated_ms, ${ms('r.submitted_at')} AS submitted_ms,
           c.id AS campaign_id, c.title_th AS campaign_title, c.system AS campaign_system,
           ck.title_th AS checklist_title,
           s.id AS school_id, s.code AS school_code, s.name_th AS school_name,
           p.id AS respondent_id, p.display_name AS respondent
      FROM responses r
      JOIN campaigns c ON c.id = r.campaign_id
      JOIN checklists ck ON ck.id = r.checklist_id
      LEFT JOIN schools s ON s.id = r.school_id
      LEFT JOIN people p ON p.id = r.started_by
     WHERE ${sql.join(cond, sql` AND `)}
     ORDER BY r.updated_at DESC, r.id DESC
     LIMIT ${limit + 1}`,
  );
}

export interface SchoolHeadRow extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  cluster_name: string | null;
  time_zone: string;
  levels: string[];
  size: string | null;
  subdistrict: string | null;
  district: string | null;
  province: string | null;
  tags: string[];
}

/** A school of the office in the scope, with the office's time zone. */
export async function schoolHead(
  db: Db,
  officeId: string,
  scope: Scope,
  schoolId: string,
): Promise<SchoolHeadRow | undefined> {
  const rows = await queryRows<SchoolHeadRow>(
    db,
    sql`SELECT s.id, s.code, s.name_th, cl.name_th AS cluster_name, o.time_zone,
               s.levels, s.size, s.subdistrict, s.district, s.province, s.tags
          FROM schools s JOIN offices o ON o.id = s.office_id LEFT JOIN clusters cl ON cl.id = s.cluster_id
         WHERE s.id = ${schoolId}::uuid AND s.office_id = ${officeId}::uuid AND ${schoolFilter(scope, sql`s.id`)}`,
  );
  return rows[0];
}

export interface PersonHeadRow extends Record<string, unknown> {
  id: string;
  display_name: string;
  role: string;
  school_id: string | null;
  school_name: string | null;
  time_zone: string;
}

/** A person of the office whose school is in the scope (office staff, without a school, only office-wide). */
export async function personHead(
  db: Db,
  officeId: string,
  scope: Scope,
  personId: string,
): Promise<PersonHeadRow | undefined> {
  const rows = await queryRows<PersonHeadRow>(
    db,
    sql`SELECT p.id, p.display_name, p.role, s.id AS school_id, s.name_th AS school_name, o.time_zone
          FROM people p JOIN offices o ON o.id = p.office_id LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.id = ${personId}::uuid AND p.office_id = ${officeId}::uuid AND p.status <> 'erased'
           AND ${schoolFilter(scope, sql`p.school_id`)}`,
  );
  return rows[0];
}

export interface ResponseRow extends Record<string, unknown> {
  id: string;
  status: 'in_progress' | 'submitted';
  started_ms: number;
  updated_ms: number;
  submitted_ms: number | null;
  campaign_id: string;
  campaign_title: string;
  system: boolean;
  checklist_id: string;
  checklist_title: string;
  checklist_version: number;
  definition: unknown;
  school_id: string | null;
  school_code: string | null;
  school_name: string | null;
  respondent_id: string | null;
  respondent: string | null;
  time_zone: string;
  /** Every answer, with the name of the school a school-choice answer (an id) names. */
  answers: { k: string; r: number; v: AnswerValue; school: string | null }[] | null;
  /** The response's evidence files, in arrival order. */
  evidence: { id: string; k: string; r: number; status: string; type: string | null; name: string | null }[] | null;
}

/** One response in the scope, with its checklist version's definition, its answers and its evidence. */
export async function responseDetail(
  db: Db,
  officeId: string,
  scope: Scope,
  responseId: string,
): Promise<ResponseRow | undefined> {
  const rows = await queryRows<ResponseRow>(
    db,
    sql`
    SELECT r.id, r.status, ${ms('r.started_at')} AS started_ms, ${ms('r.updated_at')} AS updated_ms,
           ${ms('r.submitted_at')} AS submitted_ms, c.id AS campaign_id, c.title_th AS campaign_title, c.system,
           ck.id AS checklist_id, ck.title_th AS checklist_title, ck.version AS checklist_version, ck.definition,
           s.id AS school_id, s.code AS school_code, s.name_th AS school_name,
           p.id AS respondent_id, p.display_name AS respondent, o.time_zone,
           (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value, 'school', sa.name_th)
                            ORDER BY a.repeat_index, a.item_key)
              FROM answers a
              LEFT JOIN schools sa ON sa.office_id = r.office_id AND jsonb_typeof(a.value) = 'string'
                                  AND sa.id::text = a.value #>> '{}'
             WHERE a.response_id = r.id) AS answers,
           (SELECT json_agg(json_build_object('id', e.id, 'k', e.item_key, 'r', e.repeat_index, 'status', e.status,
                                              'type', e.content_type, 'name', e.file_name) ORDER BY e.created_at, e.id)
              FROM evidence_files e WHERE e.response_id = r.id) AS evidence
      FROM responses r
      JOIN offices o ON o.id = r.office_id
      JOIN campaigns c ON c.id = r.campaign_id
      JOIN checklists ck ON ck.id = r.checklist_id
      LEFT JOIN schools s ON s.id = r.school_id
      LEFT JOIN people p ON p.id = r.started_by
     WHERE r.id = ${responseId}::uuid AND r.office_id = ${officeId}::uuid AND ${schoolFilter(scope, sql`r.school_id`)}`,
  );
  return rows[0];
}

export interface EvidenceRow extends Record<string, unknown> {
  id: string;
  response_id: string;
  storage_key: string;
  content_type: string;
  size_bytes: number;
  /** A document's name as sent (null for a photo). */
  file_name: string | null;
}

/** A stored evidence file of the office whose response's school is in the scope. */
export async function evidenceInScope(
  db: Db,
  officeId: string,
  scope: Scope,
  evidenceId: string,
): Promise<EvidenceRow | undefined> {
  const rows = await queryRows<EvidenceRow>(
    db,
    sql`SELECT e.id, e.response_id, e.storage_key, e.content_type, e.size_bytes, e.file_name
          FROM evidence_files e JOIN responses r ON r.id = e.response_id
         WHERE e.id = ${evidenceId}::uuid AND e.office_id = ${officeId}::uuid AND e.status = 'stored'
           AND e.storage_key IS NOT NULL AND e.content_type IS NOT NULL AND e.size_bytes IS NOT NULL
           AND ${schoolFilter(scope, sql`r.school_id`)}`,
  );
  return rows[0];
}

/** A visit record is a response whose subject is a visit: the school page shows it with its visit instead. */
const notVisitRecord = sql`NOT EXISTS (SELECT 1 FROM visits v_rec WHERE v_rec.response_id = r.id)`;

export interface OutcomeResponseRow extends Record<string, unknown> {
  id: string;
  campaign_title: string;
  checklist_id: string;
  checklist_title: string;
  definition: unknown;
  submitted_ms: number;
  answers: Record<string, unknown> | null;
}

/**
 * A school's latest submitted response to each checklist that judges standards or indicators against a target
 * (the SAR, the self-assessment), with its top-level answers: at most `limit` checklists, newest first.
 */
export async function schoolOutcomes(
  db: Db,
  officeId: string,
  scope: Scope,
  schoolId: string,
  limit: number,
): Promise<OutcomeResponseRow[]> {
  return queryRows<OutcomeResponseRow>(
    db,
    sql`
    WITH latest AS (
      SELECT DISTINCT ON (ck.key) r.id, r.submitted_at, c.title_th AS campaign_title, ck.id AS checklist_id,
             ck.title_th AS checklist_title, ck.definition
        FROM responses r
        JOIN campaigns c ON c.id = r.campaign_id
        JOIN checklists ck ON ck.id = r.checklist_id
       WHERE r.school_id = ${schoolId}::uuid AND r.office_id = ${officeId}::uuid AND r.status = 'submitted'
         AND ${notVisitRecord} AND ${schoolFilter(scope, sql`r.school_id`)}
         AND jsonb_path_exists(ck.definition, 'lax $.**.achieve')
       ORDER BY ck.key, r.submitted_at DESC, r.id)
    SELECT l.id, l.campaign_title, l.checklist_id, l.checklist_title, l.definition,
           ${ms('l.submitted_at')} AS submitted_ms,
           (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
             WHERE a.response_id = l.id AND a.repeat_index = 0) AS answers
      FROM latest l
     ORDER BY l.submitted_at DESC
     LIMIT ${limit}`,
  );
}

export interface SchoolVisitRow extends Record<string, unknown> {
  id: string;
  starts_ms: number;
  status: string;
  decision: 'achieved' | 'not_yet' | null;
  purpose_th: string;
  supervisor: string;
  response_id: string | null;
  checklist_id: string | null;
  definition: unknown;
  answers: Record<string, unknown> | null;
  actions: { what: string; owner: string | null; due: string | null; status: 'open' | 'done' }[] | null;
}

/** A school's visits, latest first (at most `limit`), each with its record's top-level answers and its actions. */
export async function schoolVisits(
  db: Db,
  officeId: string,
  scope: Scope,
  schoolId: string,
  limit: number,
): Promise<SchoolVisitRow[]> {
  return queryRows<SchoolVisitRow>(
    db,
    sql`
    SELECT v.id, ${ms('v.starts_at')} AS starts_ms, v.status, v.decision, v.purpose_th, p.display_name AS supervisor,
           v.response_id, rr.checklist_id, ck.definition,
           (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
             WHERE a.response_id = rr.id AND a.repeat_index = 0) AS answers,
           (SELECT json_agg(json_build_object('what', va.what_th, 'owner', va.owner_th, 'due', va.due_on,
                                              'status', va.status) ORDER BY va.position)
              FROM visit_actions va WHERE va.visit_id = v.id) AS actions
      FROM visits v
      JOIN people p ON p.id = v.supervisor_id
      LEFT JOIN responses rr ON rr.id = v.response_id
      LEFT JOIN checklists ck ON ck.id = rr.checklist_id
     WHERE v.school_id = ${schoolId}::uuid AND v.office_id = ${officeId}::uuid
       AND ${schoolFilter(scope, sql`v.school_id`)}
     ORDER BY v.starts_at DESC, v.id
     LIMIT ${limit}`,
  );
}

export interface SchoolCampaignRow extends Record<string, unknown> {
  id: string;
  title_th: string;
  system: boolean;
  due_ms: number;
  expected: number;
  submitted: number;
  in_progress: number;
}

/**
 * A school's completion over time: each campaign opened by `at` that counts the school's people (or the school;
 * countedSubject), latest due first, at most `limit`, with the school's expected, submitted and started subjects.
 */
export async function schoolCompletion(
  db: Db,
  officeId: string,
  scope: Scope,
  schoolId: string,
  at: number,
  limit: number,
): Promise<SchoolCampaignRow[]> {
  return queryRows<SchoolCampaignRow>(
    db,
    sql`
    WITH s AS (SELECT * FROM schools s WHERE s.id = ${schoolId}::uuid AND s.office_id = ${officeId}::uuid
                 AND ${schoolFilter(scope, sql`s.id`)}),
    c AS (SELECT c.*, ck.scope FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
           WHERE c.office_id = ${officeId}::uuid AND c.opens_at <= ${new Date(at).toISOString()}::timestamptz
             AND EXISTS (SELECT 1 FROM s JOIN people p ON p.school_id = s.id WHERE ${countedSubject('p', 's', 'ck.scope')})
           ORDER BY c.due_at DESC, c.id LIMIT ${limit}),
    subj AS (SELECT DISTINCT c.id AS campaign_id, CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key
               FROM c CROSS JOIN s JOIN people p ON p.school_id = s.id
              WHERE ${countedSubject('p', 's', 'c.scope')})
    SELECT c.id, c.title_th, c.system, ${ms('c.due_at')} AS due_ms, count(subj.subject_key)::int AS expected,
           count(r.id) FILTER (WHERE r.status = 'submitted')::int AS submitted,
           count(r.id) FILTER (WHERE r.status = 'in_progress')::int AS in_progress
      FROM c
      LEFT JOIN subj ON subj.campaign_id = c.id
      LEFT JOIN responses r ON r.campaign_id = c.id AND r.subject_key = subj.subject_key
     GROUP BY c.id, c.title_th, c.system, c.due_at
     ORDER BY c.due_at DESC, c.id`,
  );
}

export interface SchoolPhotoRow extends Record<string, unknown> {
  id: string;
  response_id: string;
  checklist_title: string;
}

/** A school's latest stored photos (any response of the school, visit records included), at most `limit`. */
export async function schoolPhotos(
  db: Db,
  officeId: string,
  scope: Scope,
  schoolId: string,
  limit: number,
): Promise<SchoolPhotoRow[]> {
  return queryRows<SchoolPhotoRow>(
    db,
    sql`SELECT e.id, e.response_id, ck.title_th AS checklist_title
          FROM evidence_files e
          JOIN responses r ON r.id = e.response_id
          JOIN checklists ck ON ck.id = r.checklist_id
         WHERE r.school_id = ${schoolId}::uuid AND e.office_id = ${officeId}::uuid AND e.status = 'stored'
           AND ${schoolFilter(scope, sql`r.school_id`)}
         ORDER BY e.created_at DESC, e.id
         LIMIT ${limit}`,
  );
}
