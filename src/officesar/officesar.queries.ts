// SQL of the office's groups, its standard's versions and its yearly SAR (seed 003). One statement each.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { queryRows } from '../db/client.js';
import { likePattern } from '../web/web.queries.js';
import type { OfficeStandard } from './standard.js';

export interface GroupView extends Record<string, unknown> {
  id: string;
  code: string;
  nameTh: string;
  members: { id: string; displayName: string }[];
}

export async function upsertGroups(
  db: Db,
  officeId: string,
  groups: { code: string; nameTh: string; memberIds: string[] }[],
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH up AS (
          INSERT INTO office_groups (office_id, code, name_th, member_ids)
          SELECT ${officeId}::uuid, code, name_th,
                 ARRAY(SELECT p.id FROM people p
                        WHERE p.office_id = ${officeId}::uuid AND p.status <> 'erased'
                          AND p.id::text IN (SELECT jsonb_array_elements_text(m)))
            FROM unnest(${sql.param(groups.map((g) => g.code))}::text[], ${sql.param(groups.map((g) => g.nameTh))}::text[],
                        ${sql.param(groups.map((g) => JSON.stringify(g.memberIds)))}::jsonb[]) AS t(code, name_th, m)
          ON CONFLICT (office_id, code) DO UPDATE SET name_th = excluded.name_th, member_ids = excluded.member_ids
          RETURNING 1)
        SELECT count(*)::int AS n FROM up`,
  );
  return rows[0]?.n ?? 0;
}

export async function listGroups(db: Db, officeId: string): Promise<GroupView[]> {
  return queryRows<GroupView>(
    db,
    sql`SELECT g.id, g.code, g.name_th AS "nameTh",
               coalesce((SELECT json_agg(json_build_object('id', p.id, 'displayName', p.display_name) ORDER BY p.display_name)
                           FROM people p WHERE p.id = ANY(g.member_ids) AND p.status <> 'erased'), '[]') AS members
          FROM office_groups g WHERE g.office_id = ${officeId}::uuid ORDER BY g.code`,
  );
}

/** One row of the groups page: a person in a group, or a group with nobody in it (person null). */
export interface GroupMemberRow extends Record<string, unknown> {
  code: string;
  nameTh: string;
  personId: string | null;
  displayName: string | null;
}

/**
 * A page of the office's groups and their people, one row per (group, person) and one per empty group, in group
 * code then name order, keyset-paged after a (group code, person id) row; `q` finds a group by code or name or a
 * person by name. Answers up to limit + 1 rows (the extra one says there is a next page).
 */
export async function groupMembersPage(
  db: Db,
  officeId: string,
  f: { q?: string | undefined },
  after: { code: string; personId: string | null } | null,
  limit: number,
): Promise<GroupMemberRow[]> {
  const pat = f.q === undefined ? null : likePattern(f.q);
  const key = sql`(g.code, coalesce(m.display_name, ''), coalesce(m.id::text, ''))`;
  return queryRows<GroupMemberRow>(
    db,
    sql`SELECT g.code, g.name_th AS "nameTh", m.id AS "personId", m.display_name AS "displayName"
          FROM office_groups g
          LEFT JOIN LATERAL (SELECT p.id, p.display_name FROM people p
                              WHERE p.id = ANY(g.member_ids) AND p.status <> 'erased') m ON true
         WHERE g.office_id = ${officeId}::uuid
           ${pat === null ? sql`` : sql`AND (g.code ILIKE ${pat} OR g.name_th ILIKE ${pat} OR m.display_name ILIKE ${pat})`}
           ${
             after === null
               ? sql``
               : sql`AND ${key} > (${after.code},
                      coalesce((SELECT display_name FROM people
                                 WHERE id = ${after.personId}::uuid AND office_id = ${officeId}::uuid), ''),
                      ${after.personId ?? ''})`
           }
         ORDER BY ${key} LIMIT ${limit + 1}`,
  );
}

/** The office's groups for a choice (code and name; no members), in code order. */
export async function groupOptions(db: Db, officeId: string): Promise<{ code: string; nameTh: string }[]> {
  return queryRows(
    db,
    sql`SELECT code, name_th AS "nameTh" FROM office_groups WHERE office_id = ${officeId}::uuid ORDER BY code LIMIT 500`,
  );
}

/** One member of one group of the office, with the group's name; undefined when either is not there. */
export async function groupMember(
  db: Db,
  officeId: string,
  code: string,
  personId: string,
): Promise<{ code: string; nameTh: string; personId: string; displayName: string } | undefined> {
  const rows = await queryRows<{ code: string; nameTh: string; personId: string; displayName: string }>(
    db,
    sql`SELECT g.code, g.name_th AS "nameTh", p.id AS "personId", p.display_name AS "displayName"
          FROM office_groups g JOIN people p ON p.id = ${personId}::uuid AND p.id = ANY(g.member_ids)
         WHERE g.office_id = ${officeId}::uuid AND g.code = ${code} AND p.status <> 'erased'`,
  );
  return rows[0];
}

export async function latestStandard(
  db: Db,
  officeId: string,
): Promise<{ id: string; version: number; definition: OfficeStandard } | undefined> {
  const rows = await queryRows<{ id: string; version: number; definition: OfficeStandard }>(
    db,
    sql`SELECT id, version, definition FROM office_standards WHERE office_id = ${officeId}::uuid
         ORDER BY version DESC LIMIT 1`,
  );
  return rows[0];
}

export async function saveStandard(
  db: Db,
  officeId: string,
  definition: OfficeStandard,
): Promise<{ id: string; version: number }> {
  const rows = await queryRows<{ id: string; version: number }>(
    db,
    sql`INSERT INTO office_standards (office_id, version, definition)
        SELECT ${officeId}::uuid, coalesce(max(version), 0) + 1, ${JSON.stringify(definition)}::jsonb
          FROM office_standards WHERE office_id = ${officeId}::uuid
        RETURNING id, version`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('saveStandard returned no row');
  return row;
}

export async function insertSar(
  db: Db,
  officeId: string,
  s: { id: string; year: number; standardId: string; startsOn: string },
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO office_sars (id, office_id, year, standard_id, starts_on)
        VALUES (${s.id}::uuid, ${officeId}::uuid, ${s.year}, ${s.standardId}::uuid, ${s.startsOn}::date)
        ON CONFLICT (office_id, year) DO NOTHING RETURNING id`,
  );
  return rows.length > 0;
}

