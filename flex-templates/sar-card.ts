// The SAR synthesis for directors as one Flex bubble: which campaign it is (open or closed, how many schools sent
// theirs), then per standard a stacked bar of the level distribution with its legend, and the number of schools
// below their own target with a "ดูรายชื่อ" button that lists them. Data in, message out; Thai text comes from
// src/i18n/sar.th.ts and dates are formatted by the caller.
import type { messagingApi } from '@line/bot-sdk';
import type { RatingLevel } from '../src/i18n/answers.th.js';
import { sar } from '../src/i18n/sar.th.js';

export interface SarCardStandard {
  label: string;
  levels: Record<RatingLevel, number>;
  noAnswer: number;
  belowTarget: number;
  /** Postback data of the "ดูรายชื่อ" button; null hides it. */
  namesData: string | null;
}

export interface SarCardInput {
  /** The campaign's title. */
  campaign: string;
  /** Whose schools only, for a director's digest cut ("<office> · เฉพาะโรงเรียน: …"); absent for the office. */
  scope?: string;
  /** "ปิดรับแล้ว · กำหนดส่ง 30 ก.ย. 2569". */
  status: string;
  submitted: number;
  expected: number;
  /** Why this campaign of several ("แสดงแบบ SAR ล่าสุด …"), or null. */
  note: string | null;
  standards: SarCardStandard[];
}

/** Standards shown; the built-in SARs have three, an office's own version could have many. */
export const MAX_STANDARDS = 8;

const GREEN = '#0B6E4F';
const GREY = '#888888';
const RED = '#C0392B';
const TRACK = '#E5E8E8';
/** Best to worst, green to red, so a bar reads at a glance. */
const LEVEL_COLOR: Record<RatingLevel, string> = {
  5: '#0B6E4F',
  4: '#52B788',
  3: '#F4D03F',
  2: '#E67E22',
  1: '#C0392B',
};
const LEVELS: readonly RatingLevel[] = [5, 4, 3, 2, 1];

const cut = (s: string, n: number) => {
  if (s.length <= n) return s;
  let end = n - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
};

const text = (t: string, over: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText => ({
  type: 'text',
  text: t.length > 0 ? t : '—',
  size: 'sm',
  wrap: true,
  ...over,
});

/** Segments sized by `flex` in proportion to the counts; an empty distribution is the bare track. */
export function distributionBar(levels: Record<RatingLevel, number>, noAnswer: number): messagingApi.FlexBox {
  const segments: messagingApi.FlexBox[] = [];
  for (const l of LEVELS) {
    if (levels[l] <= 0) continue;
    segments.push({ type: 'box', layout: 'vertical', flex: levels[l], backgroundColor: LEVEL_COLOR[l], contents: [] });
  }
  if (noAnswer > 0)
    segments.push({ type: 'box', layout: 'vertical', flex: noAnswer, backgroundColor: TRACK, contents: [] });
  return {
    type: 'box',
    layout: 'horizontal',
    margin: 'sm',
    height: '10px',
    backgroundColor: TRACK,
    contents: segments,
  };
}

function legend(levels: Record<RatingLevel, number>, noAnswer: number): messagingApi.FlexText {
  const spans: messagingApi.FlexSpan[] = [];
  for (const l of LEVELS) {
    spans.push({ type: 'span', text: '■ ', color: LEVEL_COLOR[l] });
    spans.push({ type: 'span', text: `${sar.levelShort(l, levels[l])}  ` });
  }
  spans.push({ type: 'span', text: sar.noAnswer(noAnswer), color: GREY });
  return { type: 'text', text: ' ', size: 'xxs', wrap: true, margin: 'sm', contents: spans };
}

function standardBlock(s: SarCardStandard, first: boolean): messagingApi.FlexComponent[] {
  const out: messagingApi.FlexComponent[] = [];
  if (!first) out.push({ type: 'separator', margin: 'lg' });
  out.push(
    text(cut(s.label, 120), { weight: 'bold', size: 'sm', color: GREEN, margin: first ? 'none' : 'lg', maxLines: 3 }),
    distributionBar(s.levels, s.noAnswer),
    legend(s.levels, s.noAnswer),
  );
  const below = s.belowTarget > 0;
  out.push({
    type: 'box',
    layout: 'horizontal',
    margin: 'sm',
    spacing: 'sm',
    alignItems: 'center',
    contents: [
      text(below ? sar.belowCount(s.belowTarget) : sar.belowNone, {
        size: 'xs',
        color: below ? RED : GREY,
        flex: 3,
      }),
      ...(below && s.namesData !== null
        ? [
            {
              type: 'button',
              style: 'secondary',
              height: 'sm',
              flex: 2,
              action: {
                type: 'postback',
                label: sar.namesButton,
                data: s.namesData,
                displayText: cut(sar.namesDisplay(s.label), 300),
              },
            } satisfies messagingApi.FlexButton,
          ]
        : []),
    ],
  });
  return out;
}

export function sarCardMessage(input: SarCardInput): messagingApi.FlexMessage {
  const header: messagingApi.FlexComponent[] = [
    text(sar.cardTitle, { color: '#FFFFFF', weight: 'bold', size: 'md' }),
    text(cut(input.campaign, 120), { color: '#FFFFFF', size: 'sm', maxLines: 3 }),
    ...(input.scope === undefined ? [] : [text(cut(input.scope, 200), { color: '#FFFFFF', size: 'xs', maxLines: 3 })]),
    text(input.status, { color: '#D7F2E6', size: 'xxs' }),
    text(sar.submitted(input.submitted, input.expected), { color: '#D7F2E6', size: 'xs', weight: 'bold' }),
  ];
  if (input.note !== null) header.push(text(cut(input.note, 200), { color: '#D7F2E6', size: 'xxs' }));
  const shown = input.standards.slice(0, MAX_STANDARDS);
  const body: messagingApi.FlexComponent[] =
    input.submitted === 0
      ? [text(sar.noData, { color: GREY, size: 'sm' })]
      : shown.flatMap((s, i) => standardBlock(s, i === 0));
  const more = input.standards.length - shown.length;
  if (input.submitted > 0 && more > 0)
    body.push(text(sar.moreStandards(more), { size: 'xxs', color: GREY, margin: 'md' }));
  return {
    type: 'flex',
    // The campaign's title is cut first so the count always shows in the chat list.
    altText: `${sar.altText(cut(input.campaign, 200))} · ${sar.submitted(input.submitted, input.expected)}`,
    contents: {
      type: 'bubble',
      size: 'mega',
      header: { type: 'box', layout: 'vertical', spacing: 'xs', backgroundColor: GREEN, contents: header },
      body: { type: 'box', layout: 'vertical', spacing: 'xs', contents: body },
    },
  };
}
