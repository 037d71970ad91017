// Builds the engine's tables from the list of flows (src/flows/index.ts): the state union parseState reads, the
// effect-handler table writeTurn uses, the stranger and home flows, and the turn's preparation. Checks at
// start-up what the compiler cannot: one flow per role, one handler per effect, one owner per postback action.
import * as z from 'zod';
import type { AnyFlow, PrepareEnv } from './flow.js';
import type { CoreEffect, Effect, EffectHandler, EffectHandlers, EffectSql } from './effects.js';
import type { Input } from './input.js';
import { type ConversationState, type Flow, homeFlow, parseStateWith, stateSchema } from './state.js';
import type { Ctx, LoadFragment, LoadWants, TurnKey } from './types.js';
import { commandKey } from './normalize.js';

export interface Registry {
  readonly flows: readonly AnyFlow[];
  readonly strangers: AnyFlow;
  readonly home: AnyFlow;
  /** Every flow's typed entry words, as command keys (a fallback never takes one). */
  readonly words: ReadonlySet<string>;
  /** The flow whose steps take this state (the home flow when none claims it). */
  readonly owner: (flow: Flow) => AnyFlow;
  readonly schema: z.ZodType<ConversationState>;
  readonly parseState: (raw: unknown) => ReturnType<typeof parseStateWith>;
  /** The effect table: each effect's SQL, by its flow's handler. */
  readonly effectSql: (effect: Effect, index: number, key: TurnKey, now: string) => EffectSql;
  /** The flows' parts of the turn's load statement, in registry order. */
  readonly loadFragments: readonly LoadFragment[];
  /** Each flow's preparation for this input, merged: the load blocks to ask for and the context made. */
  readonly prepare: (input: Input, env: PrepareEnv) => Promise<{ load: LoadWants; ctx: Partial<Ctx> }>;
}

/** The flows' state schemas as discriminatedUnion wants them (FlowDef types a schema only as z.ZodType<S>). */
type DiscriminatedFlows = [
  z.ZodObject<{ flow: z.ZodLiteral<string> }>,
  ...z.ZodObject<{ flow: z.ZodLiteral<string> }>[],
];

export function buildRegistry(flows: readonly AnyFlow[], core: EffectHandlers<CoreEffect>): Registry {
  const only = (role: AnyFlow['role']) => {
    const found = flows.filter((f) => f.role === role);
    if (found.length !== 1 || found[0] === undefined) throw new Error(`the registry needs one ${role} flow`);
    return found[0];
  };
  const strangers = only('strangers');
  const home = only('home');

  const handlers = new Map<string, EffectHandler<Effect>>();
  const owners = new Map<string, string>();
  for (const [name, table] of [['core', core] as const, ...flows.map((f) => [f.name, f.effects] as const)]) {
    for (const [type, handler] of Object.entries<EffectHandler<Effect>>(table)) {
      if (owners.has(type)) throw new Error(`effect ${type}: handled by ${owners.get(type)} and ${name}`);
      owners.set(type, name);
      handlers.set(type, handler);
    }
  }
  const actionOwner = new Map<string, string>();
  for (const f of flows) {
    for (const a of [...(f.actions?.entry ?? []), ...(f.actions?.step ?? [])]) {
      const other = actionOwner.get(a);
      if (other !== undefined && other !== f.name) throw new Error(`postback action ${a}: ${other} and ${f.name}`);
      actionOwner.set(a, f.name);
    }
  }

  const schemas = [homeFlow, ...flows.flatMap((f) => (f.schema === undefined ? [] : [f.schema]))];
  // Each flow's state is an object whose `flow` is its own literal, so picking the option by `flow` accepts exactly
  // what trying each option in turn (z.union) accepts, without building the failed options' issues first: the
  // stored state is parsed on every turn (zod throws on a flow literal claimed twice).
  const schema = stateSchema(
    z.discriminatedUnion('flow', schemas as unknown as DiscriminatedFlows) as unknown as z.ZodType<Flow>,
  );
  return {
    flows,
    strangers,
    home,
    words: new Set(flows.flatMap((f) => (f.words ?? []).map(commandKey))),
    owner: (flow) => flows.find((f) => f.owns?.(flow) === true) ?? home,
    schema,
    parseState: (raw) => parseStateWith(schema, raw),
    loadFragments: flows.flatMap((f) => (f.load === undefined ? [] : [f.load].flat())),
    effectSql: (effect, index, key, now) => {
      const handler = handlers.get(effect.type);
      if (handler === undefined) throw new Error(`no handler for effect ${effect.type}`);
      return handler(effect, index, key, now);
    },
    prepare: async (input, env) => {
      const load: LoadWants = { inviteHash: null, focusCampaign: null, visits: false, focusVisit: null };
      const ctx: Partial<Ctx> = {};
      for (const f of flows) {
        // Most flows answer at once (no hash, no token): awaiting only promises spares a microtask per flow.
        const made = f.prepare?.(input, env);
        const p = made instanceof Promise ? await made : made;
        if (p === null || p === undefined) continue;
        Object.assign(load, p.load);
        if (p.ctx !== undefined) Object.assign(ctx, p.ctx);
      }
      return { load, ctx };
    },
  };
}
