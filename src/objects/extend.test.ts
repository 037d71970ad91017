// extend() is `{ ...base, ...props }`: the same own properties, in the same order, later ones winning.
import { describe, expect, it } from 'vitest';
import { extend } from './extend.js';

describe('extend', () => {
  it('makes what a spread makes, and leaves base as it was', () => {
    const base = { v: 1, seq: 4, flow: { flow: 'home' }, note: undefined };
    const props = { seq: 5, at: { kind: 'item', key: 'q2', repeat: 0 } };
    const made = extend(base, props);
    expect(made).toStrictEqual({ ...base, ...props });
    expect(Object.keys(made)).toEqual(Object.keys({ ...base, ...props }));
    expect(made).not.toBe(base);
    expect(base).toStrictEqual({ v: 1, seq: 4, flow: { flow: 'home' }, note: undefined });
    expect(made.flow).toBe(base.flow);
  });

  it('keeps a property props set to undefined, as a spread does', () => {
    expect(extend({ draft: ['a'] }, { draft: undefined })).toStrictEqual({ draft: undefined });
  });
});
