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
