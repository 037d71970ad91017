// SQL for checklists and campaigns in the admin API. Publishing and creating reuse src/checklists'
// publishChecklist / findChecklist / upsertCampaign (as the CLI does); this file holds the pages and counts.
import { sql } from 'drizzle-orm';
import { audience, countedSubject } from '../checklists/audience.queries.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { iso } from './admin.queries.js';
import type { AudienceFilters } from '../org/attributes.js';

export interface ChecklistView extends Record<string, unknown> {
  id: string;
  key: string;
  version: number;
  titleTh: string;
  scope: 'person' | 'school';
  /** A built-in version (shared by every office) rather than the office's own. */
  builtIn: boolean;
  publishedAt: string;
}

/** The office's own versions and the built-ins, by key, version, id. Cursor: [key, version, id]. */
export async function listChecklistsPage(
  db: Db,
  officeId: string,
  f: { key?: string | undefined },
  after: string[] | null,
  limit: number,
): Promise<ChecklistView[]> {
  return queryRows<ChecklistView>(
    db,
    sql`SELECT ck.id, ck.key, ck.version, ck.title_th AS "titleTh", ck.scope, (ck.office_id IS NULL) AS "builtIn",
               ${iso(sql`ck.created_at`)} AS "publishedAt"
          FROM checklists ck
         WHERE (ck.office_id = ${officeId} OR ck.office_id IS NULL)
           ${f.key === undefined ? sql`` : sql`AND ck.key = ${f.key}`}
           ${after === null ? sql`` : sql`AND (ck.key, ck.version, ck.id) > (${after[0]}, ${after[1]}::int, ${after[2]}::uuid)`}
         ORDER BY ck.key, ck.version, ck.id LIMIT ${limit + 1}`,
  );
}

export interface CampaignView extends Record<string, unknown> {
  id: string;
  titleTh: string;
  checklistKey: string;
  checklistVersion: number;
  scope: 'person' | 'school';
  roles: Role[];
  schoolCodes: string[];
  clusterCodes: string[];
  opensAt: string;
  dueAt: string;
  closedAt: string | null;
  createdAt: string;
  /** Announced when it opens (a push with a start button in each person's daily bundle). */
  announce: boolean;
  /** When the announcement was queued; null until then. */
  announcedAt: string | null;
  /** Filters on school and people attributes; each empty list means any. */
  filters: AudienceFilters;
  /** Subjects (people, or schools for school-scope checklists) in the audience now. */
  expected: number;
  submitted: number;
}

/**
 * A page of campaigns with their counts, in one statement. Who is counted is the shared countedSubject()
 * (src/checklists/audience.queries.ts).
 * Cursor: [dueAt, id]; newest due first.
 */