/** Members of each group by code (whom an indicator's items go to). */
export async function groupMembers(db: Db, officeId: string): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ code: string; member_ids: string[] }>(
    db,
    sql`SELECT code, member_ids FROM office_groups WHERE office_id = ${officeId}::uuid`,
  );
  return new Map(rows.map((r) => [r.code, r.member_ids]));
}

export async function recordResults(
  db: Db,
  officeId: string,
  sarId: string,
  results: Record<string, { level: number; resultTh: string }>,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE office_sars SET results = results || ${JSON.stringify(results)}::jsonb
         WHERE office_id = ${officeId}::uuid AND id = ${sarId}::uuid RETURNING id`,
  );
  return rows.length > 0;
}

export interface SarRow extends Record<string, unknown> {
  id: string;
  year: number;
  startsOn: string;
  definition: OfficeStandard;
  results: Record<string, { level: number; resultTh: string }>;
  /** Last year's results (the baseline), or null when there was no SAR last year. */
  previous: Record<string, { level: number; resultTh: string }> | null;
}

/** This year's SAR with last year's results beside it: one statement. */
export async function sarWithBaseline(db: Db, officeId: string, sarId: string): Promise<SarRow | undefined> {
  const rows = await queryRows<SarRow>(
    db,
    sql`SELECT s.id, s.year, to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", st.definition, s.results,
               (SELECT prev.results FROM office_sars prev
                 WHERE prev.office_id = s.office_id AND prev.year = s.year - 1) AS previous
          FROM office_sars s JOIN office_standards st ON st.id = s.standard_id
         WHERE s.office_id = ${officeId}::uuid AND s.id = ${sarId}::uuid`,
  );
  return rows[0];
}

/**
 * Who counts as the office's staff (people without a school, not outside committee members, not erased): who may be
 * put in a group or own an agency project's stage. One predicate for the picker's search and the writes' checks.
 */
const isStaff = sql`p.status <> 'erased' AND p.school_id IS NULL AND p.role <> 'committee'`;

export interface StaffChoice extends Record<string, unknown> {
  id: string;
  displayName: string;
  role: Role;
  /** The office's own id for the person, shown to tell namesakes apart. */
  externalId: string | null;
}

/**
 * The office's staff whose name or external id holds `q`, or those among `ids`, by name: at most `limit`. The
 * pickers read `limit + 1` to know the search should be narrowed; the writes re-check a chosen id with `ids`.
 */
export async function findStaff(
  db: Db,
  officeId: string,
  f: { q: string } | { ids: string[] },
  limit: number,
): Promise<StaffChoice[]> {
  let cond;
  if ('ids' in f) {
    cond = sql`p.id = ANY(${sql.param(f.ids)}::uuid[])`;
  } else {
    const pat = likePattern(f.q);
    cond = sql`(p.display_name ILIKE ${pat} OR p.external_id ILIKE ${pat})`;
  }
  return queryRows<StaffChoice>(
    db,
    sql`SELECT p.id, p.display_name AS "displayName", p.role, p.external_id AS "externalId" FROM people p
         WHERE p.office_id = ${officeId}::uuid AND ${isStaff} AND ${cond}
         ORDER BY p.display_name, p.id LIMIT ${limit}`,
  );
}

/** A new group with no members; false when the office already has one with this code. */
export async function createGroup(db: Db, officeId: string, g: { code: string; nameTh: string }): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO office_groups (office_id, code, name_th) VALUES (${officeId}::uuid, ${g.code}, ${g.nameTh})
        ON CONFLICT (office_id, code) DO NOTHING RETURNING id`,
  );
  return rows.length > 0;
}

