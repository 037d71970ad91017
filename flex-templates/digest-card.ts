// The weekly digest as Flex: a summary bubble (overall progress, highlights, overdue schools, SAR standards below
// target, supervision visits), then one bubble per campaign with progress bars by cluster or school, and when the
// campaigns do not all fit LINE's carousel (12 bubbles, 50 KB) a last bubble that lists the rest compactly.
// The input is plain data already in Thai (dates with Buddhist-Era years are formatted by the caller).
import type { messagingApi } from '@line/bot-sdk';
import { percent } from '../src/i18n/percent.js';

export interface DigestGroup {
  /** A cluster (directors), a school (supervisors). */
  label: string;
  answered: number;
  expected: number;
}

export interface DigestCampaign {
  title: string;
  /** Thai due date, e.g. "1 ธ.ค. 2569". */
  due: string;
  overdue: boolean;
  /** "คน" for person-scope campaigns, "โรงเรียน" for school-scope ones. */
  unit: string;
  answered: number;
  expected: number;
  /** What `groups` are: "รายกลุ่มโรงเรียน", "รายโรงเรียน"; shown only when there are groups. */
  groupsTitle: string;
  groups: DigestGroup[];
  /** Who has not answered, shown inline (principals: their own teachers); `pendingMore` are not named. */
  pendingNames: string[];
  pendingMore: number;
  /** Postback data of the "ดูรายชื่อ" button; null hides it. */
  namesData: string | null;
}

export interface DigestOverdueRow {
  title: string;
  schools: number;
}

export interface DigestBelowTargetRow {
  /** "SAR ขั้นพื้นฐาน · มาตรฐานที่ 1 คุณภาพของผู้เรียน" */
  label: string;
  schools: number;
}

export interface DigestInput {
  title: string;
  /** Whose view this is: the office, "โรงเรียนในความรับผิดชอบ 12 แห่ง", a school's name. */
  scope: string;
  /** Thai long date of the digest. */
  date: string;
  /** "ภาคเรียนที่ 2/2569" when the calendar knows it. */
  term: string | null;
  highlights: string[];
  /** Null leaves the section out (principals); an empty list says "ไม่มี". */
  overdue: { rows: DigestOverdueRow[]; total: number; namesData: string | null } | null;
  belowTarget: { rows: DigestBelowTargetRow[]; namesData: string | null } | null;
  /** Null leaves the section out; 'none' says there is no supervision data yet. */
  visits: { done: number; planned: number } | 'none' | null;
  campaigns: DigestCampaign[];
}

export const MAX_BUBBLES = 12;
/** Below LINE's 50,000 bytes with room for the overflow bubble. */
const CAROUSEL_BUDGET = 47_000;
const OVERFLOW_BUDGET = 5_000;
const MAX_GROUPS = 6;
const MAX_HIGHLIGHTS = 4;
const MAX_SECTION_ROWS = 5;
const MAX_INLINE_NAMES = 8;

const GREEN = '#0B6E4F';
const AMBER = '#D68910';
const RED = '#C0392B';
const GREY = '#888888';
const TRACK = '#E5E8E8';

const cut = (s: string, n: number) => {
  if (s.length <= n) return s;
  let end = n - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
};
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
const fmt = (n: number) => n.toLocaleString('en-US');

export { percent };

const barColor = (p: number) => (p >= 80 ? GREEN : p >= 50 ? AMBER : RED);

