// Text as people type it on phones and PCs: Thai digits (๐–๙), full-width forms, stray spaces and zero-width marks.
// Everything the conversation compares goes through here first.

const THAI_ZERO = 0x0e50;

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C0 and C1 controls and DEL, except tab and line feed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Every string that arrives from LINE, before anything else looks at it: control characters other than \n and \t
 * dropped (Postgres refuses NUL in text and jsonb), lone surrogates replaced by U+FFFD (JSON and jsonb refuse them),
 * so what is stored is always well-formed text.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

export function thaiDigitsToArabic(text: string): string {
  return text.replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - THAI_ZERO));
}

/**
 * NFKC folds full-width letters and digits to ASCII. It also splits SARA AM (ำ) into NIKHAHIT + SARA AA (ํา);
 * we join them back, which also repairs that look-alike pair when people type it by hand.
 */
export function normalizeText(text: string): string {
  return (
    thaiDigitsToArabic(text.normalize('NFKC'))
      .replace(/\u0E4D\u0E32/g, '\u0E33')
      .replace(/[\u200B-\u200D\uFEFF]/g, '')
      // Line breaks carry meaning in text answers (a list of strengths); other runs of space do not.
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ ?\n[\s]*/g, '\n')
      .trim()
  );
}

/** For comparing commands and labels: normalised and lower-case. */
export function commandKey(text: string): string {
  return normalizeText(text).toLowerCase();
}

/**
 * The same key without a trailing polite particle ("เมนูครับ" → "เมนู"), or null when there is none. Callers try
 * the exact key first: "สถานะ" itself ends in "นะ".
 */
export function withoutParticle(key: string): string | null {
  const stripped = key.replace(/\s*(ครับ|ค่ะ|คะ|จ้ะ|จ้า|นะ)$/u, '').trim();
  return stripped === key || stripped === '' ? null : stripped;
}
