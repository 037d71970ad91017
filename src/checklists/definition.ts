// A checklist is data: a JSON definition in the spirit of XLSForm, validated here with errors that carry paths
// ("items.3.relevant: unknown item 'x'"). Definitions are versioned; a response stays pinned to its version.
//
// Expressions (relevant, constraint, calculate) use a small safe language evaluated by ./expr.ts, never eval:
//   ${key} an earlier answer · . the answer being checked · numbers 3, 2.5 · strings 'yes' · true false null
//   = != < <= > >= · and or not(x) · + - * / · ( )
//   selected(${k}, 'v') · count_selected(${k}) · avg(a, b, …) · sum(…) · min(…) · max(…) · round(x) (half up)
//   if(cond, a, b) · coalesce(a, b, …) · length(s) · today() (a YYYY-MM-DD string in the office time zone)
// Inside a repeat, ${key} names a sibling in the same repeat instance first, then an item outside.
// The expression syntax also reads XLSForm's spellings (count-selected, string-length, div, mod, …; ./expr.ts).
//
// Two schemas share these parts. `formDefinitionSchema` is what an office may store and download, grown for
// XLSForm: sections (begin_group, nested), document and acknowledge items, or_other, choice_filter, default,
// required_message, a repeat count. `definitionSchema` is its flat form, what the chat runs
// (src/checklists/runner.ts): `flattenForm` turns each section into a heading and hands its relevance down.
// Every stored version passes the wide one and the chat runs all of it: what a LINE chat cannot ask (geopoint,
// barcode, audio, …) is refused when the workbook is read (./xlsform/), so nothing stored waits for the chat.
import * as z from 'zod';
import { type Bilingual, defaultKinds, defMsg, orOther } from '../i18n/forms.th.js';
import { ExprError, fieldsOf, parseExpression, refUses, walkExpr, type Expr } from './expr.js';

export const DEFINITION_SCHEMA = 'nithet.checklist/1';

const text = (max: number) => z.string().trim().min(1).max(max);
export const label = z.strictObject({ th: text(1000), en: text(1000).optional() });
export type Label = z.infer<typeof label>;

/** An item's key, as XLSForm names it: a letter or _, then letters, digits, _, - or . (XML names without ':'). */
export const ITEM_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const key = z.string().regex(ITEM_KEY, 'letters, digits, _, - or . (start with a letter or _, ≤ 64)');
const expression = z.string().trim().min(1).max(500);

/** A choice's value: ASCII without spaces, since XLSForm keeps a multiple selection as values joined by spaces. */
export const CHOICE_VALUE = /^[A-Za-z0-9_.-]{1,64}$/;
export const choice = z.strictObject({
  value: z.string().regex(CHOICE_VALUE, 'letters, digits, _, - or . (≤ 64)'),
  label,
});
export type Choice = z.infer<typeof choice>;

/** Choices computed from the office's data when the question is asked: the supervisor's own schools. */
export const choiceSources = ['assigned_schools'] as const;
export type ChoiceSource = (typeof choiceSources)[number];

const common = {
  key,
  label,
  hint: label.optional(),
  required: z.boolean().default(true),
  /** Ask only when this expression is true. */
  relevant: expression.optional(),
  /** Accept the answer only when this is true (`.` is the answer); otherwise say constraintMessage. */
  constraint: expression.optional(),
  constraintMessage: label.optional(),
};

const choices = z.array(choice).min(1).max(100);

const yesNo = z.strictObject({ ...common, type: z.literal('yes_no') });
const selectOne = z.strictObject({
  ...common,
  type: z.literal('select_one'),
  choices: choices.optional(),
  choicesFrom: z.enum(choiceSources).optional(),
});
const selectMany = z.strictObject({
  ...common,
  type: z.literal('select_many'),
  choices: choices.optional(),
  choicesFrom: z.enum(choiceSources).optional(),
  minSelected: z.number().int().min(1).optional(),
  maxSelected: z.number().int().min(1).optional(),
});
/**
 * What a level means (seed 001's decision: a level at or above the target is achieved), as data on the item whose
 * value is the level (a rating, or a calculate that averages ratings): a standard or one of its indicators, the
 * target as a fixed level (1–5) or the key of an earlier item holding the school's own target, and the standard
 * an indicator belongs to. Reports count achieved / not achieved by these; the visit form compares them with the
 * school's self-assessment of the same indicator keys.
 */
