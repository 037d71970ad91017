// Every sentence of supervision visits (planning, reminders, recording, acknowledgement), Thai first.

/** Example dates for typing a visit's date: a day ahead, written as d/m/BE and as "d month". */
export interface WhenExamples {
  numeric: string;
  short: string;
}
export const visits = {
  // Planning
  pickSchool: (n: number) =>
    `นัดนิเทศ: เลือกโรงเรียน (${n} โรงเรียน เรียงจากที่ควรไปก่อน: ไม่ได้นิเทศนานที่สุด และมีความเสี่ยง)\nพิมพ์หมายเลขหรือชื่อโรงเรียนก็ได้\n(Plan a visit: pick a school, most due first.)`,
  noSchools: 'ยังไม่มีโรงเรียนที่ท่านรับผิดชอบในระบบ กรุณาแจ้งผู้ดูแลระบบของสำนักงาน\n(No schools are assigned to you yet.)',
  onlySupervisors: 'การนัดและบันทึกการนิเทศใช้ได้เฉพาะศึกษานิเทศก์\n(Only supervisors plan and record visits.)',
  schoolLine: (
    i: number,
    s: {
      name: string;
      last: string | null;
      risks: string[];
      kind: 'main' | 'joint';
      next: string | null;
      /** The learning area(s) (กลุ่มสาระ) of the supervisor's assignment, when set. */
      area: string | null;
      /** Why a never-visited school stands where it does (rankReason), or null. */
      why: string | null;
    },
  ) =>
    `${i}. ${s.name}${s.kind === 'joint' ? ' (นิเทศร่วม)' : ''}${s.area === null ? '' : ` · ${s.area}`}\n   นิเทศล่าสุด: ${s.last ?? 'ยังไม่เคย'}${
      s.risks.length > 0 ? ` · ${s.risks.join(' · ')}` : ''
    }${s.next === null ? '' : `\n   นัดไว้แล้ว: ${s.next}`}${s.why === null ? '' : `\n   ${s.why}`}`,
  /**
   * Why a never-visited school is where it is: never visited counts as a year since the last visit, its risks add
   * weight, a visit already planned puts it last, and an equal weight is ordered by name (`tied`).
   */
  rankReason: (r: { planned: boolean; risks: string[]; tied: boolean }) =>
    r.planned
      ? 'อยู่ท้ายรายการเพราะ: มีนัดนิเทศไว้แล้ว'
      : `อยู่ลำดับนี้เพราะ: ยังไม่เคยนิเทศ (นับเท่ากับไม่ได้นิเทศ 1 ปี)${
          r.risks.length > 0 ? ` และ${r.risks.join(' และ')}` : ' ไม่มีความเสี่ยงอื่นในระบบ'
        }${r.tied ? ' · คะแนนเท่ากับโรงเรียนอื่น จึงเรียงตามชื่อ' : ''}`,
  riskBelow: (n: number) => `ต่ำกว่าเป้าหมาย ${n} มาตรฐาน`,
  riskOverdue: (n: number) => `ค้างส่ง ${n} แบบ`,
  riskActions: (n: number) => `ข้อตกลงค้าง ${n} ข้อ`,
  notYourSchool: 'โรงเรียนนี้ไม่อยู่ในความรับผิดชอบของท่าน เลือกจากรายชื่อด้านบนนะครับ\n(That school is not assigned to you.)',
  schoolNotFound: 'ไม่พบโรงเรียนนี้ในรายชื่อ พิมพ์หมายเลขหรือชื่อโรงเรียนอีกครั้ง\n(No such school in your list.)',
  /** `ex`: example dates, always ahead of today (whenExamples in src/visits/chat.ts). */
  askWhen: (school: string, ex: WhenExamples) =>
    `นิเทศ ${school}: วันและเวลาใด?\nกดปุ่มเลือกวันเวลา หรือพิมพ์ เช่น "${ex.numeric} 09:30", "พรุ่งนี้ 9 โมง", "${ex.short} บ่ายโมง"\n(When? Pick, or type a Thai date and time.)`,
  pickDateTime: 'เลือกวันเวลา',
  needTime: (ex: WhenExamples) =>
    `กรุณาระบุเวลาด้วย เช่น "${ex.numeric} 09:30" หรือ "${ex.short} 9 โมง"\n(Please include a time.)`,
  notDateTime: (ex: WhenExamples) =>
    `ไม่เข้าใจวันเวลานี้ พิมพ์ เช่น "${ex.numeric} 09:30", "พรุ่งนี้ 9 โมง", "${ex.short} บ่ายโมง"\n(Not a date and time I can read.)`,
  inPast: 'วันเวลานี้ผ่านไปแล้ว กรุณาเลือกเวลาในอนาคต\n(That time has passed.)',
  tooFar: 'นัดล่วงหน้าได้ไม่เกิน 1 ปี\n(At most a year ahead.)',
  askPurpose: (previous: string | null) =>
    `ประเด็น/จุดเน้นของการนิเทศครั้งนี้คืออะไร? พิมพ์สั้น ๆ${previous === null ? '' : `\nหรือกด "${previous}"`}\n(What is the purpose or focus?)`,
  purposeFollowUp: 'นิเทศติดตามผล',
  purposeTooLong: (max: number) => `ยาวเกินไป ไม่เกิน ${max} ตัวอักษร\n(Too long.)`,
  confirm: (v: { school: string; when: string; purpose: string; moving: boolean }) =>
    `${v.moving ? 'ยืนยันการเลื่อนนัดนิเทศ' : 'ยืนยันการนัดนิเทศ'}\nโรงเรียน: ${v.school}\nวันเวลา: ${v.when}\nประเด็น: ${v.purpose}`,
  clash: (school: string, when: string) => `⚠️ ชนกับนัดนิเทศ ${school} เวลา ${when}`,
  holiday: (title: string) => `⚠️ ตรงกับวันหยุดในปฏิทินสำนักงาน: ${title}`,
  publicHoliday: (title: string) => `⚠️ ตรงกับวันหยุดราชการ: ${title}`,
  weekend: (day: string) => `⚠️ ตรงกับ${day} (วันหยุดสุดสัปดาห์)`,
  confirmYes: 'ยืนยัน',
  /** The school's pre-visit self-assessment of a term (a campaign title: unique per office). */
  selfAssessmentTitle: (school: string, term: number, year: number) =>
    `แบบประเมินตนเองก่อนรับการนิเทศ ${school} ภาคเรียนที่ ${term}/${year}`,
  changeTime: 'เปลี่ยนเวลา',
  planned: (school: string, when: string) =>
    `บันทึกนัดนิเทศ ${school} ${when} แล้ว แจ้งผู้อำนวยการโรงเรียนพร้อมแบบประเมินตนเองก่อนรับการนิเทศ และจะเตือนท่านบ่ายวันก่อนและเช้าวันนิเทศ\n(Visit planned; the principal is told and you will be reminded.)`,
  moved: (school: string, when: string) =>
    `เลื่อนนัดนิเทศ ${school} เป็น ${when} แล้ว แจ้งผู้เกี่ยวข้องเรียบร้อย\n(Visit moved; everyone concerned is told.)`,
  confirmCancel: (school: string, when: string) => `ยกเลิกนัดนิเทศ ${school} ${when} ใช่หรือไม่?\n(Cancel this visit?)`,
  cancelYes: 'ยกเลิกนัดนี้',
  keep: 'ไม่ยกเลิก',
  cancelled: (school: string) => `ยกเลิกนัดนิเทศ ${school} แล้ว แจ้งผู้อำนวยการโรงเรียนเรียบร้อย\n(Visit cancelled.)`,
  planStopped: 'ยกเลิกการนัดนิเทศที่กำลังทำแล้ว\n(Planning stopped.)',
  visitGone: 'ไม่พบนัดนิเทศนี้ หรือไม่ใช่ของท่าน หรือถูกยกเลิก/บันทึกไปแล้ว\n(This visit is not yours, or was cancelled or recorded.)',
  planHelp:
    'การนิเทศ: พิมพ์ "นัดนิเทศ" เพื่อนัด, "ตารางนิเทศ" เพื่อดู เลื่อน ยกเลิก หรือบันทึกผล พิมพ์ "ยกเลิก" เพื่อออก\n(Visits: type นัดนิเทศ to plan, ตารางนิเทศ to list.)',
  myVisits: (n: number) => `นัดนิเทศของท่าน ${n} รายการ\n(Your visits.)`,
  myVisitsPast: (planned: number, past: number) =>
    `นัดนิเทศของท่าน ${planned} รายการ · นิเทศแล้ว ${past} ครั้งล่าสุดแสดงต่อท้าย\n(Your visits, then recent past ones.)`,
  pastStatus: (decision: string | null) => (decision === null ? 'นิเทศแล้ว' : `นิเทศแล้ว · ${decision}`),
  schoolActions: (lines: string[]) => `ข้อตกลงจากการนิเทศที่ยังค้าง (${lines.length}):\n${lines.join('\n')}`,
  schoolActionLine: (i: number, school: string, what: string, due: string | null) =>
    `${i}. ${school}: ${what}${due === null ? '' : ` (กำหนด ${due})`}`,
  noVisits: 'ยังไม่มีนัดนิเทศ พิมพ์ "นัดนิเทศ" เพื่อนัดโรงเรียน\n(No visits yet; type นัดนิเทศ to plan one.)',
  record: 'บันทึกผล',
  move: 'เลื่อนนัด',
  cancel: 'ยกเลิกนัด',
  planNew: 'นัดนิเทศ',
  tooEarlyToRecord: (when: string) => `ยังไม่ถึงเวลานิเทศ (${when}) บันทึกผลได้หลังเวลานิเทศ\n(The visit has not started yet.)`,

  // Notices (pushed through the outbox)
  principalPlanned: (v: { school: string; when: string; supervisor: string; purpose: string }) =>
    `ศึกษานิเทศก์ ${v.supervisor} นัดนิเทศ ${v.school}\n${v.when}\nประเด็น: ${v.purpose}\nกรุณาทำแบบประเมินตนเองก่อนรับการนิเทศ\n(A supervision visit is planned; please complete the pre-visit self-assessment.)`,
  openSelfAssessment: 'ทำแบบประเมินตนเอง',
  principalMoved: (v: { school: string; when: string; supervisor: string }) =>
    `เลื่อนนัดนิเทศ ${v.school} เป็น ${v.when} (ศึกษานิเทศก์ ${v.supervisor})\n(The supervision visit was moved.)`,
  principalCancelled: (v: { school: string; when: string; supervisor: string }) =>
    `ยกเลิกนัดนิเทศ ${v.school} ${v.when} (ศึกษานิเทศก์ ${v.supervisor})\n(The supervision visit was cancelled.)`,
  remindEve: (school: string, when: string, purpose: string) =>
    `พรุ่งนี้มีนัดนิเทศ ${school} ${when}\nประเด็น: ${purpose}\n(Reminder: a visit tomorrow.)`,
  remindMorning: (school: string, when: string) => `วันนี้มีนัดนิเทศ ${school} ${when}\n(Reminder: a visit today.)`,
  remindRecord: (school: string) =>
    `บันทึกผลการนิเทศ ${school} ได้แล้ว กดปุ่ม "บันทึกผล" เพื่อเริ่ม\n(Please record the visit's findings.)`,
  previous: (v: { when: string; level: string | null; decision: string | null; improve: string | null }) =>
    [
      `ผลการนิเทศครั้งก่อน (${v.when})`,
      ...(v.level === null ? [] : [`ระดับคุณภาพโดยรวม: ${v.level}`]),
      ...(v.decision === null ? [] : [`ผลการประเมิน: ${v.decision}`]),
      ...(v.improve === null ? [] : [`จุดที่ควรพัฒนา: ${v.improve}`]),
    ].join('\n'),
  noPrevious: 'โรงเรียนนี้ยังไม่มีผลการนิเทศครั้งก่อนในระบบ',
  selfRatings: (when: string, lines: string[]) => `ผลการประเมินตนเองของโรงเรียน (ส่งเมื่อ ${when}):\n${lines.join('\n')}`,
  noSelfRatings: 'โรงเรียนยังไม่ได้ส่งผลการประเมินตนเอง',
  selfRatingLine: (label: string, level: string, achieved: boolean | null) =>
    `• ${label}: ${level}${achieved === null ? '' : achieved ? ' (ผ่านเป้าหมาย)' : ' (ต่ำกว่าเป้าหมาย)'}`,
  /** A rating on the findings card: the supervisor's level, the school's own and the gap. */
  ratingWithSelf: (level: string, self: number | null, gap: number | null) =>
    self === null ? level : `${level} · ตนเอง ${self} · ต่าง ${gap !== null && gap > 0 ? '+' : ''}${gap ?? 0}`,
  openActions: (lines: string[]) => `ข้อตกลงที่ยังค้าง (${lines.length}):\n${lines.join('\n')}`,
  actionLine: (i: number, what: string, owner: string | null, due: string | null) =>
    `${i}. ${what}${owner === null ? '' : ` — ${owner}`}${due === null ? '' : ` (กำหนด ${due})`}`,

  // After the record
  recordedFollowUp: (school: string) =>
    `${school} ยังไม่ผ่านเกณฑ์ ควรนัดนิเทศติดตามผล กดปุ่มด้านล่างเพื่อนัดได้เลย\n(Not yet achieved: plan a follow-up visit?)`,
  recordedNextVisit: (school: string, date: string) =>
    `กำหนดนิเทศติดตาม ${school} ตามที่บันทึกไว้: ${date} กดปุ่มด้านล่างเพื่อนัดวันนั้นได้เลย\n(Plan the follow-up visit on the date you recorded?)`,
  askWhenFollowUp: (school: string, date: string, ex: WhenExamples) =>
    `นิเทศติดตาม ${school}: วันที่บันทึกไว้ในแบบคือ ${date} กดปุ่มวันนั้นเพื่อนัดเวลา 09:00 น. หรือเลือก/พิมพ์วันเวลาอื่น เช่น "${ex.numeric} 09:30"\n(Use the follow-up date from the record at 09:00, or pick another.)`,
  followUpDateAt: (date: string) => `${date} 09:00`,
  planFollowUp: 'นัดนิเทศติดตาม',
  summaryAlt: (school: string) => `สรุปผลการนิเทศ ${school}`,
  summaryTitle: 'สรุปผลการนิเทศ',
  acknowledge: 'รับทราบ',
  comment: 'แสดงความคิดเห็น',
  decisionAchieved: 'ผ่านเกณฑ์',
  decisionNotYet: 'ยังไม่ผ่าน',

  // Principal
  acknowledged: (school: string) =>
    `รับทราบผลการนิเทศ ${school} แล้ว แจ้งศึกษานิเทศก์เรียบร้อย\n(Acknowledged; the supervisor is told.)`,
  alreadyAcknowledged: 'ท่านรับทราบผลการนิเทศครั้งนี้ไปแล้ว\n(Already acknowledged.)',
  askComment: 'พิมพ์ความคิดเห็นต่อผลการนิเทศ (ไม่เกิน 1,000 ตัวอักษร)\n(Type your comment.)',
  commented: 'บันทึกความคิดเห็นและรับทราบผลการนิเทศแล้ว แจ้งศึกษานิเทศก์เรียบร้อย\n(Comment saved; the supervisor is told.)',
  noVisitToAck: 'ไม่มีผลการนิเทศที่รอท่านรับทราบ\n(Nothing to acknowledge.)',
  notYourVisit: 'ผลการนิเทศนี้ไม่ใช่ของโรงเรียนท่าน\n(This visit is not your school’s.)',
  supervisorAck: (school: string, principal: string) =>
    `ผู้อำนวยการ ${principal} รับทราบผลการนิเทศ ${school} แล้ว\n(The principal acknowledged the visit.)`,
  supervisorComment: (school: string, principal: string, comment: string) =>
    `ผู้อำนวยการ ${principal} (${school}) แสดงความคิดเห็นต่อผลการนิเทศ:\n${comment}`,
  actionReminder: (school: string, what: string, due: string) =>
    `ข้อตกลงจากการนิเทศ ${school} ครบกำหนด ${due}:\n${what}\n(A follow-up from the supervision visit is due.)`,
  actionDone: 'ดำเนินการแล้ว',
  dueActionsHeader: (total: number) =>
    `ข้อตกลงจากการนิเทศที่ยังค้าง รวม ${total} ข้อ (เรียงตามกำหนด)\n(Open follow-up actions, soonest due first.)`,
  unitAction: 'ข้อ',
  dueActionLine: (a: {
    what: string;
    owner: string | null;
    due: string | null;
    late: number | null;
    school: string | null;
  }) =>
    `• ${a.school === null ? '' : `${a.school}: `}${a.what}${a.owner === null ? '' : ` — ${a.owner}`}${a.due === null ? '' : ` · กำหนด ${a.due}`}${
      a.late !== null && a.late > 0 ? ` (เลยกำหนด ${a.late} วัน)` : ''
    }`,
  dueActionsNone: 'ไม่มีข้อตกลงจากการนิเทศที่ค้างอยู่ในความรับผิดชอบของท่าน\n(No open follow-up actions.)',
  dueActionsNotAllowed:
    'ข้อตกลงจากการนิเทศดูได้เฉพาะศึกษานิเทศก์ ผู้อำนวยการโรงเรียน และผู้บริหารสำนักงาน\n(For supervisors, principals and directors.)',
  actionClosed: 'บันทึกว่าดำเนินการข้อตกลงนี้แล้ว ขอบคุณครับ\n(Marked done.)',
  actionGone: 'ไม่พบข้อตกลงนี้ หรือดำเนินการไปแล้ว\n(No such open follow-up.)',
} as const;
