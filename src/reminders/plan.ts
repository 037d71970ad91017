// Plans the daily reminder pushes: for each person whose reminder hour has come, everything due for them on
// their local day (campaigns at 7/3/1/0 days before the due day or overdue, meetings and deadlines today or
// tomorrow, and for principals and supervisors who has not answered a campaign long overdue) in ONE outbox row.
// Planning only: the sender pushes the rows. A tick runs this every few minutes; the row's dedupe key
// ("reminder:<person>:<local day>") makes every further run that day plan nothing for that person.
import type { messagingApi } from '@line/bot-sdk';
import type { Db } from '../db/client.js';
import { postbackData } from '../line/messages.js';
import { thaiLongDate } from '../time/thai.js';
import { type ReminderRow, reminderMessage } from '../../flex-templates/reminder-card.js';
import {
  type DueItem,
  type DuePerson,
  duePeople,
  insertReminders,
  type PlannableOffice,
  type PlanWindow,
  plannableOffices,
} from './reminders.queries.js';
import { rt } from '../i18n/reminders.th.js';

export interface PlanReport {
  /** People found with something due and no reminder yet today. */
  people: number;
  /** Outbox rows inserted (one per person per local day). */
  rows: number;
  /** Follow-up items (teachers to a principal, schools to a supervisor) in the inserted rows. */
  escalations: number;
}

export interface PlanOptions {
  /** Plan one office only; all offices otherwise. */
  officeId?: string;
  /** Days before the due day (local days) on which a campaign is reminded; default [7, 3, 1, 0]. */
  offsets?: number[];
  /** N: principals hear who is missing after N overdue days, main supervisors after 2N; default 3. */
  escalateAfterDays?: number;
  /**
   * Offices are read together until their people add up to this many (an office is never split): it bounds the
   * rows held in memory at once, which matters on Workers' 128 MB. Default 20,000.
   */
  peoplePerQuery?: number;
  /** Pushes per INSERT (about 1.7 KB each): bounds the statement's size. Default 2,000. */
  rowsPerInsert?: number;
}

export const DEFAULT_OFFSETS = [7, 3, 1, 0];
export const DEFAULT_ESCALATE_AFTER_DAYS = 3;
const DEFAULT_PEOPLE_PER_QUERY = 20_000;
const DEFAULT_ROWS_PER_INSERT = 2_000;

export async function planReminders(db: Db, at: number, opts: PlanOptions = {}): Promise<PlanReport> {
  const offsets = opts.offsets ?? DEFAULT_OFFSETS;
  const escalateAfterDays = opts.escalateAfterDays ?? DEFAULT_ESCALATE_AFTER_DAYS;
  if (!Number.isFinite(at)) throw new Error('planReminders: at is not a time');
  if (!offsets.every((d) => Number.isInteger(d) && d >= 0)) throw new Error('planReminders: offsets must be days ≥ 0');
  const peoplePerQuery = opts.peoplePerQuery ?? DEFAULT_PEOPLE_PER_QUERY;
  const rowsPerInsert = opts.rowsPerInsert ?? DEFAULT_ROWS_PER_INSERT;
  for (const [name, v] of Object.entries({ escalateAfterDays, peoplePerQuery, rowsPerInsert })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`planReminders: ${name} must be a whole number ≥ 1`);
  }
  const w: PlanWindow = { at: new Date(at).toISOString(), offsets, escalateAfterDays };
  const offices = await plannableOffices(db, w, opts.officeId ?? null);
  // Thousands of people share a handful of due dates: format each once per run.
  const dates = new Map<string, string>();
  const date = (t: number, tz: string) => {
    const key = `${t}|${tz}`;
    let s = dates.get(key);
    if (s === undefined) dates.set(key, (s = thaiLongDate(t, tz)));
    return s;
  };
  const report: PlanReport = { people: 0, rows: 0, escalations: 0 };
  for (const group of groupOffices(offices, peoplePerQuery)) {
    const due = await duePeople(db, w, group);
    report.people += due.length;
    for (let start = 0; start < due.length; start += rowsPerInsert) {
      const part = due.slice(start, start + rowsPerInsert);
      const inserted = new Set(
        await insertReminders(
          db,
          w.at,
          part.map((d) => ({
            personId: d.person_id,
            officeId: d.office_id,
            channelId: d.channel_id,
            localDay: d.local_day,
            messages: [reminderFor(d, date)],
          })),
        ),
      );
      report.rows += inserted.size;
      for (const d of part) {
        if (inserted.has(d.person_id)) {
          report.escalations += d.items.filter((i) => i.k === 'teachers' || i.k === 'schools').length;
        }
      }
    }
  }
  return report;
}

