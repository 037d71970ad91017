// SQL for the admin API's organisation tree: offices, clusters and schools. Each list is one keyset-paged
// statement (fetching limit + 1 rows to know whether a next page exists).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { iso } from './admin.queries.js';
import { isEmptyCut, schoolInCut, type SchoolCut } from '../checklists/audience.queries.js';
import type { SchoolAttrs } from '../org/attributes.js';
import { schoolFilter, type Scope } from './scope.js';

export interface OfficeView extends Record<string, unknown> {
  id: string;
  code: string;
  nameTh: string;
  nameEn: string | null;
  timeZone: string;
  quietStart: number;
  quietEnd: number;
  privacyNoticeTh: string | null;
  lineBasicId: string | null;
  createdAt: string;
}

const officeCols = sql`o.id, o.code, o.name_th AS "nameTh", o.name_en AS "nameEn", o.time_zone AS "timeZone",
  o.quiet_start::int AS "quietStart", o.quiet_end::int AS "quietEnd", o.privacy_notice_th AS "privacyNoticeTh",
  o.line_basic_id AS "lineBasicId", ${iso(sql`o.created_at`)} AS "createdAt"`;

/** `only`: an office token's office, the one office it may see. */
export async function listOfficesPage(
  db: Db,
  after: string | null,
  limit: number,
  only?: string,
): Promise<OfficeView[]> {
  return queryRows<OfficeView>(
    db,
    sql`SELECT ${officeCols} FROM offices o
         WHERE ${after === null ? sql`true` : sql`o.code > ${after}`}
           ${only === undefined ? sql`` : sql`AND o.id = ${only}`}
         ORDER BY o.code LIMIT ${limit + 1}`,
  );
}

export async function officeView(db: Db, id: string): Promise<OfficeView | undefined> {
  const rows = await queryRows<OfficeView>(db, sql`SELECT ${officeCols} FROM offices o WHERE o.id = ${id}`);
  return rows[0];
}

export interface OfficePatch {
  nameTh?: string | undefined;
  nameEn?: string | null | undefined;
  quietStart?: number | undefined;
  quietEnd?: number | undefined;
  privacyNoticeTh?: string | null | undefined;
  lineBasicId?: string | null | undefined;
}

/** Updates only the fields given (an explicit null clears nameEn or restores the built-in privacy notice). */
export async function patchOffice(db: Db, id: string, p: OfficePatch): Promise<string[]> {
  const sets = [
    p.nameTh === undefined ? null : sql`name_th = ${p.nameTh}`,
    p.nameEn === undefined ? null : sql`name_en = ${p.nameEn}`,
    p.quietStart === undefined ? null : sql`quiet_start = ${p.quietStart}`,
    p.quietEnd === undefined ? null : sql`quiet_end = ${p.quietEnd}`,
    p.privacyNoticeTh === undefined ? null : sql`privacy_notice_th = ${p.privacyNoticeTh}`,
    p.lineBasicId === undefined ? null : sql`line_basic_id = ${p.lineBasicId}`,
  ].filter((s) => s !== null);
  if (sets.length === 0) return [];
  // The channels whose cached copy (with the notice) must be dropped.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH up AS (UPDATE offices SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING id)
        SELECT ch.id FROM line_channels ch JOIN up ON up.id = ch.office_id`,
  );
  return rows.map((r) => r.id);
}

// ── Clusters ──

export interface ClusterView extends Record<string, unknown> {
  id: string;
  code: string;
  nameTh: string;
  schools: number;
}

export async function listClustersPage(
  db: Db,
  officeId: string,
  after: string | null,
  limit: number,
): Promise<ClusterView[]> {
  return queryRows<ClusterView>(
    db,
    sql`SELECT cl.id, cl.code, cl.name_th AS "nameTh",
               (SELECT count(*)::int FROM schools s WHERE s.cluster_id = cl.id) AS schools
          FROM clusters cl
         WHERE cl.office_id = ${officeId} ${after === null ? sql`` : sql`AND cl.code > ${after}`}
         ORDER BY cl.code LIMIT ${limit + 1}`,
  );
}

export async function upsertClusters(
  db: Db,
  officeId: string,
  clusters: { code: string; nameTh: string }[],
): Promise<{ created: number; updated: number }> {
  const rows = await queryRows<{ created: number; updated: number }>(
    db,
    sql`WITH up AS (
          INSERT INTO clusters (office_id, code, name_th)
          SELECT ${officeId}::uuid, code, name_th
            FROM unnest(${sql.param(clusters.map((c) => c.code))}::text[],
                        ${sql.param(clusters.map((c) => c.nameTh))}::text[]) AS t(code, name_th)
          ON CONFLICT (office_id, code) DO UPDATE SET name_th = excluded.name_th
          RETURNING (xmax = 0) AS created)
        SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated
          FROM up`,
  );
  return rows[0] ?? { created: 0, updated: 0 };
}

// ── Schools ──

export interface SchoolView extends Record<string, unknown> {
  id: string;
  code: string;
  nameTh: string;
  clusterCode: string | null;
  clusterNameTh: string | null;
  levels: string[];
  size: string | null;
  subdistrict: string | null;
  district: string | null;
  province: string | null;
  tags: string[];
}

export interface SchoolFilter {
  clusterCode?: string | undefined;
  q?: string | undefined;
  /** Levels, size, tags and places: the same rule as a campaign's school filters (schoolInCut). */
  cut?: SchoolCut | undefined;
}

const schoolCols = sql`s.id, s.code, s.name_th AS "nameTh", cl.code AS "clusterCode", cl.name_th AS "clusterNameTh",
  s.levels, s.size, s.subdistrict, s.district, s.province, s.tags`;

/**
 * A page of the office's schools by code. `scope` (the web pages' session) cuts it to a supervisor's schools;
 * the API, whose guard admits only office-wide principals, passes none.
 */
export async function listSchoolsPage(
  db: Db,
  officeId: string,
  f: SchoolFilter,
  after: string | null,
  limit: number,
  scope?: Scope,
): Promise<SchoolView[]> {
  const like = f.q === undefined ? null : `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return queryRows<SchoolView>(
    db,
    sql`SELECT ${schoolCols}
          FROM schools s LEFT JOIN clusters cl ON cl.id = s.cluster_id
         WHERE s.office_id = ${officeId}
           ${scope === undefined ? sql`` : sql`AND ${schoolFilter(scope, sql`s.id`)}`}
           ${f.clusterCode === undefined ? sql`` : sql`AND cl.code = ${f.clusterCode}`}
           ${f.cut === undefined || isEmptyCut(f.cut) ? sql`` : sql`AND ${schoolInCut('s', f.cut)}`}
           ${like === null ? sql`` : sql`AND (s.name_th ILIKE ${like} OR s.code LIKE ${like})`}
           ${after === null ? sql`` : sql`AND s.code > ${after}`}
         ORDER BY s.code LIMIT ${limit + 1}`,
  );
}

