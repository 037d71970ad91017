// What the digests and the "ดูรายชื่อ" replies say, Thai first (with a short English line where a sentence stands
// alone). Kept beside the feature until src/i18n/ takes it in.

export const digest = {
  title: 'สรุปประจำสัปดาห์',
  byCluster: 'รายกลุ่มโรงเรียน',
  bySchool: 'รายโรงเรียน',
  noCluster: 'ไม่ระบุกลุ่มโรงเรียน',
  noSchool: 'ไม่สังกัดโรงเรียน',
  unitPerson: 'คน',
  unitSchool: 'โรงเรียน',
  term: (term: number, year: number) => `ภาคเรียนที่ ${term}/${year}`,
  supervisorScope: (n: number, office: string) => `โรงเรียนในความรับผิดชอบ ${n} แห่ง · ${office}`,
  cutScope: (cut: string, office: string) => `${office} · เฉพาะโรงเรียน: ${cut}`,
  standardLabel: (standard: string, checklist: string) => `${standard} (${checklist})`,
  completedThisWeek: (title: string) => `ส่งครบทุกรายแล้วในสัปดาห์นี้: ${title}`,
  fastestCluster: (name: string, pct: number) => `กลุ่มโรงเรียนที่ตอบได้มากที่สุด: ${name} (${pct}%)`,
  fastestSchool: (name: string, pct: number) => `โรงเรียนที่ตอบได้มากที่สุด: ${name} (${pct}%)`,
  submittedThisWeek: (n: number) => `ส่งแบบประเมินแล้วในสัปดาห์นี้ ${n.toLocaleString('en-US')} รายการ`,

  // ── "ดูรายชื่อ" ──
  namesNotAllowed:
    'ขออภัย รายชื่อนี้ดูได้เฉพาะผู้บริหารสำนักงาน ศึกษานิเทศก์ และผู้อำนวยการโรงเรียน ตามขอบเขตที่รับผิดชอบ\n(Sorry, these lists are for office directors, supervisors and school directors only.)',
  namesNotFound:
    'ขออภัย ไม่พบแบบประเมินนี้ในขอบเขตของท่าน หรือแบบประเมินปิดไปแล้ว\n(Sorry, this checklist is not open in your scope.)',
  namesNoSchool:
    'ขออภัย ยังไม่พบโรงเรียนของท่านในระบบ กรุณาแจ้งผู้ดูแลระบบของสำนักงาน\n(Your school is not set; please tell your office.)',
  namesUnknown: 'ขออภัย ปุ่มนี้ใช้ไม่ได้แล้ว กรุณาเปิดสรุปล่าสุดอีกครั้ง\n(Sorry, this button no longer works.)',
  pendingHeader: (title: string, due: string, total: number, unit: string) =>
    `ยังไม่ได้ส่ง: ${title}\nกำหนดส่ง ${due} · รวม ${total.toLocaleString('en-US')} ${unit}\n(Not yet submitted.)`,
  pendingNone: (title: string) => `ส่งครบทุกรายแล้ว: ${title}\n(Everyone has submitted.)`,
  overdueHeader: (total: number) =>
    `โรงเรียนที่เลยกำหนดส่ง รวม ${total.toLocaleString('en-US')} รายการ\n(Schools past the due date.)`,
  overdueNone: 'ไม่มีโรงเรียนที่เลยกำหนดส่งในขอบเขตของท่าน\n(No school is overdue.)',
  sarHeader: (total: number) =>
    `โรงเรียนที่มาตรฐานต่ำกว่าค่าเป้าหมาย (จาก SAR ล่าสุด) รวม ${total.toLocaleString('en-US')} รายการ\n(Schools below their targets.)`,
  sarNone: 'ไม่มีโรงเรียนที่มาตรฐานต่ำกว่าค่าเป้าหมายในขอบเขตของท่าน\n(No school is below target.)',
  schoolPendingHeader: (total: number) =>
    `ยังไม่ได้ส่งแบบที่เปิดอยู่ (โรงเรียนของท่าน) รวม ${total.toLocaleString('en-US')} รายการ\n(Who at your school has not submitted yet.)`,
  schoolPendingNone: 'ทุกคนในโรงเรียนของท่านส่งแบบที่เปิดอยู่ครบแล้ว\n(Everyone at your school has submitted.)',
  weekNotAllowed:
    'สรุปประจำสัปดาห์มีให้ผู้บริหารสำนักงาน ศึกษานิเทศก์ และผู้อำนวยการโรงเรียน\n(The weekly digest is for directors, supervisors and principals.)',
  notLinked: '(ยังไม่เชื่อม LINE)',
  andMore: (n: number, unit: string) => `และอีก ${n.toLocaleString('en-US')} ${unit}`,
} as const;
