// XLSForm in and out: how each XLSForm column and type maps onto the definition, every problem named by sheet, row
// and column in Thai and English, and the round trip definition → workbook → definition for the built-ins and for
// a form using everything the wide schema has.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBuiltins } from '../builtin-files.js';
import { DEFINITION_SCHEMA, type FormDefinition, validateFormDefinition } from '../definition.js';
import { MAX_IMPORT_ROWS } from '../../imports/sheet.js';
import { normaliseKey, readXlsForm, xlsFormFromSheets, type WorkbookSheet } from './read.js';
import { writeXlsForm, xlsFormSheets } from './write.js';

/** Sheets as an office types them: row 1 the header; null leaves a cell empty. */
const sheet = (name: string, rows: (string | null)[][]): WorkbookSheet => ({
  name,
  records: rows
    .map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c ?? '') }))
    .filter((r) => r.cells.some((c) => c !== '')),
});

const settings = (extra: Record<string, string> = {}) => {
  const all: Record<string, string> = { form_title: 'แบบนิเทศ', form_id: 'visit_form', version: '3', ...extra };
  return sheet('settings', [Object.keys(all), Object.values(all)]);
};

function read(
  survey: (string | null)[][],
  choices: (string | null)[][] = [['list_name', 'name', 'label']],
  more = settings(),
) {
  return xlsFormFromSheets([sheet('survey', survey), sheet('choices', choices), more]);
}

const RATING5 = [
  ['rating5', '5', 'ยอดเยี่ยม'],
  ['rating5', '4', 'ดีเลิศ'],
  ['rating5', '3', 'ดี'],
  ['rating5', '2', 'ปานกลาง'],
  ['rating5', '1', 'กำลังพัฒนา'],
];

