// The wide definition an office may store (sections, documents, or_other, choice filters, defaults, …): what it
// accepts, every cross-check by path in Thai and English, and its flat shape the chat runs.
import { describe, expect, it } from 'vitest';
import { readBuiltins } from './builtin-files.js';
import {
  achieved,
  DEFINITION_SCHEMA,
  feedbackOf,
  flattenForm,
  outcomesOf,
  targetOf,
  validateDefinition,
  validateFormDefinition,
  type FormDefinition,
} from './definition.js';

const base = {
  schema: DEFINITION_SCHEMA,
  key: 'office-form',
  version: 1,
  title: { th: 'แบบของสำนักงาน' },
  scope: 'person',
};
const th = (s: string) => ({ th: s });

const wide = {
  ...base,
  items: [
    { type: 'select_one', key: 'province', label: th('จังหวัด'), choices: [{ value: 'kk', label: th('ขอนแก่น') }] },
    {
      type: 'section',
      key: 'school_part',
      label: th('ส่วนที่ 1 ข้อมูลโรงเรียน'),
      relevant: "${province} != ''",
      items: [
        {
          type: 'select_one',
          key: 'district',
          label: th('อำเภอ'),
          choiceFilter: '${province} = prov',
          choices: [
            { value: 'muang', label: th('เมืองขอนแก่น'), attributes: { prov: 'kk' } },
            { value: 'muang', label: th('เมืองอุดรธานี'), attributes: { prov: 'ud' } },
          ],
        },
        {
          type: 'select_many',
          key: 'needs',
          label: th('ความต้องการ'),
          orOther: true,
          default: 'a',
          choices: [{ value: 'a', label: th('ก') }],
        },
        { type: 'text', key: 'needs_note', label: th('อื่น ๆ ที่ระบุ: ${needs_other}'), required: false },
        { type: 'document', key: 'plan', label: th('แนบแผนปฏิบัติการ'), required: false },
        { type: 'acknowledge', key: 'read', label: th('รับทราบแนวทาง'), requiredMessage: th('โปรดกดรับทราบก่อน') },
      ],
    },
    { type: 'number', key: 'rooms', label: th('จำนวนห้องเรียน'), integer: true, min: 1, max: 60, default: '12' },
    {
      type: 'repeat',
      key: 'actions',
      label: th('ข้อตกลงการพัฒนา'),
      count: '${rooms}',
      items: [
        {
          type: 'section',
          key: 'action_head',
          label: th('ข้อตกลง'),
          items: [{ type: 'text', key: 'what', label: th('สิ่งที่จะทำ') }],
        },
        { type: 'number', key: 'budget', label: th('งบประมาณ (บาท)'), constraint: '. >= 0', default: '0' },
        { type: 'calculate', key: 'row_no', label: th('ลำดับ'), expression: 'position(..)' },
      ],
    },
    { type: 'calculate', key: 'total', label: th('งบรวม'), expression: 'sum(${budget})' },
    { type: 'note', key: 'done', label: th('ขอบคุณ'), hint: th('ส่งแล้วแก้ไขได้จนถึงวันครบกำหนด') },
  ],
};

