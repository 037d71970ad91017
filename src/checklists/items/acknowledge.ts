// "I have read this" (XLSForm acknowledge): one tap, or a word of assent typed; stored as XLSForm stores it, 'OK'.
import { commandKey } from '../../conversation/normalize.js';
import { ck } from '../../i18n/checklist.th.js';
import type { AnswerableItem } from '../definition.js';
import { parseYesNo } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';

type Acknowledge = Extract<AnswerableItem, { type: 'acknowledge' }>;

const ASSENT = new Set(['รับทราบ', 'รับทราบแล้ว', 'ทราบแล้ว', 'ตกลง', 'ok', 'okay']);

export const acknowledge: ItemKind<Acknowledge> = {
  prompt: (_item, c) => ({ lines: [ck.hintAcknowledge], quick: [answerButton(c, ck.acknowledge, 'OK')] }),
  parse: (_item, text) => {
    const yn = parseYesNo(text);
    return ASSENT.has(commandKey(text)) || (yn.ok && yn.value === 'yes')
      ? { ok: true, value: 'OK' }
      : { ok: false, message: ck.hintAcknowledge };
  },
  tap: (_item, v) => (v === 'OK' ? { ok: true, value: 'OK' } : { ok: false, message: ck.hintAcknowledge }),
  display: () => ck.acknowledged,
  cell: () => 'OK',
};
