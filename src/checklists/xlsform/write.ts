// XLSForm out: any stored checklist as a workbook an office can open in Excel, change and upload again, and that
// ./read.ts reads back to the same definition. Standard XLSForm columns carry what XLSForm has; what only nithet
// has goes where XLSForm keeps type-specific settings (the parameters column: min, max, max-length, max-files,
// min-selected, max-selected, min-count, max-count) or in columns other tools ignore (unit, add_label, scope,
// and the outcome columns: achieve = standard/indicator, target = 1–5 or ${key}, under = ${key}, feedback = kind).
import writeXlsxFile from 'write-excel-file/universal';
import { RATING_LEVELS } from '../answers.js';
import type { FormChoice, FormDefinition, FormItem, Label } from '../definition.js';
import { yesNoLabels } from '../../i18n/forms.th.js';
import { LANG_SUFFIX } from './columns.js';

type Row = Record<string, string>;

export interface XlsFormSheets {
  survey: string[][];
  choices: string[][];
  settings: string[][];
}

const tr = (base: string) => [`${base}::${LANG_SUFFIX.th}`, `${base}::${LANG_SUFFIX.en}`];

const SURVEY_COLUMNS = [
  'type',
  'name',
  ...tr('label'),
  ...tr('hint'),
  'required',
  ...tr('required_message'),
  'relevant',
  'constraint',
  ...tr('constraint_message'),
  'calculation',
  'default',
  'choice_filter',
  'repeat_count',
  'parameters',
  ...tr('unit'),
  ...tr('add_label'),
  'achieve',
  'target',
  'under',
  'feedback',
];

/** The columns every form shows, even empty, so an office sees where to write. */
const ALWAYS = new Set(['type', 'name', `label::${LANG_SUFFIX.th}`]);

function put(row: Row, base: string, l: Label | undefined): void {
  if (l === undefined) return;
  row[`${base}::${LANG_SUFFIX.th}`] = l.th;
  if (l.en !== undefined) row[`${base}::${LANG_SUFFIX.en}`] = l.en;
}

