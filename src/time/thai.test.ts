import { describe, expect, it } from 'vitest';
import { thaiLongDate, thaiShortDate, thaiTime } from './thai.js';

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
