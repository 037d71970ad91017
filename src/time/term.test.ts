import { describe, expect, it } from 'vitest';
import { academicTermOf, academicYearDates, academicYearOf, termOn, usualTermDates } from './term.js';

describe('the usual split: the year and term 1 open on 16 May, term 2 on 1 November', () => {
  it.each([
    ['2026-05-15', 2568, 2], // the last day of the March–May break
    ['2026-05-16', 2569, 1], // semester 1 opens
    ['2026-10-11', 2569, 1],
    ['2026-10-31', 2569, 1], // the October break counts with term 1
    ['2026-11-01', 2569, 2], // semester 2 opens
    ['2026-12-31', 2569, 2],
    ['2027-01-01', 2569, 2], // a new calendar year, the same academic year
    ['2027-03-31', 2569, 2],
    ['2027-05-01', 2569, 2], // not yet the new year: 1 May is only a proposal
    ['2027-05-16', 2570, 1],
  ] as const)('%s is in %i term %i', (day, year, term) => {
    expect(academicYearOf(day)).toBe(year);
    expect(academicTermOf(day)).toEqual({ year, term });
    expect(termOn(day, [])).toEqual({ year, term });
  });

  it.each([
    [2569, 1, { from: '2026-05-16', to: '2026-10-31' }],
    [2569, 2, { from: '2026-11-01', to: '2027-03-31' }],
    [2569, null, { from: '2026-05-16', to: '2027-03-31' }],
  ] as const)('the usual teaching dates of %i term %s', (year, term, want) => {
    expect(usualTermDates(year, term)).toEqual(want);
  });

  it('a year’s days run from 16 May to 15 May, each in that year by academicYearOf', () => {
    const { from, to } = academicYearDates(2569);
    expect({ from, to }).toEqual({ from: '2026-05-16', to: '2027-05-15' });
    expect([academicYearOf(from), academicYearOf(to)]).toEqual([2569, 2569]);
  });
});

describe('termOn: the office calendar first, the usual split otherwise', () => {
  // An office that already opens on 1 May and starts term 2 on 1 December rather than in November.
  const terms = [
    { from: '2026-05-01', to: '2026-11-30', year: 2569, term: 1 },
    { from: '2026-12-01', to: '2027-03-31', year: 2569, term: 2 },
  ];

  it.each([
    ['2026-05-01', { year: 2569, term: 1 }], // the split would say 2568 term 2
    ['2026-05-16', { year: 2569, term: 1 }],
    ['2026-11-25', { year: 2569, term: 1 }], // the split would say term 2
    ['2026-12-01', { year: 2569, term: 2 }],
    ['2027-03-31', { year: 2569, term: 2 }],
    ['2027-04-20', { year: 2569, term: 2 }], // a break: the split
    ['2026-04-30', { year: 2568, term: 2 }], // before the calendar: the split
  ])('%s', (day, want) => {
    expect(termOn(day, terms)).toEqual(want);
  });

  it('of two overlapping terms, the one that started later', () => {
    const overlap = [...terms, { from: '2026-11-20', to: '2027-03-31', year: 2569, term: 2 }];
    expect(termOn('2026-11-25', overlap)).toEqual({ year: 2569, term: 2 });
  });
});
