// Typed answers to checklist questions, turned into values.
//
// LINE for PC shows no quick-reply buttons, so every question must also accept what people type: "ใช่ครับ", "ข้อ 2",
// "1, 3 และ 5", "ดีเลิศ", "12 คน", "15 ม.ค. 70". Each parser here is pure (no I/O, no clock: `today` is a parameter)
// and never throws on user text: a failure carries a kind message from ../i18n/answers.th.ts saying what IS accepted.
//
// Input has already been through normalizeText (NFKC, Thai digits → 0–9, whitespace collapsed); we run it again
// because it is idempotent and cheap, so callers and tests that pass raw text get the same answer.
import { isParticle, normalizeText, stripParticle } from '../conversation/normalize.js';
import { answers, ratingLevels } from '../i18n/answers.th.js';
import type { RatingLevel } from '../i18n/answers.th.js';

export type { RatingLevel } from '../i18n/answers.th.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface ChoiceOption {
  value: string;
  label: string;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = (message: string): ParseResult<never> => ({ ok: false, message });

/**
 * Yes/no, ratings, numbers and dates are a few words long. Anything much longer is not such an answer (a pasted
 * paragraph, a message meant for someone else), and refusing it early keeps every regex below on short strings.
 */
const MAX_SHORT_ANSWER = 200;

// ---------------------------------------------------------------------------------------------------------------
// Shared clean-up

/** Normalised and lower-cased; keycap emoji (1️⃣) become their digit, since some people "type" numbers that way. */
function base(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/(\d)\uFE0F?\u20E3/gu, '$1');
}

// Emoji, "!?", quotes around an answer: decoration, not content ("ใช่ครับ 🙏", '"ดีเลิศ"').
const DECORATION = /^[\s!?~…"'“”‘’«»\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F\u200D]$/u;

function trimDecoration(s: string, keep?: (c: string) => boolean): string {
  const chars = [...s];
  const drop = (c: string | undefined) => c !== undefined && DECORATION.test(c) && !(keep?.(c) ?? false);
  let start = 0;
  let end = chars.length;
  // Scanned by hand rather than with /[…]+$/, which backtracks quadratically on long runs.
  while (end > start && drop(chars[end - 1])) end--;
  while (start < end && drop(chars[start])) start++;
  return chars.slice(start, end).join('');
}

// Polite particles end most Thai replies ("ไม่มีค่ะ", "มีนะคะ"); they can stack, so they are removed repeatedly.

/** Without trailing particles and decoration; '' when that is all there was (an emoji, "ครับ"). */
function strip(key: string, keep?: (c: string) => boolean): string {
  let s = trimDecoration(key, keep);
  for (;;) {
    const next = trimDecoration(stripParticle(s), keep);
    if (next === s) return s;
    s = next;
  }
}

const compact = (s: string) => s.replace(/\s+/g, '');

/**
 * Without Thai tone marks, ็ ์ and the abbreviation mark ฯ: on a PC keyboard they are the easiest keys to miss
 * ("ยอดเยียม", "กุมภาพันธ", "คณิตฯ"). Only ever a second try, after the exact text.
 */
const loose = (s: string) => s.replace(/\u0E2F|[\u0E47-\u0E4C]/gu, '');

function vocabulary<V>(entries: [string[], V][]): Map<string, V> {
  const map = new Map<string, V>();
  for (const [words, v] of entries) {
    for (const w of words) {
      map.set(w, v);
      if (!map.has(loose(w))) map.set(loose(w), v);
    }
  }
  return map;
}

function lookup<V>(map: Map<string, V>, key: string): V | undefined {
  return map.get(key) ?? map.get(loose(key));
}

// ---------------------------------------------------------------------------------------------------------------
// Yes / no

const YES_NO = vocabulary<'yes' | 'no'>([
  [
    [
      ...['ใช่', 'ใช่แล้ว', 'มี', 'มีแล้ว', 'ทำแล้ว', 'ได้ทำแล้ว', 'ทำเรียบร้อยแล้ว', 'เรียบร้อย', 'เรียบร้อยแล้ว'],
      ...['เคย', 'เคยแล้ว', 'ผ่าน', 'ผ่านแล้ว', 'ถูก', 'ถูกต้อง', 'โอเค'],
      ...['✓', '✔', '☑', '✅', '👍', 'yes', 'y', 'yep', 'yeah', 'ok', 'okay', 'true', '1'],
    ],
    'yes',
  ],
  [
    [
      ...['ไม่', 'ไม่ใช่', 'ไม่มี', 'ยังไม่มี', 'ไม่ได้ทำ', 'ยังไม่ได้ทำ', 'ยังไม่ทำ', 'ยังไม่ได้', 'ยัง', 'ไม่ได้'],
      ...['ไม่เคย', 'ยังไม่เคย', 'ไม่ผ่าน', 'ผิด', 'ไม่ถูก', 'ไม่ถูกต้อง', 'เปล่า'],
      ...['✗', '✘', '✖', '❌', '❎', '👎', 'no', 'n', 'nope', 'false', '2'],
    ],
    'no',
  ],
]);

function yesNoWord(word: string): 'yes' | 'no' | undefined {
  // "✔️" and "👍🏽" carry a variation selector or skin tone; "ข้อ 1" and "1." are the numbered buttons typed out.
  const key = compact(word)
    .replace(/\uFE0F|\p{Emoji_Modifier}/gu, '')
    .replace(/^(?:ข้อที่|ข้อ)?([12])[.)]?$/u, '$1')
    .replace(/\.$/u, '');
  return key === '' ? undefined : lookup(YES_NO, key);
}

