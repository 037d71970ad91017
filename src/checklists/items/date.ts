// A calendar day: LINE's date picker, "today", or typed in Thai (15/1/2570, 15 ม.ค. 70).
import { ck } from '../../i18n/checklist.th.js';
import { postbackData } from '../../line/messages.js';
import { thaiCalendarDate } from '../../time/thai.js';
import type { AnswerableItem } from '../definition.js';
import { parseThaiDate } from '../parse.js';
import { answerButton, type ItemKind, joined } from './kind.js';

type DateItem = Extract<AnswerableItem, { type: 'date' }>;

export const date: ItemKind<DateItem> = {
  prompt: (_item, c) => ({
    lines: [ck.hintDate],
    quick: [
      {
        type: 'action',
        action: {
          type: 'datetimepicker',
          label: ck.pickDate,
          data: postbackData('date', {}, c.seq),
          mode: 'date',
          initial: c.today,
        },
      },
      answerButton(c, ck.today, c.today, ck.today),
    ],
  }),
  parse: (_item, text, c) => parseThaiDate(text, c.today),
  tap: (_item, v, c) => parseThaiDate(v, c.today),
  fromDefault: (_item, raw) => raw,
  display: (_item, value) => (typeof value === 'string' ? thaiCalendarDate(value) : String(value)),
  cell: (_item, value) => joined(value),
};
