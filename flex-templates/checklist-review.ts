// The review before submit: every question with its answer, tappable to edit, and the submit button last.
// Long checklists (the SAR has ~60 questions) spread over a carousel of bubbles of ROWS_PER_BUBBLE rows.
import type { messagingApi } from '@line/bot-sdk';

export interface ReviewRow {
  number: number;
  label: string;
  answer: string;
  missing: boolean;
  editData: string;
}

export const ROWS_PER_BUBBLE = 10;
export const MAX_BUBBLES = 12;
const LABEL_CHARS = 80;
const ANSWER_CHARS = 120;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function row(r: ReviewRow): messagingApi.FlexBox {
  return {
    type: 'box',
    layout: 'vertical',
    spacing: 'xs',
    paddingAll: 'sm',
    action: { type: 'postback', label: `แก้ข้อ ${r.number}`, data: r.editData, displayText: `แก้ข้อ ${r.number}` },
    contents: [
      {
        type: 'text',
        text: `${r.number}. ${cut(r.label, LABEL_CHARS)}`,
        size: 'xs',
        color: '#555555',
        wrap: true,
        maxLines: 3,
      },
      {
        type: 'text',
        text: r.missing ? 'ยังไม่ได้ตอบ (จำเป็น)' : cut(r.answer, ANSWER_CHARS),
        size: 'sm',
        weight: 'bold',
        color: r.missing ? '#C0392B' : '#222222',
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
  // Past 12 bubbles the last one says how to reach the rest by typing, rather than breaking LINE's limit.
  const overflow = pages.length > MAX_BUBBLES ? pages.slice(MAX_BUBBLES - 1).flat().length : 0;
  const shown = overflow > 0 ? pages.slice(0, MAX_BUBBLES - 1) : pages;
  const bubbles: messagingApi.FlexBubble[] = shown.map((page, i) => ({
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      contents: [
        { type: 'text', text: cut(input.title, 60), weight: 'bold', size: 'sm', wrap: true, maxLines: 2 },
        {
          type: 'text',
          text: `ตรวจทาน ${i + 1}/${shown.length + (overflow > 0 ? 1 : 0)}`,
          size: 'xxs',
          color: '#888888',
        },
      ],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: page.length > 0 ? page.map(row) : [{ type: 'text', text: '—', size: 'sm' }],
    },
    ...(i === shown.length - 1 && overflow === 0 ? { footer: submitFooter(input) } : {}),
  }));
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