/**
 * Puts a person of the office (staff, not erased) in a group or takes them out; the SQL re-checks the person.
 * 'added' / 'removed', 'unchanged' (already so), or undefined (no such group, or no such person to add).
 */
export async function setGroupMember(
  db: Db,
  officeId: string,
  code: string,
  personId: string,
  member: boolean,
): Promise<'changed' | 'unchanged' | undefined> {
  const rows = await queryRows<{ changed: boolean }>(
    db,
    member
      ? sql`WITH g AS (SELECT id, ${personId}::uuid = ANY(member_ids) AS had FROM office_groups
                        WHERE office_id = ${officeId}::uuid AND code = ${code}),
                 up AS (UPDATE office_groups SET member_ids = array_append(member_ids, ${personId}::uuid)
                         WHERE id = (SELECT id FROM g WHERE NOT had)
                           AND EXISTS (SELECT 1 FROM people p WHERE p.id = ${personId}::uuid
                                         AND p.office_id = ${officeId}::uuid AND ${isStaff})
                        RETURNING 1)
            SELECT (SELECT count(*) FROM up) > 0 AS changed FROM g WHERE had OR EXISTS (SELECT 1 FROM up)`
      : sql`WITH g AS (SELECT id, ${personId}::uuid = ANY(member_ids) AS had FROM office_groups
                        WHERE office_id = ${officeId}::uuid AND code = ${code}),
                 up AS (UPDATE office_groups SET member_ids = array_remove(member_ids, ${personId}::uuid)
                         WHERE id = (SELECT id FROM g WHERE had) RETURNING 1)
            SELECT had AS changed FROM g`,
  );
  const row = rows[0];
  return row === undefined ? undefined : row.changed ? 'changed' : 'unchanged';
}

/** Whether the person is in any of the office's groups (a supervisor's way onto the office SAR's pages). */
export async function inAnyGroup(db: Db, officeId: string, personId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`SELECT 1 AS one FROM office_groups WHERE office_id = ${officeId}::uuid AND ${personId}::uuid = ANY(member_ids)
         LIMIT 1`,
  );
  return rows.length > 0;
}

export interface SarListRow extends Record<string, unknown> {
  id: string;
  year: number;
  startsOn: string;
  version: number;
  entered: number;
}

/** The office's yearly SARs, newest first (the standard version each uses, how many indicators have a level). */
export async function listSars(db: Db, officeId: string): Promise<SarListRow[]> {
  return queryRows<SarListRow>(
    db,
    sql`SELECT s.id, s.year, to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", st.version,
               (SELECT count(*)::int FROM jsonb_object_keys(s.results)) AS entered
          FROM office_sars s JOIN office_standards st ON st.id = s.standard_id
         WHERE s.office_id = ${officeId}::uuid ORDER BY s.year DESC LIMIT 50`,
  );
}

/**
 * One indicator's result, written only when `memberId` is null (an admin) or that person is in the indicator's lead
 * group in the SAR's own standard version (the check is in this statement); false when nothing was written.
 */
export async function recordIndicator(
  db: Db,
  officeId: string,
  sarId: string,
  code: string,
  result: { level: number; resultTh: string },
  memberId: string | null,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE office_sars s SET results = s.results || jsonb_build_object(${code}::text, ${JSON.stringify(result)}::jsonb)
         WHERE s.office_id = ${officeId}::uuid AND s.id = ${sarId}::uuid
           AND (${memberId}::uuid IS NULL OR EXISTS (
                 SELECT 1 FROM office_standards st
                   CROSS JOIN jsonb_array_elements(st.definition -> 'indicators') i
                   JOIN office_groups g ON g.office_id = s.office_id AND g.code = i ->> 'leadGroup'
                  WHERE st.id = s.standard_id AND i ->> 'code' = ${code}
                    AND ${memberId}::uuid = ANY(g.member_ids)))
        RETURNING s.id`,
  );
  return rows.length > 0;
}
