// The academic year and term a date belongs to, by the usual Thai school calendar: the year (B.E.) starts in May,
// term 1 runs May–October and term 2 November–April. Offices' own term dates (calendar_events, kind 'term') are
// read where a report chooses its period; this rule names a term where no query is at hand (a campaign's title).

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
