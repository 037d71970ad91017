// The checklist flow: the list of open checklists (`a=list`, or a word like `เช็กลิสต์`) and opening one (`a=open`)
// from anywhere, a running checklist inside; the runner (runner.ts) does the asking. Its load block is the open
// campaigns, the definitions this isolate lacks, and the answers of the response in focus.
import * as z from 'zod';
import { defineFlow } from '../conversation/flow.js';
import { commandKey, isWord } from '../conversation/normalize.js';
import type { CampaignView, LinkedCtx } from '../conversation/types.js';
import { type IdSlot, rowId } from '../ids/row-id.js';
import { parsePostbackData, postbackData, quickPostback, textMessage } from '../line/messages.js';
import type { ConversationState } from '../conversation/state.js';
import { byTitleWords } from './title-match.js';
import { menuOf } from '../menu/menu.js';
import type { ChecklistEffect } from './effects.js';
import { checklistLoad, responseEffects, startedLoad } from './response-effects.queries.js';
import {
  CHECKLIST_STEP_ACTIONS,
  type ChecklistCtx,
  checklistList,
  openCampaign,
  resumeChecklist,
  runChecklist,
} from './runner.js';
import { isVisitRecordCampaign } from './system-campaign.js';
import { msg } from '../i18n/msg.js';
import { extend } from '../objects/extend.js';

/** Where a checklist is: the answers themselves live in the answers table, never here. */
const checklistState = z.object({
  flow: z.literal('checklist'),
  responseId: z.string(),
  checklistId: z.string(),
  campaignId: z.string(),
  at: z.object({ kind: z.enum(['item', 'more', 'review']), key: z.string(), repeat: z.number().int().nonnegative() }),
  /** Set by "แก้ข้อ N": after that answer, go back to the review instead of onward. */
  returnToReview: z.boolean(),
  /** The response was already submitted: edits are re-saved, not submitted anew. */
  editing: z.boolean(),
  /** select_many picks made by tapping, not yet confirmed with "เสร็จ". */
  draft: z.array(z.string()).optional(),
});
type ChecklistState = z.infer<typeof checklistState>;

declare module '../conversation/state.js' {
  interface FlowStates {
    checklist: ChecklistState;
  }
}
declare module '../conversation/types.js' {
  interface Ctx {
    /** What the load found for checklists: the open campaigns, definitions, answers of the response in focus. */
    checklists: Omit<ChecklistCtx, 'now' | 'timeZone' | 'person' | 'newId'>;
  }
}

/** The runner's context for a linked person's turn. */
export function checklistCtx(ctx: LinkedCtx): ChecklistCtx {
  return extend(ctx.checklists, {
    now: ctx.now,
    timeZone: ctx.timeZone,
    person: ctx.person,
    newId: (slot: IdSlot) => rowId(ctx.eventId, slot),
  });
}

const listWords = ['เช็กลิสต์', 'เช็คลิสต์', 'แบบประเมิน', 'แบบสำรวจ', 'checklist', 'checklists', 'งานของฉัน'];
/** Typed at home (LINE on PC has no buttons to tap): the one checklist not yet started. */
const startWords = ['เริ่ม', 'เริ่มทำ', 'start'];
const words = [...listWords, ...startWords] as const;
const wordSet = new Set<string>(listWords);
const startSet = new Set<string>(startWords);

/**
 * A typed start at home: `เริ่ม` (one checklist left to answer) or its number in the list. A started one opens only
 * with its answers loaded (LoadWants.startedAnswers, at home); otherwise, and for anything else, the list.
 */
function typedStart(text: string, ctx: ChecklistCtx): 'list' | CampaignView | null {
  const key = commandKey(text);
  if (/^\d{1,2}$/.test(key)) {
    const picked = ctx.open[Number(key) - 1];
    return picked === undefined ? null : openable(picked, ctx);
  }
  if (!isWord(startSet, text)) return null;
  const todo = ctx.open.filter((c) => c.status !== 'submitted');
  return todo.length === 1 && todo[0] !== undefined ? openable(todo[0], ctx) : 'list';
}

