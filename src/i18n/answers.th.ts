// What the bot says when a typed checklist answer cannot be used, and the names of the rating levels.
// People on LINE for PC have no buttons, so each reply must say, kindly and concretely, what they CAN type.
// Thai first, then a short English line in parentheses, as in ./th.ts. Parsers pick an entry here and never spell
// out text themselves, so wording and translation live in one place.

/** The five quality levels of the B.E. 2561 (2018) basic-education standards, best first. */
export type RatingLevel = 1 | 2 | 3 | 4 | 5;

export const ratingLevels: Record<RatingLevel, { th: string; en: string }> = {
  5: { th: 'ยอดเยี่ยม', en: 'excellent' },
  4: { th: 'ดีเลิศ', en: 'very good' },
  3: { th: 'ดี', en: 'good' },
  2: { th: 'ปานกลาง', en: 'fair' },
  1: { th: 'กำลังพัฒนา', en: 'developing' },
};

// Arabic digits with thousands separators: what Thai offices type, and deterministic across runtimes.
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

export interface NumberBounds {
  min?: number | undefined;
  max?: number | undefined;
  integer?: boolean | undefined;
}

/** "0–100", "ตั้งแต่ 5 ขึ้นไป", "ไม่เกิน 10", or '' when unbounded. */
function rangeTh(b: NumberBounds): string {
  if (b.min !== undefined && b.max !== undefined) return `${formatNumber(b.min)}–${formatNumber(b.max)}`;
  if (b.min !== undefined) return `ตั้งแต่ ${formatNumber(b.min)} ขึ้นไป`;
  if (b.max !== undefined) return `ไม่เกิน ${formatNumber(b.max)}`;
  return '';
}

function rangeEn(b: NumberBounds): string {
  if (b.min !== undefined && b.max !== undefined) return ` from ${formatNumber(b.min)} to ${formatNumber(b.max)}`;
  if (b.min !== undefined) return ` of at least ${formatNumber(b.min)}`;
  if (b.max !== undefined) return ` of at most ${formatNumber(b.max)}`;
  return '';
}

/** A number that the bounds accept, for "เช่น …": a valid example teaches more than a rule. */
function exampleNumber(b: NumberBounds): number {
  const { min, max } = b;
  let n = 12;
  if (min !== undefined && max !== undefined) n = (min + max) / 2;
  else if (min !== undefined && min > n) n = min;
  else if (max !== undefined && max < n) n = max;
  if (b.integer) {
    const rounded = Math.round(n);
    // Rounding the midpoint can step outside a narrow range such as 0.2–0.8 (which holds no integer anyway).
    n = (min === undefined || rounded >= min) && (max === undefined || rounded <= max) ? rounded : n;
  } else if (!Number.isInteger(n)) {
    n = Math.round(n * 100) / 100;
  }
  return n;
}

/** Choices as the person sees them: "2. ภาษาไทย", long labels clipped so a LINE bubble stays readable. */
export function numberedChoices(choices: { number: number; label: string }[], limit = 10): string {
  const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const lines = choices.slice(0, limit).map((c) => `${c.number}. ${clip(c.label)}`);
  if (choices.length > limit) lines.push(`… (อีก ${choices.length - limit} ตัวเลือก)`);
  return lines.join('\n');
}

const quote = (s: string) => `"${s.length > 30 ? `${s.slice(0, 29)}…` : s}"`;

const ratingList = ([5, 4, 3, 2, 1] as const).map((n) => `${n} = ${ratingLevels[n].th}`).join('\n');

