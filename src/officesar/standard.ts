// The office standard (มาตรฐานสำนักงานเขตพื้นที่การศึกษา, seed 003) as a versioned definition: 5 standards, 11
// indicators, each with a lead group, co-host groups, a target, a level and outputs. The seed names the five
// standards and says there are eleven indicators, but names none of them nor says which group leads which: the
// built-in version says so in each indicator's `unspecified`, and the office fills them in by saving its own version.

export const officeGroupCodes = [
  'admin',
  'personnel',
  'policy',
  'promotion',
  'supervision',
  'finance',
  'audit',
  'private',
] as const;

/** The office's groups named by seed 003 (the main host and the co-hosts); offices add their own. */
export const seedGroups: { code: string; nameTh: string }[] = [
  { code: 'admin', nameTh: 'กลุ่มอำนวยการ' },
  { code: 'personnel', nameTh: 'กลุ่มบริหารงานบุคคล' },
  { code: 'policy', nameTh: 'กลุ่มนโยบายและแผน' },
  { code: 'promotion', nameTh: 'กลุ่มส่งเสริมการจัดการศึกษา' },
  { code: 'supervision', nameTh: 'กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา' },
  { code: 'finance', nameTh: 'กลุ่มบริหารงานการเงินและสินทรัพย์' },
  { code: 'audit', nameTh: 'กลุ่มตรวจสอบภายใน' },
  { code: 'private', nameTh: 'กลุ่มส่งเสริมสถานศึกษาเอกชน' },
];

export interface Indicator {
  code: string;
  standard: number;
  /** Null where the source does not name it: the office fills it in. */
  titleTh: string | null;
  leadGroup: string | null;
  coGroups: string[];
  targetTh: string | null;
  /** The level aimed at (1–5). */
  targetLevel: number | null;
  outputsTh: string | null;
  /** What the source leaves unsaid about this indicator, in Thai; empty once the office has filled it in. */
  unspecified: string[];
}

export interface OfficeStandard {
  standards: { no: number; titleTh: string }[];
  indicators: Indicator[];
}

const SILENT = 'คู่มือ (seed 003) ระบุว่ามี 11 ตัวบ่งชี้ แต่ไม่ได้ระบุชื่อ มาตรฐานที่สังกัด เป้าหมาย และผลผลิต: สำนักงานกรอกเอง';

/** The seed's calendar (its table, steps 1–9): a duration in days, or null where the seed gives none. */
export const sarSteps: { no: number; titleTh: string; days: number | null }[] = [
  { no: 1, titleTh: 'ศึกษา วิเคราะห์แนวทาง มาตรฐาน ตัวบ่งชี้ และภารกิจของกลุ่ม', days: 7 },
  { no: 2, titleTh: 'เสนอผู้อำนวยการสำนักงานเขตพื้นที่ให้ความเห็นชอบ ลงนามคำสั่ง/มอบหมาย', days: 2 },
  { no: 3, titleTh: 'สร้างทีมงาน มอบหมายคณะทำงานรับผิดชอบ', days: 7 },
  { no: 4, titleTh: 'สื่อสารให้คณะทำงานและบุคลากรเข้าใจมาตรฐาน', days: 7 },
  { no: 5, titleTh: 'คณะทำงานกำหนดเป้าหมายและผลที่คาดหวัง', days: 21 },
  { no: 6, titleTh: 'คณะทำงานขับเคลื่อนและรายงานผลตามปฏิทิน', days: null },
  { no: 7, titleTh: 'ประเมินตนเองและจัดทำรายงาน SAR เสนอคณะกรรมการเขตพื้นที่และ สพฐ.', days: 30 },
  { no: 8, titleTh: 'ศึกษา วิเคราะห์ผล SAR เป็นข้อมูลย้อนกลับและข้อมูลฐาน', days: 30 },
  { no: 9, titleTh: 'สังเคราะห์ผลการดำเนินงานและนำไปปรับปรุง/พัฒนา', days: null },
];

/** Step 6 runs for the working year; the seed gives it no duration, so it is this many days unless the office says. */
export const STEP6_DEFAULT_DAYS = 180;

export const builtinStandard: OfficeStandard = {
  standards: [
    {
      no: 1,
      titleTh: 'สำนักงานเขตพื้นที่การศึกษาบริหารจัดการโดยมุ่งผลสัมฤทธิ์และพัฒนาระบบการจัดการตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐ (PMQA)',
    },
    { no: 2, titleTh: 'สำนักงานเขตพื้นที่การศึกษาดำเนินการขับเคลื่อนนโยบายสู่การปฏิบัติจนบรรลุเป้าหมายและส่งผลดีต่อการพัฒนาสถานศึกษา' },
    { no: 3, titleTh: 'สำนักงานเขตพื้นที่การศึกษามีการกำกับดูแล ส่งเสริม สนับสนุน ช่วยเหลือและพัฒนาสถานศึกษาให้เกิดความเข้มแข็ง' },
    {
      no: 4,
      titleTh: 'สำนักงานเขตพื้นที่การศึกษาบริหารอัตรากำลังให้เกิดประโยชน์สูงสุดต่อการจัดการศึกษา พัฒนาครูและบุคลากรทางการศึกษาสู่การเป็นมืออาชีพ',
    },
    { no: 5, titleTh: 'สำนักงานเขตพื้นที่การศึกษาสร้างและพัฒนาเครือข่ายความร่วมมือในการจัดการศึกษา' },
  ],
  // Eleven, unnamed; the main host (กลุ่มอำนวยการ) leads until the office assigns each one.
  indicators: Array.from({ length: 11 }, (_, i) => ({
    code: `I${i + 1}`,
    standard: 0,
    titleTh: null,
    leadGroup: 'admin',
    coGroups: ['personnel', 'policy', 'promotion', 'supervision', 'finance', 'audit', 'private'],
    targetTh: null,
    targetLevel: null,
    outputsTh: null,
    unspecified: [SILENT],
  })),
};
