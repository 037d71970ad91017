import { describe, expect, it } from 'vitest';
import { fontFacesCss, REPORT_FONT_FILES, reportFonts } from './fonts.js';

describe('reportFonts', () => {
  it('reads each file once, as base64 of its bytes, and reads again after a failed attempt', async () => {
    const reads: string[] = [];
    let fail = true;
    const fonts = reportFonts((file) => {
      reads.push(file);
      if (fail) throw new Error('not there yet');
      return new Uint8Array([0x77, 0x4f, 0x46, 0x32, 0xff]);
    });
    await expect(fonts()).rejects.toThrow('not there yet');
    fail = false;
    const faces = await fonts();
    await fonts();
    expect(faces.map((f) => [f.subset, f.weight, f.data])).toEqual(
      REPORT_FONT_FILES.map((f) => [f.subset, f.weight, 'd09GMv8=']),
    );
    expect(reads.filter((r) => r === 'sarabun-thai-400-normal.woff2')).toHaveLength(2);
  });

  it('encodes a file longer than one chunk of the encoder', async () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256);
    const [face] = await reportFonts(() => bytes)();
    expect(Buffer.from(face?.data ?? '', 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes one @font-face per face, with the unicode range of its subset, and none without fonts', () => {
    const css = fontFacesCss([
      { subset: 'thai', weight: 700, data: 'AAAA' },
      { subset: 'latin', weight: 400, data: 'BBBB' },
    ]);
    expect(css).toContain(
      "font-weight:700;font-display:block;src:url(data:font/woff2;base64,AAAA) format('woff2');unicode-range:U+0E01-0E5B",
    );
    expect(css).toContain("base64,BBBB) format('woff2');unicode-range:U+0000-00FF");
    expect(fontFacesCss([])).toBe('');
  });
});
