// The web sign-in flow (`เข้าเว็บ`, or the menu's `a=web` tile): no state of its own, one reply with a one-time link.
// The link's token is random and its hash async, so both are made before the pure turn, in prepare().
import { defineFlow } from '../conversation/flow.js';
import { newSecret, tokenHash } from '../admin/auth.js';
import {
  type SigninEffect,
  type SigninTicket,
  signinTarget,
  signinWords,
  WEB_ACTION,
  wantsWebSignin,
  webSignin,
} from './chat.js';
import { signinEffects } from './signin.queries.js';

declare module '../conversation/types.js' {
  interface Ctx {
    /** A web sign-in link made for this turn, when it asked for one. */
    signin?: SigninTicket | null;
  }
}

export const signinFlow = defineFlow<never, SigninEffect>({
  name: 'signin',
  actions: { entry: [WEB_ACTION] },
  words: signinWords,
  effects: signinEffects,
  // Not async: most inputs are not a sign-in, and answer null without a promise.
  prepare: (input, env) => (wantsWebSignin(input) ? signinLink(env.publicBaseUrl) : null),
  enter(state, input, ctx) {
    const target = signinTarget(input, state.flow.flow);
    return target === null ? null : webSignin(state, ctx.person, ctx.signin ?? null, ctx.now, target);
  },
});

/** A new sign-in link's token and its hash, for the turn's context. */
async function signinLink(baseUrl: string) {
  const token = newSecret();
  return { ctx: { signin: { token, tokenHash: await tokenHash(token), baseUrl } } };
}
