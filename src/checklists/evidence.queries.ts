// SQL for evidence files: what is still to fetch, and the outcome of each fetch.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { BundleItem } from '../outbox/bundle.js';
import { queryRows } from '../db/client.js';
import { dedupeKey } from '../outbox/keys.js';
import { enqueueCte, itemJson, reachable } from '../outbox/enqueue.queries.js';

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

/** A file erased while it was being fetched stays erased, with its keys, so retention deletes what was just put. */
export async function markEvidence(
  db: Db,
  id: string,
  outcome: {
    status: 'stored' | 'failed' | 'pending';
    storageKey?: string;
    thumbKey?: string;
    contentType?: string;
    size?: number;
    error?: string;
    attempt?: boolean;
  },
): Promise<void> {
  await db.execute(sql`
    UPDATE evidence_files
       SET status = CASE WHEN status = 'erased' THEN 'erased' ELSE ${outcome.status} END, storage_key = coalesce(${outcome.storageKey ?? null}, storage_key),
           thumb_key = coalesce(${outcome.thumbKey ?? null}, thumb_key),
           content_type = coalesce(${outcome.contentType ?? null}, content_type),
           size_bytes = coalesce(${outcome.size ?? null}::int, size_bytes),
           last_error = ${outcome.error ?? null}, attempts = attempts + ${outcome.attempt === true ? 1 : 0}
     WHERE id = ${id}`);
}

/** Who to tell about a lost file and of which checklist: the last to answer its item, else who started. */
export async function lostEvidenceContext(
  db: Db,
  id: string,
): Promise<{ campaignId: string; title: string; personId: string | null } | null> {
  const rows = await queryRows<{ campaign_id: string; title: string; person_id: string | null }>(
    db,
    sql`SELECT c.id AS campaign_id, c.title_th AS title, coalesce(a.answered_by, r.started_by) AS person_id
          FROM evidence_files f JOIN responses r ON r.id = f.response_id JOIN campaigns c ON c.id = r.campaign_id
          LEFT JOIN answers a
            ON a.response_id = f.response_id AND a.item_key = f.item_key AND a.repeat_index = f.repeat_index
         WHERE f.id = ${id}::uuid`,
  );
  const r = rows[0];
  return r === undefined ? null : { campaignId: r.campaign_id, title: r.title, personId: r.person_id };
}

/**
 * A file LINE no longer gives (retries spent), in one statement: marked failed, its id taken out of the answer
 * (the answer goes when it held nothing else, so the item is asked again), and the person's next bundle carries
 * a notice asking them to send it again. Only a still-pending file counts, so a repeat does nothing.
 */
export async function loseEvidence(
  db: Db,
  id: string,
  error: string,
  notice: { personId: string | null; item: BundleItem },
  at: number,
): Promise<void> {
  const match = sql`a.response_id = f.response_id AND a.item_key = f.item_key AND a.repeat_index = f.repeat_index
                    AND jsonb_typeof(a.value) = 'array'`;
  await db.execute(sql`
    WITH f AS (
      UPDATE evidence_files SET status = 'failed', last_error = ${error}, attempts = attempts + 1
       WHERE id = ${id}::uuid AND status = 'pending'
      RETURNING id::text AS id, response_id, item_key, repeat_index),
    kept AS (
      UPDATE answers a SET value = a.value - f.id FROM f
       WHERE ${match} AND a.value - f.id <> '[]'::jsonb
      RETURNING 1),
    gone AS (
      DELETE FROM answers a USING f WHERE ${match} AND a.value - f.id = '[]'::jsonb
      RETURNING 1),
    ${enqueueCte(
      sql.raw('told'),
      sql`SELECT p.office_id, p.id AS person_id, ${dedupeKey('notice', 'evidence', id)} AS key, 'notice' AS kind,
                 ${itemJson(notice.item)} AS data, ${new Date(at).toISOString()}::timestamptz AS due_at,
                 NULL::timestamptz AS urgent_by
            FROM people p
           WHERE p.id = ${notice.personId}::uuid AND ${reachable('p')} AND EXISTS (SELECT 1 FROM f)`,
    )}
    SELECT (SELECT count(*) FROM kept) + (SELECT count(*) FROM gone) + (SELECT count(*) FROM told) AS n`);
}

/** A stored photo's preview, for a signed thumbnail URL (src/checklists/thumbs.routes.ts); undefined: none. */
export async function photoThumb(db: Db, id: string): Promise<string | undefined> {
  const rows = await queryRows<{ thumb_key: string }>(
    db,
    sql`SELECT thumb_key FROM evidence_files
         WHERE id = ${id}::uuid AND status = 'stored' AND file_name IS NULL AND thumb_key IS NOT NULL`,
  );
  return rows[0]?.thumb_key;
}
