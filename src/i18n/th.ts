// Every user-facing sentence of the chat, Thai first with a short English line after it.
// Logic never spells out text: it picks an entry here, so wording and translation live in one place.
import type { Role } from '../db/schema.js';

export const roleLabel: Record<Role, string> = {
  teacher: 'ครู',
  principal: 'ผู้อำนวยการโรงเรียน',
  supervisor: 'ศึกษานิเทศก์',
  director: 'ผู้บริหารสำนักงานเขตพื้นที่การศึกษา',
  admin: 'ผู้ดูแลระบบของสำนักงาน',
  committee: 'กรรมการ ก.ต.ป.น.',
};

export const roleLabelEn: Record<Role, string> = {
  teacher: 'teacher',
  principal: 'school director',
  supervisor: 'supervisor',
  director: 'office director',
  admin: 'office administrator',
  committee: 'committee member',
};

/** Shown once, at the first contact (PDPA s.23). Offices may replace it with their own text. */
export const defaultPrivacyNotice = [
  'ประกาศความเป็นส่วนตัว (PDPA)',
  'บอท "นิเทศ" ใช้ข้อมูลของท่านเพื่องานนิเทศ ติดตาม และประกันคุณภาพการศึกษาของสำนักงานเขตพื้นที่การศึกษา ตามภารกิจของรัฐ (มาตรา 24(4))',
  '• ข้อมูลที่เก็บ: ชื่อ บทบาท โรงเรียน รหัสผู้ใช้ LINE คำตอบแบบสำรวจ/แบบประเมิน และรูปหรือไฟล์หลักฐานที่ท่านส่ง (ไม่เก็บรูปโปรไฟล์)',
  '• ผู้รับข้อมูล: บุคลากรของสำนักงานและโรงเรียนตามบทบาท และ LINE (LY Corporation) ในฐานะผู้ให้บริการส่งข้อความ',
  '• ระยะเวลา: คำตอบเก็บเป็นเอกสารราชการตามระเบียบงานสารบรรณ ข้อมูลการสนทนาลบเมื่อไม่ได้ใช้งาน 180 วัน',
  '• สิทธิของท่าน: พิมพ์ "ขอสำเนาข้อมูล" เพื่อดูข้อมูลของท่าน หรือ "ลบข้อมูลของฉัน" เพื่อขอลบ หรือติดต่อผู้ดูแลระบบของสำนักงาน',
  'Privacy notice: your name, role, school, LINE user ID, answers and evidence photos or files are used only for the supervision work of your education office (public task), shared with office staff by role and with LINE as the carrier. Type "ขอสำเนาข้อมูล" for a copy of your data, or "ลบข้อมูลของฉัน" to ask for erasure.',
].join('\n');

/** One help line per role word (src/conversation/role-menu.ts's ROLE_WORDS): help lists only a role's own. */
const roleWordHelp: Record<string, string> = {
  นัดนิเทศ: '• นัดนิเทศ / ตารางนิเทศ / บันทึกนิเทศ — นัด ดู และบันทึกการนิเทศ (visits)',
  รับทราบ: '• รับทราบ — รับทราบผลการนิเทศล่าสุดของโรงเรียน (acknowledge)',
  SAR: "• SAR ชื่อโรงเรียน — อ่านสรุป SAR ของโรงเรียนและส่งข้อเสนอแนะ (a school's SAR, feedback)",
  'สรุป SAR': '• สรุป SAR — สรุปผลการประเมินตนเองของโรงเรียนทั้งเขต (SAR summary)',
  ต่ำกว่าเป้า: '• ต่ำกว่าเป้า — โรงเรียนที่มาตรฐานต่ำกว่าค่าเป้าหมาย (below target)',
  ค้างส่ง: '• ค้างส่ง — ใครยังไม่ส่งแบบที่เปิดอยู่ ตามขอบเขตของท่าน (overdue)',
  ข้อตกลงค้าง: '• ข้อตกลงค้าง — ข้อตกลงจากการนิเทศที่ยังไม่เสร็จ เรียงตามกำหนด (follow-ups)',
  สรุปสัปดาห์นี้: '• สรุปสัปดาห์นี้ — สรุปประจำสัปดาห์ ณ ตอนนี้ (this week)',
  รายงาน: '• รายงาน — ลิงก์เข้าหน้ารายงาน ใช้ได้ครั้งเดียว (reports)',
  เข้าเว็บ: '• เข้าเว็บ — ลิงก์เข้าเว็บของสำนักงาน ใช้ได้ครั้งเดียว (web)',
};

