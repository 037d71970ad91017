// The visit flow's prompts and the rules they show (./chat.ts runs the steps): ranking the supervisor's schools,
// the examples of a typed date, the clash, weekend and holiday flags, and each planning step's question.
import type { Effect } from '../conversation/effects.js';
import type { ConversationState, Flow } from '../conversation/state.js';
import type { PersonView } from '../conversation/types.js';
import type { ChecklistCtx, RunnerResult } from '../checklists/runner.js';
import { type WhenExamples } from '../i18n/visits.th.js';
import { publicHolidays } from '../calendar/holidays.js';
import {
  LIMITS,
  type Message,
  postbackData,
  quickPostback,
  type QuickReplyItem,
  textMessage,
} from '../line/messages.js';
import { localDate, thaiCalendarDate, thaiCalendarLongDate, thaiShortDate, thaiTime } from '../time/thai.js';
import type { LoadedVisits, VisitSchool } from './visits.queries.js';
import { addDays } from '../time/zone.js';
import { when } from './reminders.js';
import type { IdSlot } from '../ids/row-id.js';
import { msg } from '../i18n/msg.js';

export type VisitFlow = Extract<Flow, { flow: 'visit' }>;

export interface VisitCtx {
  now: number;
  timeZone: string;
  person: PersonView;
  visits: LoadedVisits;
  checklists: ChecklistCtx;
  /** The id of a row this turn creates, derived from the turn's event (src/ids/row-id.ts). */
  newId: (slot: IdSlot) => string;
}

const CLASH_WINDOW_MS = 2 * 3_600_000;
export const PURPOSE_MAX = 300;

export const result = (state: ConversationState, replies: Message[], effects: Effect[] = []): RunnerResult => ({
  state,
  replies: replies.slice(0, LIMITS.messagesPerReply),
  effects,
});
export const toVisit = (state: ConversationState, flow: VisitFlow): ConversationState => ({
  ...state,
  seq: state.seq + 1,
  flow,
});
export const home = (state: ConversationState): ConversationState => ({
  ...state,
  seq: state.seq + 1,
  flow: { flow: 'home' },
});

// ── Ranking the supervisor's schools ──

/**
 * Most due first: days since the last visit (never visited counts as a year), plus weight for risk: each standard
 * below target 30 days, each overdue school checklist 15, each open follow-up 10. Schools with a visit already
 * planned ahead go last. Ties by name, so the order is stable.
 */
export function rankSchools(schools: VisitSchool[], now: number): VisitSchool[] {
  return [...schools].sort(
    (a, b) =>
      Number(a.nextVisitAt !== null) - Number(b.nextVisitAt !== null) ||
      score(b, now) - score(a, now) ||
      a.name.localeCompare(b.name, 'th'),
  );
}

const score = (s: VisitSchool, now: number) =>
  Math.min(365, s.lastVisitAt === null ? 365 : (now - s.lastVisitAt) / 86_400_000) +
  30 * s.belowTarget +
  15 * s.overdue +
  10 * s.openActions;

/** Examples of a typed date a week ahead (a weekday), so an example is never a day already past. */
export function whenExamples(now: number, tz: string): WhenExamples {
  let day = addDays(localDate(now, tz), 7);
  while (weekday(day) === 0 || weekday(day) === 6) day = addDays(day, 1);
  const [y, m, d] = day.split('-').map(Number);
  return {
    numeric: `${d ?? ''}/${m ?? ''}/${(y ?? 0) + 543}`,
    short: thaiCalendarDate(day).split(' ').slice(0, 2).join(' '),
  };
}

/** 0 Sunday … 6 Saturday, of a calendar date (YYYY-MM-DD). */
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

// ── Prompts ──

export function schoolPrompt(state: ConversationState, c: VisitCtx, pre: Message[] = []): RunnerResult {
  const ranked = rankSchools(c.visits.schools, c.now);
  const risksOf = (s: VisitSchool) => [
    ...(s.belowTarget > 0 ? [msg.visits.riskBelow(s.belowTarget)] : []),
    ...(s.overdue > 0 ? [msg.visits.riskOverdue(s.overdue)] : []),
    ...(s.openActions > 0 ? [msg.visits.riskActions(s.openActions)] : []),
  ];
  const lines = ranked.map((s, i) => {
    const risks = risksOf(s);
    // Never visited: every such school starts from the same year, so say what else put it here.
    const tied = ranked.some(
      (o) => o !== s && o.nextVisitAt === null && score(o, c.now) === score(s, c.now) && s.nextVisitAt === null,
    );
    return msg.visits.schoolLine(i + 1, {
      name: s.name,
      kind: s.kind,
      area: s.learningArea,
      last: s.lastVisitAt === null ? null : thaiShortDate(s.lastVisitAt, c.timeZone),
      next: s.nextVisitAt === null ? null : thaiShortDate(s.nextVisitAt, c.timeZone),
      risks,
      why: s.lastVisitAt === null ? msg.visits.rankReason({ planned: s.nextVisitAt !== null, risks, tied }) : null,
    });
  });
  const next = toVisit(state, { flow: 'visit', step: 'school' });
  const quick = ranked
    .slice(0, 12)
    .map((s, i) =>
      quickPostback(
        `${i + 1}. ${s.name.replace(/^โรงเรียน/u, '')}`,
        postbackData('vsch', { sc: s.id }, next.seq),
        s.name,
      ),
    );
  return result(next, [...pre, textMessage([msg.visits.pickSchool(ranked.length), ...lines].join('\n'), quick)]);
}