/** Consecutive offices until their people reach the limit; each group is one read (then its inserts). */
export function groupOffices(offices: PlannableOffice[], peoplePerQuery: number): PlannableOffice[][] {
  const groups: PlannableOffice[][] = [];
  let current: PlannableOffice[] = [];
  let size = 0;
  for (const o of offices) {
    if (current.length > 0 && size + o.people > peoplePerQuery) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(o);
    size += o.people;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A calendar date (YYYY-MM-DD) as an instant that is that date in UTC, to format it without a time zone shift. */
const dayAt = (ymd: string) => {
  const [y = 1970, m = 1, d = 1] = ymd.split('-').map(Number);
  return Date.UTC(y, m - 1, d, 12);
};

/** Order within the card: what happens today, then what is late, then what is coming. */
function rank(i: DueItem): number {
  switch (i.k) {
    case 'event':
      return i.in === 0 ? 0 : 5;
    case 'campaign':
      return i.overdue ? 1 : 2;
    case 'teachers':
      return 3;
    case 'schools':
      return 4;
  }
}

function lateness(i: DueItem): number {
  return i.k === 'event' ? -i.in : i.late;
}

function row(i: DueItem, tz: string, date: DateFormat): ReminderRow {
  switch (i.k) {
    case 'campaign': {
      const due = rt.dueOn(date(i.due, tz));
      return {
        title: i.t,
        when: `${i.overdue ? rt.overdue(i.late) : rt.dueIn(-i.late)} · ${due}`,
        overdue: i.overdue,
        // No step token: opening a checklist is explicit and safe from any old card.
        action: { label: i.st === 'in_progress' ? rt.resume : rt.start, data: postbackData('open', { c: i.c }) },
      };
    }
    case 'event':
      return { title: i.t, when: rt.event(i.kind, i.in, date(dayAt(i.on), 'UTC')), overdue: false };
    case 'teachers':
      return {
        title: rt.teachersTitle(i.t),
        when: `${rt.overdue(i.late)} · ${rt.dueOn(date(i.due, tz))}`,
        overdue: true,
        note: rt.teachersNote(i.n, i.names),
      };
    case 'schools':
      return {
        title: rt.schoolsTitle(i.t),
        when: `${rt.overdue(i.late)} · ${rt.dueOn(date(i.due, tz))}`,
        overdue: true,
        note: rt.schoolsNote(i.schools, i.people, i.scope === 'person', i.list),
      };
  }
}

/** Writes an instant as a Thai date (Buddhist Era) in a time zone. */
export type DateFormat = (at: number, tz: string) => string;

/** The one Flex message of a person's day. Pure: no database, no clock; dates come formatted by `date`. */
export function reminderFor(
  d: Pick<DuePerson, 'items' | 'local_day' | 'time_zone'>,
  date: DateFormat = thaiLongDate,
): messagingApi.FlexMessage {
  const items = [...d.items].sort(
    (a, b) => rank(a) - rank(b) || lateness(b) - lateness(a) || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0),
  );
  return reminderMessage({
    date: date(dayAt(d.local_day), 'UTC'),
    rows: items.map((i) => row(i, d.time_zone, date)),
    listData: postbackData('list'),
    settingsData: postbackData('settings'),
  });
}
