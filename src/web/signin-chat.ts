// `เข้าเว็บ` in chat: a linked admin, director or supervisor gets, by reply, a one-time link to the web pages
// (/admin/signin/<token>, 10 minutes, used once; only the token's hash is stored, by the issueSigninLink effect).
// Anyone else is told kindly that the pages are not for their role. Pure: the token, its hash and the public base
// URL are made by the caller before the turn (runTurn), as the invite code's hash is.
import { isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { ConversationState } from '../conversation/state.js';
import type { Effect } from '../conversation/effects.js';
import type { Role } from '../db/schema.js';
import { sg } from '../i18n/signin.th.js';
import { parsePostbackData, textMessage, type Message } from '../line/messages.js';

const SIGNIN_LINK_MINUTES = 10;
/** The postback a menu tile or button sends for it (`a=web`). */
const WEB_ACTION = 'web';

const words = new Set(['เข้าเว็บ', 'เข้าเว็บไซต์', 'เข้าสู่เว็บ', 'เว็บ', 'web', 'website']);

/** Whether the input asks for a sign-in link: the word typed (outside a checklist or an erasure), or the postback. */
export function wantsWebSignin(input: Input, flow?: string): boolean {
  if (input.kind === 'postback') {
    const pb = parsePostbackData(input.data);
    return pb !== null && pb.action === WEB_ACTION && pb.seq === undefined;
  }
  if (input.kind !== 'text' || flow === 'checklist' || flow === 'pdpa') return false;
  return isWord(words, input.text);
}

export interface SigninTicket {
  /** The plain token: only in the reply. */
  token: string;
  tokenHash: string;
  /** Origin the link points at, without a trailing slash. */
  baseUrl: string;
}

export function webSignin(
  state: ConversationState,
  person: { id: string; officeId: string; role: Role },
  ticket: SigninTicket | null,
  now: number,
): { state: ConversationState; replies: Message[]; effects: Effect[] } {
  const allowed = person.role === 'admin' || person.role === 'director' || person.role === 'supervisor';
  if (!allowed || ticket === null) return { state, replies: [textMessage(sg.refused)], effects: [] };
  return {
    state,
    replies: [textMessage(sg.link(`${ticket.baseUrl}/admin/signin/${ticket.token}`, SIGNIN_LINK_MINUTES))],
    effects: [
      {
        type: 'issueSigninLink',
        officeId: person.officeId,
        personId: person.id,
        tokenHash: ticket.tokenHash,
        expiresAt: new Date(now + SIGNIN_LINK_MINUTES * 60_000).toISOString(),
      },
    ],
  };
}
