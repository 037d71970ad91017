// Typed answers as people really send them on LINE for PC and phones. Every input goes through normalizeText first,
// exactly as the webhook does, so Thai digits (๑๒) and full-width forms prove the whole pipeline, not just the parser.
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../conversation/normalize.js';
import { answers } from '../i18n/answers.th.js';
import type { ParseResult } from './parse.js';
import { parseChoice, parseChoices, parseNumber, parseRating, parseText, parseThaiDate, parseYesNo } from './parse.js';

/** What the webhook hands the conversation. */
const typed = (s: string) => normalizeText(s);

const failure = (containing: string) => ({ ok: false, message: expect.stringContaining(containing) });

/** Every failure must be kind and bilingual: Thai, then English in parentheses. */
function expectBilingualFailure(r: ParseResult<unknown>): void {
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.message).toMatch(/^[^\n]*[\u0E00-\u0E7F][\s\S]*\n\([A-Z][^\n]*\)$/u);
}

const LONG = 'ก'.repeat(5000);
const LONG_MIXED = Array.from({ length: 1250 }, (_, i) => `${i % 7} ข`).join(' ');

function quickly<T>(fn: () => T): T {
  const started = performance.now();
  const out = fn();
  expect(performance.now() - started).toBeLessThan(1000);
  return out;
}

