// Recording a visit with the visit form: the checklist runner asks the questions (the response's subject is the
// visit); on submit this adds what a visit needs: the visit marked done with its decision, the agreed actions as
// the school's follow-ups with reminders to the principal, the Flex summary for the principal to acknowledge, and,
// for a "not yet" decision or a follow-up date in the form, the offer to plan a follow-up visit (on that date).
import type { Effect } from '../conversation/effects.js';
import type { Input } from '../conversation/input.js';
import type { ConversationState } from '../conversation/state.js';
import type { GlobalCommand } from '../conversation/types.js';
import {
  type AnswerMap,
  answerKey,
  displayAnswer,
  getAnswer,
  RATING_LEVELS,
  repeatState,
} from '../checklists/answers.js';
import type { Definition } from '../checklists/definition.js';
import {
  type ChecklistCtx,
  type ChecklistFlow,
  resumeChecklist,
  runChecklist,
  type RunnerResult,
} from '../checklists/runner.js';
import { visitIdOfCampaign } from '../checklists/system-campaign.js';
import { clip, LIMITS, type Message, postbackData, quickPostback, textMessage } from '../line/messages.js';
import { localDate, thaiCalendarLongDate, thaiLongDate, thaiShortDate, thaiTime } from '../time/thai.js';
import { visitSummaryBubble } from '../../flex-templates/visit-cards.js';
import type { VisitCtx } from './prompts.js';
import { addDays, localInstant } from '../time/zone.js';
import { msg } from '../i18n/msg.js';

/** Edits to a submitted record are allowed for this long after the visit. */
const RECORD_EDIT_MS = 30 * 86_400_000;
const ACTION_REMINDER_HOUR = 8;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const visitIdOf = (flow: ChecklistFlow): string | null => visitIdOfCampaign(flow.campaignId);

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The visit stands in for a campaign: the runner needs its response and how long edits are allowed. */
function recordCtx(flow: ChecklistFlow, c: VisitCtx) {
  const visitId = visitIdOf(flow) ?? '';
  const v = c.visits.visits.find((x) => x.id === visitId && x.supervisorId === c.person.id && x.status !== 'cancelled');
  const cks: ChecklistCtx = {
    ...c.checklists,
    open:
      v === undefined
        ? c.checklists.open
        : [
            ...c.checklists.open,
            {
              campaignId: flow.campaignId,
              checklistId: flow.checklistId,
              title: v.schoolName,
              scope: 'person',
              dueAt: v.startsAt + RECORD_EDIT_MS,
              responseId: v.responseId,
              status: v.responseStatus,
            },
          ],
    assignedSchools:
      v === undefined || c.checklists.assignedSchools.some((s) => s.id === v.schoolId)
        ? c.checklists.assignedSchools
        : [...c.checklists.assignedSchools, { id: v.schoolId, name: v.schoolName }],
  };
  return { v, cks };
}

/** The record's current question again, after `before` (the engine's stale-button message). */
export function resumeVisitChecklist(
  state: ConversationState & { flow: ChecklistFlow },
  c: VisitCtx,
  menu: () => Message[],
  before: Message[],
): RunnerResult {
  return resumeChecklist(state, recordCtx(state.flow, c).cks, menu, before);
}

export function runVisitChecklist(
  state: ConversationState & { flow: ChecklistFlow },
  input: Exclude<Input, { kind: 'follow' | 'unfollow' }>,
  cmd: GlobalCommand | null,
  c: VisitCtx,
  menu: () => Message[],
): RunnerResult {
  const { v, cks } = recordCtx(state.flow, c);
  const out = runChecklist(state, input, cmd, cks, menu);
  const submitted = out.effects.find((e) => e.type === 'submitResponse');
  if (v === undefined || submitted?.type !== 'submitResponse') return out;
  const def = cks.definitions.get(state.flow.checklistId);
  if (def === undefined) return out;
  const answers: AnswerMap = { ...cks.answers };
  for (const x of submitted.calculated) answers[answerKey(x.key, x.repeat)] = x.value;
  for (const x of submitted.removed) delete answers[answerKey(x.key, x.repeat)];
  const decision = answers[answerKey('decision', 0)];
  const d = decision === 'achieved' || decision === 'not_yet' ? decision : null;
  const actions = actionsOf(def, answers);
  const effect: Effect = {
    type: 'completeVisit',
    visitId: v.id,
    supervisorId: c.person.id,
    responseId: submitted.responseId,
    decision: d,
    actions,
    principalMessages: [
      summaryMessage(def, answers, { ...v, supervisor: c.person.name }, c.timeZone, c.visits.self?.ratings ?? {}),
    ],
    actionReminders: actions.flatMap((a) => {
      if (a.dueOn === null) return [];
      let at = localInstant(addDays(a.dueOn, -1), ACTION_REMINDER_HOUR, 0, c.timeZone);
      if (at <= c.now) at = localInstant(a.dueOn, ACTION_REMINDER_HOUR, 0, c.timeZone);
      if (at <= c.now) return [];
      return [
        {
          position: a.position,
          notBefore: new Date(at).toISOString(),
        },
      ];
    }),
  };
  // The follow-up date written in the form (next_visit), still ahead, pre-fills the follow-up's planning; a date
  // alone offers the planning even when the decision is not "not yet".
  const nextVisit = answers[answerKey('next_visit', 0)];
  const nextOn =
    typeof nextVisit === 'string' && ISO_DATE.test(nextVisit) && nextVisit > localDate(c.now, c.timeZone)
      ? nextVisit
      : null;
  const followUp =
    (d === 'not_yet' || nextOn !== null) && !state.flow.editing
      ? [
          textMessage(
            [
              ...(d === 'not_yet' ? [msg.visits.recordedFollowUp(v.schoolName)] : []),
              ...(nextOn === null ? [] : [msg.visits.recordedNextVisit(v.schoolName, thaiCalendarLongDate(nextOn))]),
            ].join('\n'),
            [
              quickPostback(
                msg.visits.planFollowUp,
                postbackData('vfollow', nextOn === null ? { v: v.id } : { v: v.id, d: nextOn }),
                msg.visits.planFollowUp,
              ),
            ],
          ),
        ]
      : [];
  return {
    ...out,
    replies: [...out.replies, ...followUp].slice(0, LIMITS.messagesPerReply),
    effects: [...out.effects, effect],
  };
}

