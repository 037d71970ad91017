// A checklist is data: a JSON definition in the spirit of XLSForm, validated here with errors that carry paths
// ("items.3.relevant: unknown item 'x'"). Definitions are versioned; a response stays pinned to its version.
//
// Expressions (relevant, constraint, calculate) use a small safe language evaluated by ./expr.ts, never eval:
//   ${key} an earlier answer · . the answer being checked · numbers 3, 2.5 · strings 'yes' · true false null
//   = != < <= > >= · and or not(x) · + - * / · ( )
//   selected(${k}, 'v') · count_selected(${k}) · avg(a, b, …) · sum(…) · min(…) · max(…) · round(x) (half up)
//   if(cond, a, b) · coalesce(a, b, …) · length(s) · today() (a YYYY-MM-DD string in the office time zone)
// Inside a repeat, ${key} names a sibling in the same repeat instance first, then an item outside.
import { z } from 'zod';
import { parseExpression, references } from './expr.js';

export const DEFINITION_SCHEMA = 'nithet.checklist/1';

const text = (max: number) => z.string().trim().min(1).max(max);
export const label = z.strictObject({ th: text(1000), en: text(1000).optional() });
export type Label = z.infer<typeof label>;

const key = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _ (start with a letter, ≤ 48)');
const expression = z.string().trim().min(1).max(500);

export const choice = z.strictObject({
  value: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or - (≤ 32)'),
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
/** The five levels of the B.E. 2561 standards: ยอดเยี่ยม 5 … กำลังพัฒนา 1. */
const rating = z.strictObject({ ...common, type: z.literal('rating') });
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
});

const leafItem = z.discriminatedUnion('type', [
  yesNo,
  selectOne,
  selectMany,
  rating,
  number,
  textItem,
  date,
  photo,
  note,
  calculate,
]);
export type LeafItem = z.infer<typeof leafItem>;

/** A group asked again and again ("add another finding?"), each instance answered in full. */
const repeat = z.strictObject({
  type: z.literal('repeat'),
  key,
  label,
  relevant: expression.optional(),
  items: z.array(leafItem).min(1).max(30),
  minCount: z.number().int().min(0).max(50).default(0),
  maxCount: z.number().int().min(1).max(50).default(20),
  /** The question "add another?"; a default Thai wording is used when absent. */
  addLabel: label.optional(),
});

export const item = z.discriminatedUnion('type', [...leafItem.options, repeat]);
export type Item = z.infer<typeof item>;
export type RepeatItem = z.infer<typeof repeat>;
export type AnswerableItem = Exclude<LeafItem, { type: 'note' | 'calculate' }>;

export const definitionSchema = z.strictObject({
  schema: z.literal(DEFINITION_SCHEMA),
  key: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'lower-case letters, digits and - (2–64)'),
  version: z.number().int().min(1),
  title: label,
  description: label.optional(),
  /** 'person': each person answers; 'school': one response per school, answered by the principal. */
  scope: z.enum(['person', 'school']),
  items: z.array(item).min(1).max(300),
});
export type Definition = z.infer<typeof definitionSchema>;

export interface DefinitionIssue {
  path: string;
  message: string;
}

export type DefinitionResult = { ok: true; definition: Definition } | { ok: false; issues: DefinitionIssue[] };

/** Parses and cross-checks a definition: unique keys, choices present, expressions parse and refer backwards. */
export function validateDefinition(input: unknown): DefinitionResult {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    };
  }
  const def = parsed.data;
  const issues: DefinitionIssue[] = [];
  const seen = new Set<string>();

  const checkExpr = (src: string | undefined, path: string, visible: Set<string>, self: boolean) => {
    if (src === undefined) return;
    try {
      const expr = parseExpression(src);
      for (const ref of references(expr)) {
        if (ref === '.') {
          if (!self) issues.push({ path, message: "'.' (this answer) is only allowed in a constraint" });
        } else if (!visible.has(ref)) {
          issues.push({ path, message: `unknown or later item '${ref}'` });
        }
      }
    } catch (err) {
      issues.push({ path, message: err instanceof Error ? err.message : 'invalid expression' });
    }
  };

  const checkLeaf = (it: LeafItem, path: string, visible: Set<string>) => {
    if (seen.has(it.key)) issues.push({ path: `${path}.key`, message: `duplicate key '${it.key}'` });
    seen.add(it.key);
    if (it.type !== 'calculate') checkExpr(it.relevant, `${path}.relevant`, visible, false);
    if (it.type === 'calculate') checkExpr(it.expression, `${path}.expression`, visible, false);
    if (it.type !== 'note' && it.type !== 'calculate') checkExpr(it.constraint, `${path}.constraint`, visible, true);
    if (it.type === 'select_one' || it.type === 'select_many') {
      if ((it.choices === undefined) === (it.choicesFrom === undefined)) {
        issues.push({ path: `${path}.choices`, message: 'give exactly one of choices or choicesFrom' });
      }
      const values = new Set<string>();
      it.choices?.forEach((c, j) => {
        if (values.has(c.value))
          issues.push({ path: `${path}.choices.${j}.value`, message: `duplicate value '${c.value}'` });
        values.add(c.value);
      });
    }
    if (
      it.type === 'select_many' &&
      it.minSelected !== undefined &&
      it.maxSelected !== undefined &&
      it.minSelected > it.maxSelected
    ) {
      issues.push({ path: `${path}.minSelected`, message: 'minSelected is larger than maxSelected' });
    }
    if (it.type === 'number' && it.min !== undefined && it.max !== undefined && it.min > it.max) {
      issues.push({ path: `${path}.min`, message: 'min is larger than max' });
    }
    visible.add(it.key);
  };

  const visible = new Set<string>();
  def.items.forEach((it, i) => {
    const path = `items.${i}`;
    if (it.type !== 'repeat') {
      checkLeaf(it, path, visible);
      return;
    }
    if (seen.has(it.key)) issues.push({ path: `${path}.key`, message: `duplicate key '${it.key}'` });
    seen.add(it.key);
    checkExpr(it.relevant, `${path}.relevant`, visible, false);
    if (it.minCount > it.maxCount)
      issues.push({ path: `${path}.minCount`, message: 'minCount is larger than maxCount' });
    // Inside a repeat, items see everything before the repeat plus their earlier siblings.
    const inner = new Set(visible);
    it.items.forEach((child, j) => checkLeaf(child, `${path}.items.${j}`, inner));
    visible.add(it.key);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: def };
}

/** Every item in asking order, with repeats flattened, for exports whose columns never shift. */
export function flatItems(def: Definition): { item: LeafItem; repeat: RepeatItem | null }[] {
  return def.items.flatMap((it): { item: LeafItem; repeat: RepeatItem | null }[] =>
    it.type === 'repeat' ? it.items.map((child) => ({ item: child, repeat: it })) : [{ item: it, repeat: null }],
  );
}
