// Text as people type it on phones and PCs: Thai digits (๐–๙), full-width forms, stray spaces and zero-width marks.
// Everything the conversation compares goes through here first.

import { memoize } from '../objects/memo.js';

const THAI_ZERO = 0x0e50;

/** Strings longer than this are normalised afresh each time: commands and short answers are what repeat. */
const MEMO_MAX_LENGTH = 64;
/** Distinct strings a memo keeps before it starts over. */
const MEMO_ENTRIES = 1024;

/**
 * One turn's text is read by many flows (each flow's words, the global commands, the answer parser), each asking
 * for its command key and particle forms: a pure function of a short string is worked out once, then looked up.
 */
function memo<T>(fn: (text: string) => T): (text: string) => T {
  const cached = memoize(fn, MEMO_ENTRIES);
  return (text) => (text.length > MEMO_MAX_LENGTH ? fn(text) : cached(text));
}

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
export const normalizeText = memo(function normalizeText(text: string): string {
  return (
    thaiDigitsToArabic(text.normalize('NFKC'))
      .replace(/\u0E4D\u0E32/g, '\u0E33')
      .replace(/[\u200B-\u200D\uFEFF]/g, '')
      // Line breaks carry meaning in text answers (a list of strengths); other runs of space do not.
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ ?\n[\s]*/g, '\n')
      .trim()
  );
});

/** For comparing commands and labels: normalised and lower-case. */
export const commandKey = memo(function commandKey(text: string): string {
  return normalizeText(text).toLowerCase();
});

/**
 * Thai polite particles that end a reply ("เมนูครับ", "ไม่มีค่ะ", "มีนะคะ", "นัดนิเทศจ้า"): the one list every flow
 * strips, longest first so "ครับผม" goes whole.
 */
const PARTICLES = ['ครับผม', 'ครับ', 'คับ', 'ขอรับ', 'ค่ะ', 'ค่า', 'คะ', 'จ้ะ', 'จ้า', 'จ๊ะ', 'นะ', 'ฮะ', 'ฮับ'] as const;

const PARTICLE_END = new RegExp(`\\s?(?:${PARTICLES.join('|')})$`, 'u');
const PARTICLE_WORD = new RegExp(`^(?:${PARTICLES.join('|')})$`, 'u');

/** One trailing particle removed (and the space before it); the text itself when it ends in none. */
export const stripParticle = (text: string): string => text.replace(PARTICLE_END, '');

/** The word is a particle on its own ("ครับ" between two choices is a separator, not an answer). */
export const isParticle = (word: string): boolean => PARTICLE_WORD.test(word);

/**
 * The key, then each shorter form with one more trailing particle stripped: "เมนูนะครับ" → ["เมนูนะครับ",
 * "เมนูนะ", "เมนู"]. Never an empty form. Callers try them in order, so an exact word wins: "สถานะ" ends in "นะ".
 */
export const particleForms = memo(function particleForms(key: string): readonly string[] {
  const forms = [key];
  for (let s = key; ;) {
    const next = stripParticle(s).trim();
    if (next === s || next === '') return Object.freeze(forms);
    forms.push(next);
    s = next;
  }
});

/** What `lookup` finds for the first of `key`'s forms (see particleForms) it knows, or null. */
export function findWord<T>(key: string, lookup: (form: string) => T | undefined): T | null {
  for (const form of particleForms(key)) {
    const hit = lookup(form);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Typed text is one of `words` (already command keys), with or without trailing particles. */
export function isWord(words: ReadonlySet<string>, text: string): boolean {
  for (const form of particleForms(commandKey(text))) if (words.has(form)) return true;
  return false;
}