describe('validateFormDefinition', () => {
  it('accepts the XLSForm additions, and the chat-only schema refuses them', () => {
    const r = validateFormDefinition(wide);
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(validateDefinition(wide).ok).toBe(false);
  });

  it('fills the same defaults as the narrow schema', () => {
    const r = validateFormDefinition(wide);
    if (!r.ok) throw new Error('invalid');
    const plan = (r.definition.items[1] as { items: FormDefinition['items'] }).items[3];
    expect(plan).toMatchObject({ type: 'document', required: false, maxFiles: 3 });
    expect(r.definition.items[3]).toMatchObject({ type: 'repeat', minCount: 0, maxCount: 20, count: '${rooms}' });
  });

  const withItems = (items: unknown[]) => ({ ...base, items });
  const one = (choices: unknown[], extra: object = {}) => ({
    type: 'select_one',
    key: 'q',
    label: th('ข้อ'),
    choices,
    ...extra,
  });

  it.each<[string, unknown[], { path: string; message: string; th: string }[]]>([
    [
      'a repeat inside a repeat',
      [
        {
          type: 'repeat',
          key: 'outer',
          label: th('นอก'),
          items: [
            { type: 'repeat', key: 'inner', label: th('ใน'), items: [{ type: 'text', key: 't', label: th('t') }] },
          ],
        },
      ],
      [{ path: 'items.0.items.0', message: 'a repeat inside another repeat is not supported', th: expect.any(String) }],
    ],
    [
      'a repeated item read outside its repeat, except whole in an aggregate',
      [
        { type: 'repeat', key: 'r', label: th('r'), items: [{ type: 'number', key: 'n', label: th('n') }] },
        { type: 'calculate', key: 'ok', label: th('ok'), expression: 'sum(${n}) + count(${r})' },
        { type: 'calculate', key: 'bad', label: th('bad'), expression: 'sum(${n} + 1)' },
      ],
      [
        {
          path: 'items.2.expression',
          message: "'n' is inside repeat 'r': outside it, use it in sum(), count(), min(), max(), avg() or concat()",
          th: "ข้อ 'n' อยู่ในกลุ่มทำซ้ำ 'r' นอกกลุ่มให้ใช้ใน sum(), count(), min(), max(), avg() หรือ concat()",
        },
      ],
    ],
    [
      'a choice filter naming a column the choices do not have',
      [
        { type: 'text', key: 'p', label: th('p') },
        one([{ value: 'a', label: th('a'), attributes: { pastel: 'yes' } }], {
          choiceFilter: 'pastel = yes and name != p',
        }),
      ],
      [
        {
          path: 'items.1.choiceFilter',
          message: "'yes' is not a column of this question's choices (to compare with the text yes, write 'yes')",
          th: expect.stringContaining("'yes' ไม่ใช่คอลัมน์"),
        },
        {
          path: 'items.1.choiceFilter',
          message: "'p' is not a column of this question's choices (to compare with the text p, write 'p')",
          th: expect.any(String),
        },
      ],
    ],
    [
      'the same value twice without a filter',
      [
        one([
          { value: 'a', label: th('ก') },
          { value: 'a', label: th('ข') },
        ]),
      ],
      [{ path: 'items.0.choices.1.value', message: "duplicate value 'a'", th: "ค่าตัวเลือก 'a' ซ้ำ" }],
    ],
    [
      "or_other beside a choice 'other', and an item already called q_other",
      [
        one([{ value: 'other', label: th('อื่น ๆ') }], { orOther: true }),
        { type: 'text', key: 'q_other', label: th('x') },
      ],
      [
        {
          path: 'items.0.choices',
          message: expect.stringContaining("or_other adds the choice 'other'"),
          th: expect.any(String),
        },
        {
          path: 'items.1.key',
          message: expect.stringContaining('keeps the "other" answer as \'q_other\''),
          th: expect.any(String),
        },
      ],
    ],
    [
      'defaults that do not fit their item',
      [
        { type: 'number', key: 'n', label: th('n'), integer: true, default: '2.5' },
        { type: 'number', key: 'm', label: th('m'), max: 10, default: '11' },
        one([{ value: 'a', label: th('a') }], { default: 'b' }),
        { type: 'date', key: 'd', label: th('d'), default: '2026-02-30' },
        { type: 'rating', key: 'r', label: th('r'), default: '6' },
        { type: 'photo', key: 'p', label: th('p'), default: 'x.jpg' },
      ],
      [
        {
          path: 'items.0.default',
          message: "default '2.5' must be a whole number",
          th: "ค่าเริ่มต้น '2.5' ต้องเป็นจำนวนเต็ม",
        },
        { path: 'items.1.default', message: "default '11' must be a number from … to 10", th: expect.any(String) },
        { path: 'items.2.default', message: "default 'b' must be one of the choice values", th: expect.any(String) },
        { path: 'items.3.default', message: "default '2026-02-30' must be a date YYYY-MM-DD", th: expect.any(String) },
        { path: 'items.4.default', message: "default '6' must be a level from 1 to 5", th: expect.any(String) },
        { path: 'items.5.default', message: 'a photo item cannot have a default', th: expect.any(String) },
      ],
    ],
    [
      'labels that show an unknown or later answer',
      [
        { type: 'note', key: 'n', label: { th: 'สวัสดี ${name}', en: 'Hi ${nam}' } },
        { type: 'text', key: 'name', label: th('ชื่อ') },
      ],
      [
        { path: 'items.0.label.th', message: "unknown or later item 'name'", th: "ไม่พบข้อ 'name' ก่อนหน้าข้อนี้" },
        { path: 'items.0.label.en', message: "unknown or later item 'nam'", th: expect.any(String) },
      ],
    ],
    [
      'a key used by a section and an item inside it; a section reading a later item',
      [
        {
          type: 'section',
          key: 's',
          relevant: "${later} = 'yes'",
          items: [{ type: 'text', key: 's', label: th('s') }],
        },
        { type: 'yes_no', key: 'later', label: th('later') },
      ],
      [
        { path: 'items.0.relevant', message: "unknown or later item 'later'", th: expect.any(String) },
        { path: 'items.0.items.0.key', message: "duplicate key 's'", th: expect.any(String) },
      ],
    ],
    [
      'an XLSForm function nithet cannot evaluate, and a misspelt one',
      [
        { type: 'text', key: 't', label: th('t'), constraint: "regex(., '^[0-9]{13}$')" },
        { type: 'text', key: 'u', label: th('u'), constraint: 'lenght(.) < 5' },
      ],
      [
        {
          path: 'items.0.constraint',
          message: 'function regex() is not supported at 0',
          th: 'ฟังก์ชัน regex() ใช้ในแชต LINE ไม่ได้',
        },
        {
          path: 'items.1.constraint',
          message: expect.stringContaining("unknown function 'lenght'"),
          th: expect.stringContaining('นิพจน์ไม่ถูกต้อง'),
        },
      ],
    ],
  ])('names %s', (_what, items, expected) => {
    const r = validateFormDefinition(withItems(items));
    expect(r.ok ? [] : r.issues).toEqual(expected);
  });

  it('stays strict: an unknown field is refused at any depth', () => {
    const deep = withItems([
      { type: 'section', key: 's', items: [{ type: 'document', key: 'd', label: th('d'), accept: 'pdf' }] },
    ]);
    const r = validateFormDefinition(deep);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['items.0.items.0']);
    expect(validateFormDefinition({ ...base, items: [{ type: 'text', key: 't', label: th('t') }], extra: 1 }).ok).toBe(
      false,
    );
  });

  it('allows the same value twice when a choice filter tells them apart', () => {
    const items = [
      { type: 'text', key: 'p', label: th('p') },
      one(
        [
          { value: 'king', label: th('King'), attributes: { cf: 'texas' } },
          { value: 'king', label: th('King'), attributes: { cf: 'washington' } },
        ],
        { choiceFilter: '${p} = cf' },
      ),
    ];
    expect(validateFormDefinition(withItems(items)).ok).toBe(true);
  });
});

