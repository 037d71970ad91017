// SQL for the admin API. Bulk writes are one statement each (unnest), never a query per row.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { isUuid } from '../ids/uuid.js';
import type { PersonAttrs, SchoolAttrs } from '../org/attributes.js';

export interface OfficeRow extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  name_en: string | null;
  /** The office's IANA zone: every date a page shows is in it. */
  time_zone: string;
}

export async function findOffice(db: Db, ref: string): Promise<OfficeRow | undefined> {
  const rows = await queryRows<OfficeRow>(
    db,
    isUuid(ref)
      ? sql`SELECT id, code, name_th, name_en, time_zone FROM offices WHERE id = ${ref}`
      : sql`SELECT id, code, name_th, name_en, time_zone FROM offices WHERE code = ${ref}`,
  );
  return rows[0];
}

export async function upsertOffice(db: Db, o: { code: string; nameTh: string; nameEn: string | null }) {
  const rows = await queryRows<OfficeRow & { created: boolean }>(
    db,
    sql`INSERT INTO offices (code, name_th, name_en) VALUES (${o.code}, ${o.nameTh}, ${o.nameEn})
        ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en
        RETURNING id, code, name_th, name_en, (xmax = 0) AS created`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('upsertOffice returned no row');
  return row;
}

export interface SchoolInput {
  code: string;
  nameTh: string;
  clusterCode: string | null;
  clusterNameTh: string | null;
  /** Attributes given (a key absent keeps what is stored). */
  attrs?: SchoolAttrs;
}

const hasKeys = (o: object | undefined) => o !== undefined && Object.keys(o).length > 0;

/**
 * Sets the attributes given, per row, in one statement: `attrs` is a JSON object per row whose keys are the
 * attributes to write (absent keys keep the stored value). Rows match by `key_col` = key.
 */
const attrJson = (rows: { attrs?: object | undefined }[]) => sql.param(rows.map((r) => JSON.stringify(r.attrs ?? {})));
const arrayOf = (k: string) => sql.raw(`ARRAY(SELECT jsonb_array_elements_text(i.a->'${k}'))`);

async function writeSchoolAttrs(db: Db, officeId: string, schools: SchoolInput[]): Promise<void> {
  if (!schools.some((s) => hasKeys(s.attrs))) return;
  const keep = (k: string, col: string, value: SQL) =>
    sql`${sql.raw(col)} = CASE WHEN i.a ? ${k} THEN ${value} ELSE s.${sql.raw(col)} END`;
  await db.execute(sql`
    UPDATE schools s SET
      ${keep('levels', 'levels', arrayOf('levels'))},
      ${keep('size', 'size', sql`i.a->>'size'`)},
      ${keep('subdistrict', 'subdistrict', sql`i.a->>'subdistrict'`)},
      ${keep('district', 'district', sql`i.a->>'district'`)},
      ${keep('province', 'province', sql`i.a->>'province'`)},
      ${keep('tags', 'tags', arrayOf('tags'))}
      FROM unnest(${sql.param(schools.map((x) => x.code))}::text[], ${attrJson(schools)}::jsonb[]) AS i(code, a)
     WHERE s.office_id = ${officeId} AND s.code = i.code AND i.a <> '{}'::jsonb`);
}

/** Upserts clusters then schools by their natural keys (office, code). */
export async function upsertSchools(db: Db, officeId: string, schools: SchoolInput[]): Promise<number> {
  if (schools.length === 0) return 0;
  const rows = await queryRows<{ n: number }>(
    db,
    sql`
    WITH input AS (
      SELECT * FROM unnest(${sql.param(schools.map((s) => s.code))}::text[],
                           ${sql.param(schools.map((s) => s.nameTh))}::text[],
                           ${sql.param(schools.map((s) => s.clusterCode))}::text[],
                           ${sql.param(schools.map((s) => s.clusterNameTh))}::text[])
        AS t(code, name_th, cluster_code, cluster_name)),
    new_clusters AS (
      INSERT INTO clusters (office_id, code, name_th)
      SELECT DISTINCT ON (cluster_code) ${officeId}::uuid, cluster_code, coalesce(cluster_name, cluster_code)
        FROM input WHERE cluster_code IS NOT NULL
       ORDER BY cluster_code, (cluster_name IS NULL)
      -- A school row that names only the cluster's code keeps the cluster's name (set by POST clusters).
      ON CONFLICT (office_id, code) DO UPDATE
         SET name_th = CASE WHEN excluded.name_th = excluded.code THEN clusters.name_th ELSE excluded.name_th END
      RETURNING id, code),
    up AS (
      INSERT INTO schools (office_id, code, name_th, cluster_id)
      SELECT ${officeId}::uuid, i.code, i.name_th, nc.id
        FROM input i LEFT JOIN new_clusters nc ON nc.code = i.cluster_code
      ON CONFLICT (office_id, code) DO UPDATE SET name_th = excluded.name_th, cluster_id = excluded.cluster_id
      RETURNING 1)
    SELECT count(*)::int AS n FROM up`,
  );
  await writeSchoolAttrs(db, officeId, schools);
  return rows[0]?.n ?? 0;
}

export async function schoolIdsByCode(db: Db, officeId: string, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM schools WHERE office_id = ${officeId} AND code = ANY(${sql.param(codes)}::text[])`,
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

export interface PersonInput {
  /** A fresh id for a new person; kept only when the row is inserted, not when externalId matches. */
  id: string;
  displayName: string;
  role: Role;
  schoolId: string | null;
  externalId: string | null;
  /** Attributes given (a key absent keeps what is stored). */
  attrs?: PersonAttrs;
}

/**
 * Inserts people; a row whose externalId already exists in the office updates that person instead.
 * Returns, in input order, the id each row ended up with.
 */
export async function upsertPeople(db: Db, officeId: string, people: PersonInput[]): Promise<string[]> {
  if (people.length === 0) return [];
  const rows = await queryRows<{ id: string; external_id: string | null }>(
    db,
    sql`
    INSERT INTO people AS p (id, office_id, display_name, role, school_id, external_id)
    SELECT id, ${officeId}::uuid, display_name, role, school_id, external_id
      FROM unnest(${sql.param(people.map((p) => p.id))}::uuid[],
                  ${sql.param(people.map((p) => p.displayName))}::text[],
                  ${sql.param(people.map((p) => p.role))}::text[],
                  ${sql.param(people.map((p) => p.schoolId))}::uuid[],
                  ${sql.param(people.map((p) => p.externalId))}::text[])
        AS t(id, display_name, role, school_id, external_id)
    ON CONFLICT (office_id, external_id) DO UPDATE
       SET display_name = excluded.display_name, role = excluded.role, school_id = excluded.school_id,
           updated_at = now()
    RETURNING p.id, p.external_id`,
  );
  const byExternal = new Map(rows.filter((r) => r.external_id !== null).map((r) => [r.external_id, r.id]));
  const ids = people.map((p) => (p.externalId === null ? p.id : (byExternal.get(p.externalId) ?? p.id)));
  if (people.some((p) => hasKeys(p.attrs))) {
    await db.execute(sql`
      UPDATE people p SET
        learning_areas = CASE WHEN i.a ? 'learningAreas' THEN ${arrayOf('learningAreas')} ELSE p.learning_areas END,
        position = CASE WHEN i.a ? 'position' THEN i.a->>'position' ELSE p.position END
        FROM unnest(${sql.param(ids)}::uuid[], ${attrJson(people)}::jsonb[]) AS i(id, a)
       WHERE p.office_id = ${officeId} AND p.id = i.id AND i.a <> '{}'::jsonb`);
  }
  return ids;
}

export async function peopleInOffice(db: Db, officeId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM people WHERE office_id = ${officeId} AND id = ANY(${sql.param(ids)}::uuid[])
          AND status <> 'erased'`,
  );
  return new Set(rows.map((r) => r.id));
}

/** A timestamptz as exact ISO 8601 text (microseconds kept): shown to callers, and round-trips in a cursor. */
export const iso = (col: SQL) => sql`(to_json(${col}) #>> '{}')`;
