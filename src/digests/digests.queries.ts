// SQL for the weekly digests and the "ดูรายชื่อ" replies. Every aggregate is one statement over all the offices
// being planned (grouped by office, at school grain so directors, supervisors and principals are rolled up from
// the same rows in TypeScript); nothing runs per person or per office. Who is counted is the one countedSubject()
// (src/checklists/audience.queries.ts) that every figure uses; who may answer is audience(), as in loadTurn.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { type VisitCountRow, visitsThisSemester as visitCounts } from '../visits/visits.queries.js';
import { audience, countedSubject, isEmptyCut, schoolInCut, type SchoolCut } from '../checklists/audience.queries.js';
import { isBelowTargetKey, isSarChecklist, standardOfKey } from '../sar/keys.queries.js';
import { keySql } from '../outbox/enqueue.queries.js';

/** The roles that receive a digest and may ask for names. */
export type DigestRole = 'director' | 'supervisor' | 'principal';

// ── Shared predicates (aliases: c campaigns, ck checklists, p people, s the person's school) ──

/** A campaign people can answer now: opened and not closed (a visit's system campaigns are no campaigns here). */
const openCampaign = (at: string) => sql`c.closed_at IS NULL AND c.opens_at <= ${at} AND NOT c.system`;

/** Counted against a campaign (its figures and its lists of who is missing): the shared countedSubject(). */
const inAudience = countedSubject();

/** The schools a person may see: a director all of the office, a supervisor the assigned ones, a principal theirs. */
function scopeSchools(asker: {
  id: string;
  role: DigestRole;
  officeId: string;
  schoolId: string | null;
  cut?: SchoolCut | null;
}): SQL {
  const cut = asker.role === 'director' ? (asker.cut ?? null) : null;
  return sql`SELECT s.id FROM schools s
     WHERE s.office_id = ${asker.officeId}::uuid AND (
       (${asker.role} = 'director' AND ${cut === null ? sql`TRUE` : schoolInCut('s', cut)})
       OR (${asker.role} = 'principal' AND s.id = ${asker.schoolId}::uuid)
       OR (${asker.role} = 'supervisor' AND EXISTS (
             SELECT 1 FROM supervisor_assignments sa
              WHERE sa.supervisor_id = ${asker.id}::uuid AND sa.office_id = s.office_id
                AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))))`;
}

// ── Planning ──

export interface RecipientRow extends Record<string, unknown> {
  person_id: string;
  office_id: string;
  office_name: string;
  time_zone: string;
  role: DigestRole;
  school_id: string | null;
  school_name: string | null;
  channel_id: string;
  /** ISO week in the office's time zone, e.g. "2026-W48". */
  week: string;
  local_day: string;
  dedupe_key: string;
  /** A supervisor's schools, directly or through a cluster (null for other roles). */
  schools: string[] | null;
  /** A director's digest cut (people.digest_cut; null for the whole office and for other roles). */
  digest_cut: SchoolCut | null;
}

