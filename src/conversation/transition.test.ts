// Table tests of the pure engine: one row per state × input that matters, stale buttons and typed text included.
import { flows } from '../flows/index.js';
import { describe, expect, it } from 'vitest';
import type { Message } from '../line/messages.js';
import { TEST_NOW, TEST_OFFICE, testCtx, testPerson } from '../../test/support/conversation.js';
import type { Input } from './input.js';
import { initialState, type ConversationState } from './state.js';
import { type Ctx, type InviteLookup, globalCommand, type PersonView, transition } from './transition.js';
import { CODE_LOCK_MS, MAX_CODE_TRIES } from '../onboarding/chat.js';
import { visitCommand } from '../visits/words.js';

const NOW = TEST_NOW;
const OFFICE = TEST_OFFICE;
const OTHER_OFFICE = '00000000-0000-4000-8000-000000000002';

const person: PersonView = testPerson();

const validInvite: InviteLookup = {
  found: true,
  inviteId: 'i1',
  personId: 'p1',
  officeId: OFFICE,
  expiresAt: NOW + 86_400_000,
  usedAt: null,
  revokedAt: null,
  person: { name: 'สมศรี ใจดี', role: 'teacher', schoolName: 'โรงเรียนบ้านหนองน้ำใส', officeName: 'สพป.ตัวอย่าง เขต 1' },
};

const ctx = testCtx;

const fresh = initialState();
const noticed: ConversationState = { ...fresh, noticeShownAt: NOW - 1000 };
const home: ConversationState = { v: 1, seq: 4, noticeShownAt: NOW - 1000, flow: { flow: 'home' } };

const text = (t: string): Input => ({ kind: 'text', text: t });
const texts = (msgs: Message[]) =>
  msgs.map((m) => (m.type === 'text' ? m.text : m.type === 'flex' ? m.altText : m.type));

