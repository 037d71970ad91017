// "I have read this" (XLSForm acknowledge): one tap, or a word of assent typed; stored as XLSForm stores it, 'OK'.
import { commandKey } from '../../conversation/normalize.js';
import type { AnswerableItem } from '../definition.js';
import { parseYesNo } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type Acknowledge = Extract<AnswerableItem, { type: 'acknowledge' }>;

const ASSENT = new Set(['รับทราบ', 'รับทราบแล้ว', 'ทราบแล้ว', 'ตกลง', 'ok', 'okay']);

export const acknowledge: ItemKind<Acknowledge> = {
  prompt: (_item, c) => ({
    lines: [msg.checklist.hintAcknowledge],
    quick: [answerButton(c, msg.checklist.acknowledge, 'OK')],
  }),
  parse: (_item, text) => {
    const yn = parseYesNo(text);
    return ASSENT.has(commandKey(text)) || (yn.ok && yn.value === 'yes')
      ? { ok: true, value: 'OK' }
      : { ok: false, message: msg.checklist.hintAcknowledge };
  },
  tap: (_item, v) => (v === 'OK' ? { ok: true, value: 'OK' } : { ok: false, message: msg.checklist.hintAcknowledge }),
  display: () => msg.checklist.acknowledged,
  cell: () => 'OK',
};