describe('flattenForm', () => {
  it('flattens sections for the chat: a heading note, the section relevance joined to each item', () => {
    const r = validateFormDefinition(wide);
    if (!r.ok) throw new Error('invalid');
    const flat = flattenForm(r.definition);
    expect(flat.items.map((i) => [i.type, i.key, 'relevant' in i ? (i.relevant ?? '') : ''])).toEqual([
      ['select_one', 'province', ''],
      ['note', 'school_part', "${province} != ''"],
      ['select_one', 'district', "${province} != ''"],
      ['select_many', 'needs', "${province} != ''"],
      ['text', 'needs_other', "(${province} != '') and (selected(${needs}, 'other'))"],
      ['text', 'needs_note', "${province} != ''"],
      ['document', 'plan', "${province} != ''"],
      ['acknowledge', 'read', "${province} != ''"],
      ['number', 'rooms', ''],
      ['repeat', 'actions', ''],
      ['calculate', 'total', ''],
      ['note', 'done', ''],
    ]);
    const needs = flat.items[3];
    expect(needs?.type === 'select_many' ? needs.choices?.map((c) => c.value) : []).toEqual(['a', 'other']);
    const actions = flat.items[9];
    if (actions?.type !== 'repeat') throw new Error('no repeat');
    expect(actions.items.map((i) => i.key)).toEqual(['action_head', 'what', 'budget', 'row_no']);
    // Flat definitions pass the chat's own schema.
    expect(validateDefinition(flat).ok).toBe(true);
  });

  it('joins nested relevance and empties a calculation whose section does not apply', () => {
    const r = validateFormDefinition({
      ...base,
      items: [
        { type: 'yes_no', key: 'a', label: th('a') },
        {
          type: 'section',
          key: 's',
          relevant: "${a} = 'yes'",
          items: [
            {
              type: 'section',
              key: 't',
              label: th('t'),
              relevant: "${a} != 'no'",
              items: [
                { type: 'number', key: 'n', label: th('n'), relevant: '${a} != 1' },
                { type: 'calculate', key: 'c', label: th('c'), expression: '${n} * 2' },
              ],
            },
          ],
        },
      ],
    });
    if (!r.ok) throw new Error('invalid');
    expect(flattenForm(r.definition).items.slice(1)).toMatchObject([
      { type: 'note', key: 't', relevant: "(${a} = 'yes') and (${a} != 'no')" },
      { type: 'number', key: 'n', relevant: "((${a} = 'yes') and (${a} != 'no')) and (${a} != 1)" },
      { type: 'calculate', key: 'c', expression: "if((${a} = 'yes') and (${a} != 'no'), ${n} * 2, null)" },
    ]);
  });

  it('gives every built-in a shape the chat runs', async () => {
    const files = await readBuiltins();
    expect(files.length).toBe(10);
    for (const f of files) {
      if (!f.ok) throw new Error(f.file);
      expect(validateDefinition(flattenForm(f.definition)).ok, f.file).toBe(true);
    }
  });
});

