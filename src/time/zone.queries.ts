// The office's own zone (offices.time_zone), which every wall-clock reading of an office takes (./zone.ts).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import { BANGKOK } from './thai.js';

/** The office's IANA time zone; Bangkok for an unknown office (the column's own default). */
export async function officeTimeZone(db: Db, officeId: string): Promise<string> {
  const rows = await queryRows<{ time_zone: string }>(db, sql`SELECT time_zone FROM offices WHERE id = ${officeId}`);
  return rows[0]?.time_zone ?? BANGKOK;
}