export function whenPrompt(state: ConversationState, flow: VisitFlow, c: VisitCtx, pre: Message[] = []): RunnerResult {
  const next = toVisit(state, { ...flow, step: 'when' });
  const school = schoolName(c, flow.schoolId);
  const today = localDate(c.now, c.timeZone);
  // A follow-up date from the visit record, still ahead, is the picker's first day and a button of its own.
  const on = flow.followUpOn !== undefined && flow.followUpOn > today ? flow.followUpOn : undefined;
  const quick: QuickReplyItem[] = [
    ...(on === undefined
      ? []
      : [quickPostback(msg.visits.followUpDateAt(thaiCalendarDate(on)), postbackData('vwhen', { d: on }, next.seq))]),
    {
      type: 'action',
      action: {
        type: 'datetimepicker',
        label: msg.visits.pickDateTime,
        data: postbackData('vwhen', {}, next.seq),
        mode: 'datetime',
        initial: `${on ?? addDays(today, 1)}T09:00`,
        min: `${today}T00:00`,
      },
    },
  ];
  const ex = whenExamples(c.now, c.timeZone);
  const ask =
    on === undefined
      ? msg.visits.askWhen(school, ex)
      : msg.visits.askWhenFollowUp(school, thaiCalendarLongDate(on), ex);
  return result(next, [...pre, textMessage(ask, quick)]);
}

export function purposePrompt(state: ConversationState, flow: VisitFlow, pre: Message[] = []): RunnerResult {
  const next = toVisit(state, { ...flow, step: 'purpose' });
  const suggestion = flow.followUpOf === undefined ? null : msg.visits.purposeFollowUp;
  const quick =
    suggestion === null ? [] : [quickPostback(suggestion, postbackData('vre', { p: 'f' }, next.seq), suggestion)];
  return result(next, [...pre, textMessage(msg.visits.askPurpose(suggestion), quick)]);
}

/** Clashes with the supervisor's other planned visits, and office holidays on that local day. */
export function flags(c: VisitCtx, startsAt: number, except: string | undefined): string[] {
  const out: string[] = [];
  for (const v of c.visits.visits) {
    if (v.id === except || v.status !== 'planned' || v.supervisorId !== c.person.id) continue;
    if (Math.abs(v.startsAt - startsAt) < CLASH_WINDOW_MS)
      out.push(msg.visits.clash(v.schoolName, thaiTime(v.startsAt, c.timeZone)));
  }
  const day = localDate(startsAt, c.timeZone);
  const wd = weekday(day);
  if (wd === 0 || wd === 6) out.push(msg.visits.weekend(wd === 0 ? 'วันอาทิตย์' : 'วันเสาร์'));
  const office = c.visits.holidays.filter((h) => h.from <= day && day <= h.to);
  for (const h of office) out.push(msg.visits.holiday(h.title));
  // The public holidays the calendar page pre-fills, for an office that has not saved its calendar's holidays yet.
  if (office.length === 0)
    for (const h of publicHolidays(Number(day.slice(0, 4))).holidays)
      if (h.date === day) out.push(msg.visits.publicHoliday(h.nameTh));
  return out;
}

export function confirmPrompt(
  state: ConversationState,
  flow: VisitFlow,
  c: VisitCtx,
  pre: Message[] = [],
): RunnerResult {
  const next = toVisit(state, { ...flow, step: 'confirm' });
  const startsAt = flow.startsAt ?? c.now;
  const text = [
    msg.visits.confirm({
      school: schoolName(c, flow.schoolId),
      when: when(startsAt, c.timeZone),
      purpose: flow.purpose ?? '',
      moving: flow.visitId !== undefined,
    }),
    ...flags(c, startsAt, flow.visitId),
  ].join('\n');
  return result(next, [
    ...pre,
    textMessage(text, [
      quickPostback(msg.visits.confirmYes, postbackData('vok', {}, next.seq), msg.visits.confirmYes),
      quickPostback(msg.visits.changeTime, postbackData('vre', { p: 'w' }, next.seq), msg.visits.changeTime),
    ]),
  ]);
}

export const schoolName = (c: VisitCtx, id: string | undefined) =>
  c.visits.schools.find((s) => s.id === id)?.name ?? c.visits.visits.find((v) => v.schoolId === id)?.schoolName ?? '';
