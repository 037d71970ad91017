// "สรุปสัปดาห์นี้" in chat: the asker's weekly digest as of now (a director, supervisor or principal), the same
// card Monday's bundle carries, by reply. A read (src/conversation/read-actions.ts): state untouched, audited,
// nothing queued.
import { isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { type Message, textMessage } from '../line/messages.js';
import { digestMessage } from '../../flex-templates/digest-card.js';
import { digestNow } from './plan.js';
import { msg } from '../i18n/msg.js';

export const weekWords = new Set([
  'สรุปสัปดาห์นี้',
  'สรุปประจำสัปดาห์',
  'สรุปรายสัปดาห์',
  'สรุปสัปดาห์',
  'this week',
  'weekly digest',
  'digest',
]);

/** Typed only, outside flows that take text. */
export function wantsWeekDigest(input: Input, flow: string): boolean {
  return input.kind === 'text' && flow === 'home' && isWord(weekWords, input.text);
}

export async function weekDigestReply(db: Db, person: { id: string; role: Role }, now: number): Promise<Message[]> {
  if (person.role !== 'director' && person.role !== 'supervisor' && person.role !== 'principal') {
    return [textMessage(msg.digest.weekNotAllowed)];
  }
  const view = await digestNow(db, person.id, now);
  return view === undefined ? [textMessage(msg.digest.weekNotAllowed)] : [digestMessage(view)];
}
