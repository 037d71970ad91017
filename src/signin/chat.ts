// `เข้าเว็บ` in chat: a linked admin, director, supervisor or outside committee member gets, by reply, a one-time
// link to the web pages (/admin/signin/<token>, 10 minutes, used once; only the token's hash is stored, by the
// issueSigninLink effect).
// `รายงาน` gives the same link landing on the office's reports page (`?to=reports`); an agency stage's reminder
// button (`a=web&to=agency&id=…`) one landing on that project's page (`?to=agency&id=…`). Anyone else is told kindly
// that the pages are not for their role. Pure: the token, its hash and the public base
// URL are made by the caller before the turn (runTurn), as the invite code's hash is.
import { isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { ConversationState } from '../conversation/state.js';
import type { Step } from '../conversation/flow.js';
import type { Role } from '../db/schema.js';
import { isUuid } from '../ids/uuid.js';
import { parsePostbackData, textMessage } from '../line/messages.js';
import { msg } from '../i18n/msg.js';

const SIGNIN_LINK_MINUTES = 10;
/** The postback a menu tile or button sends for it (`a=web`). */
export const WEB_ACTION = 'web';

/** A one-time web sign-in link for this person: only the token's hash is stored (signin.queries.ts). */
export interface SigninEffect {
  type: 'issueSigninLink';
  officeId: string;
  personId: string;
  tokenHash: string;
  expiresAt: string;
}

declare module '../conversation/effects.js' {
  interface FlowEffects {
    signin: SigninEffect;
  }
}

const linkWords = ['เข้าเว็บ', 'เข้าเว็บไซต์', 'เข้าสู่เว็บ', 'เว็บ', 'web', 'website'] as const;
/** `รายงาน`: the same link, landing on the office's reports page (src/web/pages/reports.tsx). */
const reportLinkWords = ['รายงาน', 'รายงานผล', 'รายงานการนิเทศ', 'ขอรายงาน', 'report', 'reports'] as const;
/** Every word that asks for a link (for the registry's word table). */
export const signinWords = [...linkWords, ...reportLinkWords];
const words = new Set<string>(linkWords);
const reportWords = new Set<string>(reportLinkWords);

/**
 * Where a sign-in link lands: the office list (the pages' home), the reports page, or one agency project's page (the
 * button of a stage's reminder: the stage ends there, where its next owner and dates are named).
 */
export type SigninTarget = 'home' | 'reports' | { agency: string };

/** The link's landing page, if the input asks for one: the word typed (outside a flow that takes text), or the postback. */
export function signinTarget(input: Input, flow?: string): SigninTarget | null {
  if (input.kind === 'postback') {
    const pb = parsePostbackData(input.data);
    if (pb === null || pb.action !== WEB_ACTION || pb.seq !== undefined) return null;
    const to = pb.fields.get('to');
    const id = pb.fields.get('id') ?? '';
    if (to === 'agency' && isUuid(id)) return { agency: id };
    return to === 'reports' ? 'reports' : 'home';
  }
  if (input.kind !== 'text' || flow === 'checklist' || flow === 'pdpa') return null;
  if (isWord(words, input.text)) return 'home';
  // A visit's purpose is free text: "รายงาน" there is an answer, not a request.
  return flow !== 'visit' && isWord(reportWords, input.text) ? 'reports' : null;
}

/** Whether the input asks for a sign-in link (see signinTarget). */
export function wantsWebSignin(input: Input, flow?: string): boolean {
  return signinTarget(input, flow) !== null;
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
  target: SigninTarget = 'home',
): Step {
  // A committee member from outside (role committee) gets the committee's pages only; the session checks they are
  // still on the committee.
  const allowed =
    person.role === 'admin' ||
    person.role === 'director' ||
    person.role === 'supervisor' ||
    person.role === 'committee';
  if (!allowed || ticket === null) return { state, replies: [textMessage(msg.signin.refused)], effects: [] };
  const url = `${ticket.baseUrl}/admin/signin/${ticket.token}`;
  return {
    state,
    replies: [
      textMessage(
        // The committee's summary is on its own page: a member's link lands there whatever they asked for.
        person.role === 'committee' || target === 'home'
          ? msg.signin.link(url, SIGNIN_LINK_MINUTES)
          : target === 'reports'
            ? msg.signin.reportsLink(`${url}?to=reports`, SIGNIN_LINK_MINUTES)
            : msg.signin.agencyLink(`${url}?to=agency&id=${target.agency}`, SIGNIN_LINK_MINUTES),
      ),
    ],
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
