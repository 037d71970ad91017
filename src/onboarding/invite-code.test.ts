import { describe, expect, it } from 'vitest';
import {
  canonicalInviteCode,
  formatInviteCode,
  generateInviteCode,
  hashInviteCode,
  INVITE_ALPHABET,
} from './invite-code.js';

describe('invite codes', () => {
  it.each([
    ['K7M2-Q9XP', 'K7M2Q9XP'],
    ['k7m2 q9xp', 'K7M2Q9XP'],
    ['K7M2Q9XP', 'K7M2Q9XP'],
    ['k7m2_q9xp', 'K7M2Q9XP'],
    ['รหัส g6d8-u7m2 ค่ะ', 'G6D8U7M2'],
    ['รหัสเชิญคือk7m2 q9xpครับ', 'K7M2Q9XP'],
    ['my code is K7M2Q9XP thanks', 'K7M2Q9XP'],
    // About one code in ten has no digit: as printed (with its hyphen) it still reads inside a sentence.
    ['รหัส kxmq-pwrt ค่ะ', 'KXMQPWRT'],
  ])('reads %j as %j', (typed, canonical) => {
    expect(canonicalInviteCode(typed)).toBe(canonical);
  });

  it.each([
    'K7M2Q9X',
    'K7M2Q9XPP',
    'K7M2Q9X0',
    'K7M2Q9XI',
    'สวัสดีครับ',
    '',
    'ขอ menu test ครับ',
    'ขอดู menutest ครับ',
    'รหัส AK7M2Q9XP ค่ะ',
    'รหัส K7M2-Q9X0 ค่ะ',
  ])('rejects %j', (typed) => {
    expect(canonicalInviteCode(typed)).toBeNull();
  });

  it('generates canonical 8-character codes from the alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateInviteCode();
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      expect(canonicalInviteCode(formatInviteCode(code))).toBe(code);
    }
  });

  it('maps bytes without bias: every byte value lands on alphabet[b % 32]', () => {
    const code = generateInviteCode(() => Uint8Array.from([0, 31, 32, 63, 255, 1, 2, 3]));
    expect(code).toBe([0, 31, 0, 31, 31, 1, 2, 3].map((i) => INVITE_ALPHABET[i]).join(''));
  });

  it('hashes deterministically and differently per code', async () => {
    const a = await hashInviteCode('K7M2Q9XP');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashInviteCode('K7M2Q9XP')).toBe(a);
    expect(await hashInviteCode('K7M2Q9XQ')).not.toBe(a);
  });
});
