// XLSForm in: a workbook's survey, choices and settings sheets become a checklist definition (the wide schema of
// ../definition.ts), or every problem named by sheet, row and column in Thai and English. Types a LINE chat cannot
// ask are problems naming the type, never a crash. Expressions are kept as written: the engine's parser reads
// XLSForm's syntax, so the definition is checked by the same cross-checks as a JSON upload, and each of their
// issues is traced back to the cell it came from.
import { RATING_LEVELS } from '../answers.js';
import { choiceSources, CHOICE_VALUE, ITEM_KEY, type FormDefinition, validateFormDefinition } from '../definition.js';
import { defMsg, type Bilingual, xfMsg, yesNoLabels } from '../../i18n/forms.th.js';
import type { CsvRecord } from '../../imports/csv.js';
import { MAX_IMPORT_ROWS } from '../../imports/sheet.js';
import { isOldXls, readXlsxWorkbook } from '../../imports/xlsx.js';
import type { FieldIssue } from '../../errors.js';
import { columnLetters, langOf, parseHeader, parseParameters, parseType, TRANSLATABLE } from './columns.js';

export type XlsFormResult =
  | { ok: true; definition: FormDefinition; warnings: FieldIssue[] }
  | { ok: false; issues: FieldIssue[]; warnings: FieldIssue[] };

export interface XlsFormOptions {
  /** The form's key when the settings sheet has no form_id (the file's name, as pyxform does). */
  fallbackKey?: string;
}

export interface WorkbookSheet {
  name: string;
  records: CsvRecord[];
}

/** Reads an .xlsx XLSForm. */
export async function readXlsForm(bytes: Uint8Array, opts: XlsFormOptions = {}): Promise<XlsFormResult> {
  const whole = (m: Bilingual): XlsFormResult => ({
    ok: false,
    issues: [{ sheet: '(file)', field: '(file)', message: `${m.th} / ${m.en}` }],
    warnings: [],
  });
  if (isOldXls(bytes)) return whole(xfMsg.oldXls());
  const book = await readXlsxWorkbook(bytes);
  if (!book.ok && book.message === 'too_large') return whole(xfMsg.tooLarge(book.entry));
  if (!book.ok) return whole(xfMsg.unreadable());
  return xlsFormFromSheets(book.sheets, opts);
}

const bi = (m: Bilingual) => `${m.th} / ${m.en}`;

type Label = { th: string; en?: string };

/** A cell: where a value came from, for naming it in an issue. */
interface Place {
  sheet: string;
  row: number;
  /** 0-based column index, or -1 when the problem is the row or the sheet. */
  col: number;
}

/** One worksheet with its header read. */
class Sheet {
  readonly headers: ReturnType<typeof parseHeader>[];
  readonly rows: CsvRecord[];
  readonly headerRow: number;
  constructor(
    readonly name: string,
    records: CsvRecord[],
  ) {
    const [head, ...rest] = records;
    this.headerRow = head?.row ?? 1;
    this.headers = (head?.cells ?? []).map((c) => parseHeader(c));
    this.rows = rest;
  }
  /** Indexes of the columns with this meaning, by their language part ('' for none). */
  columns(base: string): { index: number; lang: string }[] {
    return this.headers.flatMap((h, index) => (h.base === base ? [{ index, lang: h.lang }] : []));
  }
  index(base: string): number {
    return this.headers.findIndex((h) => h.base === base && h.lang === '');
  }
  cell(r: CsvRecord, index: number): string {
    return index < 0 ? '' : (r.cells[index] ?? '').trim();
  }
}

/** Which column gives a translatable text in Thai (the label the chat shows) and which in English. */
interface Translated {
  /** Columns to try for the Thai text, best first. */
  primary: number[];
  en: number | undefined;
}

function translated(sheet: Sheet, base: string, defaultLang: string): Translated {
  const cols = sheet.columns(base);
  const by = (pred: (lang: string) => boolean) => cols.filter((c) => pred(c.lang)).map((c) => c.index);
  const th = by((l) => langOf(l) === 'th');
  const plain = by((l) => l === '');
  const deflt = defaultLang === '' ? [] : by((l) => l.toLowerCase() === defaultLang.toLowerCase());
  const en = by((l) => langOf(l) === 'en');
  const other = by((l) => langOf(l) === null);
  return { primary: [...new Set([...th, ...plain, ...deflt, ...en, ...other])], en: en[0] };
}

const MEDIA_COLUMNS = ['image', 'big-image', 'audio', 'video', 'media'];

