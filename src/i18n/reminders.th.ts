// The Thai wording of the daily bundle's rows. Dates come in already written in Thai with Buddhist-Era years.
/** The kinds of dated office events a bundle mentions. */
export type EventKind = 'meeting' | 'deadline' | 'report';

const eventWhat: Record<EventKind, string> = {
  meeting: 'ประชุม',
  deadline: 'ครบกำหนด',
  report: 'ส่งรายงาน',
};

export const reminders = {
  /** How far the due day is, from the person's local day. */
  dueIn: (days: number) => (days === 0 ? 'ครบกำหนดวันนี้' : days === 1 ? 'ครบกำหนดพรุ่งนี้' : `อีก ${days} วันครบกำหนด`),
  overdue: (days: number) => (days > 0 ? `เลยกำหนด ${days} วัน` : 'เลยกำหนดแล้ว'),
  dueOn: (date: string) => `กำหนดส่ง ${date}`,
  start: 'เริ่มทำ',
  resume: 'ทำต่อ',
  event: (kind: EventKind, inDays: number, date: string) =>
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
  today: 'วันนี้',
  tomorrow: 'พรุ่งนี้',
  open: 'เปิดดู',
  /** A button that answers with a one-time sign-in link to the item's web page. */
  openOnWeb: 'เปิดในเว็บ',
  record: 'บันทึกผล',
  announceTitle: (title: string) => `เปิดให้ตอบแล้ว: ${title}`,
  published: 'ประกาศจากสำนักงานเขตพื้นที่',
  openSelfAssessment: 'ทำแบบประเมินตนเอง',
  visitPlanned: (school: string) => `นัดหมายการนิเทศ ${school}`,
  visitMoved: (school: string) => `เลื่อนนัดนิเทศ ${school}`,
  visitCancelled: (school: string) => `ยกเลิกนัดนิเทศ ${school}`,
  visitReminder: (school: string) => `นัดนิเทศ ${school}`,
  visitRecord: (school: string) => `บันทึกผลการนิเทศ ${school} ได้แล้ว`,
  visitNote: (supervisor: string, purpose: string) =>
    [supervisor === '' ? '' : `ศึกษานิเทศก์ ${supervisor}`, purpose === '' ? '' : `ประเด็น: ${purpose}`]
      .filter((s) => s !== '')
      .join(' · '),
  actionTitle: (school: string) => `ข้อตกลงจากการนิเทศ ${school}`,
  actionDue: (date: string, inDays: number) =>
    inDays < 0
      ? `เลยกำหนด ${-inDays} วัน · ครบกำหนด ${date}`
      : inDays === 0
        ? `ครบกำหนดวันนี้ · ${date}`
        : `ครบกำหนด ${date}`,
  actionDone: 'ดำเนินการแล้ว',
  ackTitle: (school: string) => `ผู้อำนวยการรับทราบผลการนิเทศ ${school}`,
  commentTitle: (school: string) => `ความคิดเห็นต่อผลการนิเทศ ${school}`,
  submittedTitle: (n: number) => `ส่งแบบแล้ว ${n} รายการ`,
  submittedWhen: 'จากโรงเรียนในความรับผิดชอบ',
  submittedLine: (text: string, times: number) => `• ${text}${times > 1 ? ` (${times} ครั้ง)` : ''}`,
};
