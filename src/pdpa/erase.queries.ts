// PDPA erasure confirmed in chat, as CTEs of the turn's write statement: the person's name and ids go, the
// answers stay (anonymised), and the erasure is audited as 'pdpa.erase' with when it was asked and done.
// SAR feedback: a principal's reply is their own free text, so it is erased (replied_at stays, so reports still
// say a reply was given); a supervisor's feedback text stays, like answers, because it is work content about a
// school (an official supervision record), and its author shows as the anonymised person.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { PdpaEffect } from './chat.js';
import { msg } from '../i18n/msg.js';

export const eraseEffects: EffectHandlers<PdpaEffect> = {
  erasePerson(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    // Only the person linked to this LINE user, once: a replayed or raced confirm matches no row and retries.
    const audit = sql.raw(`e${index}_audit`);
    const replies = sql.raw(`e${index}_sarfb`);
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
            RETURNING 1)`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  },
};
