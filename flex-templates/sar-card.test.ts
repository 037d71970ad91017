import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { flexProblems } from './limits.js';
import { MAX_STANDARDS, type SarCardInput, type SarCardStandard, sarCardMessage } from './sar-card.js';

const longThai = 'มาตรฐานที่ 1 คุณภาพของผู้เรียนและกระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ😀'.repeat(8);
const CAMPAIGN_ID = '00000000-0000-4000-8000-000000000001';

const valid = (input: SarCardInput) => {
  const message = sarCardMessage(input);
  expect(validateMessagingRequest('POST', '/v2/bot/message/reply', { replyToken: 'r', messages: [message] })).toEqual(
    [],
  );
  expect(flexProblems(message)).toEqual([]);
  return message;
};

const standard = (i: number, over: Partial<SarCardStandard> = {}): SarCardStandard => ({
  label: `${longThai} ${i}`,
  levels: { 5: 1234, 4: 567, 3: 89, 2: 1, 1: 0 },
  noAnswer: 12,
  belowTarget: 321,
  namesData: `a=sar&k=below&c=${CAMPAIGN_ID}&n=s${i}`,
  ...over,
});

const json = (v: unknown) => JSON.stringify(v);

describe('sarCardMessage', () => {
  it('long Thai names and many standards stay within LINE limits, with a "more" line', () => {
    const m = valid({
      campaign: longThai,
      status: 'ปิดรับแล้ว · กำหนดส่ง 30 ก.ย. 2569',
      submitted: 1891,
      expected: 2000,
      note: longThai,
      standards: Array.from({ length: 20 }, (_, i) => standard(i + 1)),
    });
    const s = json(m);
    expect(s.match(/"label":"ดูรายชื่อ"/g)?.length).toBe(MAX_STANDARDS);
    expect(s).toContain('และอีก 12 มาตรฐาน');
    expect(m.altText).toContain('ส่งแล้ว 1,891/2,000 โรงเรียน');
  });

  it('a bar segment per level present, sized by count; legend names every level', () => {
    const m = valid({
      campaign: 'SAR ปีการศึกษา 2568',
      status: 'เปิดรับอยู่',
      submitted: 3,
      expected: 4,
      note: null,
      standards: [standard(1, { levels: { 5: 0, 4: 2, 3: 1, 2: 0, 1: 0 }, noAnswer: 1, belowTarget: 0 })],
    });
    const s = json(m);
    expect(s).toContain('"flex":2,"backgroundColor":"#52B788"');
    expect(s).toContain('"flex":1,"backgroundColor":"#F4D03F"');
    expect(s).not.toContain('"backgroundColor":"#0B6E4F","contents":[]');
    for (const name of ['ยอดเยี่ยม 0', 'ดีเลิศ 2', 'ดี 1', 'ปานกลาง 0', 'กำลังพัฒนา 0', 'ไม่มีคำตอบ 1'])
      expect(s).toContain(name);
    // Nobody below target: no button.
    expect(s).toContain('ไม่มีโรงเรียนที่ต่ำกว่าค่าเป้าหมาย');
    expect(s).not.toContain('ดูรายชื่อ');
  });

  it('empty data: no SAR sent yet, no standards', () => {
    for (const standards of [[], [standard(1, { levels: { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 }, belowTarget: 0 })]]) {
      const m = valid({ campaign: '', status: '', submitted: 0, expected: 0, note: null, standards });
      expect(json(m)).toContain('ยังไม่มีโรงเรียนส่ง SAR');
      expect(json(m)).not.toContain('ดูรายชื่อ');
    }
  });
});