const isSignal = (c: string) => YES_NO.has(c);

/**
 * ใช่/ไม่ใช่, มี/ไม่มี, ทำแล้ว/ยังไม่ได้ทำ, เคย/ไม่เคย, ผ่าน/ไม่ผ่าน, ถูก/ผิด, ✓/✗, yes/no, 1 = yes, 2 = no.
 * Whole words only: "ไม่ใช่" contains "ใช่". Several words must agree ("ใช่ ทำแล้ว"); anything else is asked again,
 * because a wrong guess on a checklist is worse than one more question. A bare "ครับ" is not taken as yes.
 */
export function parseYesNo(text: string): ParseResult<'yes' | 'no'> {
  if (text.length > MAX_SHORT_ANSWER) return fail(answers.yesNo);
  const k = base(text);
  // ✅ and ❌ are answers, not decoration: "❌ ใช่" must not lose its ❌ and read as yes.
  const whole = yesNoWord(k) ?? yesNoWord(strip(k, isSignal));
  if (whole !== undefined) return ok(whole);

  const found = new Set<'yes' | 'no'>();
  // "ใช่ค่ะ✅": a symbol glued to words is a word of its own.
  for (const token of k.replace(/\p{Extended_Pictographic}|[✓✗✘]/gu, ' $& ').split(' ')) {
    const stripped = strip(token, isSignal);
    const answer = yesNoWord(token) ?? yesNoWord(stripped);
    if (answer !== undefined) found.add(answer);
    else if (stripped !== '') return fail(answers.yesNo); // a word we do not know: do not guess around it
  }
  if (found.size === 2) return fail(answers.yesNoBoth);
  const [only] = found;
  return only === undefined ? fail(answers.yesNo) : ok(only);
}

// ---------------------------------------------------------------------------------------------------------------
// Choices

interface IndexedChoice {
  value: string;
  label: string;
  key: string;
  valueKey: string;
}

function indexChoices(choices: readonly ChoiceOption[]): IndexedChoice[] {
  return choices.map((c) => ({ ...c, key: compact(base(c.label)), valueKey: c.value.toLowerCase() }));
}

type Resolution =
  | { kind: 'one'; index: number; fuzzy: 0 | 1 | 2 }
  | { kind: 'many'; indices: number[] }
  | { kind: 'ambiguous'; indices: number[] }
  | { kind: 'outOfRange'; n: number }
  | { kind: 'none' };

const NONE: Resolution = { kind: 'none' };
const one = (index: number, fuzzy: 0 | 1 | 2 = 0): Resolution => ({ kind: 'one', index, fuzzy });
const codePoints = (s: string) => [...s].length;

