// Outbox rows for tests of the sender and the pages: a SELECT yields the row's columns plus `messages` (jsonb), and
// the rows are written as the planners write them, each with a literal body stored once in outbox_bodies.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.js';
import { parseBody, renderBody } from '../../src/outbox/bundle.js';
import type { Message } from '../../src/line/messages.js';

/** `select` yields `messages` and the named outbox columns; returns the new rows' ids in the SELECT's order. */
export async function insertOutbox(
  db: Db,
  select: SQL,
  columns: string[] = ['office_id', 'channel_id', 'person_id', 'dedupe_key', 'kind', 'not_before'],
): Promise<string[]> {
  const cols = sql.raw(columns.join(', '));
  const picked = sql.raw(columns.map((c) => `src.${c}`).join(', '));
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH src AS (SELECT s.*, jsonb_build_object('messages', s.messages) AS literal, row_number() OVER () AS n
                       FROM (${select}) s),
        bd AS (INSERT INTO outbox_bodies (hash, body)
               SELECT DISTINCT md5(literal::text)::uuid, literal FROM src ON CONFLICT DO NOTHING RETURNING 1),
        ins AS (INSERT INTO outbox (${cols}, body)
                SELECT ${picked}, md5(src.literal::text)::uuid FROM src ORDER BY src.n RETURNING id, dedupe_key)
        SELECT ins.id FROM ins`,
  );
  return rows.map((r) => r.id);
}

/** What a row sends: its body rendered as the sender renders it (digests it refers to included). */
export async function messagesOf(db: Db, rowId: string): Promise<Message[]> {
  const rows = await queryRows<{ body: unknown; refs: Record<string, unknown> | null }>(
    db,
    sql`SELECT b.body,
               (SELECT jsonb_object_agg(r.hash::text, r.body) FROM outbox_bodies r
                 WHERE r.hash::text IN (SELECT i->>'b' FROM jsonb_array_elements(b.body->'items') i)) AS refs
          FROM outbox o JOIN outbox_bodies b ON b.hash = o.body WHERE o.id = ${rowId}::uuid`,
  );
  const row = rows[0];
  if (row === undefined) return [];
  const refs = new Map(Object.entries(row.refs ?? {}).map(([k, v]) => [k, parseBody(v)]));
  return renderBody(parseBody(row.body), refs);
}
