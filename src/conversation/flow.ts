// The shape of a conversation flow. Each flow declares, in its own folder, everything the engine needs from it:
// its state (a zod schema, registered in FlowStates), its postback actions, its entry words, what it asks of the
// turn's load statement, its effect handlers and its pure steps. src/flows/index.ts lists the flows; the engine
// (transition.ts) takes that list as an argument, as XState's transition() takes its machine, and builds the
// action router, the one stale-button guard and the effect table from it.
import type { z } from 'zod';
import type { Message } from '../line/messages.js';
import type { Effect, EffectHandlers } from './effects.js';
import type { Input } from './input.js';
import type { ConversationState, Flow } from './state.js';
import type { Ctx, GlobalCommand, LinkedCtx, LoadFragment, LoadWants } from './types.js';

/** One turn's outcome: the next state, the replies, and the effects to write with it. Runs nothing. */
export interface Step {
  state: ConversationState;
  replies: Message[];
  effects: Effect[];
}

/** Everything but unfollow, which the engine handles before choosing a flow. */
export type UserInput = Exclude<Input, { kind: 'unfollow' }>;

/** What the turn's caller provides for a flow's preparation (see FlowDef.prepare). */
export interface PrepareEnv {
  publicBaseUrl: string;
}

/** A flow's asynchronous work before the pure turn: load blocks it wants, and context it made (a hash, a token). */
export interface Prepared {
  load?: Partial<LoadWants>;
  ctx?: Partial<Ctx>;
}

/**
 * A flow. `S` is the state it steps (its own, registered in FlowStates); `E` its own effects (registered in
 * FlowEffects), each of which must have a handler in `effects` or the flow does not compile. A flow's steps may
 * return any state and any effect: leaving to the menu, or starting a checklist, is another flow's state.
 */
export interface FlowDef<S extends Flow = Flow, E extends { type: string } = never> {
  /** For messages and tests. */
  readonly name: string;
  /** Its stored state's schema; the registry's union of these is what parseState reads. */
  readonly schema?: z.ZodType<S>;
  /** The states whose turns this flow takes (default: none — an entry-only flow). */
  owns?(flow: Flow): flow is S;
  /**
   * Its postback actions: `entry` ones start it from anywhere and carry no step token; `step` ones are its
   * prompts' buttons and always carry one, so one without it (not sent by our button) is stale too.
   */
  readonly actions?: { readonly entry?: readonly string[]; readonly step?: readonly string[] };
  /** Its entry words (typed), for the router's word table and the overlap test. */
  readonly words?: readonly string[];
  /** The stranger flow takes turns of unlinked LINE users; the home flow takes what no other flow takes. */
  readonly role?: 'strangers' | 'home';
  /** Work before the load and the pure turn (async: hashes, random tokens). Null: nothing for this input. */
  prepare?(input: Input, env: PrepareEnv): Prepared | null | Promise<Prepared | null>;
  /** Its part of the turn's load statement (in the flow's *.queries.ts). */
  readonly load?: LoadFragment | readonly LoadFragment[];
  /** Its effects as SQL (in the flow's *.queries.ts). */
  readonly effects: EffectHandlers<E>;
  /** An unlinked LINE user's turn (the stranger flow only). */
  stranger?(state: ConversationState, input: UserInput, ctx: Ctx): Step;
  /** Claims an input from any state (in registry order), before the current flow's step; null: not its input. */
  enter?(state: ConversationState, input: UserInput, ctx: LinkedCtx): Step | null;
  /**
   * A guess from free text, asked only after every flow declined it (entries, the current flow's step) and before
   * the home flow's "not understood": never for a global word or any flow's entry word (the engine checks).
   */
  fallback?(state: ConversationState, input: Extract<UserInput, { kind: 'text' }>, ctx: LinkedCtx): Step | null;
  /** A turn inside this flow. Null: the input leaves the flow (the menu takes it, from the home state). */
  step?(
    state: ConversationState & { flow: S },
    input: UserInput,
    ctx: LinkedCtx,
    cmd: GlobalCommand | null,
  ): Step | null;
  /** Asks the current question again after `before` (the stale-button guard's message). */
  resume?(state: ConversationState & { flow: S }, ctx: LinkedCtx, before: Message[]): Step;
}

/** A flow of any state and effects, as the registry holds it. */
export type AnyFlow = FlowDef<Flow, never>;

/** Checks a flow against its state and effects (the compiler does: a missing handler is an error here). */
export function defineFlow<S extends Flow = never, E extends { type: string } = never>(
  def: FlowDef<S, E>,
): FlowDef<S, E> {
  return def;
}
