// What an office admin reads when a checklist definition (JSON) or an XLSForm workbook is refused: one entry per
// problem, Thai first and English second. The checks (src/checklists/definition.ts, src/checklists/xlsform/)
// pick an entry here and never spell out text themselves. The English of the definition checks is also what the
// JSON upload has always answered, so it stays word for word.

export interface Bilingual {
  th: string;
  en: string;
}

import { checklist } from './checklist.th.js';

const b = (th: string, en: string): Bilingual => ({ th, en });

/** What XLSForm's or_other adds to a question: the choice "other" and the question asking which. */
export const orOther = {
  choice: b('อื่นๆ', 'Other'),
  specify: (label: Bilingual | { th: string; en?: string | undefined }) =>
    b(`โปรดระบุ "อื่นๆ" ของข้อ: ${label.th}`, `Specify "other": ${label.en ?? label.th}`),
};

/** Problems inside a definition, whichever way it arrived. */
export const defMsg = {
  needTarget: () => b('ระบุค่าเป้าหมาย (target) ของมาตรฐานหรือตัวชี้วัดนี้', 'a standard or indicator needs a target'),
  needAchieve: () =>
    b(
      'ค่าเป้าหมาย (target) ใช้กับข้อที่ระบุ achieve เป็น standard หรือ indicator เท่านั้น',
      'a target needs achieve (standard or indicator)',
    ),
  underNotOutcome: (k: string) =>
    b(`ข้อ '${k}' ไม่ใช่มาตรฐานหรือตัวชี้วัด (ไม่มี achieve)`, `'${k}' is not a standard or indicator (no achieve)`),
  duplicateKey: (k: string) => b(`รหัสข้อ '${k}' ซ้ำกับข้ออื่น`, `duplicate key '${k}'`),
  selfOnlyInConstraint: () =>
    b("'.' (คำตอบของข้อนี้) ใช้ได้เฉพาะในเงื่อนไขรับคำตอบ (constraint)", "'.' (this answer) is only allowed in a constraint"),
  unknownRef: (k: string) => b(`ไม่พบข้อ '${k}' ก่อนหน้าข้อนี้`, `unknown or later item '${k}'`),
  insideRepeat: (k: string, r: string) =>
    b(
      `ข้อ '${k}' อยู่ในกลุ่มทำซ้ำ '${r}' นอกกลุ่มให้ใช้ใน sum(), count(), min(), max(), avg() หรือ concat()`,
      `'${k}' is inside repeat '${r}': outside it, use it in sum(), count(), min(), max(), avg() or concat()`,
    ),
  otherRepeat: (k: string, r: string) =>
    b(`ข้อ '${k}' อยู่ในกลุ่มทำซ้ำ '${r}' ซึ่งข้อนี้ไม่ได้อยู่ด้วย`, `'${k}' is inside repeat '${r}', which this item is not part of`),
  invalidExpression: (detail: string) => b(`นิพจน์ไม่ถูกต้อง (${detail})`, detail),
  unsupportedFunction: (fn: string, detail: string) => b(`ฟังก์ชัน ${fn}() ใช้ในแชต LINE ไม่ได้`, detail),
  choicesOrSource: () =>
    b('ต้องมีรายการตัวเลือก หรือแหล่งตัวเลือก อย่างใดอย่างหนึ่ง', 'give exactly one of choices or choicesFrom'),
  duplicateValue: (v: string) => b(`ค่าตัวเลือก '${v}' ซ้ำ`, `duplicate value '${v}'`),
  minSelected: () => b('จำนวนที่ต้องเลือกขั้นต่ำมากกว่าจำนวนสูงสุด', 'minSelected is larger than maxSelected'),
  minMax: () => b('ค่าต่ำสุดมากกว่าค่าสูงสุด', 'min is larger than max'),
  minCount: () => b('จำนวนครั้งขั้นต่ำมากกว่าจำนวนครั้งสูงสุด', 'minCount is larger than maxCount'),
  repeatInRepeat: () => b('กลุ่มทำซ้ำซ้อนอยู่ในกลุ่มทำซ้ำอีกชั้นหนึ่งไม่ได้', 'a repeat inside another repeat is not supported'),
  unknownField: (f: string) =>
    b(
      `'${f}' ไม่ใช่คอลัมน์ของตัวเลือกของข้อนี้ (ถ้าหมายถึงข้อความ ${f} ให้เขียน '${f}')`,
      `'${f}' is not a column of this question's choices (to compare with the text ${f}, write '${f}')`,
    ),
  fieldsOnlyInFilter: () =>
    b('ชื่อคอลัมน์ของตัวเลือกใช้ได้เฉพาะใน choice_filter', 'choice columns can only be named in a choice filter'),
  otherChoiceTaken: () =>
    b(
      "or_other เพิ่มตัวเลือก 'other' ให้เอง ให้ลบตัวเลือก 'other' ออกจากรายการ",
      "or_other adds the choice 'other' itself: remove 'other' from the list",
    ),
  otherKeyTaken: (k: string) =>
    b(
      `or_other เก็บคำตอบ "อื่น ๆ" ไว้ที่ '${k}' แต่มีข้ออื่นใช้ชื่อนี้แล้ว`,
      `or_other keeps the "other" answer as '${k}', which another item already uses`,
    ),
  badDefault: (v: string, what: Bilingual) => b(`ค่าเริ่มต้น '${v}' ต้องเป็น${what.th}`, `default '${v}' must be ${what.en}`),
  noDefault: (type: string) => b(`ข้อชนิด ${type} กำหนดค่าเริ่มต้นไม่ได้`, `a ${type} item cannot have a default`),
  tooManyItems: (n: number, max: number) => b(`มีข้อทั้งหมด ${n} ข้อ เกิน ${max} ข้อ`, `${n} items in all, more than ${max}`),
};

