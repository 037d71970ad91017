import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { flexProblems } from './limits.js';
import { MAX_ROWS, reminderMessage, type ReminderRow } from './reminder-card.js';

const longThai = 'การประเมินคุณภาพภายในสถานศึกษาตามมาตรฐานการศึกษาขั้นพื้นฐาน😀'.repeat(20);
const campaignId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const row = (i: number): ReminderRow => ({
  title: `${longThai} ${i}`,
  when: `เลยกำหนด ${i} วัน · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569 ${longThai}`,
  overdue: i % 2 === 0,
  ...(i % 3 === 0 ? { note: `${i} คน: ${longThai}` } : {}),
  ...(i % 3 !== 2 ? { action: { label: 'เริ่มทำ', data: `a=open&c=${campaignId(i)}` } } : {}),
});

const card = (n: number) =>
  reminderMessage({
    date: 'วันจันทร์ที่ 23 พฤศจิกายน พ.ศ. 2569',
    rows: Array.from({ length: n }, (_, i) => row(i)),
    listData: 'a=list',
    settingsData: 'a=settings',
  });

/** LINE would take it as a push, and it keeps the limits the schema leaves out; returns the bubble's bytes. */
function valid(message: ReturnType<typeof card>): number {
  const push = { to: `U${'0'.repeat(32)}`, messages: [message] };
  expect(validateMessagingRequest('POST', '/v2/bot/message/push', push)).toEqual([]);
  expect(flexProblems(message)).toEqual([]);
  return new TextEncoder().encode(JSON.stringify(message.contents)).length;
}

describe('reminder card', () => {
  it.each([0, 1, 3, MAX_ROWS, MAX_ROWS + 1, 40])('with %i rows of long Thai is valid and within limits', (n) => {
    const message = card(n);
    expect(valid(message)).toBeLessThan(30_000);
    expect(message.altText.length).toBeLessThanOrEqual(1500);
    expect(message.altText.startsWith(`วันนี้มี ${n} เรื่อง`)).toBe(true);
    const json = JSON.stringify(message);
    expect(json).toContain(`วันนี้มี ${n} เรื่อง`);
    const body = message.contents.type === 'bubble' ? message.contents.body?.contents : [];
    expect(body).toHaveLength(Math.max(1, Math.min(n, MAX_ROWS)));
    if (n > MAX_ROWS) {
      expect(json).toContain(`และอีก ${n - MAX_ROWS} เรื่อง`);
      expect(json).toContain('"data":"a=list"');
    } else expect(json).not.toContain('และอีก');
  });

  it('stays valid with empty titles and dates', () => {
    valid(
      reminderMessage({
        date: 'วันนี้',
        rows: [{ title: '', when: '', overdue: false, note: '', action: { label: 'เริ่มทำ', data: 'a=open&c=x' } }],
        listData: 'a=list',
        settingsData: 'a=settings',
      }),
    );
  });

  it('gives campaign rows an open button without a step token, and other rows none', () => {
    const message = reminderMessage({
      date: 'วันนี้',
      rows: [
        {
          title: 'แบบสำรวจความต้องการ',
          when: 'ครบกำหนดวันนี้',
          overdue: false,
          action: { label: 'เริ่มทำ', data: `a=open&c=${campaignId(1)}` },
        },
        { title: 'ประชุม ก.ต.ป.น.', when: 'ประชุมพรุ่งนี้', overdue: false },
        { title: 'ครูที่ยังไม่ส่ง: SAR', when: 'เลยกำหนด 4 วัน', overdue: true, note: '2 คน: ครูเอ, ครูบี' },
      ],
      listData: 'a=list',
      settingsData: 'a=settings',
    });
    valid(message);
    const data = [...JSON.stringify(message).matchAll(/"data":"([^"]*)"/g)].map((m) => m[1]);
    // The row's button, then the settings link in the footer.
    expect(data).toEqual([`a=open&c=${campaignId(1)}`, 'a=settings']);
    expect(JSON.stringify(message)).toContain('⚠ เลยกำหนด 4 วัน');
  });
});