export const achieveKinds = ['standard', 'indicator'] as const;
const outcome = {
  achieve: z.enum(achieveKinds).optional(),
  target: z.union([z.number().int().min(1).max(5), key]).optional(),
  /** The standard (or indicator) item this one is grouped under. */
  under: key.optional(),
};
/** Free text that reports gather: strengths, points to improve, recommendations and best practices. */
export const feedbackKinds = ['strength', 'improve', 'recommendation', 'best_practice'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

/** The five levels of the B.E. 2561 standards: ยอดเยี่ยม 5 … กำลังพัฒนา 1. */
const rating = z.strictObject({ ...common, ...outcome, type: z.literal('rating') });
const number = z.strictObject({
  ...common,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
  unit: label.optional(),
});
const textItem = z.strictObject({
  ...common,
  type: z.literal('text'),
  feedback: z.enum(feedbackKinds).optional(),
  under: key.optional(),
  maxLength: z.number().int().min(1).max(4000).default(1000),
});
const date = z.strictObject({ ...common, type: z.literal('date') });
const photo = z.strictObject({
  ...common,
  type: z.literal('photo'),
  maxFiles: z.number().int().min(1).max(10).default(3),
});
/** Shown, not answered: a heading or an explanation before the next question. */
const note = z.strictObject({
  type: z.literal('note'),
  key,
  label,
  relevant: expression.optional(),
});
/** Computed, not asked: stored with the answers (a standard's level from its items). */
const calculate = z.strictObject({
  type: z.literal('calculate'),
  key,
  label,
  expression,
  ...outcome,
});

// ---------------------------------------------------------------------------------------------------------------
// The wide schema: everything the narrow one has, plus what XLSForm brings.

/** Extra columns of an XLSForm choices sheet, by column name: what a choice_filter compares (`cf` in `${state} = cf`). */
const RESERVED_COLUMNS = new Set(['list_name', 'name', 'label', 'image', 'big-image', 'audio', 'video', 'media']);
const attributeName = z
  .string()
  .regex(ITEM_KEY, 'letters, digits, _, - or .')
  .refine((n) => !RESERVED_COLUMNS.has(n.toLowerCase()), 'a column the choices sheet already has (name, label, …)');
export const formChoice = choice.extend({
  attributes: z.record(attributeName, z.string().max(200)).optional(),
});
export type FormChoice = z.infer<typeof formChoice>;

const formExtras = {
  /** Said when a required item is skipped, instead of the standard sentence (XLSForm required_message). */
  requiredMessage: label.optional(),
  /** The answer offered before the person answers, as XLSForm writes it: '5', 'yes', '2026-01-31', 'a b'. */
  default: z.string().trim().min(1).max(1000).optional(),
};
const formChoices = z.array(formChoice).min(1).max(5000);
const selectExtras = {
  ...formExtras,
  choices: formChoices.optional(),
  /** Adds the choice "other" and asks for the other answer as text, kept under `<key>_other` (XLSForm or_other). */
  orOther: z.literal(true).optional(),
  /** Which choices to offer, per choice: `${province} = province` (bare names are the choice's columns). */
  choiceFilter: expression.optional(),
};

const fYesNo = yesNo.extend(formExtras);
const fSelectOne = selectOne.extend(selectExtras);
const fSelectMany = selectMany.extend(selectExtras);
const fRating = rating.extend(formExtras);
const fNumber = number.extend(formExtras);
const fText = textItem.extend(formExtras);
const fDate = date.extend(formExtras);
const fPhoto = photo.extend(formExtras);
const fNote = note.extend({ hint: label.optional() });
/** "I have read this": answered by one tap (XLSForm acknowledge). */
const acknowledge = z.strictObject({ ...common, ...formExtras, type: z.literal('acknowledge') });
/** Evidence as files: a PDF, Word or Excel document sent in the chat (XLSForm file). */
const documentItem = z.strictObject({
  ...common,
  ...formExtras,
  type: z.literal('document'),
  maxFiles: z.number().int().min(1).max(10).default(3),
});

const formLeafItem = z.discriminatedUnion('type', [
  fYesNo,
  fSelectOne,
  fSelectMany,
  fRating,
  fNumber,
  fText,
  fDate,
  fPhoto,
  fNote,
  calculate,
  acknowledge,
  documentItem,
]);
export type FormLeafItem = z.infer<typeof formLeafItem>;

const MAX_FORM_ITEMS = 1000;

const header = {
  schema: z.literal(DEFINITION_SCHEMA),
  key: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'lower-case letters, digits and - (2–64)'),
  version: z.number().int().min(1),
  title: label,
  description: label.optional(),
  /** 'person': each person answers; 'school': one response per school, answered by the principal. */
  scope: z.enum(['person', 'school']),
};

