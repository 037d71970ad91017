// What starts the visits flow: its typed words and its postback actions (src/visits/flow.ts declares them to the
// registry), and whether an input needs the turn's visit block.
import type { Input } from '../conversation/input.js';
import { isWord } from '../conversation/normalize.js';
import { parsePostbackData } from '../line/messages.js';

/** Typed commands that start visit work (outside a running checklist). */
const planWords = new Set(['นัดนิเทศ', 'นัดหมายนิเทศ', 'วางแผนนิเทศ', 'plan visit', 'นัดนิเทศใหม่']);
const listWords = new Set(['ตารางนิเทศ', 'การนิเทศ', 'นิเทศ', 'นัดของฉัน', 'visits', 'my visits']);
const recordWords = new Set(['บันทึกนิเทศ', 'บันทึกผลนิเทศ', 'บันทึกการนิเทศ', 'บันทึกผลการนิเทศ', 'record visit']);
const ackWords = new Set(['รับทราบ', 'รับทราบผลการนิเทศ', 'acknowledge']);
/** Postback actions of this feature. */
export const VISIT_ACTIONS = new Set([
  'vplan',
  'vlist',
  'vsch',
  'vwhen',
  'vok',
  'vre',
  'vrec',
  'vmove',
  'vcancel',
  'vcx',
  'vfollow',
  'vack',
  'vcom',
  'vdone',
]);

/** Postback actions of the planning, rescheduling and cancelling steps: always sent with the step token. */
export const VISIT_STEP_ACTIONS = ['vsch', 'vwhen', 'vok', 'vre', 'vcx'] as const;

/** Every typed word that starts visit work (for the registry's word table). */
export const visitWords = [...planWords, ...listWords, ...recordWords, ...ackWords];

export function visitCommand(text: string): 'plan' | 'list' | 'record' | 'ack' | null {
  if (isWord(planWords, text)) return 'plan';
  if (isWord(listWords, text)) return 'list';
  if (isWord(recordWords, text)) return 'record';
  if (isWord(ackWords, text)) return 'ack';
  return null;
}

/** Whether loadTurn should load the visit block for this input. */
export function wantsVisitBlock(input: Input): boolean {
  if (input.kind === 'text') return visitCommand(input.text) !== null;
  if (input.kind === 'postback') {
    const a = parsePostbackData(input.data)?.action;
    return a !== undefined && VISIT_ACTIONS.has(a);
  }
  return false;
}
