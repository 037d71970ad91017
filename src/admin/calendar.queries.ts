// SQL for the office calendar in the admin API (terms, holidays, meetings, deadlines, report dates).
// Events have no natural key (two meetings may share a title and day), so a bulk write updates rows named by id
// and inserts the others.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { calendarKinds, Role } from '../db/schema.js';
import { iso } from './admin.queries.js';

export type CalendarKind = (typeof calendarKinds)[number];

export interface CalendarEventView extends Record<string, unknown> {
  id: string;
  kind: CalendarKind;
  titleTh: string;
  startsOn: string;
  endsOn: string;
  academicYear: number | null;
  term: number | null;
  roles: Role[];
  createdAt: string;
}

/** Events overlapping [from, to], by start date. Cursor: [startsOn, id]. */
export async function listCalendarPage(
  db: Db,
  officeId: string,
  f: { kind?: CalendarKind | undefined; from?: string | undefined; to?: string | undefined },
  after: string[] | null,
  limit: number,
): Promise<CalendarEventView[]> {
  return queryRows<CalendarEventView>(
    db,
    sql`SELECT e.id, e.kind, e.title_th AS "titleTh", e.starts_on::text AS "startsOn", e.ends_on::text AS "endsOn",
               e.academic_year::int AS "academicYear", e.term::int AS term, e.roles,
               ${iso(sql`e.created_at`)} AS "createdAt"
          FROM calendar_events e
         WHERE e.office_id = ${officeId}
           ${f.kind === undefined ? sql`` : sql`AND e.kind = ${f.kind}`}
           ${f.from === undefined ? sql`` : sql`AND e.ends_on >= ${f.from}::date`}
           ${f.to === undefined ? sql`` : sql`AND e.starts_on <= ${f.to}::date`}
           ${after === null ? sql`` : sql`AND (e.starts_on, e.id) > (${after[0]}::date, ${after[1]}::uuid)`}
         ORDER BY e.starts_on, e.id LIMIT ${limit + 1}`,
  );
}

export interface CalendarInput {
  id: string | null;
  kind: CalendarKind;
  titleTh: string;
  startsOn: string;
  endsOn: string;
  academicYear: number | null;
  term: number | null;
  roles: Role[];
}

/** Which of these ids are events of the office (an id of another office's event is named as a bad row). */
export async function calendarIdsInOffice(db: Db, officeId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM calendar_events WHERE office_id = ${officeId} AND id = ANY(${sql.param(ids)}::uuid[])`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Updates the rows with an id (of this office) and inserts the rest, in one statement. */
export async function upsertCalendar(
  db: Db,
  officeId: string,
  rows: CalendarInput[],
): Promise<{ created: number; updated: number }> {
  // Roles travel as one comma-joined text per row: unnest cannot take a ragged text[][].
  const result = await queryRows<{ created: number; updated: number }>(
    db,
    sql`
    WITH input AS (
      SELECT * FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[],
                           ${sql.param(rows.map((r) => r.kind))}::text[],
                           ${sql.param(rows.map((r) => r.titleTh))}::text[],
                           ${sql.param(rows.map((r) => r.startsOn))}::date[],
                           ${sql.param(rows.map((r) => r.endsOn))}::date[],
                           ${sql.param(rows.map((r) => r.academicYear))}::int[],
                           ${sql.param(rows.map((r) => r.term))}::int[],
                           ${sql.param(rows.map((r) => r.roles.join(',')))}::text[])
        AS t(id, kind, title_th, starts_on, ends_on, academic_year, term, roles)),
    upd AS (
      UPDATE calendar_events e
         SET kind = i.kind, title_th = i.title_th, starts_on = i.starts_on, ends_on = i.ends_on,
             academic_year = i.academic_year, term = i.term,
             roles = CASE WHEN i.roles = '' THEN '{}'::text[] ELSE string_to_array(i.roles, ',') END
        FROM input i
       WHERE i.id IS NOT NULL AND e.id = i.id AND e.office_id = ${officeId}
      RETURNING e.id),
    ins AS (
      INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term, roles)
      SELECT ${officeId}::uuid, kind, title_th, starts_on, ends_on, academic_year, term,
             CASE WHEN roles = '' THEN '{}'::text[] ELSE string_to_array(roles, ',') END
        FROM input WHERE id IS NULL
      RETURNING id)
    SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM upd)::int AS updated`,
  );
  return result[0] ?? { created: 0, updated: 0 };
}

export async function deleteCalendarEvent(db: Db, officeId: string, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM calendar_events WHERE office_id = ${officeId} AND id = ${id}::uuid RETURNING id`,
  );
  return rows.length > 0;
}
