// SQL for the printable invite sheets: the office's schools with how many of their people have not linked LINE yet
// (one statement, aggregated), and one school's unlinked people (one statement), to be given new codes together.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';

export interface SheetSchool extends Record<string, unknown> {
  id: string;
  code: string;
  name_th: string;
  unlinked: number;
  people: number;
}

/** One page of schools by name (keyset on name, id), each with its people and those not yet linked. */
export async function sheetSchools(
  db: Db,
  officeId: string,
  after: { name: string; id: string } | undefined,
  limit: number,
): Promise<SheetSchool[]> {
  const from = after === undefined ? sql`true` : sql`(s.name_th, s.id) > (${after.name}, ${after.id}::uuid)`;
  return queryRows<SheetSchool>(
    db,
    sql`SELECT s.id, s.code, s.name_th,
               count(p.id) FILTER (WHERE p.line_user_id IS NULL)::int AS unlinked, count(p.id)::int AS people
          FROM (SELECT * FROM schools s WHERE s.office_id = ${officeId}::uuid AND ${from}
                 ORDER BY s.name_th, s.id LIMIT ${limit + 1}) s
          LEFT JOIN people p ON p.school_id = s.id AND p.status <> 'erased'
         GROUP BY s.id, s.code, s.name_th
         ORDER BY s.name_th, s.id`,
  );
}

export interface SheetPerson extends Record<string, unknown> {
  id: string;
  display_name: string;
  role: Role;
}

/** A school of the office, or undefined. */
export async function sheetSchool(db: Db, officeId: string, schoolId: string): Promise<SheetSchool | undefined> {
  const rows = await queryRows<SheetSchool>(
    db,
    sql`SELECT s.id, s.code, s.name_th,
               count(p.id) FILTER (WHERE p.line_user_id IS NULL)::int AS unlinked, count(p.id)::int AS people
          FROM schools s LEFT JOIN people p ON p.school_id = s.id AND p.status <> 'erased'
         WHERE s.office_id = ${officeId}::uuid AND s.id = ${schoolId}::uuid
         GROUP BY s.id, s.code, s.name_th`,
  );
  return rows[0];
}

/** The school's people without a linked LINE account (not erased), by name; at most `limit`. */
export async function unlinkedPeople(
  db: Db,
  officeId: string,
  schoolId: string,
  limit: number,
): Promise<SheetPerson[]> {
  return queryRows<SheetPerson>(
    db,
    sql`SELECT id, display_name, role FROM people
         WHERE office_id = ${officeId}::uuid AND school_id = ${schoolId}::uuid
           AND line_user_id IS NULL AND status <> 'erased'
         ORDER BY display_name, id LIMIT ${limit}`,
  );
}

export async function officeBasicId(db: Db, officeId: string): Promise<string | null> {
  const rows = await queryRows<{ line_basic_id: string | null }>(
    db,
    sql`SELECT line_basic_id FROM offices WHERE id = ${officeId}::uuid`,
  );
  return rows[0]?.line_basic_id ?? null;
}
