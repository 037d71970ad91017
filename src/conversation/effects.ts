// What a turn asks the database to do, as data. transition() returns these; each flow's handlers (in its own
// *.queries.ts) turn each into a CTE of the turn's single write statement, so they commit (or not) together with
// the new state. A flow adds its effects to FlowEffects from its own folder, as it adds its state to FlowStates:
// `declare module '../conversation/effects.js' { interface FlowEffects { settings: SettingsEffect } }`; the
// registry (src/flows/index.ts) fails to compile while any of them has no handler.
import type { SQL } from 'drizzle-orm';
import type { TurnKey } from './types.js';

/** The engine's own effects: a block or re-follow (any flow), and an audited read (read-actions.ts). */
export type CoreEffect =
  | { type: 'setPersonStatus'; personId: string; to: 'active' | 'blocked' }
  /** A read of other people's data worth recording (PDPA): who looked at which list. */
  | { type: 'audit'; officeId: string; personId: string; action: string; targetType: string; targetId: string | null };

/** Every flow's effects, by flow name (see the header). */
export interface FlowEffects {
  core: CoreEffect;
}
export type Effect = FlowEffects[keyof FlowEffects];

/** One effect as SQL: the CTE(s) it adds to the write statement. */
export interface EffectSql {
  cte: SQL;
  /** A condition that must hold when the turn was applied; false aborts the statement. */
  guard?: SQL;
}

/** `index` names the effect's CTEs (`e<index>…`) apart from the other effects of the same turn. */
export type EffectHandler<E> = (effect: E, index: number, key: TurnKey, now: string) => EffectSql;

/** A handler for each of a union's effect types: a missing one is a compile error where the table is written. */
export type EffectHandlers<E extends { type: string }> = { [T in E['type']]: EffectHandler<Extract<E, { type: T }>> };