const openable = (c: CampaignView, ctx: ChecklistCtx): CampaignView | 'list' =>
  c.responseId === null || ctx.startedAnswers?.has(c.responseId) === true ? c : 'list';

/** Opens a checklist chosen by typing, with its own answers (a started one resumes at its first unanswered item). */
function openTyped(state: ConversationState, c: CampaignView, ctx: LinkedCtx) {
  const cctx = checklistCtx(ctx);
  const answers = c.responseId === null ? {} : (cctx.startedAnswers?.get(c.responseId) ?? {});
  return openCampaign(state, c.campaignId, { ...cctx, answers }, menuFn(ctx));
}

const menuFn = (ctx: LinkedCtx) => () => [menuOf(ctx)];

export const checklistFlow = defineFlow<ChecklistState, ChecklistEffect>({
  name: 'checklist',
  schema: checklistState,
  // A visit record runs in the checklist state too, but the visits flow takes it (src/visits/flow.ts).
  owns: (flow): flow is ChecklistState => flow.flow === 'checklist' && !isVisitRecordCampaign(flow.campaignId),
  actions: { entry: ['open', 'list'], step: CHECKLIST_STEP_ACTIONS },
  words,
  effects: responseEffects,
  // A postback that opens a checklist names its campaign: load that response's answers in the same query (and
  // last term's answers when it is a school's term self-assessment). A typed text may open one too (a number,
  // เริ่ม, title words): the started responses' answers, loaded only at home.
  load: [checklistLoad, startedLoad],
  prepare(input) {
    if (input.kind === 'text') return { load: { startedAnswers: true } };
    if (input.kind !== 'postback') return null;
    const c = parsePostbackData(input.data)?.fields.get('c');
    return c === undefined || c === null ? null : { load: { focusCampaign: c } };
  },
  // Opening a checklist or the list works from anywhere, including from inside another checklist.
  enter(state, input, ctx) {
    const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
    const reply = () => ({ state, replies: checklistList(checklistCtx(ctx)), effects: [] });
    if (pb !== null && (pb.seq === undefined || pb.seq === state.seq)) {
      if (pb.action === 'open') return openCampaign(state, pb.fields.get('c') ?? '', checklistCtx(ctx), menuFn(ctx));
      if (pb.action === 'list') return reply();
    }
    if (input.kind !== 'text') return null;
    if (isWord(wordSet, input.text)) return reply();
    const start = state.flow.flow === 'home' ? typedStart(input.text, checklistCtx(ctx)) : null;
    if (start === null) return null;
    return start === 'list' ? reply() : openTyped(state, start, ctx);
  },
  // Words of an open checklist's title, at the list or the menu, once no flow took them: one match opens it (as a
  // number would), several are offered as quick replies.
  fallback(state, input, ctx) {
    if (state.flow.flow !== 'home') return null;
    const found = byTitleWords(input.text, ctx.checklists.open);
    const [only] = found;
    if (only === undefined) return null;
    if (found.length === 1) {
      const c = openable(only, checklistCtx(ctx));
      return c === 'list'
        ? { state, replies: checklistList(checklistCtx(ctx)), effects: [] }
        : openTyped(state, c, ctx);
    }
    const choices = found.map((c) => quickPostback(c.title, postbackData('open', { c: c.campaignId }), c.title));
    return { state, replies: [textMessage(msg.checklist.whichTitle(found.length), choices)], effects: [] };
  },
  step(state, input, ctx, cmd) {
    if (input.kind === 'follow') return null;
    return runChecklist(state, input, cmd, checklistCtx(ctx), menuFn(ctx));
  },
  resume: (state, ctx, before) => resumeChecklist(state, checklistCtx(ctx), menuFn(ctx), before),
});