function params(pairs: [string, number | undefined, number][]): string {
  // Only what differs from the default, so an office's own form stays as short as they wrote it.
  return pairs
    .filter(([, v, d]) => v !== undefined && v !== d)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The three sheets as rows of text (header first), before they become a workbook. */
export function xlsFormSheets(def: FormDefinition): XlsFormSheets {
  const rows: Row[] = [];
  const lists = new Map<string, FormChoice[]>();
  const listOf = new Map<string, string>();
  const reserved = new Set(['yes_no', 'rating5', 'assigned_schools']);
  let duplicates = false;

  const listFor = (key: string, choices: FormChoice[]): string => {
    const json = JSON.stringify(choices);
    const same = listOf.get(json);
    if (same !== undefined) return same;
    let name = key;
    for (let i = 2; reserved.has(name) || lists.has(name); i++) name = `${key}_${i}`;
    lists.set(name, choices);
    listOf.set(json, name);
    if (new Set(choices.map((c) => c.value)).size < choices.length) duplicates = true;
    return name;
  };

  const walk = (items: FormItem[]) => {
    for (const it of items) {
      const row: Row = { name: it.key };
      if (it.type === 'section' || it.type === 'repeat') {
        row.type = it.type === 'section' ? 'begin_group' : 'begin_repeat';
        put(row, 'label', it.label);
        if (it.relevant !== undefined) row.relevant = it.relevant;
        if (it.type === 'repeat') {
          put(row, 'add_label', it.addLabel);
          const fixed = it.count === undefined && it.minCount === it.maxCount;
          if (it.count !== undefined) row.repeat_count = it.count;
          else if (fixed) row.repeat_count = String(it.minCount);
          if (!fixed) {
            row.parameters = params([
              ['min-count', it.minCount, 0],
              ['max-count', it.maxCount, 20],
            ]);
          }
        }
        rows.push(row);
        walk(it.items);
        rows.push({ type: it.type === 'section' ? 'end_group' : 'end_repeat' });
        continue;
      }
      put(row, 'label', it.label);
      if ('hint' in it) put(row, 'hint', it.hint);
      switch (it.type) {
        case 'note':
          row.type = 'note';
          break;
        case 'calculate':
          row.type = 'calculate';
          row.calculation = it.expression;
          break;
        case 'yes_no':
          row.type = 'select_one yes_no';
          lists.set('yes_no', [
            { value: 'yes', label: yesNoLabels.yes },
            { value: 'no', label: yesNoLabels.no },
          ]);
          break;
        case 'rating':
          row.type = 'select_one rating5';
          lists.set(
            'rating5',
            RATING_LEVELS.map((l) => ({ value: String(l.value), label: { th: l.th, en: l.en } })),
          );
          break;
        case 'select_one':
        case 'select_many': {
          const list = it.choicesFrom ?? listFor(it.key, it.choices ?? []);
          row.type = `${it.type === 'select_one' ? 'select_one' : 'select_multiple'} ${list}${it.orOther ? ' or_other' : ''}`;
          if (it.choiceFilter !== undefined) row.choice_filter = it.choiceFilter;
          if (it.type === 'select_many') {
            row.parameters = params([
              ['min-selected', it.minSelected, NaN],
              ['max-selected', it.maxSelected, NaN],
            ]);
          }
          break;
        }
        case 'number':
          row.type = it.integer ? 'integer' : 'decimal';
          row.parameters = params([
            ['min', it.min, NaN],
            ['max', it.max, NaN],
          ]);
          put(row, 'unit', it.unit);
          break;
        case 'text':
          row.type = 'text';
          row.parameters = params([['max-length', it.maxLength, 1000]]);
          break;
        case 'date':
          row.type = 'date';
          break;
        case 'photo':
        case 'document':
          row.type = it.type === 'photo' ? 'image' : 'file';
          row.parameters = params([['max-files', it.maxFiles, 3]]);
          break;
        case 'acknowledge':
          row.type = 'acknowledge';
          break;
      }
      if (it.type !== 'note' && it.type !== 'calculate') {
        if (it.required) row.required = 'yes';
        put(row, 'required_message', it.requiredMessage);
        if (it.constraint !== undefined) row.constraint = it.constraint;
        put(row, 'constraint_message', it.constraintMessage);
        if (it.default !== undefined) row.default = it.default;
      }
      if (it.type !== 'calculate' && it.relevant !== undefined) row.relevant = it.relevant;
      if (it.type === 'rating' || it.type === 'calculate') {
        if (it.achieve !== undefined) row.achieve = it.achieve;
        if (it.target !== undefined)
          row.target = typeof it.target === 'number' ? String(it.target) : `\${${it.target}}`;
      }
      if (it.type === 'text' && it.feedback !== undefined) row.feedback = it.feedback;
      if ((it.type === 'rating' || it.type === 'calculate' || it.type === 'text') && it.under !== undefined)
        row.under = `\${${it.under}}`;
      rows.push(row);
    }
  };
  walk(def.items);

  const columns = SURVEY_COLUMNS.filter((c) => ALWAYS.has(c) || rows.some((r) => (r[c] ?? '') !== ''));
  const survey = [columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))];

  const attributes = [...new Set([...lists.values()].flat().flatMap((c) => Object.keys(c.attributes ?? {})))];
  const choiceColumns = ['list_name', 'name', ...tr('label'), ...attributes];
  const choiceRows = [...lists].flatMap(([list, choices]) =>
    choices.map((c) => [
      list,
      c.value,
      c.label.th,
      c.label.en ?? '',
      ...attributes.map((a) => c.attributes?.[a] ?? ''),
    ]),
  );
  const hasEn = choiceRows.some((r) => r[3] !== '');
  const dropEn = (r: string[]) => (hasEn ? r : [...r.slice(0, 3), ...r.slice(4)]);
  const choices = [dropEn(choiceColumns), ...choiceRows.map(dropEn)];

  const settingsRow: Row = {
    form_title: def.title.th,
    'form_title::English (en)': def.title.en ?? '',
    form_id: def.key,
    version: String(def.version),
    scope: def.scope,
    description: def.description?.th ?? '',
    'description::English (en)': def.description?.en ?? '',
    default_language: LANG_SUFFIX.th,
    allow_choice_duplicates: duplicates ? 'yes' : '',
  };
  const settingsColumns = Object.keys(settingsRow).filter(
    (k) => settingsRow[k] !== '' || k === 'form_title' || k === 'form_id' || k === 'version',
  );
  const settings = [settingsColumns, settingsColumns.map((k) => settingsRow[k] ?? '')];
  return { survey, choices, settings };
}

/** The workbook: survey, choices, settings, every cell text (a cell typed as text is never run as a formula). */
export async function writeXlsForm(def: FormDefinition): Promise<Uint8Array> {
  const s = xlsFormSheets(def);
  const sheet = (rows: string[][]) =>
    rows.map((r, i) =>
      r.map((v) => (v === '' ? null : { value: v, type: String, ...(i === 0 ? { fontWeight: 'bold' as const } : {}) })),
    );
  const blob = await writeXlsxFile([
    { sheet: 'survey', data: sheet(s.survey), stickyRowsCount: 1 },
    { sheet: 'choices', data: sheet(s.choices), stickyRowsCount: 1 },
    { sheet: 'settings', data: sheet(s.settings), stickyRowsCount: 1 },
  ]).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