const BARE_NUMBER = /^(\d{1,4})[.)]?$/u;
const EXPLICIT_NUMBER = /^(?:ข้อที่|ข้อ|ตัวเลือกที่|ตัวเลือก|หมายเลข|ลำดับที่|เลขที่|no\.?|#)(\d{1,4})[.)]?$/u;
const NUMBER_THEN_LABEL = /^(\d{1,4})[.):=-]?(\D.*)$/u;
const RANGE = /^(?:ข้อที่|ข้อ)?(\d{1,4})(?:-|–|—|ถึง|to)(?:ข้อที่|ข้อ)?(\d{1,4})$/u;
const ALL = new Set(['ทั้งหมด', 'ทุกข้อ', 'ทุกตัวเลือก', 'เลือกทั้งหมด', 'ทุกอย่าง', 'all']);

interface ResolveMode {
  /** Ranges and "all" make sense only when several may be chosen. */
  multi: boolean;
  /** Prefix and substring matches, tried after every exact reading of the text has failed. */
  fuzzy: boolean;
  /** Only exact labels: for a stretch that spans a separator ("ครู, นักเรียน" could be one label). */
  exactOnly: boolean;
}

function indicesWhere(idx: IndexedChoice[], pred: (c: IndexedChoice) => boolean): number[] {
  const out: number[] = [];
  idx.forEach((c, i) => {
    if (pred(c)) out.push(i);
  });
  return out;
}

function byCount(indices: number[], fuzzy: 0 | 1 | 2): Resolution {
  if (indices.length === 1) return one(indices[0] ?? 0, fuzzy);
  return indices.length > 1 ? { kind: 'ambiguous', indices } : NONE;
}

/** One stretch of typed text (compact, lower-case) → which choice(s) it names. */
function resolve(seg: string, idx: IndexedChoice[], mode: ResolveMode): Resolution {
  if (seg === '') return NONE;
  const count = idx.length;
  const labelled = indicesWhere(idx, (c) => c.key === seg);
  if (mode.exactOnly) return byCount(labelled, 0);

  const explicit = EXPLICIT_NUMBER.exec(seg);
  if (explicit) {
    const n = Number(explicit[1]);
    return n >= 1 && n <= count ? one(n - 1) : { kind: 'outOfRange', n };
  }
  const bare = BARE_NUMBER.exec(seg);
  if (bare) {
    const n = Number(bare[1]);
    const position = n >= 1 && n <= count ? n - 1 : undefined;
    if (labelled.length === 0) return position === undefined ? { kind: 'outOfRange', n } : one(position);
    // A label that is itself a number ("0", "1", "2"): "1" could mean the first choice or the label "1". Ask,
    // listing both by number; "ข้อ 1" above is never ambiguous.
    const candidates = [...new Set([...(position === undefined ? [] : [position]), ...labelled])].sort((a, b) => a - b);
    return byCount(candidates, 0);
  }
  if (labelled.length > 0) return byCount(labelled, 0);
  const byValue = indicesWhere(idx, (c) => c.valueKey === seg);
  if (byValue.length > 0) return byCount(byValue, 0);

  if (mode.multi) {
    const range = RANGE.exec(seg);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      for (const n of [a, b]) if (n < 1 || n > count) return { kind: 'outOfRange', n };
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return { kind: 'many', indices: Array.from({ length: hi - lo + 1 }, (_, i) => lo - 1 + i) };
    }
    if (ALL.has(seg)) return { kind: 'many', indices: idx.map((_, i) => i) };
  }

  // "2. ภาษาไทย", copied from the numbered list on a PC: the number and the words must name the same choice.
  const lead = NUMBER_THEN_LABEL.exec(seg);
  if (lead) {
    const n = Number(lead[1]);
    const rest = (lead[2] ?? '').replace(/^[.):=-]+/u, '');
    const target = idx[n - 1];
    if (target !== undefined && rest !== '') {
      if (target.key === rest || (codePoints(rest) >= 2 && target.key.includes(rest))) return one(n - 1);
      const other = resolve(rest, idx, { multi: false, fuzzy: true, exactOnly: false });
      if (other.kind === 'one') return { kind: 'ambiguous', indices: [n - 1, other.index].sort((x, y) => x - y) };
    }
  }

  if (!mode.fuzzy || codePoints(seg) < 2) return NONE;
  const prefixed = indicesWhere(idx, (c) => c.key.startsWith(seg));
  if (prefixed.length > 0) return byCount(prefixed, 1);
  const inside = indicesWhere(idx, (c) => c.key.includes(seg));
  if (inside.length > 0) return byCount(inside, 2);
  // Last, the same without tone marks and ์: "วิทย์" (the usual short form) and "วิทย" both find วิทยาศาสตร์.
  const ls = loose(seg);
  if (codePoints(ls) < 2) return NONE;
  const loosePrefixed = indicesWhere(idx, (c) => loose(c.key).startsWith(ls));
  if (loosePrefixed.length > 0) return byCount(loosePrefixed, 2);
  const looseInside = indicesWhere(idx, (c) => loose(c.key).includes(ls));
  return byCount(looseInside, 2);
}

