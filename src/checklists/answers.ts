// Answers as the runner sees them: a map from (item key, repeat instance) to a value, and how a value reads in
// Thai. A stored null means "skipped on purpose"; a missing key means "not asked yet".
import type { Value } from './expr.js';
import type { Definition, Label, LeafItem, RepeatItem } from './definition.js';
import { kindOf } from './items/index.js';

export type AnswerValue = Value;
export type AnswerMap = Record<string, AnswerValue>;

export const answerKey = (key: string, repeat: number) => `${key}#${repeat}`;

export function getAnswer(answers: AnswerMap, key: string, repeat: number): AnswerValue | undefined {
  return answers[answerKey(key, repeat)];
}

export { RATING_LEVELS } from './items/index.js';

/** The state of a repeat group: how many instances exist, and whether the person said "no more". */
export interface RepeatState {
  count: number;
  done: boolean;
}

export function repeatState(answers: AnswerMap, rep: RepeatItem): RepeatState {
  // Stored under the repeat's own key: a number n (n instances, more may follow) or 'done:n' (closed at n).
  const raw = getAnswer(answers, rep.key, 0);
  if (typeof raw === 'number') return { count: Math.max(raw, rep.minCount), done: false };
  if (typeof raw === 'string' && /^done:\d+$/.test(raw)) return { count: Number(raw.slice(5)), done: true };
  return { count: rep.minCount, done: false };
}

export function encodeRepeatState(s: RepeatState): AnswerValue {
  return s.done ? `done:${s.count}` : s.count;
}

export interface ItemIndex {
  /** Every leaf item by key, with the repeat it belongs to (null at top level). */
  byKey: Map<string, { item: LeafItem; repeat: RepeatItem | null }>;
  repeats: Map<string, RepeatItem>;
}

const indexCache = new WeakMap<Definition, ItemIndex>();
export function indexItems(def: Definition): ItemIndex {
  let idx = indexCache.get(def);
  if (idx === undefined) {
    idx = { byKey: new Map(), repeats: new Map() };
    for (const it of def.items) {
      if (it.type === 'repeat') {
        idx.repeats.set(it.key, it);
        for (const child of it.items) idx.byKey.set(child.key, { item: child, repeat: it });
      } else idx.byKey.set(it.key, { item: it, repeat: null });
    }
    indexCache.set(def, idx);
  }
  return idx;
}

/** The leaf item with this key, top level or inside a repeat; throws for a key the definition does not have. */
export function leafItem(def: Definition, key: string): LeafItem {
  const entry = indexItems(def).byKey.get(key);
  if (entry === undefined) throw new Error(`no item ${key} in ${def.key} v${def.version}`);
  return entry.item;
}

export const th = (l: Label) => l.th;

/** How an answer reads back to the person (review card, exports' display column). */
export function displayAnswer(
  item: LeafItem,
  value: AnswerValue | undefined,
  choiceLabels?: Map<string, string>,
): string {
  if (value === undefined) return '—';
  if (value === null) return 'ข้าม';
  if (item.type === 'note' || item.type === 'calculate') return Array.isArray(value) ? value.join(', ') : String(value);
  return kindOf(item).display(item, value, choiceLabels);
}
