// What the SAR synthesis says, in its export, its card and its chat replies: Thai first, English second.
import { ratingLevels, type RatingLevel } from './answers.th.js';

const n = (v: number) => v.toLocaleString('en-US');

export const sar = {
  // ── Export ──
  sheetSummary: 'สรุประดับคุณภาพ',
  sheetBelow: 'ต่ำกว่าค่าเป้าหมาย',
  sheetTexts: 'จุดเด่น-จุดที่ควรพัฒนา',
  colStandard: 'มาตรฐาน (Standard)',
  colLevel: (l: RatingLevel) => `${ratingLevels[l].th} (${l})`,
  colNoAnswer: 'ไม่มีคำตอบ (No answer)',
  colBelow: 'ต่ำกว่าค่าเป้าหมาย (Below target)',
  colSchoolCode: 'รหัสโรงเรียน (School code)',
  colSchool: 'โรงเรียน (School)',
  colCluster: 'กลุ่มโรงเรียน (Cluster)',
  colLevelReached: 'ระดับที่ได้ (Level)',
  colLevelName: 'ระดับคุณภาพ (Level name)',
  colTarget: 'ค่าเป้าหมาย (Target)',
  colKind: 'ประเภท (Kind)',
  colText: 'ข้อความ (Text)',
  kindStrengths: 'จุดเด่น (Strengths)',
  kindImprove: 'จุดที่ควรพัฒนา (To improve)',
  sheetFeedback: 'ข้อเสนอแนะต่อ SAR',
  colFeedback: 'ข้อเสนอแนะ (Feedback)',
  colAuthor: 'ผู้ให้ข้อเสนอแนะ (By)',
  colDate: 'วันที่ (Date)',
  colAcknowledged: 'ผู้อำนวยการรับทราบเมื่อ (Acknowledged)',
  colReply: 'คำตอบของผู้อำนวยการ (Reply)',
  overall: 'ภาพรวม (Overall)',
  notAcknowledged: 'ยังไม่รับทราบ (not yet)',
  totalExpected: 'โรงเรียนที่ต้องส่ง (Schools expected)',
  totalSubmitted: 'ส่งแล้ว (Submitted)',
  fileTitle: (campaign: string) => `สรุป SAR ${campaign}`,

  // ── Card and chat ──
  cardTitle: 'สรุปผลการประเมินตนเอง (SAR) ระดับเขตพื้นที่',
  altText: (campaign: string) => `สรุป SAR: ${campaign}`,
  statusOpen: (due: string) => `เปิดรับอยู่ · กำหนดส่ง ${due}`,
  statusClosed: (due: string) => `ปิดรับแล้ว · กำหนดส่ง ${due}`,
  submitted: (done: number, expected: number) => `ส่งแล้ว ${n(done)}/${n(expected)} โรงเรียน`,
  others: (count: number) => `แสดงแบบ SAR ล่าสุด (มีแบบก่อนหน้าอีก ${n(count)} แบบ)`,
  noAnswer: (count: number) => `ไม่มีคำตอบ ${n(count)}`,
  belowCount: (count: number) => `ต่ำกว่าค่าเป้าหมาย ${n(count)} โรงเรียน`,
  belowNone: 'ไม่มีโรงเรียนที่ต่ำกว่าค่าเป้าหมาย',
  noData: 'ยังไม่มีโรงเรียนส่ง SAR',
  moreStandards: (count: number) => `และอีก ${n(count)} มาตรฐาน`,
  namesButton: 'ดูรายชื่อ',
  namesDisplay: (standard: string) => `ดูรายชื่อ: ${standard}`,
  levelShort: (l: RatingLevel, count: number) => `${ratingLevels[l].th} ${n(count)}`,

  notAllowed:
    'ขออภัย สรุป SAR ระดับเขตพื้นที่ดูได้เฉพาะผู้บริหารสำนักงานเขตพื้นที่การศึกษา\n(Sorry, the SAR summary is for office directors only.)',
  noCampaign: 'ยังไม่มีแบบ SAR ที่เปิดรับหรือปิดรับแล้วในสำนักงานของท่าน\n(There is no SAR campaign in your office yet.)',
  notFound: 'ขออภัย ไม่พบแบบ SAR นี้ในสำนักงานของท่าน กรุณาเปิดสรุป SAR ล่าสุดอีกครั้ง\n(Sorry, this SAR campaign was not found.)',
  belowHeader: (standard: string, campaign: string, total: number) =>
    `ต่ำกว่าค่าเป้าหมาย: ${standard}\n${campaign} · รวม ${n(total)} โรงเรียน\n(Schools below their target.)`,
  belowNoneFor: (standard: string) => `ไม่มีโรงเรียนที่ต่ำกว่าค่าเป้าหมาย: ${standard}\n(No school is below target.)`,
  belowLine: (name: string, code: string, level: RatingLevel, target: RatingLevel) =>
    `${name} (${code}) ระดับ ${level} ${ratingLevels[level].th} · เป้าหมาย ${target}`,
  unitSchool: 'โรงเรียน',
} as const;