function numbered(idx: IndexedChoice[], indices?: number[]): { number: number; label: string }[] {
  return (indices ?? idx.map((_, i) => i)).map((i) => ({ number: i + 1, label: idx[i]?.label ?? '' }));
}

function choiceFailure(r: Resolution, shown: string, idx: IndexedChoice[]): ParseResult<never> {
  switch (r.kind) {
    case 'ambiguous':
      return fail(answers.choiceAmbiguous(shown, numbered(idx, r.indices)));
    case 'outOfRange':
      return fail(answers.choiceNumberOutOfRange(r.n, idx.length));
    case 'one':
    case 'many':
    case 'none':
      return fail(answers.choiceNotFound(shown, numbered(idx)));
  }
}

/**
 * One choice: by number ("2", "ข้อ 2", "2."), exact label (case- and space-insensitive), value, then a unique
 * prefix, then a unique substring of a label (at least 2 characters). Several matches → ask, listing them by number.
 */
export function parseChoice(text: string, choices: readonly ChoiceOption[]): ParseResult<string> {
  // Choices computed from data (a supervisor's assigned schools) can be empty: say so rather than crash the turn.
  if (choices.length === 0) return fail(answers.choiceNone);
  const idx = indexChoices(choices);
  const k = base(text);
  const stripped = strip(k);
  const shown = trimDecoration(normalizeText(text));
  if (stripped === '') return fail(answers.choiceEmpty(idx.length));

  // Exact readings of both forms first: "สถานะ" ends in นะ, and a label may end in a particle-looking syllable.
  const keys = [...new Set([compact(k), compact(stripped)])];
  let failure: Resolution = NONE;
  for (const fuzzy of [false, true]) {
    for (const key of keys) {
      const r = resolve(key, idx, { multi: false, fuzzy, exactOnly: false });
      if (r.kind === 'one') return ok(idx[r.index]?.value ?? '');
      if (failure.kind === 'none') failure = r;
    }
  }
  if (failure.kind === 'none') {
    // "1, 3" or "ภาษาไทย คณิต" to a one-choice question: say that only one is allowed, not "no such choice".
    const several = parseChoices(text, choices, {});
    if (several.ok && several.value.length > 1) return fail(answers.choiceOnlyOne(idx.length));
  }
  return choiceFailure(failure, shown, idx);
}

type Token = { kind: 'word'; text: string } | { kind: 'sep'; text: string };

// Between answers: "," ";" "、" and the word "และ"/"and"/"&". Newlines too, but normalizeText has usually turned
// them into spaces already, so spaces are also tried as separators below.
const SEPARATOR = /(,|;|、|และ|&)/u;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  text.split(/\r?\n/u).forEach((line, i) => {
    if (i > 0) tokens.push({ kind: 'sep', text: '\n' });
    for (const word of strip(base(line)).split(' ')) {
      for (const part of word.split(SEPARATOR)) {
        if (part === '') continue;
        const sep = SEPARATOR.test(part) || part === 'and' || isParticle(part);
        tokens.push({ kind: sep ? 'sep' : 'word', text: part });
      }
    }
  });
  return tokens;
}

/**
 * Several choices: "1,3,5", "1 3 5", "1, 3 และ 5", "1-3", "ทั้งหมด", or labels separated by commas, และ, newlines
 * or (since newlines usually arrive as spaces) spaces. The text is split into words and separators, then the
 * fewest stretches that each name a choice are found by dynamic programming, so labels may contain spaces or
 * "และ" themselves. Duplicates are dropped and the result follows the choices' order.
 */