export async function schoolView(db: Db, officeId: string, id: string): Promise<SchoolView | undefined> {
  const rows = await queryRows<SchoolView>(
    db,
    sql`SELECT ${schoolCols} FROM schools s LEFT JOIN clusters cl ON cl.id = s.cluster_id
         WHERE s.id = ${id}::uuid AND s.office_id = ${officeId}::uuid`,
  );
  return rows[0];
}

/** Sets the fields given of one school (a key absent keeps what is stored; null or [] clears it). */
export async function patchSchool(
  db: Db,
  officeId: string,
  id: string,
  p: SchoolAttrs & { nameTh?: string },
): Promise<void> {
  const text = (v: readonly string[]) => sql`${sql.param([...v])}::text[]`;
  const sets = [
    p.nameTh === undefined ? null : sql`name_th = ${p.nameTh}`,
    p.levels === undefined ? null : sql`levels = ${text(p.levels)}`,
    p.size === undefined ? null : sql`size = ${p.size}`,
    p.subdistrict === undefined ? null : sql`subdistrict = ${p.subdistrict}`,
    p.district === undefined ? null : sql`district = ${p.district}`,
    p.province === undefined ? null : sql`province = ${p.province}`,
    p.tags === undefined ? null : sql`tags = ${text(p.tags)}`,
  ].filter((x) => x !== null);
  if (sets.length === 0) return;
  await db.execute(
    sql`UPDATE schools SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid AND office_id = ${officeId}::uuid`,
  );
}

/** The distinct districts and tags the office's schools carry (the filter forms' choices). */
export async function schoolFacets(db: Db, officeId: string): Promise<{ districts: string[]; tags: string[] }> {
  const rows = await queryRows<{ districts: string[] | null; tags: string[] | null }>(
    db,
    sql`SELECT (SELECT array_agg(DISTINCT s.district ORDER BY s.district) FROM schools s
                 WHERE s.office_id = ${officeId}::uuid AND s.district IS NOT NULL) AS districts,
               (SELECT array_agg(DISTINCT t ORDER BY t) FROM schools s, unnest(s.tags) t
                 WHERE s.office_id = ${officeId}::uuid) AS tags`,
  );
  return { districts: rows[0]?.districts ?? [], tags: rows[0]?.tags ?? [] };
}
