// Which inputs ask for the SAR summary (typed in Thai or English, with a polite particle, or the rich menu's and
// the card's postbacks), and the card data a report becomes (open or closed, which campaign of several).
import { describe, expect, it } from 'vitest';
import type { Input } from '../conversation/input.js';
import { normalizeText } from '../conversation/normalize.js';
import { sarCardInput } from './card.js';
import { sarRequest } from './chat.js';
import type { SarReport } from './report.js';

const text = (t: string): Input => ({ kind: 'text', text: normalizeText(t) });
const postback = (data: string): Input => ({ kind: 'postback', data, params: {} });

describe('sarRequest', () => {
  it.each(['สรุป SAR', 'สรุป sar ครับ', 'สรุปSAR', '  SAR   Summary ', 'สรุปผล SAR ค่ะ'])('%j asks for the card', (t) =>
    expect(sarRequest(text(t))).toEqual({ kind: 'card' }),
  );
  it.each(['SAR', 'สรุป', 'สรุป SAR ของโรงเรียน', 'ดีเลิศ'])('%j does not (it may be an answer)', (t) =>
    expect(sarRequest(text(t))).toBeNull(),
  );
  it('postbacks: the menu, the card button, and others left alone', () => {
    expect(sarRequest(postback('a=sar'))).toEqual({ kind: 'card' });
    expect(sarRequest(postback('a=sar&k=below&c=abc&n=s2'))).toEqual({
      kind: 'below',
      campaignId: 'abc',
      standard: 's2',
    });
    expect(sarRequest(postback('a=sar&k=below'))).toEqual({ kind: 'below', campaignId: '', standard: '' });
    expect(sarRequest(postback('a=names&k=sar'))).toBeNull();
    expect(sarRequest({ kind: 'sticker' })).toBeNull();
  });
});

describe('sarCardInput', () => {
  const report = (over: Partial<SarReport['campaign']>): SarReport => ({
    campaign: {
      id: '00000000-0000-4000-8000-000000000009',
      officeId: 'o',
      officeName: 'สำนักงานทดสอบ',
      title: 'SAR ปีการศึกษา 2568',
      checklistKey: 'sar-basic',
      timeZone: 'Asia/Bangkok',
      dueMs: Date.parse('2026-09-30T16:59:59Z'), // 23:59:59 on 30 September in Bangkok
      closedMs: null,
      others: 0,
      ...over,
    },
    synthesis: {
      expected: 2,
      submitted: 1,
      standards: [
        {
          key: 's1',
          label: 'มาตรฐานที่ 1',
          levels: { 5: 0, 4: 0, 3: 1, 2: 0, 1: 0 },
          noAnswer: 1,
          belowTarget: [{ code: '1', name: 'โรงเรียนทดสอบ', cluster: null, level: 3, target: 4 }],
          strengths: [],
          improvements: [],
        },
        {
          key: 's2',
          label: 'มาตรฐานที่ 2',
          levels: { 5: 0, 4: 1, 3: 0, 2: 0, 1: 0 },
          noAnswer: 1,
          belowTarget: [],
          strengths: [],
          improvements: [],
        },
      ],
    },
  });

  it('an open campaign, its due date in the office time zone with a Buddhist-Era year', () => {
    const c = sarCardInput(report({}));
    expect(c.status).toBe('เปิดรับอยู่ · กำหนดส่ง 30 ก.ย. 2569');
    expect(c.note).toBeNull();
    expect(c.standards.map((s) => [s.belowTarget, s.namesData])).toEqual([
      [1, 'a=sar&k=below&c=00000000-0000-4000-8000-000000000009&n=s1'],
      [0, null],
    ]);
  });

  it('a closed one among several says so', () => {
    const c = sarCardInput(report({ closedMs: Date.parse('2026-10-01T00:00:00Z'), others: 2 }));
    expect(c.status).toBe('ปิดรับแล้ว · กำหนดส่ง 30 ก.ย. 2569');
    expect(c.note).toBe('แสดงแบบ SAR ล่าสุด (มีแบบก่อนหน้าอีก 2 แบบ)');
  });
});