export function parseChoices(
  text: string,
  choices: readonly ChoiceOption[],
  opts: { min?: number; max?: number },
): ParseResult<string[]> {
  if (choices.length === 0) return fail(answers.choiceNone);
  const idx = indexChoices(choices);
  const tokens = tokenize(text);
  if (!tokens.some((t) => t.kind === 'word')) return fail(answers.choicesEmpty(idx.length));

  // The longest stretch worth trying: the most tokens in a label, plus one for "2." or "ข้อ", at least "1 ถึง 3".
  const longestLabel = Math.max(...choices.map((c) => tokenize(c.label).length));
  const span = Math.max(3, longestLabel + 1);

  // best[i]: cheapest reading of tokens[0..i). Each stretch costs 100 (fewest stretches wins), plus 1 for a
  // prefix match and 2 for a substring match, so exact readings win ties.
  const n = tokens.length;
  const best: number[] = new Array<number>(n + 1).fill(Infinity);
  const back: { from: number; indices: number[] }[] = new Array<{ from: number; indices: number[] }>(n + 1);
  best[0] = 0;
  for (let j = 0; j < n; j++) {
    const here = best[j] ?? Infinity;
    if (here === Infinity) continue;
    const first = tokens[j];
    if (first?.kind === 'sep') {
      if (here < (best[j + 1] ?? Infinity)) {
        best[j + 1] = here;
        back[j + 1] = { from: j, indices: [] };
      }
      continue;
    }
    let joined = '';
    let spansSeparator = false;
    for (let end = j + 1; end <= Math.min(n, j + span); end++) {
      const tok = tokens[end - 1];
      if (tok === undefined) break;
      // "1 2" must stay two answers, never become 12.
      if (end > j + 1 && /\d$/u.test(joined) && /^\d/u.test(tok.text)) break;
      joined += tok.text;
      if (tok.kind === 'sep') {
        spansSeparator = true;
        continue;
      }
      const r = resolve(joined, idx, { multi: true, fuzzy: true, exactOnly: spansSeparator });
      let indices: number[];
      let cost: number;
      if (r.kind === 'one') [indices, cost] = [[r.index], 100 + r.fuzzy];
      else if (r.kind === 'many') [indices, cost] = [r.indices, 100];
      else continue;
      if (here + cost < (best[end] ?? Infinity)) {
        best[end] = here + cost;
        back[end] = { from: j, indices };
      }
    }
  }

  if ((best[n] ?? Infinity) === Infinity) {
    // Report the first word no reading could get past, with its own reason (ambiguous, no such number, unknown).
    let stuck = 0;
    for (let i = 0; i <= n; i++) if ((best[i] ?? Infinity) !== Infinity) stuck = i;
    const word = tokens.slice(stuck).find((t) => t.kind === 'word')?.text ?? '';
    const r = resolve(word, idx, { multi: true, fuzzy: true, exactOnly: false });
    return choiceFailure(r, word, idx);
  }

  const chosen = new Set<number>();
  for (let i = n; i > 0;) {
    const step = back[i];
    if (step === undefined) break;
    step.indices.forEach((x) => chosen.add(x));
    i = step.from;
  }
  const picked = [...chosen].sort((a, b) => a - b);
  const min = opts.min ?? 1;
  if (picked.length < min) return fail(answers.choicesTooFew(min, picked.length));
  if (opts.max !== undefined && picked.length > opts.max) return fail(answers.choicesTooMany(opts.max, picked.length));
  return ok(picked.map((i) => idx[i]?.value ?? ''));
}

// ---------------------------------------------------------------------------------------------------------------
// Rating (B.E. 2561 levels)

const LEVELS = [5, 4, 3, 2, 1] as const;

const RATING_NAMES = vocabulary<RatingLevel>([
  ...LEVELS.map((l): [string[], RatingLevel] => [[compact(ratingLevels[l].th)], l]),
  [['excellent'], 5],
  [['verygood'], 4],
  [['good'], 3],
  [['fair'], 2],
  [['developing'], 1],
]);

