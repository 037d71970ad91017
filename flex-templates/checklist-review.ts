// The review before submit: every question with its answer, tappable to edit, the computed values (a standard's
// level) after them, and the submit button on every page.
// Long checklists (the SAR has ~60 questions) spread over a carousel of bubbles of ROWS_PER_BUBBLE rows, as
// many as fit LINE's 50 KB carousel; the rest are reached by typing "แก้ข้อ N".
import type { messagingApi } from '@line/bot-sdk';

export interface ReviewRow {
  /** The question's number; 0 for a computed value (a standard's level), which is shown, not edited. */
  number: number;
  label: string;
  answer: string;
  missing: boolean;
  /** Skipped on purpose: reads "(ข้าม)" in plain grey, not as a bold answer. */
  skipped?: boolean;
  /** Null for a computed value. */
  editData: string | null;
}

export const ROWS_PER_BUBBLE = 10;
export const MAX_BUBBLES = 12;
/** Below LINE's 50,000 bytes, with room for the closing bubble that holds the submit button. */
const CAROUSEL_BUDGET = 46_000;
const LABEL_CHARS = 70;
const ANSWER_CHARS = 90;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function row(r: ReviewRow): messagingApi.FlexBox {
  return {
    type: 'box',
    layout: 'vertical',
    spacing: 'xs',
    paddingAll: 'sm',
    ...(r.editData === null
      ? { backgroundColor: '#F2F7F5' }
      : {
          action: {
            type: 'postback' as const,
            label: `แก้ข้อ ${r.number}`,
            data: r.editData,
            displayText: `แก้ข้อ ${r.number}`,
          },
        }),
    contents: [
      {
        type: 'text',
        text: r.number === 0 ? `= ${cut(r.label, LABEL_CHARS)}` : `${r.number}. ${cut(r.label, LABEL_CHARS)}`,
        size: 'xs',
        color: '#555555',
        wrap: true,
        maxLines: 3,
      },
      {
        type: 'text',
        text: r.missing ? 'ยังไม่ได้ตอบ (จำเป็น)' : r.skipped === true ? '(ข้าม)' : cut(r.answer, ANSWER_CHARS),
        size: 'sm',
        weight: r.skipped === true ? 'regular' : 'bold',
        color: r.missing ? '#C0392B' : r.skipped === true ? '#888888' : '#222222',
        wrap: true,
        maxLines: 4,
      },
    ],
  };
}

export function reviewCarousel(input: {
  title: string;
  rows: ReviewRow[];
  submitLabel: string;
  submitData: string;
}): messagingApi.FlexCarousel {
  const pages: ReviewRow[][] = [];
  for (let i = 0; i < input.rows.length; i += ROWS_PER_BUBBLE) pages.push(input.rows.slice(i, i + ROWS_PER_BUBBLE));
  if (pages.length === 0) pages.push([]);
  const bubbleOf = (page: ReviewRow[], i: number, total: number, withSubmit: boolean): messagingApi.FlexBubble => ({
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      contents: [
        { type: 'text', text: cut(input.title, 60), weight: 'bold', size: 'sm', wrap: true, maxLines: 2 },
        { type: 'text', text: `ตรวจทาน ${i + 1}/${total}`, size: 'xxs', color: '#888888' },
      ],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: page.length > 0 ? page.map(row) : [{ type: 'text', text: '—', size: 'sm' }],
    },
    ...(withSubmit ? { footer: submitFooter(input) } : {}),
  });
  // Take whole pages while they fit both limits; whatever is left is summarised in a last bubble.
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
  let used = 0;
  let fit = 0;
  while (fit < pages.length && fit < MAX_BUBBLES - 1) {
    const size = bytes(bubbleOf(pages[fit] ?? [], fit, pages.length, true));
    if (used + size > CAROUSEL_BUDGET) break;
    used += size;
    fit++;
  }
  if (fit === pages.length - 1 && pages.length <= MAX_BUBBLES) {
    const lastSize = bytes(bubbleOf(pages[fit] ?? [], fit, pages.length, true));
    if (used + lastSize <= CAROUSEL_BUDGET) fit++;
  }
  const overflow = pages.slice(fit).flat().length;
  const shown = pages.slice(0, fit);
  const total = shown.length + (overflow > 0 ? 1 : 0);
  // Submit on every page: a long review need not be swiped to its end to send.
  const bubbles = shown.map((page, i) => bubbleOf(page, i, total, true));
  if (overflow > 0) {
    bubbles.push({
      type: 'bubble',
      size: 'mega',
      body: {
        type: 'box',
        layout: 'vertical',
        contents: [
          {
            type: 'text',
            text: `อีก ${overflow} ข้อ ดูหรือแก้ได้โดยพิมพ์ "แก้ข้อ" ตามด้วยหมายเลข`,
            size: 'sm',
            wrap: true,
          },
        ],
      },
      footer: submitFooter(input),
    });
  }
  return { type: 'carousel', contents: bubbles };
}

function submitFooter(input: { submitLabel: string; submitData: string }): messagingApi.FlexBox {
  return {
    type: 'box',
    layout: 'vertical',
    contents: [
      {
        type: 'button',
        style: 'primary',
        color: '#0B6E4F',
        action: { type: 'postback', label: input.submitLabel, data: input.submitData, displayText: input.submitLabel },
      },
    ],
  };
}
