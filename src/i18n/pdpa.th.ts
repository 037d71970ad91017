// What the PDPA rights in chat say: a copy of one's data, and erasure. Thai first with a short English line.
import type { Role } from '../db/schema.js';
import { roleLabel } from './th.js';

export interface PersonalDataView {
  name: string;
  role: Role;
  school: string | null;
  office: string;
  linkedAt: string | null;
  noticeAt: string | null;
  muted: boolean;
  reminderHour: number;
  responses: number;
  answers: number;
  evidence: number;
  campaigns: { title: string; responses: number; answers: number; evidence: number }[];
  /** SAR feedback written by the person (a supervisor), and feedback they acknowledged / replied to. */
  feedbackWritten: number;
  feedbackAnswered: number;
  feedbackReplies: number;
}

export const pdpa = {
  /** The name an erased person keeps in records (the official answers stay, anonymised). */
  erasedName: '(ลบแล้ว)',
  copyHeader: 'สำเนาข้อมูลส่วนบุคคลของท่านที่ระบบ "นิเทศ" เก็บไว้\n(A copy of the personal data held about you.)',
  copy: (d: PersonalDataView, date: (iso: string) => string) =>
    [
      `• ชื่อ: ${d.name}`,
      `• บทบาท: ${roleLabel[d.role]}`,
      `• โรงเรียน: ${d.school ?? '-'}`,
      `• หน่วยงาน: ${d.office}`,
      `• เชื่อมบัญชี LINE เมื่อ: ${d.linkedAt === null ? '-' : date(d.linkedAt)}`,
      `• รับทราบประกาศความเป็นส่วนตัวเมื่อ: ${d.noticeAt === null ? '-' : date(d.noticeAt)}`,
      `• การแจ้งเตือน: ${d.muted ? 'ปิดอยู่' : 'เปิดอยู่'} เวลา ${String(d.reminderHour).padStart(2, '0')}:00 น.`,
      `• แบบที่เริ่มตอบ: ${d.responses} ชุด · คำตอบ: ${d.answers} ข้อ · ไฟล์หลักฐาน: ${d.evidence} ไฟล์`,
      `• ข้อเสนอแนะ SAR ที่เขียน: ${d.feedbackWritten} ข้อ · ที่รับทราบ: ${d.feedbackAnswered} ข้อ · ที่ตอบกลับ: ${d.feedbackReplies} ข้อ`,
    ].join('\n'),
  campaignsHeader: 'ตามแบบ (campaign):',
  campaignLine: (c: PersonalDataView['campaigns'][number]) =>
    `• ${c.title}: ${c.responses} ชุด, ${c.answers} คำตอบ, ${c.evidence} ไฟล์`,
  moreCampaigns: (n: number) => `และอีก ${n} แบบ`,
  copyFooter:
    'ขอลบข้อมูลได้โดยพิมพ์ "ลบข้อมูลของฉัน" สอบถามเพิ่มเติมได้ที่ผู้ดูแลระบบของหน่วยงาน\n(To ask for erasure, type "ลบข้อมูลของฉัน".)',
  notFound: 'ไม่พบข้อมูลของท่านในระบบ (No data found.)',
  eraseExplain: [
    'การลบข้อมูลของท่านจะ:',
    '• ยกเลิกการเชื่อมบัญชี LINE นี้กับระบบ',
    '• ลบชื่อและรหัสผู้ใช้ LINE ของท่าน',
    '• คงคำตอบที่ส่งแล้วไว้แบบไม่ระบุตัวตน เพราะหน่วยงานต้องเก็บเป็นเอกสารราชการ',
    'ดำเนินการทันที (ภายในกำหนด 90 วันตามกฎหมาย) หากต้องการใช้งานอีกต้องขอรหัสเชิญใหม่',
    'ยืนยันโดยแตะปุ่ม หรือพิมพ์ "ยืนยันลบ" · ข้อความอื่นจะยกเลิกคำขอ',
    '(Erasure unlinks this LINE account and erases your name and LINE id; anonymised answers stay as official records. Tap or type "ยืนยันลบ" to confirm.)',
  ].join('\n'),
  confirmWord: 'ยืนยันลบ',
  keepWord: 'ไม่ลบ',
  erased:
    'ลบข้อมูลของท่านเรียบร้อยแล้ว บัญชี LINE นี้ไม่เชื่อมกับระบบอีกต่อไป ขอบคุณที่ใช้งาน "นิเทศ"\n(Your data was erased and this LINE account unlinked.)',
  eraseCancelled: 'ยกเลิกคำขอลบข้อมูลแล้ว ข้อมูลของท่านยังอยู่ครบ\n(Erasure cancelled; nothing was deleted.)',
} as const;