/**
 * A level named in words. Exact first, so "ดี" is 3 and never ดีเลิศ; then a unique prefix ("ยอด", "ปาน"); then a
 * Thai level name inside the text ("ยอดเยี่ยมมาก"), except ดี, which hides in ดีมาก and ไม่ดี, and nothing at all
 * when the text says ไม่ (not).
 */
function levelNamed(s: string): RatingLevel | undefined {
  const exact = lookup(RATING_NAMES, s);
  if (exact !== undefined) return exact;
  if (codePoints(s) < 2) return undefined;
  const names = LEVELS.map((l) => ({ l, key: loose(compact(ratingLevels[l].th)) }));
  const ls = loose(s);
  const prefixed = names.filter((x) => x.key.startsWith(ls));
  if (prefixed.length === 1) return prefixed[0]?.l;
  if (prefixed.length > 1 || ls.includes('ไม')) return undefined;
  const inside = names.filter((x) => x.l !== 3 && ls.includes(x.key));
  return inside.length === 1 ? inside[0]?.l : undefined;
}

const isLevel = (n: number): n is RatingLevel => Number.isInteger(n) && n >= 1 && n <= 5;

/**
 * 1–5, a level name (ยอดเยี่ยม ดีเลิศ ดี ปานกลาง กำลังพัฒนา, spaces and tone marks optional), "ระดับ 4", "4 ดีเลิศ"
 * (number and name must agree), "4/5". The digit is the level itself, never a position in a list: a question that
 * lists the levels must number them 5…1 as the standards do.
 */
