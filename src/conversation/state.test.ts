import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, initialState, parseState } from './state.js';

// One fixture per state version ever stored. A new version adds a fixture and a migration, never edits these.
const fixtures = {
  v1_onboarding: { v: 1, seq: 3, noticeShownAt: 1763600000000, flow: { flow: 'onboarding', tries: 2 } },
  v1_locked: { v: 1, seq: 3, flow: { flow: 'onboarding', tries: 5, lockedUntil: 1763601800000 } },
  v1_home: { v: 1, seq: 7, noticeShownAt: 1763600000000, flow: { flow: 'home' } },
};

describe('parseState', () => {
  it('starts a new conversation at onboarding', () => {
    expect(parseState(null)).toEqual({ ok: true, state: initialState() });
  });

  it.each(Object.entries(fixtures))('reads stored fixture %s unchanged', (_, raw) => {
    const parsed = parseState(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.state).toEqual(raw);
    expect(parsed.state.v).toBe(CURRENT_VERSION);
  });

  it('survives a JSON round trip', () => {
    const raw: unknown = JSON.parse(JSON.stringify(fixtures.v1_home));
    expect(parseState(raw).state).toEqual(fixtures.v1_home);
  });

  it.each([
    ['a future version', { v: 99, seq: 1, flow: { flow: 'home' } }],
    ['an unknown flow', { v: 1, seq: 1, flow: { flow: 'nope' } }],
    ['no version', { seq: 1, flow: { flow: 'home' } }],
    ['an array', [1, 2]],
    ['a string', 'home'],
  ])('restarts instead of crashing on %s', (_, raw) => {
    expect(parseState(raw)).toEqual({ ok: false, state: initialState() });
  });
});
