// The Thai (then English) words of the export sheets: column headers and the values people read.

export const visitHeader = [
  'วันที่ (พ.ศ.) / date',
  'เวลา / time',
  'starts_at (ISO 8601)',
  'รหัสโรงเรียน / school_code',
  'โรงเรียน / school',
  'ศึกษานิเทศก์ / supervisor',
  'สถานะ / status',
  'วัตถุประสงค์ / purpose',
  'บันทึกผลแล้ว / recorded',
  'ข้อตกลงที่ยังค้าง / actions_open',
  'ข้อตกลงที่ทำแล้ว / actions_done',
];

export const visitStatus: Record<string, string> = {
  planned: 'นัดไว้ / planned',
  done: 'นิเทศแล้ว / done',
  cancelled: 'ยกเลิก / cancelled',
};

export const yesNo = (v: boolean) => (v ? 'ใช่ / yes' : 'ไม่ / no');

export const completionSchoolHeader = [
  'รหัสโรงเรียน / school_code',
  'โรงเรียน / school',
  'รหัสเครือข่าย / cluster_code',
  'เครือข่าย / cluster',
  'ต้องส่ง / expected',
  'ส่งแล้ว / submitted',
  'กำลังทำ / in_progress',
  'ยังไม่เริ่ม / not_started',
  'ร้อยละที่ส่ง / percent',
];

export const completionClusterHeader = [
  'รหัสเครือข่าย / cluster_code',
  'เครือข่าย / cluster',
  'จำนวนโรงเรียน / schools',
  'ต้องส่ง / expected',
  'ส่งแล้ว / submitted',
  'กำลังทำ / in_progress',
  'ยังไม่เริ่ม / not_started',
  'ร้อยละที่ส่ง / percent',
];

export const noSchool = '(ไม่สังกัดโรงเรียน / no school)';
export const noCluster = '(ไม่มีเครือข่าย / no cluster)';

export const ratingHeader = [
  'วันที่นิเทศ (พ.ศ.) / date',
  'รหัสโรงเรียน / school_code',
  'โรงเรียน / school',
  'ศึกษานิเทศก์ / supervisor',
  'ตัวชี้วัด / indicator',
  'ผลประเมินตนเอง / self_rating',
  'ผลการนิเทศ / supervisor_rating',
  'ผลต่าง (นิเทศ − ตนเอง) / gap',
  'ค่าเป้าหมาย / target',
  'ผลการตัดสิน / achieved',
];

export const achievedText = (v: boolean) => (v ? 'ผ่านเป้าหมาย / achieved' : 'ต่ำกว่าเป้าหมาย / not achieved');

export const sheetNames = {
  ratings: 'เทียบผลประเมิน ratings',
  visits: 'บันทึกการนิเทศ visits',
  bySchool: 'รายโรงเรียน by school',
  byCluster: 'รายเครือข่าย by cluster',
};
