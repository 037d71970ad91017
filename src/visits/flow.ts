// The visits flow: planning, rescheduling, cancelling and commenting (the `visit` state, chat.ts), and the
// supervisor's record, which runs the checklist runner in a checklist state with campaign `visit:<id>` (record.ts).
// Its postbacks (from pushes and lists, no step token) work from anywhere; its words outside a running checklist.
// Its load block is the visits in the person's scope (visits.queries.ts), asked for by its words and buttons, and
// loaded anyway while a conversation is inside it.
import * as z from 'zod';
import { checklistCtx } from '../checklists/flow.js';
import { type ChecklistFlow, runChecklist, resumeChecklist } from '../checklists/runner.js';
import { isVisitRecordCampaign } from '../checklists/system-campaign.js';
import { defineFlow } from '../conversation/flow.js';
import type { LinkedCtx } from '../conversation/types.js';
import { rowId } from '../ids/row-id.js';
import { parsePostbackData } from '../line/messages.js';
import { menuOf } from '../menu/menu.js';
import { resumeVisitFlow, runVisitFlow, visitEntry } from './chat.js';
import type { VisitCtx } from './prompts.js';
import { VISIT_ACTIONS, VISIT_STEP_ACTIONS, visitWords, wantsVisitBlock } from './words.js';
import type { VisitEffect } from './effects.js';
import { resumeVisitChecklist, runVisitChecklist } from './record.js';
import { visitEffects } from './visit-effects.queries.js';
import { type LoadedVisits, visitsLoad } from './visits.queries.js';

/**
 * Supervision visits in chat: planning (school → when → purpose → confirm), rescheduling (when → confirm with
 * visitId), cancelling (cancel with visitId) and a principal's comment on findings (comment with visitId).
 */
const visitState = z.object({
  flow: z.literal('visit'),
  step: z.enum(['school', 'when', 'purpose', 'confirm', 'cancel', 'comment']),
  visitId: z.string().optional(),
  schoolId: z.string().optional(),
  startsAt: z.number().int().optional(),
  purpose: z.string().optional(),
  followUpOf: z.string().optional(),
  /** The follow-up date the visit record gave (YYYY-MM-DD): the 'when' step offers it first. */
  followUpOn: z.string().optional(),
});
type VisitState = z.infer<typeof visitState>;

declare module '../conversation/state.js' {
  interface FlowStates {
    visit: VisitState;
  }
}
declare module '../conversation/types.js' {
  interface Ctx {
    /** Supervision visits in the person's scope, when this turn loaded them (see loadTurn's visit block). */
    visits?: LoadedVisits | null;
  }
}

function visitCtx(ctx: LinkedCtx): VisitCtx | null {
  if (ctx.visits === undefined || ctx.visits === null) return null;
  return {
    now: ctx.now,
    timeZone: ctx.timeZone,
    person: ctx.person,
    visits: ctx.visits,
    checklists: checklistCtx(ctx),
    newId: (slot) => rowId(ctx.eventId, slot),
  };
}

const stepActions = new Set<string>(VISIT_STEP_ACTIONS);
const menuFn = (ctx: LinkedCtx) => () => [menuOf(ctx)];
const isRecord = (flow: ChecklistFlow | VisitState): flow is ChecklistFlow => flow.flow === 'checklist';

export const visitsFlow = defineFlow<VisitState | ChecklistFlow, VisitEffect>({
  name: 'visits',
  schema: visitState,
  owns: (flow): flow is VisitState | ChecklistFlow =>
    flow.flow === 'visit' || (flow.flow === 'checklist' && isVisitRecordCampaign(flow.campaignId)),
  actions: { entry: [...VISIT_ACTIONS].filter((a) => !stepActions.has(a)), step: VISIT_STEP_ACTIONS },
  words: visitWords,
  effects: visitEffects,
  load: visitsLoad,
  prepare(input) {
    const focusVisit = input.kind === 'postback' ? (parsePostbackData(input.data)?.fields.get('v') ?? null) : null;
    return { load: { visits: wantsVisitBlock(input), focusVisit } };
  },
  enter(state, input, ctx) {
    // Visit buttons work from anywhere; typed visit words outside a checklist (where they are answers).
    if (input.kind === 'follow' || (input.kind !== 'postback' && state.flow.flow === 'checklist')) return null;
    return visitEntry(state, input, visitCtx(ctx));
  },
  step(state, input, ctx, cmd) {
    if (input.kind === 'follow') return null;
    const c = visitCtx(ctx);
    const flow = state.flow;
    if (isRecord(flow)) {
      const s = { ...state, flow };
      return c === null
        ? runChecklist(s, input, cmd, checklistCtx(ctx), menuFn(ctx))
        : runVisitChecklist(s, input, cmd, c, menuFn(ctx));
    }
    // Without the visit block (no longer a supervisor or principal) the flow is left for the menu.
    return c === null ? null : runVisitFlow({ ...state, flow }, input, cmd, c, menuFn(ctx));
  },
  resume(state, ctx, before) {
    const c = visitCtx(ctx);
    const flow = state.flow;
    if (isRecord(flow)) {
      const s = { ...state, flow };
      return c === null
        ? resumeChecklist(s, checklistCtx(ctx), menuFn(ctx), before)
        : resumeVisitChecklist(s, c, menuFn(ctx), before);
    }
    if (c === null)
      return {
        state: { ...state, flow: { flow: 'home' } },
        replies: [...before, menuOf(ctx)],
        effects: [],
      };
    return resumeVisitFlow({ ...state, flow }, c, before);
  },
});
