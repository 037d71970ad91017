// PDPA erasure confirmed in chat, as CTEs of the turn's write statement: the person's name and ids go, the
// answers stay (anonymised), and the erasure is audited as 'pdpa.erase' with when it was asked and done.
// SAR feedback: a principal's reply is their own free text, so it is erased (replied_at stays, so reports still
// say a reply was given); a supervisor's feedback text stays, like answers, because it is work content about a
// school (an official supervision record), and its author shows as the anonymised person.
// Evidence files the person sent (photos with their LINE previews, documents): their rows are marked 'erased' here,
// in the same statement (the web and thumbnail routes serve 'stored' files only, so they 404 from the commit on),
// and their blobs are deleted by the office's next retention unit (purgeErasedEvidence), which clears the keys
// only after the store's delete succeeded: a failed delete never undoes the erasure and is retried next run.
// A file is the person's when they last answered its item (answers.answered_by), or it is in their own
// (person-scope) response. Agency-project documents uploaded by office staff are office records, not erased here.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { EffectHandlers } from '../conversation/effects.js';
import type { PdpaEffect } from './chat.js';
import { msg } from '../i18n/msg.js';

export const eraseEffects: EffectHandlers<PdpaEffect> = {
  erasePerson(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    // Only the person linked to this LINE user, once: a replayed or raced confirm matches no row and retries.
    const audit = sql.raw(`e${index}_audit`);
    const replies = sql.raw(`e${index}_sarfb`);
    const files = sql.raw(`e${index}_files`);
    return {
      cte: sql`${name} AS (
            UPDATE people SET status = 'erased', display_name = ${msg.pdpa.erasedName}, line_user_id = NULL, channel_id = NULL,
                   external_id = NULL, rich_menu_role = NULL, updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND status <> 'erased' AND EXISTS (SELECT 1 FROM conv)
            RETURNING id, office_id),
          ${audit} AS (
            INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
            SELECT office_id, 'person:' || id::text, 'pdpa.erase', 'person', id::text,
                   jsonb_build_object('requestedAt', ${effect.requestedAt}::text, 'completedAt', ${now}::text), ${now}
              FROM ${name}
            RETURNING 1),
          ${replies} AS (
            UPDATE sar_feedback f SET reply_th = NULL
              FROM ${name} e
             WHERE f.office_id = e.office_id AND f.reply_th IS NOT NULL
               AND (f.acknowledged_by = e.id
                    OR f.id::text IN (SELECT a.target_id FROM audit_log a
                                       WHERE a.action = 'sar.feedback.reply' AND a.actor = 'person:' || e.id::text))
            RETURNING 1),
          ${files} AS (
            UPDATE evidence_files f
               SET status = 'erased', last_error = NULL,
                   file_name = CASE WHEN f.file_name IS NULL THEN NULL ELSE '' END
              FROM ${name} e
             WHERE f.office_id = e.office_id AND f.status <> 'erased'
               AND (EXISTS (SELECT 1 FROM answers a
                             WHERE a.response_id = f.response_id AND a.item_key = f.item_key
                               AND a.repeat_index = f.repeat_index AND a.answered_by = e.id)
                    OR EXISTS (SELECT 1 FROM responses r WHERE r.id = f.response_id AND r.subject_key = e.id))
            RETURNING 1)`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  },
};

export interface ErasedBlobs {
  id: string;
  keys: string[];
}

/** Erased evidence whose blobs are still in the store: the office's (null: every office's), at most `limit`. */
export async function erasedEvidenceBlobs(db: Db, officeId: string | null, limit: number): Promise<ErasedBlobs[]> {
  const rows = await queryRows<{ id: string; storage_key: string | null; thumb_key: string | null }>(
    db,
    sql`SELECT id, storage_key, thumb_key FROM evidence_files
         WHERE status = 'erased' AND (storage_key IS NOT NULL OR thumb_key IS NOT NULL)
           ${officeId === null ? sql`` : sql`AND office_id = ${officeId}::uuid`}
         LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, keys: [r.storage_key, r.thumb_key].filter((k) => k !== null) }));
}

/** After the store deleted a file's blobs: nothing about the file is kept but its row and status. */
export async function forgetErasedBlobs(db: Db, id: string): Promise<void> {
  await db.execute(sql`
    UPDATE evidence_files SET storage_key = NULL, thumb_key = NULL, content_type = NULL, size_bytes = NULL
     WHERE id = ${id}::uuid AND status = 'erased'`);
}
