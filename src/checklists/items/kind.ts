// One module per item kind (Typebot's one-parser-per-input habit): how a kind asks, reads a typed answer or a
// tap, turns XLSForm's `default` into an answer, reads back, and fills an export cell. The runner
// (../runner.ts) keeps sequencing, navigation and submitting; it looks a kind up in ./index.ts.
import type { messagingApi } from '@line/bot-sdk';
import type { Cell } from '../../exports/table.js';
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import type { Value } from '../expr.js';
import type { ChoiceOption, ParseResult } from '../parse.js';

export type Parsed = ParseResult<Value>;
export type QuickReply = messagingApi.QuickReplyItem;

export interface KindCtx {
  /** Today in the office's time zone, YYYY-MM-DD. */
  today: string;
  /** The prompt's step token: every answer button carries it. */
  seq: number;
  /** The choices offered now (select items): filtered by choice_filter, or from the office's data. */
  choices: ChoiceOption[];
  /** The stored answer, when the question is asked again. */
  current: Value | undefined;
  /** Select-many: what has been ticked since the prompt. */
  draft?: string[] | undefined;
}

export interface Prompt {
  lines: string[];
  quick: QuickReply[];
}

export interface ItemKind<T extends AnswerableItem> {
  prompt: (item: T, c: KindCtx) => Prompt;
  /** A typed answer. */
  parse: (item: T, text: string, c: KindCtx) => Parsed;
  /** The value of one of this kind's own answer buttons (`ans`); absent where the kind has none. */
  tap?: (item: T, v: string, c: KindCtx) => Parsed;
  /** XLSForm's `default` as an answer (checked against the item when the form was stored); absent: none allowed. */
  fromDefault?: (item: T, raw: string) => Value;
  /** How a (non-null) answer reads back: review card, exports' display column. */
  display: (item: T, value: Value, labels?: Map<string, string>) => string;
  /** The export cell of a (non-null) answer: raw where a number means something, labels where people read. */
  cell: (item: T, value: Value) => Cell;
}

/** An answer button: the value travels in the postback with the prompt's step. */
export const answerButton = (c: KindCtx, label: string, v: string | number, display = label): QuickReply =>
  quickPostback(label, postbackData('ans', { v }, c.seq), display);

export const joined = (value: Value) => (Array.isArray(value) ? value.join(', ') : String(value));
