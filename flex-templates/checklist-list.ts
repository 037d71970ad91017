// "เช็กลิสต์ของฉัน": the person's open checklists with status and due date, each row a button that opens it.
import type { messagingApi } from '@line/bot-sdk';

export interface ChecklistRow {
  title: string;
  status: 'in_progress' | 'submitted' | null;
  /** Thai date with Buddhist-Era year. */
  due: string;
  overdue: boolean;
  /** False for a submitted response past its due date: shown, not opened. */
  editable: boolean;
  data: string;
}

const statusText = (r: ChecklistRow) =>
  r.status === 'submitted' ? 'ส่งแล้ว' : r.status === 'in_progress' ? 'ทำค้างไว้' : 'ยังไม่เริ่ม';
const statusColor = (r: ChecklistRow) =>
  r.status === 'submitted' ? '#0B6E4F' : r.overdue ? '#C0392B' : r.status === 'in_progress' ? '#D68910' : '#555555';
const buttonLabel = (r: ChecklistRow) =>
  r.status === 'submitted' ? 'ดู/แก้ไข' : r.status === 'in_progress' ? 'ทำต่อ' : 'เริ่ม';

/** At most 10 rows of at most 90-character titles keep the bubble well below LINE's 30 KB. */
export const MAX_ROWS = 10;
const TITLE_CHARS = 90;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function checklistListBubble(input: { title: string; rows: ChecklistRow[] }): messagingApi.FlexBubble {
  const shown = input.rows.slice(0, MAX_ROWS);
  const rest = input.rows.length - shown.length;
  const rowBox = (r: ChecklistRow): messagingApi.FlexBox => ({
    type: 'box',
    layout: 'vertical',
    spacing: 'xs',
    paddingAll: 'md',
    backgroundColor: '#F7F7F7',
    cornerRadius: 'md',
    contents: [
      { type: 'text', text: cut(r.title, TITLE_CHARS), weight: 'bold', size: 'sm', wrap: true, maxLines: 3 },
      {
        type: 'box',
        layout: 'baseline',
        spacing: 'sm',
        contents: [
          { type: 'text', text: statusText(r), size: 'xs', color: statusColor(r), flex: 0 },
          {
            type: 'text',
            text: `${r.overdue ? 'เลยกำหนด ' : 'กำหนดส่ง '}${r.due}`,
            size: 'xs',
            color: '#888888',
            wrap: true,
          },
        ],
      },
      ...(r.editable
        ? [
            {
              type: 'button' as const,
              style: 'primary' as const,
              height: 'sm' as const,
              color: '#0B6E4F',
              action: {
                type: 'postback' as const,
                label: buttonLabel(r),
                data: r.data,
                displayText: `${buttonLabel(r)}: ${r.title}`.slice(0, 300),
              },
            },
          ]
        : []),
    ],
  });
  return {
    type: 'bubble',
    size: 'giga',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: '#0B6E4F',
      contents: [
        { type: 'text', text: input.title, color: '#FFFFFF', weight: 'bold', size: 'lg' },
        { type: 'text', text: `${input.rows.length} รายการ`, color: '#D7F2E6', size: 'xs' },
      ],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'md', contents: shown.map(rowBox) },
    ...(rest > 0
      ? {
          footer: {
            type: 'box',
            layout: 'vertical',
            contents: [
              {
                type: 'text',
                text: `และอีก ${rest} รายการ (ทำรายการด้านบนให้เสร็จก่อน)`,
                size: 'xs',
                color: '#888888',
                wrap: true,
              },
            ],
          },
        }
      : {}),
  };
}
