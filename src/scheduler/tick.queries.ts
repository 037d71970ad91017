// SQL for the retention unit. Each statement covers one office (its channels' events and conversations, its
// outbox rows) or, with office null, what belongs to no office (the env channel, rows without an office), and
// deletes in bounded batches so a backlog cannot hold long locks.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

/** Rows of channels owned by the office, or (null) of channels no office owns: the env channel. */
const channelScope = (column: SQL, officeId: string | null): SQL =>
  officeId === null
    ? sql`${column} NOT IN (SELECT id FROM line_channels WHERE office_id IS NOT NULL)`
    : sql`${column} IN (SELECT id FROM line_channels WHERE office_id = ${officeId}::uuid)`;

export async function deleteProcessedEventsBefore(
  db: Db,
  officeId: string | null,
  before: string,
  batch = 50_000,
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (
          SELECT channel_id, webhook_event_id FROM processed_events
           WHERE received_at < ${before} AND ${channelScope(sql`channel_id`, officeId)} LIMIT ${batch}),
        gone AS (
          DELETE FROM processed_events pe USING doomed d
           WHERE pe.channel_id = d.channel_id AND pe.webhook_event_id = d.webhook_event_id RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** Outbox rows that reached an end (sent or dead) before `before`, in bounded batches like the events above. */
export async function deleteFinishedOutboxBefore(
  db: Db,
  officeId: string | null,
  before: string,
  batch = 50_000,
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (
          SELECT id FROM outbox
           WHERE ${officeId === null ? sql`office_id IS NULL` : sql`office_id = ${officeId}::uuid`}
             AND status IN ('sent', 'dead') AND created_at < ${before} LIMIT ${batch}),
        gone AS (DELETE FROM outbox o USING doomed d WHERE o.id = d.id RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** PDPA retention: conversations idle since before `before` lose their state (the row goes), in bounded batches. */
export async function deleteIdleConversationsBefore(
  db: Db,
  officeId: string | null,
  before: string,
  batch = 10_000,
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (
          SELECT channel_id, line_user_id FROM conversations
           WHERE updated_at < ${before}
             -- By the key's channel prefix (updated_at has no index, so turns can update in place): every row's
             -- channel is in line_channels (a foreign key), so no office's channels are those of office_id null.
             AND channel_id IN (SELECT id FROM line_channels
                                 WHERE ${officeId === null ? sql`office_id IS NULL` : sql`office_id = ${officeId}::uuid`})
           LIMIT ${batch}),
        gone AS (
          DELETE FROM conversations c USING doomed d
           WHERE c.channel_id = d.channel_id AND c.line_user_id = d.line_user_id AND c.updated_at < ${before}
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * An office's bundle items: those bundled before `bundledBefore` (a local day; their rows are dropped as the outbox's
 * are) and those still waiting since before `waitingBefore` (their person never became reachable), in bounded
 * batches, by outbox_items_bundled_idx and outbox_items_waiting_idx.
 */
export async function deleteOldItems(
  db: Db,
  officeId: string | null,
  bundledBefore: string,
  waitingBefore: string,
  batch = 50_000,
): Promise<number> {
  if (officeId === null) return 0;
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH doomed AS (
          (SELECT person_id, key FROM outbox_items
            WHERE office_id = ${officeId}::uuid AND bundled_on IS NOT NULL AND bundled_on < ${bundledBefore}::date
            LIMIT ${batch})
          UNION ALL
          (SELECT person_id, key FROM outbox_items
            WHERE office_id = ${officeId}::uuid AND bundled_on IS NULL AND due_at < ${waitingBefore}::timestamptz
            LIMIT ${batch})),
        gone AS (DELETE FROM outbox_items i USING doomed d WHERE i.person_id = d.person_id AND i.key = d.key RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}