function actionsOf(
  def: Definition,
  answers: AnswerMap,
): { position: number; what: string; owner: string | null; dueOn: string | null }[] {
  const rep = def.items.find((i) => i.type === 'repeat' && i.key === 'actions');
  if (rep?.type !== 'repeat') return [];
  const n = repeatState(answers, rep).count;
  const out: { position: number; what: string; owner: string | null; dueOn: string | null }[] = [];
  for (let r = 1; r <= n; r++) {
    const what = text(getAnswer(answers, 'action_what', r));
    if (what === null) continue;
    const due = getAnswer(answers, 'action_due', r);
    out.push({
      position: r,
      what,
      owner: text(getAnswer(answers, 'action_owner', r)),
      dueOn: typeof due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(due) ? due : null,
    });
  }
  return out;
}

/** A rating on the findings card: the supervisor's level, then the school's own and the gap when it rated it. */
function ratingWithSelf(key: string, shown: string, answers: AnswerMap, self: Record<string, number>): string {
  const mine = answers[answerKey(key, 0)];
  const own = self[key];
  if (typeof mine !== 'number' || own === undefined) return shown;
  return msg.visits.ratingWithSelf(shown, own, mine - own);
}

/** The principal's summary of a recorded visit, with the acknowledge and comment buttons. */
function summaryMessage(
  def: Definition,
  answers: AnswerMap,
  v: { id: string; schoolName: string; startsAt: number; supervisor: string },
  tz: string,
  /** The school's own ratings by item key: shown beside the supervisor's, with the gap. */
  self: Record<string, number> = {},
): Message {
  const level = RATING_LEVELS.find((l) => l.value === answers[answerKey('overall_level', 0)]);
  const decision = answers[answerKey('decision', 0)];
  // The photos as a count, not thumbnails: this card reaches the principal in a later bundle and is read for
  // weeks, while a thumbnail URL lives a day (src/checklists/thumbs.ts); a picture that stops loading says less
  // than the count. The photos themselves are on the school's page of the web workspace, for readers in scope.
  const photos = answers[answerKey('evidence', 0)];
  const ratings = def.items.flatMap((i) =>
    i.type === 'rating' && answers[answerKey(i.key, 0)] !== undefined && answers[answerKey(i.key, 0)] !== null
      ? [
          {
            label: i.label.th.split(':')[0] ?? i.label.th,
            level: ratingWithSelf(i.key, displayAnswer(i, answers[answerKey(i.key, 0)]), answers, self),
          },
        ]
      : [],
  );
  const bubble = visitSummaryBubble({
    title: msg.visits.summaryTitle,
    school: v.schoolName,
    when: `${thaiLongDate(v.startsAt, tz)} ${thaiTime(v.startsAt, tz)} น.`,
    supervisor: v.supervisor,
    overall: level === undefined ? null : `${level.value} ${level.th}`,
    decision:
      decision === 'achieved' ? msg.visits.decisionAchieved : decision === 'not_yet' ? msg.visits.decisionNotYet : null,
    ratings,
    strengths: text(answers[answerKey('strengths', 0)]),
    improve: text(answers[answerKey('improve', 0)]),
    suggestions: text(answers[answerKey('suggestions', 0)]),
    photos: Array.isArray(photos) ? photos.length : 0,
    actions: actionsOf(def, answers).map((a) => ({
      what: a.what,
      owner: a.owner,
      due: a.dueOn === null ? null : thaiShortDate(Date.parse(`${a.dueOn}T12:00:00Z`), tz),
    })),
    buttons: [
      { label: msg.visits.acknowledge, data: postbackData('vack', { v: v.id }) },
      { label: msg.visits.comment, data: postbackData('vcom', { v: v.id }) },
    ],
  });
  return {
    type: 'flex',
    altText: clip(`${msg.visits.summaryAlt(v.schoolName)} (${localDate(v.startsAt, tz)})`, LIMITS.altText),
    contents: bubble,
  };
}
