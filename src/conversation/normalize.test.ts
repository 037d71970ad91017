import { describe, expect, it } from 'vitest';
import { cleanText, commandKey, isWord, normalizeText, particleForms, thaiDigitsToArabic } from './normalize.js';

describe('normalizeText', () => {
  it.each([
    ['๑๒๓', '123'],
    ['ข้อ ๕', 'ข้อ 5'],
    ['  เมนู  ', 'เมนู'],
    ['ＡＢＣ１２３', 'ABC123'],
    ['a\u200Bb', 'ab'],
    ['line1\n\nline2', 'line1\nline2'],
    ['a \t b \n  c', 'a b\nc'],
    ['\r\nx\r\n', 'x'],
    ['๐๙', '09'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('leaves Thai letters, tone marks and SARA AM intact', () => {
    expect(normalizeText('ผู้อำนวยการ')).toBe('ผู้อำนวยการ');
    expect(normalizeText('ทำ')).toBe('\u0E17\u0E33');
  });

  it('repairs NIKHAHIT + SARA AA typed in place of SARA AM', () => {
    expect(normalizeText('ท\u0E4D\u0E32')).toBe('ทำ');
  });

  it('converts only Thai digits', () => {
    expect(thaiDigitsToArabic('ก๑ข๙')).toBe('ก1ข9');
  });
});

describe('commandKey and particleForms', () => {
  it.each([
    ['MENU', 'menu'],
    [' Help ', 'help'],
    ['สถานะ', 'สถานะ'],
  ])('%j → %j', (input, expected) => {
    expect(commandKey(input)).toBe(expected);
  });

  it.each([
    ['เมนูครับ', ['เมนูครับ', 'เมนู']],
    ['สถานะค่ะ', ['สถานะค่ะ', 'สถานะ', 'สถา']], // why callers try the forms in order
    ['เมนูนะครับ', ['เมนูนะครับ', 'เมนูนะ', 'เมนู']],
    ['นัดนิเทศจ้า', ['นัดนิเทศจ้า', 'นัดนิเทศ']],
    ['เมนู', ['เมนู']],
    ['ครับ', ['ครับ']],
  ])('%j → forms %j', (input, expected) => {
    expect(particleForms(input)).toEqual(expected);
  });

  it('isWord takes the exact word first, then without particles', () => {
    const words = new Set(['สถานะ', 'นัดนิเทศ']);
    expect(isWord(words, 'สถานะ')).toBe(true);
    expect(isWord(words, 'สถานะคะ')).toBe(true);
    expect(isWord(words, 'นัดนิเทศจ้า')).toBe(true);
    expect(isWord(words, 'นัดนิเทศหน่อย')).toBe(false);
    expect(isWord(words, 'ครับ')).toBe(false);
  });
});

describe('cleanText', () => {
  it('drops control characters but tab and line feed, and makes lone surrogates U+FFFD', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009f')).toBe('abcdef');
    expect(cleanText('a\tb\nc\r\n')).toBe('a\tb\nc\n');
    expect(cleanText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(cleanText('😀 ครู')).toBe('😀 ครู');
    // What comes out is always well-formed: it survives a JSON round trip unchanged.
    const out = cleanText('\ud83d\ude00\ud83d');
    expect(out).toBe('😀\ufffd');
    expect(JSON.parse(JSON.stringify(out))).toBe(out);
  });
});
