// How XLSForm names its sheets, columns, languages and question types, for the reader and the writer alike.
// Headers are matched as pyxform matches them: case-insensitive, spaces as underscores, `label:English` like
// `label::English`, and the older spellings ("select one from", "begin group", "list name") beside the current.

/** The languages nithet keeps: Thai (every label has it) and English. */
export type Lang = 'th' | 'en';

/** The column headers the writer uses for a translatable column, and the reader prefers. */
export const LANG_SUFFIX: Record<Lang, string> = { th: 'Thai (th)', en: 'English (en)' };

export interface Header {
  /** As written, for messages. */
  raw: string;
  /** The column's meaning, lower case, aliases resolved: label, hint, constraint_message, list_name … */
  base: string;
  /** The language part after `::` or `:`, as written ('' when none). */
  lang: string;
}

const BASE_ALIASES: Record<string, string> = {
  caption: 'label',
  relevance: 'relevant',
  constraining_message: 'constraint_message',
  'jr:constraintmsg': 'constraint_message',
  requiredmsg: 'required_message',
  'jr:requiredmsg': 'required_message',
  calculate: 'calculation',
  count: 'repeat_count',
  'jr:count': 'repeat_count',
  readonly: 'read_only',
  command: 'type',
  tag: 'name',
  value: 'name',
  set_form_title: 'form_title',
  set_form_id: 'form_id',
};

/** Columns whose cells are text in some language (the rest are the same in every language). */
export const TRANSLATABLE = new Set([
  'label',
  'hint',
  'guidance_hint',
  'constraint_message',
  'required_message',
  'unit',
  'add_label',
  'form_title',
  'description',
  'image',
  'big-image',
  'audio',
  'video',
  'media',
]);

export function parseHeader(raw: string): Header {
  const text = raw.trim();
  // `label::English (en)` is the standard; `label:English` the older single-colon form; `jr:count` is no language.
  const m = /^([^:]+?)\s*::?\s*(.+)$/.exec(text);
  const head = (m?.[1] ?? text).toLowerCase().replace(/\s+/g, '_');
  let base = BASE_ALIASES[head] ?? head;
  let lang = m?.[2]?.trim() ?? '';
  if (m !== null && !TRANSLATABLE.has(base)) {
    // bind::…, body::…, instance::…, jr:… : one name, not a language.
    const whole = text.toLowerCase().replace(/\s+/g, '_');
    base = BASE_ALIASES[whole] ?? whole;
    lang = '';
  }
  return { raw: text, base, lang };
}

/** Which of nithet's languages a column's language part names, or null for another language. */
export function langOf(lang: string): Lang | '' | null {
  const l = lang.trim().toLowerCase();
  if (l === '') return '';
  const code = /\(([a-z]{2,3})(?:[-_][a-z]+)?\)\s*$/.exec(l)?.[1];
  if (code === 'th' || code === 'tha') return 'th';
  if (code === 'en' || code === 'eng') return 'en';
  if (code !== undefined) return null;
  if (['th', 'thai', 'ไทย', 'ภาษาไทย', 'tha'].includes(l)) return 'th';
  if (['en', 'english', 'อังกฤษ', 'ภาษาอังกฤษ', 'eng'].includes(l)) return 'en';
  return null;
}

/** A1-style column letters for a 0-based index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The question types nithet asks, by every XLSForm spelling (lower case, single spaces). */
export const BASIC_TYPES: Record<
  string,
  | 'text'
  | 'integer'
  | 'decimal'
  | 'date'
  | 'note'
  | 'calculate'
  | 'acknowledge'
  | 'photo'
  | 'document'
  | 'today'
  | 'percentage'
> = {
  text: 'text',
  string: 'text',
  'q string': 'text',
  'add text prompt': 'text',
  integer: 'integer',
  int: 'integer',
  'q int': 'integer',
  'add integer prompt': 'integer',
  decimal: 'decimal',
  'q decimal': 'decimal',
  'add decimal prompt': 'decimal',
  percentage: 'percentage',
  date: 'date',
  'q date': 'date',
  'add date prompt': 'date',
  note: 'note',
  'q note': 'note',
  'add note prompt': 'note',
  calculate: 'calculate',
  'q calculate': 'calculate',
  'add calculate prompt': 'calculate',
  acknowledge: 'acknowledge',
  trigger: 'acknowledge',
  'q acknowledge': 'acknowledge',
  'add acknowledge prompt': 'acknowledge',
  image: 'photo',
  photo: 'photo',
  'q image': 'photo',
  'q picture': 'photo',
  'add image prompt': 'photo',
  'add photo prompt': 'photo',
  file: 'document',
  'add file prompt': 'document',
  today: 'today',
  'get today': 'today',
};

/** Rows ODK fills from the device or the clock, not asked: nithet records times itself and keeps no device data. */
export const METADATA_TYPES = new Set([
  'start',
  'end',
  'start time',
  'end time',
  'get start time',
  'get end time',
  'deviceid',
  'device id',
  'get device id',
  'imei',
  'subscriberid',
  'subscriber id',
  'get subscriber id',
  'simserial',
  'sim id',
  'get sim id',
  'phonenumber',
  'get phone number',
  'username',
  'email',
  'audit',
]);

