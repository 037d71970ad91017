import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../test/support/fake-line.js';
import { flexProblems } from './limits.js';
import { welcomeBubble } from './welcome.js';

const message = (card: Parameters<typeof welcomeBubble>[0]) => ({
  type: 'flex' as const,
  altText: `ยินดีต้อนรับ คุณ${card.name}`,
  contents: welcomeBubble(card),
});

describe('welcome card', () => {
  it.each([
    [
      'typical',
      {
        name: 'สมศรี ใจดี',
        roleLabel: 'ครู',
        schoolName: 'โรงเรียนบ้านหนองน้ำใส',
        officeName: 'สพป.ตัวอย่าง เขต 1',
        roleText: 'ข้อความ',
      },
    ],
    [
      'no school (director)',
      { name: 'ดร.วรวุฒิ', roleLabel: 'ผู้บริหาร', schoolName: null, officeName: 'สพป.ตัวอย่าง', roleText: 'ข้อความ' },
    ],
    [
      'very long Thai strings and emoji',
      {
        name: 'ก'.repeat(300),
        roleLabel: 'ผู้อำนวยการโรงเรียน'.repeat(10),
        schoolName: 'โรงเรียนบ้านหนองน้ำใสวิทยาคม😀'.repeat(30),
        officeName: 'สำนักงานเขตพื้นที่การศึกษาประถมศึกษา'.repeat(20),
        roleText: 'ท่านจะได้รับแบบสำรวจ'.repeat(100),
      },
    ],
  ])('%s: valid against LINE’s spec and within size limits', (_, card) => {
    const msg = message(card);
    expect(validateMessagingRequest('POST', '/v2/bot/message/reply', { replyToken: 't', messages: [msg] })).toEqual([]);
    expect(flexProblems(msg)).toEqual([]);
    // The school row appears only when there is a school.
    expect(JSON.stringify(msg).includes('"โรงเรียน"')).toBe(card.schoolName !== null);
  });

  it('the limit check itself catches an oversized bubble', () => {
    const huge = message({
      name: 'ครู',
      roleLabel: 'ครู',
      schoolName: null,
      officeName: 'x',
      roleText: 'ก'.repeat(20_000),
    });
    expect(flexProblems(huge)).toEqual([expect.stringMatching(/^bubble is \d+ bytes \(max 30000\)$/)]);
  });
});
