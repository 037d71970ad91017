// The `เข้าเว็บ` flow through the registry, as the engine runs it: the fixture of a flow with no state of its own
// (a ticket made by prepare(), then one reply and one effect), from the states where its word is a request and
// where it is an answer.
import { describe, expect, it } from 'vitest';
import { TEST_NOW, testCtx, testPerson } from '../../test/support/conversation.js';
import type { Input } from '../conversation/input.js';
import type { ConversationState, Flow } from '../conversation/state.js';
import { transition } from '../conversation/transition.js';
import { flows } from '../flows/index.js';
import { msg } from '../i18n/msg.js';

const AGENCY = '7d0b7a52-4c1e-4f0e-9a57-2b7f1f0c8a11';
const ticket = { token: 'tok-1', tokenHash: 'hash-1', baseUrl: 'https://nithet.example' };
const at = (flow: Flow): ConversationState => ({ v: 1, seq: 3, noticeShownAt: 1, flow });
const home = at({ flow: 'home' });
const text = (t: string): Input => ({ kind: 'text', text: t });
const said = (r: ReturnType<typeof transition>) => r.replies.map((m) => (m.type === 'text' ? m.text : m.type));
const run = (state: ConversationState, input: Input, role: 'supervisor' | 'teacher' = 'supervisor') =>
  transition(flows, state, input, testCtx({ person: testPerson({ role }), signin: ticket }));

describe('the เข้าเว็บ flow', () => {
  it('prepares a ticket only for its word or its button', async () => {
    const env = { publicBaseUrl: 'https://nithet.example' };
    expect((await flows.prepare(text('เข้าเว็บ'), env)).ctx.signin?.baseUrl).toBe(env.publicBaseUrl);
    expect((await flows.prepare({ kind: 'postback', data: 'a=web', params: {} }, env)).ctx.signin?.baseUrl).toBe(
      env.publicBaseUrl,
    );
    expect((await flows.prepare(text('สวัสดี'), env)).ctx.signin).toBeUndefined();
  });

  it.each<[string, Input, RegExp]>([
    ['the word', text('เข้าเว็บ'), /\/admin\/signin\/tok-1$/m],
    ['the menu tile', { kind: 'postback', data: 'a=web', params: {} }, /\/admin\/signin\/tok-1$/m],
    ['รายงาน', text('รายงาน'), /\/admin\/signin\/tok-1\?to=reports$/m],
    [
      "an agency stage reminder's button",
      { kind: 'postback', data: `a=web&to=agency&id=${AGENCY}`, params: {} },
      new RegExp(`/admin/signin/tok-1\\?to=agency&id=${AGENCY}$`, 'm'),
    ],
    [
      'that button with a bad id',
      { kind: 'postback', data: 'a=web&to=agency&id=../../x', params: {} },
      /\/admin\/signin\/tok-1$/m,
    ],
  ])('%s gives a supervisor one link, keeps the state, and stores only the hash', (_, input, link) => {
    const r = run(home, input);
    expect(r.state).toEqual(home);
    expect(said(r)[0]).toMatch(link);
    expect(r.effects).toEqual([
      {
        type: 'issueSigninLink',
        officeId: testPerson().officeId,
        personId: 'p1',
        tokenHash: 'hash-1',
        expiresAt: new Date(TEST_NOW + 10 * 60_000).toISOString(),
      },
    ]);
  });

  it('tells a teacher kindly that the pages are not for their role', () => {
    const r = run(home, text('เข้าเว็บ'), 'teacher');
    expect(said(r)).toEqual([msg.signin.refused]);
    expect(r.effects).toEqual([]);
  });

  it('leaves the word to a running checklist, where it is an answer', () => {
    const checklist = at({
      flow: 'checklist',
      responseId: 'r1',
      checklistId: 'k1',
      campaignId: 'c1',
      at: { kind: 'item', key: 'a', repeat: 0 },
      returnToReview: false,
      editing: false,
    });
    expect(run(checklist, text('เข้าเว็บ')).effects).toEqual([]);
  });
});