/** The ids of the office's schools in a cut (a director's digest cut): the campaigns' own rule, schoolInCut. */
export async function schoolsInCut(db: Db, officeId: string, cut: SchoolCut): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT s.id FROM schools s WHERE s.office_id = ${officeId}::uuid AND ${schoolInCut('s', cut)}`,
  );
  return rows.map((r) => r.id);
}

/**
 * Linked active people of an office who get this week's digest: every director; supervisors with at least one
 * school assigned; principals whose school has someone in an open campaign's audience (a principal with nothing
 * open gets no digest: offices' push quotas are small). Whether it is Monday and whether the office's digests are
 * staged already is the caller's (a plan_marks row per office and day).
 */
export async function dueRecipients(db: Db, at: string, officeId: string): Promise<RecipientRow[]> {
  return queryRows<RecipientRow>(
    db,
    sql`
    WITH d AS (
      SELECT o.id AS office_id, o.name_th, o.time_zone, to_char(l.lt, 'IYYY-"W"IW') AS week, l.lt::date::text AS local_day
        FROM offices o
        CROSS JOIN LATERAL (SELECT ${at}::timestamptz AT TIME ZONE o.time_zone AS lt) l
       WHERE o.id = ${officeId}::uuid),
    r AS (
      SELECT p.id AS person_id, p.office_id, d.name_th AS office_name, d.time_zone, p.role, p.school_id, p.channel_id,
             CASE WHEN p.role = 'director' THEN p.digest_cut END AS digest_cut, d.week, d.local_day, ${keySql('digest', sql`d.week`)} AS dedupe_key
        FROM d
        JOIN people p ON p.office_id = d.office_id AND p.role IN ('director', 'supervisor', 'principal')
       WHERE p.status = 'active' AND p.channel_id IS NOT NULL AND p.line_user_id IS NOT NULL
         AND (p.role <> 'supervisor' OR EXISTS (
               SELECT 1 FROM supervisor_assignments sa
                 JOIN schools sc ON sc.office_id = sa.office_id AND (sc.id = sa.school_id OR sc.cluster_id = sa.cluster_id)
                WHERE sa.supervisor_id = p.id AND sa.office_id = p.office_id))
         AND (p.role <> 'principal' OR EXISTS (
               SELECT 1 FROM people m
                 JOIN schools ms ON ms.id = m.school_id
                 JOIN campaigns c ON c.office_id = m.office_id
                 JOIN checklists ck ON ck.id = c.checklist_id
                WHERE m.school_id = p.school_id AND ${openCampaign(at)} AND ${audience('m', 'ms')})))
    SELECT r.*, s.name_th AS school_name,
           CASE WHEN r.role = 'supervisor' THEN (
             SELECT json_agg(DISTINCT sc.id)
               FROM supervisor_assignments sa
               JOIN schools sc ON sc.office_id = sa.office_id AND (sc.id = sa.school_id OR sc.cluster_id = sa.cluster_id)
              WHERE sa.supervisor_id = r.person_id AND sa.office_id = r.office_id) END AS schools
      FROM r
      LEFT JOIN schools s ON s.id = r.school_id
     ORDER BY r.person_id`,
  );
}

export interface CampaignRow extends Record<string, unknown> {
  office_id: string;
  id: string;
  title_th: string;
  scope: 'person' | 'school';
  due_ms: number;
}

/** The offices' open campaigns, soonest due first. */
export async function openCampaigns(db: Db, officeIds: string[], at: string): Promise<CampaignRow[]> {
  return queryRows<CampaignRow>(
    db,
    sql`SELECT c.office_id, c.id, c.title_th, ck.scope, (extract(epoch FROM c.due_at) * 1000)::float8 AS due_ms
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
         WHERE c.office_id = ANY(${sql.param(officeIds)}::uuid[]) AND ${openCampaign(at)}
         ORDER BY c.office_id, c.due_at, c.title_th`,
  );
}

export interface ProgressRow extends Record<string, unknown> {
  office_id: string;
  campaign_id: string;
  /** Null for audience members without a school (supervisors, office staff). */
  school_id: string | null;
  school_name: string | null;
  cluster_id: string | null;
  cluster_name: string | null;
  /** Subjects (people, or schools for school-scope campaigns) in the audience. */
  expected: number;
  /** Of them, those with a submitted response. */
  answered: number;
  /** Submitted in the 7 days before `at`. */
  answered_week: number;
  last_submitted_ms: number | null;
}

/**
 * Completion of every open campaign, per school: the grain every digest is rolled up from. People are read by
 * office (people_office_role_idx), and school and cluster names are joined after grouping, once per row out
 * rather than once per subject. Ordered as the rows are grouped, so ties in the digests' rankings are stable.
 */
export async function progressBySchool(db: Db, officeIds: string[], at: string): Promise<ProgressRow[]> {
  const offices = sql`${sql.param(officeIds)}::uuid[]`;
  return queryRows<ProgressRow>(
    db,
    sql`
    WITH subj AS (
      SELECT DISTINCT c.office_id, c.id AS campaign_id, p.school_id, s.cluster_id,
             CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key
        FROM campaigns c
        JOIN checklists ck ON ck.id = c.checklist_id
        JOIN people p ON p.office_id = c.office_id
        LEFT JOIN schools s ON s.id = p.school_id
       WHERE c.office_id = ANY(${offices}) AND p.office_id = ANY(${offices}) AND ${openCampaign(at)} AND ${inAudience}),
    prog AS (
      SELECT subj.office_id, subj.campaign_id, subj.school_id, subj.cluster_id,
             count(*)::int AS expected,
             count(r.id) FILTER (WHERE r.status = 'submitted')::int AS answered,
             count(r.id) FILTER (WHERE r.status = 'submitted'
                                   AND r.submitted_at > ${at}::timestamptz - interval '7 days')::int AS answered_week,
             (extract(epoch FROM max(r.submitted_at) FILTER (WHERE r.status = 'submitted')) * 1000)::float8
               AS last_submitted_ms
        FROM subj
        LEFT JOIN responses r ON r.campaign_id = subj.campaign_id AND r.subject_key = subj.subject_key
       GROUP BY subj.office_id, subj.campaign_id, subj.school_id, subj.cluster_id)
    SELECT prog.office_id, prog.campaign_id, prog.school_id, s.name_th AS school_name, prog.cluster_id,
           cl.name_th AS cluster_name, prog.expected, prog.answered, prog.answered_week, prog.last_submitted_ms
      FROM prog
      LEFT JOIN schools s ON s.id = prog.school_id
      LEFT JOIN clusters cl ON cl.id = prog.cluster_id
     ORDER BY prog.office_id, prog.campaign_id, prog.school_id, prog.cluster_id`,
  );
}

export interface PendingNameRow extends Record<string, unknown> {
  campaign_id: string;
  school_id: string;
  name: string;
}

/**
 * For principals' digests: up to `perCampaign` names per school and person-scope campaign of the people who have
 * not submitted (the counts come from progressBySchool). `officeIds` are the offices being planned, whose
 * campaigns the digests show: people are read by office (people_office_role_idx), then kept by school.
 */
export async function pendingNamesBySchool(
  db: Db,
  officeIds: string[],
  schoolIds: string[],
  at: string,
  perCampaign: number,
): Promise<PendingNameRow[]> {
  if (schoolIds.length === 0) return [];
  return queryRows<PendingNameRow>(
    db,
    sql`
    WITH pend AS (
      SELECT c.id AS campaign_id, p.school_id, p.display_name AS name,
             row_number() OVER (PARTITION BY c.id, p.school_id ORDER BY p.display_name, p.id) AS n
        FROM people p
        JOIN schools s ON s.id = p.school_id
        JOIN campaigns c ON c.office_id = p.office_id
        JOIN checklists ck ON ck.id = c.checklist_id
       WHERE p.office_id = ANY(${sql.param(officeIds)}::uuid[]) AND p.school_id = ANY(${sql.param(schoolIds)}::uuid[])
         AND c.office_id = ANY(${sql.param(officeIds)}::uuid[]) AND ck.scope = 'person'
         AND ${openCampaign(at)} AND ${inAudience}
         AND NOT EXISTS (SELECT 1 FROM responses r
                          WHERE r.campaign_id = c.id AND r.subject_key = p.id AND r.status = 'submitted'))
    SELECT campaign_id, school_id, name FROM pend WHERE n <= ${perCampaign} ORDER BY campaign_id, school_id, n`,
  );
}

export interface BelowTargetRow extends Record<string, unknown> {
  office_id: string;
  school_id: string;
  school_name: string;
  cluster_name: string | null;
  checklist_key: string;
  checklist_title: string;
  /** "s1", "s2", … */
  standard: string;
  standard_label: string | null;
}

/**
 * Standards below target in each school's latest submitted SAR. A SAR is any checklist whose definition has
 * calculated `sN_below_target` items (the built-in sar-basic and sar-early-childhood, and offices' own versions);
 * "latest" is per school and checklist key, whatever campaign it came from (open or closed).
 */
function belowTargetSql(officeIds: string[], schoolFilter: SQL): SQL {
  return sql`
    WITH sar AS (
      SELECT ck.id, ck.key, ck.title_th, ck.definition FROM checklists ck
       WHERE (ck.office_id IS NULL OR ck.office_id = ANY(${sql.param(officeIds)}::uuid[]))
         AND ${isSarChecklist()}),
    latest AS (
      SELECT DISTINCT ON (r.school_id, sar.key) r.id, r.office_id, r.school_id, sar.key, sar.title_th, sar.definition
        FROM campaigns c
        JOIN responses r ON r.campaign_id = c.id
        JOIN sar ON sar.id = r.checklist_id
       WHERE c.office_id = ANY(${sql.param(officeIds)}::uuid[]) AND r.status = 'submitted' AND r.school_id IS NOT NULL
         AND ${schoolFilter}
       ORDER BY r.school_id, sar.key, r.submitted_at DESC, r.id)
    SELECT l.office_id, l.school_id, s.name_th AS school_name, cl.name_th AS cluster_name, cl.code AS cluster_code,
           l.key AS checklist_key,
           l.title_th AS checklist_title, std.standard,
           (SELECT it->'label'->>'th' FROM jsonb_array_elements(l.definition->'items') it
             WHERE it->>'key' = std.standard LIMIT 1) AS standard_label
      FROM latest l
      JOIN answers a ON a.response_id = l.id AND ${isBelowTargetKey(sql`a.item_key`)}
      CROSS JOIN LATERAL (SELECT ${standardOfKey(sql`a.item_key`)} AS standard) std
      JOIN schools s ON s.id = l.school_id
      LEFT JOIN clusters cl ON cl.id = s.cluster_id
     WHERE a.value #>> '{}' IN ('1', 'true')`;
}

