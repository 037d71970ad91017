// The reports' words: Thai first, English second where a person or a tool may need it.
import type { FeedbackKind } from '../checklists/definition.js';

const kinds = {
  office: 'รายงานผลการนิเทศ ติดตาม และประเมินผลการจัดการศึกษา',
  cluster: 'รายงานผลการนิเทศ ระดับเครือข่ายสถานศึกษา',
  school: 'รายงานผลการนิเทศ รายโรงเรียน',
} as const;

export const reports = {
  title: (k: keyof typeof kinds) => kinds[k],
  yearLabel: (y: number) => `ปีการศึกษา ${y}`,
  termLabel: (t: number, y: number) => `ภาคเรียนที่ ${t} ปีการศึกษา ${y}`,
  badYear: (v: string) => `ปีการศึกษา "${v}" ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2569 / year must be a B.E. year such as 2569`,
  badTerm: (v: string) => `ภาคเรียน "${v}" ต้องเป็น 1 หรือ 2 / term must be 1 or 2`,
  need: (f: 'cluster' | 'school') =>
    f === 'cluster' ? 'ระบุเครือข่าย (cluster) / cluster is required' : 'ระบุโรงเรียน (school) / school is required',
  badId: (f: string, v: string) => `รหัส ${f} "${v}" ไม่ถูกต้อง / ${f} must be an id`,
  badFormat: (v: string) => `รูปแบบ "${v}" ต้องเป็น html, xlsx หรือ pdf / format must be html, xlsx or pdf`,
  notFound: (k: string) => (k === 'cluster' ? 'ไม่พบเครือข่ายนี้ / no such cluster' : 'ไม่พบโรงเรียนนี้ / no such school'),
  noCluster: 'ไม่มีเครือข่าย',
  bySar: 'รายงานการประเมินตนเอง (SAR)',
  overall: 'ภาพรวมการนิเทศ',
  assumed: 'ไม่พบภาคเรียนนี้ในปฏิทินสำนักงาน ใช้ช่วงวันที่โดยประมาณ',
  pdfMissing:
    'ไม่สามารถสร้าง PDF บนเครื่องนี้ได้ (ไม่ได้ติดตั้ง Chromium หรือ playwright-core) ให้เปิดรายงานแบบ HTML แล้วสั่งพิมพ์เป็น PDF / PDF needs Chromium and playwright-core on this server; open the HTML report and print it to PDF',
  feedback: {
    strength: 'จุดเด่น',
    improve: 'จุดที่ควรพัฒนา',
    recommendation: 'ข้อเสนอแนะ',
    best_practice: 'แนวปฏิบัติที่ดี (Best Practice)',
  } satisfies Record<FeedbackKind, string>,
  decision: { achieved: 'ผ่านเกณฑ์', not_yet: 'ยังไม่ผ่าน' },
  honours: {
    heading: 'สถานศึกษาที่ได้รับการยกย่องเชิดชูเกียรติ',
    published: (when: string) => `ประกาศเมื่อ ${when}`,
    header: ['อันดับ', 'รหัส', 'โรงเรียน', 'เหตุผล'],
  },
  sarFeedback: {
    heading: 'ข้อเสนอแนะต่อรายงานการประเมินตนเอง (SAR)',
    overall: 'ภาพรวม',
    standard: (n: string) => `มาตรฐานที่ ${n}`,
    acknowledged: 'รับทราบแล้ว',
    pending: 'ยังไม่ตอบรับ',
    replied: (t: string) => `ตอบกลับ: ${t}`,
    header: ['มาตรฐาน', 'ข้อเสนอแนะ', 'ผู้ให้', 'วันที่', 'การตอบรับ'],
  },
};
