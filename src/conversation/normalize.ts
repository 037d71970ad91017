// Text as people type it on phones and PCs: Thai digits (๐–๙), full-width forms, stray spaces and zero-width marks.
// Everything the conversation compares goes through here first.

const THAI_ZERO = 0x0e50;

export function thaiDigitsToArabic(text: string): string {
  return text.replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - THAI_ZERO));
}

/** NFKC folds full-width letters and digits to ASCII; Thai itself is unchanged by it. */
export function normalizeText(text: string): string {
  return thaiDigitsToArabic(text.normalize('NFKC'))
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** For comparing commands and labels: normalised, lower-case, without a trailing polite particle. */
export function commandKey(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/\s*(ครับ|ค่ะ|คะ|จ้ะ|จ้า|นะ)$/u, '')
    .trim();
}
