// The five quality levels of the B.E. 2561 standards: a button per level, or 1–5 / a level's name typed.
import { ratingLevels } from '../../i18n/answers.th.js';
import type { AnswerableItem } from '../definition.js';
import { parseRating } from '../parse.js';
import { answerButton, type ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type Rating = Extract<AnswerableItem, { type: 'rating' }>;

/** The five levels, best first, as buttons and the review show them; names from the message catalogue. */
export const RATING_LEVELS = ([5, 4, 3, 2, 1] as const).map((value) => ({ value, ...ratingLevels[value] }));

const shown = (value: unknown) => {
  const level = RATING_LEVELS.find((l) => l.value === value);
  return level === undefined ? String(value) : `${level.value} ${level.th}`;
};

export const rating: ItemKind<Rating> = {
  prompt: (_item, c) => ({
    lines: [msg.checklist.hintRating],
    quick: RATING_LEVELS.map((l) => answerButton(c, `${l.value} ${l.th}`, l.value)),
  }),
  parse: (_item, text) => parseRating(text),
  tap: (_item, v) => parseRating(v),
  fromDefault: (_item, raw) => Number(raw),
  display: (_item, value) => shown(value),
  cell: (_item, value) => (typeof value === 'number' ? value : String(value)),
};