const text = (t: string, over: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText => ({
  type: 'text',
  text: t.length > 0 ? t : '—',
  size: 'sm',
  wrap: true,
  ...over,
});

/** A track with a filled child whose width is the percentage: LINE's own recipe for a progress bar. */
export function progressBar(answered: number, expected: number, margin = 'xs'): messagingApi.FlexBox {
  const p = percent(answered, expected);
  return {
    type: 'box',
    layout: 'vertical',
    margin,
    height: '6px',
    backgroundColor: TRACK,
    contents: [
      { type: 'box', layout: 'vertical', width: `${p}%`, height: '6px', backgroundColor: barColor(p), contents: [] },
    ],
  };
}

const figure = (answered: number, expected: number, unit: string) =>
  expected > 0
    ? `${fmt(answered)}/${fmt(expected)}${unit.length > 0 ? ` ${unit}` : ''} (${percent(answered, expected)}%)`
    : 'ไม่มีผู้ต้องตอบ';

/** Label and figure over a bar; kept lean because a campaign bubble carries several of them. */
function labelledBar(label: string, answered: number, expected: number, unit: string): messagingApi.FlexBox {
  return {
    type: 'box',
    layout: 'vertical',
    margin: 'md',
    contents: [
      {
        type: 'box',
        layout: 'horizontal',
        contents: [
          { type: 'text', text: label.length > 0 ? label : '—', size: 'xs', color: '#555555', flex: 3, wrap: true },
          { type: 'text', text: figure(answered, expected, unit), size: 'xs', align: 'end', flex: 2 },
        ],
      },
      progressBar(answered, expected),
    ],
  };
}

const sectionTitle = (t: string): messagingApi.FlexText => text(t, { weight: 'bold', size: 'sm', color: GREEN });
const separator = (): messagingApi.FlexSeparator => ({ type: 'separator', margin: 'lg' });

function namesButton(data: string, what: string): messagingApi.FlexButton {
  return {
    type: 'button',
    style: 'secondary',
    height: 'sm',
    margin: 'md',
    action: { type: 'postback', label: 'ดูรายชื่อ', data, displayText: cut(`ดูรายชื่อ: ${what}`, 300) },
  };
}

function summaryBubble(input: DigestInput, overall: { answered: number; expected: number }): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [sectionTitle('ภาพรวมการตอบแบบประเมิน')];
  if (input.campaigns.length === 0) body.push(text('ไม่มีแบบประเมินที่เปิดอยู่', { size: 'xs', color: GREY }));
  else {
    body.push(text(`แบบประเมินที่เปิดอยู่ ${fmt(input.campaigns.length)} แบบ`, { size: 'xs', color: GREY }));
    body.push(labelledBar('ตอบแล้วรวม', overall.answered, overall.expected, 'รายการ'));
  }
  if (input.highlights.length > 0) {
    body.push(separator(), sectionTitle('ไฮไลต์ประจำสัปดาห์'));
    for (const h of input.highlights.slice(0, MAX_HIGHLIGHTS)) body.push(text(`• ${cut(h, 120)}`, { size: 'xs' }));
  }
  if (input.overdue !== null) {
    body.push(separator(), sectionTitle('โรงเรียนที่เลยกำหนดส่ง'));
    if (input.overdue.total === 0) body.push(text('ไม่มี', { size: 'xs', color: GREY }));
    else {
      body.push(text(`รวม ${fmt(input.overdue.total)} รายการ`, { size: 'xs', color: RED }));
      for (const r of input.overdue.rows.slice(0, MAX_SECTION_ROWS))
        body.push(row(cut(r.title, 60), `${fmt(r.schools)} โรงเรียน`));
      const more = input.overdue.rows.length - MAX_SECTION_ROWS;
      if (more > 0) body.push(text(`และอีก ${fmt(more)} แบบ`, { size: 'xxs', color: GREY }));
      if (input.overdue.namesData !== null) body.push(namesButton(input.overdue.namesData, 'โรงเรียนที่เลยกำหนดส่ง'));
    }
  }
  if (input.belowTarget !== null) {
    body.push(separator(), sectionTitle('มาตรฐานที่ต่ำกว่าค่าเป้าหมาย (SAR)'));
    if (input.belowTarget.rows.length === 0) body.push(text('ไม่มี', { size: 'xs', color: GREY }));
    else {
      for (const r of input.belowTarget.rows.slice(0, MAX_SECTION_ROWS))
        body.push(row(cut(r.label, 110), `${fmt(r.schools)} โรงเรียน`, 3));
      const more = input.belowTarget.rows.length - MAX_SECTION_ROWS;
      if (more > 0) body.push(text(`และอีก ${fmt(more)} มาตรฐาน`, { size: 'xxs', color: GREY }));
      if (input.belowTarget.namesData !== null)
        body.push(namesButton(input.belowTarget.namesData, 'โรงเรียนที่มาตรฐานต่ำกว่าค่าเป้าหมาย'));
    }
  }
  if (input.visits !== null) {
    body.push(separator(), sectionTitle('การนิเทศภาคเรียนนี้'));
    if (input.visits === 'none') body.push(text('ยังไม่มีข้อมูลการนิเทศ', { size: 'xs', color: GREY }));
    else body.push(labelledBar('นิเทศแล้ว / ตามแผน', input.visits.done, input.visits.planned, 'ครั้ง'));
  }
  return {
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: GREEN,
      contents: [
        text(cut(input.title, 60), { color: '#FFFFFF', weight: 'bold', size: 'lg' }),
        text(cut(input.scope, 100), { color: '#D7F2E6', size: 'xs', maxLines: 2 }),
        text([input.date, input.term].filter((s) => s !== null).join(' · '), { color: '#D7F2E6', size: 'xxs' }),
      ],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'xs', contents: body },
  };
}

function row(left: string, right: string, maxLines = 2): messagingApi.FlexBox {
  return {
    type: 'box',
    layout: 'horizontal',
    spacing: 'sm',
    contents: [
      text(left, { size: 'xs', flex: 3, maxLines }),
      text(right, { size: 'xs', flex: 2, align: 'end', wrap: false }),
    ],
  };
}

