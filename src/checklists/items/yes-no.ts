// Yes/no: two buttons, or "ใช่ครับ" / "ไม่" typed.
import type { AnswerableItem } from '../definition.js';
import { parseYesNo } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type YesNo = Extract<AnswerableItem, { type: 'yes_no' }>;

export const yesNo: ItemKind<YesNo> = {
  prompt: (_item, c) => ({
    lines: [msg.checklist.hintYesNo],
    quick: [answerButton(c, msg.checklist.yes, 'yes'), answerButton(c, msg.checklist.no, 'no')],
  }),
  parse: (_item, text) => parseYesNo(text),
  tap: (_item, v) => parseYesNo(v === 'yes' ? msg.checklist.yes : v === 'no' ? msg.checklist.no : v),
  fromDefault: (_item, raw) => raw,
  display: (_item, value) => (value === 'yes' ? msg.checklist.yes : msg.checklist.no),
  cell: (_item, value) => (value === 'yes' ? msg.checklist.yes : msg.checklist.no),
};