export const th = {
  askInviteCode:
    'กรุณาพิมพ์ "รหัสเชิญ" 8 ตัวที่ได้รับจากสำนักงาน เพื่อเชื่อมบัญชี LINE กับรายชื่อของท่าน\n(Please type the 8-character invite code from your office.)',
  inviteNotCodeShaped:
    'รหัสเชิญมี 8 ตัว เป็นตัวอักษรภาษาอังกฤษและตัวเลข เช่น K7M2Q9XP (เว้นวรรคหรือขีดได้)\n(An invite code has 8 letters and digits.)',
  inviteNotFound: (left: number) =>
    `ไม่พบรหัสเชิญนี้ กรุณาตรวจสอบแล้วพิมพ์ใหม่ (เหลืออีก ${left} ครั้ง)\n(Code not found; ${left} tries left.)`,
  inviteExpired:
    'รหัสเชิญนี้หมดอายุแล้ว กรุณาขอรหัสใหม่จากผู้ดูแลระบบของสำนักงาน\n(This code has expired; ask your office for a new one.)',
  inviteUsed: 'รหัสเชิญนี้ถูกใช้ไปแล้ว หากไม่ใช่ท่านเป็นผู้ใช้ กรุณาแจ้งผู้ดูแลระบบของสำนักงาน\n(This code was already used.)',
  inviteRevoked: 'รหัสเชิญนี้ถูกยกเลิกแล้ว กรุณาขอรหัสใหม่จากผู้ดูแลระบบของสำนักงาน\n(This code was revoked.)',
  inviteWrongOffice:
    'รหัสเชิญนี้เป็นของสำนักงานอื่น กรุณาใช้บัญชี LINE ของสำนักงานที่ออกรหัสให้ท่าน\n(This code belongs to another office account.)',
  inviteLocked: (until: string) =>
    `ใส่รหัสไม่ถูกต้องหลายครั้งแล้ว กรุณาลองใหม่หลังเวลา ${until} น.\n(Too many wrong codes; try again after ${until}.)`,
  onboardingHelp:
    'บอทนี้ใช้สำหรับงานนิเทศของสำนักงานเขตพื้นที่การศึกษา ขั้นแรกต้องเชื่อมบัญชีด้วยรหัสเชิญ 8 ตัวที่สำนักงานส่งให้ หากยังไม่มี กรุณาติดต่อผู้ดูแลระบบของสำนักงาน\n(First link your account with the invite code from your office.)',
  inviteWhose: (p: { name: string; role: string; school: string | null; office: string }) =>
    `รหัสนี้เป็นบัญชีของ ${p.name} (${p.role}) ${p.school ?? p.office} ใช่ไหม?\nตอบ "ใช่" เพื่อเชื่อมบัญชี หรือ "ไม่ใช่" หากไม่ใช่ท่าน\n(Is this your account? Reply ใช่ to link it.)`,
  inviteNotMine:
    'ยังไม่ได้เชื่อมบัญชี รหัสนี้ยังใช้ได้สำหรับเจ้าของ หากท่านได้รับรหัสผิด กรุณาแจ้งผู้ดูแลระบบของสำนักงาน\n(Not linked; the code stays unused.)',
  welcome: (name: string, role: Role) =>
    `ยินดีต้อนรับ คุณ${name} (${roleLabel[role]}) เชื่อมบัญชีเรียบร้อยแล้ว\n(Welcome! Your account is linked as ${roleLabelEn[role]}.)`,
  welcomeByRole: {
    teacher: 'ท่านจะได้รับแบบสำรวจและแบบประเมินทีละข้อในแชตนี้ ตอบได้ทั้งกดปุ่มและพิมพ์ และกลับมาตอบต่อได้ทุกเมื่อ',
    principal: 'ท่านจะได้รับแบบประเมินระดับโรงเรียน การนัดหมายนิเทศ และสรุปผลการนิเทศ พร้อมดูได้ว่าครูคนใดยังไม่ได้ตอบ',
    supervisor: 'ท่านจะได้รับการแจ้งเตือนการนิเทศ วางแผนและบันทึกผลการนิเทศ และติดตามโรงเรียนที่รับผิดชอบได้ในแชตนี้',
    director:
      'ท่านจะได้รับสรุปรายสัปดาห์: การตอบแบบประเมิน โรงเรียนที่ล่าช้า การนิเทศ และมาตรฐานที่ต่ำกว่าเป้าหมาย พิมพ์ "สรุป SAR" เพื่อดูสรุปผลการประเมินตนเองของโรงเรียนทั้งเขต',
    admin: 'ท่านตั้งค่าโรงเรียน บุคลากร แบบประเมิน และแคมเปญได้จากหน้าผู้ดูแลระบบ และดูสถานะได้ในแชตนี้',
    committee: 'ท่านจะได้รับหนังสือเชิญและการแจ้งเตือนการประชุมคณะกรรมการ ก.ต.ป.น. ตอบรับการเข้าประชุม และติดตามมติที่ประชุมได้ในแชตนี้',
  } satisfies Record<Role, string>,
  welcomeBack: (name: string) => `ยินดีต้อนรับกลับ คุณ${name}\n(Welcome back.)`,
  menuPending: (n: number) => `มีแบบประเมินที่รอท่านอยู่ ${n} รายการ`,
  menuTitle: 'เมนูหลัก — เลือกจากปุ่มด้านล่าง หรือพิมพ์คำสั่ง เช่น "สถานะ" "ช่วยเหลือ"\n(Main menu: tap a button or type a command.)',
  status: (p: { name: string; role: Role; school: string | null; office: string }) =>
    [
      `ชื่อ: ${p.name}`,
      `บทบาท: ${roleLabel[p.role]}`,
      ...(p.school === null ? [] : [`โรงเรียน: ${p.school}`]),
      `สำนักงาน: ${p.office}`,
      '(Your linked account.)',
    ].join('\n'),
  /** The words anyone may type, then only those of the person's own role (`words`: ROLE_WORDS of the role). */
  help: (words: readonly string[], extra: readonly string[] = []): string =>
    [
      'คำสั่งที่ใช้ได้ทุกเมื่อ (พิมพ์ได้เลย):',
      '• เมนู — กลับเมนูหลัก (menu)',
      '• เช็กลิสต์ — ดูแบบประเมินที่ต้องทำ (checklists)',
      '• ตั้งค่า — เวลาแจ้งเตือน และปิด/เปิดการแจ้งเตือน (settings)',
      '• สถานะ — ดูบัญชีที่เชื่อมไว้ (status)',
      '• ยกเลิก — ออกจากขั้นตอนปัจจุบัน (cancel)',
      '• ย้อนกลับ — กลับไปข้อก่อนหน้า (back)',
      '• ข้าม — ข้ามข้อที่ไม่บังคับ (skip)',
      '• หยุด / พักไว้ก่อน — พักไว้ ทำต่อได้ภายหลัง คำตอบที่ตอบแล้วไม่หาย (pause)',
      '• ขอสำเนาข้อมูล / ลบข้อมูลของฉัน — ขอสำเนาข้อมูลส่วนบุคคลของท่าน หรือขอลบ (a copy of your data, erasure)',
      '• ช่วยเหลือ — ดูคำแนะนำนี้ (help)',
      ...[...extra, ...words].flatMap((w) => (w in roleWordHelp ? [roleWordHelp[w]] : [])),
      'ใช้ LINE บนคอมพิวเตอร์ก็พิมพ์ตอบแทนการกดปุ่มได้ ตัวเลขไทยหรืออารบิกก็ได้',
    ].join('\n'),
  nothingToCancel: 'ตอนนี้ไม่มีขั้นตอนที่ต้องยกเลิก\n(Nothing to cancel.)',
  nothingToGoBack: 'ตอนนี้ไม่มีข้อก่อนหน้าให้ย้อนกลับ\n(Nothing to go back to.)',
  nothingToSkip: 'ตอนนี้ไม่มีข้อให้ข้าม\n(Nothing to skip.)',
  notUnderstood:
    'ขออภัย ไม่เข้าใจข้อความนี้ ลองเลือกจากเมนู หรือพิมพ์ "ช่วยเหลือ"\n(Sorry, I did not understand. Try the menu or type "help".)',
  stickerWhereText:
    'ขอบคุณสำหรับสติกเกอร์ 😊 ตอนนี้บอทรอข้อความตัวอักษรอยู่\n(Thanks for the sticker! I need a typed answer here.)',
  mediaWhereText:
    'ขอบคุณครับ ตอนนี้ยังไม่ต้องส่งรูปหรือไฟล์ บอทรอข้อความตัวอักษรอยู่\n(No file is needed at this step; please type your answer.)',
  locationWhereText:
    'ขอบคุณครับ ตอนนี้ไม่ต้องส่งตำแหน่ง บอทรอข้อความตัวอักษรอยู่\n(No location is needed here; please type your answer.)',
  staleButton:
    'ปุ่มนี้เป็นของคำถามก่อนหน้า ขอถามข้อปัจจุบันอีกครั้งนะครับ\n(That button belongs to an earlier question; here is the current one.)',
  turnFailed:
    'ขออภัย บันทึกข้อความนี้ไม่ได้ ลองพิมพ์ใหม่อีกครั้ง หรือตอบแบบอื่นนะครับ\n(Sorry, this message could not be saved; please try again in other words.)',
  groupOnly:
    'บอท "นิเทศ" ทำงานในแชตส่วนตัว 1:1 เท่านั้น กรุณาเพิ่มเพื่อนแล้วทักในแชตส่วนตัวครับ\n(nithet works in 1:1 chats only; please message it directly.)',
  /** Each role's main actions as words: the menu's quick replies send them, and they work typed (no rich menu on PC). */
  roleWords: {
    planVisit: 'นัดนิเทศ',
    visits: 'ตารางนิเทศ',
    record: 'บันทึกนิเทศ',
    /** A school's SAR and feedback on it (src/sar/feedback-chat.ts). */
    sarSchool: 'SAR',
    actions: 'ข้อตกลงค้าง',
    overdue: 'ค้างส่ง',
    week: 'สรุปสัปดาห์นี้',
    sar: 'สรุป SAR',
    below: 'ต่ำกว่าเป้า',
    reports: 'รายงาน',
    web: 'เข้าเว็บ',
  },
  quick: {
    menu: 'เมนู',
    status: 'สถานะ',
    settings: 'ตั้งค่า',
    help: 'ช่วยเหลือ',
    yes: 'ใช่',
    no: 'ไม่ใช่',
  },
} as const;
