import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { type DigestCampaign, type DigestInput, digestMessage, MAX_BUBBLES, percent } from './digest-card.js';
import { flexProblems } from './limits.js';

const longThai = 'การประเมินคุณภาพภายในสถานศึกษาตามมาตรฐานการศึกษาขั้นพื้นฐาน😀'.repeat(12);
const CAMPAIGN_ID = '00000000-0000-4000-8000-000000000001';

const valid = (input: DigestInput) => {
  const message = digestMessage(input);
  expect(
    validateMessagingRequest('POST', '/v2/bot/message/push', { to: `U${'a'.repeat(32)}`, messages: [message] }),
  ).toEqual([]);
  expect(flexProblems(message)).toEqual([]);
  return message;
};

const campaign = (i: number, over: Partial<DigestCampaign> = {}): DigestCampaign => ({
  title: `${longThai} ${i}`,
  due: 'วันศุกร์ที่ 1 มกราคม พ.ศ. 2570',
  overdue: i % 2 === 0,
  unit: i % 3 === 0 ? 'โรงเรียน' : 'คน',
  answered: i * 7,
  expected: i * 10 + 3,
  groupsTitle: 'รายกลุ่มโรงเรียน',
  groups: Array.from({ length: 9 }, (_, g) => ({ label: `${longThai} กลุ่ม ${g}`, answered: g, expected: 10 })),
  pendingNames: Array.from({ length: 20 }, (_, n) => `${longThai} ครู ${n}`),
  pendingMore: 1234,
  namesData: `a=names&k=pending&c=${CAMPAIGN_ID}`,
  ...over,
});

const full = (n: number): DigestInput => ({
  title: 'สรุปประจำสัปดาห์',
  scope: longThai,
  date: 'วันจันทร์ที่ 23 พฤศจิกายน พ.ศ. 2569',
  term: 'ภาคเรียนที่ 2/2569',
  highlights: Array.from({ length: 10 }, (_, i) => `${longThai} ${i}`),
  overdue: {
    total: 999,
    rows: Array.from({ length: 30 }, (_, i) => ({ title: `${longThai} ${i}`, schools: i })),
    namesData: 'a=names&k=overdue',
  },
  belowTarget: {
    rows: Array.from({ length: 30 }, (_, i) => ({ label: `${longThai} ${i}`, schools: i })),
    namesData: 'a=names&k=sar',
  },
  visits: 'none',
  campaigns: Array.from({ length: n }, (_, i) => campaign(i + 1)),
});

const empty: DigestInput = {
  title: 'สรุปประจำสัปดาห์',
  scope: '',
  date: 'วันจันทร์ที่ 23 พฤศจิกายน พ.ศ. 2569',
  term: null,
  highlights: [],
  overdue: { total: 0, rows: [], namesData: null },
  belowTarget: { rows: [], namesData: null },
  visits: 'none',
  campaigns: [],
};

describe('digest card', () => {
  it.each([0, 1, 2, 11, 12, 40])('with %i campaigns of long Thai is valid and within limits', (n) => {
    const message = valid(full(n));
    const c = message.contents;
    if (n === 0) expect(c.type).toBe('bubble');
    else {
      expect(c.type).toBe('carousel');
      if (c.type !== 'carousel') return;
      expect(c.contents.length).toBeLessThanOrEqual(MAX_BUBBLES);
      expect(new TextEncoder().encode(JSON.stringify(c)).length).toBeLessThan(50_000);
    }
    // Every campaign is either a bubble of its own or counted in the overflow bubble.
    const json = JSON.stringify(c);
    const own = (json.match(/"text":"กำหนดส่ง |"text":"เลยกำหนดส่ง /g) ?? []).length;
    const rest = /แบบประเมินอื่นอีก (\d+) แบบ/.exec(json);
    expect(own + Number(rest?.[1] ?? 0)).toBe(n);
  });

  it('renders empty data with the empty-section wording', () => {
    const message = valid(empty);
    const json = JSON.stringify(message);
    expect(json).toContain('ไม่มีแบบประเมินที่เปิดอยู่');
    expect(json).toContain('ยังไม่มีข้อมูลการนิเทศ');
    expect(json).not.toContain('ดูรายชื่อ');
  });

  it('draws progress bars as a filled box whose width is the percentage, with the figure beside it', () => {
    const message = valid({
      ...empty,
      campaigns: [campaign(1, { answered: 5, expected: 8, groups: [], pendingNames: ['ครูสมใจ'], pendingMore: 2 })],
    });
    const json = JSON.stringify(message);
    expect(json).toContain('"width":"63%"');
    expect(json).toContain('5/8 คน (63%)');
    expect(json).toContain('ครูสมใจ และอีก 2 คน');
    expect(json).toContain(`"data":"a=names&k=pending&c=${CAMPAIGN_ID}"`);
  });

  it('says complete instead of offering names when everyone answered, and shows visits when known', () => {
    const json = JSON.stringify(
      valid({
        ...empty,
        visits: { done: 3, planned: 12 },
        campaigns: [campaign(1, { answered: 13, expected: 13, pendingNames: [], pendingMore: 0 })],
      }),
    );
    expect(json).toContain('ตอบครบแล้ว');
    expect(json).not.toContain('"label":"ดูรายชื่อ"');
    expect(json).toContain('3/12 ครั้ง (25%)');
  });

  it('leaves out sections that are null (a principal has no overdue, SAR or visits sections)', () => {
    const json = JSON.stringify(valid({ ...empty, overdue: null, belowTarget: null, visits: null }));
    expect(json).not.toContain('เลยกำหนดส่ง');
    expect(json).not.toContain('SAR');
    expect(json).not.toContain('การนิเทศ');
  });

  it('rounds percentages half up (1/6 is 17%) and keeps 100 for everyone', () => {
    expect(percent(1, 6)).toBe(17);
    expect(percent(199, 200)).toBe(99);
    expect(percent(0, 0)).toBe(0);
    expect(percent(5, 4)).toBe(100);
  });
});