export const answers = {
  yesNo: 'กรุณาตอบ "ใช่" หรือ "ไม่ใช่" (พิมพ์ 1 = ใช่, 2 = ไม่ใช่ ก็ได้)\n(Please answer yes or no; 1 = yes, 2 = no.)',
  yesNoBoth:
    'คำตอบนี้มีทั้ง "ใช่" และ "ไม่ใช่" กรุณาตอบอย่างใดอย่างหนึ่ง (พิมพ์ 1 = ใช่, 2 = ไม่ใช่ ก็ได้)\n(That says both yes and no; please answer one of them.)',

  choiceNone:
    'ข้อนี้ยังไม่มีตัวเลือกให้เลือก (เช่น ยังไม่มีโรงเรียนในความรับผิดชอบ) กรุณาติดต่อผู้ดูแลระบบของสำนักงาน หรือพิมพ์ "ข้าม" หากข้อนี้ไม่บังคับ\n(There is nothing to choose from yet; please contact your office administrator, or type "skip" if this question is optional.)',
  choiceEmpty: (count: number) =>
    `กรุณาพิมพ์หมายเลขตัวเลือก 1–${count} หรือชื่อตัวเลือก\n(Please type a choice number from 1 to ${count}, or its name.)`,
  choiceNotFound: (text: string, choices: { number: number; label: string }[]) =>
    `ไม่พบตัวเลือก ${quote(text)} กรุณาพิมพ์หมายเลข 1–${choices.length} หรือชื่อตัวเลือก:\n${numberedChoices(choices)}\n(No such choice; please type a number from 1 to ${choices.length}, or a choice's name.)`,
  choiceNumberOutOfRange: (n: number, count: number) =>
    `ไม่มีตัวเลือกที่ ${formatNumber(n)} กรุณาพิมพ์หมายเลข 1–${count}\n(There is no choice ${formatNumber(n)}; please type a number from 1 to ${count}.)`,
  choiceAmbiguous: (text: string, candidates: { number: number; label: string }[]) =>
    `${quote(text)} ตรงกับหลายตัวเลือก กรุณาพิมพ์หมายเลขของตัวเลือกที่ต้องการ:\n${numberedChoices(candidates)}\n(That matches more than one choice; please type the number of the one you mean.)`,
  choiceOnlyOne: (count: number) =>
    `ข้อนี้เลือกได้เพียงตัวเลือกเดียว กรุณาพิมพ์หมายเลข 1–${count} เพียงหมายเลขเดียว\n(Choose only one here: type a single number from 1 to ${count}.)`,

  choicesEmpty: (count: number) =>
    `กรุณาพิมพ์หมายเลขตัวเลือกที่ต้องการ คั่นด้วยจุลภาคหรือเว้นวรรค เช่น 1, 3 หรือ 1-${Math.min(3, count)} (เลือกได้ 1–${count})\n(Please type the numbers of your choices, e.g. 1, 3 or 1-${Math.min(3, count)}.)`,
  choicesTooFew: (min: number, got: number) =>
    `เลือกมา ${got} ตัวเลือก กรุณาเลือกอย่างน้อย ${min} ตัวเลือก เช่น พิมพ์ 1, 3\n(Please choose at least ${min}; you chose ${got}.)`,
  choicesTooMany: (max: number, got: number) =>
    `เลือกมา ${got} ตัวเลือก เลือกได้ไม่เกิน ${max} ตัวเลือก กรุณาพิมพ์ใหม่\n(Please choose at most ${max}; you chose ${got}.)`,

  rating: `กรุณาพิมพ์ระดับคุณภาพเป็นตัวเลข 1–5 หรือชื่อระดับ:\n${ratingList}\n(Please type a level from 1 to 5, or its name: 5 excellent … 1 developing.)`,
  ratingConflict: (n: RatingLevel, named: RatingLevel) =>
    `ตัวเลข ${n} (${ratingLevels[n].th}) ไม่ตรงกับระดับ "${ratingLevels[named].th}" (${named}) กรุณาพิมพ์อย่างใดอย่างหนึ่ง เช่น ${named}\n(The number and the level name disagree; please type just one, e.g. ${named}.)`,

  numberNotNumber: (b: NumberBounds) => {
    const range = rangeTh(b);
    return `กรุณาพิมพ์ตัวเลข${range === '' ? '' : ` ${range}`} เช่น ${formatNumber(exampleNumber(b))}\n(Please type a number${rangeEn(b)}.)`;
  },
  numberOutOfRange: (n: number, b: NumberBounds) =>
    `${formatNumber(n)} อยู่นอกช่วงที่รับได้ กรุณาพิมพ์ตัวเลข ${rangeTh(b)} เช่น ${formatNumber(exampleNumber(b))}\n(Please type a number${rangeEn(b)}.)`,
  numberNotInteger: (b: NumberBounds) =>
    `กรุณาพิมพ์จำนวนเต็ม ไม่มีทศนิยม${rangeTh(b) === '' ? '' : ` (${rangeTh(b)})`} เช่น ${formatNumber(exampleNumber(b))}\n(Please type a whole number${rangeEn(b)}.)`,

  textEmpty: 'กรุณาพิมพ์คำตอบเป็นข้อความ\n(Please type your answer.)',
  textTooLong: (length: number, max: number) =>
    `ข้อความยาว ${formatNumber(length)} ตัวอักษร เกินกำหนด ${formatNumber(max)} ตัวอักษร กรุณาย่อให้สั้นลงแล้วส่งใหม่\n(Your answer has ${formatNumber(length)} characters; the limit is ${formatNumber(max)}.)`,

  date: 'กรุณาพิมพ์วันที่ เช่น 15/1/2570 หรือ 15 ม.ค. 2570 (พิมพ์ "วันนี้" หรือ "พรุ่งนี้" ก็ได้)\n(Please type a date such as 15/1/2570 or 15 Jan 2027; "today" and "tomorrow" also work.)',
  dateNoSuchMonth: (month: number) =>
    `ไม่มีเดือนที่ ${month} กรุณาพิมพ์วันที่แบบ วัน/เดือน/ปี เช่น 15/1/2570 หรือ 15 ม.ค. 2570\n(There is no month ${month}; please type day/month/year, e.g. 15/1/2570.)`,
  dateNoSuchDay: (day: number, month: number, yearBE: number, daysInMonth: number) =>
    `ไม่มีวันที่ ${day}/${month}/${yearBE} ในปฏิทิน (เดือนนี้มี ${daysInMonth} วัน) กรุณาตรวจสอบแล้วพิมพ์ใหม่ เช่น 15/1/2570\n(That date does not exist: this month has ${daysInMonth} days.)`,
  dateYearOutOfRange:
    'ปีไม่ถูกต้อง กรุณาพิมพ์ปี พ.ศ. 4 หลัก เช่น 15/1/2570 หรือ 15 ม.ค. 2570\n(Please check the year: type it in full, e.g. 15/1/2570 or 15 Jan 2027.)',
} as const;

export type AnswerMessages = typeof answers;
