import { describe, expect, it } from 'vitest';
import { localDate, thaiLongDate, thaiShortDate, thaiTime } from './thai.js';

describe('Thai dates', () => {
  it('uses the Buddhist Era and Bangkok time (new year in Bangkok, still 31 Dec in UTC)', () => {
    const at = Date.parse('2026-12-31T18:30:00Z');
    expect(thaiLongDate(at)).toBe('วันศุกร์ที่ 1 มกราคม พ.ศ. 2570');
    expect(thaiShortDate(at)).toBe('1 ม.ค. 2570');
    expect(thaiTime(at)).toBe('01:30');
  });

  it('shows 24-hour times', () => {
    expect(thaiTime(Date.parse('2026-11-20T13:05:00Z'))).toBe('20:05');
  });
});

describe('localDate', () => {
  const ms = (iso: string) => Date.parse(iso);
  // Asked in order, as the turns ask: the answer kept for the zone's current quarter hour must turn over exactly at
  // local midnight, including in zones whose midnight is at :30 or :45 past a UTC hour and across a DST change.
  it.each<[string, string, string, string]>([
    ['Bangkok (+07)', 'Asia/Bangkok', '2026-12-05T16:59:59.999Z', '2026-12-05'],
    ['Bangkok (+07)', 'Asia/Bangkok', '2026-12-05T17:00:00.000Z', '2026-12-06'],
    ['Kathmandu (+05:45)', 'Asia/Kathmandu', '2026-12-05T18:14:59.999Z', '2026-12-05'],
    ['Kathmandu (+05:45)', 'Asia/Kathmandu', '2026-12-05T18:15:00.000Z', '2026-12-06'],
    ["St John's (-03:30)", 'America/St_Johns', '2026-12-06T03:29:59.999Z', '2026-12-05'],
    ["St John's (-03:30)", 'America/St_Johns', '2026-12-06T03:30:00.000Z', '2026-12-06'],
    // Santiago moves its clocks at local midnight (to 01:00 on 6 Sep 2026, -04 to -03).
    ['Santiago, spring forward', 'America/Santiago', '2026-09-06T03:59:59.999Z', '2026-09-05'],
    ['Santiago, spring forward', 'America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-06'],
    ['Bangkok again, same quarter hour as before', 'Asia/Bangkok', '2026-12-05T17:14:59.999Z', '2026-12-06'],
  ])('%s at %s', (_name, tz, iso, date) => {
    expect(localDate(ms(iso), tz)).toBe(date);
    expect(localDate(new Date(iso), tz)).toBe(date);
  });

  it('agrees with Intl at every minute of a day around midnight in several zones', () => {
    for (const tz of ['Asia/Bangkok', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Eucla', 'Pacific/Chatham']) {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (let at = ms('2026-12-05T00:00:00Z'); at < ms('2026-12-06T00:00:00Z'); at += 60_000) {
        expect(localDate(at, tz), `${tz} ${new Date(at).toISOString()}`).toBe(f.format(at));
        expect(localDate(at + 59_999, tz)).toBe(f.format(at + 59_999));
      }
    }
  });
});
