import { describe, expect, it } from 'vitest';
import { flows } from '../flows/index.js';
import { CURRENT_VERSION, initialState } from './state.js';

const parseState = (raw: unknown) => flows.parseState(raw);

// One fixture per state version ever stored. A new version adds a fixture and a migration, never edits these.
const fixtures = {
  v1_onboarding: { v: 1, seq: 3, noticeShownAt: 1763600000000, flow: { flow: 'onboarding', tries: 2 } },
  v1_locked: { v: 1, seq: 3, flow: { flow: 'onboarding', tries: 5, lockedUntil: 1763601800000 } },
  v1_home: { v: 1, seq: 7, noticeShownAt: 1763600000000, flow: { flow: 'home' } },
  // One per flow's state (each flow's schema lives in its folder; src/flows/index.ts builds the union).
  v1_checklist: {
    v: 1,
    seq: 9,
    flow: {
      flow: 'checklist',
      responseId: 'r1',
      checklistId: 'k1',
      campaignId: 'c1',
      at: { kind: 'item', key: 'subjects', repeat: 0 },
      returnToReview: false,
      editing: false,
      draft: ['thai'],
    },
  },
  v1_settings: { v: 1, seq: 4, flow: { flow: 'settings', step: 'hour' } },
  v1_pdpa: { v: 1, seq: 4, flow: { flow: 'pdpa', step: 'confirmErase', requestedAt: 1763600000000 } },
  v1_visit: {
    v: 1,
    seq: 12,
    flow: { flow: 'visit', step: 'confirm', schoolId: 's1', startsAt: 1763600000000, purpose: 'นิเทศการสอน' },
  },
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
    ['no flow name', { v: 1, seq: 1, flow: { tries: 0 } }],
    ['a flow that is not an object', { v: 1, seq: 1, flow: 'home' }],
    [
      "a checklist step missing its place (another flow's fields)",
      { v: 1, seq: 1, flow: { flow: 'checklist', tries: 0 } },
    ],
    ["onboarding with a checklist's fields", { v: 1, seq: 1, flow: { flow: 'onboarding', at: { kind: 'review' } } }],
    ['an array', [1, 2]],
    ['a string', 'home'],
  ])('restarts instead of crashing on %s', (_, raw) => {
    expect(parseState(raw)).toEqual({ ok: false, state: initialState() });
  });
});