describe('transition: onboarding', () => {
  it.each<[string, ConversationState, Input, Partial<Ctx>, RegExp[]]>([
    ['follow shows the notice then asks for the code', fresh, { kind: 'follow' }, {}, [/PDPA/, /รหัสเชิญ/]],
    ['a stranger writing first also gets the notice', fresh, text('สวัสดีครับ'), {}, [/PDPA/, /รหัสเชิญ/]],
    ['after the notice, chatter is explained, not counted', noticed, text('สวัสดีครับ'), {}, [/8 ตัว/, /รหัสเชิญ/]],
    ['help explains onboarding', noticed, text('ช่วยเหลือ'), {}, [/ขั้นแรก/, /รหัสเชิญ/]],
    ['a sticker gets a kind word and the same question', noticed, { kind: 'sticker' }, {}, [/สติกเกอร์/, /รหัสเชิญ/]],
    [
      'an image gets a kind word and the same question',
      noticed,
      { kind: 'media', media: 'image', messageId: 'm' },
      {},
      [/รูป/, /รหัสเชิญ/],
    ],
    ['a location gets a kind word and the same question', noticed, { kind: 'location' }, {}, [/ตำแหน่ง/, /รหัสเชิญ/]],
    ['a stray postback re-asks', noticed, { kind: 'postback', data: 's=1&a=menu', params: {} }, {}, [/รหัสเชิญ/]],
    ['an unknown code counts a try', noticed, text('K7M2-Q9XP'), { invite: { found: false } }, [/ไม่พบ.*เหลืออีก 4 ครั้ง/s]],
    [
      'an expired code says so',
      noticed,
      text('K7M2-Q9XP'),
      { invite: { ...validInvite, expiresAt: NOW - 1 } },
      [/หมดอายุ/],
    ],
    ['a used code says so', noticed, text('K7M2-Q9XP'), { invite: { ...validInvite, usedAt: NOW - 1 } }, [/ถูกใช้ไปแล้ว/]],
    [
      'a revoked code says so',
      noticed,
      text('K7M2-Q9XP'),
      { invite: { ...validInvite, revokedAt: NOW - 1 } },
      [/ยกเลิกแล้ว/],
    ],
    [
      "another office's code on an office channel is refused",
      noticed,
      text('K7M2-Q9XP'),
      { invite: validInvite, channelOfficeId: OTHER_OFFICE },
      [/สำนักงานอื่น/],
    ],
  ])('%s', (_, state, input, over, expected) => {
    const r = transition(flows, state, input, ctx(over));
    const said = texts(r.replies);
    expect(said).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(said[i]).toMatch(re));
    expect(r.effects).toEqual([]);
    expect(r.state.flow.flow).toBe('onboarding');
  });

  it('a valid code shows whose account it is; ใช่ links the person and welcomes them by role, ไม่ใช่ does not', () => {
    const asked = transition(flows, noticed, text('k7m2 q9xp'), ctx({ invite: validInvite, channelOfficeId: OFFICE }));
    expect(asked.effects).toEqual([]);
    expect(asked.state.flow).toEqual({ flow: 'onboarding', tries: 0, confirm: 'i1' });
    expect(texts(asked.replies)[0]).toMatch(/บัญชีของ สมศรี ใจดี \(ครู\)/);
    const no = transition(flows, asked.state, text('ไม่ใช่'), ctx({ invite: validInvite, channelOfficeId: OFFICE }));
    expect(no.effects).toEqual([]);
    expect(no.state.flow).toEqual({ flow: 'onboarding', tries: 0 });
    // The invite reloaded at "ใช่" (by the id in the state) is checked again: revoked meanwhile, no link.
    const revoked = { ...validInvite, revokedAt: NOW - 1 };
    expect(transition(flows, asked.state, text('ใช่'), ctx({ invite: revoked })).effects).toEqual([]);
    const r = transition(flows, asked.state, text('ใช่ค่ะ'), ctx({ invite: validInvite, channelOfficeId: OFFICE }));
    expect(r.effects).toEqual([{ type: 'linkPerson', inviteId: 'i1', personId: 'p1' }]);
    expect(r.state.flow).toEqual({ flow: 'home' });
    expect(r.state.seq).toBe(noticed.seq + 1);
    const [card, menu] = r.replies;
    expect(card?.type).toBe('flex');
    expect(texts(r.replies)[0]).toMatch(/ยินดีต้อนรับ คุณสมศรี ใจดี \(ครู\)/);
    expect(menu?.type === 'text' ? menu.quickReply?.items?.length : 0).toBe(4);
  });

  it('the env channel (no office) accepts any office', () => {
    const invite = { ...validInvite, officeId: OTHER_OFFICE };
    const asked = transition(flows, noticed, text('K7M2Q9XP'), ctx({ invite }));
    expect(transition(flows, asked.state, text('ใช่'), ctx({ invite })).effects).toHaveLength(1);
  });

  it(`locks for 30 minutes after ${MAX_CODE_TRIES} wrong codes, then allows tries again`, () => {
    let s: ConversationState = noticed;
    for (let i = 1; i < MAX_CODE_TRIES; i++)
      s = transition(flows, s, text('AAAA-AAAA'), ctx({ invite: { found: false } })).state;
    const locked = transition(flows, s, text('AAAA-AAAA'), ctx({ invite: { found: false } }));
    expect(locked.state.flow).toEqual({ flow: 'onboarding', tries: MAX_CODE_TRIES, lockedUntil: NOW + CODE_LOCK_MS });
    // 09:30 Bangkok = 02:00Z + 30 min
    expect(texts(locked.replies)[0]).toMatch(/หลังเวลา 09:30 น\./);

    // While locked, even a valid code is not looked at.
    const during = transition(flows, locked.state, text('K7M2Q9XP'), ctx({ invite: validInvite, now: NOW + 60_000 }));
    expect(during.effects).toEqual([]);
    expect(texts(during.replies)[0]).toMatch(/ลองใหม่หลังเวลา/);

    const after = transition(
      flows,
      locked.state,
      text('K7M2Q9XP'),
      ctx({ invite: validInvite, now: NOW + CODE_LOCK_MS + 1 }),
    );
    expect(after.effects).toEqual([]);
    expect(after.state.flow).toEqual({ flow: 'onboarding', tries: 0, confirm: 'i1' });
    expect(transition(flows, after.state, text('ใช่'), ctx({ invite: validInvite })).effects).toHaveLength(1);
    const wrongAfter = transition(
      flows,
      locked.state,
      text('AAAA-AAAA'),
      ctx({ invite: { found: false }, now: NOW + CODE_LOCK_MS + 1 }),
    );
    expect(wrongAfter.state.flow).toEqual({ flow: 'onboarding', tries: 1 });
  });

  it('shows the notice only once', () => {
    const first = transition(flows, fresh, { kind: 'follow' }, ctx());
    const second = transition(flows, first.state, text('hello'), ctx({ now: NOW + 1 }));
    expect(texts(second.replies).some((t) => /PDPA/.test(t))).toBe(false);
    expect(first.state.noticeShownAt).toBe(NOW);
  });

  it('is pure: same inputs, same outputs, input state untouched', () => {
    const before = JSON.stringify(noticed);
    const a = transition(flows, noticed, text('K7M2Q9XP'), ctx({ invite: validInvite }));
    const b = transition(flows, noticed, text('K7M2Q9XP'), ctx({ invite: validInvite }));
    expect(a).toEqual(b);
    expect(JSON.stringify(noticed)).toBe(before);
  });
});

