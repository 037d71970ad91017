// A number, typed: "12", "1,234", "12 คน", "75%"; bounds and whole numbers checked as it is read.
import type { AnswerableItem } from '../definition.js';
import { parseNumber } from '../parse.js';
import type { ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type NumberItem = Extract<AnswerableItem, { type: 'number' }>;

const range = (item: NumberItem) =>
  item.min !== undefined && item.max !== undefined
    ? ` ${item.min}–${item.max}`
    : item.min !== undefined
      ? ` ตั้งแต่ ${item.min}`
      : item.max !== undefined
        ? ` ไม่เกิน ${item.max}`
        : '';

export const number: ItemKind<NumberItem> = {
  prompt: (item) => ({ lines: [msg.checklist.hintNumber(range(item))], quick: [] }),
  parse: (item, text) =>
    parseNumber(text, {
      ...(item.min === undefined ? {} : { min: item.min }),
      ...(item.max === undefined ? {} : { max: item.max }),
      integer: item.integer,
    }),
  fromDefault: (_item, raw) => Number(raw),
  display: (item, value) =>
    `${typeof value === 'number' ? value.toLocaleString('th-TH') : String(value)}${item.unit === undefined ? '' : ` ${item.unit.th}`}`,
  cell: (_item, value) => (typeof value === 'number' ? value : String(value)),
};