// ---------------------------------------------------------------------------------------------------------------
// The flat schema: what the chat runs. The wide one without sections (flattenForm turns each section into a
// heading note and hands its relevance down to its items), and each repeat holding items only.

export type LeafItem = FormLeafItem;
export type AnswerableItem = Exclude<LeafItem, { type: 'note' | 'calculate' }>;

/** A group asked again and again ("add another finding?", or a computed number of times), each instance in full. */
const repeat = z.strictObject({
  type: z.literal('repeat'),
  key,
  label,
  relevant: expression.optional(),
  items: z.array(formLeafItem).min(1).max(MAX_FORM_ITEMS),
  minCount: z.number().int().min(0).max(50).default(0),
  maxCount: z.number().int().min(1).max(50).default(20),
  /** The question "add another?"; a default Thai wording is used when absent. */
  addLabel: label.optional(),
  /** How many instances, computed (XLSForm repeat_count): asked that many times, no "add another?". */
  count: expression.optional(),
});
export type RepeatItem = z.infer<typeof repeat>;
const item = z.discriminatedUnion('type', [...formLeafItem.options, repeat]);
export type Item = z.infer<typeof item>;

export const definitionSchema = z.strictObject({ ...header, items: z.array(item).min(1).max(MAX_FORM_ITEMS) });
export type Definition = z.infer<typeof definitionSchema>;

export interface FormSection {
  type: 'section';
  key: string;
  /** The heading shown when the section starts; a section without one only groups (for relevant). */
  label?: Label | undefined;
  relevant?: string | undefined;
  items: FormItem[];
}

export interface FormRepeat {
  type: 'repeat';
  key: string;
  label: Label;
  relevant?: string | undefined;
  items: FormItem[];
  minCount: number;
  maxCount: number;
  addLabel?: Label | undefined;
  /** How many instances, computed (XLSForm repeat_count as an expression): asked that many times, no "add another?". */
  count?: string | undefined;
}

export type FormItem = FormLeafItem | FormSection | FormRepeat;

// Recursive through getters (zod 4): a section holds items and sections; repeats inside repeats are refused by
// formIssues, with a message, rather than by the shape.
const formSection = z.strictObject({
  type: z.literal('section'),
  key,
  label: label.optional(),
  relevant: expression.optional(),
  get items() {
    return z.array(formItem).min(1).max(MAX_FORM_ITEMS);
  },
});
const formRepeat = z.strictObject({
  type: z.literal('repeat'),
  key,
  label,
  relevant: expression.optional(),
  get items() {
    return z.array(formItem).min(1).max(MAX_FORM_ITEMS);
  },
  minCount: z.number().int().min(0).max(50).default(0),
  maxCount: z.number().int().min(1).max(50).default(20),
  addLabel: label.optional(),
  count: expression.optional(),
});
const formItem: z.ZodType<FormItem, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [...formLeafItem.options, formSection, formRepeat]),
);

export const formDefinitionSchema = z.strictObject({ ...header, items: z.array(formItem).min(1).max(MAX_FORM_ITEMS) });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;

export interface DefinitionIssue {
  path: string;
  /** English: what the JSON upload has always answered. */
  message: string;
  /** The same in Thai. */
  th?: string;
}

export type DefinitionResult = { ok: true; definition: Definition } | { ok: false; issues: DefinitionIssue[] };
export type FormDefinitionResult = { ok: true; definition: FormDefinition } | { ok: false; issues: DefinitionIssue[] };