/** What a default must be, per item type. */
export const defaultKinds = {
  number: b('ตัวเลข', 'a number'),
  integer: b('จำนวนเต็ม', 'a whole number'),
  range: (min?: number, max?: number) =>
    b(`ตัวเลขในช่วง ${min ?? '…'}–${max ?? '…'}`, `a number from ${min ?? '…'} to ${max ?? '…'}`),
  choice: b('ค่าหนึ่งในรายการตัวเลือก', 'one of the choice values'),
  choices: b('ค่าในรายการตัวเลือก คั่นด้วยช่องว่าง', 'choice values separated by spaces'),
  yesNo: b("'yes' หรือ 'no'", "'yes' or 'no'"),
  rating: b('ระดับ 1–5', 'a level from 1 to 5'),
  date: b('วันที่แบบ YYYY-MM-DD (ค.ศ.)', 'a date YYYY-MM-DD'),
};

/** Problems in an XLSForm workbook, named by sheet, row and column. */
export const xfMsg = {
  outcomeColumn: (col: string) =>
    b(
      `คอลัมน์ "${col}" ใช้กับข้อระดับคุณภาพ (rating) ข้อคำนวณ หรือข้อความ (feedback) เท่านั้น`,
      `column "${col}" applies to ratings and calculations (achieve, target, under) or text (feedback, under) only`,
    ),
  unreadable: () =>
    b('อ่านไฟล์ Excel ไม่ได้ ให้บันทึกเป็น .xlsx แล้วลองใหม่', 'the workbook cannot be read: save it as .xlsx and try again'),
  tooLarge: (entry: string) =>
    b(
      `ไฟล์ Excel นี้ใหญ่เกินกำหนด (${entry}): แตกไฟล์แล้วเกิน 20 MB หรือมีเซลล์เกิน 2,000,000 เซลล์`,
      `the workbook is over the limit (${entry}): more than 20 MB unpacked or more than 2,000,000 cells`,
    ),
  oldXls: () => b('ไฟล์ .xls แบบเก่าอ่านไม่ได้ ให้บันทึกเป็น .xlsx', 'the old .xls format cannot be read: save it as .xlsx'),
  noSurvey: (sheets: string) => b(`ไม่พบแผ่นงาน survey (พบ: ${sheets})`, `no survey sheet (found: ${sheets})`),
  missingColumn: (col: string) => b(`ไม่พบคอลัมน์ ${col}`, `missing column ${col}`),
  duplicateColumn: (col: string) => b(`คอลัมน์ "${col}" ซ้ำ`, `column "${col}" is repeated`),
  tooManyRows: (max: number) => b(`แผ่นงานมีได้ไม่เกิน ${max} แถว`, `at most ${max} rows per sheet`),
  missingType: () => b('ต้องระบุชนิดคำถาม (type)', 'type is required'),
  unknownType: (t: string) => b(`ไม่รู้จักชนิดคำถาม "${t}"`, `unknown type "${t}"`),
  unsupportedType: (t: string) => b(`ชนิดคำถาม "${t}" ใช้ในแชต LINE ไม่ได้`, `type "${t}" cannot be asked in a LINE chat`),
  metadataReferenced: (t: string) =>
    b(
      `nithet ไม่ได้เก็บ "${t}" ไว้เป็นคำตอบ จึงอ้างถึงไม่ได้`,
      `nithet does not keep "${t}" as an answer, so it cannot be referred to`,
    ),
  noQuestions: () => b('แบบนี้ไม่มีข้อคำถาม', 'the form has no questions'),
  missingName: () => b('ต้องระบุชื่อข้อ (name)', 'name is required'),
  badName: (n: string) =>
    b(
      `ชื่อข้อ "${n}" ต้องขึ้นต้นด้วยตัวอักษรอังกฤษหรือ _ ตามด้วยตัวอักษรอังกฤษ ตัวเลข _ - หรือ . ไม่เกิน 64 ตัว`,
      `name "${n}" must start with a letter or _, then letters, digits, _, - or . (at most 64)`,
    ),
  duplicateName: (n: string, row: number) =>
    b(`ชื่อข้อ "${n}" ซ้ำกับแถวที่ ${row}`, `name "${n}" is already used in row ${row}`),
  missingLabel: () => b('ต้องมีข้อความคำถาม (label)', 'label is required'),
  mediaOnly: () =>
    b(
      'แชต LINE แสดงรูป เสียง หรือวิดีโอแทนข้อความคำถามไม่ได้ ต้องมีข้อความ',
      'a LINE chat cannot show media in place of a label: give a text label',
    ),
  tooLong: (max: number) => b(`ข้อความยาวเกิน ${max} ตัวอักษร`, `longer than ${max} characters`),
  noList: (list: string) => b(`ไม่พบรายการตัวเลือก "${list}" ในแผ่นงาน choices`, `no list "${list}" in the choices sheet`),
  missingList: () => b('ต้องระบุชื่อรายการตัวเลือกต่อท้ายชนิดคำถาม', 'the type must name a choice list'),
  emptyList: (list: string) => b(`รายการตัวเลือก "${list}" ไม่มีตัวเลือก`, `list "${list}" has no choices`),
  choiceName: (v: string) =>
    b(
      `ค่าตัวเลือก "${v}" ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข _ - หรือ . ไม่เกิน 64 ตัว (เว้นวรรคไม่ได้)`,
      `choice name "${v}" must be letters, digits, _, - or . (at most 64, no spaces)`,
    ),
  duplicateChoice: (v: string, row: number) =>
    b(`ตัวเลือก "${v}" ซ้ำกับแถวที่ ${row} ในรายการเดียวกัน`, `choice "${v}" repeats row ${row} of the same list`),
  rating5: () =>
    b(
      'รายการ rating5 สงวนไว้สำหรับระดับคุณภาพ 5 ระดับ: 5 ยอดเยี่ยม, 4 ดีเลิศ, 3 ดี, 2 ปานกลาง, 1 กำลังพัฒนา',
      'the list rating5 is kept for the five quality levels: 5 ยอดเยี่ยม, 4 ดีเลิศ, 3 ดี, 2 ปานกลาง, 1 กำลังพัฒนา',
    ),
  unclosed: (what: string, row: number) =>
    b(
      `${what} ที่เริ่มในแถว ${row} ไม่มีแถวปิด (end_${what})`,
      `the ${what} begun in row ${row} is never closed (end_${what})`,
    ),
  unexpectedEnd: (what: string) => b(`แถว end_${what} ไม่ตรงกับกลุ่มที่เปิดอยู่`, `end_${what} does not close an open ${what}`),
  emptyGroup: (what: string) => b(`${what} นี้ไม่มีข้อคำถาม`, `this ${what} has no questions`),
  badBoolean: (v: string) => b(`ค่า "${v}" ต้องเป็น yes หรือ no`, `"${v}" must be yes or no`),
  dynamicRequired: () =>
    b('required แบบมีเงื่อนไขยังใช้ไม่ได้ ให้ใส่ yes หรือ no', 'a conditional required is not supported: write yes or no'),
  readOnly: () => b('read_only ใช้ในแชต LINE ไม่ได้', 'read_only is not supported in a LINE chat'),
  calculationOnQuestion: () =>
    b(
      'calculation ใช้ได้เฉพาะข้อชนิด calculate (คำตอบที่ถามในแชตคำนวณแทนไม่ได้)',
      'calculation is only for calculate rows (an asked question cannot be computed)',
    ),
  missingCalculation: () => b('ข้อชนิด calculate ต้องมี calculation', 'a calculate row needs a calculation'),
  externalApp: (a: string) =>
    b(
      `appearance "${a}" เปิดแอปอื่น ซึ่งแชต LINE ทำไม่ได้`,
      `appearance "${a}" launches another app, which a LINE chat cannot`,
    ),
  badRepeatCount: (v: string) =>
    b(
      `repeat_count "${v}" ต้องเป็นจำนวนเต็ม 1–50 หรือนิพจน์`,
      `repeat_count "${v}" must be a whole number 1–50 or an expression`,
    ),
  badParameter: (p: string) => b(`ไม่รู้จักพารามิเตอร์ "${p}"`, `unknown parameter "${p}"`),
  badParameterValue: (p: string) => b(`ค่าของพารามิเตอร์ "${p}" ไม่ถูกต้อง`, `bad value for parameter "${p}"`),
  badVersion: (v: string) =>
    b(`เวอร์ชัน "${v}" ต้องเป็นจำนวนเต็ม 1–2147483647`, `version "${v}" must be a whole number from 1 to 2147483647`),
  missingFormId: () => b('ต้องระบุ form_id ในแผ่นงาน settings', 'form_id is required in the settings sheet'),
  badFormId: (v: string) =>
    b(`form_id "${v}" ต้องมีตัวอักษรอังกฤษหรือตัวเลขอย่างน้อย 2 ตัว`, `form_id "${v}" needs at least 2 letters or digits`),
  badScope: (v: string) => b(`scope "${v}" ต้องเป็น person หรือ school`, `scope "${v}" must be person or school`),
  invalid: (detail: string) => b(`ข้อมูลไม่ถูกต้อง (${detail})`, detail),
  // Warnings: the form is accepted, but this part is left out.
  ignoredColumn: (col: string) => b(`ไม่ได้ใช้คอลัมน์ "${col}" ในแชต LINE`, `column "${col}" is not used in a LINE chat`),
  ignoredSheet: (sheet: string) => b(`ไม่ได้ใช้แผ่นงาน "${sheet}"`, `sheet "${sheet}" is not used`),
  ignoredLanguage: (lang: string) =>
    b(`ภาษา "${lang}" ไม่ได้ใช้ (ใช้ภาษาไทยและอังกฤษ)`, `language "${lang}" is not used (Thai and English are)`),
  ignoredMetadata: (t: string) =>
    b(
      `แถว ${t} ไม่ได้ใช้: nithet บันทึกเวลาเริ่มและส่งคำตอบเอง และไม่เก็บข้อมูลอุปกรณ์`,
      `${t} is left out: nithet records start and submit times itself and collects no device data`,
    ),
  ignoredAppearance: (a: string) =>
    b(`appearance "${a}" ไม่มีผลในแชต LINE`, `appearance "${a}" has no effect in a LINE chat`),
};

/** The choices an XLSForm `yes_no` list must have to be read as a yes/no item (and that the writer gives it). */
export const yesNoLabels = {
  yes: { th: checklist.yes, en: 'Yes' },
  no: { th: checklist.no, en: 'No' },
};
