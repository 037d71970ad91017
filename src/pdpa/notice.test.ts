// The privacy notice names the chat words for a copy and for erasure (PDPA s.23, issue 17): each word it quotes must
// be one the PDPA flow really answers, so the notice and the flow cannot drift apart.
import { describe, expect, it } from 'vitest';
import { defaultPrivacyNotice, th } from '../i18n/th.js';
import { isCopyRequest, isEraseRequest } from './chat.js';

const quoted = (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');

describe('the privacy notice and help name working PDPA words', () => {
  it('quotes one copy word and one erasure word, both understood', () => {
    const words = quoted(defaultPrivacyNotice);
    expect(words.filter((w) => isCopyRequest({ kind: 'text', text: w }))).toEqual(['ขอสำเนาข้อมูล', 'ขอสำเนาข้อมูล']);
    expect(words.filter((w) => isEraseRequest({ kind: 'text', text: w }))).toEqual(['ลบข้อมูลของฉัน', 'ลบข้อมูลของฉัน']);
  });

  it('help lists the same words', () => {
    const help = th.help([]);
    expect(help).toContain('ขอสำเนาข้อมูล');
    expect(help).toContain('ลบข้อมูลของฉัน');
  });
});
