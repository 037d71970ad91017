// A calendar day: LINE's date picker, "today", or typed in Thai (15/1/2570, 15 ม.ค. 70).
import { postbackData } from '../../line/messages.js';
import { thaiCalendarDate } from '../../time/thai.js';
import type { AnswerableItem } from '../definition.js';
import { parseThaiDate } from '../parse.js';
import { answerButton, type ItemKind, joined } from './kind.js';
import { msg } from '../../i18n/msg.js';

type DateItem = Extract<AnswerableItem, { type: 'date' }>;

export const date: ItemKind<DateItem> = {
  prompt: (_item, c) => ({
    lines: [msg.checklist.hintDate],
    quick: [
      {
        type: 'action',
        action: {
          type: 'datetimepicker',
          label: msg.checklist.pickDate,
          data: postbackData('date', {}, c.seq),
          mode: 'date',
          initial: c.today,
        },
      },
      answerButton(c, msg.checklist.today, c.today, msg.checklist.today),
    ],
  }),
  parse: (_item, text, c) => parseThaiDate(text, c.today),
  tap: (_item, v, c) => parseThaiDate(v, c.today),
  fromDefault: (_item, raw) => raw,
  display: (_item, value) => (typeof value === 'string' ? thaiCalendarDate(value) : String(value)),
  cell: (_item, value) => joined(value),
};
