// The admin pages' words, Thai first with a short English line after it, in one place (as src/i18n/ does for
// the chat). Pages pick entries from here; numbers and dates are formatted by the helpers at the bottom.
import type { PersonStatus } from '../db/schema.js';
import { percent } from '../i18n/percent.js';
import { thaiShortDate, thaiTime } from '../time/thai.js';

export const t = {
  appName: 'นิเทศ · ผู้ดูแลระบบ',
  signInTitle: 'เข้าสู่ระบบผู้ดูแล',
  signInTitleEn: 'Admin sign-in',
  tokenLabel: 'รหัสผู้ดูแลระบบ (ADMIN_TOKEN)',
  signIn: 'เข้าสู่ระบบ / Sign in',
  signOut: 'ออกจากระบบ / Sign out',
  wrongToken: 'รหัสผู้ดูแลระบบไม่ถูกต้อง กรุณาลองอีกครั้ง',
  wrongTokenEn: 'That admin token is not right; please try again.',
  tooManyTries: (minutes: number) => `ใส่รหัสผิดหลายครั้งเกินไป กรุณารอประมาณ ${minutes} นาทีแล้วลองใหม่`,
  tooManyTriesEn: 'Too many wrong tokens from this network; please wait and try again.',
  offices: 'สำนักงานเขตพื้นที่การศึกษา / Offices',
  noOffices: 'ยังไม่มีสำนักงาน สร้างได้ด้วย npm run cli -- seed demo หรือ API / No offices yet.',
  dashboard: 'ภาพรวม / Dashboard',
  people: 'บุคลากรและรหัสเชิญ / People and invites',
  campaigns: 'การติดตาม (แบบสำรวจ/แบบประเมิน) / Campaigns',
  exports: 'ส่งออกข้อมูล / Exports',
  imports: 'นำเข้าข้อมูล / Imports',
  inviteSheets: 'ใบเชิญ / Invite sheets',
  settings: 'ตั้งค่า / Settings',
  audit: 'บันทึกการใช้งาน / Audit log',
  completion: 'ความคืบหน้าการตอบ / Completion of open campaigns',
  noOpenCampaigns: 'ไม่มีการติดตามที่เปิดอยู่ / No open campaigns',
  campaign: 'การติดตาม / Campaign',
  submitted: 'ส่งแล้ว / Submitted',
  expected: 'ต้องส่ง / Expected',
  percent: 'ร้อยละ / %',
  overdue: 'เลยกำหนด / Overdue',
  due: 'กำหนดส่ง / Due',
  visits: 'การนิเทศ / Supervision visits',
  visitedThisTerm: 'โรงเรียนที่นิเทศแล้วในภาคเรียนนี้ / Schools visited this semester',
  schoolsWithMain: 'โรงเรียนที่มีศึกษานิเทศก์หลัก / Schools with a main supervisor',
  plannedNext14: 'นัดนิเทศใน 14 วันข้างหน้า / Visits planned in the next 14 days',
  noTerm: 'ยังไม่มีภาคเรียนปัจจุบันในปฏิทินของสำนักงาน / No current term in the office calendar',
  noYearTerm: (year: number) =>
    `ปีการศึกษา ${year} ยังไม่มีภาคเรียนในปฏิทินของสำนักงาน การนับการนิเทศและสรุป "ภาคเรียนนี้" ต้องมีภาคเรียนก่อน / Academic year ${year} has no term in the office calendar: visits and digests count "this semester" from terms.`,
  toCalendar: 'ไปที่ปฏิทิน / Open the calendar',
  outbox: 'การส่งข้อความ / Sending (outbox)',
  pending: 'รอส่ง / Pending',
  dead: 'ส่งไม่สำเร็จ / Dead',
  oldestPending: 'รอนานที่สุด / Oldest pending',
  sentToday: 'ส่งแล้ววันนี้ / Sent today',
  pushes: 'ข้อความ push เดือนนี้ / Pushes this month',
  quota: 'โควตา / Quota',
  quotaUnknown: 'ยังไม่ทราบโควตา / quota not checked yet',
  pausedUntil: 'หยุดส่งชั่วคราวถึง / Sends paused until',
  name: 'ชื่อ / Name',
  role: 'บทบาท / Role',
  school: 'โรงเรียน / School',
  status: 'สถานะ / Status',
  line: 'LINE',
  invite: 'รหัสเชิญ / Invite',
  search: 'ค้นหาชื่อหรือรหัส / Search name or id',
  filter: 'กรอง / Filter',
  all: 'ทั้งหมด / All',
  linked: 'เชื่อมแล้ว / Linked',
  notLinked: 'ยังไม่เชื่อม / Not linked',
  inviteUntil: 'มีรหัสถึง / Code valid until',
  issueInvite: 'ออกรหัสเชิญใหม่ / New invite',
  noPeople: 'ไม่พบบุคลากรตามเงื่อนไข / No one matches',
  nextPage: 'หน้าถัดไป / Next page',
  firstPage: 'หน้าแรก / First page',
  inviteIssued: 'ออกรหัสเชิญแล้ว / Invite issued',
  inviteOnce:
    'รหัสนี้แสดงเพียงครั้งเดียว กรุณาส่งให้เจ้าตัวทางช่องทางที่ปลอดภัย ผู้ใช้พิมพ์รหัสในแชต LINE ของสำนักงานเพื่อเชื่อมบัญชี / This code is shown once: pass it on safely; the person types it in the office LINE chat.',
  expires: 'หมดอายุ / Expires',
  backToPeople: 'กลับไปหน้ารายชื่อ / Back to people',
  checklist: 'แบบฟอร์ม / Checklist',
  audience: 'กลุ่มเป้าหมาย / Audience',
  dates: 'ช่วงเวลา / Dates',
  open: 'เปิดอยู่ / Open',
  notYetOpen: 'ยังไม่เปิด / Not yet open',
  closed: 'ปิดแล้ว / Closed',
  pastDue: 'เลยกำหนด (ยังเปิด) / Past due',
  noCampaigns: 'ยังไม่มีการติดตาม / No campaigns yet',
  exportLinks: 'ดาวน์โหลด / Download',
  responses: 'คำตอบ / Responses',
  completionExport: 'ความคืบหน้า / Completion',
  sar: 'สรุป SAR / SAR synthesis',
  visitLog: 'บันทึกการนิเทศทั้งหมด / Visit log',
  exportsNote:
    'ไฟล์ CSV เปิดได้ใน Excel และ Google Sheets (UTF-8) การดาวน์โหลดทุกครั้งถูกบันทึกไว้ / CSV opens in Excel and Google Sheets; every download is audited.',
  time: 'เวลา / Time',
  action: 'การกระทำ / Action',
  target: 'เป้าหมาย / Target',
  detail: 'รายละเอียด / Detail',
  actor: 'ผู้ดำเนินการ / Actor',
  noAudit: 'ไม่มีรายการ / No entries',
  pdpa: 'คำขอตาม PDPA / PDPA requests',
  pdpaNote:
    'คำขอใช้สิทธิ์ของเจ้าของข้อมูลที่ส่งทางแชต สำนักงานต้องให้สำเนาข้อมูลภายใน 30 วัน และลบข้อมูลภายใน 90 วัน ไม่แสดงชื่อของผู้ที่ลบข้อมูลแล้ว มีเพียงรหัสอ้างอิง / Requests made in the chat: a copy is due within 30 days, an erasure within 90. Erased people are shown by id only.',
  pdpaOpen: 'คำขอที่ค้างอยู่ / Open requests',
  pdpaOverdue: 'ค้างเกินกำหนด / Open past the limit',
  pdpaLate: 'ดำเนินการช้ากว่ากำหนด / Answered late',
  pdpaKind: 'ประเภทคำขอ / Request',
  pdpaCopy: 'ขอสำเนาข้อมูล / Copy of data',
  pdpaErase: 'ลบข้อมูล / Erasure',
  requested: 'วันที่ขอ / Requested',
  completed: 'ดำเนินการเสร็จ / Completed',
  daysTaken: 'จำนวนวัน / Days',
  personId: 'รหัสอ้างอิงบุคคล / Person id',
  onTime: 'ทันเวลา / On time',
  late: 'เกินกำหนด / Overdue',
  openFor: (days: number) => `ค้างอยู่ ${days} วัน / Open for ${days} days`,
  noPdpa: 'ยังไม่มีคำขอ / No requests yet',
  notFound: 'ไม่พบหน้าที่ต้องการ / Not found',
  forbidden:
    'คำขอถูกปฏิเสธ: บทบาทของท่านไม่มีสิทธิ์ในหน้านี้ หรือคำขอส่งมาจากเว็บไซต์อื่น / Refused: not allowed for your role, or sent from another site',
  mySchools: 'โรงเรียนในความรับผิดชอบ / My schools',
  noSchoolsAssigned: 'ยังไม่มีโรงเรียนที่มอบหมายให้ท่าน / No schools assigned to you yet',
  mainSupervisor: 'ศึกษานิเทศก์หลัก / main supervisor',
  error: 'เกิดข้อผิดพลาด กรุณาลองใหม่ / Something went wrong; please try again',
  badRequest: 'ข้อมูลที่ส่งมาไม่ถูกต้อง / The request is not valid',
  tooLarge: 'ไฟล์หรือข้อมูลที่ส่งมาใหญ่เกินกำหนด / What was sent is over the size limit',
  skipToContent: 'ข้ามไปยังเนื้อหา / Skip to content',
} as const;

export const statusLabel: Record<PersonStatus, string> = {
  invited: 'รอเชื่อมบัญชี / invited',
  active: 'ใช้งาน / active',
  blocked: 'บล็อกบอท / blocked',
  erased: 'ลบข้อมูลแล้ว / erased',
};

/** "1 ม.ค. 2570 08:05 น." in the office's time zone. */
export const thaiDateTime = (ms: number, tz: string) => `${thaiShortDate(ms, tz)} ${thaiTime(ms, tz)} น.`;

export const num = (n: number) => n.toLocaleString('th-TH');

/** Whole percent, or a dash when nothing is expected. */
export const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${percent(part, whole)}%`);

/** A duration as Thai days/hours/minutes: "2 วัน 3 ชม.", "45 นาที". */
export function thaiAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} วัน ${hours} ชม.`;
  if (hours > 0) return `${hours} ชม. ${minutes % 60} นาที`;
  return `${minutes} นาที`;
}
