// Writes three XLSForms the way an office clerk types them in Excel (Thai labels, hints and constraint messages in
// the plain columns, yes in required), for the XLSForm corpus tests: `npx tsx scripts/xlsform-thai-forms.ts`.
// The .xlsx files in test/fixtures/xlsform/thai/ are committed; run this again after changing a form here.
// Schools, people and answers are invented; place names are ordinary Thai geography.
import { mkdirSync, writeFileSync } from 'node:fs';
import writeXlsxFile from 'write-excel-file/universal';

type Rows = (string | number | null)[][];

interface Form {
  file: string;
  survey: Rows;
  choices: Rows;
  settings: Rows;
}

const OUT = new URL('../test/fixtures/xlsform/thai/', import.meta.url);

/** 1. A supervision visit with a repeat of action items (ข้อตกลงการพัฒนา), each with a due date after the visit. */
const visit: Form = {
  file: 'visit-actions.xlsx',
  survey: [
    ['type', 'name', 'label', 'hint', 'required', 'relevant', 'constraint', 'constraint_message', 'calculation'],
    ['note', 'intro', 'แบบบันทึกการนิเทศ ติดตาม ภาคเรียนที่ 2/2569', 'กรอกหลังการนิเทศแต่ละครั้ง', null, null, null, null, null],
    ['select_one assigned_schools', 'school', 'โรงเรียนที่นิเทศ', null, 'yes', null, null, null, null],
    ['date', 'visit_date', 'วันที่นิเทศ', null, 'yes', null, '. <= today()', 'วันที่นิเทศต้องไม่เกินวันนี้', null],
    [
      'select_multiple topics',
      'topics',
      'เรื่องที่นิเทศ (เลือกได้หลายข้อ)',
      null,
      'yes',
      null,
      'count-selected(.) <= 3',
      'เลือกได้ไม่เกิน 3 เรื่อง',
      null,
    ],
    [
      'begin_group',
      'classroom',
      'ตอนที่ 1 การจัดการเรียนรู้ในห้องเรียน',
      null,
      null,
      "selected(${topics}, 'teaching')",
      null,
      null,
      null,
    ],
    ['select_one rating5', 'plan_quality', 'แผนการจัดการเรียนรู้', null, 'yes', null, null, null, null],
    [
      'select_one rating5',
      'active_learning',
      'การจัดกิจกรรมเชิงรุก (Active Learning)',
      null,
      'yes',
      null,
      null,
      null,
      null,
    ],
    ['select_one rating5', 'assessment', 'การวัดและประเมินผล', null, 'yes', null, null, null, null],
    ['end_group', null, null, null, null, null, null, null, null],
    ['text', 'strengths', 'จุดเด่นที่พบ', null, 'yes', null, 'string-length(.) >= 10', 'กรุณาเขียนอย่างน้อย 10 ตัวอักษร', null],
    ['begin_repeat', 'actions', 'ข้อตกลงการพัฒนา', null, null, null, null, null, null],
    ['text', 'action', 'สิ่งที่โรงเรียนจะพัฒนา', null, 'yes', null, null, null, null],
    ['text', 'owner', 'ผู้รับผิดชอบ (ตำแหน่ง)', 'เช่น ครูวิชาการ หัวหน้ากลุ่มสาระ', 'yes', null, null, null, null],
    ['date', 'due', 'กำหนดเสร็จ', null, 'yes', null, '. >= ${visit_date}', 'วันกำหนดเสร็จต้องไม่ก่อนวันที่นิเทศ', null],
    ['end_repeat', null, null, null, null, null, null, null, null],
    ['calculate', 'n_actions', 'จำนวนข้อตกลง', null, null, null, null, null, 'count(${actions})'],
    ['image', 'evidence', 'ภาพบรรยากาศการนิเทศ', 'ถ่ายภาพห้องเรียนได้ไม่เกิน 3 ภาพ', null, null, null, null, null],
    ['acknowledge', 'principal_ack', 'ผู้บริหารโรงเรียนรับทราบผลการนิเทศ', null, 'yes', null, null, null, null],
  ],
  choices: [
    ['list_name', 'name', 'label'],
    ['topics', 'teaching', 'การจัดการเรียนรู้'],
    ['topics', 'curriculum', 'หลักสูตรสถานศึกษา'],
    ['topics', 'qa', 'การประกันคุณภาพภายใน'],
    ['topics', 'reading', 'การอ่านออกเขียนได้'],
    ['rating5', '5', 'ยอดเยี่ยม'],
    ['rating5', '4', 'ดีเลิศ'],
    ['rating5', '3', 'ดี'],
    ['rating5', '2', 'ปานกลาง'],
    ['rating5', '1', 'กำลังพัฒนา'],
  ],
  settings: [
    ['form_title', 'form_id', 'version'],
    ['แบบบันทึกการนิเทศและข้อตกลงการพัฒนา', 'visit_actions', 2569021],
  ],
};

