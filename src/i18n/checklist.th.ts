// What the checklist runner says, Thai first with a short English line where it helps.

export const checklist = {
  /** A file LINE no longer gives (src/checklists/evidence.ts): the bundle notice asking for it again. */
  fileLostTitle: (checklist: string) => `ส่งไฟล์ใหม่: ${checklist} · Please resend a file`,
  fileLost: (fileName: string | null) =>
    `ระบบรับ${fileName === null ? 'รูป' : `ไฟล์ "${fileName}"`}ที่ท่านส่งไม่สำเร็จ กรุณาเปิดแบบนี้แล้วส่งใหม่อีกครั้ง ` +
    `ข้อนั้นจะถามอีกครั้ง · ${fileName === null ? 'A photo' : `"${fileName}"`} could not be received; open the checklist and send it again.`,
  /** A file LINE gave but that cannot be kept: not what its name says (by its first bytes), or over 10 MB. */
  fileRefused: (fileName: string | null, reason: 'type' | 'size') =>
    fileName === null
      ? reason === 'size'
        ? 'รูปที่ท่านส่งใหญ่เกิน 10 MB จึงรับไว้ไม่ได้ กรุณาเปิดแบบนี้แล้วส่งรูปที่เล็กลง ข้อนั้นจะถามอีกครั้ง · ' +
          'A photo was over 10 MB; open the checklist and send a smaller one.'
        : 'สิ่งที่ท่านส่งไม่ใช่ไฟล์รูปภาพ จึงรับไว้ไม่ได้ กรุณาเปิดแบบนี้แล้วส่งรูปอีกครั้ง ข้อนั้นจะถามอีกครั้ง · ' +
          'What was sent is not a photo; open the checklist and send a photo.'
      : reason === 'size'
        ? `ไฟล์ "${fileName}" ใหญ่เกิน 10 MB จึงรับไว้ไม่ได้ กรุณาเปิดแบบนี้แล้วส่งไฟล์ที่เล็กลง ข้อนั้นจะถามอีกครั้ง · ` +
          `"${fileName}" is over 10 MB; open the checklist and send a smaller file.`
        : `ไฟล์ "${fileName}" ไม่ใช่ PDF, Word หรือ Excel (ตรวจจากเนื้อไฟล์) จึงรับไว้ไม่ได้ กรุณาเปิดแบบนี้แล้วส่งไฟล์ที่ถูกต้อง ` +
          `ข้อนั้นจะถามอีกครั้ง · "${fileName}" is not a PDF, Word or Excel file; open the checklist and send the right one.`,
  /** `about`: later questions may still drop out, so n is at most this. */
  progress: (i: number, n: number, about = false) => `ข้อ ${i}/${about ? 'ประมาณ ' : ''}${n}`,
  currentAnswer: (shown: string) => `คำตอบปัจจุบัน: ${shown} (พิมพ์หรือแตะคำตอบใหม่เพื่อเปลี่ยน)`,
  skippedAnswer: '(ข้าม)',
  toggled: (labels: string[]) =>
    labels.length === 0 ? 'ยังไม่ได้เลือก แตะตัวเลือก แล้วกด "เสร็จ"' : `เลือกแล้ว: ${labels.join(', ')} — กด "เสร็จ" เมื่อครบ`,
  nextChecklist: (title: string, due: string) => `ยังมีอีกแบบที่รอท่านอยู่: "${title}" (กำหนดส่ง ${due}) ทำต่อเลยไหม?`,
  startNext: 'ทำแบบถัดไป',
  pauseChip: 'พักไว้ก่อน',
  keepOrPause: (word: string) => `บันทึกคำว่า '${word}' เป็นคำตอบ หรือพักไว้ก่อน?`,
  keepAsAnswer: 'บันทึกเป็นคำตอบ',
  repeatInstance: (label: string, n: number) => `${label} รายการที่ ${n}`,
  optional: '(ไม่บังคับ — พิมพ์ "ข้าม" เพื่อข้าม)',
  hintYesNo: 'พิมพ์ "ใช่" หรือ "ไม่ใช่" ก็ได้',
  hintChoice: 'แตะปุ่ม หรือพิมพ์หมายเลข/ชื่อตัวเลือก',
  hintChoices: 'เลือกได้หลายข้อ: แตะทีละข้อแล้วกด "เสร็จ" หรือพิมพ์หมายเลขคั่นด้วยจุลภาค เช่น 1,3',
  moreChoices: (n: number) => `… และอีก ${n.toLocaleString('th-TH')} ตัวเลือก พิมพ์ชื่อ (บางส่วนก็ได้) เพื่อค้นหา`,
  picked: (labels: string) => `เลือกแล้ว: ${labels}`,
  hintRating: 'แตะระดับคุณภาพ หรือพิมพ์ 1–5 (5 = ยอดเยี่ยม)',
  hintNumber: (range: string) => `พิมพ์ตัวเลข${range}`,
  hintText: (max: number) => `พิมพ์คำตอบ (ไม่เกิน ${max.toLocaleString('th-TH')} ตัวอักษร)`,
  hintDate: 'แตะ "เลือกวันที่" หรือพิมพ์ เช่น 15/1/2570 หรือ 15 ม.ค. 2570',
  hintPhoto: (max: number) => `ส่งรูปหลักฐานได้สูงสุด ${max} รูป จากกล้องหรืออัลบั้ม แล้วกด "เสร็จ"`,
  hintAcknowledge: 'แตะ "รับทราบ" หรือพิมพ์ "รับทราบ"',
  acknowledge: 'รับทราบ',
  acknowledged: 'รับทราบแล้ว',
  hintDocument: (max: number) =>
    `ส่งไฟล์หลักฐาน (PDF, Word หรือ Excel ไม่เกิน 10 MB) ได้สูงสุด ${max} ไฟล์ ทางปุ่ม + ในแชต แล้วกด "เสร็จ"`,
  documentOnly: 'ข้อนี้รับไฟล์ PDF, Word (.doc, .docx) หรือ Excel (.xls, .xlsx) เท่านั้น (PDF, Word or Excel files only.)',
  documentTooBig: 'ไฟล์นี้ใหญ่เกิน 10 MB กรุณาส่งไฟล์ที่เล็กลง (Files up to 10 MB.)',
  documentMax: (max: number) =>
    `ข้อนี้รับไฟล์ได้สูงสุด ${max} ไฟล์ และได้รับครบแล้ว กด "เสร็จ" เพื่อไปข้อถัดไป (The file limit is reached.)`,
  documentNeeded: 'ข้อนี้ต้องมีไฟล์หลักฐานอย่างน้อย 1 ไฟล์ กรุณาส่งไฟล์ก่อนกด "เสร็จ" (At least one file is needed.)',
  documentReceived: (n: number, max: number) => `ได้รับไฟล์ที่ ${n} แล้ว${n < max ? ' ส่งเพิ่ม หรือกด "เสร็จ"' : ''}`,
  defaultIs: (shown: string) => `คำตอบที่ตั้งไว้: ${shown} (แตะ "ใช้คำตอบนี้" หรือพิมพ์คำตอบอื่น)`,
  useDefault: 'ใช้คำตอบนี้',
  previousIs: (shown: string) => `คำตอบครั้งก่อน (ภาคเรียนที่แล้ว): ${shown} (แตะ "ใช้คำตอบนี้" หรือตอบใหม่) / Last term's answer`,
  photoReceived: (n: number, max: number) => `ได้รับรูปที่ ${n} แล้ว${n < max ? ' ส่งเพิ่ม หรือกด "เสร็จ"' : ''}`,
  photoMax: (max: number) =>
    `ข้อนี้รับรูปได้สูงสุด ${max} รูป และได้รับครบแล้ว กด "เสร็จ" เพื่อไปข้อถัดไป (The photo limit is reached.)`,
  photoOnly: 'ข้อนี้รับเฉพาะรูปภาพ (ไม่รับวิดีโอ เสียง หรือไฟล์) (Photos only.)',
  photoNeeded: 'ข้อนี้ต้องมีรูปหลักฐานอย่างน้อย 1 รูป กรุณาส่งรูปก่อนกด "เสร็จ" (At least one photo is needed.)',
  notPhotoItem: 'ขอบคุณครับ แต่ข้อนี้ไม่ได้ขอรูปหรือไฟล์ ขอถามข้อเดิมอีกครั้ง (No photo or file is needed for this question.)',
  stickerHere: 'ขอบคุณสำหรับสติกเกอร์ 😊 ขอคำตอบของข้อนี้ก่อนนะครับ (Thanks! Please answer this question.)',
  locationHere: 'ข้อนี้ไม่ต้องส่งตำแหน่ง ขอคำตอบของข้อนี้ก่อนนะครับ (No location is needed here.)',
  required: 'ข้อนี้จำเป็นต้องตอบ ข้ามไม่ได้ (This question is required.)',
  constraintFailed: 'คำตอบนี้ไม่ตรงเงื่อนไขของข้อนี้ กรุณาตรวจสอบอีกครั้ง (This answer does not meet the rule.)',
  atFirst: 'นี่คือข้อแรกแล้ว (This is the first question.)',
  /** A label that is itself a question ("มีสิ่งที่ … หรือไม่") is asked as it is, not wrapped in another one. */
  addMore: (label: string, n: number) =>
    /(?:หรือไม่|ไหม|มั้ย|\?)\s*$/u.test(label)
      ? n === 0
        ? label
        : `${label} (บันทึกแล้ว ${n} รายการ — เพิ่มอีกไหม?)`
      : n === 0
        ? `มี "${label}" ที่ต้องบันทึกไหม?`
        : `มี "${label}" แล้ว ${n} รายการ — เพิ่มอีกไหม?`,
  maxReached: (label: string, n: number) => `บันทึก "${label}" ครบ ${n} รายการแล้ว (สูงสุด)`,
  paused: (title: string) =>
    `พัก "${title}" ไว้ก่อน คำตอบที่ตอบแล้วบันทึกไว้ครบ กลับมาทำต่อได้ทุกเมื่อจากเมนู "เช็กลิสต์"\n(Paused; your answers are saved.)`,
  progressStatus: (done: number, total: number, title: string) => `"${title}": ตอบแล้ว ${done} จาก ${total} ข้อ`,
  help: [
    'ตอบทีละข้อ: แตะปุ่มหรือพิมพ์คำตอบก็ได้',
    '• ข้าม — ข้ามข้อที่ไม่บังคับ',
    '• ย้อนกลับ — กลับไปข้อก่อนหน้า',
    '• แก้ข้อ 3 — แก้คำตอบข้อที่ 3',
    '• สถานะ — ดูว่าตอบไปกี่ข้อแล้ว',
    '• เมนู หรือ ยกเลิก — พักไว้ก่อน (คำตอบไม่หาย)',
  ].join('\n'),
  noSuchQuestion: (n: number, total: number) => `ไม่มีข้อ ${n} (มีข้อ 1–${total}) (No such question.)`,
  reviewIntro: (title: string) => `ตรวจทานคำตอบ "${title}" ก่อนส่ง แตะข้อที่ต้องการแก้ หรือพิมพ์ "แก้ข้อ 3"`,
  reviewIntroEditing: (title: string) => `คำตอบ "${title}" ที่ส่งแล้ว แก้ไขได้ถึงวันครบกำหนด แตะข้อที่ต้องการแก้ หรือพิมพ์ "แก้ข้อ 3"`,
  submitButton: 'ส่งคำตอบ',
  saveEditsButton: 'บันทึกการแก้ไข',
  submitted: (title: string, when: string) =>
    `ส่ง "${title}" เรียบร้อยแล้ว เมื่อ ${when} ขอบคุณครับ 🙏\n(Submitted. Thank you!)`,
  resubmitted: (title: string) => `บันทึกการแก้ไข "${title}" เรียบร้อยแล้ว\n(Your changes are saved.)`,
  missingRequired: (n: number) => `ยังมีข้อที่จำเป็นต้องตอบอีก ${n} ข้อ ขอพาไปข้อแรกที่ยังไม่ได้ตอบ`,
  notUnderstoodHere: 'ขออภัย ไม่เข้าใจคำตอบนี้',
  editClosed: 'เลยวันครบกำหนดแล้ว จึงแก้ไขคำตอบที่ส่งแล้วไม่ได้ หากจำเป็นกรุณาติดต่อศึกษานิเทศก์ (Past the due date.)',
  campaignGone: 'แบบประเมินนี้ปิดแล้ว หรือไม่ได้อยู่ในรายการของท่าน (This checklist is closed or not yours.)',
  noChecklists: 'ตอนนี้ไม่มีแบบประเมินที่ต้องทำ 🎉 (Nothing to answer right now.)',
  listTitle: 'เช็กลิสต์ของฉัน',
  whichTitle: (n: number) =>
    `มี ${n} แบบที่ชื่อตรงกับที่พิมพ์ ท่านหมายถึงแบบไหน? เลือกด้านล่างได้เลย\n(${n} checklists match. Which one?)`,
  supervisorNotice: (who: string, school: string, title: string) => `${who} (${school}) ส่ง "${title}" แล้ว`,
  yes: 'ใช่',
  no: 'ไม่ใช่',
  done: 'เสร็จ',
  skip: 'ข้าม',
  back: 'ย้อนกลับ',
  pickDate: 'เลือกวันที่',
  today: 'วันนี้',
  camera: 'ถ่ายรูป',
  cameraRoll: 'เลือกจากอัลบั้ม',
  addYes: 'เพิ่ม',
  addNo: 'ไม่เพิ่มแล้ว',
  menuChecklists: 'เช็กลิสต์',
} as const;
