// Thailand's public holidays of a year, for the office calendar's pre-fill (the admin confirms or edits them; only
// holidays saved in calendar_events count). From a data file generated at build time by scripts/holidays-th.ts out
// of the date-holidays package's TH rules, so nothing is computed or fetched at run time (Workers and Node alike).
import { HOLIDAYS_SOURCE, TH_PUBLIC_HOLIDAYS } from './holidays-th.data.js';

export { HOLIDAYS_SOURCE };

export interface PublicHoliday {
  /** YYYY-MM-DD (C.E.), a calendar day. */
  date: string;
  nameTh: string;
}

export interface YearHolidays {
  /** C.E. year. */
  year: number;
  holidays: PublicHoliday[];
  /** False when the source has no data for the year at all. */
  known: boolean;
  /**
   * False when the source does not yet list the year's Buddhist holidays (มาฆบูชา, วิสาขบูชา, อาสาฬหบูชา,
   * เข้าพรรษา follow the lunar calendar and are announced year by year): the page asks the admin to add them.
   */
  lunarKnown: boolean;
}

/** The public holidays of a year, given in C.E. (2027) or B.E. (2570). */
export function publicHolidays(year: number): YearHolidays {
  const ce = year > 2400 ? year - 543 : year;
  const rows = TH_PUBLIC_HOLIDAYS[ce];
  const holidays = (rows ?? []).map(([date, nameTh]) => ({ date, nameTh }));
  return {
    year: ce,
    holidays,
    known: rows !== undefined,
    lunarKnown: holidays.some((h) => h.nameTh.includes('บูชา')),
  };
}

/** The years the data file covers (C.E.), oldest first. */
export const holidayYears = (): number[] =>
  Object.keys(TH_PUBLIC_HOLIDAYS)
    .map(Number)
    .sort((a, b) => a - b);
