// postbackData writes plain fields itself and falls back to URLSearchParams for anything else: either way the
// text must be the one URLSearchParams makes, which parsePostbackData reads back.
import { describe, expect, it } from 'vitest';
import { parsePostbackData, postbackData } from './messages.js';

/** What postbackData made before it had its own writer. */
function viaUrlSearchParams(action: string, fields: Record<string, string | number>, seq?: number): string {
  const params = new URLSearchParams();
  if (seq !== undefined) params.set('s', String(seq));
  params.set('a', action);
  for (const [k, v] of Object.entries(fields)) params.set(k, String(v));
  return params.toString();
}

describe('postbackData', () => {
  it.each<[string, string, Record<string, string | number>, number | undefined]>([
    ['plain fields and a prompt seq', 'ans', { v: 4, k: 'q1', r: 0 }, 7],
    ['no seq, no fields', 'web', {}, undefined],
    ['ids with dashes, dots, stars and underscores', 'open', { c: '0b6e-4f.x*_y' }, 2],
    ['a Thai value (escaped)', 'ans', { v: 'ใช่' }, 3],
    ['a space and an ampersand (escaped)', 'ans', { v: 'a b&c=d' }, 1],
    ['a tilde, which the form encoding escapes', 'ans', { v: 'a~b' }, undefined],
    ['a field named s (the seq wins as URLSearchParams.set makes it)', 'ans', { s: 9 }, 3],
    ['a field named a', 'ans', { a: 'other' }, undefined],
    ['an action to escape', 'a b', { v: 1 }, 0],
  ])('%s: the same text as URLSearchParams', (_name, action, fields, seq) => {
    expect(postbackData(action, fields, seq)).toBe(viaUrlSearchParams(action, fields, seq));
  });

  it('reads back what it wrote', () => {
    const parsed = parsePostbackData(postbackData('ans', { v: 'ใช่', k: 'q1' }, 5));
    expect(parsed?.action).toBe('ans');
    expect(parsed?.seq).toBe(5);
    expect(parsed?.fields.get('v')).toBe('ใช่');
    expect(parsed?.fields.get('k')).toBe('q1');
  });
});
