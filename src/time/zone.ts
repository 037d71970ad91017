// Wall-clock arithmetic in an office's time zone, done by Intl (no offset is written down anywhere): the instant
// of a local time, a local day's midnight, the offset text of an instant. Every office carries its zone
// (offices.time_zone, Asia/Bangkok by default); code takes it as a parameter.
import { BANGKOK, localDate, thaiTime } from './thai.js';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `tz` from UTC at instant `at`, in ms (Bangkok: +7 h). */
function offsetMs(at: number, tz: string): number {
  let f = offsetFormatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(tz, f);
  }
  const parts = f.formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000
  );
}

/** The instant of a local wall-clock time: `date` YYYY-MM-DD at hh:mm in `tz`. */
export function localInstant(date: string, hour: number, minute: number, tz: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  const first = guess - offsetMs(guess, tz);
  // Once more, in case the offset differs on either side of a DST change (not in Thailand; kept for correctness).
  return guess - offsetMs(first, tz);
}

/** YYYY-MM-DD plus n days. */
export function addDays(date: string, n: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:mm` (an `<input type="datetime-local">` value) in `tz` as UTC ms; NaN when malformed. */
export function parseLocalDateTime(value: string, tz: string = BANGKOK): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (m === null) return NaN;
  const [, date = '', hh = '0', mm = '0'] = m;
  return localInstant(date, Number(hh), Number(mm), tz);
}

/** `YYYY-MM-DDTHH:mm` of `at` in `tz`: the inverse of parseLocalDateTime. */
export function toLocalDateTime(at: number, tz: string = BANGKOK): string {
  return new Date(at + offsetMs(at, tz)).toISOString().slice(0, 16);
}

/** "2026-12-01T09:30:00+07:00": the local wall clock with its offset, so a reader needs no time-zone arithmetic. */
export function isoLocal(at: number, tz: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.replace('GMT', '');
  return `${localDate(at, tz)}T${thaiTime(at, tz)}:00${offset}`;
}
