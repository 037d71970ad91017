// The linkPerson effect's CTEs: the invite is single use — the UPDATE's WHERE is the check, and the guard makes a
// lost race a retry of the whole turn.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { LinkPerson } from './effects.js';

export const linkEffects: EffectHandlers<LinkPerson> = {
  linkPerson(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    const inv = sql.raw(`e${index}_inv`);
    return {
      cte: sql`${inv} AS (
            UPDATE invites SET used_at = ${now}
             WHERE id = ${effect.inviteId} AND person_id = ${effect.personId}
               AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ${now}
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING person_id),
          ${name} AS (
            UPDATE people SET channel_id = ${key.channelId}, line_user_id = ${key.lineUserId}, status = 'active',
                   linked_at = ${now}, privacy_notice_at = coalesce(privacy_notice_at, ${now}), updated_at = ${now},
                   -- This LINE user has no menu of ours yet (a new phone, another channel): the tick links it.
                   rich_menu_role = NULL
             WHERE id = (SELECT person_id FROM ${inv})
            RETURNING id)`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  },
};
