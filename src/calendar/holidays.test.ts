import { describe, expect, it } from 'vitest';
import { HOLIDAYS_SOURCE, holidayYears, publicHolidays } from './holidays.js';

describe('Thai public holidays (generated from date-holidays TH)', () => {
  it('a year by C.E. or B.E.: fixed days and, where the source knows them, the Buddhist days', () => {
    const y = publicHolidays(2569);
    expect(y).toEqual(publicHolidays(2026));
    expect(y.year).toBe(2026);
    expect(y.known).toBe(true);
    expect(y.lunarKnown).toBe(true);
    const byDate = new Map(y.holidays.map((h) => [h.date, h.nameTh]));
    expect(byDate.get('2026-01-01')).toBe('วันขึ้นปีใหม่');
    expect(byDate.get('2026-04-13')).toBe('วันสงกรานต์');
    expect(byDate.get('2026-12-10')).toBe('วันรัฐธรรมนูญ');
    expect(byDate.get('2026-03-03')).toBe('วันมาฆบูชา');
    expect(y.holidays.map((h) => h.date)).toEqual([...y.holidays.map((h) => h.date)].sort());
    expect(HOLIDAYS_SOURCE).toMatch(/^date-holidays [\d.]+ \(TH\), CC BY-SA 3\.0$/);
  });

  it('a year without the lunar days says so; a year outside the file is unknown and empty', () => {
    const last = holidayYears().at(-1) ?? 0;
    const late = publicHolidays(last);
    expect(late.known).toBe(true);
    expect(late.holidays.some((h) => h.date === `${last}-12-10`)).toBe(true);
    expect(publicHolidays(1999)).toEqual({ year: 1999, holidays: [], known: false, lunarKnown: false });
  });
});
