// The academic year and term a date belongs to: by the office's own calendar (its term events, calendar_events kind
// 'term') when one holds the date, else by the usual Thai school calendar: the year (B.E.) starts in May, term 1
// runs May–October and term 2 November–April. Reports choose their period from the calendar too (periodOf in
// src/reports/build.ts).

/** The academic year (B.E.) holding `today` (YYYY-MM-DD): it starts in May. */
export function academicYearOf(today: string): number {
  const [y = 0, m = 1] = today.split('-').map(Number);
  return (m >= 5 ? y : y - 1) + 543;
}

/** The academic year (B.E.) and term (1: May–October, 2: November–April) holding `today` (YYYY-MM-DD). */
export function academicTermOf(today: string): { year: number; term: 1 | 2 } {
  const m = Number(today.split('-')[1] ?? 1);
  return { year: academicYearOf(today), term: m >= 5 && m <= 10 ? 1 : 2 };
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
