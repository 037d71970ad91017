// memoize(): one call of fn per key while the key is held, and never more than `max` keys held.
import { describe, expect, it } from 'vitest';
import { memoize } from './memo.js';

describe('memoize', () => {
  it('calls fn once per key and answers the same value after', () => {
    const calls: string[] = [];
    const upper = memoize((s: string) => {
      calls.push(s);
      return { s: s.toUpperCase() };
    }, 10);
    const first = upper('ครู');
    expect(upper('ครู')).toBe(first);
    expect(upper('a')).toEqual({ s: 'A' });
    expect(calls).toEqual(['ครู', 'a']);
  });

  it('remembers undefined too', () => {
    let calls = 0;
    const nothing = memoize((_: string) => {
      calls++;
      return undefined;
    }, 10);
    nothing('x');
    nothing('x');
    expect(calls).toBe(1);
  });

  it('starts over when full, so distinct keys never hold more than max', () => {
    const calls: number[] = [];
    const twice = memoize((n: number) => {
      calls.push(n);
      return n * 2;
    }, 2);
    twice(1);
    twice(2);
    twice(3); // full: forgets 1 and 2
    twice(3);
    twice(1);
    expect(calls).toEqual([1, 2, 3, 1]);
  });
});
