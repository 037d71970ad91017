// The built-in checklists in /checklists are data shipped with the bot: each must pass the same validation as an
// admin's upload, read well in LINE, and compute the levels a school would compute by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clip, LIMITS } from '../line/messages.js';
import { type Definition, type Label, type LeafItem, flatItems, validateDefinition } from './definition.js';
import { type Value, evaluate, parseExpression, references } from './expr.js';

const DIR = new URL('../../checklists/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

const EXPECTED_KEYS = [
  'iqa-6-steps',
  'ktpn-attendance',
  'needs-survey',
  'office-standards',
  'pre-visit-self-assessment',
  'quality-school-subdistrict',
  'sar-basic',
  'sar-early-childhood',
  'supervision-visit',
  'tumhome-progress',
];

/** One message per asked item: more than this is too long a conversation for a LINE chat. */
const MAX_ASKED = 50;
const THAI = /[\u0E00-\u0E7F]/;

const readRaw = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));

function load(key: string): Definition {
  const result = validateDefinition(readRaw(`${key}.json`));
  if (!result.ok) throw new Error(`${key}: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return result.definition;
}

const isAsked = (it: LeafItem) => it.type !== 'note' && it.type !== 'calculate';

function leaf(def: Definition, key: string): LeafItem {
  const found = flatItems(def).find((f) => f.item.key === key)?.item;
  if (found === undefined) throw new Error(`${def.key}: no item '${key}'`);
  return found;
}

function expressionOf(def: Definition, key: string): string {
  const it = leaf(def, key);
  if (it.type !== 'calculate') throw new Error(`${def.key}.${key} is a ${it.type}, not a calculate`);
  return it.expression;
}

function relevantOf(def: Definition, key: string): string {
  const it = leaf(def, key);
  if (it.type === 'calculate' || it.relevant === undefined) throw new Error(`${def.key}.${key} has no relevant`);
  return it.relevant;
}

function constraintOf(def: Definition, key: string): string {
  const it = leaf(def, key);
  if (it.type === 'note' || it.type === 'calculate' || it.constraint === undefined) {
    throw new Error(`${def.key}.${key} has no constraint`);
  }
  return it.constraint;
}

/** Runs every top-level calculate in order over the given answers, as the runner stores them. */
function computeAll(def: Definition, answers: Record<string, Value>): Map<string, Value> {
  const values = new Map<string, Value>(Object.entries(answers));
  for (const it of def.items) {
    if (it.type !== 'calculate') continue;
    values.set(it.key, evaluate(parseExpression(it.expression), { get: (k) => values.get(k) ?? null }));
  }
  return values;
}

function check(src: string, answers: Record<string, Value>, self?: Value, today = '2026-06-15'): Value {
  return evaluate(parseExpression(src), {
    get: (k) => answers[k] ?? null,
    today,
    ...(self === undefined ? {} : { self }),
  });
}

/** Every human-facing text of a definition with where it sits; units are symbols and left out. */
function texts(def: Definition): { where: string; label: Label }[] {
  const out: { where: string; label: Label }[] = [{ where: 'title', label: def.title }];
  if (def.description !== undefined) out.push({ where: 'description', label: def.description });
  for (const it of def.items) {
    out.push({ where: it.key, label: it.label });
    if (it.type === 'repeat' && it.addLabel !== undefined)
      out.push({ where: `${it.key}.addLabel`, label: it.addLabel });
  }
  for (const { item } of flatItems(def)) {
    out.push({ where: item.key, label: item.label });
    if (item.type === 'note' || item.type === 'calculate') continue;
    if (item.hint !== undefined) out.push({ where: `${item.key}.hint`, label: item.hint });
    if (item.constraintMessage !== undefined)
      out.push({ where: `${item.key}.constraintMessage`, label: item.constraintMessage });
    if (item.type === 'select_one' || item.type === 'select_many') {
      item.choices?.forEach((c) => out.push({ where: `${item.key}.${c.value}`, label: c.label }));
    }
  }
  return out;
}

describe('built-in checklist files', () => {
  it('are exactly the expected set', () => {
    expect(FILES).toEqual(EXPECTED_KEYS.map((k) => `${k}.json`));
  });

  it.each(FILES)('%s validates', (file) => {
    const result = validateDefinition(readRaw(file));
    // The issues themselves, not a bare false, so a failure says what to fix.
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('are named by their key, keys unique, each at a whole version', () => {
    const keys = FILES.map((file) => {
      const def = load(file.replace(/\.json$/, ''));
      expect(`${def.key}.json`).toBe(file);
      expect(Number.isInteger(def.version) && def.version >= 1).toBe(true);
      return def.key;
    });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(EXPECTED_KEYS)('%s has Thai (and English) in every label, hint and choice', (key) => {
    const bad = texts(load(key))
      .filter(({ label }) => !THAI.test(label.th) || label.en === undefined || label.en.trim() === '')
      .map(({ where }) => where);
    expect(bad).toEqual([]);
  });

  it.each(EXPECTED_KEYS)('%s stays a humane length for LINE', (key) => {
    const def = load(key);
    const flat = flatItems(def);
    const asked = flat.filter((f) => isAsked(f.item)).length;
    expect(flat.length).toBeLessThanOrEqual(300);
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(MAX_ASKED);
    for (const { item } of flat) {
      if (item.type !== 'select_one' && item.type !== 'select_many') continue;
      const choices = item.choices ?? [];
      // Buttons show 20 characters: clipped labels must still tell the choices apart.
      const buttons = choices.map((c) => clip(c.label.th, LIMITS.quickReplyLabel));
      expect(new Set(buttons).size, `${key}.${item.key}`).toBe(buttons.length);
      const prompt = [item.label.th, item.hint?.th ?? '', ...choices.map((c, i) => `${i + 1}. ${c.label.th}`)].join(
        '\n',
      );
      expect(prompt.length, `${key}.${item.key}`).toBeLessThan(LIMITS.textLength - 500);
    }
  });
});

describe.each([
  {
    key: 'sar-basic',
    standards: [
      ['s1_1_1', 's1_1_2', 's1_1_3', 's1_1_4', 's1_1_5', 's1_1_6', 's1_2_1', 's1_2_2', 's1_2_3', 's1_2_4'],
      ['s2_1', 's2_2', 's2_3', 's2_4', 's2_5', 's2_6'],
      ['s3_1', 's3_2', 's3_3', 's3_4', 's3_5'],
    ],
  },
  {
    key: 'sar-early-childhood',
    standards: [
      ['s1_1', 's1_2', 's1_3', 's1_4'],
      ['s2_1', 's2_2', 's2_3', 's2_4', 's2_5', 's2_6'],
      ['s3_1', 's3_2', 's3_3', 's3_4'],
    ],
  },
])('$key standard levels', ({ key, standards }) => {
  let def: Definition;
  beforeAll(() => {
    def = load(key);
  });

  it('average every rating of the standard and nothing else', () => {
    standards.forEach((items, i) => {
      const n = i + 1;
      const ratings = flatItems(def)
        .map((f) => f.item)
        .filter((it) => it.type === 'rating' && it.key.startsWith(`s${n}_`) && it.key !== `s${n}_target`)
        .map((it) => it.key);
      expect(ratings).toEqual(items);
      expect(references(parseExpression(expressionOf(def, `s${n}_level`)))).toEqual(items);
    });
  });

  // Ratings cycle through the pattern, so 3,3,4 over three items averages 3.33 and 4,4,3,5 over four averages 4.
  it.each([
    { pattern: [3, 3, 4], level: 3 },
    { pattern: [4, 4, 3, 5], level: 4 },
    { pattern: [2, 2, 2, 3], level: 2 },
    { pattern: [5], level: 5 },
  ])('gives $level for item ratings $pattern', ({ pattern, level }) => {
    standards.forEach((items, i) => {
      const answers: Record<string, Value> = {};
      items.forEach((k, j) => (answers[k] = pattern[j % pattern.length] ?? null));
      const mean = items.reduce((s, k) => s + Number(answers[k]), 0) / items.length;
      // The cycled pattern must not move the mean across a rounding boundary.
      expect(Math.floor(mean + 0.5)).toBe(level);
      expect(computeAll(def, answers).get(`s${i + 1}_level`)).toBe(level);
    });
  });

  it('rounds a mean of exactly 3.5 up to 4', () => {
    const even = standards.map((items, i) => ({ items, n: i + 1 })).filter(({ items }) => items.length % 2 === 0);
    expect(even.length).toBeGreaterThan(0);
    for (const { items, n } of even) {
      const answers = Object.fromEntries(items.map((k, j) => [k, j % 2 === 0 ? 3 : 4]));
      expect(computeAll(def, answers).get(`s${n}_level`)).toBe(4);
    }
  });

  it('flags a standard below its target', () => {
    const [first] = standards;
    if (first === undefined) throw new Error('no standards');
    const answers: Record<string, Value> = Object.fromEntries(first.map((k) => [k, 3]));
    expect(computeAll(def, { ...answers, s1_target: 4 }).get('s1_below_target')).toBe(1);
    expect(computeAll(def, { ...answers, s1_target: 3 }).get('s1_below_target')).toBe(0);
    expect(computeAll(def, { ...answers, s1_target: 2 }).get('s1_below_target')).toBe(0);
  });
});

describe('sar-basic sub-standard levels', () => {
  it('computes 1.1 and 1.2 separately from the standard', () => {
    const def = load('sar-basic');
    const values = computeAll(def, {
      ...Object.fromEntries(['s1_1_1', 's1_1_2', 's1_1_3', 's1_1_4', 's1_1_5', 's1_1_6'].map((k) => [k, 5])),
      ...Object.fromEntries(['s1_2_1', 's1_2_2', 's1_2_3', 's1_2_4'].map((k) => [k, 2])),
    });
    expect(values.get('s1_1_level')).toBe(5);
    expect(values.get('s1_2_level')).toBe(2);
    expect(values.get('s1_level')).toBe(4); // (6×5 + 4×2) / 10 = 3.8
  });
});

describe.each([
  { key: 'iqa-6-steps', steps: 6, required: true },
  { key: 'quality-school-subdistrict', steps: 10, required: false },
])('$key steps', ({ key, steps, required }) => {
  let def: Definition;
  beforeAll(() => {
    def = load(key);
  });

  it('asks for evidence only once a step is done', () => {
    for (let n = 1; n <= steps; n++) {
      const photo = leaf(def, `step${n}_evidence`);
      expect(photo.type === 'photo' && photo.required).toBe(required);
      const relevant = relevantOf(def, `step${n}_evidence`);
      expect(check(relevant, { [`step${n}_done`]: 'yes' })).toBe(true);
      expect(check(relevant, { [`step${n}_done`]: 'no' })).toBe(false);
      expect(check(relevant, {})).toBe(false);
    }
  });

  it('counts the steps done', () => {
    const answers = Object.fromEntries(
      Array.from({ length: steps }, (_, i) => [`step${i + 1}_done`, i % 2 === 0 ? 'yes' : 'no']),
    );
    expect(computeAll(def, answers).get('steps_done')).toBe(Math.ceil(steps / 2));
  });
});

describe('office-standards', () => {
  let def: Definition;
  beforeAll(() => {
    def = load('office-standards');
  });

  it('covers 5 standards and 11 indicators', () => {
    const indicators = leaf(def, 'indicators');
    if (indicators.type !== 'select_many') throw new Error('indicators is not a select_many');
    expect(indicators.choices?.length).toBe(11);
    expect(def.items.filter((it) => it.type === 'note' && /^std\d$/.test(it.key))).toHaveLength(5);
  });

  it('accepts a whole percent from 0 to 100', () => {
    const percent = leaf(def, 'i3_1_percent');
    expect(percent.type === 'number' && percent.integer).toBe(true);
    const constraint = constraintOf(def, 'i3_1_percent');
    for (const ok of [0, 55, 100]) expect(check(constraint, {}, ok)).toBe(true);
    for (const bad of [-1, 101]) expect(check(constraint, {}, bad)).toBe(false);
  });

  it("asks only about the person's own indicators, and for evidence once done", () => {
    const status = relevantOf(def, 'i2_1_status');
    const evidence = relevantOf(def, 'i2_1_evidence');
    expect(check(status, { indicators: ['i2_1', 'i4_2'] })).toBe(true);
    expect(check(status, { indicators: ['i1_1'] })).toBe(false);
    expect(check(evidence, { indicators: ['i2_1'], i2_1_status: 'done' })).toBe(true);
    expect(check(evidence, { indicators: ['i2_1'], i2_1_status: 'in_progress' })).toBe(false);
  });
});

describe('supervision-visit', () => {
  let def: Definition;
  beforeAll(() => {
    def = load('supervision-visit');
  });

  it("takes the school from the supervisor's own schools and records actions in a repeat", () => {
    const school = leaf(def, 'school');
    expect(school.type === 'select_one' && school.choicesFrom).toBe('assigned_schools');
    const actions = def.items.find((it) => it.type === 'repeat');
    expect(actions?.type === 'repeat' && actions.items.map((it) => it.key)).toEqual([
      'action_what',
      'action_owner',
      'action_due',
    ]);
  });

  it('refuses a future visit date and an action due before the visit', () => {
    const visit = constraintOf(def, 'visit_date');
    const due = constraintOf(def, 'action_due');
    expect(check(visit, {}, '2026-06-15')).toBe(true);
    expect(check(visit, {}, '2026-06-16')).toBe(false);
    expect(check(due, { visit_date: '2026-06-15' }, '2026-07-01')).toBe(true);
    expect(check(due, { visit_date: '2026-06-15' }, '2026-06-01')).toBe(false);
  });

  it("rates the same indicators, under the same keys, as the school's self-assessment", () => {
    const ratings = (d: Definition) =>
      flatItems(d)
        .filter((f) => f.item.type === 'rating')
        .map((f) => f.item.key);
    expect(ratings(def)).toEqual(ratings(load('pre-visit-self-assessment')));
    expect(ratings(def)).toHaveLength(8);
  });
});

describe('tumhome-progress', () => {
  it('tracks 7 steps and the 5Q self-rating', () => {
    const def = load('tumhome-progress');
    const statuses = flatItems(def).filter((f) => f.item.key.endsWith('_status'));
    expect(statuses).toHaveLength(7);
    const values = computeAll(def, {
      t_status: 'done',
      u_status: 'done',
      m_status: 'in_progress',
      q_student: 4,
      q_teacher: 4,
      q_classroom: 3,
      q_director: 5,
      q_management: 4,
    });
    expect(values.get('steps_done')).toBe(2);
    expect(values.get('q_level')).toBe(4);
  });
});