function campaignBubble(c: DigestCampaign): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [
    text(figure(c.answered, c.expected, c.unit), { weight: 'bold', size: 'md' }),
    progressBar(c.answered, c.expected, 'sm'),
  ];
  if (c.groups.length > 0) {
    body.push(separator(), sectionTitle(c.groupsTitle));
    for (const g of c.groups.slice(0, MAX_GROUPS)) body.push(labelledBar(cut(g.label, 40), g.answered, g.expected, ''));
    const more = c.groups.length - MAX_GROUPS;
    if (more > 0) body.push(text(`และอีก ${fmt(more)} กลุ่ม`, { size: 'xxs', color: GREY, margin: 'sm' }));
  }
  const pending = c.pendingNames.length + c.pendingMore;
  if (pending > 0 && (c.pendingNames.length > 0 || c.groups.length === 0)) {
    body.push(separator(), sectionTitle('ยังไม่ได้ตอบ'));
    const named = c.pendingNames.slice(0, MAX_INLINE_NAMES).map((n) => cut(n, 40));
    const unnamed = pending - named.length;
    body.push(
      text(
        [named.join(', '), unnamed > 0 ? `${named.length > 0 ? 'และอีก ' : ''}${fmt(unnamed)} ${c.unit}` : '']
          .filter((s) => s.length > 0)
          .join(' '),
        { size: 'xs', color: '#555555', maxLines: 6 },
      ),
    );
  }
  const complete = c.expected > 0 && c.answered >= c.expected;
  const footer: messagingApi.FlexComponent | null = complete
    ? text('ตอบครบแล้ว ✓', { color: GREEN, align: 'center', weight: 'bold' })
    : c.namesData !== null
      ? namesButton(c.namesData, cut(c.title, 200))
      : null;
  return {
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      spacing: 'xs',
      contents: [
        text(cut(c.title, 120), { weight: 'bold', maxLines: 3 }),
        text(`${c.overdue ? 'เลยกำหนดส่ง' : 'กำหนดส่ง'} ${c.due}`, { size: 'xxs', color: c.overdue ? RED : GREY }),
      ],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'xs', contents: body },
    ...(footer === null ? {} : { footer: { type: 'box', layout: 'vertical', contents: [footer] } }),
  };
}

function overflowBubble(rest: DigestCampaign[]): messagingApi.FlexBubble {
  const shell = (rows: messagingApi.FlexComponent[], more: number): messagingApi.FlexBubble => ({
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      contents: [text(`แบบประเมินอื่นอีก ${fmt(rest.length)} แบบ`, { weight: 'bold' })],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: [...rows, ...(more > 0 ? [text(`และอีก ${fmt(more)} แบบ`, { size: 'xxs', color: GREY })] : [])],
    },
  });
  const rows: messagingApi.FlexComponent[] = [];
  for (const c of rest) {
    const next = labelledBar(cut(c.title, 50), c.answered, c.expected, c.unit);
    if (bytes(shell([...rows, next], rest.length - rows.length - 1)) > OVERFLOW_BUDGET) break;
    rows.push(next);
  }
  return shell(rows, rest.length - rows.length);
}

function altText(input: DigestInput, overall: { answered: number; expected: number }): string {
  const parts = [`${input.title}: ${input.scope}`];
  if (overall.expected > 0) parts.push(`ตอบแล้ว ${percent(overall.answered, overall.expected)}%`);
  if (input.overdue !== null && input.overdue.total > 0) parts.push(`เลยกำหนด ${fmt(input.overdue.total)} รายการ`);
  return cut(parts.join(' · '), 400);
}

/** The whole digest as one Flex message: a bubble alone, or a carousel within LINE's limits. */
export function digestMessage(input: DigestInput): messagingApi.FlexMessage {
  const overall = input.campaigns.reduce(
    (acc, c) => ({ answered: acc.answered + Math.min(c.answered, c.expected), expected: acc.expected + c.expected }),
    { answered: 0, expected: 0 },
  );
  const first = summaryBubble(input, overall);
  const bubbles: messagingApi.FlexBubble[] = [first];
  let used = bytes(first);
  let shown = 0;
  // Take campaign bubbles while they fit; keep one slot and its bytes for the overflow bubble if any remain.
  while (shown < input.campaigns.length) {
    const c = input.campaigns[shown];
    if (c === undefined) break;
    const isLast = shown === input.campaigns.length - 1;
    const slotsLeft = MAX_BUBBLES - bubbles.length;
    const b = campaignBubble(c);
    const size = bytes(b);
    const reserve = isLast ? 0 : OVERFLOW_BUDGET;
    if ((isLast ? slotsLeft < 1 : slotsLeft < 2) || used + size + reserve > CAROUSEL_BUDGET) break;
    bubbles.push(b);
    used += size;
    shown++;
  }
  if (shown < input.campaigns.length) bubbles.push(overflowBubble(input.campaigns.slice(shown)));
  const contents: messagingApi.FlexContainer = bubbles.length === 1 ? first : { type: 'carousel', contents: bubbles };
  return { type: 'flex', altText: altText(input, overall), contents };
}
