// The Thai wording of reminder rows. Dates come in already written in Thai with Buddhist-Era years.
import type { EventItem } from '../reminders/reminders.queries.js';

const eventWhat: Record<EventItem['kind'], string> = {
  meeting: 'ประชุม',
  deadline: 'ครบกำหนด',
  report: 'ส่งรายงาน',
};

export const rt = {
  /** How far the due day is, from the person's local day. */
  dueIn: (days: number) => (days === 0 ? 'ครบกำหนดวันนี้' : days === 1 ? 'ครบกำหนดพรุ่งนี้' : `อีก ${days} วันครบกำหนด`),
  overdue: (days: number) => (days > 0 ? `เลยกำหนด ${days} วัน` : 'เลยกำหนดแล้ว'),
  dueOn: (date: string) => `กำหนดส่ง ${date}`,
  start: 'เริ่มทำ',
  resume: 'ทำต่อ',
  event: (kind: EventItem['kind'], inDays: number, date: string) =>
    `${eventWhat[kind]}${inDays === 0 ? 'วันนี้' : 'พรุ่งนี้'} · ${date}`,
  teachersTitle: (title: string) => `ครูที่ยังไม่ส่ง: ${title}`,
  teachersNote: (n: number, names: string[]) =>
    `${n} คน: ${names.join(', ')}${n > names.length ? ` และอีก ${n - names.length} คน` : ''}`,
  schoolsTitle: (title: string) => `โรงเรียนที่ยังไม่ส่ง: ${title}`,
  schoolsNote: (schools: number, people: number, perPerson: boolean, list: { s: string; n: number }[]) => {
    const head = perPerson ? `${schools} โรงเรียน (${people} คน)` : `${schools} โรงเรียน`;
    const names = list.map((x) => (perPerson ? `${x.s} (${x.n})` : x.s)).join(', ');
    return `${head}: ${names}${schools > list.length ? ` และอีก ${schools - list.length} โรงเรียน` : ''}`;
  },
};