/** Types a LINE chat cannot ask (no location, no scanner, no recording, no time-of-day widget, no server data). */
export const UNSUPPORTED_TYPES = new Set([
  'time',
  'datetime',
  'date time',
  'q date time',
  'q datetime',
  'add date time prompt',
  'add datetime prompt',
  'geopoint',
  'geotrace',
  'geoshape',
  'location',
  'gps',
  'q location',
  'q geopoint',
  'q geotrace',
  'q geoshape',
  'add location prompt',
  'start-geopoint',
  'background-geopoint',
  'barcode',
  'q barcode',
  'add barcode prompt',
  'audio',
  'q audio',
  'add audio prompt',
  'background-audio',
  'video',
  'q video',
  'add video prompt',
  'range',
  'rank',
  'osm',
  'hidden',
  'xml-external',
  'csv-external',
  'phone number',
  'include',
  'number of days in last month',
  'number of days in last six months',
  'number of days in last year',
]);

/** The select spellings, longest first so "select one from" wins over "select one". */
const SELECT_PREFIXES: [string, 'one' | 'many' | 'unsupported'][] = (
  [
    ['select_one_from_file', 'unsupported'],
    ['select_multiple_from_file', 'unsupported'],
    ['select one from file', 'unsupported'],
    ['select multiple from file', 'unsupported'],
    ['select_one_external', 'unsupported'],
    ['select one external', 'unsupported'],
    ['add select one prompt using', 'one'],
    ['add select multiple prompt using', 'many'],
    ['select all that apply from', 'many'],
    ['select multiple from', 'many'],
    ['select multiple using', 'many'],
    ['select one from', 'one'],
    ['select one using', 'one'],
    ['select all that apply', 'many'],
    ['select_multiple', 'many'],
    ['select_one', 'one'],
    ['select one', 'one'],
    ['select1', 'one'],
    ['rank', 'unsupported'],
  ] as [string, 'one' | 'many' | 'unsupported'][]
).sort((a, b) => b[0].length - a[0].length);

export type ParsedType =
  | { kind: 'select'; many: boolean; list: string; orOther: boolean }
  | { kind: 'basic'; type: (typeof BASIC_TYPES)[string] }
  | { kind: 'begin'; what: 'group' | 'repeat' | 'loop' }
  | { kind: 'end'; what: 'group' | 'repeat' | 'loop' }
  | { kind: 'metadata'; type: string }
  | { kind: 'unsupported'; type: string }
  | { kind: 'unknown'; type: string };

/** Reads a type cell ("select_one colors or_other", "begin group", "integer") into what it asks for. */
export function parseType(cell: string): ParsedType {
  const t = cell.trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  const begin = /^begin[ _](group|repeat|loop)\b/.exec(lower);
  if (begin !== null) return { kind: 'begin', what: begin[1] as 'group' | 'repeat' | 'loop' };
  const end = /^end[ _](group|repeat|loop)$/.exec(lower);
  if (end !== null) return { kind: 'end', what: end[1] as 'group' | 'repeat' | 'loop' };
  for (const [prefix, what] of SELECT_PREFIXES) {
    if (lower !== prefix && !lower.startsWith(`${prefix} `)) continue;
    if (what === 'unsupported') return { kind: 'unsupported', type: prefix };
    let rest = t.slice(prefix.length).trim();
    let orOther = false;
    const other = / (or_other|or specify other)$/i.exec(` ${rest}`);
    if (other !== null) {
      orOther = true;
      rest = ` ${rest}`.slice(0, other.index).trim();
    }
    return { kind: 'select', many: what === 'many', list: rest, orOther };
  }
  const basic = BASIC_TYPES[lower];
  if (basic !== undefined) return { kind: 'basic', type: basic };
  if (METADATA_TYPES.has(lower) || lower.startsWith('uri:')) return { kind: 'metadata', type: t };
  if (UNSUPPORTED_TYPES.has(lower)) return { kind: 'unsupported', type: t };
  // "osm building_tags", "range …": the type is the first word.
  const first = lower.split(' ')[0] ?? '';
  if (first !== lower && UNSUPPORTED_TYPES.has(first)) return { kind: 'unsupported', type: first };
  return { kind: 'unknown', type: t };
}

/** `key=value` pairs of the parameters column, split by spaces, commas or semicolons. */
export function parseParameters(cell: string): { pairs: [string, string][]; bad: string[] } {
  const pairs: [string, string][] = [];
  const bad: string[] = [];
  for (const part of cell.split(/[\s,;]+/).filter((p) => p !== '')) {
    const m = /^([A-Za-z][A-Za-z0-9_-]*)=(.+)$/.exec(part);
    if (m === null) bad.push(part);
    else pairs.push([(m[1] ?? '').toLowerCase(), m[2] ?? '']);
  }
  return { pairs, bad };
}
