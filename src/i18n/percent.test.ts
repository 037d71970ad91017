import { describe, expect, it } from 'vitest';
import { percent } from './percent.js';

describe('percent', () => {
  it.each([
    [1, 6, 0, 17],
    [1, 8, 0, 13],
    [1, 3, 0, 33],
    [2, 3, 0, 67],
    [5, 10, 0, 50],
    [1, 6, 1, 16.7],
    [1, 16, 1, 6.3],
    [0, 5, 0, 0],
    [3, 0, 0, 0],
    [6, 6, 0, 100],
    [7, 6, 0, 100],
  ])('%i of %i with %i places is %f', (part, whole, places, expected) => {
    expect(percent(part, whole, places)).toBe(expected);
  });

  it('never reads 100 while someone is missing, nor 0 once someone answered', () => {
    expect(percent(199, 200)).toBe(99);
    expect(percent(1999, 2000, 1)).toBe(99.9);
    expect(percent(1, 300)).toBe(1);
  });
});
