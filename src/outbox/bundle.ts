// What an outbox row carries and how it becomes LINE messages. A row references a body (outbox_bodies): the frozen
// data of one person's daily bundle (item references with their titles, instants and ids as they were when
// planned), or of a digest, never rendered Flex. The sender renders each distinct body once, so a retry sends the
// same body under the same key, and everyone with the same bundle shares one multicast. Pure: no database, no clock.
import type { DigestInput } from '../../flex-templates/digest-card.js';
import { digestMessage } from '../../flex-templates/digest-card.js';
import { type ReminderRow, reminderMessage } from '../../flex-templates/reminder-card.js';
import type { SarCardInput } from '../../flex-templates/sar-card.js';
import { sarCardMessage } from '../../flex-templates/sar-card.js';
import { type EventKind } from '../i18n/reminders.th.js';
import { type Message, postbackData } from '../line/messages.js';
import { WEB_ACTION } from '../signin/chat.js';
import { localDate, thaiLongDate, thaiTime } from '../time/thai.js';
import { msg } from '../i18n/msg.js';

/** A campaign the person must still answer (due at an offset, or overdue). */
export interface CampaignItem {
  k: 'campaign';
  c: string;
  t: string;
  /** Due instant, epoch ms. */
  due: number;
  /** Local days past the due day: negative before it, 0 on it. */
  late: number;
  overdue: boolean;
  /** The person's (or school's) response so far, if started. */
  st: 'in_progress' | null;
}

/** A dated office event (meeting, deadline, report) today or tomorrow for the person's role. */
export interface EventItem {
  k: 'event';
  t: string;
  kind: EventKind;
  /** YYYY-MM-DD */
  on: string;
  /** 0 today, 1 tomorrow. */
  in: number;
}

/** To a principal: the people of their school who have not answered an overdue campaign. */
export interface TeachersItem {
  k: 'teachers';
  c: string;
  t: string;
  due: number;
  late: number;
  n: number;
  /** Up to 10, by name. */
  names: string[];
}

/** To a main supervisor: their schools still missing answers to a long-overdue campaign. */
export interface SchoolsItem {
  k: 'schools';
  c: string;
  t: string;
  due: number;
  late: number;
  scope: 'person' | 'school';
  schools: number;
  people: number;
  /** Up to 10 schools, most missing first; `n` is people missing (1 for a school-scope campaign). */
  list: { s: string; n: number }[];
}

/** A campaign announced when it opened, with its start button. */
export interface AnnounceItem {
  k: 'announce';
  c: string;
  t: string;
  due: number;
}

/** Something published to an audience: results, a report, a notice (title, a short text, an optional campaign). */
export interface NoticeItem {
  k: 'notice';
  t: string;
  text: string;
  c?: string;
  /** An agency project whose stage this reminds of: the card's button asks for a sign-in link to its web page. */
  ag?: string;
}

/** A supervision visit: to the principal and joint supervisors (planned, moved, cancelled), to its supervisor. */
export interface VisitItem {
  k: 'visit';
  v: string;
  what: 'planned' | 'moved' | 'cancelled' | 'eve' | 'morning' | 'record';
  /** School name. */
  s: string;
  /** Starts at, epoch ms. */
  at: number;
  /** Supervisor's name (to others than the supervisor). */
  sup?: string;
  /** Purpose. */
  p?: string;
  /** The pre-visit self-assessment campaign, opened by the row's button. */
  c?: string;
}

/** A follow-up agreed at a visit (ข้อตกลงจากการนิเทศ), to the school's principal, with its "done" button. */
export interface ActionItem {
  k: 'action';
  a: string;
  s: string;
  what: string;
  /** YYYY-MM-DD */
  due: string;
}

/** To a main supervisor: someone of their school submitted a checklist (the catalogue's sentence naming who, the
 * school and the checklist). */
export interface SubmittedItem {
  k: 'submitted';
  text: string;
}

