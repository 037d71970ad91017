// Chat words of the web sign-in (`เข้าเว็บ`), Thai first, English after.
export const signin = {
  link: (url: string, minutes: number) =>
    `ลิงก์เข้าสู่ระบบเว็บของสำนักงาน ใช้ได้ครั้งเดียวภายใน ${minutes} นาที อย่าส่งต่อให้ผู้อื่น\n${url}\n(Your sign-in link to the office's web pages: it works once, within ${minutes} minutes. Do not share it.)`,
  reportsLink: (url: string, minutes: number) =>
    `ลิงก์เข้าหน้ารายงานของสำนักงาน (รายงานโรงเรียน กลุ่มโรงเรียน และสำนักงาน ภาคเรียน/ปีการศึกษา พิมพ์ได้ และดาวน์โหลด XLSX/PDF) ใช้ได้ครั้งเดียวภายใน ${minutes} นาที อย่าส่งต่อให้ผู้อื่น\n${url}\n(Your sign-in link to the office's reports: it works once, within ${minutes} minutes. Do not share it.)`,
  agencyLink: (url: string, minutes: number) =>
    `ลิงก์เข้าหน้างานร่วมกับหน่วยงานอื่น (ขั้นตอน เอกสาร และการส่งต่อขั้นถัดไป) ใช้ได้ครั้งเดียวภายใน ${minutes} นาที อย่าส่งต่อให้ผู้อื่น\n${url}\n(Your sign-in link to the agency project's page: its stages, documents and the next step. It works once, within ${minutes} minutes. Do not share it.)`,
  refused:
    'ขออภัย เว็บของสำนักงานเปิดให้ผู้ดูแลระบบ ผู้อำนวยการเขต และศึกษานิเทศก์เท่านั้น งานของท่านทำในแชตนี้ได้ทั้งหมด พิมพ์ "เมนู" เพื่อดูสิ่งที่ทำได้\n(Sorry, the office web pages are for its admins, director and supervisors; everything you need is here in the chat. Type "menu".)',
} as const;
