// SQL for evidence files: what is still to fetch, and the outcome of each fetch.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface PendingEvidence {
  id: string;
  officeId: string;
  responseId: string;
  channelId: string;
  lineMessageId: string;
  /** A document's name as sent; null for photos. */
  fileName: string | null;
  attempts: number;
}

interface Row extends Record<string, unknown> {
  id: string;
  office_id: string;
  response_id: string;
  channel_id: string;
  line_message_id: string;
  file_name: string | null;
  attempts: number;
}

const toPending = (r: Row): PendingEvidence => ({
  id: r.id,
  officeId: r.office_id,
  responseId: r.response_id,
  channelId: r.channel_id,
  lineMessageId: r.line_message_id,
  fileName: r.file_name,
  attempts: r.attempts,
});

export async function evidenceByIds(db: Db, ids: string[]): Promise<PendingEvidence[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<Row>(
    db,
    sql`SELECT id, office_id, response_id, channel_id, line_message_id, file_name, attempts FROM evidence_files
         WHERE id = ANY(${sql.param(ids)}::uuid[]) AND status = 'pending'`,
  );
  return rows.map(toPending);
}

/** Pending files older than a minute (the webhook's own fetch had its chance), oldest first. */
export async function pendingEvidence(
  db: Db,
  before: string,
  limit: number,
  officeId?: string,
): Promise<PendingEvidence[]> {
  const rows = await queryRows<Row>(
    db,
    sql`SELECT id, office_id, response_id, channel_id, line_message_id, file_name, attempts FROM evidence_files
         WHERE status = 'pending' AND created_at < ${before}
           ${officeId === undefined ? sql`` : sql`AND office_id = ${officeId}::uuid`}
         ORDER BY created_at LIMIT ${limit}`,
  );
  return rows.map(toPending);
}

export async function markEvidence(
  db: Db,
  id: string,
  outcome: {
    status: 'stored' | 'failed' | 'pending';
    storageKey?: string;
    contentType?: string;
    size?: number;
    error?: string;
    attempt?: boolean;
  },
): Promise<void> {
  await db.execute(sql`
    UPDATE evidence_files
       SET status = ${outcome.status}, storage_key = coalesce(${outcome.storageKey ?? null}, storage_key),
           content_type = coalesce(${outcome.contentType ?? null}, content_type),
           size_bytes = coalesce(${outcome.size ?? null}::int, size_bytes),
           last_error = ${outcome.error ?? null}, attempts = attempts + ${outcome.attempt === true ? 1 : 0}
     WHERE id = ${id}`);
}
