import { describe, expect, it } from 'vitest';
import {
  answerClashes,
  batchableEffects,
  batchableInput,
  batchableNeeds,
  batchableState,
  batchableWants,
} from './batch.js';
import type { Effect } from './effects.js';
import type { Input } from './input.js';
import type { ConversationState } from './state.js';
import type { LoadWants } from './types.js';

const R = '00000000-0000-4000-8000-0000000000aa';
const P = '00000000-0000-4000-8000-0000000000bb';
const checklist = (campaignId: string): ConversationState['flow'] => ({
  flow: 'checklist',
  responseId: R,
  checklistId: R,
  campaignId,
  at: { kind: 'item', key: 'q1', repeat: 0 },
  returnToReview: false,
  editing: false,
});
const state = (flow: ConversationState['flow']): ConversationState => ({ v: 1, seq: 3, flow });
const none: LoadWants = { inviteHash: null, focusCampaign: null, visits: false, focusVisit: null };
const answer = (key: string, responseId = R): Effect => ({
  type: 'saveAnswer',
  responseId,
  personId: P,
  key,
  repeat: 0,
  value: 4,
});

describe('what a batch takes', () => {
  it.each<[string, ConversationState, boolean]>([
    ['a checklist step', state(checklist('c1')), true],
    ["a visit record's checklist (the visits flow's)", state(checklist('visit:123')), false],
    ['home', state({ flow: 'home' }), false],
  ])('state: %s', (_name, s, ok) => expect(batchableState(s)).toBe(ok));

  it.each<[Input, boolean]>([
    [{ kind: 'text', text: '4' }, true],
    [{ kind: 'postback', data: 'a=ans&v=4', params: {} }, true],
    [{ kind: 'sticker' }, false],
    [{ kind: 'media', media: 'image', messageId: '1' }, false],
    [{ kind: 'follow' }, false],
  ])('input %o: %s', (input, ok) => expect(batchableInput(input)).toBe(ok));

  it.each<[string, LoadWants, boolean]>([
    ['nothing', none, true],
    ['started answers (a typed text)', { ...none, startedAnswers: true }, true],
    ['a campaign to open', { ...none, focusCampaign: R }, false],
    ['an invite code', { ...none, inviteHash: 'x' }, false],
    ['the visit block', { ...none, visits: true }, false],
    ['a feedback', { ...none, focusFeedback: R }, false],
  ])('load wants: %s', (_name, wants, ok) => expect(batchableWants(wants)).toBe(ok));

  it.each<[string, unknown, 'teacher' | 'principal' | 'supervisor', boolean]>([
    ["a teacher's checklist", state(checklist('c1')), 'teacher', true],
    ["a principal's checklist (last term's answers: in the batch's load)", state(checklist('c1')), 'principal', true],
    ["a supervisor's (their schools: in the batch's load)", state(checklist('c1')), 'supervisor', true],
    ["a principal's visit record (the visit block)", state(checklist('visit:1')), 'principal', false],
  ])('load needs: %s', (_name, s, role, ok) => expect(batchableNeeds(s, role)).toBe(ok));

  it.each<[string, Effect[], boolean]>([
    ['no effects', [], true],
    ['answers', [answer('q1'), answer('q2')], true],
    ['an answer and a submit', [answer('q1'), { type: 'submitResponse' } as unknown as Effect], false],
    ['a new response', [{ type: 'createResponse' } as unknown as Effect], false],
  ])('effects: %s', (_name, effects, ok) => expect(batchableEffects(effects)).toBe(ok));
});

describe('answerClashes', () => {
  const a = (key: string, responseId = R) => ({ responseId, key, repeat: 0 });
  it.each<[string, { responseId: string; key: string; repeat: number }[][], number[]]>([
    ['different people', [[a('q1')], [a('q1', P)], [a('q2')]], []],
    ["two people on one school's answer: the later one waits", [[a('q1')], [a('q2')], [a('q1')]], [2]],
    ['one row writing the same answer twice', [[a('q1'), a('q1')]], [0]],
    ['a clashing row does not block the rows after it', [[a('q1')], [a('q1'), a('q3')], [a('q3')]], [1]],
  ])('%s', (_name, rows, clashing) => expect([...answerClashes(rows)]).toEqual(clashing));
});
