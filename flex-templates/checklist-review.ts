// The review before submit: every question with its answer, tappable to edit, the computed values (a standard's
// level) after them, and the submit button on every page. Documents read by their names; photos show thumbnails.
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
  /** Photo answers: each photo's thumbnail (a signed https URL, src/checklists/thumbs.ts), in the order sent. */
  thumbs?: string[];
}

export const ROWS_PER_BUBBLE = 10;
export const MAX_BUBBLES = 12;
/** Below LINE's 50,000 bytes, with room for the closing bubble that holds the submit button. */
const CAROUSEL_BUDGET = 46_000;
const LABEL_CHARS = 70;
const ANSWER_CHARS = 90;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Thumbnails in one row, equal squares; a photo item with more says how many more. */
export const THUMBS_PER_ROW = 5;
/** LINE's limit for an image URL. */
const URL_CHARS = 2000;
/** Bytes of thumbnails in one carousel, first rows first, so the answers' own pages still fit LINE's 50 KB. */
const THUMBS_BUDGET = 12_000;
const IMAGE_OVERHEAD = 100;

/** Each row's thumbnails within the carousel's budget: https URLs LINE accepts, at most a row's worth each. */
function budgetThumbs(rows: ReviewRow[]): ReviewRow[] {
  let left = THUMBS_BUDGET;
  return rows.map((r) => {
    const ok = (r.thumbs ?? []).filter((u) => u.startsWith('https://') && u.length <= URL_CHARS);
    const kept: string[] = [];
    for (const u of ok.slice(0, THUMBS_PER_ROW)) {
      const cost = new TextEncoder().encode(u).length + IMAGE_OVERHEAD;
      if (cost > left) break;
      left -= cost;
      kept.push(u);
    }
    return { ...r, thumbs: kept };
  });
}

function thumbStrip(shown: string[]): messagingApi.FlexBox[] {
  if (shown.length === 0) return [];
  const cells: messagingApi.FlexComponent[] = shown.map((url) => ({
    type: 'image',
    url,
    size: 'full',
    aspectRatio: '1:1',
    aspectMode: 'cover',
    flex: 1,
  }));
  // Empty cells keep the squares one size however many photos there are.
  for (let i = shown.length; i < THUMBS_PER_ROW; i++)
    cells.push({ type: 'box', layout: 'vertical', contents: [], flex: 1 });
  return [{ type: 'box', layout: 'horizontal', spacing: 'xs', contents: cells }];
}

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
      ...(r.missing || r.skipped === true ? [] : thumbStrip(r.thumbs ?? [])),
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
  const rows = budgetThumbs(input.rows);
  for (let i = 0; i < rows.length; i += ROWS_PER_BUBBLE) pages.push(rows.slice(i, i + ROWS_PER_BUBBLE));
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