/** Pure: the sheets as read → a definition or the issues. */
export function xlsFormFromSheets(sheets: WorkbookSheet[], opts: XlsFormOptions = {}): XlsFormResult {
  const issues: (FieldIssue & { order: number })[] = [];
  const warnings: (FieldIssue & { order: number })[] = [];
  const sheetOrder = ['settings', 'survey', 'choices'];
  const order = (p: Place) => (sheetOrder.indexOf(p.sheet) + 1) * 1e9 + p.row * 1e4 + Math.max(p.col, 0);
  let headersOf: Record<string, Sheet> = {};
  const toIssue = (p: Place, m: Bilingual) => {
    const sheet = headersOf[p.sheet];
    const column = p.col >= 0 ? (sheet?.headers[p.col]?.raw ?? columnLetters(p.col)) : undefined;
    return {
      sheet: sheet?.name ?? p.sheet,
      ...(p.row > 0 ? { row: p.row } : {}),
      ...(column === undefined ? {} : { column, cell: `${columnLetters(p.col)}${p.row}` }),
      field: column ?? '(row)',
      message: bi(m),
      order: order(p),
    };
  };
  const problem = (p: Place, m: Bilingual) => issues.push(toIssue(p, m));
  const warn = (p: Place, m: Bilingual) => warnings.push(toIssue(p, m));
  const finish = (): XlsFormResult => {
    const strip = (list: typeof issues) =>
      list.sort((a, b) => a.order - b.order).map(({ order: _order, ...rest }): FieldIssue => rest);
    return { ok: false, issues: strip(issues), warnings: strip(warnings) };
  };

  // ── Sheets: survey (or the only sheet, as pyxform allows), choices, settings; the rest are not used.
  const named = new Map(sheets.map((s) => [s.name.trim().toLowerCase(), s]));
  const surveyRaw = named.get('survey') ?? (sheets.length === 1 ? sheets[0] : undefined);
  if (surveyRaw === undefined) {
    problem({ sheet: 'survey', row: 0, col: -1 }, xfMsg.noSurvey(sheets.map((s) => s.name).join(', ') || '—'));
    return finish();
  }
  const survey = new Sheet(surveyRaw.name, surveyRaw.records);
  const choicesRaw = named.get('choices');
  const choices = choicesRaw === undefined ? undefined : new Sheet(choicesRaw.name, choicesRaw.records);
  const settingsRaw = named.get('settings');
  const settings = settingsRaw === undefined ? undefined : new Sheet(settingsRaw.name, settingsRaw.records);
  headersOf = {
    survey,
    ...(choices === undefined ? {} : { choices }),
    ...(settings === undefined ? {} : { settings }),
  };
  for (const s of sheets) {
    if (s !== surveyRaw && s !== choicesRaw && s !== settingsRaw && s.records.length > 0)
      warn({ sheet: s.name, row: 0, col: -1 }, xfMsg.ignoredSheet(s.name));
  }
  for (const [key, s] of [
    ['survey', survey],
    ['choices', choices],
    ['settings', settings],
  ] as const) {
    if (s !== undefined && s.rows.length > MAX_IMPORT_ROWS) {
      problem({ sheet: key, row: s.rows[MAX_IMPORT_ROWS]?.row ?? 0, col: -1 }, xfMsg.tooManyRows(MAX_IMPORT_ROWS));
      return finish();
    }
  }
  for (const [key, s] of [
    ['survey', survey],
    ['choices', choices],
    ['settings', settings],
  ] as const) {
    if (s === undefined) continue;
    const seen = new Map<string, number>();
    s.headers.forEach((h, i) => {
      if (h.raw === '') return;
      const id = `${h.base}::${h.lang.toLowerCase()}`;
      if (seen.has(id)) problem({ sheet: key, row: s.headerRow, col: i }, xfMsg.duplicateColumn(h.raw));
      seen.set(id, i);
    });
  }

  // ── Settings: one data row.
  const setting = (base: string) => {
    if (settings === undefined) return { value: '', place: { sheet: 'settings', row: 2, col: -1 } };
    const r = settings.rows[0];
    const i = settings.index(base);
    return {
      value: r === undefined ? '' : settings.cell(r, i),
      place: { sheet: 'settings', row: r?.row ?? 2, col: i },
    };
  };
  const defaultLang = setting('default_language').value;
  const allowDuplicates = /^(yes|true|1)$/i.test(setting('allow_choice_duplicates').value);

  const textOf = (sheet: Sheet, r: CsvRecord, t: Translated): { label?: Label; col: number } => {
    let col = -1;
    let thText = '';
    for (const i of t.primary) {
      const v = sheet.cell(r, i);
      if (v !== '') {
        thText = v;
        col = i;
        break;
      }
    }
    if (thText === '') return { col };
    const en = t.en === undefined || t.en === col ? '' : sheet.cell(r, t.en);
    return { label: en === '' ? { th: thText } : { th: thText, en }, col };
  };

  const ignoredLanguages = new Set<string>();
  const noteLanguages = (sheet: Sheet, key: 'survey' | 'choices' | 'settings') => {
    sheet.headers.forEach((h, i) => {
      if (!TRANSLATABLE.has(h.base) || MEDIA_COLUMNS.includes(h.base) || h.base === 'guidance_hint') return;
      if (langOf(h.lang) !== null || h.lang === '') return;
      if (defaultLang !== '' && h.lang.toLowerCase() === defaultLang.toLowerCase()) return;
      const id = `${key}:${h.lang.toLowerCase()}`;
      if (ignoredLanguages.has(id)) return;
      // A language used only as the fallback for Thai is in use; any other is left out.
      ignoredLanguages.add(id);
      const hasThaiOrPlain = sheet.columns(h.base).some((c) => c.lang === '' || langOf(c.lang) === 'th');
      if (hasThaiOrPlain || sheet.columns(h.base).some((c) => langOf(c.lang) === 'en'))
        warn({ sheet: key, row: sheet.headerRow, col: i }, xfMsg.ignoredLanguage(h.lang));
    });
  };
  noteLanguages(survey, 'survey');
  if (choices !== undefined) noteLanguages(choices, 'choices');

  // ── Choices: lists by name, with their rows; extra columns become the choices' attributes.
  interface ChoiceRow {
    value: string;
    label: Label;
    attributes?: Record<string, string>;
    row: number;
  }
  const lists = new Map<string, { row: number; choices: ChoiceRow[] }>();
  const badLists = new Set<string>();
  if (choices !== undefined) {
    const listCol = choices.index('list_name');
    const nameCol = choices.index('name');
    const labelT = translated(choices, 'label', defaultLang);
    const media = choices.headers.flatMap((h, i) => (MEDIA_COLUMNS.includes(h.base) ? [i] : []));
    const known = new Set(['list_name', 'name', 'label', ...MEDIA_COLUMNS]);
    const attrCols = choices.headers.flatMap((h, i) =>
      !known.has(h.base) && h.raw !== '' && ITEM_KEY.test(h.raw) ? [i] : [],
    );
    choices.headers.forEach((h, i) => {
      if (!known.has(h.base) && h.raw !== '' && !ITEM_KEY.test(h.raw))
        warn({ sheet: 'choices', row: choices.headerRow, col: i }, xfMsg.ignoredColumn(h.raw));
    });
    if (choices.rows.length > 0) {
      if (listCol < 0) problem({ sheet: 'choices', row: choices.headerRow, col: -1 }, xfMsg.missingColumn('list_name'));
      if (nameCol < 0) problem({ sheet: 'choices', row: choices.headerRow, col: -1 }, xfMsg.missingColumn('name'));
    }
    if (listCol >= 0 && nameCol >= 0) {
      const seenIn = new Map<string, Map<string, number>>();
      for (const r of choices.rows) {
        const list = choices.cell(r, listCol);
        const value = choices.cell(r, nameCol);
        const { label } = textOf(choices, r, labelT);
        if (list === '' && value === '' && label === undefined) continue;
        const at = (col: number): Place => ({ sheet: 'choices', row: r.row, col });
        let ok = true;
        if (list === '') {
          problem(at(listCol), xfMsg.missingColumn('list_name'));
          continue;
        }
        if (!CHOICE_VALUE.test(value)) {
          problem(at(nameCol), value === '' ? xfMsg.missingName() : xfMsg.choiceName(value));
          ok = false;
        }
        if (label === undefined) {
          const hasMedia = media.some((i) => choices.cell(r, i) !== '');
          problem(at(labelT.primary[0] ?? nameCol), hasMedia ? xfMsg.mediaOnly() : xfMsg.missingLabel());
          ok = false;
        } else if (label.th.length > 1000 || (label.en?.length ?? 0) > 1000) {
          problem(at(labelT.primary[0] ?? nameCol), xfMsg.tooLong(1000));
          ok = false;
        }
        const seen = seenIn.get(list) ?? new Map<string, number>();
        seenIn.set(list, seen);
        const first = seen.get(value);
        if (first !== undefined && !allowDuplicates) {
          problem(at(nameCol), xfMsg.duplicateChoice(value, first));
          ok = false;
        }
        if (first === undefined) seen.set(value, r.row);
        const entry = lists.get(list) ?? { row: r.row, choices: [] };
        lists.set(list, entry);
        if (!ok || label === undefined) {
          badLists.add(list);
          continue;
        }
        const attributes: Record<string, string> = {};
        for (const i of attrCols) {
          const v = choices.cell(r, i);
          if (v !== '') attributes[choices.headers[i]?.raw ?? ''] = v;
        }
        entry.choices.push({
          value,
          label,
          row: r.row,
          ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
        });
      }
    }
  }
  const rating5 = lists.get('rating5');
  const isRating5 =
    rating5 !== undefined &&
    rating5.choices.length === 5 &&
    rating5.choices.every((c, i) => c.value === String(RATING_LEVELS[i]?.value) && c.label.th === RATING_LEVELS[i]?.th);
  if (rating5 !== undefined && !isRating5 && !badLists.has('rating5'))
    problem({ sheet: 'choices', row: rating5.row, col: choices?.index('list_name') ?? -1 }, xfMsg.rating5());
  const yesNo = lists.get('yes_no');
  const isYesNo =
    yesNo !== undefined &&
    yesNo.choices.length === 2 &&
    yesNo.choices[0]?.value === 'yes' &&
    yesNo.choices[0].label.th === yesNoLabels.yes.th &&
    yesNo.choices[1]?.value === 'no' &&
    yesNo.choices[1].label.th === yesNoLabels.no.th;

  // ── Survey rows into items, with groups and repeats as a stack.
  const col = (base: string) => survey.index(base);
  const typeCol = col('type');
  const nameCol = col('name');
  if (typeCol < 0) problem({ sheet: 'survey', row: survey.headerRow, col: -1 }, xfMsg.missingColumn('type'));
  if (nameCol < 0) problem({ sheet: 'survey', row: survey.headerRow, col: -1 }, xfMsg.missingColumn('name'));
  if (typeCol < 0 || nameCol < 0) return finish();

  const T = {
    label: translated(survey, 'label', defaultLang),
    hint: translated(survey, 'hint', defaultLang),
    constraintMessage: translated(survey, 'constraint_message', defaultLang),
    requiredMessage: translated(survey, 'required_message', defaultLang),
    unit: translated(survey, 'unit', defaultLang),
    addLabel: translated(survey, 'add_label', defaultLang),
  };
  const C = {
    required: col('required'),
    relevant: col('relevant'),
    constraint: col('constraint'),
    calculation: col('calculation'),
    default: col('default'),
    choiceFilter: col('choice_filter'),
    appearance: col('appearance'),
    readOnly: col('read_only'),
    repeatCount: col('repeat_count'),
    parameters: col('parameters'),
    achieve: col('achieve'),
    target: col('target'),
    under: col('under'),
    feedback: col('feedback'),
  };
  const mediaCols = survey.headers.flatMap((h, i) => (MEDIA_COLUMNS.includes(h.base) ? [i] : []));
  const used = new Set([
    'type',
    'name',
    'label',
    'hint',
    'constraint_message',
    'required_message',
    'unit',
    'add_label',
    ...Object.keys(C).map(
      (k) => ({ readOnly: 'read_only', repeatCount: 'repeat_count', choiceFilter: 'choice_filter' })[k] ?? k,
    ),
  ]);
  const ignoredCols = survey.headers.flatMap((h, i) => (h.raw !== '' && !used.has(h.base) ? [i] : []));
  for (const i of ignoredCols) {
    if (survey.rows.some((r) => survey.cell(r, i) !== ''))
      warn({ sheet: 'survey', row: survey.headerRow, col: i }, xfMsg.ignoredColumn(survey.headers[i]?.raw ?? ''));
  }

  /** Where each item of the definition came from, by its path (items.3.items.1), for tracing issues back. */
  interface Origin {
    row: number;
    /** The definition field → the column it was read from. */
    fields: Map<string, number>;
    /** Choices of a select, by index: their choices-sheet rows. */
    choiceRows?: number[];
  }
  type Obj = Record<string, unknown>;
  const originOf = new WeakMap<Obj, Origin>();
  interface Frame {
    kind: 'root' | 'group' | 'repeat' | 'loop';
    row: number;
    item: Obj | undefined;
    items: { obj: Obj; origin: Origin }[];
    /** Rows inside it that were refused: an empty group is then explained already. */
    refusedInside: boolean;
  }
  const stack: Frame[] = [{ kind: 'root', row: 0, item: undefined, items: [], refusedInside: false }];
  const names = new Map<string, number>();
  /** Names of rows left out (metadata) or refused (unsupported), so references to them add no second issue. */
  const absent = new Map<string, { type: string; metadata: boolean }>();
  const appearances = new Set<string>();

  const refuse = (name: string, type: string, metadata: boolean) => {
    if (name !== '') absent.set(name, { type, metadata });
    for (const f of stack) f.refusedInside = true;
  };

  for (const r of survey.rows) {
    const cell = (i: number) => survey.cell(r, i);
    const at = (i: number): Place => ({ sheet: 'survey', row: r.row, col: i });
    const typeText = cell(typeCol);
    const name = cell(nameCol);
    const label = textOf(survey, r, T.label);
    if (typeText === '') {
      // A row with neither type, name nor label is a comment (pyxform); with a name or label it lost its type.
      if (name !== '' || label.label !== undefined) problem(at(typeCol), xfMsg.missingType());
      continue;
    }
    const type = parseType(typeText);
    if (type.kind === 'end') {
      const top = stack[stack.length - 1];
      const expected = type.what;
      if (stack.length === 1 || top === undefined || top.kind !== expected) {
        problem(at(typeCol), xfMsg.unexpectedEnd(expected));
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (top.kind === 'loop' || top.item === undefined || parent === undefined) continue;
      if (top.items.length === 0) {
        if (top.refusedInside) continue;
        if (top.kind === 'repeat') problem({ sheet: 'survey', row: top.row, col: typeCol }, xfMsg.emptyGroup('repeat'));
        else warn({ sheet: 'survey', row: top.row, col: typeCol }, xfMsg.emptyGroup('group'));
        continue;
      }
      top.item.items = top.items.map((x) => x.obj);
      const origin = originOf.get(top.item);
      if (origin !== undefined) parent.items.push({ obj: top.item, origin });
      continue;
    }

    // Every other row names an item.
    const validName = ITEM_KEY.test(name);
    if (name === '') problem(at(nameCol), xfMsg.missingName());
    else if (!validName) problem(at(nameCol), xfMsg.badName(name));
    else if (names.has(name)) problem(at(nameCol), xfMsg.duplicateName(name, names.get(name) ?? 0));
    const nameOk = validName && !names.has(name);
    if (nameOk) names.set(name, r.row);

    if (type.kind === 'metadata') {
      warn(at(typeCol), xfMsg.ignoredMetadata(type.type));
      refuse(name, type.type, true);
      continue;
    }
    if (type.kind === 'unsupported' || type.kind === 'unknown') {
      problem(
        at(typeCol),
        type.kind === 'unsupported' ? xfMsg.unsupportedType(type.type) : xfMsg.unknownType(type.type),
      );
      refuse(name, type.type, false);
      continue;
    }

    // Columns every item may have.
    const fields = new Map<string, number>([['key', nameCol]]);
    const obj: Obj = { key: name };
    let bad = !nameOk;
    const put = (field: string, value: unknown, column: number) => {
      obj[field] = value;
      fields.set(field, column);
    };
    const putText = (field: string, t: Translated) => {
      const v = textOf(survey, r, t);
      if (v.label === undefined) return undefined;
      put(field, v.label, v.col);
      if (t.en !== undefined) fields.set(`${field}.en`, t.en);
      fields.set(`${field}.th`, v.col);
      return v.label;
    };
    const hasMedia = mediaCols.some((i) => cell(i) !== '');

    const appearance = C.appearance < 0 ? '' : cell(C.appearance);
    for (const a of appearance.split(/\s+/).filter((x) => x !== '')) {
      if (a.startsWith('ex:')) {
        problem(at(C.appearance), xfMsg.externalApp(a));
        bad = true;
      } else if (!appearances.has(a)) {
        appearances.add(a);
        warn(at(C.appearance), xfMsg.ignoredAppearance(a));
      }
    }
    if (C.readOnly >= 0 && /^(yes|true|true\(\)|1)$/i.test(cell(C.readOnly))) {
      problem(at(C.readOnly), xfMsg.readOnly());
      bad = true;
    }

    const requiredOf = (): boolean => {
      const v = C.required < 0 ? '' : cell(C.required);
      if (v === '' || /^(no|false|false\(\)|0)$/i.test(v)) return false;
      if (/^(yes|true|true\(\)|1)$/i.test(v)) return true;
      problem(at(C.required), /[${(]/.test(v) ? xfMsg.dynamicRequired() : xfMsg.badBoolean(v));
      bad = true;
      return false;
    };
    const expr = (field: string, c: number) => {
      const v = c < 0 ? '' : cell(c);
      if (v !== '') put(field, v, c);
    };
    const params = new Map<string, { value: string }>();
    if (C.parameters >= 0 && cell(C.parameters) !== '') {
      const p = parseParameters(cell(C.parameters));
      for (const b of p.bad) warn(at(C.parameters), xfMsg.badParameter(b));
      for (const [k, v] of p.pairs) params.set(k, { value: v });
    }
    const intParam = (k: string, field: string, min: number, max: number) => {
      const p = params.get(k);
      if (p === undefined) return;
      params.delete(k);
      const n = /^-?\d+$/.test(p.value) ? Number(p.value) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        problem(at(C.parameters), xfMsg.badParameterValue(k));
        bad = true;
      } else put(field, n, C.parameters);
    };
    const numParam = (k: string, field: string) => {
      const p = params.get(k);
      if (p === undefined) return;
      params.delete(k);
      const n = /^-?\d+(\.\d+)?$/.test(p.value) ? Number(p.value) : NaN;
      if (Number.isNaN(n)) {
        problem(at(C.parameters), xfMsg.badParameterValue(k));
        bad = true;
      } else put(field, n, C.parameters);
    };
    const noCalculation = () => {
      if (C.calculation >= 0 && cell(C.calculation) !== '') {
        problem(at(C.calculation), xfMsg.calculationOnQuestion());
        bad = true;
      }
    };
    /** The outcome columns (achieve, target, under, feedback), on the item kinds that take them. */
    const outcomeCols = () => {
      const v = (c: number) => (c < 0 ? '' : cell(c));
      const keyOf = (t: string) => /^\$\{([^}]*)\}$/.exec(t)?.[1] ?? t;
      const levelItem = obj.type === 'rating' || obj.type === 'calculate';
      const cols: [number, boolean][] = [
        [C.achieve, levelItem],
        [C.target, levelItem],
        [C.under, levelItem || obj.type === 'text'],
        [C.feedback, obj.type === 'text'],
      ];
      for (const [c, ok] of cols) {
        if (v(c) !== '' && !ok) {
          problem(at(c), xfMsg.outcomeColumn(survey.headers[c]?.raw ?? ''));
          bad = true;
        }
      }
      const achieve = v(C.achieve).toLowerCase();
      if (levelItem && achieve !== '') put('achieve', achieve, C.achieve);
      const target = v(C.target);
      if (levelItem && target !== '') put('target', /^[1-5]$/.test(target) ? Number(target) : keyOf(target), C.target);
      if (v(C.under) !== '' && (levelItem || obj.type === 'text')) put('under', keyOf(v(C.under)), C.under);
      const feedback = v(C.feedback).toLowerCase();
      if (obj.type === 'text' && feedback !== '') put('feedback', feedback, C.feedback);
    };
    const needLabel = () => {
      if (obj.label !== undefined) return;
      problem(at(T.label.primary[0] ?? typeCol), hasMedia ? xfMsg.mediaOnly() : xfMsg.missingLabel());
      bad = true;
    };

    if (type.kind === 'begin') {
      putText('label', T.label);
      expr('relevant', C.relevant);
      noCalculation();
      let kind: Frame['kind'] = type.what;
      if (type.what === 'loop') {
        problem(at(typeCol), xfMsg.unsupportedType('begin loop'));
        refuse(name, 'loop', false);
        kind = 'loop';
      } else if (type.what === 'group') {
        obj.type = 'section';
      } else {
        obj.type = 'repeat';
        if (obj.label === undefined) put('label', { th: name }, nameCol);
        putText('addLabel', T.addLabel);
        const count = C.repeatCount < 0 ? '' : cell(C.repeatCount);
        if (/^\d+$/.test(count)) {
          const n = Number(count);
          if (n < 1 || n > 50) {
            problem(at(C.repeatCount), xfMsg.badRepeatCount(count));
            bad = true;
          } else {
            put('minCount', n, C.repeatCount);
            put('maxCount', n, C.repeatCount);
          }
        } else if (count !== '') put('count', count, C.repeatCount);
        intParam('min-count', 'minCount', 0, 50);
        intParam('max-count', 'maxCount', 1, 50);
      }
      for (const k of params.keys()) warn(at(C.parameters), xfMsg.badParameter(k));
      if (bad && kind !== 'loop') refuse(name, typeText, false);
      const frame: Frame = {
        kind,
        row: r.row,
        item: bad || kind === 'loop' ? undefined : obj,
        items: [],
        refusedInside: false,
      };
      if (frame.item !== undefined) originOf.set(obj, { row: r.row, fields });
      stack.push(frame);
      continue;
    }

    // A question, note or calculation.
    putText('label', T.label);
    putText('hint', T.hint);
    const parent = stack[stack.length - 1];
    if (type.kind === 'select') {
      if (type.list === '') {
        problem(at(typeCol), xfMsg.missingList());
        bad = true;
      }
      const list = lists.get(type.list);
      const source = (choiceSources as readonly string[]).includes(type.list) && list === undefined;
      if (!source && list === undefined && type.list !== '') {
        problem(at(typeCol), xfMsg.noList(type.list));
        bad = true;
      } else if (list !== undefined && list.choices.length === 0 && !badLists.has(type.list)) {
        problem(at(typeCol), xfMsg.emptyList(type.list));
        bad = true;
      }
      if (badLists.has(type.list)) bad = true;
      const filter = C.choiceFilter < 0 ? '' : cell(C.choiceFilter);
      const plain = !type.orOther && filter === '';
      if (!type.many && plain && type.list === 'rating5' && isRating5) obj.type = 'rating';
      else if (!type.many && plain && type.list === 'yes_no' && isYesNo) obj.type = 'yes_no';
      else {
        obj.type = type.many ? 'select_many' : 'select_one';
        fields.set('choices', typeCol);
        fields.set('orOther', typeCol);
        if (source) put('choicesFrom', type.list, typeCol);
        else if (list !== undefined) {
          obj.choices = list.choices.map((c) => ({
            value: c.value,
            label: c.label,
            ...(c.attributes === undefined ? {} : { attributes: c.attributes }),
          }));
        }
        if (type.orOther) obj.orOther = true;
        if (filter !== '') put('choiceFilter', filter, C.choiceFilter);
        if (type.many) {
          intParam('min-selected', 'minSelected', 1, 5000);
          intParam('max-selected', 'maxSelected', 1, 5000);
        }
      }
      for (const k of ['randomize', 'seed']) params.delete(k);
      put('required', requiredOf(), C.required);
      putText('requiredMessage', T.requiredMessage);
      expr('relevant', C.relevant);
      expr('constraint', C.constraint);
      putText('constraintMessage', T.constraintMessage);
      expr('default', C.default);
      noCalculation();
      needLabel();
      outcomeCols();
      const origin: Origin = {
        row: r.row,
        fields,
        ...(list === undefined ? {} : { choiceRows: list.choices.map((c) => c.row) }),
      };
      for (const k of params.keys()) warn(at(C.parameters), xfMsg.badParameter(k));
      if (bad) refuse(name, typeText, false);
      else {
        originOf.set(obj, origin);
        parent?.items.push({ obj, origin });
      }
      continue;
    }

    switch (type.type) {
      case 'note':
        obj.type = 'note';
        expr('relevant', C.relevant);
        noCalculation();
        needLabel();
        break;
      case 'calculate':
      case 'today': {
        obj.type = 'calculate';
        if (obj.label === undefined) put('label', { th: name }, nameCol);
        delete obj.hint;
        if (type.type === 'today') put('expression', 'today()', typeCol);
        else {
          const v = C.calculation < 0 ? '' : cell(C.calculation);
          if (v === '') {
            problem(at(C.calculation < 0 ? typeCol : C.calculation), xfMsg.missingCalculation());
            bad = true;
          } else put('expression', v, C.calculation);
        }
        break;
      }
      case 'text':
      case 'integer':
      case 'decimal':
      case 'percentage':
      case 'date':
      case 'acknowledge':
      case 'photo':
      case 'document': {
        const kinds = {
          text: 'text',
          integer: 'number',
          decimal: 'number',
          percentage: 'number',
          date: 'date',
          acknowledge: 'acknowledge',
          photo: 'photo',
          document: 'document',
        } as const;
        obj.type = kinds[type.type];
        fields.set('type', typeCol);
        put('required', requiredOf(), C.required);
        putText('requiredMessage', T.requiredMessage);
        expr('relevant', C.relevant);
        expr('constraint', C.constraint);
        putText('constraintMessage', T.constraintMessage);
        expr('default', C.default);
        noCalculation();
        needLabel();
        if (obj.type === 'number') {
          if (type.type !== 'decimal') put('integer', true, typeCol);
          if (type.type === 'percentage') {
            put('min', 0, typeCol);
            put('max', 100, typeCol);
          }
          numParam('min', 'min');
          numParam('max', 'max');
          putText('unit', T.unit);
        }
        if (obj.type === 'text') intParam('max-length', 'maxLength', 1, 4000);
        if (obj.type === 'photo' || obj.type === 'document') {
          intParam('max-files', 'maxFiles', 1, 10);
          params.delete('max-pixels');
        }
      }
    }
    outcomeCols();
    for (const k of params.keys()) warn(at(C.parameters), xfMsg.badParameter(k));
    if (bad) {
      refuse(name, typeText, false);
      continue;
    }
    const origin: Origin = { row: r.row, fields };
    originOf.set(obj, origin);
    parent?.items.push({ obj, origin });
  }
  for (const f of stack.slice(1).reverse()) {
    problem({ sheet: 'survey', row: f.row, col: typeCol }, xfMsg.unclosed(f.kind === 'loop' ? 'loop' : f.kind, f.row));
  }

  // ── The definition itself.
  const keyCell = setting('form_id');
  let key = keyCell.value;
  if (key === '' && opts.fallbackKey !== undefined) key = opts.fallbackKey;
  const normalKey = normaliseKey(key);
  if (key === '') problem(keyCell.place, xfMsg.missingFormId());
  else if (normalKey === undefined) problem(keyCell.place, xfMsg.badFormId(key));
  const versionCell = setting('version');
  let version = 1;
  if (versionCell.value !== '') {
    version = /^\d{1,10}$/.test(versionCell.value) ? Number(versionCell.value) : NaN;
    if (!Number.isInteger(version) || version < 1 || version > 2147483647) {
      problem(versionCell.place, xfMsg.badVersion(versionCell.value));
      version = 1;
    }
  }
  const scopeCell = setting('scope');
  let scope = scopeCell.value === '' ? 'person' : scopeCell.value.toLowerCase();
  if (scope !== 'person' && scope !== 'school') {
    problem(scopeCell.place, xfMsg.badScope(scopeCell.value));
    scope = 'person';
  }
  const settingText = (base: string) => {
    if (settings === undefined || settings.rows[0] === undefined) return { label: undefined, col: -1 };
    return textOf(settings, settings.rows[0], translated(settings, base, defaultLang));
  };
  const title = settingText('form_title');
  const description = settingText('description');
  if (settings !== undefined) {
    const known = new Set([
      'form_title',
      'form_id',
      'version',
      'default_language',
      'allow_choice_duplicates',
      'scope',
      'description',
    ]);
    settings.headers.forEach((h, i) => {
      const r = settings.rows[0];
      if (h.raw !== '' && !known.has(h.base) && r !== undefined && settings.cell(r, i) !== '')
        warn({ sheet: 'settings', row: settings.headerRow, col: i }, xfMsg.ignoredColumn(h.raw));
    });
  }

  const root = stack[0];
  const definition = {
    schema: 'nithet.checklist/1',
    key: normalKey ?? 'invalid',
    version,
    title: title.label ?? { th: keyCell.value || key || 'แบบสอบถาม' },
    ...(description.label === undefined ? {} : { description: description.label }),
    scope,
    items: (root?.items ?? []).map((x) => x.obj),
  };

  if (definition.items.length === 0) {
    // Every row refused (their issues say why) or none at all.
    if (issues.length === 0) problem({ sheet: 'survey', row: survey.headerRow, col: -1 }, xfMsg.noQuestions());
    return finish();
  }

  // ── Cross-checks, traced back to cells. A reference to a row already refused adds no second issue; one to a
  // left-out metadata row says which.
  const result = validateFormDefinition(definition);
  if (!result.ok) {
    const paths = new Map<string, Origin>();
    const walk = (items: { obj: Obj; origin: Origin }[], prefix: string) => {
      items.forEach((x, i) => {
        const path = `${prefix}.${i}`;
        paths.set(path, x.origin);
        const inner = x.obj.items;
        if (Array.isArray(inner)) {
          walk(
            inner.map((o) => ({ obj: o as Obj, origin: originOf.get(o as Obj) ?? x.origin })),
            `${path}.items`,
          );
        }
      });
    };
    walk(root?.items ?? [], 'items');
    const unknownRef = new Map<string, string>();
    for (const [k] of absent) unknownRef.set(defMsg.unknownRef(k).en, k);
    for (const i of result.issues) {
      const absentKey = unknownRef.get(i.message);
      const gone = absentKey === undefined ? undefined : absent.get(absentKey);
      if (gone !== undefined && !gone.metadata) continue;
      const m: Bilingual =
        gone !== undefined
          ? xfMsg.metadataReferenced(gone.type)
          : i.th !== undefined
            ? { th: i.th, en: i.message }
            : xfMsg.invalid(i.message);
      problem(placeOf(i.path, paths, { typeCol, choices, keyCell, versionCell, title, survey }), m);
    }
  }
  if (issues.length > 0 || !result.ok) {
    // A form whose every row was refused may still have come through validation as "too few items": the rows'
    // own issues say more, and are already here.
    return finish();
  }
  return {
    ok: true,
    definition: result.definition,
    warnings: warnings.sort((a, b) => a.order - b.order).map(({ order: _o, ...rest }): FieldIssue => rest),
  };

  // Declared below the flow that uses it, as a closure over the reader's state.
  function placeOf(
    path: string,
    paths: Map<string, Origin>,
    ctx: {
      typeCol: number;
      choices: Sheet | undefined;
      keyCell: { place: Place };
      versionCell: { place: Place };
      title: { col: number };
      survey: Sheet;
    },
  ): Place {
    const top = path.split('.')[0] ?? '';
    if (top === 'key') return ctx.keyCell.place;
    if (top === 'version') return ctx.versionCell.place;
    if (top === 'title' || top === 'description' || top === 'schema' || top === 'scope')
      return { sheet: 'settings', row: 2, col: top === 'title' ? ctx.title.col : -1 };
    // The longest item path that has an origin, then the field after it.
    const parts = path.split('.');
    for (let n = parts.length; n >= 2; n--) {
      const origin = paths.get(parts.slice(0, n).join('.'));
      if (origin === undefined) continue;
      const rest = parts.slice(n);
      if (rest[0] === 'choices' && rest[1] !== undefined && /^\d+$/.test(rest[1])) {
        const row = origin.choiceRows?.[Number(rest[1])];
        const nameIdx = ctx.choices?.index('name') ?? -1;
        if (row !== undefined) return { sheet: 'choices', row, col: nameIdx };
      }
      const field = rest.join('.');
      const column =
        origin.fields.get(field) ?? origin.fields.get(rest[0] ?? '') ?? (rest.length > 0 ? ctx.typeCol : -1);
      return { sheet: 'survey', row: origin.row, col: column };
    }
    return { sheet: 'survey', row: ctx.survey.headerRow + 1, col: -1 };
  }
}

/** form_id → a checklist key: lower case, runs of anything else as '-', starting with a letter. */
export function normaliseKey(formId: string): string | undefined {
  let k = formId
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(k)) k = `form-${k}`;
  k = k.slice(0, 64).replace(/-+$/, '');
  return /^[a-z][a-z0-9-]{1,63}$/.test(k) ? k : undefined;
}