export async function belowTarget(db: Db, officeIds: string[]): Promise<BelowTargetRow[]> {
  return queryRows<BelowTargetRow>(
    db,
    sql`${belowTargetSql(officeIds, sql`true`)} ORDER BY l.office_id, l.key, std.standard, s.name_th`,
  );
}

export interface TermRow extends Record<string, unknown> {
  office_id: string;
  academic_year: number;
  term: number;
}

/**
 * The term each office's calendar says today (its local date) falls in, if any. Calendar only, no split fallback
 * (src/time/term.ts): the digest's term line heads the visits-this-semester figures, which exist only between real
 * term dates; in a break or with no calendar the digest leaves both out rather than name a term it cannot count.
 */
export async function currentTerms(db: Db, officeIds: string[], at: string): Promise<TermRow[]> {
  return queryRows<TermRow>(
    db,
    sql`SELECT DISTINCT ON (o.id) o.id AS office_id, e.academic_year::int AS academic_year, e.term::int AS term
          FROM offices o
          JOIN calendar_events e ON e.office_id = o.id AND e.kind = 'term'
           AND e.academic_year IS NOT NULL AND e.term IS NOT NULL
           AND e.starts_on <= (${at}::timestamptz AT TIME ZONE o.time_zone)::date
           AND e.ends_on >= (${at}::timestamptz AT TIME ZONE o.time_zone)::date
         WHERE o.id = ANY(${sql.param(officeIds)}::uuid[])
         ORDER BY o.id, e.starts_on DESC`,
  );
}

