// SQL for CSV imports that the admin queries do not already have: which external ids an office already uses.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export async function existingExternalIds(db: Db, officeId: string, externalIds: string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await queryRows<{ external_id: string }>(
    db,
    sql`SELECT external_id FROM people WHERE office_id = ${officeId}
          AND external_id = ANY(${sql.param(externalIds)}::text[])`,
  );
  return new Set(rows.map((r) => r.external_id));
}
