// Table tests of the PDPA erasure in chat: request → explanation with a confirm button → confirm, cancel or stale.
import { th } from '../i18n/th.js';
import { flows } from '../flows/index.js';
import { describe, expect, it } from 'vitest';
import type { Message } from '../line/messages.js';
import { TEST_NOW, testCtx, testPerson } from '../../test/support/conversation.js';
import { isCopyRequest, isEraseRequest } from '../pdpa/chat.js';
import type { Input } from './input.js';
import type { ConversationState } from './state.js';
import { transition } from './transition.js';

const NOW = TEST_NOW;
const ctx = testCtx({ person: testPerson() });
const home: ConversationState = { v: 1, seq: 4, noticeShownAt: NOW - 1000, flow: { flow: 'home' } };
const asking: ConversationState = {
  v: 1,
  seq: 5,
  noticeShownAt: NOW - 1000,
  flow: { flow: 'pdpa', step: 'confirmErase', requestedAt: NOW - 60_000 },
};
const text = (t: string): Input => ({ kind: 'text', text: t });
const postback = (data: string): Input => ({ kind: 'postback', data, params: {} });
const texts = (msgs: Message[]) => msgs.map((m) => (m.type === 'text' ? m.text : m.type));

describe('pdpa words', () => {
  it.each<[string, boolean, boolean]>([
    ['ขอสำเนาข้อมูลของฉัน', true, false],
    ['ข้อมูลของฉัน', true, false],
    ['My Data', true, false],
    ['ข้อมูลของฉันครับ', true, false],
    ['ลบข้อมูลของฉัน', false, true],
    ['ลบข้อมูลของฉันค่ะ', false, true],
    ['ข้อมูล', false, false],
  ])('%s → copy %s, erase %s', (t, copy, erase) => {
    expect(isCopyRequest(text(t))).toBe(copy);
    expect(isEraseRequest(text(t))).toBe(erase);
  });
});

describe('transition: pdpa erasure', () => {
  it('asking explains erasure and offers a confirm button tied to the new step', () => {
    const r = transition(flows, home, text('ลบข้อมูลของฉัน'), ctx);
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual({ ...home, seq: 5, flow: { flow: 'pdpa', step: 'confirmErase', requestedAt: NOW } });
    expect(texts(r.replies)[0]).toMatch(/ยกเลิกการเชื่อมบัญชี LINE.*ไม่ระบุตัวตน.*90 วัน/s);
    const quick = r.replies[0]?.type === 'text' ? r.replies[0].quickReply?.items : undefined;
    expect(quick?.[0]?.action).toMatchObject({ type: 'postback', data: 's=5&a=erase' });
  });

  it('works from inside a checklist too', () => {
    const inChecklist: ConversationState = {
      ...home,
      flow: {
        flow: 'checklist',
        responseId: 'r',
        checklistId: 'k',
        campaignId: 'c',
        at: { kind: 'item', key: 'a', repeat: 0 },
        returnToReview: false,
        editing: false,
      },
    };
    expect(transition(flows, inChecklist, text('ลบข้อมูลของฉัน'), ctx).state.flow.flow).toBe('pdpa');
  });

  it.each<[string, Input]>([
    ['the button', postback('s=5&a=erase')],
    ['typing ยืนยันลบ', text('ยืนยันลบ')],
    ['typing ยืนยันลบ with spaces', text('  ยืนยันลบ ')],
  ])('confirming by %s erases and starts the conversation over', (_, input) => {
    const r = transition(flows, asking, input, ctx);
    expect(r.effects).toEqual([
      { type: 'erasePerson', personId: 'p1', requestedAt: new Date(NOW - 60_000).toISOString() },
    ]);
    expect(r.state).toEqual({ v: 1, seq: 6, flow: { flow: 'onboarding', tries: 0 } });
    expect(texts(r.replies)).toEqual([expect.stringMatching(/ลบข้อมูลของท่านเรียบร้อยแล้ว/)]);
  });

  it.each<[string, Input, RegExp]>([
    ['ไม่ลบ', text('ไม่ลบ'), /ยกเลิกคำขอลบข้อมูลแล้ว/],
    ['ยกเลิก', text('ยกเลิก'), /ยกเลิกคำขอลบข้อมูลแล้ว/],
    ['anything else', text('สวัสดี'), /ยกเลิกคำขอลบข้อมูลแล้ว/],
    ['a sticker', { kind: 'sticker' }, /ยกเลิกคำขอลบข้อมูลแล้ว/],
    ['another button', postback('s=5&a=menu'), /ยกเลิกคำขอลบข้อมูลแล้ว/],
  ])('%s cancels: nothing erased, back home with the menu', (_, input, said) => {
    const r = transition(flows, asking, input, ctx);
    expect(r.effects).toEqual([]);
    expect(r.state.flow).toEqual({ flow: 'home' });
    expect(texts(r.replies)[0]).toMatch(said);
    expect(r.replies.length).toBe(2);
  });

  it.each<[string, Input]>([
    ['a stale confirm button', postback('s=3&a=erase')],
    ['a confirm button without a step', postback('a=erase')],
  ])('%s cancels with the one stale-button notice: nothing erased, back home with the menu', (_, input) => {
    const r = transition(flows, asking, input, ctx);
    expect(r.effects).toEqual([]);
    expect(r.state.flow).toEqual({ flow: 'home' });
    expect(texts(r.replies)).toEqual([th.staleButton, expect.stringMatching(/ยกเลิกคำขอลบข้อมูลแล้ว/), expect.any(String)]);
  });

  it('a confirm button tapped after the request ended is stale and erases nothing', () => {
    const r = transition(flows, home, postback('s=2&a=erase'), ctx);
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(home);
  });

  it('a replayed confirm from an unlinked user gets onboarding, not an erasure', () => {
    const r = transition(flows, { v: 1, seq: 6, flow: { flow: 'onboarding', tries: 0 } }, postback('s=5&a=erase'), {
      ...ctx,
      person: null,
    });
    expect(r.effects).toEqual([]);
    expect(texts(r.replies)).toEqual([expect.stringMatching(/PDPA/), expect.stringMatching(/รหัสเชิญ/)]);
  });
});
