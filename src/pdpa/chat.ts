// PDPA rights in chat. "ขอสำเนาข้อมูลของฉัน" is a read answered in turn.ts (one extra query, audited);
// "ลบข้อมูลของฉัน" explains erasure and waits for a confirmation (button with step token, or "ยืนยันลบ").
// Confirming emits the erasePerson effect and resets the conversation; anything else cancels.
import { commandKey, isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { Effect } from '../conversation/effects.js';
import { initialState, type ConversationState, type Flow } from '../conversation/state.js';
import { pd } from '../i18n/pdpa.th.js';
import {
  type Message,
  parsePostbackData,
  postbackData,
  quickPostback,
  quickText,
  textMessage,
} from '../line/messages.js';

const ERASE_ACTION = 'erase';

const copyWords = new Set(['ขอสำเนาข้อมูลของฉัน', 'ขอสำเนาข้อมูล', 'ข้อมูลของฉัน', 'my data', 'mydata']);
const eraseWords = new Set(['ลบข้อมูลของฉัน', 'ขอลบข้อมูลของฉัน', 'delete my data', 'erase my data']);

export const isCopyRequest = (input: Input) => input.kind === 'text' && isWord(copyWords, input.text);
export const isEraseRequest = (input: Input) => input.kind === 'text' && isWord(eraseWords, input.text);

type PdpaFlow = Extract<Flow, { flow: 'pdpa' }>;

interface PdpaResult {
  state: ConversationState;
  replies: Message[];
  effects: Effect[];
}

/** The explanation and the question; the button carries the new step token. */
export function startErase(state: ConversationState, now: number): PdpaResult {
  const seq = state.seq + 1;
  return {
    state: { ...state, seq, flow: { flow: 'pdpa', step: 'confirmErase', requestedAt: now } },
    replies: [
      textMessage(pd.eraseExplain, [
        quickPostback(pd.confirmWord, postbackData(ERASE_ACTION, {}, seq), pd.confirmWord),
        quickText(pd.keepWord),
      ]),
    ],
    effects: [],
  };
}

/**
 * The answer to the question. `home` is where a cancelled request returns (with the menu appended by the
 * caller's `menu`). A confirm button from an earlier prompt cancels rather than erases.
 */
export function runErase(
  state: ConversationState & { flow: PdpaFlow },
  personId: string,
  input: Input,
  menu: () => Message[],
): PdpaResult {
  const cancel = (why: string): PdpaResult => ({
    state: { ...state, flow: { flow: 'home' } },
    replies: [textMessage(why), ...menu()],
    effects: [],
  });
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  const confirmed =
    (input.kind === 'text' && commandKey(input.text) === pd.confirmWord) ||
    (pb?.action === ERASE_ACTION && pb.seq === state.seq);
  if (pb?.action === ERASE_ACTION && !confirmed) return cancel(pd.staleConfirm);
  if (!confirmed) return cancel(pd.eraseCancelled);
  // The conversation starts over: the next message from this LINE user is a stranger's, shown the notice.
  return {
    state: { ...initialState(), seq: state.seq + 1 },
    replies: [textMessage(pd.erased)],
    effects: [{ type: 'erasePerson', personId, requestedAt: new Date(state.flow.requestedAt).toISOString() }],
  };
}
