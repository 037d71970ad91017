import { describe, expect, it } from 'vitest';
import { academicTermOf, termOn } from './term.js';

describe('termOn: the office calendar first, the usual split otherwise', () => {
  // An office whose term 2 starts on 1 December rather than in November.
  const terms = [
    { from: '2026-05-16', to: '2026-11-30', year: 2569, term: 1 },
    { from: '2026-12-01', to: '2027-03-31', year: 2569, term: 2 },
  ];

  it.each([
    ['2026-11-25', { year: 2569, term: 1 }], // the split would say term 2
    ['2026-12-01', { year: 2569, term: 2 }],
    ['2027-03-31', { year: 2569, term: 2 }],
    ['2026-05-16', { year: 2569, term: 1 }],
  ])('%s is in the calendar’s term', (day, want) => {
    expect(termOn(day, terms)).toEqual(want);
  });

  it('a day outside every calendar term (a break), or with no calendar, takes the usual split', () => {
    expect(termOn('2027-04-20', terms)).toEqual({ year: 2569, term: 2 });
    expect(termOn('2026-05-05', terms)).toEqual({ year: 2569, term: 1 });
    expect(termOn('2026-11-25', [])).toEqual(academicTermOf('2026-11-25'));
    expect(academicTermOf('2026-11-25')).toEqual({ year: 2569, term: 2 });
  });

  it('of two overlapping terms, the one that started later', () => {
    const overlap = [...terms, { from: '2026-11-20', to: '2027-03-31', year: 2569, term: 2 }];
    expect(termOn('2026-11-25', overlap)).toEqual({ year: 2569, term: 2 });
  });
});
