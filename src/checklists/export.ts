// Exports of a campaign's responses as CSV (UTF-8 with BOM, so Excel shows Thai). Columns come from the
// checklist version's definition — never from which answers happen to exist — so they never shift; repeat
// groups export as their own table (one row per instance), as XLSForm tools do.
import type { Definition, LeafItem, RepeatItem } from './definition.js';
import { type AnswerMap, answerKey, displayAnswer, getAnswer } from './answers.js';
import type { ExportRow } from './export.queries.js';

import type { Cell } from '../exports/table.js';

export { toCsv, type Cell } from '../exports/table.js';

/** Raw where a number means something (ratings, numbers), labels where people read (choices, yes/no). */
function exportValue(item: LeafItem, value: AnswerMap[string] | undefined): Cell {
  if (value === undefined || value === null) return null;
  switch (item.type) {
    case 'rating':
    case 'number':
    case 'calculate':
      return typeof value === 'number' ? value : String(value);
    case 'photo':
      return Array.isArray(value) ? value.length : 0;
    case 'date':
    case 'text':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'yes_no':
    case 'select_one':
    case 'select_many':
    case 'note':
      return displayAnswer(item, value);
  }
}

const answersOf = (row: ExportRow): AnswerMap => {
  const map: AnswerMap = {};
  for (const a of row.answers ?? []) map[answerKey(a.k, a.r)] = a.v;
  return map;
};

const FIXED = ['response_id', 'status', 'submitted_at', 'school_code', 'school_name', 'cluster', 'respondent'];
const fixed = (r: ExportRow): Cell[] => [
  r.response_id,
  r.status,
  r.submitted_at,
  r.school_code,
  r.school_name,
  r.cluster_name,
  r.respondent,
];

/** The main table: one row per response, one column per top-level item (notes left out). */
export function responsesTable(def: Definition, rows: ExportRow[]): Cell[][] {
  const items = def.items.filter((i): i is LeafItem => i.type !== 'repeat' && i.type !== 'note');
  const header: Cell[] = [...FIXED, ...items.map((i) => `${i.key}@v${def.version}`)];
  return [
    header,
    ...rows.map((r) => {
      const answers = answersOf(r);
      return [...fixed(r), ...items.map((i) => exportValue(i, getAnswer(answers, i.key, 0)))];
    }),
  ];
}

/** A repeat group's table: one row per instance, keyed by response id and instance number. */
export function repeatTable(def: Definition, repeat: RepeatItem, rows: ExportRow[]): Cell[][] {
  const items = repeat.items.filter((i) => i.type !== 'note');
  const header: Cell[] = [
    'response_id',
    'school_code',
    'instance',
    ...items.map((i) => `${repeat.key}.${i.key}@v${def.version}`),
  ];
  const out: Cell[][] = [header];
  for (const r of rows) {
    const answers = answersOf(r);
    const count = Math.max(
      0,
      ...Object.keys(answers)
        .filter((k) => items.some((i) => k.startsWith(`${i.key}#`)))
        .map((k) => Number(k.split('#')[1])),
    );
    for (let n = 1; n <= count; n++) {
      out.push([r.response_id, r.school_code, n, ...items.map((i) => exportValue(i, getAnswer(answers, i.key, n)))]);
    }
  }
  return out;
}
