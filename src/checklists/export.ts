// A campaign's responses as tables (rendered to CSV or XLSX by src/exports/table.ts). Columns come from the
// checklist versions' definitions — never from which answers happen to exist — and are named key@vN, so they
// never shift; repeat groups export as their own table (one row per instance), as XLSForm tools do.
import type { Definition, LeafItem, RepeatItem } from './definition.js';
import { type AnswerMap, answerKey, getAnswer } from './answers.js';
import { kindOf } from './items/index.js';
import type { ExportRow } from './export.queries.js';

import type { Cell, Sheet } from '../exports/table.js';
import { thaiShortDate } from '../time/thai.js';

export { toCsv, type Cell } from '../exports/table.js';

/** Raw where a number means something (ratings, numbers), labels where people read (choices, yes/no). */
function exportValue(item: LeafItem, value: AnswerMap[string] | undefined): Cell {
  if (value === undefined || value === null || item.type === 'note') return null;
  if (item.type === 'calculate') return typeof value === 'number' ? value : String(value);
  return kindOf(item).cell(item, value);
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

/** One column of a response sheet: what people read (row 1) and the stable key (row 2). */
interface Column {
  checklistId: string;
  label: string;
  key: string;
  value: (answers: AnswerMap, instance: number) => Cell;
}

function instanceCount(answers: AnswerMap, items: LeafItem[]): number {
  return Math.max(
    0,
    ...Object.keys(answers)
      .filter((k) => items.some((i) => k.startsWith(`${i.key}#`)))
      .map((k) => Number(k.split('#')[1])),
  );
}

/** A date answer (YYYY-MM-DD, a calendar day) as Thai readers write it: "20 พ.ย. 2569". */
function readableValue(item: LeafItem, value: AnswerMap[string] | undefined): Cell {
  if (item.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return thaiShortDate(Date.parse(`${value}T12:00:00Z`), 'UTC');
  return exportValue(item, value);
}

/**
 * The columns of one item. A select-many with a fixed list has one column per choice (1 chosen, 0 not chosen,
 * empty when unanswered), headed "question: choice" and keyed `key/choice@vN`, as XLSForm tools export it; a
 * select-many whose choices come from the office's data (choicesFrom) stays one column of labels.
 */
function itemColumns(
  checklistId: string,
  item: LeafItem,
  prefix: string,
  version: number,
  suffix: string,
  photoUrl: PhotoUrl | undefined,
): Column[] {
  const label = `${item.label.th}${suffix}`;
  if ((item.type === 'photo' || item.type === 'document') && photoUrl !== undefined) {
    // Each photo or document as a link to the web's evidence route (which checks the reader's scope), one per line.
    return [
      {
        checklistId,
        label,
        key: `${prefix}${item.key}@v${version}`,
        value: (answers, n) => {
          const v = getAnswer(answers, item.key, n);
          return Array.isArray(v) && v.length > 0 ? v.map((id) => photoUrl(String(id))).join('\n') : null;
        },
      },
    ];
  }
  if (item.type === 'select_many' && item.choices !== undefined) {
    return item.choices.map((choice) => ({
      checklistId,
      label: `${item.label.th}: ${choice.label.th}${suffix}`,
      key: `${prefix}${item.key}/${choice.value}@v${version}`,
      value: (answers, n) => {
        const v = getAnswer(answers, item.key, n);
        if (v === undefined || v === null) return null;
        return (Array.isArray(v) ? v.map(String) : [String(v)]).includes(choice.value) ? 1 : 0;
      },
    }));
  }
  return [
    {
      checklistId,
      label,
      key: `${prefix}${item.key}@v${version}`,
      value: (answers, n) => readableValue(item, getAnswer(answers, item.key, n)),
    },
  ];
}

/** Where the office's readers expect it: a response's status in Thai. */
const STATUS: Record<string, string> = { submitted: 'ส่งแล้ว / submitted', in_progress: 'กำลังทำ / in_progress' };

/** The fixed columns of the responses sheet: label (row 1), key (row 2). */
const FIXED_COLUMNS: [string, string][] = [
  ['รหัสคำตอบ', 'response_id'],
  ['สถานะ', 'status'],
  ['ส่งเมื่อ (เวลาสำนักงาน)', 'submitted_at'],
  ['ส่งเมื่อ (ISO 8601)', 'submitted_at_iso'],
  ['รหัสโรงเรียน', 'school_code'],
  ['โรงเรียน', 'school_name'],
  ['เครือข่าย', 'cluster'],
  ['ผู้ตอบ', 'respondent'],
  ['ฉบับของแบบ', 'version'],
];

/** The fixed columns of a repeat group's sheet. */
const REPEAT_COLUMNS: [string, string][] = [
  ['รหัสคำตอบ', 'response_id'],
  ['รหัสโรงเรียน', 'school_code'],
  ['ครั้งที่', 'instance'],
];

/** The link of an evidence photo (its id) on the web: the route that checks the reader's scope on each request. */
export type PhotoUrl = (evidenceId: string) => string;

/** How the export writes an instant: for people (Thai date and time, B.E.) and for programs (ISO with offset). */
export interface InstantFormat {
  readable: (at: number) => string;
  iso: (at: number) => string;
}

/**
 * Every sheet of a campaign's export when its responses span checklist versions (a response stays on the version
 * it started with): each version's columns side by side, in version order, so a response fills its own version's
 * columns and a new version never moves an old column. Each sheet has two header rows: the question text in Thai
 * (what people read; "(ฉบับ N)" added when more than one version is present) and the stable key `key@vN` (what
 * programs read). With `photoUrl`, a photo item's cell holds a link per photo (one per line) instead of the count.
 * The first sheet is the responses (one row each); then one sheet per repeat group (one row per
 * instance), named by the group's key.
 */
export function responseSheets(
  versions: VersionedDefinition[],
  rows: ExportRow[],
  at: InstantFormat,
  photoUrl?: PhotoUrl,
): (Sheet & { key: string })[] {
  const sorted = [...versions].sort((a, b) => a.definition.version - b.definition.version);
  const latest = sorted.at(-1)?.checklistId;
  const own = (r: ExportRow) => r.checklist_id ?? latest;
  const versionOf = new Map(sorted.map((v) => [v.checklistId, v.definition.version]));
  const suffixOf = (version: number) => (sorted.length > 1 ? ` (ฉบับ ${version})` : '');
  const mainCols: Column[] = sorted.flatMap((v) =>
    v.definition.items
      .filter((i): i is LeafItem => i.type !== 'repeat' && i.type !== 'note')
      .flatMap((item) =>
        itemColumns(v.checklistId, item, '', v.definition.version, suffixOf(v.definition.version), photoUrl),
      ),
  );
  const main = {
    key: 'responses',
    name: 'คำตอบ responses',
    header: [...FIXED_COLUMNS.map(([l]) => l), ...mainCols.map((c) => c.label)],
    keys: [...FIXED_COLUMNS.map(([, k]) => k), ...mainCols.map((c) => c.key)],
    rows: rows.map((r) => {
      const answers = answersOf(r);
      const mine = own(r);
      const submitted = r.submitted_at === null ? null : Date.parse(r.submitted_at);
      return [
        r.response_id,
        STATUS[r.status] ?? r.status,
        submitted === null ? null : at.readable(submitted),
        submitted === null ? null : at.iso(submitted),
        r.school_code,
        r.school_name,
        r.cluster_name,
        r.respondent,
        versionOf.get(mine ?? '') ?? null,
        ...mainCols.map((c) => (c.checklistId === mine ? c.value(answers, 0) : null)),
      ];
    }),
  };
  const repeatKeys = [
    ...new Set(sorted.flatMap((v) => v.definition.items.flatMap((i) => (i.type === 'repeat' ? [i.key] : [])))),
  ];
  const repeats = repeatKeys.map((key) => {
    const groups = sorted.flatMap((v) =>
      v.definition.items.flatMap((i) => (i.type === 'repeat' && i.key === key ? [{ v, group: i }] : [])),
    );
    const leaves = new Map(
      groups.map(({ v, group }) => [v.checklistId, group.items.filter((it) => it.type !== 'note')]),
    );
    const cols: Column[] = groups.flatMap(({ v, group }) =>
      group.items
        .filter((it) => it.type !== 'note')
        .flatMap((item) =>
          itemColumns(
            v.checklistId,
            item,
            `${key}.`,
            v.definition.version,
            suffixOf(v.definition.version),
            photoUrl,
          ).map((c) => ({ ...c, label: `${group.label.th}: ${c.label}` })),
        ),
    );
    const out: Cell[][] = [];
    for (const r of rows) {
      const answers = answersOf(r);
      const mine = own(r);
      const count = instanceCount(answers, leaves.get(mine ?? '') ?? []);
      for (let n = 1; n <= count; n++) {
        out.push([
          r.response_id,
          r.school_code,
          n,
          ...cols.map((c) => (c.checklistId === mine ? c.value(answers, n) : null)),
        ]);
      }
    }
    return {
      key,
      name: key,
      header: [...REPEAT_COLUMNS.map(([l]) => l), ...cols.map((c) => c.label)],
      keys: [...REPEAT_COLUMNS.map(([, k]) => k), ...cols.map((c) => c.key)],
      rows: out,
    };
  });
  return [main, ...repeats];
}