describe('achieved / not achieved as data', () => {
  const items = [
    { type: 'rating', key: 's1_target', label: th('เป้าหมาย') },
    { type: 'rating', key: 'i1', label: th('ตัวชี้วัด 1'), achieve: 'indicator', target: 's1_target', under: 's1' },
    { type: 'rating', key: 'i2', label: th('ตัวชี้วัด 2'), achieve: 'indicator', target: 3, under: 's1' },
    { type: 'calculate', key: 's1', label: th('มาตรฐาน 1'), expression: 'round(avg(${i1}, ${i2}))' },
    { type: 'text', key: 'good', label: th('จุดเด่น'), feedback: 'strength', under: 'i1' },
  ];
  const make = (patch: (xs: Record<string, unknown>[]) => void) => {
    const xs = structuredClone(items) as Record<string, unknown>[];
    patch(xs);
    return validateFormDefinition({ ...base, items: xs });
  };

  it('accepts standards with a target item and indicators with a fixed target, and lists them', () => {
    const r = make((xs) => Object.assign(xs[3] ?? {}, { achieve: 'standard', target: 's1_target' }));
    expect(r.ok ? [] : r.issues).toEqual([]);
    if (!r.ok) return;
    expect(outcomesOf(r.definition).map((o) => [o.key, o.achieve, o.target, o.under])).toEqual([
      ['i1', 'indicator', 's1_target', 's1'],
      ['i2', 'indicator', 3, 's1'],
      ['s1', 'standard', 's1_target', null],
    ]);
    expect(feedbackOf(r.definition)).toEqual([{ key: 'good', feedback: 'strength', under: 'i1' }]);
  });

  it('a level at or above the target is achieved; the target may be the school’s own answer', () => {
    const o = { target: 's1_target' };
    expect(achieved(3, targetOf(o, { s1_target: 3 }))).toBe(true);
    expect(achieved(4, targetOf(o, { s1_target: 3 }))).toBe(true);
    expect(achieved(2, targetOf(o, { s1_target: 3 }))).toBe(false);
    expect(achieved(2, targetOf(o, {}))).toBeNull();
    expect(achieved(null, targetOf({ target: 3 }, {}))).toBeNull();
    expect(achieved(3, targetOf({ target: 3 }, {}))).toBe(true);
  });

  it('names the path of a missing target, an unknown target item, and an under that is no outcome', () => {
    const r = make((xs) => {
      delete xs[1]?.target;
      Object.assign(xs[2] ?? {}, { target: 'nope' });
      Object.assign(xs[4] ?? {}, { under: 's1_target' });
    });
    expect(r.ok ? [] : r.issues.map((i) => [i.path, i.th])).toEqual([
      ['items.1.target', 'ระบุค่าเป้าหมาย (target) ของมาตรฐานหรือตัวชี้วัดนี้'],
      ['items.2.target', "ไม่พบข้อ 'nope' ก่อนหน้าข้อนี้"],
      ['items.1.under', "ข้อ 's1' ไม่ใช่มาตรฐานหรือตัวชี้วัด (ไม่มี achieve)"],
      ['items.2.under', "ข้อ 's1' ไม่ใช่มาตรฐานหรือตัวชี้วัด (ไม่มี achieve)"],
      ['items.4.under', "ข้อ 's1_target' ไม่ใช่มาตรฐานหรือตัวชี้วัด (ไม่มี achieve)"],
    ]);
  });

  it('the built-in visit form and the self-assessment rate the same indicators, each with a rule', async () => {
    const defs = new Map((await readBuiltins()).flatMap((f) => (f.ok ? [[f.definition.key, f.definition]] : [])));
    const visit = outcomesOf(defs.get('supervision-visit') ?? { items: [] });
    const self = outcomesOf(defs.get('pre-visit-self-assessment') ?? { items: [] });
    expect(visit.map((o) => o.key)).toHaveLength(8);
    expect(self.map((o) => o.key)).toEqual(visit.map((o) => o.key));
    expect(visit.every((o) => o.target === 3)).toBe(true);
    const sar = outcomesOf(defs.get('sar-basic') ?? { items: [] });
    expect(sar.filter((o) => o.achieve === 'standard').map((o) => [o.key, o.target])).toEqual([
      ['s1_level', 's1_target'],
      ['s2_level', 's2_target'],
      ['s3_level', 's3_target'],
    ]);
    expect(sar.filter((o) => o.under === 's2_level')).toHaveLength(6);
  });
});
