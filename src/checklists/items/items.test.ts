// The item-kind table, one row per kind and case: a typed answer, a tap, XLSForm's default, how the answer reads
// back and what an export cell holds.
import { describe, expect, it } from 'vitest';
import type { AnswerableItem } from '../definition.js';
import type { Value } from '../expr.js';
import { documentRefusal, sniffDocument } from './document.js';
import { kindOf } from './index.js';
import type { KindCtx } from './kind.js';

const REFUSED = Symbol('refused');
const c: KindCtx = {
  today: '2026-11-20',
  seq: 3,
  choices: [
    { value: 'a', label: 'ภาษาไทย' },
    { value: 'b', label: 'คณิตศาสตร์' },
  ],
  current: undefined,
};
const base = { key: 'k', label: { th: 'ข้อ' }, required: true };
const choices = [
  { value: 'a', label: { th: 'ภาษาไทย' } },
  { value: 'b', label: { th: 'คณิตศาสตร์' } },
];
const items: Record<AnswerableItem['type'], AnswerableItem> = {
  yes_no: { ...base, type: 'yes_no' },
  rating: { ...base, type: 'rating' },
  select_one: { ...base, type: 'select_one', choices },
  select_many: { ...base, type: 'select_many', choices },
  number: { ...base, type: 'number', integer: true, min: 0, max: 500, unit: { th: 'คน' } },
  text: { ...base, type: 'text', maxLength: 10 },
  date: { ...base, type: 'date' },
  photo: { ...base, type: 'photo', maxFiles: 2 },
  document: { ...base, type: 'document', maxFiles: 2 },
  acknowledge: { ...base, type: 'acknowledge' },
};
const kind = (t: AnswerableItem['type']) => {
  const item = items[t];
  return { item, k: kindOf(item) };
};

describe('typed answers', () => {
  it.each<[AnswerableItem['type'], string, Value | typeof REFUSED]>([
    ['yes_no', 'ใช่ครับ', 'yes'],
    ['yes_no', 'ไม่', 'no'],
    ['yes_no', 'อาจจะ', REFUSED],
    ['rating', 'ดีเลิศ', 4],
    ['rating', '6', REFUSED],
    ['select_one', '2', 'b'],
    ['select_one', 'ภาษาไทย', 'a'],
    ['select_one', '3', REFUSED],
    ['select_many', '1, 2', ['a', 'b']],
    ['number', '120 คน', 120],
    ['number', '501', REFUSED],
    ['text', 'สั้น', 'สั้น'],
    ['text', 'ยาวเกินสิบตัวอักษร', REFUSED],
    ['date', '15/1/2570', '2027-01-15'],
    ['photo', 'รูป', REFUSED],
    ['document', 'ไฟล์', REFUSED],
    ['acknowledge', 'รับทราบ', 'OK'],
    ['acknowledge', 'ok', 'OK'],
    ['acknowledge', 'ใช่', 'OK'],
    ['acknowledge', 'ไม่', REFUSED],
  ])('%s reads %j', (t, text, expected) => {
    const { item, k } = kind(t);
    const r = k.parse(item, text, c);
    if (expected === REFUSED) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/[\u0E00-\u0E7F]/);
    } else expect(r).toEqual({ ok: true, value: expected });
  });
});

describe('buttons', () => {
  it.each<[AnswerableItem['type'], string, Value | typeof REFUSED]>([
    ['yes_no', 'yes', 'yes'],
    ['rating', '5', 5],
    ['select_one', '1', 'a'],
    ['select_one', '9', REFUSED],
    ['date', '2026-11-20', '2026-11-20'],
    ['acknowledge', 'OK', 'OK'],
    ['acknowledge', 'no', REFUSED],
  ])('%s tap %j', (t, v, expected) => {
    const { item, k } = kind(t);
    const r = k.tap?.(item, v, c);
    expect(r?.ok === true ? r.value : REFUSED).toEqual(expected);
  });

  it.each(Object.keys(items) as AnswerableItem['type'][])('%s: every answer button carries the step', (t) => {
    const { item, k } = kind(t);
    for (const q of k.prompt(item, c).quick) {
      const a = q.action;
      if (a?.type === 'postback' || a?.type === 'datetimepicker') expect(a.data).toMatch(/^s=3&/);
    }
  });
});

describe('defaults, read-back and export cells', () => {
  it.each<[AnswerableItem['type'], string | null, Value, string, Value]>([
    ['yes_no', 'no', 'no', 'ไม่ใช่', 'ไม่ใช่'],
    ['rating', '3', 3, '3 ดี', 3],
    ['select_one', 'b', 'b', 'คณิตศาสตร์', 'คณิตศาสตร์'],
    ['select_many', 'a b', ['a', 'b'], 'ภาษาไทย, คณิตศาสตร์', 'ภาษาไทย, คณิตศาสตร์'],
    ['number', '12', 12, '12 คน', 12],
    ['text', 'ไม่มี', 'ไม่มี', 'ไม่มี', 'ไม่มี'],
    ['date', '2026-01-31', '2026-01-31', '31 ม.ค. 2569', '2026-01-31'],
    ['photo', null, ['e1', 'e2'], 'รูป 2 รูป', 2],
    ['document', null, ['e1'], 'ไฟล์ 1 ไฟล์', 1],
    ['acknowledge', null, 'OK', 'รับทราบแล้ว', 'OK'],
  ])('%s', (t, raw, value, shown, cell) => {
    const { item, k } = kind(t);
    if (raw === null) expect(k.fromDefault).toBeUndefined();
    else expect(k.fromDefault?.(item, raw)).toEqual(value);
    expect(k.display(item, value)).toBe(shown);
    expect(k.cell(item, value)).toEqual(cell);
  });
});

describe('documents: by name, size and first bytes', () => {
  const PDF = new TextEncoder().encode('%PDF-1.4 …');
  const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]);
  const OLE = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
  it.each<[string, number, boolean]>([
    ['แผน.pdf', 1000, true],
    ['SAR.DOCX', 1000, true],
    ['budget.xls', 10 * 1024 * 1024, true],
    ['budget.xlsx', 10 * 1024 * 1024 + 1, false],
    ['notes.txt', 10, false],
    ['pdf', 10, false],
  ])('%s of %i bytes answers a document item: %s', (name, size, ok) => {
    expect(documentRefusal(name, size) === null).toBe(ok);
  });
  it.each<[string, Uint8Array, string | null]>([
    ['a.pdf', PDF, 'application/pdf'],
    ['a.docx', ZIP, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a.xlsx', ZIP, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['a.doc', OLE, 'application/msword'],
    ['a.xls', OLE, 'application/vnd.ms-excel'],
    ['a.docx', PDF, null],
    ['a.pdf', ZIP, null],
    ['a.pdf', new Uint8Array([0x25]), null],
  ])('%s with these bytes is %s', (name, data, type) => {
    expect(sniffDocument(name, data)).toBe(type);
  });
});
