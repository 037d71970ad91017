// Supervision visit cards: the principal's notice of a planned visit (with the pre-visit self-assessment button),
// the findings summary the principal acknowledges, and the supervisor's list of visits with their actions.
import type { messagingApi } from '@line/bot-sdk';

const GREEN = '#0B6E4F';
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const row = (label: string, value: string, maxLines = 3): messagingApi.FlexBox => ({
  type: 'box',
  layout: 'baseline',
  spacing: 'sm',
  contents: [
    { type: 'text', text: label, size: 'sm', color: '#888888', flex: 3, wrap: true },
    { type: 'text', text: cut(value, 300), size: 'sm', color: '#333333', flex: 6, wrap: true, maxLines },
  ],
});

const header = (title: string, subtitle: string): messagingApi.FlexBox => ({
  type: 'box',
  layout: 'vertical',
  backgroundColor: GREEN,
  contents: [
    { type: 'text', text: cut(title, 60), color: '#FFFFFF', weight: 'bold', size: 'md', wrap: true, maxLines: 2 },
    { type: 'text', text: cut(subtitle, 80), color: '#D7F2E6', size: 'xs', wrap: true, maxLines: 2 },
  ],
});

const button = (label: string, data: string, primary: boolean): messagingApi.FlexComponent => ({
  type: 'button',
  style: primary ? 'primary' : 'secondary',
  ...(primary ? { color: GREEN } : {}),
  height: 'sm',
  action: { type: 'postback', label: cut(label, 20), data, displayText: label },
});

export interface VisitNotice {
  title: string;
  school: string;
  when: string;
  supervisor: string;
  purpose: string;
  /** A button (the self-assessment), when there is one. */
  button: { label: string; data: string } | null;
}

export function visitNoticeBubble(n: VisitNotice): messagingApi.FlexBubble {
  return {
    type: 'bubble',
    size: 'mega',
    header: header(n.title, n.school),
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: [row('วันเวลา', n.when), row('ศึกษานิเทศก์', n.supervisor), row('ประเด็น', n.purpose, 5)],
    },
    ...(n.button === null
      ? {}
      : { footer: { type: 'box', layout: 'vertical', contents: [button(n.button.label, n.button.data, true)] } }),
  };
}

export interface VisitSummary {
  title: string;
  school: string;
  when: string;
  supervisor: string;
  overall: string | null;
  decision: string | null;
  ratings: { label: string; level: string }[];
  strengths: string | null;
  improve: string | null;
  suggestions: string | null;
  photos: number;
  actions: { what: string; owner: string | null; due: string | null }[];
  buttons: { label: string; data: string }[];
}

const section = (title: string, text: string): messagingApi.FlexComponent[] => [
  { type: 'text', text: title, size: 'sm', weight: 'bold', margin: 'md', color: GREEN },
  { type: 'text', text: cut(text, 600), size: 'sm', wrap: true, color: '#333333', maxLines: 12 },
];

export function visitSummaryBubble(s: VisitSummary): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [
    row('วันที่นิเทศ', s.when),
    row('ศึกษานิเทศก์', s.supervisor),
    ...(s.overall === null ? [] : [row('ระดับคุณภาพโดยรวม', s.overall)]),
    ...(s.decision === null ? [] : [row('ผลการประเมิน', s.decision)]),
  ];
  if (s.ratings.length > 0) {
    body.push({ type: 'separator', margin: 'md' });
    for (const r of s.ratings.slice(0, 12)) body.push(row(cut(r.label, 60), r.level, 2));
  }
  if (s.strengths !== null) body.push(...section('จุดเด่น', s.strengths));
  if (s.improve !== null) body.push(...section('จุดที่ควรพัฒนา', s.improve));
  if (s.suggestions !== null) body.push(...section('ข้อเสนอแนะ', s.suggestions));
  if (s.actions.length > 0) {
    body.push(
      ...section(
        `ข้อตกลงที่ต้องดำเนินการ (${s.actions.length})`,
        s.actions
          .slice(0, 10)
          .map(
            (a, i) =>
              `${i + 1}. ${cut(a.what, 120)}${a.owner === null ? '' : ` — ${cut(a.owner, 60)}`}${a.due === null ? '' : ` (${a.due})`}`,
          )
          .join('\n'),
      ),
    );
  }
  if (s.photos > 0) body.push({ type: 'text', text: `ภาพหลักฐาน ${s.photos} ภาพ`, size: 'xs', color: '#888888' });
  return {
    type: 'bubble',
    size: 'giga',
    header: header(s.title, s.school),
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
    ...(s.buttons.length === 0
      ? {}
      : {
          footer: {
            type: 'box',
            layout: 'vertical',
            spacing: 'sm',
            contents: s.buttons.map((b, i) => button(b.label, b.data, i === 0)),
          },
        }),
  };
}

export interface VisitListItem {
  school: string;
  when: string;
  purpose: string;
  status: string;
  buttons: { label: string; data: string }[];
}

export function visitListCarousel(items: VisitListItem[]): messagingApi.FlexCarousel {
  return {
    type: 'carousel',
    contents: items.slice(0, 10).map((v) => ({
      type: 'bubble',
      size: 'kilo',
      header: header(v.school, v.status),
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [row('วันเวลา', v.when), row('ประเด็น', v.purpose, 3)],
      },
      ...(v.buttons.length === 0
        ? {}
        : {
            footer: {
              type: 'box',
              layout: 'vertical',
              spacing: 'sm',
              contents: v.buttons.map((b, i) => button(b.label, b.data, i === 0)),
            },
          }),
    })),
  };
}
