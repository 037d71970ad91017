// Words of the imports page, Thai first with English after it: msg.web.imports. ImportKind comes from
// src/imports/sheet.ts, which reaches no catalogue (src/imports/imports.ts does, through the visits, so importing the
// type from there would close a cycle through msg).
import type { ImportKind } from '../imports/sheet.js';

const page = {
  title: 'นำเข้าข้อมูลจากไฟล์ / Import from a file',
  intro:
    'อัปโหลดไฟล์ Excel (.xlsx) หรือ CSV (UTF-8) แถวแรกเป็นหัวคอลัมน์ ระบบจะตรวจทุกแถวก่อน ยังไม่บันทึกจนกว่าท่านจะกดยืนยัน / Upload an Excel (.xlsx) or CSV (UTF-8) file with a header row; every row is checked first and nothing is saved until you confirm.',
  kind: 'ข้อมูลที่นำเข้า / What to import',
  file: 'ไฟล์ / File',
  fileHint: 'ไม่เกิน 5 MB และ 5,000 แถว / At most 5 MB and 5,000 rows',
  invites: 'ออกรหัสเชิญให้บุคลากรที่เพิ่มใหม่ / Issue invite codes for people this import adds',
  check: 'ตรวจสอบไฟล์ (ยังไม่บันทึก) / Check the file (saves nothing)',
  fileRequired: 'กรุณาเลือกไฟล์ / Please choose a file',
  columns: 'คอลัมน์ / Columns',
  required: 'จำเป็น / required',
  issuesTitle: (n: number) => `พบปัญหา ${n} รายการ ยังไม่มีการบันทึกใด ๆ / ${n} problems found; nothing was saved`,
  issuesHelp: 'แก้ไขแถวตามรายการด้านล่างในไฟล์ของท่าน แล้วอัปโหลดอีกครั้ง / Fix these rows in your file and upload it again.',
  row: 'แถว / Row',
  column: 'คอลัมน์ / Column',
  problem: 'ปัญหา / Problem',
  readyTitle: 'ไฟล์ถูกต้อง พร้อมนำเข้า / The file is good; ready to import',
  rowsRead: 'จำนวนแถว / Rows',
  willCreate: 'เพิ่มใหม่ / New',
  willUpdate: 'ปรับปรุง / Updated',
  unchanged: 'ไม่เปลี่ยนแปลง / Unchanged',
  ignored: 'คอลัมน์ที่ไม่รู้จัก (ข้าม) / Unknown columns (ignored)',
  confirm: 'ยืนยันนำเข้า / Confirm the import',
  confirmNote:
    'เมื่อยืนยันแล้วข้อมูลจะถูกบันทึกทันที (แถวที่มีอยู่แล้วจะถูกแก้ไขตามไฟล์) / Confirming saves at once; existing rows are updated from the file.',
  cancel: 'ยกเลิก / Cancel',
  doneTitle: 'นำเข้าเรียบร้อย / Imported',
  written: 'บันทึกแล้ว / Saved',
  invitesIssued: 'รหัสเชิญที่ออกใหม่ (แสดงครั้งเดียว) / New invite codes (shown once)',
  printSheets: 'พิมพ์ใบเชิญรายโรงเรียน / Print invite sheets by school',
  uploadGone: 'ไม่พบไฟล์ที่ตรวจแล้ว กรุณาอัปโหลดอีกครั้ง / The checked file is no longer here; please upload it again.',
  again: 'นำเข้าไฟล์อื่น / Import another file',
  tooLarge: 'ไฟล์ใหญ่เกิน 5 MB / The file is over 5 MB',
} as const;

const kindLabel: Record<ImportKind, string> = {
  schools: 'โรงเรียน / Schools',
  people: 'บุคลากร / People',
  assignments: 'การมอบหมายศึกษานิเทศก์ / Supervisor assignments',
  plan: 'แผนการนิเทศประจำปี / Annual visit plan',
  eqa: 'ผลการประเมินคุณภาพภายนอก (สมศ.) / External assessment results',
};

/** The columns each kind reads (the first header each accepts; src/imports/ lists the aliases). */
const kindColumns: Record<ImportKind, { th: string; required: boolean }[]> = {
  schools: [
    { th: 'รหัสโรงเรียน', required: true },
    { th: 'ชื่อโรงเรียน', required: true },
    { th: 'รหัสเครือข่าย', required: false },
    { th: 'ชื่อเครือข่าย', required: false },
  ],
  people: [
    { th: 'ชื่อ-สกุล', required: true },
    { th: 'บทบาท', required: true },
    { th: 'รหัสโรงเรียน', required: false },
    { th: 'รหัสบุคลากร', required: true },
  ],
  assignments: [
    { th: 'รหัสศึกษานิเทศก์', required: true },
    { th: 'รหัสโรงเรียน หรือ รหัสเครือข่าย', required: false },
    { th: 'ประเภท (หลัก/ร่วม)', required: false },
    { th: 'กลุ่มสาระ', required: false },
  ],
  plan: [
    { th: 'รหัสศึกษานิเทศก์', required: true },
    { th: 'รหัสโรงเรียน', required: true },
    { th: 'วันที่', required: true },
    { th: 'เวลา', required: true },
    { th: 'วัตถุประสงค์', required: false },
  ],
  eqa: [
    { th: 'รหัสโรงเรียน', required: true },
    { th: 'วันที่ประเมิน', required: true },
    { th: 'มาตรฐาน (1, 2, 3)', required: true },
    { th: 'ระดับคุณภาพ (1–5)', required: true },
  ],
};

export const webImports = { ...page, kindLabel, kindColumns } as const;
