// The linkPerson effect's CTEs: the invite is single use — the UPDATE's WHERE is the check, and the guard makes a
// lost race a retry of the whole turn.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import { loadParam } from '../conversation/load-params.js';
import type { LoadFragment } from '../conversation/types.js';
import type { LinkPerson } from './effects.js';
import { UUID_PATTERN } from '../ids/uuid.js';

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

/**
 * The onboarding flow's part of the turn's load: the invite a code-shaped text names (by its hash), else the one
 * waiting for the person's "ใช่" (its id in the onboarding state), checked again before it links.
 */
export const inviteLoad: LoadFragment = {
  name: 'invite',
  columns: sql`,
           (SELECT json_build_object('id', i.id, 'person_id', i.person_id, 'office_id', i.office_id,
                                     'expires_at', i.expires_at, 'used_at', i.used_at, 'revoked_at', i.revoked_at,
                                     'name', ip.display_name, 'role', ip.role, 'school', s.name_th, 'office', o.name_th)
              FROM invites i
              JOIN people ip ON ip.id = i.person_id AND ip.status <> 'erased'
              JOIN offices o ON o.id = i.office_id
              LEFT JOIN schools s ON s.id = ip.school_id
             WHERE i.code_hash = ${loadParam.inviteHash}
                OR (${loadParam.inviteHash}::text IS NULL AND (SELECT state->'flow'->>'flow' FROM c) = 'onboarding'
                    AND i.id = (SELECT CASE WHEN state->'flow'->>'confirm' ~ ${UUID_PATTERN}
                                            THEN (state->'flow'->>'confirm')::uuid END FROM c))) AS invite`,
  wanted: (w) => w.inviteHash !== null,
  needed: (state) => confirming(state),
};

/** The stored state waits for a "ใช่" to an invite (read before the state is parsed, so it is checked by shape). */
function confirming(state: unknown): boolean {
  if (typeof state !== 'object' || state === null || !('flow' in state)) return false;
  const flow = state.flow;
  return typeof flow === 'object' && flow !== null && 'confirm' in flow && typeof flow.confirm === 'string';
}