describe('parseYesNo', () => {
  it.each([
    ['ใช่', 'yes'],
    ['ใช่ครับ', 'yes'],
    ['ใช่ค่ะ', 'yes'],
    ['ใช่แล้วครับผม', 'yes'],
    ['มี', 'yes'],
    ['มีนะคะ', 'yes'],
    ['ทำแล้ว', 'yes'],
    ['ทำแล้วจ้า', 'yes'],
    ['เคย', 'yes'],
    ['ผ่าน', 'yes'],
    ['ถูก', 'yes'],
    ['ถูกต้องค่ะ', 'yes'],
    ['✓', 'yes'],
    ['✔', 'yes'],
    ['✔️', 'yes'],
    ['✅', 'yes'],
    ['👍', 'yes'],
    ['yes', 'yes'],
    ['YES', 'yes'],
    ['Ｙｅｓ', 'yes'],
    ['y', 'yes'],
    ['ok', 'yes'],
    ['OK.', 'yes'],
    ['1', 'yes'],
    ['๑', 'yes'],
    ['1.', 'yes'],
    ['ข้อ 1', 'yes'],
    ['  ใช่  ', 'yes'],
    ['ใช่ 🙏', 'yes'],
    ['"ใช่"', 'yes'],
    ['ใช่ ทำแล้ว', 'yes'],
    ['ใช่ครับ ทำแล้วครับ', 'yes'],
    ['ใช่ค่ะ✅', 'yes'],
    ['👍🏽', 'yes'],
    ['ใช', 'yes'],
    ['ไม่ใช่', 'no'],
    ['ไม่ใช่ค่ะ', 'no'],
    ['ไม่', 'no'],
    ['ไม่ครับ', 'no'],
    ['ไม่มี', 'no'],
    ['ไม่มีค่ะ', 'no'],
    ['ยังไม่ได้ทำ', 'no'],
    ['ยัง ไม่ได้ ทำ', 'no'],
    ['ยังไม่ทำ', 'no'],
    ['ยัง', 'no'],
    ['ยังค่ะ', 'no'],
    ['ไม่เคย', 'no'],
    ['ไม่ผ่าน', 'no'],
    ['ผิด', 'no'],
    ['✗', 'no'],
    ['✘', 'no'],
    ['❌', 'no'],
    ['no', 'no'],
    ['No', 'no'],
    ['n', 'no'],
    ['2', 'no'],
    ['๒', 'no'],
    ['ไม ใช', 'no'],
    ['ไม่ ใช่ ครับ', 'no'],
    ['ยัง ไม่ได้ ทำ ครับ', 'no'],
    ['ไม่ นะ', 'no'],
  ])('%j → %s', (input, expected) => {
    expect(parseYesNo(typed(input))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', answers.yesNo],
    ['ครับ', answers.yesNo], // a bare particle acknowledges; it does not answer
    ['🙏', answers.yesNo],
    ['😀😀', answers.yesNo],
    ['3', answers.yesNo],
    ['อาจจะ', answers.yesNo],
    ['ใช่ แต่ยังไม่ครบ', answers.yesNo],
    ['ใช่/ไม่ใช่', answers.yesNo],
    ['ใช่ ไม่ใช่', answers.yesNoBoth],
    ['1 2', answers.yesNoBoth],
    ['❌ ใช่', answers.yesNoBoth],
  ])('%j is refused', (input, message) => {
    const r = parseYesNo(typed(input));
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('refuses 5,000 characters quickly', () => {
    expect(quickly(() => parseYesNo(typed(LONG)))).toEqual({ ok: false, message: answers.yesNo });
    expect(quickly(() => parseYesNo(typed(`ใช่ ${'ครับ '.repeat(1000)}`)))).toEqual({
      ok: false,
      message: answers.yesNo,
    });
  });
});

const subjects = [
  { value: 'thai', label: 'ภาษาไทย' },
  { value: 'math', label: 'คณิตศาสตร์' },
  { value: 'science', label: 'วิทยาศาสตร์และเทคโนโลยี' },
  { value: 'social', label: 'สังคมศึกษา ศาสนา และวัฒนธรรม' },
  { value: 'english', label: 'ภาษาอังกฤษ' },
  { value: 'health', label: 'สุขศึกษาและพลศึกษา' },
];

// Labels that are numbers themselves: "1" could be the first choice or the label "1".
const headcount = [
  { value: 'zero', label: '0' },
  { value: 'one', label: '1' },
  { value: 'two', label: '2' },
  { value: 'more', label: '3 ขึ้นไป' },
];

const twelve = Array.from({ length: 12 }, (_, i) => ({ value: `c${i + 1}`, label: `ตัวเลือก${'กขคงจฉชซฌญฎฏ'[i]}` }));

describe('parseChoice', () => {
  it.each([
    ['2', 'math'],
    ['๒', 'math'],
    ['2.', 'math'],
    ['2)', 'math'],
    ['ข้อ 2', 'math'],
    ['ข้อ๒', 'math'],
    ['ข้อที่ 2', 'math'],
    ['２', 'math'],
    ['2️⃣', 'math'],
    ['  2  ', 'math'],
    ['2 ค่ะ', 'math'],
    ['ภาษาไทย', 'thai'],
    ['ภาษา ไทย', 'thai'],
    ['ภาษาไทยครับ', 'thai'],
    ['"ภาษาไทย"', 'thai'],
    ['สังคมศึกษา ศาสนา และวัฒนธรรม', 'social'],
    ['สังคมศึกษาศาสนาและวัฒนธรรม', 'social'],
    ['english', 'english'],
    ['MATH', 'math'],
    ['คณิต', 'math'], // unique prefix
    ['คณิตฯ', 'math'], // ฯ marks an abbreviation
    ['อังกฤษ', 'english'], // unique substring
    ['เทคโน', 'science'],
    ['วิทย์', 'science'], // the usual short form: matched without ์
    ['พลศึกษา', 'health'],
    ['2. คณิตศาสตร์', 'math'], // copied from the numbered list
    ['2 คณิต', 'math'],
  ])('%j → %s', (input, expected) => {
    expect(parseChoice(typed(input), subjects)).toEqual({ ok: true, value: expected });
  });

  it('asks again, listing the candidates by number, when text matches several choices', () => {
    const r = parseChoice(typed('ภาษา'), subjects);
    expect(r).toEqual(failure('"ภาษา" ตรงกับหลายตัวเลือก'));
    if (!r.ok) {
      expect(r.message).toContain('1. ภาษาไทย');
      expect(r.message).toContain('5. ภาษาอังกฤษ');
      expect(r.message).not.toContain('คณิตศาสตร์');
    }
    expect(parseChoice(typed('ศึกษา'), subjects)).toEqual(failure('4. สังคมศึกษา'));
    expect(parseChoice(typed('1. คณิตศาสตร์'), subjects)).toEqual(failure('2. คณิตศาสตร์'));
  });

  it.each([
    ['', answers.choiceEmpty(6)],
    ['ครับ', answers.choiceEmpty(6)],
    ['😀', answers.choiceEmpty(6)],
    ['7', answers.choiceNumberOutOfRange(7, 6)],
    ['0', answers.choiceNumberOutOfRange(0, 6)],
    ['ข้อ 9', answers.choiceNumberOutOfRange(9, 6)],
    ['1,2', answers.choiceOnlyOne(6)],
    ['1 และ 3', answers.choiceOnlyOne(6)],
    ['ภาษาไทย, คณิต', answers.choiceOnlyOne(6)],
    [
      'ก',
      answers.choiceNotFound(
        'ก',
        subjects.map((c, i) => ({ number: i + 1, label: c.label })),
      ),
    ],
    [
      'ดนตรี',
      answers.choiceNotFound(
        'ดนตรี',
        subjects.map((c, i) => ({ number: i + 1, label: c.label })),
      ),
    ],
  ])('%j is refused with a message saying what is accepted', (input, message) => {
    const r = parseChoice(typed(input), subjects);
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('treats a bare number as ambiguous when a label is also that number, and "ข้อ N" as a position', () => {
    expect(parseChoice('1', headcount)).toEqual(failure('1. 0\n2. 1'));
    expect(parseChoice('ข้อ 1', headcount)).toEqual({ ok: true, value: 'zero' });
    expect(parseChoice('ข้อ 2', headcount)).toEqual({ ok: true, value: 'one' });
    expect(parseChoice('0', headcount)).toEqual({ ok: true, value: 'zero' });
    expect(parseChoice('3 ขึ้นไป', headcount)).toEqual({ ok: true, value: 'more' });
    expect(parseChoice('4', headcount)).toEqual({ ok: true, value: 'more' });
  });

  it('survives long input', () => {
    expectBilingualFailure(quickly(() => parseChoice(typed(LONG), subjects)));
    expectBilingualFailure(quickly(() => parseChoice(typed(LONG_MIXED), subjects)));
  });

  it('answers kindly when there is nothing to choose from (no assigned schools yet)', () => {
    expect(parseChoice('1', [])).toEqual({ ok: false, message: answers.choiceNone });
    expect(parseChoices('1', [], {})).toEqual({ ok: false, message: answers.choiceNone });
  });
});

describe('parseChoices', () => {
  it.each([
    ['1,3,5', ['thai', 'science', 'english']],
    ['1 3 5', ['thai', 'science', 'english']],
    ['1, 3 และ 5', ['thai', 'science', 'english']],
    ['1,3และ5', ['thai', 'science', 'english']],
    ['๑, ๓ และ ๕', ['thai', 'science', 'english']],
    ['1 , 3 , 5 ครับ', ['thai', 'science', 'english']],
    ['ข้อ 1 และ ข้อ 3', ['thai', 'science']],
    ['1; 3', ['thai', 'science']],
    ['1-3', ['thai', 'math', 'science']],
    ['1 - 3', ['thai', 'math', 'science']],
    ['1–3', ['thai', 'math', 'science']],
    ['1 ถึง 3', ['thai', 'math', 'science']],
    ['3-1', ['thai', 'math', 'science']],
    ['1-2, 5', ['thai', 'math', 'english']],
    ['5, 1', ['thai', 'english']], // choice order, not typing order
    ['1, 1, 2, 1-2', ['thai', 'math']], // duplicates dropped
    ['ภาษาไทย, คณิตศาสตร์', ['thai', 'math']],
    ['ภาษาไทย และ คณิต', ['thai', 'math']],
    ['ภาษาไทยและคณิตศาสตร์', ['thai', 'math']],
    ['ภาษาไทย\nคณิตศาสตร์', ['thai', 'math']],
    ['ภาษาไทย คณิตศาสตร์', ['thai', 'math']], // what a newline becomes after normalizeText
    ['สังคมศึกษา ศาสนา และวัฒนธรรม', ['social']], // a label containing "และ" stays one choice
    ['วิทยาศาสตร์และเทคโนโลยี, สุขศึกษาและพลศึกษา', ['science', 'health']],
    ['สังคมศึกษา ศาสนา และวัฒนธรรม และ ภาษาไทย', ['thai', 'social']],
    ['2. คณิตศาสตร์, 5. ภาษาอังกฤษ', ['math', 'english']],
    ['english, MATH', ['math', 'english']],
    ['อังกฤษ 1', ['thai', 'english']],
    ['ทั้งหมด', ['thai', 'math', 'science', 'social', 'english', 'health']],
    ['ทุกข้อค่ะ', ['thai', 'math', 'science', 'social', 'english', 'health']],
  ])('%j → %j', (input, expected) => {
    const raw = input.includes('\n') ? input : typed(input); // the newline case is the un-normalised path
    expect(parseChoices(raw, subjects, {})).toEqual({ ok: true, value: expected });
  });

  it('keeps adjacent numbers apart: "1 2" is two choices, never choice 12', () => {
    expect(parseChoices('1 2', twelve, {})).toEqual({ ok: true, value: ['c1', 'c2'] });
    expect(parseChoices('ข้อ 1 2', twelve, {})).toEqual({ ok: true, value: ['c1', 'c2'] });
    expect(parseChoices('12', twelve, {})).toEqual({ ok: true, value: ['c12'] });
    expect(parseChoices('10-12', twelve, {})).toEqual({ ok: true, value: ['c10', 'c11', 'c12'] });
  });

  it.each([
    ['1', { min: 2 }, answers.choicesTooFew(2, 1)],
    ['1, 1', { min: 2 }, answers.choicesTooFew(2, 1)],
    ['1,2,3', { max: 2 }, answers.choicesTooMany(2, 3)],
    ['ทั้งหมด', { max: 3 }, answers.choicesTooMany(3, 6)],
    ['', {}, answers.choicesEmpty(6)],
    ['ครับ', {}, answers.choicesEmpty(6)],
    ['😀', {}, answers.choicesEmpty(6)],
    ['1, 9', {}, answers.choiceNumberOutOfRange(9, 6)],
    ['1-9', {}, answers.choiceNumberOutOfRange(9, 6)],
  ])('%j with %j is refused', (input, opts, message) => {
    const r = parseChoices(typed(input), subjects, opts);
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('names the part it could not use', () => {
    expect(parseChoices(typed('1, ภาษา'), subjects, {})).toEqual(failure('"ภาษา" ตรงกับหลายตัวเลือก'));
    expect(parseChoices(typed('1, ดนตรี, 3'), subjects, {})).toEqual(failure('ไม่พบตัวเลือก "ดนตรี"'));
  });

  it('accepts within min and max', () => {
    expect(parseChoices('1,2', subjects, { min: 2, max: 2 })).toEqual({ ok: true, value: ['thai', 'math'] });
  });

  it('survives long input', () => {
    expectBilingualFailure(quickly(() => parseChoices(typed(LONG), subjects, {})));
    const r = quickly(() => parseChoices(typed(LONG_MIXED), subjects, {}));
    expectBilingualFailure(r);
    const many = quickly(() =>
      parseChoices(Array.from({ length: 2000 }, (_, i) => (i % 6) + 1).join(','), subjects, {}),
    );
    expect(many).toEqual({ ok: true, value: subjects.map((c) => c.value) });
  });
});

describe('parseRating', () => {
  it.each([
    ['5', 5],
    ['๕', 5],
    ['5.', 5],
    ['(4)', 4],
    ['4 ค่ะ', 4],
    ['ระดับ 4', 4],
    ['ระดับ๔', 4],
    ['ระดับที่ 4', 4],
    ['ยอดเยี่ยม', 5],
    ['ยอด เยี่ยม', 5],
    ['ยอดเยียม', 5], // tone mark missed on a PC keyboard
    ['ยอด', 5],
    ['ดีเลิศ', 4],
    ['ดี เลิศ', 4],
    ['ดีเลิศครับ', 4],
    ['ระดับดีเลิศ', 4],
    ['ดี', 3], // exact before substring: never ดีเลิศ
    ['ดีค่ะ', 3],
    ['ดีนะคะ', 3],
    ['ระดับ ดี', 3],
    ['ปานกลาง', 2],
    ['ปาน กลาง', 2],
    ['กำลังพัฒนา', 1],
    ['ก\u0E4D\u0E32ลังพัฒนา', 1], // SARA AM typed as NIKHAHIT + SARA AA
    ['กำลัง', 1],
    ['4 ดีเลิศ', 4],
    ['ดีเลิศ (4)', 4],
    ['5 - ยอดเยี่ยม', 5],
    ['3 ดี', 3],
    ['4/5', 4],
    ['ยอดเยี่ยมมาก', 5],
    ['Excellent', 5],
    ['very good', 4],
    ['good', 3],
    ['fair', 2],
    ['developing', 1],
  ])('%j → %i', (input, expected) => {
    expect(parseRating(typed(input))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', answers.rating],
    ['0', answers.rating],
    ['6', answers.rating],
    ['10', answers.rating],
    ['4 หรือ 5', answers.rating],
    ['ดีมาก', answers.rating], // an older scale's word: ask rather than guess 3 or 4
    ['ไม่ดี', answers.rating],
    ['พอใช้', answers.rating],
    ['5 ดี', answers.ratingConflict(5, 3)],
    ['4 ยอดเยี่ยม', answers.ratingConflict(4, 5)],
    ['😀', answers.rating],
  ])('%j is refused', (input, message) => {
    const r = parseRating(typed(input));
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('refuses 5,000 characters quickly', () => {
    expect(quickly(() => parseRating(typed(LONG)))).toEqual({ ok: false, message: answers.rating });
    expect(quickly(() => parseRating(typed(LONG_MIXED)))).toEqual({ ok: false, message: answers.rating });
  });

  it('lists every level in its message', () => {
    for (const name of ['5 = ยอดเยี่ยม', '4 = ดีเลิศ', '3 = ดี', '2 = ปานกลาง', '1 = กำลังพัฒนา']) {
      expect(answers.rating).toContain(name);
    }
  });
});

describe('parseNumber', () => {
  it.each([
    ['12', {}, 12],
    ['๑๒', {}, 12],
    ['１２', {}, 12],
    ['1,234', {}, 1234],
    ['1,234,567.5', {}, 1234567.5],
    ['12.5', {}, 12.5],
    ['.5', {}, 0.5],
    ['12.', {}, 12],
    ['-3', {}, -3],
    ['- 3', {}, -3],
    ['−3', {}, -3],
    ['+3', {}, 3],
    ['-0', {}, 0],
    ['12 คน', {}, 12],
    ['12คน', {}, 12],
    ['๑๒ คนครับ', {}, 12],
    ['75%', { min: 0, max: 100 }, 75],
    ['75 %', { min: 0, max: 100 }, 75],
    ['ร้อยละ 75', { min: 0, max: 100 }, 75],
    ['3.5 ชม.', {}, 3.5],
    ['2567', { integer: true }, 2567],
    ['0', { min: 0, max: 100 }, 0],
    ['100', { min: 0, max: 100 }, 100],
    ['  42  ', { integer: true }, 42],
  ])('%j with %j → %d', (input, opts, expected) => {
    const r = parseNumber(typed(input), opts);
    expect(r).toEqual({ ok: true, value: expected });
    if (r.ok) expect(Object.is(r.value, -0)).toBe(false);
  });

  it.each([
    ['12abc34', {}, answers.numberNotNumber({})],
    ['abc', {}, answers.numberNotNumber({})],
    ['', {}, answers.numberNotNumber({})],
    ['1,23', {}, answers.numberNotNumber({})],
    ['1,2345', {}, answers.numberNotNumber({})],
    ['1 234', {}, answers.numberNotNumber({})],
    ['1-5', {}, answers.numberNotNumber({})],
    ['1e5', {}, answers.numberNotNumber({})],
    ['😀', {}, answers.numberNotNumber({})],
    ['สิบสอง', {}, answers.numberNotNumber({})],
    ['101', { min: 0, max: 100 }, answers.numberOutOfRange(101, { min: 0, max: 100 })],
    ['-1', { min: 0, max: 100 }, answers.numberOutOfRange(-1, { min: 0, max: 100 })],
    ['-1', { min: 0 }, answers.numberOutOfRange(-1, { min: 0 })],
    ['11', { max: 10 }, answers.numberOutOfRange(11, { max: 10 })],
    ['12.5', { integer: true }, answers.numberNotInteger({ integer: true })],
    ['9'.repeat(30), {}, answers.numberNotNumber({})],
    ['9'.repeat(30), { max: 10 }, answers.numberOutOfRange(1e30, { max: 10 })],
  ])('%j with %j is refused', (input, opts, message) => {
    const r = parseNumber(typed(input), opts);
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('refuses 5,000 characters quickly', () => {
    for (const input of [LONG, '1'.repeat(5000), `1${',000'.repeat(1250)}`, `-${'.'.repeat(4999)}`]) {
      expect(quickly(() => parseNumber(typed(input), {}))).toEqual({ ok: false, message: answers.numberNotNumber({}) });
    }
  });

  it('says what is accepted, with an example inside the range', () => {
    expect(answers.numberNotNumber({ min: 0, max: 100 })).toBe(
      'กรุณาพิมพ์ตัวเลข 0–100 เช่น 50\n(Please type a number from 0 to 100.)',
    );
    expect(answers.numberOutOfRange(101, { min: 0, max: 100 })).toContain('0–100');
    expect(answers.numberOutOfRange(-1, { min: 0 })).toContain('ตั้งแต่ 0 ขึ้นไป');
    expect(answers.numberOutOfRange(11, { max: 10 })).toContain('ไม่เกิน 10 เช่น 10');
    expect(answers.numberNotInteger({ min: 1, max: 4, integer: true })).toContain('เช่น 3');
    expect(answers.numberNotNumber({ min: 1000 })).toContain('ตั้งแต่ 1,000 ขึ้นไป เช่น 1,000');
  });
});

describe('parseText', () => {
  it.each([
    ['สวัสดีครับ', 10, 'สวัสดีครับ'],
    ['  ข้อเสนอแนะ  ', 100, 'ข้อเสนอแนะ'],
    ['😀', 10, '😀'], // an emoji is text here
    ['ก'.repeat(10), 10, 'ก'.repeat(10)],
  ])('%j (max %i) → %j', (input, max, expected) => {
    expect(parseText(typed(input), max)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 10, answers.textEmpty],
    ['   ', 10, answers.textEmpty],
    ['ก'.repeat(11), 10, answers.textTooLong(11, 10)],
    ['😀'.repeat(3), 5, answers.textTooLong(6, 5)], // UTF-16 units: each emoji counts 2
  ])('%j (max %i) is refused', (input, max, message) => {
    const r = parseText(typed(input), max);
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('measures 5,000 characters against the limit', () => {
    expect(quickly(() => parseText(LONG, 1000))).toEqual({ ok: false, message: answers.textTooLong(5000, 1000) });
    expect(quickly(() => parseText(LONG, 5000))).toEqual({ ok: true, value: LONG });
  });

  it('says how long the text is and the limit', () => {
    expect(answers.textTooLong(5000, 1000)).toContain('ข้อความยาว 5,000 ตัวอักษร เกินกำหนด 1,000 ตัวอักษร');
  });
});

describe('parseThaiDate', () => {
  const today = '2026-11-20'; // Friday 20 November B.E. 2569

  it.each([
    ['15/1/2570', '2027-01-15'],
    ['15-1-2570', '2027-01-15'],
    ['15.1.2570', '2027-01-15'],
    ['15/01/2570', '2027-01-15'],
    ['15 / 1 / 2570', '2027-01-15'],
    ['๑๕/๑/๒๕๗๐', '2027-01-15'],
    ['15/1/2027', '2027-01-15'],
    ['15/1/70', '2027-01-15'], // two digits are B.E. 25xx
    ['๑/๑/๗๐', '2027-01-01'],
    ['1/1/27', '1984-01-01'], // B.E. 2527, not 2027
    ['1/1/00', '1957-01-01'],
    ['15 1 2570', '2027-01-15'],
    ['15/1', '2026-01-15'], // no year: the year of today
    ['2027-01-15', '2027-01-15'],
    ['2570-01-15', '2027-01-15'],
    ['2027/1/15', '2027-01-15'],
    ['15 มกราคม 2570', '2027-01-15'],
    ['15มกราคม2570', '2027-01-15'],
    ['15 ม.ค. 2570', '2027-01-15'],
    ['15 ม. ค. 2570', '2027-01-15'],
    ['15 ม.ค.2570', '2027-01-15'],
    ['15 มค 70', '2027-01-15'],
    ['15 ม.ค. 70', '2027-01-15'],
    ['๑๕ ม.ค. ๗๐', '2027-01-15'],
    ['15 ม.ค.', '2026-01-15'],
    ['15 มกรา', '2026-01-15'],
    ['15 ม.ค. พ.ศ. 2570', '2027-01-15'],
    ['15 ม.ค. พศ 2570', '2027-01-15'],
    ['15 ม.ค. ค.ศ. 2027', '2027-01-15'],
    ['15 ม.ค. ปี 2570', '2027-01-15'],
    ['วันที่ 15 ม.ค. 2570', '2027-01-15'],
    ['วันศุกร์ที่ 15 มกราคม 2570', '2027-01-15'],
    ['15 ม.ค. 2570 (วันศุกร์)', '2027-01-15'],
    ['15 ม.ค. 2570 ค่ะ', '2027-01-15'],
    ['15/1/2570.', '2027-01-15'],
    ['1 ก.พ. 2570', '2027-02-01'],
    ['1 กุมภาพันธ 2570', '2027-02-01'], // ์ missed
    ['1 มี.ค. 2570', '2027-03-01'],
    ['1 เม.ย. 2570', '2027-04-01'],
    ['1 พ.ค. 2570', '2027-05-01'],
    ['1 มิ.ย. 2570', '2027-06-01'],
    ['1 ก.ค. 2570', '2027-07-01'],
    ['1 กรกฏาคม 2570', '2027-07-01'], // the common ฏ/ฎ misspelling
    ['1 ส.ค. 2570', '2027-08-01'],
    ['1 ก.ย. 2570', '2027-09-01'],
    ['1 ต.ค. 2570', '2027-10-01'],
    ['1 พ.ย. 2570', '2027-11-01'],
    ['1 ธ.ค. 2570', '2027-12-01'],
    ['31 ธันวาคม 2569', '2026-12-31'],
    ['1 Jan 2027', '2027-01-01'],
    ['1 jan. 2027', '2027-01-01'],
    ['15 January 2027', '2027-01-15'],
    ['Jan 15, 2027', '2027-01-15'],
    ['May 15', '2026-05-15'],
    ['January 15 2027', '2027-01-15'],
    ['15 Sept 2027', '2027-09-15'],
    ['Fri, 15 Jan 2027', '2027-01-15'],
    ['วันนี้', '2026-11-20'],
    ['today', '2026-11-20'],
    ['พรุ่งนี้', '2026-11-21'],
    ['พรุ่งนี้ค่ะ', '2026-11-21'],
    ['พรุงนี', '2026-11-21'],
    ['มะรืน', '2026-11-22'],
    ['มะรืนนี้', '2026-11-22'],
    ['เมื่อวาน', '2026-11-19'],
    ['เมื่อวานนี้ครับ', '2026-11-19'],
    ['เมื่อวานซืน', '2026-11-18'],
    // Leap years: B.E. 2567 is 2024 (leap), 2566 is 2023 (not).
    ['29/2/2567', '2024-02-29'],
    ['29/2/2024', '2024-02-29'],
    ['29 ก.พ. 67', '2024-02-29'],
    ['29/2/2543', '2000-02-29'], // 2000: divisible by 400
    // B.E./C.E. boundaries: 4 digits from 2400 are B.E.; years must land in 1900–2200 C.E.
    ['1/1/2443', '1900-01-01'],
    ['1/1/2563', '2020-01-01'],
    ['1/1/2020', '2020-01-01'],
    ['31/12/2200', '2200-12-31'],
    ['31/12/2743', '2200-12-31'],
  ])('%j → %s', (input, expected) => {
    expect(parseThaiDate(typed(input), today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['29/2/2566', answers.dateNoSuchDay(29, 2, 2566, 28)],
    ['29 ก.พ. 2566', answers.dateNoSuchDay(29, 2, 2566, 28)],
    ['29/2/2443', answers.dateNoSuchDay(29, 2, 2443, 28)], // 1900: divisible by 100, not 400
    ['31/2/2567', answers.dateNoSuchDay(31, 2, 2567, 29)],
    ['31/4/2570', answers.dateNoSuchDay(31, 4, 2570, 30)],
    ['32/1/2570', answers.dateNoSuchDay(32, 1, 2570, 31)],
    ['0/1/2570', answers.dateNoSuchDay(0, 1, 2570, 31)],
    ['15/13/2570', answers.dateNoSuchMonth(13)],
    ['1/15/2027', answers.dateNoSuchMonth(15)], // month/day order is not guessed
    ['2570-13-01', answers.dateNoSuchMonth(13)],
    ['1/1/2399', answers.dateYearOutOfRange], // below 2400: C.E. 2399
    ['1/1/2400', answers.dateYearOutOfRange], // from 2400: B.E., C.E. 1857
    ['31/12/2442', answers.dateYearOutOfRange],
    ['1/1/2201', answers.dateYearOutOfRange],
    ['15 ม.ค. พ.ศ. 2027', answers.dateYearOutOfRange],
    ['1/1/0070', answers.dateYearOutOfRange],
    ['15/1/257', answers.date],
    ['15 foo 2570', answers.date],
    ['มกราคม', answers.date],
    ['abc', answers.date],
    ['', answers.date],
    ['😀', answers.date],
    ['📅 🙏', answers.date],
  ])('%j is refused', (input, message) => {
    const r = parseThaiDate(typed(input), today);
    expect(r).toEqual({ ok: false, message });
    expectBilingualFailure(r);
  });

  it('refuses 5,000 characters quickly', () => {
    for (const input of [LONG, '1'.repeat(5000), `1 ${'ม.ค. '.repeat(1000)}`, '1/'.repeat(2500)]) {
      expect(quickly(() => parseThaiDate(typed(input), today))).toEqual({ ok: false, message: answers.date });
    }
  });

  it('shows examples when it cannot read the date', () => {
    expect(answers.date).toContain('เช่น 15/1/2570 หรือ 15 ม.ค. 2570');
    expect(answers.dateNoSuchDay(29, 2, 2566, 28)).toContain('ไม่มีวันที่ 29/2/2566 ในปฏิทิน (เดือนนี้มี 28 วัน)');
  });

  it.each([
    ['พรุ่งนี้', '2026-12-31', '2027-01-01'],
    ['เมื่อวาน', '2024-03-01', '2024-02-29'],
    ['เมื่อวาน', '2023-03-01', '2023-02-28'],
    ['มะรืน', '2024-02-28', '2024-03-01'],
    ['15/1', '2027-06-01', '2027-01-15'],
  ])('%j on %s → %s (relative words cross months and years)', (input, on, expected) => {
    expect(parseThaiDate(input, on)).toEqual({ ok: true, value: expected });
  });

  it('throws on a malformed today: that is a bug in our code, not a typed answer', () => {
    expect(() => parseThaiDate('วันนี้', '20/11/2026')).toThrow(RangeError);
    expect(() => parseThaiDate('วันนี้', '2026-02-30')).toThrow(RangeError);
  });
});

describe('the answers catalogue', () => {
  it('writes every message in Thai first, then English in parentheses', () => {
    const list = [{ number: 1, label: 'ภาษาไทย' }];
    const messages = [
      answers.yesNo,
      answers.yesNoBoth,
      answers.choiceNone,
      answers.choiceEmpty(3),
      answers.choiceNotFound('x', list),
      answers.choiceNumberOutOfRange(9, 3),
      answers.choiceAmbiguous('x', list),
      answers.choiceOnlyOne(3),
      answers.choicesEmpty(3),
      answers.choicesTooFew(2, 1),
      answers.choicesTooMany(2, 3),
      answers.rating,
      answers.ratingConflict(5, 3),
      answers.numberNotNumber({}),
      answers.numberOutOfRange(5, { min: 10 }),
      answers.numberNotInteger({}),
      answers.textEmpty,
      answers.textTooLong(11, 10),
      answers.date,
      answers.dateNoSuchMonth(13),
      answers.dateNoSuchDay(31, 2, 2567, 29),
      answers.dateYearOutOfRange,
    ];
    expect(messages).toHaveLength(Object.keys(answers).length);
    for (const m of messages) expectBilingualFailure({ ok: false, message: m });
  });

  it('lists at most ten choices and clips long labels, so a LINE bubble stays readable', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ number: i + 1, label: `โรงเรียน${'ก'.repeat(60)}${i}` }));
    const m = answers.choiceNotFound('x', many);
    expect(m).toContain('… (อีก 20 ตัวเลือก)');
    expect(m).not.toContain('11. ');
    expect(m.length).toBeLessThan(1000);
  });
});
