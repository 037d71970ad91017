// The SAR key grammar (src/sar/keys.ts) as SQL predicates, for every query that finds SARs or their flags.
import { type SQL, sql } from 'drizzle-orm';
import { SAR_BELOW_TARGET_PATTERN, SAR_STANDARD_OF_KEY_PATTERN } from './keys.js';

// Constants, inlined as literals so the statements' text (and their prepared plans) do not change.
const BELOW = sql.raw(`'${SAR_BELOW_TARGET_PATTERN}'`);
const STANDARD_OF = sql.raw(`'${SAR_STANDARD_OF_KEY_PATTERN}'`);

/** The key column `col` names a below-target flag (`sN_below_target`). */
export const isBelowTargetKey = (col: SQL): SQL => sql`${col} ~ ${BELOW}`;

/** The standard (`sN`) of key column `col`. */
export const standardOfKey = (col: SQL): SQL => sql`substring(${col} FROM ${STANDARD_OF})`;

/** Checklist `ck` is a SAR: its definition has a below-target item. */
export const isSarChecklist = (ck = 'ck'): SQL =>
  sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${sql.raw(ck)}.definition->'items') it
               WHERE ${isBelowTargetKey(sql`it->>'key'`)})`;