const zodIssues = (error: z.ZodError): DefinitionIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));

/** The flat shape the chat runs (built-ins and fixtures are written flat), with the cross-checks of any definition. */
export function validateDefinition(input: unknown): DefinitionResult {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = formIssues(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

/** What an office may store (JSON upload, XLSForm): the wide shape and its cross-checks. */
export function validateFormDefinition(input: unknown): FormDefinitionResult {
  const parsed = formDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = formIssues(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

const issue = (path: string, m: Bilingual): DefinitionIssue => ({ path, message: m.en, th: m.th });

/** `${key}` inside label text (XLSForm shows answers in labels). */
export function labelRefs(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? '');
}

interface Declared {
  /** The repeat the item is inside (null: not in a repeat). */
  repeat: string | null;
}

/** Visiting order with each item's path and the repeat it is in: sections are transparent. */
export function walkForm(
  items: FormItem[],
  visit: (it: FormItem, path: string, repeat: FormRepeat | null) => void,
  prefix = 'items',
  repeat: FormRepeat | null = null,
): void {
  items.forEach((it, i) => {
    const path = `${prefix}.${i}`;
    visit(it, path, repeat);
    if (it.type === 'section') walkForm(it.items, visit, `${path}.items`, repeat);
    else if (it.type === 'repeat') walkForm(it.items, visit, `${path}.items`, it);
  });
}

const both = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : `(${a}) and (${b})`;

function withRelevant<T extends { relevant?: string | undefined }>(it: T, outer: string | undefined): T {
  const r = both(outer, it.relevant);
  return r === undefined ? it : { ...it, relevant: r };
}

type Select = Extract<FormLeafItem, { type: 'select_one' | 'select_many' }>;

/** XLSForm's or_other: the choice "other", then a question for which, kept under `<key>_other` as pyxform does. */
function withOther(it: Select): LeafItem[] {
  if (it.orOther !== true || it.choices === undefined) return [it];
  const { orOther: _, ...rest } = it;
  const when = `selected(\${${it.key}}, 'other')`;
  return [
    { ...rest, choices: [...it.choices, { value: 'other', label: orOther.choice }] },
    {
      type: 'text',
      key: `${it.key}_other`,
      label: orOther.specify(it.label),
      required: true,
      maxLength: 1000,
      relevant: both(it.relevant, when) ?? when,
    },
  ];
}

/**
 * The form as the chat runs it: each section becomes its heading (a note, when it has a label) followed by its
 * items, with the section's relevance joined to theirs, so the runner never sees a section; or_other becomes the
 * choice "other" and the question that follows it. Pure; the keys and
 * expressions are the form's own, already checked.
 */
export function flattenForm(def: FormDefinition): Definition {
  const flat = (items: FormItem[], outer: string | undefined): Item[] =>
    items.flatMap((it): Item[] => {
      if (it.type === 'repeat') {
        // Repeats inside repeats are refused by formIssues, so a repeat's items are all leaves.
        const inner = flat(it.items, undefined).filter((c): c is LeafItem => c.type !== 'repeat');
        return [{ ...withRelevant(it, outer), items: inner }];
      }
      // A calculation in a section that does not apply is empty, as in XLSForm.
      if (it.type === 'calculate')
        return [outer === undefined ? it : { ...it, expression: `if(${outer}, ${it.expression}, null)` }];
      if (it.type === 'select_one' || it.type === 'select_many') return withOther(withRelevant(it, outer));
      if (it.type !== 'section') return [withRelevant(it, outer)];
      const r = both(outer, it.relevant);
      const heading: Item[] =
        it.label === undefined
          ? []
          : [{ type: 'note', key: it.key, label: it.label, ...(r === undefined ? {} : { relevant: r }) }];
      return [...heading, ...flat(it.items, r)];
    });
  return { ...def, items: flat(def.items, undefined) };
}

/** A stored definition (any shape an office may store) as the chat and exports read it; undefined if invalid. */
export function loadDefinition(raw: unknown): Definition | undefined {
  const parsed = validateFormDefinition(raw);
  return parsed.ok ? flattenForm(parsed.definition) : undefined;
}

/**
 * The cross-checks of any definition: keys unique (repeats and sections included), choices present and distinct,
 * expressions parse and read only items asked before them (or their own repeat's earlier answers, or a repeated
 * item's every instance inside an aggregate), choice filters name columns their choices have, defaults fit.
 */
function formIssues(def: FormDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const declared = new Map<string, Declared>();
  const otherKeys = new Map<string, string>();
  const unders: { path: string; key: string }[] = [];
  let count = 0;

  const checkExpr = (
    src: string | undefined,
    path: string,
    at: string | null,
    o: { self?: boolean; fields?: Set<string> } = {},
  ): Expr | undefined => {
    if (src === undefined) return undefined;
    let expr: Expr;
    try {
      expr = parseExpression(src, { fields: o.fields !== undefined });
    } catch (err) {
      if (err instanceof ExprError && err.unsupported !== undefined) {
        issues.push(issue(path, defMsg.unsupportedFunction(err.unsupported, err.message)));
      } else {
        issues.push(issue(path, defMsg.invalidExpression(err instanceof Error ? err.message : 'invalid expression')));
      }
      return undefined;
    }
    const reported = new Set<string>();
    for (const use of refUses(expr)) {
      if (reported.has(use.key)) continue;
      const problem = refProblem(use.key, at, use.aggregate);
      if (problem !== undefined) {
        reported.add(use.key);
        issues.push(issue(path, problem));
      }
    }
    if (o.self !== true && refSelf(expr)) issues.push(issue(path, defMsg.selfOnlyInConstraint()));
    for (const f of fieldsOf(expr)) {
      if (f !== 'name' && !(o.fields?.has(f) ?? false)) issues.push(issue(path, defMsg.unknownField(f)));
    }
    return expr;
  };

  const refProblem = (k: string, at: string | null, aggregate: boolean): Bilingual | undefined => {
    const d = declared.get(k);
    if (d === undefined) return defMsg.unknownRef(k);
    if (d.repeat === null || d.repeat === at) return undefined;
    if (aggregate && at === null) return undefined;
    return at === null ? defMsg.insideRepeat(k, d.repeat) : defMsg.otherRepeat(k, d.repeat);
  };

  const checkLabelRefs = (l: Label | undefined, path: string, at: string | null) => {
    if (l === undefined) return;
    for (const [lang, text] of [
      ['th', l.th],
      ['en', l.en],
    ] as const) {
      if (text === undefined) continue;
      for (const k of new Set(labelRefs(text))) {
        const problem = refProblem(k, at, false);
        if (problem !== undefined) issues.push(issue(`${path}.${lang}`, problem));
      }
    }
  };

  /** Keys are unique across the whole definition, in visiting order (a repeat's key before its items'). */
  const keys = new Set<string>();
  const unique = (k: string, path: string) => {
    if (otherKeys.has(k)) issues.push(issue(`${path}.key`, defMsg.otherKeyTaken(k)));
    else if (keys.has(k)) issues.push(issue(`${path}.key`, defMsg.duplicateKey(k)));
    keys.add(k);
  };
  const declare = (k: string, path: string, repeat: string | null) => {
    unique(k, path);
    if (!declared.has(k)) declared.set(k, { repeat });
  };

  const checkDefault = (it: FormLeafItem, path: string) => {
    if (!('default' in it) || it.default === undefined) return;
    const v = it.default;
    const bad = (what: Bilingual) => issues.push(issue(`${path}.default`, defMsg.badDefault(v, what)));
    switch (it.type) {
      case 'text':
        return;
      case 'number': {
        const n = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
        if (Number.isNaN(n)) bad(defaultKinds.number);
        else if (it.integer && !Number.isInteger(n)) bad(defaultKinds.integer);
        else if ((it.min !== undefined && n < it.min) || (it.max !== undefined && n > it.max))
          bad(defaultKinds.range(it.min, it.max));
        return;
      }
      case 'select_one':
        if (it.choices !== undefined && !it.choices.some((c) => c.value === v) && !(it.orOther && v === 'other'))
          bad(defaultKinds.choice);
        return;
      case 'select_many': {
        const values = new Set([...(it.choices ?? []).map((c) => c.value), ...(it.orOther ? ['other'] : [])]);
        if (it.choices !== undefined && !v.split(/\s+/).every((x) => values.has(x))) bad(defaultKinds.choices);
        return;
      }
      case 'yes_no':
        if (v !== 'yes' && v !== 'no') bad(defaultKinds.yesNo);
        return;
      case 'rating':
        if (!/^[1-5]$/.test(v)) bad(defaultKinds.rating);
        return;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
          bad(defaultKinds.date);
        return;
      case 'photo':
      case 'document':
      case 'acknowledge':
        issues.push(issue(`${path}.default`, defMsg.noDefault(it.type)));
        return;
    }
  };

  const checkLeaf = (it: FormLeafItem, path: string, at: string | null) => {
    count++;
    if (it.type === 'calculate') checkExpr(it.expression, `${path}.expression`, at);
    else checkExpr(it.relevant, `${path}.relevant`, at);
    if (it.type !== 'calculate') checkLabelRefs(it.label, `${path}.label`, at);
    if ('hint' in it) checkLabelRefs(it.hint, `${path}.hint`, at);
    if (it.type !== 'note' && it.type !== 'calculate') {
      checkExpr(it.constraint, `${path}.constraint`, at, { self: true });
      checkLabelRefs(it.constraintMessage, `${path}.constraintMessage`, at);
      checkLabelRefs(it.requiredMessage, `${path}.requiredMessage`, at);
    }
    if (it.type === 'select_one' || it.type === 'select_many') {
      if ((it.choices === undefined) === (it.choicesFrom === undefined)) {
        issues.push(issue(`${path}.choices`, defMsg.choicesOrSource()));
      }
      // The same value twice is allowed only when a filter tells them apart (XLSForm cascades: King county in
      // two states), since an answer stores the value.
      const values = new Set<string>();
      it.choices?.forEach((c, j) => {
        if (values.has(c.value) && it.choiceFilter === undefined)
          issues.push(issue(`${path}.choices.${j}.value`, defMsg.duplicateValue(c.value)));
        values.add(c.value);
      });
      if (it.orOther) {
        if (values.has('other')) issues.push(issue(`${path}.choices`, defMsg.otherChoiceTaken()));
        const other = `${it.key}_other`;
        if (keys.has(other) || otherKeys.has(other)) issues.push(issue(`${path}.orOther`, defMsg.otherKeyTaken(other)));
      }
      const columns = new Set((it.choices ?? []).flatMap((c) => Object.keys(c.attributes ?? {})));
      checkExpr(it.choiceFilter, `${path}.choiceFilter`, at, { fields: columns });
    }
    if (
      it.type === 'select_many' &&
      it.minSelected !== undefined &&
      it.maxSelected !== undefined &&
      it.minSelected > it.maxSelected
    ) {
      issues.push(issue(`${path}.minSelected`, defMsg.minSelected()));
    }
    if (it.type === 'number' && it.min !== undefined && it.max !== undefined && it.min > it.max) {
      issues.push(issue(`${path}.min`, defMsg.minMax()));
    }
    checkDefault(it, path);
    if (it.type === 'rating' || it.type === 'calculate') {
      if (it.achieve !== undefined && it.target === undefined)
        issues.push(issue(`${path}.target`, defMsg.needTarget()));
      if (it.achieve === undefined && it.target !== undefined)
        issues.push(issue(`${path}.achieve`, defMsg.needAchieve()));
      if (typeof it.target === 'string') {
        const problem = refProblem(it.target, at, false);
        if (problem !== undefined) issues.push(issue(`${path}.target`, problem));
      }
    }
    if ((it.type === 'rating' || it.type === 'calculate' || it.type === 'text') && it.under !== undefined)
      unders.push({ path: `${path}.under`, key: it.under });
    declare(it.key, path, at);
    if ((it.type === 'select_one' || it.type === 'select_many') && it.orOther) {
      // The other answer is an item of its own for expressions and labels (`${needs_other}`), as in XLSForm.
      otherKeys.set(`${it.key}_other`, it.key);
      if (!declared.has(`${it.key}_other`)) declared.set(`${it.key}_other`, { repeat: at });
    }
  };

  const checkItems = (items: FormItem[], prefix: string, at: string | null) => {
    items.forEach((it, i) => {
      const path = `${prefix}.${i}`;
      if (it.type === 'section') {
        count++;
        checkExpr(it.relevant, `${path}.relevant`, at);
        checkLabelRefs(it.label, `${path}.label`, at);
        declare(it.key, path, at);
        checkItems(it.items, `${path}.items`, at);
        return;
      }
      if (it.type === 'repeat') {
        count++;
        if (at !== null) issues.push(issue(path, defMsg.repeatInRepeat()));
        checkExpr(it.relevant, `${path}.relevant`, at);
        checkExpr(it.count, `${path}.count`, at);
        checkLabelRefs(it.label, `${path}.label`, at);
        if (it.minCount > it.maxCount) issues.push(issue(`${path}.minCount`, defMsg.minCount()));
        unique(it.key, path);
        // Inside a repeat, items see everything before the repeat plus their earlier siblings; the repeat's own
        // key (its number of instances) becomes visible after it.
        checkItems(it.items, `${path}.items`, it.key);
        if (!declared.has(it.key)) declared.set(it.key, { repeat: at });
        return;
      }
      checkLeaf(it, path, at);
    });
  };

  checkItems(def.items, 'items', null);
  // `under` may name a later item (a standard's level is calculated after its indicators): checked at the end.
  const outcomes = new Set<string>();
  walkForm(def.items, (it) => {
    if ((it.type === 'rating' || it.type === 'calculate') && it.achieve !== undefined) outcomes.add(it.key);
  });
  for (const u of unders) if (!outcomes.has(u.key)) issues.push(issue(u.path, defMsg.underNotOutcome(u.key)));
  if (count > MAX_FORM_ITEMS) issues.push(issue('items', defMsg.tooManyItems(count, MAX_FORM_ITEMS)));
  return issues;
}

function refSelf(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (e) => {
    if (e.type === 'self') found = true;
  });
  return found;
}

/** Every item in asking order, with repeats flattened, for exports whose columns never shift. */
export function flatItems(def: Definition): { item: LeafItem; repeat: RepeatItem | null }[] {
  return def.items.flatMap((it): { item: LeafItem; repeat: RepeatItem | null }[] =>
    it.type === 'repeat' ? it.items.map((child) => ({ item: child, repeat: it })) : [{ item: it, repeat: null }],
  );
}

/** A standard or indicator of a checklist: the item holding its level, and how achievement is decided. */
export interface Outcome {
  key: string;
  label: Label;
  achieve: (typeof achieveKinds)[number];
  /** A fixed level, or the key of the item holding the school's own target. */
  target: number | string;
  under: string | null;
}

/** Every standard and indicator of a definition, in asking order (repeats have none). */
export function outcomesOf(def: { items: FormItem[] }): Outcome[] {
  const out: Outcome[] = [];
  walkForm(def.items, (it, _path, repeat) => {
    if (repeat !== null || (it.type !== 'rating' && it.type !== 'calculate')) return;
    if (it.achieve === undefined || it.target === undefined) return;
    out.push({ key: it.key, label: it.label, achieve: it.achieve, target: it.target, under: it.under ?? null });
  });
  return out;
}

/** The target an outcome is judged by, for one response's answers (null: the school's target is not answered). */
export function targetOf(o: Pick<Outcome, 'target'>, answers: Record<string, unknown>): number | null {
  if (typeof o.target === 'number') return o.target;
  const v = answers[o.target];
  return typeof v === 'number' && v >= 1 && v <= 5 ? v : null;
}

/** Achieved when the level is at or above the target; null when either is missing. */
export function achieved(level: unknown, target: number | null): boolean | null {
  if (typeof level !== 'number' || target === null) return null;
  return level >= target;
}

/** The feedback texts of a definition (strengths, points to improve, …), with the outcome each is written under. */
export function feedbackOf(def: {
  items: FormItem[];
}): { key: string; feedback: FeedbackKind; under: string | null }[] {
  const out: { key: string; feedback: FeedbackKind; under: string | null }[] = [];
  walkForm(def.items, (it, _path, repeat) => {
    if (repeat === null && it.type === 'text' && it.feedback !== undefined)
      out.push({ key: it.key, feedback: it.feedback, under: it.under ?? null });
  });
  return out;
}
