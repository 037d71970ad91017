// The daily reminder: everything due for one person on one local day in one push ("วันนี้มี N เรื่อง").
// One row per item; a campaign row carries a button that opens it, calendar and follow-up rows carry none.
// Rows past MAX_ROWS are counted in the footer, whose button opens the full checklist list.
import type { messagingApi } from '@line/bot-sdk';
import { clip } from '../src/line/messages.js';

export interface ReminderRow {
  title: string;
  /** When: the Thai date (Buddhist Era) and how far away or how late, e.g. "เลยกำหนด 2 วัน · กำหนดส่ง …". */
  when: string;
  overdue: boolean;
  /** A further line, such as who has not answered yet. */
  note?: string;
  /** The row's button; postback data without a step token, so a tap works from any old card. */
  action?: { label: string; data: string };
}

export interface ReminderCard {
  /** The person's local day, in Thai with the Buddhist-Era year. */
  date: string;
  rows: ReminderRow[];
  /** Postback data of the footer buttons: the whole list, and the reminder settings (hour, mute). */
  listData: string;
  settingsData: string;
}

/** Ten rows of the longest titles and notes stay near 12 KB, well below LINE's 30 KB per bubble. */
export const MAX_ROWS = 10;
const TITLE_CHARS = 90;
const WHEN_CHARS = 120;
const NOTE_CHARS = 240;
const ALT_CHARS = 400;
const RED = '#C0392B';
const GREEN = '#0B6E4F';

export const reminderHeading = (n: number) => `วันนี้มี ${n} เรื่อง`;

function rowBox(r: ReminderRow): messagingApi.FlexBox {
  const contents: messagingApi.FlexComponent[] = [
    // LINE refuses an empty text; a title is never meant to be empty, but data is data.
    { type: 'text', text: clip(r.title, TITLE_CHARS) || '-', weight: 'bold', size: 'sm', wrap: true, maxLines: 3 },
    {
      type: 'text',
      text: clip(`${r.overdue ? '⚠ ' : ''}${r.when}`, WHEN_CHARS) || '-',
      size: 'xs',
      color: r.overdue ? RED : '#666666',
      wrap: true,
    },
  ];
  if (r.note !== undefined && r.note !== '') {
    contents.push({ type: 'text', text: clip(r.note, NOTE_CHARS), size: 'xs', color: '#333333', wrap: true });
  }
  if (r.action !== undefined) {
    contents.push({
      type: 'button',
      style: 'primary',
      height: 'sm',
      color: r.overdue ? RED : GREEN,
      action: {
        type: 'postback',
        label: clip(r.action.label, 20),
        data: r.action.data,
        displayText: clip(`${r.action.label}: ${r.title}`, 300),
      },
    });
  }
  return {
    type: 'box',
    layout: 'vertical',
    spacing: 'xs',
    paddingAll: 'md',
    backgroundColor: r.overdue ? '#FDEDEC' : '#F7F7F7',
    cornerRadius: 'md',
    contents,
  };
}

export function reminderMessage(card: ReminderCard): messagingApi.FlexMessage {
  const shown = card.rows.slice(0, MAX_ROWS);
  const rest = card.rows.length - shown.length;
  const heading = reminderHeading(card.rows.length);
  const footer: messagingApi.FlexComponent[] = [];
  if (rest > 0) {
    footer.push(
      { type: 'text', text: `และอีก ${rest} เรื่อง`, size: 'sm', color: '#555555', align: 'center' },
      {
        type: 'button',
        style: 'secondary',
        height: 'sm',
        action: { type: 'postback', label: 'ดูทั้งหมด', data: card.listData, displayText: 'เช็กลิสต์ของฉัน' },
      },
    );
  }
  footer.push({
    type: 'button',
    style: 'link',
    height: 'sm',
    action: {
      type: 'postback',
      label: 'ตั้งค่าแจ้งเตือน',
      data: card.settingsData,
      displayText: 'ตั้งค่าการแจ้งเตือน',
    },
  });
  const bubble: messagingApi.FlexBubble = {
    type: 'bubble',
    size: 'giga',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: GREEN,
      contents: [
        { type: 'text', text: heading, color: '#FFFFFF', weight: 'bold', size: 'lg' },
        { type: 'text', text: card.date, color: '#D7F2E6', size: 'xs', wrap: true },
      ],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'md',
      // Never planned empty; the text keeps the bubble valid if a caller ever passes no rows.
      contents: shown.length > 0 ? shown.map(rowBox) : [{ type: 'text', text: 'ไม่มีเรื่องค้าง', size: 'sm' }],
    },
    footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer },
  };
  // The notification preview shows the altText: the count first, then as many titles as fit.
  const titles = card.rows.map((r) => `${r.overdue ? '⚠' : '•'} ${r.title}`).join(' ');
  return { type: 'flex', altText: clip(`${heading}: ${titles}`, ALT_CHARS), contents: bubble };
}
