import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { flexProblems } from './limits.js';
import { visitListCarousel, visitNoticeBubble, visitSummaryBubble } from './visit-cards.js';

const long = (s: string, n: number) => s.repeat(n);
const check = (contents: Parameters<typeof flexProblems>[0]['contents']) => {
  const msg = { type: 'flex' as const, altText: 'นิเทศ', contents };
  expect(
    validateMessagingRequest('POST', '/v2/bot/message/push', { to: `U${'0'.repeat(32)}`, messages: [msg] }),
  ).toEqual([]);
  expect(flexProblems(msg)).toEqual([]);
};

describe('visit cards', () => {
  it.each([1, 40])('notice, summary and list are valid and within limits (strings ×%i)', (n) => {
    check(
      visitNoticeBubble({
        title: 'นัดหมายการนิเทศ',
        school: long('โรงเรียนบ้านหนองน้ำใส', n),
        when: 'วันพุธที่ 25 พฤศจิกายน พ.ศ. 2569 เวลา 09:30 น.',
        supervisor: long('นางอัญชลี นิเทศงาม', n),
        purpose: long('ติดตามการจัดการเรียนรู้เชิงรุก 😀', n),
        button: { label: 'ทำแบบประเมินตนเอง', data: 'a=open&c=00000000-0000-4000-8000-000000000000' },
      }),
    );
    check(
      visitSummaryBubble({
        title: 'สรุปผลการนิเทศ',
        school: long('โรงเรียนบ้านหนองน้ำใส', n),
        when: 'วันพุธที่ 25 พฤศจิกายน พ.ศ. 2569 09:30 น.',
        supervisor: 'นางอัญชลี นิเทศงาม',
        overall: '4 ดีเลิศ',
        decision: 'ยังไม่ผ่าน',
        ratings: Array.from({ length: 8 }, (_, i) => ({ label: long(`ตัวชี้วัดที่ ${i + 1} การบริหาร`, n), level: '4 ดีเลิศ' })),
        strengths: long('ครูใช้สื่อหลากหลาย ', n * 20),
        improve: long('การวัดผลตามสภาพจริง ', n * 20),
        suggestions: long('จัด PLC ทุกสัปดาห์ ', n * 20),
        photos: 3,
        actions: Array.from({ length: 10 }, () => ({
          what: long('จัดทำแผน ', n * 10),
          owner: long('ครู', n),
          due: '15 ธ.ค. 2569',
        })),
        buttons: [
          { label: 'รับทราบ', data: 'a=vack&v=00000000-0000-4000-8000-000000000000' },
          { label: 'แสดงความคิดเห็น', data: 'a=vcom&v=00000000-0000-4000-8000-000000000000' },
        ],
      }),
    );
    check(
      visitListCarousel(
        Array.from({ length: 14 }, () => ({
          school: long('โรงเรียนบ้านหนองน้ำใส', n),
          when: 'วันพุธที่ 25 พฤศจิกายน พ.ศ. 2569 เวลา 09:30 น.',
          purpose: long('ติดตาม ', n * 10),
          status: 'นัดไว้',
          buttons: [
            { label: 'บันทึกผล', data: 'a=vrec&v=00000000-0000-4000-8000-000000000000' },
            { label: 'เลื่อนนัด', data: 'a=vmove&v=00000000-0000-4000-8000-000000000000' },
            { label: 'ยกเลิกนัด', data: 'a=vcancel&v=00000000-0000-4000-8000-000000000000' },
          ],
        })),
      ),
    );
  });
});
