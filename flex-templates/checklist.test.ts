import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { checklistListBubble, type ChecklistRow, MAX_ROWS } from './checklist-list.js';
import { MAX_BUBBLES, reviewCarousel, type ReviewRow, ROWS_PER_BUBBLE, THUMBS_PER_ROW } from './checklist-review.js';
import { flexProblems } from './limits.js';

const valid = (contents: Parameters<typeof flexProblems>[0]['contents']) => {
  const message = { type: 'flex' as const, altText: 'ทดสอบ', contents };
  expect(validateMessagingRequest('POST', '/v2/bot/message/reply', { replyToken: 't', messages: [message] })).toEqual(
    [],
  );
  expect(flexProblems(message)).toEqual([]);
  return new TextEncoder().encode(JSON.stringify(contents)).length;
};

const longThai = 'การประเมินคุณภาพภายในสถานศึกษาตามมาตรฐานการศึกษาขั้นพื้นฐาน😀'.repeat(20);

const listRow = (i: number, over: Partial<ChecklistRow> = {}): ChecklistRow => ({
  title: `${longThai} ${i}`,
  status: i % 3 === 0 ? null : i % 3 === 1 ? 'in_progress' : 'submitted',
  due: 'วันศุกร์ที่ 1 มกราคม พ.ศ. 2570',
  overdue: i % 2 === 0,
  editable: i % 4 !== 0,
  data: `a=open&c=${'0'.repeat(8)}-0000-4000-8000-${String(i).padStart(12, '0')}`,
  ...over,
});

const reviewRow = (i: number): ReviewRow => ({
  number: i + 1,
  label: longThai,
  answer: longThai,
  missing: i % 5 === 0,
  editData: `s=123&a=edit&n=${i + 1}`,
});

describe('checklist list bubble', () => {
  it.each([0, 1, MAX_ROWS, 40])('with %i rows of long Thai is valid and within limits', (n) => {
    const bubble = checklistListBubble({ title: 'เช็กลิสต์ของฉัน', rows: Array.from({ length: n }, (_, i) => listRow(i)) });
    valid(bubble);
    const rows = bubble.body?.contents ?? [];
    expect(rows).toHaveLength(Math.min(n, MAX_ROWS));
    expect(JSON.stringify(bubble.footer ?? {})).toContain(n > MAX_ROWS ? `อีก ${n - MAX_ROWS} รายการ` : '{}');
  });

  it('offers a button only where the checklist can still be opened', () => {
    const bubble = checklistListBubble({
      title: 't',
      rows: [listRow(1, { editable: true }), listRow(2, { editable: false })],
    });
    const buttons = JSON.stringify(bubble).match(/"type":"button"/g) ?? [];
    expect(buttons).toHaveLength(1);
  });
});

describe('review carousel', () => {
  it.each([0, 1, ROWS_PER_BUBBLE, 60, ROWS_PER_BUBBLE * MAX_BUBBLES + 7])(
    'with %i long rows is valid, ≤ 12 bubbles, and ends with the submit button',
    (n) => {
      const carousel = reviewCarousel({
        title: longThai,
        rows: Array.from({ length: n }, (_, i) => reviewRow(i)),
        submitLabel: 'ส่งคำตอบ',
        submitData: 's=123&a=submit',
      });
      const bytes = valid(carousel);
      expect(carousel.contents.length).toBeLessThanOrEqual(MAX_BUBBLES);
      expect(JSON.stringify(carousel.contents.at(-1)?.footer)).toContain('a=submit');
      expect(bytes).toBeLessThan(50_000);
    },
  );

  const thumb = (i: number, pad = 0) =>
    `https://nithet.example/evidence-thumbs/${String(i).padStart(36, '0')}/1796000000/${'a'.repeat(64)}${'b'.repeat(pad)}`;

  it.each([1, 25, 60])('with %i rows of photos at the longest URLs stays valid and within limits', (n) => {
    const rows = Array.from({ length: n }, (_, i) => ({
      ...reviewRow(i),
      missing: false,
      thumbs: Array.from({ length: 8 }, (_, k) => thumb(k, 2000 - thumb(k).length)),
    }));
    const carousel = reviewCarousel({ title: longThai, rows, submitLabel: 'ส่งคำตอบ', submitData: 's=1&a=submit' });
    valid(carousel);
    expect(carousel.contents.length).toBeLessThanOrEqual(MAX_BUBBLES);
    // The thumbnails take a bounded share: the first page still holds all its answers, with some pictures.
    const first = carousel.contents[0];
    expect(first?.body?.contents).toHaveLength(Math.min(n, ROWS_PER_BUBBLE));
    const images = JSON.stringify(first).match(/"type":"image"/g) ?? [];
    expect(images.length).toBeGreaterThan(0);
    expect(images.length).toBeLessThanOrEqual(THUMBS_PER_ROW);
  });

  it('shows a row of thumbnails per photo answer at realistic URLs', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      ...reviewRow(i),
      missing: false,
      thumbs: Array.from({ length: 3 }, (_, k) => thumb(i * 10 + k)),
    }));
    const carousel = reviewCarousel({ title: 't', rows, submitLabel: 'ส่ง', submitData: 'a=submit' });
    valid(carousel);
    expect(JSON.stringify(carousel).match(/"type":"image"/g)).toHaveLength(36);
  });

  it('shows each photo of a row as a square thumbnail, https only, none for a skipped or missing one', () => {
    const carousel = reviewCarousel({
      title: 't',
      rows: [
        { ...reviewRow(1), answer: 'รูป 2 รูป', thumbs: [thumb(1), thumb(2), 'http://insecure.example/x.jpg'] },
        { ...reviewRow(2), skipped: true, thumbs: [thumb(3)] },
        { ...reviewRow(3), answer: 'แผน 2570.pdf, คำสั่ง.docx' },
      ],
      submitLabel: 'ส่ง',
      submitData: 'a=submit',
    });
    valid(carousel);
    const json = JSON.stringify(carousel);
    expect(json).toContain(`"url":"${thumb(1)}"`);
    expect(json).toContain(`"url":"${thumb(2)}"`);
    expect(json).not.toContain('insecure.example');
    expect(json).not.toContain(thumb(3));
    expect(json).toContain('แผน 2570.pdf, คำสั่ง.docx');
  });

  it('marks missing required answers in red and makes each row an edit button', () => {
    const carousel = reviewCarousel({
      title: 't',
      rows: [reviewRow(0), reviewRow(1)],
      submitLabel: 'ส่ง',
      submitData: 'a=submit',
    });
    const json = JSON.stringify(carousel);
    expect(json).toContain('ยังไม่ได้ตอบ (จำเป็น)');
    expect(json).toContain('a=edit&n=2');
  });
});