export function parseRating(text: string): ParseResult<RatingLevel> {
  if (text.length > MAX_SHORT_ANSWER) return fail(answers.rating);
  const s = compact(strip(base(text)))
    .replace(/^(?:ระดับคุณภาพ|ระดับที่|ระดับ|level)/u, '')
    .replace(/^[(:=-]+|[).:=-]+$/gu, '');
  if (s === '') return fail(answers.rating);

  const outOfFive = /^(\d)\/5$/u.exec(s);
  const digits = outOfFive ? [outOfFive[1] ?? ''] : (s.match(/\d+/gu) ?? []);
  if (digits.length === 0) {
    const named = levelNamed(s);
    return named === undefined ? fail(answers.rating) : ok(named);
  }
  const n = Number(digits[0]);
  if (digits.length > 1 || !isLevel(n)) return fail(answers.rating);
  const rest = outOfFive
    ? ''
    : s
        .replace(/\d+/u, '')
        .replace(/[().:=\-–]/gu, '')
        .replace(/^(?:ดาว|คะแนน)$/u, '');
  if (rest === '') return ok(n);
  const named = levelNamed(rest);
  if (named === undefined) return fail(answers.rating);
  return named === n ? ok(n) : fail(answers.ratingConflict(n, named));
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

// Number, then optionally a unit or % ("12 คน", "75%", "3.5 ชม."): letters only, so "12abc34" and "1-5" fail.
const NUMBER =
  /^(?:(?:ร้อยละ|จำนวน|ประมาณ)\s?)?([+\-\u2212]?)\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\.?(?:\s?[%\p{L}][\p{L}\p{M}%./\s]*)?$/u;
const TOO_BIG = 1e15; // beyond this, doubles lose whole units; no checklist counts that high

/**
 * "1,234", "12.5", "-3", "12 คน", "75%", "ร้อยละ 75". Thousands separators must be in groups of three: "1,23"
 * might be a decimal comma and is refused rather than guessed.
 */
export function parseNumber(
  text: string,
  opts: { min?: number; max?: number; integer?: boolean },
): ParseResult<number> {
  if (text.length > MAX_SHORT_ANSWER) return fail(answers.numberNotNumber(opts));
  const m = NUMBER.exec(strip(base(text)));
  if (!m) return fail(answers.numberNotNumber(opts));
  const sign = m[1] === '-' || m[1] === '\u2212' ? -1 : 1;
  const value = sign * Number((m[2] ?? '').replace(/,/g, '')) + 0; // + 0 turns -0 into 0
  if (!Number.isFinite(value) || Math.abs(value) >= TOO_BIG) {
    const bounded = opts.min !== undefined || opts.max !== undefined;
    return fail(bounded ? answers.numberOutOfRange(value, opts) : answers.numberNotNumber(opts));
  }
  if (opts.integer === true && !Number.isInteger(value)) return fail(answers.numberNotInteger(opts));
  if ((opts.min !== undefined && value < opts.min) || (opts.max !== undefined && value > opts.max)) {
    return fail(answers.numberOutOfRange(value, opts));
  }
  return ok(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Trimmed and non-empty, at most maxLength UTF-16 code units (what the database column and LINE count). */
export function parseText(text: string, maxLength: number): ParseResult<string> {
  const t = text.trim();
  if (t === '') return fail(answers.textEmpty);
  if (t.length > maxLength) return fail(answers.textTooLong(t.length, maxLength));
  return ok(t);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const RELATIVE = vocabulary<number>([
  [['วันนี้', 'today'], 0],
  [['พรุ่งนี้', 'วันพรุ่งนี้', 'tomorrow'], 1],
  [['มะรืน', 'มะรืนนี้', 'วันมะรืน', 'วันมะรืนนี้'], 2],
  [['เมื่อวาน', 'เมื่อวานนี้', 'yesterday'], -1],
  [['เมื่อวานซืน'], -2],
]);

// Keys have no dots or spaces: "ม.ค.", "ม. ค." and "มค" are the same key. Colloquial short forms ("มกรา") and the
// common misspelling กรกฏาคม (ฏ for ฎ) are accepted; loose() covers a missing tone mark or ์.
const MONTHS = vocabulary<number>([
  [['มกราคม', 'มกรา', 'มค', 'january', 'jan'], 1],
  [['กุมภาพันธ์', 'กุมภา', 'กพ', 'february', 'feb'], 2],
  [['มีนาคม', 'มีนา', 'มีค', 'march', 'mar'], 3],
  [['เมษายน', 'เมษา', 'เมย', 'april', 'apr'], 4],
  [['พฤษภาคม', 'พฤษภา', 'พค', 'may'], 5],
  [['มิถุนายน', 'มิถุนา', 'มิย', 'june', 'jun'], 6],
  [['กรกฎาคม', 'กรกฏาคม', 'กรกฎา', 'กรกฏา', 'กค', 'july', 'jul'], 7],
  [['สิงหาคม', 'สิงหา', 'สค', 'august', 'aug'], 8],
  [['กันยายน', 'กันยา', 'กย', 'september', 'sept', 'sep'], 9],
  [['ตุลาคม', 'ตุลา', 'ตค', 'october', 'oct'], 10],
  [['พฤศจิกายน', 'พฤศจิกา', 'พย', 'november', 'nov'], 11],
  [['ธันวาคม', 'ธันวา', 'ธค', 'december', 'dec'], 12],
]);

const MIN_YEAR = 1900; // CE; outside 1900–2200 a year is a typo, not a checklist date
const MAX_YEAR = 2200;
const BE_OFFSET = 543;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : (DAYS[m - 1] ?? 0));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function parseToday(today: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  // `today` comes from our own clock code, not from a person: a bad one is a bug, so say so loudly.
  if (!m || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) throw new RangeError(`today must be YYYY-MM-DD: ${today}`);
  return { y, m: mo, d };
}

function addDays(t: { y: number; m: number; d: number }, days: number): string {
  return new Date(Date.UTC(t.y, t.m - 1, t.d + days)).toISOString().slice(0, 10);
}

/**
 * Year as typed → Common Era. Four digits: ≥ 2400 is B.E. (subtract 543), below is C.E., unless พ.ศ./ค.ศ. says
 * which. Two digits are always B.E. 25xx ("๑/๑/๗๐" is 2570), as Thai offices write them. No year: the year of today.
 */
function commonEraYear(typed: string | undefined, era: 'BE' | 'CE' | undefined, todayYear: number): number {
  if (typed === undefined) return todayYear;
  const y = Number(typed);
  if (typed.length === 2) return era === 'CE' ? 2000 + y : 2500 + y - BE_OFFSET;
  if (era === 'BE' || (era === undefined && y >= 2400)) return y - BE_OFFSET;
  return y;
}

function buildDate(
  day: string,
  month: number,
  year: string | undefined,
  era: 'BE' | 'CE' | undefined,
  todayYear: number,
): ParseResult<string> {
  const d = Number(day);
  const y = commonEraYear(year, era, todayYear);
  if (month < 1 || month > 12) return fail(answers.dateNoSuchMonth(month));
  if (y < MIN_YEAR || y > MAX_YEAR) return fail(answers.dateYearOutOfRange);
  const dim = daysIn(y, month);
  if (d < 1 || d > dim) return fail(answers.dateNoSuchDay(d, month, y + BE_OFFSET, dim));
  return ok(`${pad(y, 4)}-${pad(month, 2)}-${pad(d, 2)}`);
}

const WEEKDAY = '(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)';
const WEEKDAY_SUFFIX = new RegExp(`\\s?\\(?วัน${WEEKDAY}\\)?$`, 'u');
const WEEKDAY_PREFIX = new RegExp(`^(?:วัน${WEEKDAY}(?:ที่)?|วันที่|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?) ?`, 'u');
const YMD = /^(\d{4}) ?[-/.] ?(\d{1,2}) ?[-/.] ?(\d{1,2})$/u;
const DMY = /^(\d{1,2}) ?[-/.] ?(\d{1,2})(?: ?[-/.] ?(\d{2}|\d{4}))?$/u;
const DMY_SPACED = /^(\d{1,2}) (\d{1,2}) (\d{4})$/u;
const D_MONTH_Y = /^(\d{1,2}) ?(\D+?) ?(\d{2}|\d{4})?$/u;
const MONTH_D_Y = /^(\D+?) ?(\d{1,2})(?:,? (\d{2}|\d{4})|,(\d{2}|\d{4}))?$/u;

const monthNamed = (token: string) => lookup(MONTHS, token.replace(/[\s.,]/gu, ''));

/**
 * "15/1/2570", "15-1-2570", "15.1.2570" (B.E. or C.E.), "15/1/70" (B.E.), "2027-01-15", "15 มกราคม 2570",
 * "15 ม.ค. 2570", "15 มค 70", "15 ม.ค." (this year), "15 Jan 2027", "Jan 15, 2027", วันนี้ พรุ่งนี้ มะรืน เมื่อวาน.
 * Day first, as Thai dates are written; "1/15/2027" is refused (no month 15) rather than read the American way.
 * A weekday ("วันศุกร์ที่ 15 …", "… (วันศุกร์)") is ignored, not checked. Returns YYYY-MM-DD in the Common Era.
 */
export function parseThaiDate(text: string, today: string): ParseResult<string> {
  const t = parseToday(today);
  if (text.length > MAX_SHORT_ANSWER) return fail(answers.date);
  let s = strip(base(text));

  const relative = lookup(RELATIVE, compact(s));
  if (relative !== undefined) return ok(addDays(t, relative));

  let era: 'BE' | 'CE' | undefined;
  s = s
    .replace(WEEKDAY_PREFIX, '')
    .replace(WEEKDAY_SUFFIX, '')
    .replace(/(พ|ค)\. ?ศ\.?|(พ|ค)ศ(?=[ \d]|$)/u, (_, a?: string, b?: string) => {
      era = (a ?? b) === 'พ' ? 'BE' : 'CE';
      return ' ';
    })
    .replace(/ปี ?(?=\d)/u, ' ')
    .replace(/(\d)\.$/u, '$1')
    .replace(/\s+/g, ' ')
    .trim();

  let m = YMD.exec(s);
  if (m) return buildDate(m[3] ?? '', Number(m[2]), m[1], era, t.y);
  m = DMY.exec(s) ?? DMY_SPACED.exec(s);
  if (m) return buildDate(m[1] ?? '', Number(m[2]), m[3], era, t.y);
  m = D_MONTH_Y.exec(s);
  let month = m ? monthNamed(m[2] ?? '') : undefined;
  if (m && month !== undefined) return buildDate(m[1] ?? '', month, m[3], era, t.y);
  m = MONTH_D_Y.exec(s);
  month = m ? monthNamed(m[1] ?? '') : undefined;
  if (m && month !== undefined) return buildDate(m[2] ?? '', month, m[3] ?? m[4], era, t.y);
  return fail(answers.date);
}