describe('transition: linked person', () => {
  const linked = (input: Input, over: Partial<Ctx> = {}) => transition(flows, home, input, ctx({ person, ...over }));

  it.each<[string, Input, RegExp[]]>([
    ['เมนู shows the menu', text('เมนู'), [/เมนูหลัก/]],
    ['menu (English) shows the menu', text('MENU'), [/เมนูหลัก/]],
    ['สถานะ shows who they are (it ends in the particle นะ)', text('สถานะ'), [/ชื่อ: สมศรี ใจดี/]],
    ['สถานะค่ะ shows who they are', text('สถานะค่ะ'), [/ชื่อ: สมศรี ใจดี\nบทบาท: ครู\nโรงเรียน: โรงเรียนบ้านหนองน้ำใส/]],
    ['ช่วยเหลือ lists the global words', text('ช่วยเหลือ'), [/เมนู.*สถานะ.*ยกเลิก.*ย้อนกลับ.*ข้าม/s]],
    ['ยกเลิก with nothing running', text('ยกเลิก'), [/ไม่มีขั้นตอนที่ต้องยกเลิก/, /เมนูหลัก/]],
    ['ย้อนกลับ with nothing before', text('ย้อนกลับ'), [/ไม่มีข้อก่อนหน้า/, /เมนูหลัก/]],
    ['ข้าม with nothing to skip', text('skip'), [/ไม่มีข้อให้ข้าม/, /เมนูหลัก/]],
    ['free text is not understood, kindly', text('ทดสอบ 123'), [/ไม่เข้าใจ/, /เมนูหลัก/]],
    ['a sticker', { kind: 'sticker' }, [/สติกเกอร์/, /เมนูหลัก/]],
    ['a rich-menu postback without a step token works', { kind: 'postback', data: 'a=status', params: {} }, [/ชื่อ:/]],
    ['a current-step postback works', { kind: 'postback', data: `s=${home.seq}&a=help`, params: {} }, [/คำสั่ง/]],
    [
      'a stale postback is recognised',
      { kind: 'postback', data: 's=1&a=status', params: {} },
      [/ปุ่มนี้เป็นของคำถามก่อนหน้า/, /เมนูหลัก/],
    ],
    ['garbage postback data shows the menu', { kind: 'postback', data: '%%%', params: {} }, [/เมนูหลัก/]],
  ])('%s', (_, input, expected) => {
    const r = linked(input);
    const said = texts(r.replies);
    expect(said).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(said[i]).toMatch(re));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(home);
  });

  it('unfollow marks an active person blocked and says nothing', () => {
    const r = linked({ kind: 'unfollow' });
    expect(r).toEqual({
      state: home,
      replies: [],
      effects: [{ type: 'setPersonStatus', personId: 'p1', to: 'blocked' }],
    });
  });

  it('follow after a block reactivates and welcomes back', () => {
    const r = linked({ kind: 'follow' }, { person: { ...person, status: 'blocked' } });
    expect(r.effects).toEqual([{ type: 'setPersonStatus', personId: 'p1', to: 'active' }]);
    expect(texts(r.replies)[0]).toMatch(/ยินดีต้อนรับกลับ/);
  });

  it('unfollow by a stranger changes nothing', () => {
    expect(transition(flows, fresh, { kind: 'unfollow' }, ctx())).toEqual({ state: fresh, replies: [], effects: [] });
  });
});

describe('one particle stripper for every flow', () => {
  // Each flow's words go through normalize.ts's particleForms, so a polite ending works the same everywhere.
  it.each([
    ['เมนูจ้า', 'menu'],
    ['เมนูนะครับ', 'menu'],
    ['สถานะ', 'status'],
    ['สถานะค่ะ', 'status'],
    ['ช่วยเหลือหน่อย', null],
  ])('global word %j → %j', (typed, cmd) => {
    expect(globalCommand(typed)).toBe(cmd);
  });

  it.each([
    ['นัดนิเทศ', 'plan'],
    ['นัดนิเทศจ้า', 'plan'],
    ['นัดนิเทศนะคะ', 'plan'],
    ['ตารางนิเทศครับผม', 'list'],
    ['บันทึกนิเทศฮะ', 'record'],
    ['รับทราบค่ะ', 'ack'],
  ])('visit word %j → %j, as เมนูจ้า is the menu', (typed, cmd) => {
    expect(visitCommand(typed)).toBe(cmd);
  });

  it('a typed word opens the same reply with or without a particle', () => {
    for (const [bare, polite] of [
      ['เช็กลิสต์', 'เช็กลิสต์จ้า'],
      ['ตั้งค่า', 'ตั้งค่าครับ'],
      ['เมนู', 'เมนูจ้า'],
    ] as const) {
      expect(transition(flows, home, text(polite), ctx({ person }))).toEqual(
        transition(flows, home, text(bare), ctx({ person })),
      );
    }
  });
});
