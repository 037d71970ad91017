// The honour lists an office published (honour_lists): written once per content (the dedupe key), read back by the
// page, the API and the office report of the term or year.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface HonouredSchool {
  schoolId: string;
  code: string;
  name: string;
  rank: number;
  /** The criteria's figures as shown when published. */
  figures: string[];
  why: string;
}

export interface HonourListRow extends Record<string, unknown> {
  id: string;
  academic_year: number;
  term: number;
  title_th: string;
  message_th: string;
  criteria: string[];
  audience: string;
  schools: HonouredSchool[];
  recipients: number;
  published_by: string;
  published_ms: number;
}

export interface NewHonourList {
  officeId: string;
  year: number;
  term: number;
  title: string;
  message: string;
  criteria: string[];
  audience: string;
  schools: HonouredSchool[];
  dedupeKey: string;
  publishedBy: string;
  publishedAt: number;
}

const columns = sql`id, academic_year, term, title_th, message_th, criteria, audience, schools, recipients,
                    published_by, (extract(epoch FROM published_at) * 1000)::float8 AS published_ms`;

/** Stores a list; undefined when the office already published one with this key (nothing written). */
export async function insertHonourList(db: Db, l: NewHonourList): Promise<HonourListRow | undefined> {
  const [row] = await queryRows<HonourListRow>(
    db,
    sql`INSERT INTO honour_lists (office_id, academic_year, term, title_th, message_th, criteria, audience, schools,
                                  dedupe_key, recipients, published_by, published_at)
        VALUES (${l.officeId}::uuid, ${l.year}, ${l.term}, ${l.title}, ${l.message}, ${sql.param(l.criteria)}::text[],
                ${l.audience}, ${JSON.stringify(l.schools)}::jsonb, ${l.dedupeKey}, 0, ${l.publishedBy},
                ${new Date(l.publishedAt).toISOString()}::timestamptz)
        ON CONFLICT (office_id, dedupe_key) DO NOTHING
        RETURNING ${columns}`,
  );
  return row;
}

export async function setRecipients(db: Db, id: string, n: number): Promise<void> {
  await db.execute(sql`UPDATE honour_lists SET recipients = ${n} WHERE id = ${id}::uuid`);
}

export async function honourListByKey(db: Db, officeId: string, key: string): Promise<HonourListRow | undefined> {
  const [row] = await queryRows<HonourListRow>(
    db,
    sql`SELECT ${columns} FROM honour_lists WHERE office_id = ${officeId}::uuid AND dedupe_key = ${key}`,
  );
  return row;
}

/** The lists of an academic year, newest first: of one term (1, 2), or of the year and both its terms (null). */
export async function honourListsOf(
  db: Db,
  officeId: string,
  year: number,
  term: number | null,
): Promise<HonourListRow[]> {
  return queryRows<HonourListRow>(
    db,
    sql`SELECT ${columns} FROM honour_lists
         WHERE office_id = ${officeId}::uuid AND academic_year = ${year} AND (${term}::int IS NULL OR term = ${term}::int)
         ORDER BY published_at DESC, id`,
  );
}
