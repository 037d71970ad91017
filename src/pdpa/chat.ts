// PDPA rights in chat. "ขอสำเนาข้อมูลของฉัน" is a read answered in turn.ts (one extra query, audited);
// "ลบข้อมูลของฉัน" explains erasure and waits for a confirmation (button with step token, or "ยืนยันลบ").
// Confirming emits the erasePerson effect and resets the conversation; anything else cancels.
import { commandKey, isWord } from '../conversation/normalize.js';
import type { Input } from '../conversation/input.js';
import type { Step } from '../conversation/flow.js';
import { initialState, type ConversationState, type Flow } from '../conversation/state.js';
import {
  type Message,
  parsePostbackData,
  postbackData,
  quickPostback,
  quickText,
  textMessage,
} from '../line/messages.js';
import { msg } from '../i18n/msg.js';

const copyWords = new Set(['ขอสำเนาข้อมูลของฉัน', 'ขอสำเนาข้อมูล', 'ข้อมูลของฉัน', 'my data', 'mydata']);
export const eraseWords = new Set(['ลบข้อมูลของฉัน', 'ขอลบข้อมูลของฉัน', 'delete my data', 'erase my data']);

export const isCopyRequest = (input: Input) => input.kind === 'text' && isWord(copyWords, input.text);
export const isEraseRequest = (input: Input) => input.kind === 'text' && isWord(eraseWords, input.text);

type PdpaFlow = Extract<Flow, { flow: 'pdpa' }>;
type PdpaResult = Step;

/** PDPA erasure, confirmed in chat: unlinks this LINE user and erases the name and ids; answers stay (anonymised). */
export interface PdpaEffect {
  type: 'erasePerson';
  personId: string;
  /** When the person asked (ISO); audited as 'pdpa.erase' with {requestedAt, completedAt}. */
  requestedAt: string;
}

declare module '../conversation/effects.js' {
  interface FlowEffects {
    pdpa: PdpaEffect;
  }
}

/** The confirm button's action: always sent with the question's step token. */
export const ERASE_ACTION = 'erase';

/** The explanation and the question; the button carries the new step token. */
export function startErase(state: ConversationState, requestedAt: number): PdpaResult {
  const seq = state.seq + 1;
  return {
    state: { ...state, seq, flow: { flow: 'pdpa', step: 'confirmErase', requestedAt } },
    replies: [
      textMessage(msg.pdpa.eraseExplain, [
        quickPostback(msg.pdpa.confirmWord, postbackData(ERASE_ACTION, {}, seq), msg.pdpa.confirmWord),
        quickText(msg.pdpa.keepWord),
      ]),
    ],
    effects: [],
  };
}

/**
 * The answer to the question; anything but a confirmation cancels, back home with the caller's `menu`. A confirm
 * button from an earlier prompt never reaches here: the engine's stale guard cancels (pdpa/flow.ts resume).
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
    (input.kind === 'text' && commandKey(input.text) === msg.pdpa.confirmWord) ||
    (pb?.action === ERASE_ACTION && pb.seq === state.seq);
  if (!confirmed) return cancel(msg.pdpa.eraseCancelled);
  // The conversation starts over: the next message from this LINE user is a stranger's, shown the notice.
  return {
    state: { ...initialState(), seq: state.seq + 1 },
    replies: [textMessage(msg.pdpa.erased)],
    effects: [{ type: 'erasePerson', personId, requestedAt: new Date(state.flow.requestedAt).toISOString() }],
  };
}
