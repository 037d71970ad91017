// What SAR feedback (ข้อเสนอแนะ) says in chat, Thai first, English second.
import { ratingLevels, type RatingLevel } from './answers.th.js';

export const sarFeedback = {
  summaryHead: (school: string, title: string, submitted: string) => `SAR ${school}\n${title} (ส่งเมื่อ ${submitted})`,
  standardLine: (label: string, level: RatingLevel | null, target: RatingLevel | null) =>
    `▪ ${label}: ${level === null ? 'ไม่ระบุระดับ' : `${level} ${ratingLevels[level].th}`}${
      target === null
        ? ''
        : ` · เป้าหมาย ${target}${level !== null && level < target ? ' (ต่ำกว่าเป้าหมาย)' : ' (ถึงเป้าหมาย)'}`
    }`,
  strengths: (text: string) => `  จุดเด่น: ${text}`,
  improve: (text: string) => `  จุดที่ควรพัฒนา: ${text}`,
  pickFeedback: 'ส่งข้อเสนอแนะรายมาตรฐานหรือภาพรวม: กดปุ่มด้านล่าง\n(Send feedback on a standard or overall.)',
  overall: 'ภาพรวม',
  standardShort: (n: string) => `มาตรฐานที่ ${n}`,
  noSar: (school: string) => `${school} ยังไม่ได้ส่ง SAR ในระบบ\n(This school has not submitted a SAR yet.)`,
  pickSchool: (lines: string[]) =>
    `พิมพ์ "SAR" ตามด้วยชื่อโรงเรียน เช่น "SAR ${lines[0]?.replace(/^\d+\. /, '').replace(/ \(.*$/, '') ?? 'บ้านหนองน้ำใส'}"\n${lines.join('\n')}\n(Type SAR and a school's name.)`,
  schoolLine: (i: number, name: string, submitted: boolean) => `${i}. ${name}${submitted ? '' : ' (ยังไม่ส่ง SAR)'}`,
  notFound: 'ไม่พบโรงเรียนนี้ในความรับผิดชอบของท่าน พิมพ์ "SAR" เพื่อดูรายชื่อ\n(No such school of yours.)',
  onlySupervisors:
    'การอ่าน SAR รายโรงเรียนและให้ข้อเสนอแนะใช้ได้เฉพาะศึกษานิเทศก์ ผู้อำนวยการเขตพิมพ์ "สรุป SAR"\n(For supervisors; directors type "สรุป SAR".)',
  askText: (school: string, what: string) =>
    `พิมพ์ข้อเสนอแนะ (${what}) ถึง ${school} ในข้อความเดียว หรือพิมพ์ "ยกเลิก"\n(Type your feedback in one message.)`,
  tooLong: (max: number) => `ยาวเกินไป ไม่เกิน ${max} ตัวอักษร\n(Too long.)`,
  sent: (school: string) =>
    `ส่งข้อเสนอแนะถึงผู้อำนวยการ${school}แล้ว จะแจ้งท่านเมื่อรับทราบหรือตอบกลับ\n(Feedback sent; you will hear when it is acknowledged.)`,
  toPrincipal: (v: { supervisor: string; school: string; what: string; text: string }) =>
    `ข้อเสนอแนะต่อ SAR ของ${v.school} (${v.what}) จากศึกษานิเทศก์ ${v.supervisor}\n${v.text}\n(Feedback on your SAR.)`,
  ack: 'รับทราบ',
  reply: 'ตอบกลับ',
  askReply: 'พิมพ์คำตอบถึงศึกษานิเทศก์ในข้อความเดียว หรือพิมพ์ "ยกเลิก"\n(Type your reply.)',
  acknowledged: 'บันทึกการรับทราบข้อเสนอแนะแล้ว ขอบคุณครับ\n(Acknowledged.)',
  replied: 'ส่งคำตอบถึงศึกษานิเทศก์แล้ว ขอบคุณครับ\n(Reply sent.)',
  notPrincipal: 'ข้อเสนอแนะนี้ไม่ใช่ของโรงเรียนท่าน\n(This feedback is not for your school.)',
  toSupervisorAck: (principal: string, school: string) =>
    `${principal} (${school}) รับทราบข้อเสนอแนะต่อ SAR แล้ว\n(Your SAR feedback was acknowledged.)`,
  toSupervisorReply: (principal: string, school: string, reply: string) =>
    `${principal} (${school}) ตอบข้อเสนอแนะต่อ SAR:\n${reply}\n(A reply to your SAR feedback.)`,
} as const;