export async function listCampaignsPage(
  db: Db,
  officeId: string,
  f: { open?: boolean | undefined; id?: string | undefined },
  after: string[] | null,
  limit: number,
): Promise<CampaignView[]> {
  return queryRows<CampaignView>(
    db,
    sql`
    WITH page AS (
      SELECT c.*, ck.key, ck.version, ck.scope FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
       WHERE c.office_id = ${officeId} AND NOT c.system
         ${f.id === undefined ? sql`` : sql`AND c.id = ${f.id}::uuid`}
         ${f.open === undefined ? sql`` : f.open ? sql`AND c.closed_at IS NULL` : sql`AND c.closed_at IS NOT NULL`}
         ${after === null ? sql`` : sql`AND (c.due_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`}
       ORDER BY c.due_at DESC, c.id DESC LIMIT ${limit + 1})
    SELECT c.id, c.title_th AS "titleTh", c.key AS "checklistKey", c.version AS "checklistVersion", c.scope, c.roles,
           coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM schools s WHERE s.id = ANY(c.school_ids)),
                    '{}') AS "schoolCodes",
           coalesce((SELECT array_agg(cl.code ORDER BY cl.code) FROM clusters cl WHERE cl.id = ANY(c.cluster_ids)),
                    '{}') AS "clusterCodes",
           ${iso(sql`c.opens_at`)} AS "opensAt", ${iso(sql`c.due_at`)} AS "dueAt",
           ${iso(sql`c.closed_at`)} AS "closedAt", ${iso(sql`c.created_at`)} AS "createdAt",
           c.announce, ${iso(sql`c.announced_at`)} AS "announcedAt",
           json_build_object('levels', c.school_levels, 'sizes', c.school_sizes, 'tags', c.school_tags,
                             'subdistricts', c.subdistricts, 'districts', c.districts, 'provinces', c.provinces,
                             'learningAreas', c.learning_areas, 'positions', c.positions) AS filters,
           n.expected, n.submitted
      FROM page c
      -- Per campaign (a lateral, not one join of every campaign with every person): the planner then walks the
      -- (office, role) index once per campaign of the page instead of guessing at a page-wide join.
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS expected,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = c.id
                                                 AND r.subject_key = subj.k AND r.status = 'submitted'))::int AS submitted
          FROM (SELECT DISTINCT CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END AS k
                  FROM people p LEFT JOIN schools s ON s.id = p.school_id
                 WHERE ${countedSubject('p', 's', 'c.scope')}) subj) n
     ORDER BY c.due_at DESC, c.id DESC`,
  );
}

/** An office-local date at a local time, as an instant (ISO), in the office's time zone. */
export async function officeLocalInstant(db: Db, officeId: string, date: string, time: string): Promise<string> {
  const rows = await queryRows<{ at: string }>(
    db,
    sql`SELECT ${iso(sql`((${date}::date + ${time}::time) AT TIME ZONE o.time_zone)`)} AS at
          FROM offices o WHERE o.id = ${officeId}`,
  );
  const at = rows[0]?.at;
  if (at === undefined) throw new Error('officeLocalInstant: no office');
  return at;
}

export async function patchCampaign(
  db: Db,
  officeId: string,
  id: string,
  p: { dueAt?: string | undefined; close?: boolean | undefined; announce?: boolean | undefined; now: string },
): Promise<boolean> {
  const sets = [
    p.dueAt === undefined ? null : sql`due_at = ${p.dueAt}::timestamptz`,
    // Closing twice keeps the first close time.
    p.close === true ? sql`closed_at = coalesce(closed_at, ${p.now}::timestamptz)` : null,
    p.announce === undefined ? null : sql`announce = ${p.announce}`,
  ].filter((s) => s !== null);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE campaigns SET ${sets.length === 0 ? sql`id = id` : sql.join(sets, sql`, `)}
         WHERE office_id = ${officeId} AND id = ${id}::uuid AND NOT system RETURNING id`,
  );
  return rows.length > 0;
}

/**
 * (The one-row `c` carries every campaign column audience() reads: a new audience column must be added here too;
 * the campaign form's tests fail with a 500 when one is missing.)
 * How many people an audience holds, and how many answers it expects (people, or their schools for a school-scope
 * checklist), before any campaign row exists: the shared audience() over a one-row `c` of the chosen filters.
 */
export async function audienceSize(
  db: Db,
  officeId: string,
  a: {
    roles: Role[];
    schoolIds: string[];
    clusterIds: string[];
    filters: AudienceFilters;
    scope: 'person' | 'school';
  },
): Promise<{ people: number; expected: number }> {
  const f = a.filters;
  const rows = await queryRows<{ people: number; expected: number }>(
    db,
    sql`WITH c AS (SELECT ${officeId}::uuid AS office_id, ${sql.param(a.roles)}::text[] AS roles,
                          ${sql.param(a.schoolIds)}::uuid[] AS school_ids,
                          ${sql.param(a.clusterIds)}::uuid[] AS cluster_ids, ${a.scope}::text AS scope,
                          ${sql.param(f.levels)}::text[] AS school_levels, ${sql.param(f.sizes)}::text[] AS school_sizes,
                          ${sql.param(f.tags)}::text[] AS school_tags, ${sql.param(f.subdistricts)}::text[] AS subdistricts,
                          ${sql.param(f.districts)}::text[] AS districts, ${sql.param(f.provinces)}::text[] AS provinces,
                          ${sql.param(f.learningAreas)}::text[] AS learning_areas,
                          ${sql.param(f.positions)}::text[] AS positions, false AS committee_only)
        SELECT count(*)::int AS people,
               count(DISTINCT CASE WHEN c.scope = 'school' THEN p.school_id ELSE p.id END)::int AS expected
          FROM c JOIN people p ON p.office_id = c.office_id
          LEFT JOIN schools s ON s.id = p.school_id
         WHERE ${audience('p', 's', 'c.scope')}`,
  );
  return rows[0] ?? { people: 0, expected: 0 };
}

/** Codes of the office's schools and clusters that exist, for naming the ones that do not. */
export async function codesToIds(
  db: Db,
  officeId: string,
  schoolCodes: string[],
  clusterCodes: string[],
): Promise<{ schools: Map<string, string>; clusters: Map<string, string> }> {
  const rows = await queryRows<{ kind: string; id: string; code: string }>(
    db,
    sql`SELECT 'school' AS kind, id, code FROM schools
         WHERE office_id = ${officeId} AND code = ANY(${sql.param(schoolCodes)}::text[])
        UNION ALL
        SELECT 'cluster', id, code FROM clusters
         WHERE office_id = ${officeId} AND code = ANY(${sql.param(clusterCodes)}::text[])`,
  );
  const of = (k: string) => new Map(rows.filter((r) => r.kind === k).map((r) => [r.code, r.id]));
  return { schools: of('school'), clusters: of('cluster') };
}

/**
 * A supervisor's learning-area supervision as an audience (seed 002: one supervisor, the PE teachers of the schools
 * assigned): the schools of the supervisor's assignments (one school, or every school of a cluster, now) and the
 * learning areas those assignments name (none when any assignment covers all areas). Undefined: no such supervisor.
 */
export async function supervisionAudience(
  db: Db,
  officeId: string,
  supervisorId: string,
): Promise<{ schoolIds: string[]; areas: (string | null)[] } | undefined> {
  const rows = await queryRows<{ school_ids: string[] | null; areas: (string | null)[] | null }>(
    db,
    sql`SELECT (SELECT array_agg(DISTINCT s.id)
                  FROM supervisor_assignments sa
                  JOIN schools s ON s.id = sa.school_id OR s.cluster_id = sa.cluster_id
                 WHERE sa.supervisor_id = p.id) AS school_ids,
               (SELECT array_agg(DISTINCT sa.learning_area) FROM supervisor_assignments sa
                 WHERE sa.supervisor_id = p.id) AS areas
          FROM people p
         WHERE p.office_id = ${officeId} AND p.id = ${supervisorId}::uuid AND p.role = 'supervisor'
           AND p.status <> 'erased'`,
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { schoolIds: row.school_ids ?? [], areas: row.areas ?? [] };
}
