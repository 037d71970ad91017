// Yes/no: two buttons, or "ใช่ครับ" / "ไม่" typed.
import { ck } from '../../i18n/checklist.th.js';
import type { AnswerableItem } from '../definition.js';
import { parseYesNo } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';

type YesNo = Extract<AnswerableItem, { type: 'yes_no' }>;

export const yesNo: ItemKind<YesNo> = {
  prompt: (_item, c) => ({
    lines: [ck.hintYesNo],
    quick: [answerButton(c, ck.yes, 'yes'), answerButton(c, ck.no, 'no')],
  }),
  parse: (_item, text) => parseYesNo(text),
  tap: (_item, v) => parseYesNo(v === 'yes' ? ck.yes : v === 'no' ? ck.no : v),
  fromDefault: (_item, raw) => raw,
  display: (_item, value) => (value === 'yes' ? ck.yes : ck.no),
  cell: (_item, value) => (value === 'yes' ? ck.yes : ck.no),
};
