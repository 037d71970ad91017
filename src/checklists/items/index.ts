// The item-kind table: every kind a person answers, one module each (./kind.ts says what a module holds).
import type { AnswerableItem } from '../definition.js';
import { acknowledge } from './acknowledge.js';
import { date } from './date.js';
import { document } from './document.js';
import type { ItemKind } from './kind.js';
import { number } from './number.js';
import { photo } from './photo.js';
import { rating } from './rating.js';
import { selectMany } from './select-many.js';
import { selectOne } from './select-one.js';
import { text } from './text.js';
import { yesNo } from './yes-no.js';

export { RATING_LEVELS } from './rating.js';

type Table = { [K in AnswerableItem['type']]: ItemKind<Extract<AnswerableItem, { type: K }>> };

const KINDS: Table = {
  yes_no: yesNo,
  rating,
  select_one: selectOne,
  select_many: selectMany,
  number,
  text,
  date,
  photo,
  acknowledge,
  document,
};

/** The module of an item's kind. */
export function kindOf<T extends AnswerableItem>(item: T): ItemKind<T> {
  // The table is keyed by `type`, so the entry for item.type is the module for T.
  return KINDS[item.type] as unknown as ItemKind<T>;
}
