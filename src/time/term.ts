// The academic year and term a date belongs to — the one rule for the whole app: the office's own calendar (its
// term events, calendar_events kind 'term') when one holds the date, else the usual Thai school calendar split.
//
// The split: the academic year (B.E.) starts on 16 May; term 1 runs 16 May – 31 October and term 2 1 November –
// 15 May (the March–May break counts with term 2 of the year it ends). 16 May, not 1 May, because that is when
// semester 1 opens in the Thai school calendar (DOMAIN.md "Calendars and clocks": semester 1 from 16 May to about
// 11 October, semester 2 from 1 November to about 31 March; a move to 1 May is only proposed). An office that moves
// to 1 May enters its terms in its calendar, which wins over the split. The October break counts with term 1.
// Everything that names "this year" or "this term" goes through here (reports, plan page, dashboard, office SAR);
// the SQL that needs the split reads YEAR_START_MMDD from here.

/** The first day of the academic year in the usual split, as MM-DD (term 1 opens on it). */
export const YEAR_START_MMDD = '05-16';
/** The first day of term 2 in the usual split, as MM-DD. */
export const TERM2_START_MMDD = '11-01';

/** The academic year (B.E.) holding `today` (YYYY-MM-DD) in the usual split: it starts on 16 May. */
export function academicYearOf(today: string): number {
  const y = Number(today.slice(0, 4));
  return (today.slice(5, 10) >= YEAR_START_MMDD ? y : y - 1) + 543;
}

/** The academic year (B.E.) and term (1: 16 May – 31 October, 2: 1 November – 15 May) holding `today` (YYYY-MM-DD). */
export function academicTermOf(today: string): { year: number; term: 1 | 2 } {
  const md = today.slice(5, 10);
  return { year: academicYearOf(today), term: md >= YEAR_START_MMDD && md < TERM2_START_MMDD ? 1 : 2 };
}

/**
 * The usual teaching dates (YYYY-MM-DD, inclusive) of an academic year (B.E.) or one of its terms, for a period
 * with no calendar terms: term 1 16 May – 31 October, term 2 1 November – 31 March (the teaching ends there; the
 * break to 15 May belongs to no report period), the year 16 May – 31 March.
 */
export function usualTermDates(year: number, term: number | null): { from: string; to: string } {
  const ce = year - 543;
  return {
    from: term === 2 ? `${ce}-${TERM2_START_MMDD}` : `${ce}-${YEAR_START_MMDD}`,
    to: term === 1 ? `${ce}-10-31` : `${ce + 1}-03-31`,
  };
}

/** Every day (YYYY-MM-DD, inclusive) of an academic year (B.E.) in the usual split: 16 May – 15 May, breaks included. */
export function academicYearDates(year: number): { from: string; to: string } {
  const ce = year - 543;
  return { from: `${ce}-${YEAR_START_MMDD}`, to: `${ce + 1}-05-15` };
}

/** A term of an office's calendar (calendar_events kind 'term'): its dates (YYYY-MM-DD, inclusive) and names. */
export interface CalendarTerm {
  from: string;
  to: string;
  /** B.E. */
  year: number;
  term: number;
}

/**
 * The academic year and term holding `today` (YYYY-MM-DD): the office calendar's term that holds it (the latest
 * to start, should two overlap), else the usual split (academicTermOf), as in a break between terms.
 */
export function termOn(today: string, terms: readonly CalendarTerm[]): { year: number; term: number } {
  let hit: CalendarTerm | undefined;
  for (const t of terms) {
    if (t.from <= today && today <= t.to && (hit === undefined || t.from > hit.from)) hit = t;
  }
  return hit === undefined ? academicTermOf(today) : { year: hit.year, term: hit.term };
}
