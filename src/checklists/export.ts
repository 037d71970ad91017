// A campaign's responses as tables (rendered to CSV or XLSX by src/exports/table.ts). Columns come from the
// checklist versions' definitions — never from which answers happen to exist — and are named key@vN, so they
// never shift; repeat groups export as their own table (one row per instance), as XLSForm tools do.
import type { Definition, LeafItem, RepeatItem } from './definition.js';
import { type AnswerMap, answerKey, displayAnswer, getAnswer } from './answers.js';
import type { ExportRow } from './export.queries.js';

import type { Cell, Sheet } from '../exports/table.js';

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

export interface VersionedDefinition {
  checklistId: string;
  definition: Definition;
}

interface Column {
  checklistId: string;
  item: LeafItem;
  header: string;
}

function instanceCount(answers: AnswerMap, items: LeafItem[]): number {
  return Math.max(
    0,
    ...Object.keys(answers)
      .filter((k) => items.some((i) => k.startsWith(`${i.key}#`)))
      .map((k) => Number(k.split('#')[1])),
  );
}

/**
 * Every sheet of a campaign's export when its responses span checklist versions (a response stays on the version
 * it started with): each version's columns side by side, in version order, each named key@vN, so a response
 * fills its own version's columns and a new version never moves an old column. The first sheet is the responses
 * (one row each); then one sheet per repeat group (one row per instance), named by the group's key.
 */
export function responseSheets(versions: VersionedDefinition[], rows: ExportRow[]): (Sheet & { key: string })[] {
  const sorted = [...versions].sort((a, b) => a.definition.version - b.definition.version);
  const latest = sorted.at(-1)?.checklistId;
  const own = (r: ExportRow) => r.checklist_id ?? latest;
  const versionOf = new Map(sorted.map((v) => [v.checklistId, v.definition.version]));
  const mainCols: Column[] = sorted.flatMap((v) =>
    v.definition.items
      .filter((i): i is LeafItem => i.type !== 'repeat' && i.type !== 'note')
      .map((item) => ({ checklistId: v.checklistId, item, header: `${item.key}@v${v.definition.version}` })),
  );
  const main = {
    key: 'responses',
    name: 'responses',
    header: [...FIXED, 'version', ...mainCols.map((c) => c.header)],
    rows: rows.map((r) => {
      const answers = answersOf(r);
      const mine = own(r);
      return [
        ...fixed(r),
        versionOf.get(mine ?? '') ?? null,
        ...mainCols.map((c) =>
          c.checklistId === mine ? exportValue(c.item, getAnswer(answers, c.item.key, 0)) : null,
        ),
      ];
    }),
  };
  const repeatKeys = [
    ...new Set(sorted.flatMap((v) => v.definition.items.flatMap((i) => (i.type === 'repeat' ? [i.key] : [])))),
  ];
  const repeats = repeatKeys.map((key) => {
    const cols: Column[] = sorted.flatMap((v) =>
      v.definition.items.flatMap((i) =>
        i.type === 'repeat' && i.key === key
          ? i.items
              .filter((it) => it.type !== 'note')
              .map((item) => ({
                checklistId: v.checklistId,
                item,
                header: `${key}.${item.key}@v${v.definition.version}`,
              }))
          : [],
      ),
    );
    const out: Cell[][] = [];
    for (const r of rows) {
      const answers = answersOf(r);
      const mine = own(r);
      const count = instanceCount(
        answers,
        cols.filter((c) => c.checklistId === mine).map((c) => c.item),
      );
      for (let n = 1; n <= count; n++) {
        out.push([
          r.response_id,
          r.school_code,
          n,
          ...cols.map((c) => (c.checklistId === mine ? exportValue(c.item, getAnswer(answers, c.item.key, n)) : null)),
        ]);
      }
    }
    return {
      key,
      name: key,
      header: ['response_id', 'school_code', 'instance', ...cols.map((c) => c.header)],
      rows: out,
    };
  });
  return [main, ...repeats];
}
