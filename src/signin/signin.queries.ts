// The issueSigninLink effect as a CTE of the turn's write statement: the link's token hash, valid until expiresAt.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { SigninEffect } from './chat.js';

export const signinEffects: EffectHandlers<SigninEffect> = {
  issueSigninLink(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    return {
      cte: sql`${name} AS (
            INSERT INTO admin_signin_links (token_hash, office_id, person_id, created_at, expires_at)
            SELECT ${effect.tokenHash}, ${effect.officeId}::uuid, ${effect.personId}::uuid, ${now},
                   ${effect.expiresAt}::timestamptz
             WHERE EXISTS (SELECT 1 FROM conv)
            RETURNING 1)`,
    };
  },
};
