// The CLI's own lookups (everything else goes through the features' queries).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';

/** People of an office by their external ids (the ids an import gave them); unknown ids are simply absent. */
export function peopleByExternalId(db: Db, officeId: string, externalIds: string[]) {
  return queryRows<{ id: string; external_id: string }>(
    db,
    sql`SELECT id, external_id FROM people WHERE office_id = ${officeId}
          AND external_id = ANY(${sql.param(externalIds)}::text[])`,
  );
}

/** The office's IANA time zone, in which the CLI reads calendar dates. */
export async function officeTimeZone(db: Db, officeId: string): Promise<string> {
  const rows = await queryRows<{ time_zone: string }>(db, sql`SELECT time_zone FROM offices WHERE id = ${officeId}`);
  return rows[0]?.time_zone ?? 'Asia/Bangkok';
}
