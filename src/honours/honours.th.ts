// The honour list's words (issue 15 item 6): the criteria, the reasons a school stands where it does, the notice.
// Thai first, English second where a tool or an API caller may read it.
// Keyed by the criteria of rank.ts (which checks its list against these keys).
const criteria = {
  sar: 'ระดับคุณภาพตาม SAR',
  improvement: 'พัฒนาการจากปีที่แล้ว',
  actions: 'ข้อตกลงจากการนิเทศที่ดำเนินการแล้ว',
} as const;
type Criterion = keyof typeof criteria;

export const audiences = {
  principals: 'ผู้บริหารสถานศึกษาทุกคนของสำนักงาน',
  schools: 'ผู้บริหารและครูทุกคน',
  everyone: 'ทุกคนในสำนักงาน (ผู้บริหาร ครู ศึกษานิเทศก์ ผู้อำนวยการ และผู้ดูแลระบบ)',
} as const;

export const honours = {
  title: 'จัดอันดับและยกย่องเชิดชูเกียรติสถานศึกษา / Honours',
  criterion: (c: Criterion) => criteria[c],
  criterionHelp: {
    sar: 'ค่าเฉลี่ยระดับคุณภาพรายมาตรฐานของ SAR ล่าสุดในปีการศึกษา',
    improvement: 'ระดับ SAR เทียบกับปีการศึกษาก่อน; ถ้าไม่มี SAR ทั้งสองปี ใช้ผลการประเมินตนเองก่อนรับการนิเทศ',
    actions: 'จำนวนข้อตกลงจากการนิเทศในช่วงที่เลือกที่โรงเรียนดำเนินการแล้ว',
  } satisfies Record<Criterion, string>,
  noData: 'ไม่มีข้อมูล',
  fromSar: 'จาก SAR',
  fromSelf: 'จากการประเมินตนเอง',
  actions: (done: number, total: number) => `${done}/${total} ข้อ`,
  top: (label: string, value: string) => `สูงสุดด้าน${label} (${value})`,
  topNoData: 'ไม่มีข้อมูลตามเกณฑ์ที่เลือก',
  equal: (labels: string[]) => `เท่ากันด้าน${labels.join(' และ ')}; `,
  behind: (name: string, label: string, mine: string, theirs: string) =>
    `ตามหลัง ${name} ด้าน${label} (${mine} ต่อ ${theirs})`,
  tied: (name: string) => `เท่ากับ ${name} ทุกเกณฑ์ (เรียงตามรหัสโรงเรียน)`,
  badCriteria: (v: string) =>
    `เกณฑ์ "${v}" ต้องเป็น sar, improvement หรือ actions อย่างน้อย 1 ไม่เกิน 3 ไม่ซ้ำกัน / by must list sar, improvement, actions (1 to 3, no repeats)`,
  notRanked: (id: string) => `โรงเรียน ${id} ไม่อยู่ในการจัดอันดับของสำนักงานนี้ / not a school of this office's ranking`,
  noticeLine: (rank: number, name: string) => `${rank}. ${name}`,
  published: (n: number) => `เผยแพร่แล้ว ส่งถึง ${n} คน ในข้อความประจำวันถัดไปของแต่ละคน`,
  republished: 'รายการนี้เผยแพร่ไปแล้ว ไม่ส่งซ้ำ',
};

/** The honours page's words. */
export const webHonours = {
  intro:
    'จัดอันดับสถานศึกษาของสำนักงานเมื่อสิ้นภาคเรียนหรือปีการศึกษา ตามเกณฑ์ที่เลือกเรียงลำดับ (เกณฑ์แรกตัดสิน เกณฑ์ถัดไปใช้เมื่อเท่ากัน) แล้วเลือกโรงเรียนเพื่อประกาศยกย่องเชิดชูเกียรติ',
  year: 'ปีการศึกษา (พ.ศ.)',
  term: 'ภาคเรียน',
  wholeYear: 'ทั้งปีการศึกษา',
  termN: (n: number) => `ภาคเรียนที่ ${n}`,
  by: (n: number) => `เกณฑ์ที่ ${n}`,
  none: '— ไม่ใช้ —',
  rank: 'จัดอันดับ',
  heading: (label: string) => `ผลการจัดอันดับ ${label}`,
  noSchools: 'ยังไม่มีโรงเรียนในสำนักงาน',
  cols: { pick: 'เลือก', rank: 'อันดับ', school: 'โรงเรียน', why: 'เหตุผล' },
  publishHeading: 'ประกาศยกย่องเชิดชูเกียรติ',
  titleField: 'หัวข้อ',
  messageField: 'ข้อความ (ไม่เกิน 500 ตัวอักษร)',
  audienceField: 'ส่งถึง',
  preview: 'ดูตัวอย่างก่อนเผยแพร่',
  previewTitle: 'ตัวอย่างประกาศยกย่องเชิดชูเกียรติ',
  previewNote: 'ประกาศนี้จะรวมอยู่ในข้อความประจำวันถัดไปของแต่ละคน (ไม่เกินวันละ 1 ครั้ง ไม่ส่งในช่วงเวลาพัก วันหยุด หรือเสาร์-อาทิตย์)',
  publish: 'เผยแพร่',
  back: 'กลับไปแก้ไข',
  readOnly: 'ผู้อำนวยการดูผลการจัดอันดับได้ ผู้ดูแลระบบเป็นผู้ประกาศ',
  publishedHeading: 'ประกาศที่เผยแพร่แล้วในปีการศึกษานี้',
  publishedRow: (when: string, n: number, aud: string) => `เผยแพร่ ${when} · ${aud} · ส่งถึง ${n} คน`,
  reportLink: 'จัดอันดับและยกย่องเชิดชูเกียรติสถานศึกษา',
};
