// The registry as a whole: one owner per postback action and per typed entry word, one owner per stored state,
// and the stale-button guard's one message for every flow.
import { describe, expect, it } from 'vitest';
import { testCtx, testPerson } from '../../test/support/conversation.js';
import { commandKey } from '../conversation/normalize.js';
import type { ConversationState, Flow } from '../conversation/state.js';
import { transition } from '../conversation/transition.js';
import { th } from '../i18n/th.js';
import { flows } from './index.js';

const fixtures: Record<string, Flow> = {
  onboarding: { flow: 'onboarding', tries: 1 },
  home: { flow: 'home' },
  settings: { flow: 'settings', step: 'hour' },
  pdpa: { flow: 'pdpa', step: 'confirmErase', requestedAt: 1763600000000 },
  visit: { flow: 'visit', step: 'school' },
};

describe('the flow registry', () => {
  it('gives every typed entry word to one flow', () => {
    const owner = new Map<string, string>();
    for (const f of flows.flows) {
      for (const w of f.words ?? []) {
        const key = commandKey(w);
        expect(owner.get(key) ?? f.name, `${w}: ${owner.get(key)} and ${f.name}`).toBe(f.name);
        owner.set(key, f.name);
      }
    }
    expect(owner.size).toBeGreaterThan(20);
  });

  it('gives every stored state exactly one flow whose steps take it', () => {
    for (const [name, flow] of Object.entries(fixtures)) {
      const owners = flows.flows.filter((f) => f.owns?.(flow) === true).map((f) => f.name);
      expect(owners.length, name).toBeLessThanOrEqual(1);
      expect(flows.parseState({ v: 1, seq: 2, flow }).ok, name).toBe(true);
    }
    const record = (campaignId: string): Flow => ({
      flow: 'checklist',
      responseId: 'r',
      checklistId: 'k',
      campaignId,
      at: { kind: 'item', key: 'a', repeat: 0 },
      returnToReview: false,
      editing: false,
    });
    expect(flows.owner(record('visit:v1')).name).toBe('visits');
    expect(flows.owner(record('c1')).name).toBe('checklist');
  });

  it.each(Object.entries(fixtures).filter(([name]) => name !== 'onboarding'))(
    'answers a stale button in %s with the one stale message, and no effect',
    (_, flow) => {
      const state: ConversationState = { v: 1, seq: 5, noticeShownAt: 1, flow };
      const r = transition(
        flows,
        state,
        { kind: 'postback', data: 's=4&a=menu', params: {} },
        testCtx({ person: testPerson() }),
      );
      expect(r.effects).toEqual([]);
      const first = r.replies[0];
      expect(first?.type === 'text' ? first.text : '').toBe(th.staleButton);
    },
  );
});
