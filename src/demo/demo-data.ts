// The demo office: invented names and codes only (never the people or schools named in the seeds).
import type { Role } from '../db/schema.js';

export const DEMO_OFFICE = {
  code: 'DEMO1',
  nameTh: 'สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 1',
  nameEn: 'Demo Primary Educational Service Area Office 1',
};

export const DEMO_CLUSTERS = [
  { code: 'C1', nameTh: 'กลุ่มเครือข่ายพัฒนาคุณภาพการศึกษาดอกคูน' },
  { code: 'C2', nameTh: 'กลุ่มเครือข่ายพัฒนาคุณภาพการศึกษาราชพฤกษ์' },
];

const schoolNames = [
  'บ้านหนองน้ำใส',
  'บ้านโคกสว่าง',
  'บ้านดอนแก้ว',
  'บ้านนาคำ',
  'บ้านห้วยทราย',
  'บ้านโนนสูง',
  'บ้านท่าช้าง',
  'บ้านหนองบัวทอง',
  'บ้านป่าหวาย',
  'บ้านสร้างแก้ว',
  'บ้านคำเจริญ',
  'บ้านดงเย็น',
];

export const DEMO_SCHOOLS = schoolNames.map((name, i) => ({
  code: `99990${String(i + 1).padStart(5, '0')}`,
  nameTh: `โรงเรียน${name}`,
  clusterCode: i < 6 ? 'C1' : 'C2',
}));

export interface DemoPerson {
  externalId: string;
  displayName: string;
  role: Role;
  schoolIndex: number | null;
  persona: boolean;
}

/** 48 first names, one per principal and teacher: Thai colleagues call each other by first name, so none repeats. */
const firstNames = [
  'สมศรี',
  'วิชัย',
  'มาลี',
  'ประเสริฐ',
  'อรุณี',
  'สุนทร',
  'กมลา',
  'ธนากร',
  'จันทร์เพ็ญ',
  'ปิยะ',
  'รัตนา',
  'อำนาจ',
  'บุษบา',
  'ชาญชัย',
  'ดวงใจ',
  'เกียรติศักดิ์',
  'นงลักษณ์',
  'พงศกร',
  'วิไลวรรณ',
  'สุรเชษฐ์',
  'อัมพร',
  'ณัฐวุฒิ',
  'เพ็ญศรี',
  'ธีระ',
  'กัลยา',
  'สมบัติ',
  'ศิริพร',
  'อนุชา',
  'ลำดวน',
  'ไพโรจน์',
  'ปราณี',
  'ชัยวัฒน์',
  'สุภาพร',
  'ทวีศักดิ์',
  'เยาวลักษณ์',
  'บุญเลิศ',
  'วันเพ็ญ',
  'สมพงษ์',
  'จิราพร',
  'ประยูร',
  'นิตยา',
  'วีระพงษ์',
  'พรทิพย์',
  'สุวิทย์',
  'อุไรวรรณ',
  'เฉลิมชัย',
  'ทองใบ',
  'ศักดิ์ชัย',
];
const lastNames = [
  'ใจดี',
  'รักเรียน',
  'มั่นคง',
  'สายทอง',
  'ศรีสุข',
  'บุญมา',
  'แก้วใส',
  'ทองดี',
  'พรหมมา',
  'วงศ์ไทย',
  'สุขสันต์',
  'ชัยมงคล',
];
/** Principals take names 0–11 and teachers 12–47. */
const name = (i: number) => `${firstNames[i] ?? ''} ${lastNames[(i + Math.floor(i / 12) * 5) % 12] ?? ''}`;

export const DEMO_PEOPLE: DemoPerson[] = [
  { externalId: 'demo-director', displayName: 'ดร.วรวุฒิ ตัวอย่างดี', role: 'director', schoolIndex: null, persona: true },
  { externalId: 'demo-admin', displayName: 'นางสาวพิมพ์ใจ ธุรการดี', role: 'admin', schoolIndex: null, persona: true },
  {
    externalId: 'demo-supervisor-1',
    displayName: 'นางอัญชลี นิเทศงาม',
    role: 'supervisor',
    schoolIndex: null,
    persona: true,
  },
  {
    externalId: 'demo-supervisor-2',
    displayName: 'นายสมชาย ใฝ่พัฒนา',
    role: 'supervisor',
    schoolIndex: null,
    persona: false,
  },
  ...DEMO_SCHOOLS.map((_, i) => ({
    externalId: `demo-principal-${i + 1}`,
    displayName: `ผอ.${name(i)}`,
    role: 'principal' as const,
    schoolIndex: i,
    persona: i === 0,
  })),
  ...DEMO_SCHOOLS.flatMap((_, i) =>
    [0, 1, 2].map((k) => ({
      externalId: `demo-teacher-${i + 1}-${k + 1}`,
      displayName: `ครู${name(12 + i * 3 + k)}`,
      role: 'teacher' as const,
      schoolIndex: i,
      persona: i === 0 && k === 0,
    })),
  ),
];

/** Demo campaigns, due relative to the day the demo is seeded (academic year 2569, semester 2). */
export const DEMO_CAMPAIGNS: { checklist: string; titleTh: string; roles: Role[]; dueInDays: number }[] = [
  {
    checklist: 'needs-survey',
    titleTh: 'สำรวจสภาพปัญหาและความต้องการการนิเทศ ภาคเรียนที่ 2/2569',
    roles: ['teacher'],
    dueInDays: 14,
  },
  {
    checklist: 'pre-visit-self-assessment',
    titleTh: 'ประเมินตนเองก่อนรับการนิเทศ ภาคเรียนที่ 2/2569',
    roles: ['principal'],
    dueInDays: 7,
  },
  {
    checklist: 'iqa-6-steps',
    titleTh: 'การประกันคุณภาพภายใน 6 ขั้นตอน ปีการศึกษา 2569',
    roles: ['principal'],
    dueInDays: 30,
  },
  { checklist: 'supervision-visit', titleTh: 'บันทึกการนิเทศ ภาคเรียนที่ 2/2569', roles: ['supervisor'], dueInDays: 120 },
  {
    checklist: 'office-standards',
    titleTh: 'รายงานความก้าวหน้ามาตรฐานสำนักงานเขตพื้นที่ ปีงบประมาณ 2570',
    roles: ['admin', 'director'],
    dueInDays: 45,
  },
];
