// The conversation engine: transition(flows, state, input, ctx) → { state, replies, effects }. Pure: no I/O, no
// clock (ctx.now), no randomness. The flows are an argument (src/flows/index.ts lists them); this file routes a
// turn among them and knows none of them. The caller loads ctx, runs this, and writes state and effects in one
// statement.
import { th } from '../i18n/th.js';
import { parsePostbackData, textMessage } from '../line/messages.js';
import type { AnyFlow, Step, UserInput } from './flow.js';
import type { Input } from './input.js';
import { globalCommand } from './commands.js';
import { isWord } from './normalize.js';
import type { Registry } from './registry.js';
import type { ConversationState } from './state.js';
import type { Ctx, GlobalCommand, LinkedCtx } from './types.js';
import { extend } from '../objects/extend.js';

export { globalCommand } from './commands.js';
export type { Effect } from './effects.js';
export type { Step as Result } from './flow.js';
export type { Ctx, GlobalCommand, InviteLookup, PersonView } from './types.js';

/**
 * One turn. An unlinked LINE user's turns go to the stranger flow (onboarding). A linked person's turn passes,
 * in order: the one stale-button guard; each flow's entry, in registry order (the first that claims the input
 * takes the turn); the step of the flow that owns the state; each flow's fallback guess from free text; the home
 * flow, which takes whatever is left.
 */
export function transition(flows: Registry, state: ConversationState, input: Input, ctx: Ctx): Step {
  if (input.kind === 'unfollow') {
    // Nothing can be sent to a user who blocked the bot; remember it so no push is wasted on them.
    return {
      state,
      replies: [],
      effects:
        ctx.person?.status === 'active' ? [{ type: 'setPersonStatus', personId: ctx.person.id, to: 'blocked' }] : [],
    };
  }
  if (ctx.person === null) {
    if (flows.strangers.stranger === undefined) throw new Error('the stranger flow has no stranger step');
    return flows.strangers.stranger(state, input, ctx);
  }
  const linked: LinkedCtx = extend(ctx, { person: ctx.person });
  const owner = flows.owner(state.flow);
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;

  // The one stale-button guard: a button from an earlier prompt never acts (it could overwrite a newer answer),
  // and neither does one of the current flow's step buttons sent without its token (not a button of ours).
  if (pb !== null) {
    const stale = pb.seq !== undefined ? pb.seq !== state.seq : (owner.actions?.step?.includes(pb.action) ?? false);
    if (stale) return resume(flows, owner, state, linked);
  }

  for (const f of flows.flows) {
    const entered = f.enter?.(state, input, linked);
    if (entered !== null && entered !== undefined) return entered;
  }

  const cmd = input.kind === 'text' ? globalCommand(input.text) : pb !== null ? globalCommand(pb.action) : null;
  if (owner !== flows.home && owner.step !== undefined) {
    const stepped = stepOf(owner, state, input, linked, cmd);
    if (stepped !== null) return stepped;
    // The input leaves the flow: the menu takes it from the home state.
    state = extend(state, { flow: { flow: 'home' } });
  }
  // Every flow declined: a flow's guess from free text (a checklist's title words), never a word some flow owns.
  if (input.kind === 'text' && cmd === null && !isWord(flows.words, input.text)) {
    for (const f of flows.flows) {
      const guessed = f.fallback?.(state, input, linked);
      if (guessed !== null && guessed !== undefined) return guessed;
    }
  }
  const home = stepOf(flows.home, state, input, linked, cmd);
  if (home === null) throw new Error('the home flow must take every input');
  return home;
}

function stepOf(f: AnyFlow, state: ConversationState, input: UserInput, ctx: LinkedCtx, cmd: GlobalCommand | null) {
  const flow = state.flow;
  // The home flow also takes states no flow owns (an onboarding state of a person linked meanwhile).
  if (f.step === undefined || (f.owns?.(flow) !== true && f.role !== 'home')) return null;
  return f.step(extend(state, { flow }), input, ctx, cmd);
}

function resume(flows: Registry, owner: AnyFlow, state: ConversationState, ctx: LinkedCtx): Step {
  const before = [textMessage(th.staleButton)];
  const flow = state.flow;
  if (owner.resume !== undefined && owner.owns?.(flow) === true)
    return owner.resume(extend(state, { flow }), ctx, before);
  if (flows.home.resume === undefined) throw new Error('the home flow must resume');
  return flows.home.resume(state, ctx, before);
}
