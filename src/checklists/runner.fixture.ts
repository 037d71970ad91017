// A small checklist with every item type, for the runner's table tests (runner.test.ts). Validated like an upload.
import { type Definition, DEFINITION_SCHEMA, validateDefinition } from './definition.js';

function load(raw: unknown): Definition {
  const result = validateDefinition(raw);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return result.definition;
}

const items = [
  { type: 'note', key: 'intro', label: { th: 'ส่วนที่ 1: ข้อมูลโรงเรียน' } },
  { type: 'yes_no', key: 'has_plan', label: { th: 'โรงเรียนมีแผนพัฒนาคุณภาพการศึกษาหรือไม่' } },
  {
    type: 'text',
    key: 'plan_reason',
    label: { th: 'เหตุผลที่ยังไม่มีแผน' },
    relevant: "${has_plan} = 'no'",
    maxLength: 100,
  },
  {
    type: 'select_one',
    key: 'level',
    label: { th: 'ระดับที่เปิดสอน' },
    choices: [
      { value: 'primary', label: { th: 'ประถมศึกษา' } },
      { value: 'secondary', label: { th: 'มัธยมศึกษา' } },
      { value: 'extended', label: { th: 'ขยายโอกาส' } },
    ],
  },
  {
    type: 'select_many',
    key: 'subjects',
    label: { th: 'กลุ่มสาระที่ได้รับการนิเทศ' },
    choices: [
      { value: 'thai', label: { th: 'ภาษาไทย' } },
      { value: 'math', label: { th: 'คณิตศาสตร์' } },
      { value: 'sci', label: { th: 'วิทยาศาสตร์' } },
      { value: 'eng', label: { th: 'ภาษาอังกฤษ' } },
    ],
  },
  {
    type: 'number',
    key: 'students',
    label: { th: 'จำนวนนักเรียนทั้งหมด' },
    min: 0,
    max: 3000,
    integer: true,
    unit: { th: 'คน' },
    constraint: '. >= 10',
    constraintMessage: { th: 'โรงเรียนต้องมีนักเรียนอย่างน้อย 10 คน' },
  },
  { type: 'text', key: 'comment', label: { th: 'ข้อเสนอแนะเพิ่มเติม' }, required: false, maxLength: 30 },
  { type: 'date', key: 'visit_date', label: { th: 'วันที่รับการนิเทศ' } },
  { type: 'rating', key: 'r1', label: { th: 'ด้านคุณภาพผู้เรียน' } },
  { type: 'rating', key: 'r2', label: { th: 'ด้านกระบวนการบริหารและการจัดการ' } },
  { type: 'rating', key: 'r3', label: { th: 'ด้านการจัดการเรียนการสอน' } },
  {
    type: 'calculate',
    key: 'overall',
    label: { th: 'ระดับคุณภาพโดยรวม' },
    expression: 'round(avg(${r1}, ${r2}, ${r3}))',
  },
  { type: 'photo', key: 'evidence', label: { th: 'รูปหลักฐานการนิเทศ' }, maxFiles: 2 },
  {
    type: 'repeat',
    key: 'findings',
    label: { th: 'ข้อค้นพบ' },
    maxCount: 2,
    items: [
      { type: 'text', key: 'finding_text', label: { th: 'รายละเอียดข้อค้นพบ' }, maxLength: 200 },
      { type: 'photo', key: 'finding_photo', label: { th: 'รูปประกอบข้อค้นพบ' }, required: false, maxFiles: 1 },
    ],
  },
];

/** Version 1 of the fixture: every item type, an optional item, a relevant item and a repeat. */
export const fixtureDefinition: Definition = load({
  schema: DEFINITION_SCHEMA,
  key: 'runner-fixture',
  version: 1,
  title: { th: 'แบบนิเทศทดสอบ' },
  scope: 'person',
  items,
});

/** Version 2: a different first question, so a test can tell which version answered. */
export const fixtureDefinitionV2: Definition = load({
  schema: DEFINITION_SCHEMA,
  key: 'runner-fixture',
  version: 2,
  title: { th: 'แบบนิเทศทดสอบ (ฉบับปรับปรุง)' },
  scope: 'person',
  items: [{ type: 'number', key: 'teachers', label: { th: 'จำนวนครูทั้งหมด' }, min: 1 }, ...items.slice(1)],
});

/** The questions asked when has_plan is 'yes' and no finding is added, in order. */
export const ASKED_WITHOUT_REASON = [
  'has_plan',
  'level',
  'subjects',
  'students',
  'comment',
  'visit_date',
  'r1',
  'r2',
  'r3',
  'evidence',
] as const;
