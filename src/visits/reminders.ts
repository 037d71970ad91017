// The messages a planned visit queues for later: the supervisor's reminders (the afternoon before, the morning of,
// the record prompt) and the title of the school's pre-visit self-assessment. Pure; the planVisit and moveVisit
// effects carry them to the outbox (visit-effects.queries.ts).
import { postbackData, quickPostback, textMessage } from '../line/messages.js';
import { localDate, thaiLongDate, thaiTime } from '../time/thai.js';
import { type CalendarTerm, termOn } from '../time/term.js';
import { addDays, localInstant } from '../time/zone.js';
import type { VisitReminder } from './effects.js';
import { msg } from '../i18n/msg.js';

/** Reminder times, local: the afternoon before and the morning of the visit; the record prompt after it. */
const EVE_HOUR = 16;
const MORNING_HOUR = 7;
const RECORD_AFTER_MS = 2 * 3_600_000;

/** A visit's date and time as the chat shows them. */
export const when = (t: number, tz: string) => `${thaiLongDate(t, tz)} เวลา ${thaiTime(t, tz)} น.`;

/** The supervisor's reminders for a visit at `startsAt`: afternoon before, morning of, and the record prompt. */
export function visitReminders(
  v: { id: string; school: string; purpose: string; startsAt: number },
  tz: string,
): VisitReminder[] {
  const day = localDate(v.startsAt, tz);
  const at = when(v.startsAt, tz);
  const eve = localInstant(addDays(day, -1), EVE_HOUR, 0, tz);
  let morning = localInstant(day, MORNING_HOUR, 0, tz);
  if (morning > v.startsAt - 30 * 60_000) morning = v.startsAt - 60 * 60_000;
  let record = v.startsAt + RECORD_AFTER_MS;
  const recordHour = Number(thaiTime(record, tz).slice(0, 2));
  if (recordHour >= 19 || recordHour < 7)
    record = localInstant(addDays(localDate(record - 7 * 3_600_000, tz), 1), 8, 0, tz);
  const rec = quickPostback(msg.visits.record, postbackData('vrec', { v: v.id }), msg.visits.record);
  return [
    {
      kind: 'eve',
      notBefore: new Date(eve).toISOString(),
      messages: [textMessage(msg.visits.remindEve(v.school, at, v.purpose))],
    },
    {
      kind: 'morning',
      notBefore: new Date(morning).toISOString(),
      messages: [textMessage(msg.visits.remindMorning(v.school, at))],
    },
    {
      kind: 'record',
      notBefore: new Date(record).toISOString(),
      messages: [textMessage(msg.visits.remindRecord(v.school), [rec])],
    },
  ];
}

/**
 * The title of a school's pre-visit self-assessment for the term of a visit (by the office's calendar terms, the
 * usual split without one): campaign titles are unique per office, so every visit of that school in that term
 * uses the one campaign (opened by the first).
 */
export const selfAssessmentTitle = (school: string, startsAt: number, tz: string, terms: readonly CalendarTerm[]) => {
  const { year, term } = termOn(localDate(startsAt, tz), terms);
  return msg.visits.selfAssessmentTitle(school, term, year);
};
