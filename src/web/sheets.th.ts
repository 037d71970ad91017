// Words of the invite sheets and the office settings page, Thai first with English after it.
export const webSheets = {
  sheets: 'ใบเชิญเข้าใช้งาน / Invite sheets',
  sheetsIntro:
    'พิมพ์ใบเชิญของแต่ละโรงเรียน: ทุกคนที่ยังไม่ได้เชื่อม LINE จะได้รหัสเชิญใหม่ พร้อม QR สำหรับเพิ่มเพื่อนบัญชี LINE ของสำนักงาน / Print each school’s sheet: everyone not yet linked gets a new invite code, with a QR code that adds the office’s LINE account.',
  noBasicId:
    'ยังไม่ได้ตั้งค่า LINE ID ของบัญชีทางการของสำนักงาน ใบเชิญจะไม่มี QR กรุณาตั้งค่าที่หน้าตั้งค่าสำนักงาน / The office’s LINE Official Account id is not set: sheets will have no QR code. Set it in the office settings.',
  school: 'โรงเรียน / School',
  unlinked: 'ยังไม่เชื่อม LINE / Not linked',
  people: 'บุคลากร / People',
  prepare: 'เตรียมใบเชิญ / Prepare sheet',
  confirmTitle: (school: string) => `ออกรหัสเชิญใหม่ให้ ${school} / New invite codes for ${school}`,
  confirmBody: (n: number) =>
    `จะออกรหัสเชิญใหม่ ${n} คน รหัสเดิมที่ยังไม่ได้ใช้จะใช้ไม่ได้อีก รหัสจะแสดงเพียงครั้งเดียว กรุณาพิมพ์ทันที / ${n} people get new codes; their old unused codes stop working. The codes are shown once: print them now.`,
  nobody: 'ทุกคนในโรงเรียนนี้เชื่อม LINE แล้ว / Everyone at this school is linked',
  issue: 'ออกรหัสและพิมพ์ / Issue codes and print',
  cancel: 'ยกเลิก / Cancel',
  print: 'พิมพ์ (A4) / Print (A4)',
  sheetTitle: 'ใบเชิญเข้าใช้งานนิเทศ / Nithet invite',
  step1: '1. สแกน QR เพื่อเพิ่มเพื่อนบัญชี LINE ของสำนักงาน / Scan to add the office on LINE',
  step1NoQr: '1. เพิ่มเพื่อนบัญชี LINE ของสำนักงาน / Add the office on LINE',
  step2: '2. พิมพ์รหัสเชิญนี้ในแชต / Type this code in the chat',
  expires: 'ใช้ได้ถึง / Valid until',
  tooMany: (n: number) => `แสดง ${n} คนแรก พิมพ์อีกครั้งสำหรับคนที่เหลือ / The first ${n} shown; print again for the rest.`,
  // Settings
  settings: 'ตั้งค่าสำนักงาน / Office settings',
  nameTh: 'ชื่อสำนักงาน (ไทย) / Name (Thai)',
  nameEn: 'ชื่อสำนักงาน (อังกฤษ) / Name (English)',
  quietStart: 'เริ่มช่วงงดส่งข้อความ (นาฬิกา) / Quiet hours start (hour)',
  quietEnd: 'สิ้นสุดช่วงงดส่งข้อความ (นาฬิกา) / Quiet hours end (hour)',
  quietHint:
    'ระบบจะไม่ส่งข้อความแจ้งเตือนในช่วงเวลานี้ (0–23 น. เวลาของสำนักงาน) / No pushes between these hours (0–23, office time).',
  privacy: 'ประกาศความเป็นส่วนตัว (PDPA) / Privacy notice',
  privacyHint:
    'เว้นว่างเพื่อใช้ประกาศมาตรฐานของระบบ อย่างน้อย 20 ตัวอักษร / Leave empty for the built-in notice; at least 20 characters.',
  basicId: 'LINE ID ของบัญชีทางการ (เช่น @123abcde) / LINE Official Account id',
  basicIdHint:
    'ดูได้ใน LINE Official Account Manager ใช้สร้าง QR ในใบเชิญ / From LINE Official Account Manager; used for the invite sheets’ QR.',
  save: 'บันทึก / Save',
  saved: 'บันทึกแล้ว / Saved',
  fixErrors: 'กรุณาแก้ไขช่องที่มีข้อผิดพลาด / Please correct the highlighted fields',
  errRequired: 'กรุณากรอก / Required',
  errHour: 'ต้องเป็นตัวเลข 0–23 / A whole number from 0 to 23',
  errBasicId: 'ต้องขึ้นต้นด้วย @ เช่น @123abcde / Starts with @, e.g. @123abcde',
  errPrivacy: 'อย่างน้อย 20 ตัวอักษร ไม่เกิน 5,000 / 20 to 5,000 characters',
  errTooLong: 'ยาวเกินไป / Too long',
  // Office tokens
  tokens: 'รหัสผู้ดูแลของสำนักงาน (token) / Office tokens',
  tokensIntro:
    'ใช้เข้าสู่ระบบหน้าเว็บหรือเรียก API ของสำนักงานนี้เท่านั้น ระบบเก็บเพียงค่าแฮช จึงแสดงรหัสได้ครั้งเดียวตอนสร้าง / Each signs in to this office’s pages and API only. Only a hash is kept, so a token is shown once, when made.',
  tokenLabel: 'ชื่อเรียก / Label',
  tokenLabelHint: 'เช่น "ธุรการ เครื่องสำนักงาน" หรือ "ระบบรายงานของเขต" / What it is for',
  tokenCreate: 'สร้างรหัสใหม่ / Create a token',
  tokenCreated: 'สร้างรหัสแล้ว / Token created',
  tokenOnce:
    'คัดลอกรหัสนี้เก็บไว้ในที่ปลอดภัยตอนนี้ หน้านี้จะไม่แสดงรหัสอีก หากทำหายให้ยกเลิกแล้วสร้างใหม่ / Copy it somewhere safe now: it is never shown again. If it is lost, revoke it and make another.',
  tokenCreatedAt: 'สร้างเมื่อ / Created',
  tokenLastUsed: 'ใช้ล่าสุด / Last used',
  tokenState: 'สถานะ / State',
  tokenActive: 'ใช้งานได้ / Active',
  tokenRevoked: 'ยกเลิกแล้ว / Revoked',
  tokenNever: 'ยังไม่เคยใช้ / Never',
  noTokens: 'ยังไม่มีรหัส / No tokens yet',
  revoke: 'ยกเลิกรหัส / Revoke',
  revokeTitle: (label: string) => `ยกเลิกรหัส "${label}"? / Revoke this token?`,
  revokeBody:
    'รหัสนี้และทุกการเข้าสู่ระบบที่เริ่มจากรหัสนี้จะใช้ไม่ได้ทันที ยกเลิกแล้วเปิดใช้อีกไม่ได้ / The token and every session it started stop working at once; this cannot be undone.',
  revokeConfirm: 'ยืนยันการยกเลิก / Confirm revoke',
  revoked: 'ยกเลิกรหัสแล้ว / Token revoked',
  tokenByToken:
    'ท่านเข้าสู่ระบบด้วยรหัสของสำนักงาน ซึ่งสร้างหรือยกเลิกรหัสไม่ได้ กรุณาเข้าสู่ระบบจาก LINE (เข้าเว็บ) / Signed in with an office token, which cannot make or revoke tokens: sign in from LINE.',
  errLabel: 'กรุณาตั้งชื่อเรียก (ไม่เกิน 200 ตัวอักษร) / Give it a label (at most 200 characters)',
} as const;
