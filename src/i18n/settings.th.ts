// What the settings flow says, Thai first with a short English line.

const hh = (h: number) => `${String(h).padStart(2, '0')}:00 น.`;

export const settings = {
  summary: (hour: number, muted: boolean) =>
    [
      'การตั้งค่าของท่าน',
      `• เวลาแจ้งเตือนประจำวัน: ${hh(hour)}`,
      `• การแจ้งเตือน: ${muted ? 'ปิดอยู่ (ยังได้รับข้อความสำคัญ เช่น การนัดนิเทศ)' : 'เปิดอยู่'}`,
      'เลือกสิ่งที่ต้องการเปลี่ยนจากปุ่มด้านล่าง หรือพิมพ์ "เปลี่ยนเวลาแจ้งเตือน" / "ปิดการแจ้งเตือน"',
      '(Settings: reminder hour and mute.)',
    ].join('\n'),
  changeHour: 'เปลี่ยนเวลาแจ้งเตือน',
  mute: 'ปิดการแจ้งเตือน',
  unmute: 'เปิดการแจ้งเตือน',
  done: 'เสร็จ',
  askHour:
    'ต้องการให้แจ้งเตือนกี่โมง? แตะปุ่ม หรือพิมพ์ เช่น 8 หรือ 16:00 (ระหว่าง 07:00–19:00 น.)\n(What hour should reminders come?)',
  notAnHour: 'ขออภัย อ่านเวลาไม่ออก (Sorry, that is not an hour.)',
  quietHour: (h: number) => `${hh(h)} อยู่ในช่วงเวลาพักผ่อน (20:00–07:00 น.) ขอเลือกระหว่าง 07:00–19:00 น.`,
  hourSet: (h: number) => `ตั้งเวลาแจ้งเตือนเป็น ${hh(h)} เรียบร้อยแล้ว (Reminders now come at ${h}:00.)`,
  muted: 'ปิดการแจ้งเตือนประจำวันแล้ว เปิดอีกครั้งได้ที่ "ตั้งค่า" (Daily reminders are off.)',
  unmuted: (h: number) => `เปิดการแจ้งเตือนแล้ว จะแจ้งเตือนเวลา ${hh(h)} (Reminders are on.)`,
} as const;
