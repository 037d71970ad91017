// SQL for the admin API's people and invites. A person is shown with `linked` (whether a LINE account is linked)
// and never with the LINE user id; an invite with its state and expiry, never its code or hash.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import { iso } from './admin.queries.js';
import type { SchoolCut } from '../checklists/audience.queries.js';

export interface PersonView extends Record<string, unknown> {
  id: string;
  displayName: string;
  role: Role;
  status: PersonStatus;
  externalId: string | null;
  schoolCode: string | null;
  schoolNameTh: string | null;
  learningAreas: string[];
  position: string | null;
  /** A director's digest cut (null: the whole office). */
  digestCut: SchoolCut | null;
  linked: boolean;
  linkedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const personCols = sql`p.id, p.display_name AS "displayName", p.role, p.status, p.external_id AS "externalId",
  s.code AS "schoolCode", s.name_th AS "schoolNameTh", p.learning_areas AS "learningAreas", p.position,
  p.digest_cut AS "digestCut",
  (p.line_user_id IS NOT NULL) AS linked,
  ${iso(sql`p.linked_at`)} AS "linkedAt", ${iso(sql`p.created_at`)} AS "createdAt",
  ${iso(sql`p.updated_at`)} AS "updatedAt"`;

export interface PeopleFilter {
  role?: Role | undefined;
  schoolCode?: string | undefined;
  status?: PersonStatus | undefined;
  q?: string | undefined;
  learningArea?: string | undefined;
  position?: string | undefined;
}

/** People by name (then id); erased people only when asked for by status. Cursor: [displayName, id]. */
export async function listPeoplePage(
  db: Db,
  officeId: string,
  f: PeopleFilter,
  after: string[] | null,
  limit: number,
): Promise<PersonView[]> {
  const like = f.q === undefined ? null : `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return queryRows<PersonView>(
    db,
    sql`SELECT ${personCols}
          FROM people p LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.office_id = ${officeId}
           ${f.status === undefined ? sql`AND p.status <> 'erased'` : sql`AND p.status = ${f.status}`}
           ${f.role === undefined ? sql`` : sql`AND p.role = ${f.role}`}
           ${f.schoolCode === undefined ? sql`` : sql`AND s.code = ${f.schoolCode}`}
           ${f.learningArea === undefined ? sql`` : sql`AND p.learning_areas @> ARRAY[${f.learningArea}]::text[]`}
           ${f.position === undefined ? sql`` : sql`AND p.position = ${f.position}`}
           ${like === null ? sql`` : sql`AND (p.display_name ILIKE ${like} OR p.external_id ILIKE ${like})`}
           ${after === null ? sql`` : sql`AND (p.display_name, p.id) > (${after[0]}, ${after[1]}::uuid)`}
         ORDER BY p.display_name, p.id LIMIT ${limit + 1}`,
  );
}

export async function personView(db: Db, officeId: string, id: string): Promise<PersonView | undefined> {
  const rows = await queryRows<PersonView>(
    db,
    sql`SELECT ${personCols} FROM people p LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.office_id = ${officeId} AND p.id = ${id}::uuid`,
  );
  return rows[0];
}

export interface PersonPatch {
  displayName?: string;
  role?: Role;
  /** A school id, or null for none. */
  schoolId?: string | null;
  status?: 'active' | 'blocked';
  learningAreas?: string[];
  position?: string | null;
  digestCut?: SchoolCut | null;
}

/** Updates the fields given of a person of the office (not an erased one); false when there is none. */
export async function patchPerson(db: Db, officeId: string, id: string, p: PersonPatch): Promise<boolean> {
  const sets = [
    p.displayName === undefined ? null : sql`display_name = ${p.displayName}`,
    p.role === undefined ? null : sql`role = ${p.role}`,
    p.schoolId === undefined ? null : sql`school_id = ${p.schoolId}::uuid`,
    p.status === undefined ? null : sql`status = ${p.status}`,
    p.learningAreas === undefined ? null : sql`learning_areas = ${sql.param(p.learningAreas)}::text[]`,
    p.position === undefined ? null : sql`position = ${p.position}`,
    p.digestCut === undefined
      ? null
      : sql`digest_cut = ${p.digestCut === null ? null : JSON.stringify(p.digestCut)}::jsonb`,
    sql`updated_at = now()`,
  ].filter((s) => s !== null);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE people SET ${sql.join(sets, sql`, `)}
         WHERE office_id = ${officeId} AND id = ${id}::uuid AND status <> 'erased' RETURNING id`,
  );
  return rows.length > 0;
}

// ── Invites ──

export type InviteState = 'pending' | 'used' | 'expired' | 'revoked';

export interface InviteView extends Record<string, unknown> {
  id: string;
  personId: string;
  displayName: string;
  state: InviteState;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

/** Invites newest first; `personId` narrows to one person's. Cursor: [createdAt, id]. */
export async function listInvitesPage(
  db: Db,
  officeId: string,
  f: { personId?: string | undefined; state?: InviteState | undefined },
  now: string,
  after: string[] | null,
  limit: number,
): Promise<InviteView[]> {
  const state = sql`CASE WHEN i.used_at IS NOT NULL THEN 'used' WHEN i.revoked_at IS NOT NULL THEN 'revoked'
                         WHEN i.expires_at <= ${now}::timestamptz THEN 'expired' ELSE 'pending' END`;
  return queryRows<InviteView>(
    db,
    sql`SELECT i.id, i.person_id AS "personId", p.display_name AS "displayName", ${state} AS state,
               ${iso(sql`i.created_at`)} AS "createdAt", ${iso(sql`i.expires_at`)} AS "expiresAt",
               ${iso(sql`i.used_at`)} AS "usedAt", ${iso(sql`i.revoked_at`)} AS "revokedAt"
          FROM invites i JOIN people p ON p.id = i.person_id
         WHERE i.office_id = ${officeId} AND p.status <> 'erased'
           ${f.personId === undefined ? sql`` : sql`AND i.person_id = ${f.personId}::uuid`}
           ${f.state === undefined ? sql`` : sql`AND ${state} = ${f.state}`}
           ${after === null ? sql`` : sql`AND (i.created_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`}
         ORDER BY i.created_at DESC, i.id DESC LIMIT ${limit + 1}`,
  );
}
