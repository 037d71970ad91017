// The SAR feedback flow (ข้อเสนอแนะ): the summary's buttons start it for a supervisor (`a=sarfb`, their schools from
// the visit block), a principal's push starts it with รับทราบ (`a=sarack`, done at once) or ตอบกลับ (`a=sarrep`);
// the `sarfb` state takes the one typed message (the feedback, or the reply). See feedback-chat.ts.
import { defineFlow } from '../conversation/flow.js';
import type { LinkedCtx } from '../conversation/types.js';
import { rowId } from '../ids/row-id.js';
import { parsePostbackData, textMessage } from '../line/messages.js';
import { menuOf } from '../menu/menu.js';
import { FEEDBACK_ACTIONS, type FeedbackCtx, feedbackPostback, feedbackText } from './feedback-chat.js';
import { type SarFeedbackEffect, type SarFeedbackState, sarFeedbackState } from './feedback-effects.js';
import { feedbackEffects, feedbackLoad } from './feedback.queries.js';
import { msg } from '../i18n/msg.js';

const feedbackCtx = (ctx: LinkedCtx): FeedbackCtx => ({
  person: ctx.person,
  schools: ctx.visits?.schools ?? [],
  newId: (slot) => rowId(ctx.eventId, slot),
  now: ctx.now,
  feedbackOwn: ctx.feedbackOwn === true,
});

export const sarFeedbackFlow = defineFlow<SarFeedbackState, SarFeedbackEffect>({
  name: 'sarfb',
  schema: sarFeedbackState,
  owns: (flow) => flow.flow === 'sarfb',
  actions: { entry: [...FEEDBACK_ACTIONS] },
  effects: feedbackEffects,
  load: feedbackLoad,
  prepare(input) {
    // The supervisor's schools (the visit block) check the button's school before the SQL does.
    // A principal's tap names feedback: the load says whether it is their school's, so the reply can be honest.
    const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
    if (pb?.action === 'sarack' || pb?.action === 'sarrep')
      return { load: { focusFeedback: pb.fields.get('f') ?? null } };
    return pb?.action === 'sarfb' ? { load: { visits: true } } : null;
  },
  enter(state, input, ctx) {
    if (input.kind !== 'postback') return null;
    const pb = parsePostbackData(input.data);
    if (pb === null || pb.seq !== undefined || !FEEDBACK_ACTIONS.has(pb.action)) return null;
    return feedbackPostback(state, pb.action, pb.fields, feedbackCtx(ctx));
  },
  step(state, input, ctx, cmd) {
    if (cmd === 'menu' || cmd === 'cancel')
      return { state: { ...state, flow: { flow: 'home' } }, replies: [menuOf(ctx)], effects: [] };
    if (input.kind !== 'text' || input.text.trim() === '' || cmd !== null) return ask(state, []);
    return feedbackText(state, input.text, feedbackCtx(ctx));
  },
  resume: (state, _ctx, before) => ask(state, before),
});

function ask(state: Parameters<typeof feedbackText>[0], before: ReturnType<typeof textMessage>[]) {
  return {
    state,
    replies: [
      ...before,
      textMessage(
        state.flow.step === 'reply'
          ? msg.sarFeedback.askReply
          : msg.sarFeedback.askText(
              state.flow.schoolName ?? '',
              state.flow.standard === 'all' ? msg.sarFeedback.overall : (state.flow.standard ?? ''),
            ),
      ),
    ],
    effects: [],
  };
}
