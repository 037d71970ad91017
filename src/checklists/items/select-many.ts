// Several choices: ticked one tap at a time (the draft lives in the flow) and confirmed with "เสร็จ", or typed
// as numbers or labels ("1, 3 และ 5").
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import { parseChoices } from '../parse.js';
import { type ItemKind } from './kind.js';
import { choiceLabel, listed } from './select-one.js';
import { msg } from '../../i18n/msg.js';

type SelectMany = Extract<AnswerableItem, { type: 'select_many' }>;

export const selectMany: ItemKind<SelectMany> = {
  prompt: (_item, c) => {
    const picked = c.draft ?? (Array.isArray(c.current) ? c.current : []);
    const numbered = c.choices.map((x, i) => `${picked.includes(x.value) ? '☑' : '☐'} ${i + 1}. ${x.label}`);
    const quick =
      c.choices.length <= 10
        ? c.choices.map((x, i) =>
            quickPostback(
              `${picked.includes(x.value) ? '✓ ' : ''}${x.label}`,
              postbackData('toggle', { v: i + 1 }, c.seq),
              x.label,
            ),
          )
        : [];
    const pickedLabels = c.choices.filter((x) => picked.includes(x.value)).map((x) => x.label);
    return {
      lines: [
        ...listed(numbered),
        ...(pickedLabels.length > 0 ? [msg.checklist.picked(pickedLabels.join(', '))] : []),
        msg.checklist.hintChoices,
      ],
      // "เสร็จ" first: with ten choices it would otherwise sit eleventh, past the edge of a phone.
      quick: [quickPostback(msg.checklist.done, postbackData('done', {}, c.seq), msg.checklist.done), ...quick],
    };
  },
  parse: (item, text, c) =>
    parseChoices(text, c.choices, {
      ...(item.minSelected === undefined ? {} : { min: item.minSelected }),
      ...(item.maxSelected === undefined ? {} : { max: item.maxSelected }),
    }),
  fromDefault: (_item, raw) => raw.split(/\s+/),
  display: (item, value, labels) =>
    (Array.isArray(value) ? value : [String(value)]).map((v) => choiceLabel(item)(String(v), labels)).join(', '),
  cell: (item, value) =>
    (Array.isArray(value) ? value : [String(value)]).map((v) => choiceLabel(item)(String(v))).join(', '),
};
