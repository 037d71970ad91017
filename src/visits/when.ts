// Visit times: typed Thai dates with a time ("25/11/2569 09:30", "พรุ่งนี้ 9 โมง", "3 ธ.ค. บ่ายโมง"), LINE's
// datetime picker value ("2026-11-25T09:30"), and local wall-clock times turned into instants. Pure: the office
// time zone and "today" are parameters.
import { parseThaiDate } from '../checklists/parse.js';
import { normalizeText } from '../conversation/normalize.js';
import { localInstant } from '../time/zone.js';

type WhenResult = { ok: true; date: string; hour: number; minute: number } | { ok: false; reason: 'time' | 'date' };

const TIME_PATTERNS: [RegExp, (m: RegExpExecArray) => [number, number] | null][] = [
  // 09:30, 9.30, 09:30 น.
  [/(?:^|\s)(?:เวลา\s*)?(\d{1,2})[:.](\d{2})\s*(?:น\.?|นาฬิกา)?$/u, (m) => [Number(m[1]), Number(m[2])]],
  // บ่ายโมง, บ่าย 2, บ่ายสองโมง is not read (digits only), บ่าย 3 โมงครึ่ง
  [
    /(?:^|\s)บ่าย\s*(\d{1,2})?\s*(?:โมง)?\s*(ครึ่ง)?$/u,
    (m) => [(m[1] === undefined ? 1 : Number(m[1])) + 12, m[2] === undefined ? 0 : 30],
  ],
  [/(?:^|\s)เที่ยง(?:วัน)?\s*(ครึ่ง)?$/u, (m) => [12, m[1] === undefined ? 0 : 30]],
  // 9 โมง, 9 โมงเช้า, 10 โมงครึ่ง, 9 นาฬิกา
  [
    /(?:^|\s)(?:เวลา\s*)?(\d{1,2})\s*(?:โมง(?:เช้า)?|นาฬิกา|น\.)\s*(ครึ่ง)?$/u,
    (m) => [Number(m[1]), m[2] === undefined ? 0 : 30],
  ],
];

/** A typed date with a time. `today` is the office's local date (YYYY-MM-DD). */
export function parseWhen(text: string, today: string): WhenResult {
  const s = normalizeText(text)
    .replace(/\s*(?:ครับ|ค่ะ|คะ|นะ)$/u, '')
    .trim();
  if (s.length > 80) return { ok: false, reason: 'date' };
  for (const [re, read] of TIME_PATTERNS) {
    const m = re.exec(s);
    if (m === null) continue;
    const hm = read(m);
    if (hm === null) continue;
    const [hour, minute] = hm;
    if (hour > 23 || minute > 59) return { ok: false, reason: 'time' };
    const rest = s
      .slice(0, m.index)
      .replace(/\s*(?:เวลา|ตอน)$/u, '')
      .trim();
    if (rest === '') return { ok: false, reason: 'date' };
    const d = parseThaiDate(rest, today);
    return d.ok ? { ok: true, date: d.value, hour, minute } : { ok: false, reason: 'date' };
  }
  return parseThaiDate(s, today).ok ? { ok: false, reason: 'time' } : { ok: false, reason: 'date' };
}

/** LINE's datetime picker sends "2026-11-25T09:30". */
export function parsePickerValue(value: string | undefined): { date: string; hour: number; minute: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value ?? '');
  if (m === null) return null;
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  return hour > 23 || minute > 59 ? null : { date: m[1] ?? '', hour, minute };
}

/**
 * A start time of the annual plan: an ISO instant with its offset ("2026-12-01T09:00:00+07:00", "…Z"), or a local
 * wall-clock time in the office's zone ("2026-12-01 09:00", "2026-12-01T09:00"). Null when unreadable or not a
 * real date and time.
 */
export function parsePlanTime(text: string, tz: string): number | null {
  const s = text.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(s);
  const m = local ?? iso;
  if (m === null) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const real = new Date(Date.UTC(y, mo - 1, d));
  if (real.getUTCMonth() !== mo - 1 || real.getUTCDate() !== d || h > 23 || mi > 59) return null;
  if (local !== null) return localInstant(`${m[1]}-${m[2]}-${m[3]}`, h, mi, tz);
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