export type { VisitCountRow } from '../visits/visits.queries.js';

/** Supervision visits done vs planned this semester, per supervisor, from the visits of the offices' current terms. */
export function visitsThisSemester(db: Db, officeIds: string[], at: string): Promise<VisitCountRow[] | null> {
  return visitCounts(db, officeIds, at);
}

export interface StagedDigest {
  personId: string;
  /** Index into the payloads: people with the same view (an office's directors) share one. */
  payload: number;
}

/**
 * Stores each distinct digest body once (outbox_bodies, by its md5) and queues a digest item per recipient
 * (`digest:<ISO week>`), which their next daily bundle carries as its second message. Returns the items queued.
 */
export async function stageDigests(
  db: Db,
  officeId: string,
  at: string,
  key: string,
  payloads: string[],
  rows: StagedDigest[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await queryRows<{ n: number }>(
    db,
    sql`
    WITH payload AS (
      SELECT t.i, md5(t.body::jsonb::text)::uuid AS hash, t.body::jsonb AS body
        FROM unnest(${sql.param(payloads.map((_, i) => i))}::int[], ${sql.param(payloads)}::text[]) AS t(i, body)),
    bodies AS (
      INSERT INTO outbox_bodies AS b (hash, body, used_at)
      SELECT DISTINCT ON (hash) hash, body, ${at}::timestamptz FROM payload
      ON CONFLICT (hash) DO UPDATE SET used_at = excluded.used_at
       WHERE b.used_at < excluded.used_at - interval '1 day'
      RETURNING 1),
    r AS (
      SELECT * FROM unnest(${sql.param(rows.map((r) => r.personId))}::uuid[],
                           ${sql.param(rows.map((r) => r.payload))}::int[]) AS t(person_id, i)),
    ins AS (
      INSERT INTO outbox_items (office_id, person_id, key, kind, data, due_at)
      SELECT ${officeId}::uuid, r.person_id, ${key}, 'digest', jsonb_build_object('k', 'digest', 'b', p.hash),
             ${at}::timestamptz
        FROM r JOIN payload p ON p.i = r.i
      ON CONFLICT (person_id, key) DO NOTHING
      RETURNING 1)
    SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT count(*) FROM bodies)::int AS bodies`,
  );
  return result[0]?.n ?? 0;
}

// ── "ดูรายชื่อ" ──

export interface Asker {
  id: string;
  role: DigestRole;
  officeId: string;
  schoolId: string | null;
  /** A director's digest cut: the names are only from the schools in it (null: the whole office). */
  cut?: SchoolCut | null;
}

/** A director's digest cut (people.digest_cut), null when there is none or it is empty: the whole office. */
export async function directorCut(db: Db, personId: string): Promise<SchoolCut | null> {
  const rows = await queryRows<{ digest_cut: SchoolCut | null }>(
    db,
    sql`SELECT digest_cut FROM people WHERE id = ${personId}::uuid AND role = 'director'`,
  );
  const cut = rows[0]?.digest_cut ?? null;
  return cut === null || isEmptyCut(cut) ? null : cut;
}

/** Whether the asker sees everyone in the office, people without a school too (a director without a cut). */
const wholeOffice = (asker: Asker): boolean => asker.role === 'director' && (asker.cut ?? null) === null;

export interface NameRow {
  /** A person's name, or a school's for school-scope campaigns. */
  name: string;
  school: string | null;
  cluster: string | null;
  /** For people: whether they have linked LINE (null for schools). */
  linked: boolean | null;
  /** The group the name is listed under when a reply spans several (campaign or standard). */
  group: string | null;
}

export interface NamesResult {
  /** The campaign asked about, when one was named and is open in the asker's office; null otherwise. */
  campaign: { title: string; scope: 'person' | 'school'; due_ms: number; tz: string } | null;
  rows: NameRow[];
  /** All matches, of which `rows` are the first `limit`. */
  total: number;
}

interface NamesQueryRow extends Record<string, unknown> {
  campaign: { title: string; scope: 'person' | 'school'; due_ms: number; tz: string } | null;
  rows: NameRow[] | null;
  total: number;
}

async function namesQuery(db: Db, query: SQL): Promise<NamesResult> {
  const row = (await queryRows<NamesQueryRow>(db, query))[0];
  return { campaign: row?.campaign ?? null, rows: row?.rows ?? [], total: row?.total ?? 0 };
}

/** Who in the asker's scope has not submitted an open campaign of the asker's office (schools, if school-scope). */
export async function pendingNames(
  db: Db,
  asker: Asker,
  campaignId: string,
  at: string,
  limit: number,
): Promise<NamesResult> {
  return namesQuery(
    db,
    sql`
    WITH scope AS (${scopeSchools(asker)}),
    cp AS (
      SELECT c.id, c.title_th, ck.scope, c.due_at FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
       WHERE c.id = ${campaignId}::uuid AND c.office_id = ${asker.officeId}::uuid AND ${openCampaign(at)}),
    aud AS (
      SELECT DISTINCT ON (subject_key) CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key,
             CASE WHEN ck.scope = 'school' THEN s.name_th ELSE p.display_name END AS name,
             s.name_th AS school, cl.name_th AS cluster, cl.code AS cluster_code,
             CASE WHEN ck.scope = 'school' THEN NULL ELSE p.line_user_id IS NOT NULL END AS linked
        FROM campaigns c
        JOIN checklists ck ON ck.id = c.checklist_id
        JOIN people p ON p.office_id = c.office_id
        LEFT JOIN schools s ON s.id = p.school_id
        LEFT JOIN clusters cl ON cl.id = s.cluster_id
       WHERE c.id IN (SELECT id FROM cp) AND ${inAudience}
         AND (${wholeOffice(asker)} OR p.school_id IN (SELECT id FROM scope))
       ORDER BY subject_key),
    pend AS (
      SELECT aud.*, count(*) OVER () AS total FROM aud
       WHERE NOT EXISTS (SELECT 1 FROM responses r JOIN cp ON cp.id = r.campaign_id
                          WHERE r.subject_key = aud.subject_key AND r.status = 'submitted')
       ORDER BY cluster_code NULLS LAST, school NULLS LAST, name
       LIMIT ${limit})
    SELECT (SELECT json_build_object('title', title_th, 'scope', scope,
                                     'due_ms', (extract(epoch FROM due_at) * 1000)::float8,
                                     'tz', (SELECT time_zone FROM offices WHERE id = ${asker.officeId}::uuid))
              FROM cp) AS campaign,
           (SELECT json_agg(json_build_object('name', name, 'school', school, 'cluster', cluster, 'linked', linked,
                                              'group', NULL)
                            ORDER BY cluster_code NULLS LAST, school NULLS LAST, name) FROM pend) AS rows,
           coalesce((SELECT max(total) FROM pend), 0)::int AS total`,
  );
}

/**
 * Schools in scope that have not submitted a school-scope campaign past its due date; one campaign, or all of
 * the office's. `campaign` is null when a named campaign is not an open campaign of the asker's office.
 */
export async function overdueSchoolNames(
  db: Db,
  asker: Asker,
  campaignId: string | null,
  at: string,
  limit: number,
): Promise<NamesResult> {
  return namesQuery(
    db,
    sql`
    WITH scope AS (${scopeSchools(asker)}),
    cp AS (
      SELECT c.id, c.title_th, ck.scope, c.due_at FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
       WHERE c.office_id = ${asker.officeId}::uuid AND ${openCampaign(at)}
         AND (${campaignId}::uuid IS NULL OR c.id = ${campaignId}::uuid)),
    aud AS (
      SELECT DISTINCT c.id AS campaign_id, c.title_th, c.due_at, p.school_id, s.name_th AS school, cl.name_th AS cluster,
             cl.code AS cluster_code
        FROM campaigns c
        JOIN checklists ck ON ck.id = c.checklist_id
        JOIN people p ON p.office_id = c.office_id
        JOIN schools s ON s.id = p.school_id
        LEFT JOIN clusters cl ON cl.id = s.cluster_id
       WHERE c.id IN (SELECT id FROM cp WHERE scope = 'school' AND due_at < ${at}) AND ${inAudience}
         AND p.school_id IN (SELECT id FROM scope)),
    pend AS (
      SELECT aud.*, count(*) OVER () AS total FROM aud
       WHERE NOT EXISTS (SELECT 1 FROM responses r
                          WHERE r.campaign_id = aud.campaign_id AND r.subject_key = aud.school_id
                            AND r.status = 'submitted')
       ORDER BY due_at, title_th, cluster_code NULLS LAST, school
       LIMIT ${limit})
    SELECT CASE WHEN ${campaignId}::uuid IS NULL THEN NULL ELSE
             (SELECT json_build_object('title', title_th, 'scope', scope,
                                       'due_ms', (extract(epoch FROM due_at) * 1000)::float8,
                                       'tz', (SELECT time_zone FROM offices WHERE id = ${asker.officeId}::uuid))
                FROM cp) END AS campaign,
           (SELECT json_agg(json_build_object('name', school, 'school', school, 'cluster', cluster, 'linked', NULL,
                                              'group', title_th)
                            ORDER BY due_at, title_th, cluster_code NULLS LAST, school) FROM pend) AS rows,
           coalesce((SELECT max(total) FROM pend), 0)::int AS total`,
  );
}

/** Schools in scope whose latest SAR has standards below target, grouped by SAR and standard. */
export async function belowTargetNames(db: Db, asker: Asker, limit: number): Promise<NamesResult> {
  const scoped = sql`r.school_id IN (${scopeSchools(asker)})`;
  return namesQuery(
    db,
    sql`
    WITH hits AS (${belowTargetSql([asker.officeId], scoped)}),
    pend AS (
      SELECT h.*, count(*) OVER () AS total FROM hits h
       ORDER BY checklist_key, standard, cluster_code NULLS LAST, school_name
       LIMIT ${limit})
    SELECT NULL::json AS campaign,
           (SELECT json_agg(json_build_object('name', school_name, 'school', school_name, 'cluster', cluster_name,
                                              'linked', NULL,
                                              'group', coalesce(standard_label, standard) || ' (' || checklist_title || ')')
                            ORDER BY checklist_key, standard, cluster_code NULLS LAST, school_name) FROM pend) AS rows,
           coalesce((SELECT max(total) FROM pend), 0)::int AS total`,
  );
}

/**
 * A principal's "ค้างส่ง" (`ค้างส่ง` typed or the menu's tile): who at their school has not submitted each open
 * campaign of the office (the school itself for school-scope ones), listed under the campaign, soonest due first.
 */
export async function schoolPendingNames(db: Db, asker: Asker, at: string, limit: number): Promise<NamesResult> {
  return namesQuery(
    db,
    sql`
    WITH aud AS (
      SELECT DISTINCT ON (c.id, CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END)
             c.id AS campaign_id, c.title_th, c.due_at,
             CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END AS subject_key,
             CASE WHEN ck.scope = 'school' THEN s.name_th ELSE p.display_name END AS name,
             CASE WHEN ck.scope = 'school' THEN NULL ELSE p.line_user_id IS NOT NULL END AS linked
        FROM campaigns c
        JOIN checklists ck ON ck.id = c.checklist_id
        JOIN people p ON p.office_id = c.office_id AND p.school_id = ${asker.schoolId}::uuid
        JOIN schools s ON s.id = p.school_id
       WHERE c.office_id = ${asker.officeId}::uuid AND ${openCampaign(at)} AND ${inAudience}
       ORDER BY c.id, CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END),
    pend AS (
      SELECT aud.*, count(*) OVER () AS total FROM aud
       WHERE NOT EXISTS (SELECT 1 FROM responses r
                          WHERE r.campaign_id = aud.campaign_id AND r.subject_key = aud.subject_key
                            AND r.status = 'submitted')
       ORDER BY due_at, title_th, name
       LIMIT ${limit})
    SELECT NULL::json AS campaign,
           (SELECT json_agg(json_build_object('name', name, 'school', NULL, 'cluster', NULL, 'linked', linked,
                                              'group', title_th)
                            ORDER BY due_at, title_th, name) FROM pend) AS rows,
           coalesce((SELECT max(total) FROM pend), 0)::int AS total`,
  );
}

/**
 * One person's digest recipient row, for "สรุปสัปดาห์นี้" on demand: as dueRecipients makes it, without the checks
 * of who gets one on Monday (whoever asks gets theirs).
 */
export async function digestRecipient(db: Db, personId: string, at: string): Promise<RecipientRow | undefined> {
  const rows = await queryRows<RecipientRow>(
    db,
    sql`SELECT p.id AS person_id, p.office_id, o.name_th AS office_name, o.time_zone, p.role, p.school_id,
               CASE WHEN p.role = 'director' THEN p.digest_cut END AS digest_cut, p.channel_id, to_char(${at}::timestamptz AT TIME ZONE o.time_zone, 'IYYY-"W"IW') AS week,
               (${at}::timestamptz AT TIME ZONE o.time_zone)::date::text AS local_day, '' AS dedupe_key,
               s.name_th AS school_name,
               CASE WHEN p.role = 'supervisor' THEN (
                 SELECT json_agg(DISTINCT sc.id)
                   FROM supervisor_assignments sa
                   JOIN schools sc ON sc.office_id = sa.office_id AND (sc.id = sa.school_id OR sc.cluster_id = sa.cluster_id)
                  WHERE sa.supervisor_id = p.id AND sa.office_id = p.office_id) END AS schools
          FROM people p
          JOIN offices o ON o.id = p.office_id
          LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.id = ${personId}::uuid AND p.role IN ('director', 'supervisor', 'principal')`,
  );
  return rows[0];
}