/** To a visit's supervisor: the principal acknowledged the findings, or commented. */
export interface AckItem {
  k: 'ack';
  v: string;
  s: string;
  n: string;
  comment: string | null;
}

/** A message frozen as it was built (the visit summary with its buttons): it goes as its own message. */
export interface MessageItem {
  k: 'message';
  m: Message;
}

/** This week's digest: a body of its own (shared by people with the same view), sent as the bundle's 2nd message. */
export interface DigestItem {
  k: 'digest';
  b: string;
}

export type BundleItem =
  | CampaignItem
  | EventItem
  | TeachersItem
  | SchoolsItem
  | AnnounceItem
  | NoticeItem
  | VisitItem
  | ActionItem
  | SubmittedItem
  | AckItem
  | MessageItem
  | DigestItem;

/** One person's day: everything due, as data. `day` is their local day, `tz` their office's zone. */
export interface BundleBody {
  day: string;
  tz: string;
  items: BundleItem[];
}

/** A digest as data (flex-templates/digest-card.ts) with the office's SAR cards for directors. */
export interface DigestBody {
  digest: DigestInput;
  sar: SarCardInput[];
}

/** Messages as they are (rows planned before bodies existed, and tests of the sender). */
export interface MessagesBody {
  messages: Message[];
}

export type OutboxBody = BundleBody | DigestBody | MessagesBody;

/** LINE takes at most five messages per push. */
export const MAX_MESSAGES = 5;

const isBundle = (b: OutboxBody): b is BundleBody => 'items' in b;
const isDigest = (b: OutboxBody): b is DigestBody => 'digest' in b;

/** The digest bodies a body refers to, which the sender loads with it. */
export function referencedBodies(body: OutboxBody): string[] {
  return isBundle(body) ? body.items.flatMap((i) => (i.k === 'digest' ? [i.b] : [])) : [];
}

/** A calendar date (YYYY-MM-DD) as an instant that is that date in UTC, to format it without a time zone shift. */
const dayAt = (ymd: string) => {
  const [y = 1970, m = 1, d = 1] = ymd.split('-').map(Number);
  return Date.UTC(y, m - 1, d, 12);
};

const dayDiff = (a: string, b: string) => Math.round((dayAt(a) - dayAt(b)) / 86_400_000);

/** Order within the card: what happens today, then what is late, then what is coming, then what is news. */
function rank(i: BundleItem, day: string, tz: string): number {
  switch (i.k) {
    case 'visit':
      return i.what === 'record' ? 1 : dayDiff(localDate(i.at, tz), day) <= 0 ? 0 : 2;
    case 'event':
      return i.in === 0 ? 0 : 6;
    case 'campaign':
      return i.overdue ? 1 : 3;
    case 'action':
      return 1;
    case 'announce':
      return 3;
    case 'teachers':
      return 4;
    case 'schools':
      return 5;
    case 'notice':
      return 6;
    case 'submitted':
    case 'ack':
      return 7;
    case 'message':
    case 'digest':
      return 8;
  }
}

function lateness(i: BundleItem): number {
  switch (i.k) {
    case 'event':
      return -i.in;
    case 'campaign':
    case 'teachers':
    case 'schools':
      return i.late;
    case 'visit':
      return -i.at / 86_400_000;
    case 'announce':
    case 'notice':
    case 'action':
    case 'submitted':
    case 'ack':
    case 'message':
    case 'digest':
      return 0;
  }
}

const titleOf = (i: BundleItem): string => {
  switch (i.k) {
    case 'message':
    case 'digest':
      return '';
    case 'submitted':
      return i.text;
    case 'visit':
    case 'action':
    case 'ack':
      return i.s;
    case 'campaign':
    case 'event':
    case 'teachers':
    case 'schools':
    case 'announce':
    case 'notice':
      return i.t;
  }
};

