// Free text, up to the item's length.
import type { AnswerableItem } from '../definition.js';
import { parseText } from '../parse.js';
import { type ItemKind, joined } from './kind.js';
import { msg } from '../../i18n/msg.js';

type TextItem = Extract<AnswerableItem, { type: 'text' }>;

export const text: ItemKind<TextItem> = {
  prompt: (item) => ({ lines: [msg.checklist.hintText(item.maxLength)], quick: [] }),
  parse: (item, t) => parseText(t, item.maxLength),
  fromDefault: (_item, raw) => raw,
  display: (_item, value) => joined(value),
  cell: (_item, value) => joined(value),
};
