// Words of the supervisor assignments page and the annual visit plan page, Thai first with English after it.
import type { VisitStatus } from '../db/schema.js';

export const webAssignments = {
  assignments: 'การมอบหมายศึกษานิเทศก์ / Supervisor assignments',
  intro:
    'ศึกษานิเทศก์แต่ละคนรับผิดชอบโรงเรียนหรือทั้งกลุ่มโรงเรียน (นิเทศหลักหรือนิเทศร่วม) ศึกษานิเทศก์เห็นเฉพาะโรงเรียนที่ได้รับมอบหมาย / Each supervisor covers schools or whole clusters (main or joint); supervisors see only the schools assigned to them.',
  bulk: 'นำเข้าจากไฟล์ Excel/CSV ทีละมาก ๆ / Upload many from Excel or CSV',
  supervisor: 'ศึกษานิเทศก์ / Supervisor',
  target: 'โรงเรียนหรือกลุ่มโรงเรียน / School or cluster',
  school: 'โรงเรียน / School',
  cluster: 'กลุ่มโรงเรียน / Cluster',
  chooseOne: '— เลือก / choose —',
  kind: 'ประเภท / Kind',
  main: 'นิเทศหลัก / main',
  joint: 'นิเทศร่วม / joint',
  learningArea: 'กลุ่มสาระ (ถ้ามี) / Learning area (optional)',
  anyArea: '— ทุกกลุ่มสาระ / all areas —',
  add: 'เพิ่มการมอบหมาย / Add the assignment',
  added: (created: number, updated: number) =>
    `บันทึกแล้ว: เพิ่ม ${created} ปรับ ${updated} / Saved: ${created} added, ${updated} changed`,
  remove: 'ยกเลิกการมอบหมาย / Remove',
  removeTitle: 'ยกเลิกการมอบหมายนี้? / Remove this assignment?',
  removeBody: (who: string, what: string) =>
    `${who} จะไม่รับผิดชอบ ${what} อีก และจะไม่เห็นข้อมูลของโรงเรียนนั้นในหน้าเว็บ / ${who} will no longer cover ${what} nor see its data.`,
  removeConfirm: 'ยืนยันการยกเลิก / Confirm remove',
  removed: 'ยกเลิกการมอบหมายแล้ว / Assignment removed',
  none: 'ยังไม่มีการมอบหมาย / No assignments yet',
  cancel: 'ยกเลิก / Cancel',
  filterAll: 'ทุกคน / Everyone',
  filter: 'กรอง / Filter',
  err: {
    supervisorId: 'กรุณาเลือกศึกษานิเทศก์ / Choose a supervisor',
    schoolCode: 'เลือกโรงเรียนหรือกลุ่มโรงเรียนอย่างใดอย่างหนึ่ง / Choose a school or a cluster (one of them)',
    clusterCode: 'ไม่พบกลุ่มโรงเรียนนี้ / No such cluster',
    kind: 'เลือกนิเทศหลักหรือนิเทศร่วม / Choose main or joint',
    learningArea: 'เลือกจากรายการ / Pick from the list',
  },
  // The annual plan
  plan: 'แผนการนิเทศประจำปี / Annual visit plan',
  planOf: (year: number) => `แผนการนิเทศ ปีการศึกษา ${year} / Visit plan, academic year ${year}`,
  planIntro:
    'นัดนิเทศของปีการศึกษา (16 พ.ค.–15 พ.ค.) ทั้งที่นำเข้าตามแผนและที่ศึกษานิเทศก์นัดในแชต การเลื่อนหรือยกเลิกนัดทำโดยศึกษานิเทศก์ในแชต ซึ่งแจ้งโรงเรียนให้ด้วย / The academic year’s visits, from the plan and from chat. Supervisors move or cancel a visit in chat, which tells the school.',
  planBulk: 'นำเข้าแผนทั้งปีจาก Excel/CSV / Upload the year’s plan from Excel or CSV',
  when: 'วันและเวลา / When',
  date: 'วันที่ / Date',
  time: 'เวลา / Time',
  purpose: 'วัตถุประสงค์ / Purpose',
  status: 'สถานะ / Status',
  source: 'ที่มา / Source',
  fromPlan: 'แผน / plan',
  fromChat: 'แชต / chat',
  addVisit: 'เพิ่มนัดในแผน / Add to the plan',
  visitAdded: 'เพิ่มนัดในแผนแล้ว / Visit added to the plan',
  noVisits: 'ยังไม่มีนัดนิเทศในปีนี้ / No visits this year yet',
  planErr: {
    supervisorId: 'กรุณาเลือกศึกษานิเทศก์ / Choose a supervisor',
    schoolCode: 'กรุณาเลือกโรงเรียนที่ศึกษานิเทศก์ท่านนี้รับผิดชอบ / Choose a school this supervisor covers',
    startsAt: 'กรุณาระบุวันที่และเวลาให้ถูกต้อง / Give a valid date and time',
    purpose: 'ยาวเกินไป / Too long',
  },
} as const;

export const visitStatusTh: Record<VisitStatus, string> = {
  planned: 'นัดไว้ / planned',
  done: 'นิเทศแล้ว / done',
  cancelled: 'ยกเลิก / cancelled',
};
