// The PDPA erasure flow: `ลบข้อมูลของฉัน` from anywhere (a running checklist included) explains erasure and asks
// for a confirmation; a pending question takes the next input, whatever it is, as its answer (see chat.ts).
import * as z from 'zod';
import { defineFlow } from '../conversation/flow.js';
import { textMessage } from '../line/messages.js';
import { menuOf } from '../menu/menu.js';
import { ERASE_ACTION, eraseWords, isEraseRequest, type PdpaEffect, runErase, startErase } from './chat.js';
import { eraseEffects } from './erase.queries.js';
import { msg } from '../i18n/msg.js';

/** A PDPA erasure request waiting for its confirmation; requestedAt is when the person asked (epoch ms). */
const pdpaState = z.object({ flow: z.literal('pdpa'), step: z.literal('confirmErase'), requestedAt: z.number().int() });
type PdpaState = z.infer<typeof pdpaState>;

declare module '../conversation/state.js' {
  interface FlowStates {
    pdpa: PdpaState;
  }
}

export const pdpaFlow = defineFlow<PdpaState, PdpaEffect>({
  name: 'pdpa',
  schema: pdpaState,
  owns: (flow) => flow.flow === 'pdpa',
  actions: { step: [ERASE_ACTION] },
  words: [...eraseWords],
  effects: eraseEffects,
  enter(state, input, ctx) {
    if (state.flow.flow === 'pdpa') {
      return runErase({ ...state, flow: state.flow }, ctx.person.id, input, () => [menuOf(ctx)]);
    }
    return isEraseRequest(input) ? startErase(state, ctx.now) : null;
  },
  // A confirm button from an earlier prompt cancels the request rather than asking again.
  resume: (state, ctx, before) => ({
    state: { ...state, flow: { flow: 'home' } },
    replies: [...before, textMessage(msg.pdpa.eraseCancelled), menuOf(ctx)],
    effects: [],
  }),
});
