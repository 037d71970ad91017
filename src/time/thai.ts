// Dates as Thai readers expect them: Thai month names and Buddhist-Era years (พ.ศ. = Gregorian + 543),
// in the office's time zone (Asia/Bangkok by default). Intl's Buddhist calendar does the arithmetic.

export const BANGKOK = 'Asia/Bangkok';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${key}|${tz}`;
  let f = formatters.get(k);
  if (f === undefined) {
    // 'iso' dates use the Gregorian calendar and Latin digits; everything else is Thai with Buddhist-Era years.
    f = new Intl.DateTimeFormat(key === 'iso' ? 'en-CA' : 'th-TH-u-ca-buddhist', { ...opts, timeZone: tz });
    formatters.set(k, f);
  }
  return f;
}

/** "วันศุกร์ที่ 1 มกราคม พ.ศ. 2570" */
export function thaiLongDate(at: number | Date, tz = BANGKOK): string {
  const parts = formatter('long', tz, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Intl omits the era word; official Thai writing spells it: "… พ.ศ. 2570".
  return `${part('weekday')}ที่ ${part('day')} ${part('month')} พ.ศ. ${part('year')}`;
}

/** "1 ม.ค. 2570" */
export function thaiShortDate(at: number | Date, tz = BANGKOK): string {
  return formatter('short', tz, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

/** A calendar date (YYYY-MM-DD, no instant, so no time zone) as "1 ม.ค. 2570". */
export function thaiCalendarDate(date: string): string {
  return thaiShortDate(Date.parse(`${date}T12:00:00Z`), 'UTC');
}

/** A calendar date (YYYY-MM-DD) as "วันศุกร์ที่ 1 มกราคม พ.ศ. 2570": the same day in every time zone. */
export function thaiCalendarLongDate(date: string): string {
  return thaiLongDate(Date.parse(`${date}T12:00:00Z`), 'UTC');
}

/** "08:05" (24-hour, as Thai offices write it; add "น." in the sentence) */
export function thaiTime(at: number | Date, tz = BANGKOK): string {
  return formatter('time', tz, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/**
 * Each zone's last answer and the quarter hour (UTC) it holds for. Since 1980 every zone's offset, and every change
 * of it, has been a whole quarter hour, so local midnight falls on a UTC quarter-hour boundary and the local date
 * cannot change inside one: the turn asks for "today" once per event (~15 µs of Intl each), mostly in the same
 * quarter hour.
 */
const QUARTER_HOUR = 15 * 60_000;
const CACHE_FROM = Date.UTC(1980, 0, 1);
const lastDates = new Map<string, { quarter: number; date: string }>();

/** The calendar date (YYYY-MM-DD) at an instant in a time zone: what "today" means to the person. */
export function localDate(at: number | Date, tz = BANGKOK): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  const quarter = Math.floor(ms / QUARTER_HOUR);
  const last = lastDates.get(tz);
  if (last !== undefined && last.quarter === quarter && ms >= CACHE_FROM) return last.date;
  const parts = formatter('iso', tz, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  if (ms >= CACHE_FROM && Number.isFinite(quarter)) lastDates.set(tz, { quarter, date });
  return date;
}
