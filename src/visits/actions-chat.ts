// "ข้อตกลงค้าง" in chat: the open follow-up actions agreed at visits, soonest due first — a supervisor's assigned
// schools, a principal's own school, a director's office. A read (src/conversation/read-actions.ts): by reply,
// state untouched, audited.
import { isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { pack } from '../digests/names.js';
import { type Message, textMessage } from '../line/messages.js';
import { thaiCalendarDate } from '../time/thai.js';
import { openActionsFor } from './visits.queries.js';
import { msg } from '../i18n/msg.js';

/** Rows fetched: more than five texts hold, so "และอีก N" is exact from `total`. */
const LIMIT = 300;

export const actionWords = new Set([
  'ข้อตกลงค้าง',
  'ข้อตกลง',
  'ติดตามข้อตกลง',
  'ข้อตกลงที่ต้องติดตาม',
  'ติดตามผล',
  'follow-ups',
  'follow ups',
  'actions',
]);

/** Typed only, outside flows that take text. */
export function wantsDueActions(input: Input, flow: string): boolean {
  return input.kind === 'text' && flow === 'home' && isWord(actionWords, input.text);
}

export async function dueActionsReply(
  db: Db,
  person: { id: string; role: Role; officeId: string },
  schoolId: string | null,
  now: number,
): Promise<Message[]> {
  if (person.role !== 'supervisor' && person.role !== 'principal' && person.role !== 'director') {
    return [textMessage(msg.visits.dueActionsNotAllowed)];
  }
  const rows = await openActionsFor(db, { ...person, schoolId }, new Date(now).toISOString(), LIMIT);
  const total = rows[0]?.total ?? 0;
  if (total === 0) return [textMessage(msg.visits.dueActionsNone)];
  const body = rows.map((r) => ({
    text: msg.visits.dueActionLine({
      ...r,
      school: person.role === 'principal' ? null : r.school,
      due: r.due === null ? null : thaiCalendarDate(r.due),
    }),
    item: true,
  }));
  return pack(msg.visits.dueActionsHeader(total), body, total, msg.visits.unitAction);
}
