// One choice: a button per choice when they fit, always a numbered list; typed as a number or a label.
import type { AnswerableItem } from '../definition.js';
import { parseChoice } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type SelectOne = Extract<AnswerableItem, { type: 'select_one' }>;

/** A choice's label: the item's own list first, then labels computed from data (schools), else the value. */
export const choiceLabel =
  (item: { choices?: { value: string; label: { th: string } }[] | undefined }) =>
  (v: string, labels?: Map<string, string>) =>
    item.choices?.find((c) => c.value === v)?.label.th ?? labels?.get(v) ?? v;

/** Lines of a long list: the first ones numbered, then how many more there are (found by typing a name). */
export const LIST_SHOWN = 30;
export function listed(lines: string[]): string[] {
  return lines.length <= LIST_SHOWN
    ? lines
    : [...lines.slice(0, LIST_SHOWN), msg.checklist.moreChoices(lines.length - LIST_SHOWN)];
}

export const selectOne: ItemKind<SelectOne> = {
  prompt: (_item, c) => ({
    lines: [...listed(c.choices.map((x, i) => `${i + 1}. ${x.label}`)), msg.checklist.hintChoice],
    // Quick replies hold 13; keep room for skip and back. Longer lists are answered by number.
    quick: c.choices.length <= 11 ? c.choices.map((x, i) => answerButton(c, x.label, i + 1, x.label)) : [],
  }),
  parse: (_item, text, c) => parseChoice(text, c.choices),
  // A choice button carries its number, not its value: values from data (schools) are checked against the list.
  tap: (_item, v, c) => {
    const choice = c.choices[Number(v) - 1];
    return choice === undefined ? { ok: false, message: msg.checklist.hintChoice } : { ok: true, value: choice.value };
  },
  fromDefault: (_item, raw) => raw,
  display: (item, value, labels) => choiceLabel(item)(String(value), labels),
  cell: (item, value) => choiceLabel(item)(String(value)),
};
