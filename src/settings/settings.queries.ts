// The settings flow's effect as a CTE of the turn's write statement: only the person linked to this LINE user.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { SettingsEffect } from './settings.js';

export const settingsEffects: EffectHandlers<SettingsEffect> = {
  updateSettings(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    return {
      cte: sql`${name} AS (
            UPDATE people SET muted = coalesce(${effect.muted ?? null}::boolean, muted),
                   reminder_hour = coalesce(${effect.reminderHour ?? null}::smallint, reminder_hour), updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
    };
  },
};