/** The visit's day, relative to the bundle's: today, tomorrow, or the date; then the time. */
function visitWhen(at: number, day: string, tz: string): string {
  const d = dayDiff(localDate(at, tz), day);
  const date = d === 0 ? msg.reminders.today : d === 1 ? msg.reminders.tomorrow : thaiLongDate(at, tz);
  return `${date} ${thaiTime(at, tz)} น.`;
}

function row(i: BundleItem, day: string, tz: string): ReminderRow | null {
  switch (i.k) {
    case 'campaign': {
      const due = msg.reminders.dueOn(thaiLongDate(i.due, tz));
      return {
        title: i.t,
        when: `${i.overdue ? msg.reminders.overdue(i.late) : msg.reminders.dueIn(-i.late)} · ${due}`,
        overdue: i.overdue,
        // No step token: opening a checklist is explicit and safe from any old card.
        action: {
          label: i.st === 'in_progress' ? msg.reminders.resume : msg.reminders.start,
          data: postbackData('open', { c: i.c }),
        },
      };
    }
    case 'event':
      return { title: i.t, when: msg.reminders.event(i.kind, i.in, thaiLongDate(dayAt(i.on), 'UTC')), overdue: false };
    case 'teachers':
      return {
        title: msg.reminders.teachersTitle(i.t),
        when: `${msg.reminders.overdue(i.late)} · ${msg.reminders.dueOn(thaiLongDate(i.due, tz))}`,
        overdue: true,
        note: msg.reminders.teachersNote(i.n, i.names),
      };
    case 'schools':
      return {
        title: msg.reminders.schoolsTitle(i.t),
        when: `${msg.reminders.overdue(i.late)} · ${msg.reminders.dueOn(thaiLongDate(i.due, tz))}`,
        overdue: true,
        note: msg.reminders.schoolsNote(i.schools, i.people, i.scope === 'person', i.list),
      };
    case 'announce':
      return {
        title: msg.reminders.announceTitle(i.t),
        when: msg.reminders.dueOn(thaiLongDate(i.due, tz)),
        overdue: false,
        action: { label: msg.reminders.start, data: postbackData('open', { c: i.c }) },
      };
    case 'notice':
      return {
        title: i.t,
        when: msg.reminders.published,
        overdue: false,
        note: i.text,
        ...(i.c !== undefined
          ? { action: { label: msg.reminders.open, data: postbackData('open', { c: i.c }) } }
          : i.ag !== undefined
            ? { action: { label: msg.reminders.openOnWeb, data: postbackData(WEB_ACTION, { to: 'agency', id: i.ag }) } }
            : {}),
      };
    case 'visit': {
      const when = visitWhen(i.at, day, tz);
      switch (i.what) {
        case 'planned':
          return {
            title: msg.reminders.visitPlanned(i.s),
            when,
            overdue: false,
            note: msg.reminders.visitNote(i.sup ?? '', i.p ?? ''),
            ...(i.c === undefined
              ? {}
              : { action: { label: msg.reminders.openSelfAssessment, data: postbackData('open', { c: i.c }) } }),
          };
        case 'moved':
          return {
            title: msg.reminders.visitMoved(i.s),
            when,
            overdue: false,
            note: msg.reminders.visitNote(i.sup ?? '', ''),
          };
        case 'cancelled':
          return {
            title: msg.reminders.visitCancelled(i.s),
            when,
            overdue: true,
            note: msg.reminders.visitNote(i.sup ?? '', ''),
          };
        case 'eve':
        case 'morning':
          return { title: msg.reminders.visitReminder(i.s), when, overdue: false, note: i.p ?? '' };
        case 'record':
          return {
            title: msg.reminders.visitRecord(i.s),
            when,
            overdue: false,
            action: { label: msg.reminders.record, data: postbackData('vrec', { v: i.v }) },
          };
      }
      return null;
    }
    case 'action':
      return {
        title: msg.reminders.actionTitle(i.s),
        when: msg.reminders.actionDue(thaiLongDate(dayAt(i.due), 'UTC'), dayDiff(i.due, day)),
        overdue: dayDiff(i.due, day) < 0,
        note: i.what,
        action: { label: msg.reminders.actionDone, data: postbackData('vdone', { x: i.a }) },
      };
    case 'ack':
      return {
        title: i.comment === null ? msg.reminders.ackTitle(i.s) : msg.reminders.commentTitle(i.s),
        when: i.n,
        overdue: false,
        ...(i.comment === null ? {} : { note: i.comment }),
      };
    case 'submitted':
    case 'message':
    case 'digest':
      return null;
  }
}

