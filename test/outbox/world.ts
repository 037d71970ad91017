// A small office of LINE-linked teachers for the outbox tests: each call makes a new office (HARD1, HARD2, …)
// in the file's own database, so tests in one file never share people.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.js';

let seq = 0;
export async function world(db: Db, names: string[]): Promise<{ officeId: string; people: string[] }> {
  seq += 1;
  const [office] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO offices (code, name_th) VALUES (${`HARD${seq}`}, ${`สำนักงานทดสอบ ${seq}`}) RETURNING id`,
  );
  const officeId = office?.id ?? '';
  const people: string[] = [];
  for (const name of names) {
    const id = crypto.randomUUID();
    await db.execute(sql`
      INSERT INTO people (id, office_id, role, display_name, status, channel_id, line_user_id, reminder_hour)
      VALUES (${id}::uuid, ${officeId}::uuid, 'teacher', ${name}, 'active', 'default',
              ${`U${id.replaceAll('-', '')}`}, 8)`);
    people.push(id);
  }
  return { officeId, people };
}
