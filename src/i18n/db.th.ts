// What the CLI and `npm start` say when another process holds the embedded database's folder.
export const database = {
  locked: (dir: string, pid: number) =>
    `ฐานข้อมูลในโฟลเดอร์ ${dir} กำลังถูกใช้โดยโปรแกรมอื่นที่ทำงานอยู่ (pid ${pid}) เช่น npm start\n` +
    'หยุดโปรแกรมนั้นก่อน (กด Ctrl+C) แล้วสั่งใหม่ หรือทำงานนี้ผ่านเซิร์ฟเวอร์ที่ทำงานอยู่ (หน้าเว็บผู้ดูแล /admin หรือ API /admin/api/v1) ข้อมูลยังไม่ถูกบันทึก\n' +
    `The database in ${dir} is in use by another running process (pid ${pid}), such as npm start.\n` +
    'Stop it first (Ctrl+C) and run this again, or do this through the running server (the /admin pages or the /admin/api/v1 API). Nothing was written.',
} as const;