/** A supervisor's submission notices of one bundle, as one row naming the schools and campaigns. */
function submittedRow(items: SubmittedItem[]): ReminderRow | null {
  if (items.length === 0) return null;
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.text, (counts.get(i.text) ?? 0) + 1);
  const lines = [...counts].map(([text, n]) => msg.reminders.submittedLine(text, n));
  return {
    title: msg.reminders.submittedTitle(items.length),
    when: msg.reminders.submittedWhen,
    overdue: false,
    note: lines.join('\n'),
  };
}

/** A frozen message's text, for a card row when a bundle has more messages than a push takes. */
function messageRow(m: Message): ReminderRow {
  const text = m.type === 'text' ? m.text : 'altText' in m ? String(m.altText) : '';
  const [first = '', ...rest] = text.split('\n');
  return { title: first, when: '', overdue: false, note: rest.join('\n') };
}

/**
 * The messages of a body: the day's card (one row per item, the submission notices folded into one), then the
 * digest and its SAR cards, then frozen messages; what does not fit in a push's five messages becomes card rows.
 * `refs` are the digest bodies the bundle refers to.
 */
export function renderBody(body: OutboxBody, refs: ReadonlyMap<string, OutboxBody> = new Map()): Message[] {
  if (!isBundle(body)) {
    if (isDigest(body)) return [digestMessage(body.digest), ...body.sar.map((s) => sarCardMessage(s))];
    return body.messages;
  }
  const { day, tz } = body;
  const digests = body.items.flatMap((i) => {
    if (i.k !== 'digest') return [];
    const ref = refs.get(i.b);
    return ref === undefined || isBundle(ref) ? [] : renderBody(ref);
  });
  const frozen = body.items.flatMap((i) => (i.k === 'message' ? [i.m] : []));
  const items = [...body.items].sort(
    (a, b) =>
      rank(a, day, tz) - rank(b, day, tz) ||
      lateness(b) - lateness(a) ||
      (titleOf(a) < titleOf(b) ? -1 : titleOf(a) > titleOf(b) ? 1 : 0),
  );
  const rows = items.flatMap((i) => row(i, day, tz) ?? []);
  const submitted = submittedRow(items.filter((i): i is SubmittedItem => i.k === 'submitted'));
  if (submitted !== null) rows.push(submitted);
  const hasCard = rows.length > 0 || frozen.length + digests.length + 1 > MAX_MESSAGES;
  const room = MAX_MESSAGES - digests.length - (hasCard ? 1 : 0);
  const asMessages = frozen.slice(0, Math.max(0, room));
  rows.push(...frozen.slice(asMessages.length).map(messageRow));
  const card =
    rows.length === 0
      ? []
      : [
          reminderMessage({
            date: thaiLongDate(dayAt(day), 'UTC'),
            rows,
            listData: postbackData('list'),
            settingsData: postbackData('settings'),
          }),
        ];
  return [...card, ...digests, ...asMessages].slice(0, MAX_MESSAGES);
}

/** Items from the database (JSON may come back as text from some drivers). */
export function parseBody(value: unknown): OutboxBody {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null) return { messages: [] };
  return parsed as OutboxBody;
}

/** A row title for logs and tests: how many items of which kinds a bundle holds. */
export function describeBody(body: OutboxBody): string {
  if (!isBundle(body)) return isDigest(body) ? 'digest' : `messages:${body.messages.length}`;
  return body.items.map((i) => i.k).join(',');
}