function accepted(r: ReturnType<typeof read>): FormDefinition {
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.cell ?? i.sheet}: ${i.message}`).join('\n'));
  return r.definition;
}

describe('reading an XLSForm', () => {
  it('maps types, languages and columns onto the definition', () => {
    const def = accepted(
      read(
        [
          [
            'type',
            'name',
            'label::Thai (th)',
            'label::English (en)',
            'hint::Thai (th)',
            'required',
            'required_message::Thai (th)',
            'relevant',
            'constraint',
            'constraint_message::Thai (th)',
            'calculation',
            'default',
            'parameters',
            'unit::Thai (th)',
            'appearance',
          ],
          ['today', 'visit_day', null, null, null, null, null, null, null, null, null, null, null, null, null],
          [
            'select_one rating5',
            'teaching',
            'การจัดการเรียนรู้',
            'Teaching',
            null,
            'yes',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            'minimal',
          ],
          [
            'select_one yes_no',
            'has_plan',
            'มีแผนการสอน',
            null,
            null,
            'TRUE',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ],
          [
            'begin group',
            'part2',
            'ตอนที่ 2 ห้องเรียน',
            'Part 2',
            null,
            null,
            null,
            "${has_plan} = 'yes'",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ],
          [
            'integer',
            'students',
            'จำนวนนักเรียน',
            null,
            'นับเฉพาะที่มาเรียน',
            'true()',
            'กรุณากรอกจำนวนนักเรียน',
            null,
            '. > 0',
            'ต้องมากกว่า 0',
            null,
            '30',
            'min=1 max=60',
            'คน',
            null,
          ],
          ['decimal', 'ratio', 'สัดส่วน', null, null, null, null, null, null, null, null, null, null, null, null],
          ['end group', null, null, null, null, null, null, null, null, null, null, null, null, null, null],
          [
            'select_multiple needs or_other',
            'needs',
            'ความต้องการ',
            null,
            null,
            'yes',
            null,
            null,
            'count-selected(.) <= 2',
            null,
            null,
            'media',
            'min-selected=1',
            null,
            null,
          ],
          [
            'image',
            'photo',
            'ภาพห้องเรียน',
            null,
            null,
            'no',
            null,
            null,
            null,
            null,
            null,
            null,
            'max-files=5 max-pixels=1024',
            null,
            null,
          ],
          ['file', 'plan_doc', 'ไฟล์แผนการสอน', null, null, null, null, null, null, null, null, null, null, null, null],
          [
            'begin repeat',
            'actions',
            'ข้อตกลง',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            'max-count=5',
            null,
            null,
          ],
          [
            'text',
            'action',
            'สิ่งที่จะพัฒนา',
            null,
            null,
            'yes',
            null,
            null,
            'string-length(.) <= 200',
            null,
            null,
            null,
            'max-length=300',
            null,
            null,
          ],
          [
            'date',
            'due',
            'กำหนดเสร็จ',
            null,
            null,
            null,
            null,
            null,
            '. >= today()',
            'ต้องไม่ก่อนวันนี้',
            null,
            null,
            null,
            null,
            null,
          ],
          ['end repeat', null, null, null, null, null, null, null, null, null, null, null, null, null, null],
          [
            'calculate',
            'n_actions',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            'count(${actions})',
            null,
            null,
            null,
            null,
          ],
          [
            'acknowledge',
            'ack',
            'รับทราบผลการนิเทศ',
            null,
            null,
            'yes',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ],
          [
            'note',
            'thanks',
            'ขอบคุณ ${has_plan}',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ],
        ],
        [
          ['list_name', 'name', 'label::Thai (th)', 'label::English (en)'],
          ['rating5', '5', 'ยอดเยี่ยม', 'excellent'],
          ['rating5', '4', 'ดีเลิศ', null],
          ['rating5', '3', 'ดี', null],
          ['rating5', '2', 'ปานกลาง', null],
          ['rating5', '1', 'กำลังพัฒนา', null],
          ['yes_no', 'yes', 'ใช่', 'Yes'],
          ['yes_no', 'no', 'ไม่ใช่', 'No'],
          ['needs', 'media', 'สื่อการสอน', 'Teaching media'],
          ['needs', 'assessment', 'การวัดผล', null],
        ],
      ),
    );
    expect(def).toMatchObject({ key: 'visit-form', version: 3, title: { th: 'แบบนิเทศ' }, scope: 'person' });
    expect(def.items).toEqual([
      { type: 'calculate', key: 'visit_day', label: { th: 'visit_day' }, expression: 'today()' },
      { type: 'rating', key: 'teaching', label: { th: 'การจัดการเรียนรู้', en: 'Teaching' }, required: true },
      { type: 'yes_no', key: 'has_plan', label: { th: 'มีแผนการสอน' }, required: true },
      {
        type: 'section',
        key: 'part2',
        label: { th: 'ตอนที่ 2 ห้องเรียน', en: 'Part 2' },
        relevant: "${has_plan} = 'yes'",
        items: [
          {
            type: 'number',
            key: 'students',
            label: { th: 'จำนวนนักเรียน' },
            hint: { th: 'นับเฉพาะที่มาเรียน' },
            required: true,
            requiredMessage: { th: 'กรุณากรอกจำนวนนักเรียน' },
            constraint: '. > 0',
            constraintMessage: { th: 'ต้องมากกว่า 0' },
            default: '30',
            integer: true,
            min: 1,
            max: 60,
            unit: { th: 'คน' },
          },
          { type: 'number', key: 'ratio', label: { th: 'สัดส่วน' }, required: false, integer: false },
        ],
      },
      {
        type: 'select_many',
        key: 'needs',
        label: { th: 'ความต้องการ' },
        required: true,
        constraint: 'count-selected(.) <= 2',
        default: 'media',
        orOther: true,
        minSelected: 1,
        choices: [
          { value: 'media', label: { th: 'สื่อการสอน', en: 'Teaching media' } },
          { value: 'assessment', label: { th: 'การวัดผล' } },
        ],
      },
      { type: 'photo', key: 'photo', label: { th: 'ภาพห้องเรียน' }, required: false, maxFiles: 5 },
      { type: 'document', key: 'plan_doc', label: { th: 'ไฟล์แผนการสอน' }, required: false, maxFiles: 3 },
      {
        type: 'repeat',
        key: 'actions',
        label: { th: 'ข้อตกลง' },
        minCount: 0,
        maxCount: 5,
        items: [
          {
            type: 'text',
            key: 'action',
            label: { th: 'สิ่งที่จะพัฒนา' },
            required: true,
            constraint: 'string-length(.) <= 200',
            maxLength: 300,
          },
          {
            type: 'date',
            key: 'due',
            label: { th: 'กำหนดเสร็จ' },
            required: false,
            constraint: '. >= today()',
            constraintMessage: { th: 'ต้องไม่ก่อนวันนี้' },
          },
        ],
      },
      { type: 'calculate', key: 'n_actions', label: { th: 'n_actions' }, expression: 'count(${actions})' },
      { type: 'acknowledge', key: 'ack', label: { th: 'รับทราบผลการนิเทศ' }, required: true },
      { type: 'note', key: 'thanks', label: { th: 'ขอบคุณ ${has_plan}' } },
    ]);
  });

  it('reads the older spellings pyxform still accepts', () => {
    const def = accepted(
      xlsFormFromSheets(
        [
          sheet('SURVEY', [
            ['TYPE', 'NAME', 'label:English', 'Label:Thai'],
            ['select one from sexes or specify other', 'sex', 'Sex?', 'เพศ'],
            ['select all that apply from toilets', 'toilets', 'Toilets?', null],
            ['begin_group', 'g', null, null],
            ['q int', 'n', 'Number', null],
            ['end_group', null, null, null],
          ]),
          sheet('Choices', [
            ['list name', 'value', 'label'],
            ['sexes', 'male', 'ชาย'],
            ['sexes', 'female', 'หญิง'],
            ['toilets', 'pit', 'Pit'],
          ]),
        ],
        { fallbackKey: 'Old Form (2019)' },
      ),
    );
    expect(def.key).toBe('old-form-2019');
    expect(def.items).toEqual([
      expect.objectContaining({ type: 'select_one', key: 'sex', label: { th: 'เพศ', en: 'Sex?' }, orOther: true }),
      expect.objectContaining({ type: 'select_many', key: 'toilets', label: { th: 'Toilets?' } }),
      { type: 'section', key: 'g', items: [expect.objectContaining({ type: 'number', key: 'n', integer: true })] },
    ]);
  });

  it('keeps a yes_no or rating5 list with other labels as a plain choice list, and a choice filter with its columns', () => {
    const def = accepted(
      read(
        [
          ['type', 'name', 'label', 'choice_filter'],
          ['select_one yes_no', 'q1', 'Ready?', null],
          ['select_one provinces', 'province', 'จังหวัด', null],
          ['select_one districts', 'district', 'อำเภอ', '${province} = province'],
          ['select_one assigned_schools', 'school', 'โรงเรียน', null],
        ],
        [
          ['list_name', 'name', 'label', 'province'],
          ['yes_no', 'yes', 'Yes', null],
          ['yes_no', 'no', 'No', null],
          ['provinces', 'kk', 'ขอนแก่น', null],
          ['provinces', 'ud', 'อุดรธานี', null],
          ['districts', 'muang', 'เมืองขอนแก่น', 'kk'],
          ['districts', 'ban_phai', 'บ้านไผ่', 'kk'],
          ['districts', 'kumphawapi', 'กุมภวาปี', 'ud'],
        ],
      ),
    );
    expect(def.items[0]).toMatchObject({ type: 'select_one', choices: [{ value: 'yes' }, { value: 'no' }] });
    expect(def.items[2]).toMatchObject({
      type: 'select_one',
      choiceFilter: '${province} = province',
      choices: [
        { value: 'muang', label: { th: 'เมืองขอนแก่น' }, attributes: { province: 'kk' } },
        { value: 'ban_phai', label: { th: 'บ้านไผ่' }, attributes: { province: 'kk' } },
        { value: 'kumphawapi', label: { th: 'กุมภวาปี' }, attributes: { province: 'ud' } },
      ],
    });
    expect(def.items[3]).toEqual({
      type: 'select_one',
      key: 'school',
      label: { th: 'โรงเรียน' },
      required: false,
      choicesFrom: 'assigned_schools',
    });
  });

  it('leaves out device metadata and presentation-only columns with warnings, and accepts the form', () => {
    const r = read([
      ['type', 'name', 'label', 'appearance', 'image', 'guidance_hint'],
      ['start', 'start', null, null, null, null],
      ['deviceid', 'deviceid', null, null, null, null],
      ['text', 'name_of_school', 'ชื่อโรงเรียน', 'multiline', 'school.png', 'เขียนชื่อเต็ม'],
    ]);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => `${w.sheet}!${w.cell ?? ''} ${w.message.split(' / ')[1] ?? ''}`)).toEqual([
      'survey!E1 column "image" is not used in a LINE chat',
      'survey!F1 column "guidance_hint" is not used in a LINE chat',
      'survey!A2 start is left out: nithet records start and submit times itself and collects no device data',
      'survey!A3 deviceid is left out: nithet records start and submit times itself and collects no device data',
      'survey!D4 appearance "multiline" has no effect in a LINE chat',
    ]);
  });
});

describe('problems named by sheet, row and column', () => {
  const issuesOf = (r: ReturnType<typeof read>) => {
    if (r.ok) throw new Error('expected the form to be refused');
    return r.issues.map((i) => `${i.sheet}!${i.cell ?? `row ${i.row ?? '-'}`} [${i.column ?? i.field}] ${i.message}`);
  };

  it('refuses types a LINE chat cannot ask, naming each type, and adds nothing for references to them', () => {
    const r = read([
      ['type', 'name', 'label', 'relevant'],
      ['geopoint', 'where', 'ตำแหน่งโรงเรียน', null],
      ['barcode', 'code', 'สแกนรหัส', null],
      ['audio', 'voice', 'บันทึกเสียง', null],
      ['select_one_from_file schools.csv', 'school', 'โรงเรียน', null],
      ['range', 'score', 'คะแนน', null],
      ['text', 'note_where', 'รายละเอียดตำแหน่ง', "${where} != ''"],
    ]);
    expect(issuesOf(r)).toEqual([
      'survey!A2 [type] ชนิดคำถาม "geopoint" ใช้ในแชต LINE ไม่ได้ / type "geopoint" cannot be asked in a LINE chat',
      'survey!A3 [type] ชนิดคำถาม "barcode" ใช้ในแชต LINE ไม่ได้ / type "barcode" cannot be asked in a LINE chat',
      'survey!A4 [type] ชนิดคำถาม "audio" ใช้ในแชต LINE ไม่ได้ / type "audio" cannot be asked in a LINE chat',
      'survey!A5 [type] ชนิดคำถาม "select_one_from_file" ใช้ในแชต LINE ไม่ได้ / type "select_one_from_file" cannot be asked in a LINE chat',
      'survey!A6 [type] ชนิดคำถาม "range" ใช้ในแชต LINE ไม่ได้ / type "range" cannot be asked in a LINE chat',
    ]);
  });

  it('reads the outcome columns (achieve, target, under, feedback) and names misplaced or bad ones at their cell', () => {
    const head = ['type', 'name', 'label', 'achieve', 'target', 'under', 'feedback', 'calculation'];
    const choices = [['list_name', 'name', 'label']];
    const good = accepted(
      read(
        [
          head,
          ['integer', 'goal', 'เป้าหมาย', null, null, null, null],
          ['select_one rating5', 'i1', 'ตัวชี้วัด 1', 'indicator', '${goal}', '${s1}', null],
          ['calculate', 's1', 'มาตรฐาน 1', 'Standard', '3', null, null, '${i1}'],
          ['text', 'good', 'จุดเด่น', null, null, 's1', 'strength'],
        ],
        [...choices, ...RATING5],
      ),
    );
    expect(good.items.slice(1)).toMatchObject([
      { type: 'rating', key: 'i1', achieve: 'indicator', target: 'goal', under: 's1' },
      { type: 'calculate', key: 's1', achieve: 'standard', target: 3 },
      { type: 'text', key: 'good', feedback: 'strength', under: 's1' },
    ]);
    const r = read(
      [
        head,
        ['text', 'words', 'ข้อความ', 'indicator', null, null, null],
        ['select_one rating5', 'i2', 'ตัวชี้วัด 2', 'indicator', null, null, 'strength'],
        ['select_one rating5', 'i3', 'ตัวชี้วัด 3', 'goal', '7', null, null],
      ],
      [...choices, ...RATING5],
    );
    expect(issuesOf(r)).toEqual([
      'survey!D2 [achieve] คอลัมน์ "achieve" ใช้กับข้อระดับคุณภาพ (rating) ข้อคำนวณ หรือข้อความ (feedback) เท่านั้น / column "achieve" applies to ratings and calculations (achieve, target, under) or text (feedback, under) only',
      'survey!G3 [feedback] คอลัมน์ "feedback" ใช้กับข้อระดับคุณภาพ (rating) ข้อคำนวณ หรือข้อความ (feedback) เท่านั้น / column "feedback" applies to ratings and calculations (achieve, target, under) or text (feedback, under) only',
      expect.stringMatching(/^survey!D4 \[achieve\]/),
      expect.stringMatching(/^survey!E4 \[target\]/),
    ]);
  });

  it('names every other problem at its cell', () => {
    const r = read(
      [
        [
          'type',
          'name',
          'label',
          'required',
          'relevant',
          'constraint',
          'calculation',
          'read_only',
          'appearance',
          'choice_filter',
          'default',
        ],
        ['text', '1st', 'ชื่อ', null, null, null, null, null, null, null, null],
        ['text', 'a', 'ก', 'sometimes', null, null, null, null, null, null, null],
        ['text', 'a', 'ก ซ้ำ', null, null, null, null, null, null, null, null],
        ['integer', 'b', null, null, null, null, null, null, null, null, null],
        ['integer', 'c', 'ค', "${a} != ''", null, null, null, null, null, null, null],
        ['text', 'd', 'ง', null, null, null, 'concat(${a})', null, null, null, null],
        ['text', 'e', 'จ', null, null, null, null, 'yes', null, null, null],
        ['integer', 'f', 'ฉ', null, null, null, null, null, 'ex:org.example.Scanner', null, null],
        ['select_one nolist', 'g', 'ช', null, null, null, null, null, null, null, null],
        ['select_one colours', 'h', 'ซ', null, "${later} = 'x'", '. = ${h2}', null, null, null, 'pastel = yes', 'red'],
        ['text', 'later', 'ฌ', null, null, null, null, null, null, null, null],
        ['calculate', 'i', null, null, null, null, 'sum(${a}', null, null, null, null],
        ['qrcode', 'j', 'ญ', null, null, null, null, null, null, null, null],
        ['begin group', 'grp', 'กลุ่ม', null, null, null, null, null, null, null, null],
        ['end repeat', null, null, null, null, null, null, null, null, null, null],
        [null, 'k', 'ไม่มีชนิด', null, null, null, null, null, null, null, null],
      ],
      [
        ['list_name', 'name', 'label', 'pastel'],
        ['colours', 'red', 'แดง', 'no'],
        ['colours', 'pink', 'ชมพู', 'yes'],
        ['dups', 'red', 'แดง', null],
        ['dups', 'red', 'แดงซ้ำ', null],
        ['dups', 'sky blue', 'ฟ้า', null],
        ['rating5', '5', 'ดีมาก', null],
      ],
      settings({ scope: 'district', version: '1.2' }),
    );
    expect(issuesOf(r)).toEqual([
      'settings!C2 [version] เวอร์ชัน "1.2" ต้องเป็นจำนวนเต็ม 1–2147483647 / version "1.2" must be a whole number from 1 to 2147483647',
      'settings!D2 [scope] scope "district" ต้องเป็น person หรือ school / scope "district" must be person or school',
      'survey!B2 [name] ชื่อข้อ "1st" ต้องขึ้นต้นด้วยตัวอักษรอังกฤษหรือ _ ตามด้วยตัวอักษรอังกฤษ ตัวเลข _ - หรือ . ไม่เกิน 64 ตัว / name "1st" must start with a letter or _, then letters, digits, _, - or . (at most 64)',
      'survey!D3 [required] ค่า "sometimes" ต้องเป็น yes หรือ no / "sometimes" must be yes or no',
      'survey!B4 [name] ชื่อข้อ "a" ซ้ำกับแถวที่ 3 / name "a" is already used in row 3',
      'survey!C5 [label] ต้องมีข้อความคำถาม (label) / label is required',
      'survey!D6 [required] required แบบมีเงื่อนไขยังใช้ไม่ได้ ให้ใส่ yes หรือ no / a conditional required is not supported: write yes or no',
      'survey!G7 [calculation] calculation ใช้ได้เฉพาะข้อชนิด calculate (คำตอบที่ถามในแชตคำนวณแทนไม่ได้) / calculation is only for calculate rows (an asked question cannot be computed)',
      'survey!H8 [read_only] read_only ใช้ในแชต LINE ไม่ได้ / read_only is not supported in a LINE chat',
      'survey!I9 [appearance] appearance "ex:org.example.Scanner" เปิดแอปอื่น ซึ่งแชต LINE ทำไม่ได้ / appearance "ex:org.example.Scanner" launches another app, which a LINE chat cannot',
      'survey!A10 [type] ไม่พบรายการตัวเลือก "nolist" ในแผ่นงาน choices / no list "nolist" in the choices sheet',
      "survey!E11 [relevant] ไม่พบข้อ 'later' ก่อนหน้าข้อนี้ / unknown or later item 'later'",
      "survey!F11 [constraint] ไม่พบข้อ 'h2' ก่อนหน้าข้อนี้ / unknown or later item 'h2'",
      "survey!J11 [choice_filter] 'yes' ไม่ใช่คอลัมน์ของตัวเลือกของข้อนี้ (ถ้าหมายถึงข้อความ yes ให้เขียน 'yes') / 'yes' is not a column of this question's choices (to compare with the text yes, write 'yes')",
      "survey!G13 [calculation] นิพจน์ไม่ถูกต้อง (expected ',' or ')' at 8 (end of expression)) / expected ',' or ')' at 8 (end of expression)",
      'survey!A14 [type] ไม่รู้จักชนิดคำถาม "qrcode" / unknown type "qrcode"',
      'survey!A15 [type] group ที่เริ่มในแถว 15 ไม่มีแถวปิด (end_group) / the group begun in row 15 is never closed (end_group)',
      'survey!A16 [type] แถว end_repeat ไม่ตรงกับกลุ่มที่เปิดอยู่ / end_repeat does not close an open repeat',
      'survey!A17 [type] ต้องระบุชนิดคำถาม (type) / type is required',
      'choices!B5 [name] ตัวเลือก "red" ซ้ำกับแถวที่ 4 ในรายการเดียวกัน / choice "red" repeats row 4 of the same list',
      'choices!B6 [name] ค่าตัวเลือก "sky blue" ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข _ - หรือ . ไม่เกิน 64 ตัว (เว้นวรรคไม่ได้) / choice name "sky blue" must be letters, digits, _, - or . (at most 64, no spaces)',
      'choices!A7 [list_name] รายการ rating5 สงวนไว้สำหรับระดับคุณภาพ 5 ระดับ: 5 ยอดเยี่ยม, 4 ดีเลิศ, 3 ดี, 2 ปานกลาง, 1 กำลังพัฒนา / the list rating5 is kept for the five quality levels: 5 ยอดเยี่ยม, 4 ดีเลิศ, 3 ดี, 2 ปานกลาง, 1 กำลังพัฒนา',
    ]);
  });

  it('names a default that does not fit, and a reference to left-out metadata', () => {
    const r = read([
      ['type', 'name', 'label', 'default', 'relevant'],
      ['start', 'began', null, null, null],
      ['integer', 'n', 'จำนวน', 'สิบ', "${began} != ''"],
    ]);
    expect(issuesOf(r)).toEqual([
      "survey!D3 [default] ค่าเริ่มต้น 'สิบ' ต้องเป็นตัวเลข / default 'สิบ' must be a number",
      'survey!E3 [relevant] nithet ไม่ได้เก็บ "start" ไว้เป็นคำตอบ จึงอ้างถึงไม่ได้ / nithet does not keep "start" as an answer, so it cannot be referred to',
    ]);
  });

  it('says what is wrong with the file or its sheets', async () => {
    const file = (r: Awaited<ReturnType<typeof readXlsForm>>) => (r.ok ? [] : r.issues.map((i) => i.message));
    expect(file(await readXlsForm(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0])))).toEqual([
      'ไฟล์ .xls แบบเก่าอ่านไม่ได้ ให้บันทึกเป็น .xlsx / the old .xls format cannot be read: save it as .xlsx',
    ]);
    expect(file(await readXlsForm(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).toEqual([
      'อ่านไฟล์ Excel ไม่ได้ ให้บันทึกเป็น .xlsx แล้วลองใหม่ / the workbook cannot be read: save it as .xlsx and try again',
    ]);
    const noSurvey = xlsFormFromSheets([sheet('Sheet1', [['a']]), sheet('Sheet2', [['b']])]);
    expect(noSurvey.ok ? [] : noSurvey.issues).toEqual([
      {
        sheet: 'survey',
        field: '(row)',
        message: 'ไม่พบแผ่นงาน survey (พบ: Sheet1, Sheet2) / no survey sheet (found: Sheet1, Sheet2)',
      },
    ]);
    const big = read([
      ['type', 'name', 'label'],
      ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => ['text', `q${i}`, 'ข้อ']),
    ]);
    expect(issuesOf(big)).toEqual([
      `survey!row ${MAX_IMPORT_ROWS + 2} [(row)] แผ่นงานมีได้ไม่เกิน ${MAX_IMPORT_ROWS} แถว / at most ${MAX_IMPORT_ROWS} rows per sheet`,
    ]);
    const noId = xlsFormFromSheets([
      sheet('survey', [
        ['type', 'name', 'label'],
        ['text', 't', 'ข้อ'],
      ]),
    ]);
    expect(noId.ok ? [] : noId.issues.map((i) => i.message)).toEqual([
      'ต้องระบุ form_id ในแผ่นงาน settings / form_id is required in the settings sheet',
    ]);
  });
});

describe('any workbook', () => {
  const cell = fc.oneof(
    fc.constantFrom(
      '',
      'text',
      'integer',
      'select_one l1',
      'select_multiple l2 or_other',
      'begin_group',
      'end_group',
      'begin_repeat',
      'end_repeat',
      'calculate',
      'geopoint',
      'note',
      'file',
      'q1',
      'q2',
      '${q1}',
      "${q1} = 'a'",
      '. > 1',
      'sum(${q2})',
      'yes',
      'TRUE',
      'min=1 max=x',
      'ข้อความ',
      'rating5',
      '5',
      'a',
      'l1',
    ),
    fc.string({ maxLength: 12 }),
  );
  const rows = (n: number) => fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: n });
  const header = fc.shuffledSubarray(
    [
      'type',
      'name',
      'label',
      'relevant',
      'constraint',
      'required',
      'calculation',
      'choice_filter',
      'default',
      'parameters',
      'repeat_count',
      'label::English (en)',
    ],
    { minLength: 1 },
  );

  it('is read without throwing: a definition that validates and writes back to itself, or bilingual issues', () => {
    fc.assert(
      fc.property(header, rows(25), rows(10), (head, body, choiceRows) => {
        const r = xlsFormFromSheets(
          [
            sheet('survey', [head, ...body]),
            sheet('choices', [['list_name', 'name', 'label', 'cf'], ...choiceRows]),
            settings(),
          ],
          {},
        );
        if (r.ok) {
          expect(validateFormDefinition(r.definition).ok).toBe(true);
          // Whatever was accepted writes back to itself.
          const out = xlsFormSheets(r.definition);
          const back = xlsFormFromSheets([
            sheet('survey', out.survey),
            sheet('choices', out.choices),
            sheet('settings', out.settings),
          ]);
          expect(back.ok ? back.definition : back.issues).toEqual(r.definition);
        } else {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) expect(i.message).toMatch(/ \/ /);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('a plausible workbook', () => {
  const row = fc.record({
    type: fc.constantFrom(
      'text',
      'integer',
      'decimal',
      'date',
      'note',
      'select_one l1',
      'select_multiple l1',
      'select_one l1 or_other',
      'select_one rating5',
      'select_one yes_no',
      'image',
      'file',
      'acknowledge',
      'calculate',
      'begin_group',
      'end_group',
      'begin_repeat',
      'end_repeat',
    ),
    label: fc.constantFrom('ข้อคำถาม', 'Question ${q0}'),
    en: fc.constantFrom('', 'In English'),
    required: fc.constantFrom('', 'yes', 'no'),
    relevant: fc.constantFrom('', "${q0} != ''", 'count(${q0}) > 0'),
    constraint: fc.constantFrom('', '', '. != 0'),
    parameters: fc.constantFrom('', '', 'max-files=2', 'min=0 max=9', 'max-length=20'),
    def: fc.constantFrom('', '', '', '1'),
  });

  /** Ends only close what is open, and everything opened is closed: the structure an office's form has. */
  const balanced = <T extends { type: string }>(rs: T[]): T[] => {
    const open: string[] = [];
    const out: T[] = [];
    for (const r of rs) {
      if (r.type.startsWith('begin_')) open.push(r.type.slice(6));
      else if (r.type.startsWith('end_')) {
        if (open[open.length - 1] !== r.type.slice(4)) continue;
        open.pop();
      }
      out.push(r);
    }
    for (const what of open.reverse()) out.push({ ...(rs[0] as T), type: `end_${what}` });
    return out;
  };

  it('is accepted often enough to matter, and every accepted one writes back to itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 15 }), (generated) => {
        const rs = balanced(generated);
        const survey = [
          [
            'type',
            'name',
            'label::Thai (th)',
            'label::English (en)',
            'required',
            'relevant',
            'constraint',
            'calculation',
            'parameters',
            'default',
          ],
          ...rs.map((r, i) => [
            r.type,
            r.type.startsWith('end') ? '' : `q${i}`,
            i === 0 ? 'ข้อแรก' : r.label,
            r.en,
            r.required,
            r.type === 'calculate' || i === 0 ? '' : r.relevant,
            r.constraint,
            r.type === 'calculate' ? '1 + 1' : '',
            r.parameters,
            r.def,
          ]),
        ];
        const r = read(survey, [
          ['list_name', 'name', 'label'],
          ['l1', 'a', 'ก'],
          ['l1', 'b', 'ข'],
          ['rating5', '5', 'ยอดเยี่ยม'],
          ['rating5', '4', 'ดีเลิศ'],
          ['rating5', '3', 'ดี'],
          ['rating5', '2', 'ปานกลาง'],
          ['rating5', '1', 'กำลังพัฒนา'],
          ['yes_no', 'yes', 'ใช่'],
          ['yes_no', 'no', 'ไม่ใช่'],
        ]);
        if (!r.ok) return;
        accepted++;
        const out = xlsFormSheets(r.definition);
        const back = xlsFormFromSheets([
          sheet('survey', out.survey),
          sheet('choices', out.choices),
          sheet('settings', out.settings),
        ]);
        expect(back.ok ? back.definition : back.issues).toEqual(r.definition);
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('round trip: definition → XLSForm → definition', () => {
  it('gives back every built-in as it was', async () => {
    const files = await readBuiltins();
    expect(files.map((f) => f.file)).toHaveLength(10);
    for (const f of files) {
      if (!f.ok) throw new Error(f.file);
      const back = await readXlsForm(await writeXlsForm(f.definition));
      expect(back.ok ? back.definition : back.issues, f.file).toEqual(f.definition);
      expect(back.warnings, f.file).toEqual([]);
    }
  });
});

const everything = {
  schema: DEFINITION_SCHEMA,
  key: 'everything-form',
  version: 12,
  title: { th: 'แบบทดสอบทุกชนิด', en: 'Every kind' },
  description: { th: 'สำหรับทดสอบ', en: 'For tests' },
  scope: 'school',
  items: [
    { type: 'note', key: 'intro', label: { th: 'คำชี้แจง' }, hint: { th: 'อ่านก่อนตอบ', en: 'Read first' } },
    { type: 'select_one', key: 'school', label: { th: 'โรงเรียน' }, choicesFrom: 'assigned_schools', required: true },
    {
      type: 'section',
      key: 'part1',
      label: { th: 'ตอนที่ 1', en: 'Part 1' },
      items: [
        {
          type: 'section',
          key: 'part1a',
          relevant: "${school} != ''",
          items: [
            {
              type: 'yes_no',
              key: 'ready',
              label: { th: 'พร้อมหรือไม่' },
              default: 'yes',
              requiredMessage: { th: 'ตอบด้วย' },
            },
            { type: 'rating', key: 'level', label: { th: 'ระดับ' }, required: false },
            {
              type: 'select_many',
              key: 'yes_no',
              label: { th: 'รายการชื่อสงวน' },
              minSelected: 1,
              maxSelected: 2,
              orOther: true,
              choices: [
                { value: 'a', label: { th: 'ก', en: 'A' } },
                { value: 'b', label: { th: 'ข' } },
              ],
            },
            {
              type: 'select_one',
              key: 'same_list',
              label: { th: 'รายการเดียวกัน' },
              choices: [
                { value: 'a', label: { th: 'ก', en: 'A' } },
                { value: 'b', label: { th: 'ข' } },
              ],
            },
          ],
        },
        {
          type: 'select_one',
          key: 'district',
          label: { th: 'อำเภอ' },
          choiceFilter: "${same_list} = area and name != 'x'",
          choices: [
            { value: 'muang', label: { th: 'เมือง ก' }, attributes: { area: 'a', code: '01' } },
            { value: 'muang', label: { th: 'เมือง ข' }, attributes: { area: 'b' } },
          ],
        },
      ],
    },
    {
      type: 'number',
      key: 'teachers',
      label: { th: 'จำนวนครู' },
      integer: true,
      min: 0,
      max: 300,
      unit: { th: 'คน', en: 'people' },
    },
    {
      type: 'number',
      key: 'budget',
      label: { th: 'งบ' },
      integer: false,
      constraint: '. >= 0',
      constraintMessage: { th: 'ห้ามติดลบ' },
    },
    {
      type: 'text',
      key: 'comment',
      label: { th: 'ความเห็น' },
      maxLength: 4000,
      required: false,
      relevant: '${teachers} > 0',
    },
    { type: 'date', key: 'when', label: { th: 'วันที่' }, default: '2026-11-30' },
    { type: 'photo', key: 'pics', label: { th: 'ภาพ' }, maxFiles: 10 },
    { type: 'document', key: 'sar', label: { th: 'ไฟล์ SAR' }, maxFiles: 1 },
    { type: 'acknowledge', key: 'ack', label: { th: 'รับทราบ' } },
    {
      type: 'repeat',
      key: 'fixed',
      label: { th: 'สามครั้ง' },
      minCount: 3,
      maxCount: 3,
      items: [{ type: 'text', key: 'fixed_text', label: { th: 'ข้อความ' } }],
    },
    {
      type: 'repeat',
      key: 'by_count',
      label: { th: 'ตามจำนวนครู' },
      count: '${teachers}',
      minCount: 1,
      maxCount: 50,
      addLabel: { th: 'เพิ่มครูอีกคนไหม', en: 'Another teacher?' },
      items: [
        {
          type: 'section',
          key: 'teacher_head',
          label: { th: 'ครู' },
          items: [{ type: 'text', key: 'tname', label: { th: 'ชื่อ' } }],
        },
        { type: 'calculate', key: 'row', label: { th: 'ลำดับ' }, expression: 'position(..)' },
      ],
    },
    { type: 'calculate', key: 'names', label: { th: 'รายชื่อ' }, expression: 'concat(${tname})' },
  ],
};

describe('round trip of the wide schema', () => {
  it('gives back a form that uses every kind and field', async () => {
    const valid = validateFormDefinition(everything);
    if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
    const back = await readXlsForm(await writeXlsForm(valid.definition));
    expect(back.ok ? back.definition : back.issues).toEqual(valid.definition);
  });

  it('writes XLSForm an office recognises: reserved list names avoided, identical lists shared', () => {
    const valid = validateFormDefinition(everything);
    if (!valid.ok) throw new Error('invalid');
    const s = xlsFormSheets(valid.definition);
    const types = s.survey.slice(1).map((r) => r[0]);
    expect(types).toEqual([
      'note',
      'select_one assigned_schools',
      'begin_group',
      'begin_group',
      'select_one yes_no',
      'select_one rating5',
      'select_multiple yes_no_2 or_other',
      'select_one yes_no_2',
      'end_group',
      'select_one district',
      'end_group',
      'integer',
      'decimal',
      'text',
      'date',
      'image',
      'file',
      'acknowledge',
      'begin_repeat',
      'text',
      'end_repeat',
      'begin_repeat',
      'begin_group',
      'text',
      'end_group',
      'calculate',
      'end_repeat',
      'calculate',
    ]);
    expect(s.choices[0]).toEqual(['list_name', 'name', 'label::Thai (th)', 'label::English (en)', 'area', 'code']);
    expect(s.settings).toEqual([
      [
        'form_title',
        'form_title::English (en)',
        'form_id',
        'version',
        'scope',
        'description',
        'description::English (en)',
        'default_language',
        'allow_choice_duplicates',
      ],
      ['แบบทดสอบทุกชนิด', 'Every kind', 'everything-form', '12', 'school', 'สำหรับทดสอบ', 'For tests', 'Thai (th)', 'yes'],
    ]);
  });
});

describe('normaliseKey', () => {
  it.each([
    ['visit_form', 'visit-form'],
    ['Flat test', 'flat-test'],
    ['YesNo', 'yesno'],
    ['2567 visits', 'form-2567-visits'],
    ['แบบนิเทศ', undefined],
    ['a', undefined],
  ])('%s → %s', (id, key) => {
    expect(normaliseKey(id)).toBe(key);
  });
});
