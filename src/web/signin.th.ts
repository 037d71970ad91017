// Words of the sign-in pages (the token form's extra line, the chat link's confirmation), Thai first, English after.
export const webSignin = {
  formHint:
    'เจ้าหน้าที่ของสำนักงาน: ใช้รหัสของสำนักงาน (nta_…) หรือพิมพ์ “เข้าเว็บ” ในแชต LINE ของบอทเพื่อรับลิงก์เข้าสู่ระบบ / Office staff: use your office token, or type “เข้าเว็บ” in the LINE chat for a sign-in link.',
  linkTitle: 'เข้าสู่ระบบจากลิงก์ในแชต',
  linkTitleEn: 'Sign in from a chat link',
  linkBody: 'กดปุ่มด้านล่างเพื่อเข้าสู่ระบบ ลิงก์นี้ใช้ได้ครั้งเดียว / Press the button to sign in; the link works once.',
  linkButton: 'เข้าสู่ระบบ / Sign in',
  linkInvalid:
    'ลิงก์นี้ใช้ไม่ได้แล้ว (ใช้ไปแล้ว หมดอายุ หรือไม่ถูกต้อง) พิมพ์ “เข้าเว็บ” ในแชต LINE อีกครั้งเพื่อรับลิงก์ใหม่ / This link no longer works (used, expired or wrong); type “เข้าเว็บ” in the LINE chat for a new one.',
  readOnly: 'บัญชีนี้ดูข้อมูลได้อย่างเดียว ไม่สามารถแก้ไขได้ / This account can read but not change anything.',
} as const;
