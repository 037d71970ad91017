import { describe, expect, it } from 'vitest';
import { THUMB_TTL_MS, thumbSigner, thumbUrl, thumbValid } from './thumbs.js';

const KEY = 'k'.repeat(40);
const ID = '0b0e8f9a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const NOW = Date.parse('2026-12-05T03:20:00Z');
const parts = (url: string) => {
  const m = /\/evidence-thumbs\/([0-9a-f-]{36})\/(\d+)\/([0-9a-f]{64})$/.exec(url);
  if (m === null) throw new Error(url);
  return { id: m[1] ?? '', exp: m[2] ?? '', sig: m[3] ?? '' };
};

describe('signed thumbnail URLs', () => {
  it('carry only the id, an expiry and the MAC, and verify until they expire', async () => {
    const url = await thumbUrl(KEY, 'https://nithet.example', ID, NOW);
    expect(url.startsWith('https://nithet.example/evidence-thumbs/')).toBe(true);
    const { id, exp, sig } = parts(url);
    expect(id).toBe(ID);
    expect(Number(exp) * 1000).toBeGreaterThanOrEqual(NOW + THUMB_TTL_MS);
    expect(await thumbValid(KEY, id, exp, sig, NOW)).toBe(true);
    expect(await thumbValid(KEY, id, exp, sig, Number(exp) * 1000 - 1)).toBe(true);
    expect(await thumbValid(KEY, id, exp, sig, Number(exp) * 1000)).toBe(false);
    // The same hour's URL again: a review re-sent soon reuses the images LINE already loaded.
    expect(await thumbUrl(KEY, 'https://nithet.example', ID, NOW + 60_000)).toBe(url);
  });

  it('refuses another id, a moved expiry, a changed MAC, another key, or an expiry beyond the lifetime', async () => {
    const { id, exp, sig } = parts(await thumbUrl(KEY, 'https://x', ID, NOW));
    const other = '0b0e8f9a-1c2d-4e5f-8a9b-0c1d2e3f4a5c';
    expect(await thumbValid(KEY, other, exp, sig, NOW)).toBe(false);
    expect(await thumbValid(KEY, id, String(Number(exp) + 3600), sig, NOW)).toBe(false);
    expect(await thumbValid(KEY, id, exp, `${sig.slice(0, 63)}${sig.endsWith('0') ? '1' : '0'}`, NOW)).toBe(false);
    expect(await thumbValid('z'.repeat(40), id, exp, sig, NOW)).toBe(false);
    expect(await thumbValid(KEY, id, 'x', sig, NOW)).toBe(false);
    expect(await thumbValid(KEY, id, exp, 'ab', NOW)).toBe(false);
    // Signed for a far expiry with the right key: still refused, a URL lives at most a day (and the hour it rounds to).
    const far = parts(await thumbUrl(KEY, 'https://x', ID, NOW + 30 * 86_400_000));
    expect(await thumbValid(KEY, far.id, far.exp, far.sig, NOW)).toBe(false);
  });

  it('are not offered without a key or over plain http, which LINE does not load', async () => {
    expect(thumbSigner(undefined, 'https://x', NOW)).toBeNull();
    expect(thumbSigner(KEY, 'http://localhost:8787', NOW)).toBeNull();
    const sign = thumbSigner(KEY, 'https://x/', NOW);
    expect(await sign?.(ID)).toBe(await thumbUrl(KEY, 'https://x', ID, NOW));
  });
});