/** 2. A needs survey (แบบสำรวจความต้องการ) whose lists end in "อื่น ๆ" (or_other). */
const needs: Form = {
  file: 'needs-survey-other.xlsx',
  survey: [
    ['type', 'name', 'label', 'hint', 'required', 'relevant', 'constraint', 'constraint_message'],
    ['select_one subject or_other', 'subject', 'กลุ่มสาระการเรียนรู้ที่สอนเป็นหลัก', null, 'yes', null, null, null],
    ['integer', 'years', 'อายุราชการ (ปี)', null, 'yes', null, '. >= 0 and . <= 45', 'อายุราชการต้องอยู่ระหว่าง 0 ถึง 45 ปี'],
    [
      'select_multiple need or_other',
      'needs',
      'เรื่องที่ต้องการให้ศึกษานิเทศก์ช่วยเหลือ',
      'เลือกได้หลายข้อ',
      'yes',
      null,
      'count-selected(.) >= 1',
      'กรุณาเลือกอย่างน้อย 1 เรื่อง',
    ],
    ['select_one channel', 'channel', 'รูปแบบการพัฒนาที่สะดวกที่สุด', null, 'yes', null, null, null],
    [
      'integer',
      'hours',
      'จำนวนชั่วโมงที่เข้าอบรมได้ต่อภาคเรียน',
      null,
      null,
      "${channel} != 'coaching'",
      '. > 0 and . <= 60',
      'กรอกได้ 1 ถึง 60 ชั่วโมง',
    ],
    [
      'text',
      'detail',
      'รายละเอียดปัญหาหรือข้อเสนอแนะเพิ่มเติม',
      null,
      null,
      null,
      'string-length(.) <= 500',
      'เขียนได้ไม่เกิน 500 ตัวอักษร',
    ],
  ],
  choices: [
    ['list_name', 'name', 'label'],
    ['subject', 'thai', 'ภาษาไทย'],
    ['subject', 'math', 'คณิตศาสตร์'],
    ['subject', 'science', 'วิทยาศาสตร์และเทคโนโลยี'],
    ['subject', 'social', 'สังคมศึกษา ศาสนา และวัฒนธรรม'],
    ['subject', 'english', 'ภาษาต่างประเทศ'],
    ['need', 'active_learning', 'การจัดการเรียนรู้เชิงรุก'],
    ['need', 'assessment', 'การวัดและประเมินผล'],
    ['need', 'media', 'สื่อและเทคโนโลยี'],
    ['need', 'research', 'วิจัยในชั้นเรียน'],
    ['need', 'plc', 'ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)'],
    ['channel', 'onsite', 'อบรมเชิงปฏิบัติการ'],
    ['channel', 'online', 'อบรมออนไลน์'],
    ['channel', 'coaching', 'การนิเทศแบบพี่เลี้ยง (Coaching)'],
  ],
  settings: [
    ['form_title', 'form_id', 'version'],
    ['แบบสำรวจสภาพปัญหาและความต้องการ (แบบ 7.1)', 'needs_other', 1],
  ],
};

/** 3. Where a school is: province → district → subdistrict, each list filtered by the answer before (choice_filter). */
const location: Form = {
  file: 'school-location-filter.xlsx',
  survey: [
    ['type', 'name', 'label', 'required', 'choice_filter', 'constraint', 'constraint_message'],
    ['select_one province', 'province', 'จังหวัดที่ตั้งโรงเรียน', 'yes', null, null, null],
    ['select_one district', 'district', 'อำเภอ', 'yes', '${province} = province', null, null],
    ['select_one subdistrict', 'subdistrict', 'ตำบล', 'yes', '${district} = district', null, null],
    ['text', 'school_name', 'ชื่อโรงเรียน', 'yes', null, 'string-length(.) >= 5', 'กรุณาพิมพ์ชื่อโรงเรียนให้ครบ'],
    [
      'integer',
      'students',
      'จำนวนนักเรียนทั้งหมด',
      'yes',
      null,
      '. >= 1 and . <= 5000',
      'จำนวนนักเรียนต้องอยู่ระหว่าง 1 ถึง 5,000 คน',
    ],
  ],
  choices: [
    ['list_name', 'name', 'label', 'province', 'district'],
    ['province', 'khon_kaen', 'ขอนแก่น', null, null],
    ['province', 'udon_thani', 'อุดรธานี', null, null],
    ['district', 'muang_kk', 'เมืองขอนแก่น', 'khon_kaen', null],
    ['district', 'ban_phai', 'บ้านไผ่', 'khon_kaen', null],
    ['district', 'muang_ud', 'เมืองอุดรธานี', 'udon_thani', null],
    ['district', 'kumphawapi', 'กุมภวาปี', 'udon_thani', null],
    ['subdistrict', 'nai_muang_kk', 'ในเมือง', null, 'muang_kk'],
    ['subdistrict', 'sila', 'ศิลา', null, 'muang_kk'],
    ['subdistrict', 'nai_muang_bp', 'ในเมือง', null, 'ban_phai'],
    ['subdistrict', 'hua_nong', 'หัวหนอง', null, 'ban_phai'],
    ['subdistrict', 'mak_khaeng', 'หมากแข้ง', null, 'muang_ud'],
    ['subdistrict', 'nong_bua', 'หนองบัว', null, 'muang_ud'],
    ['subdistrict', 'kumphawapi_t', 'กุมภวาปี', null, 'kumphawapi'],
    ['subdistrict', 'phan_don', 'พันดอน', null, 'kumphawapi'],
  ],
  settings: [
    ['form_title', 'form_id', 'version'],
    ['แบบข้อมูลที่ตั้งโรงเรียน', 'school_location', 1],
  ],
};

const cells = (rows: Rows) =>
  rows.map((r) =>
    r.map((v) => (v === null ? null : typeof v === 'number' ? { value: v, type: Number } : { value: v, type: String })),
  );

mkdirSync(OUT, { recursive: true });
for (const form of [visit, needs, location]) {
  const blob = await writeXlsxFile([
    { sheet: 'survey', data: cells(form.survey) },
    { sheet: 'choices', data: cells(form.choices) },
    { sheet: 'settings', data: cells(form.settings) },
  ]).toBlob();
  writeFileSync(new URL(form.file, OUT), new Uint8Array(await blob.arrayBuffer()));
  console.log(`wrote test/fixtures/xlsform/thai/${form.file}`);
}
