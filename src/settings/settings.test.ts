import { th } from '../i18n/th.js';
import { flows } from '../flows/index.js';
import { describe, expect, it } from 'vitest';
import type { Input } from '../conversation/input.js';
import { normalizeText } from '../conversation/normalize.js';
import type { ConversationState } from '../conversation/state.js';
import { type Ctx, type PersonView, transition } from '../conversation/transition.js';
import { testCtx, testPerson } from '../../test/support/conversation.js';
import { parseHour } from './settings.js';
import { msg } from '../i18n/msg.js';

const person: PersonView = testPerson({ officeId: 'o1' });
const ctx = (p: PersonView = person): Ctx => testCtx({ person: p });
const home: ConversationState = { v: 1, seq: 4, flow: { flow: 'home' } };
const text = (t: string): Input => ({ kind: 'text', text: normalizeText(t) });
const said = (r: ReturnType<typeof transition>) =>
  r.replies.map((m) => (m.type === 'text' ? m.text : m.type)).join('\n');

describe('parseHour', () => {
  it.each([
    ['8', 8],
    ['๘', 8],
    ['08:00', 8],
    ['8.00 น.', 8],
    ['8 โมง', 8],
    ['16:00', 16],
    ['บ่าย 2', 14],
    ['บ่าย 3 โมง', 15],
    ['25', null],
    ['แปดโมง', null],
    ['8:30', null],
    ['', null],
  ])('%j → %j', (t, h) => {
    expect(parseHour(normalizeText(t))).toBe(h);
  });
});

describe('settings flow', () => {
  it('"ตั้งค่า" shows the current hour and mute state with buttons', () => {
    const r = transition(flows, home, text('ตั้งค่า'), ctx());
    expect(said(r)).toContain('เวลาแจ้งเตือนประจำวัน: 08:00 น.');
    expect(r.state.flow).toEqual({ flow: 'settings', step: 'menu' });
    expect(r.effects).toEqual([]);
  });

  const tap: Input = { kind: 'postback', data: 's=6&a=hour&h=12', params: {} };
  it.each<[string, Input, number]>([
    ['typed "9"', text('9'), 9],
    ['typed Thai digits "๑๖:๐๐"', text('๑๖:๐๐'), 16],
    ['a button', tap, 12],
  ])('changes the hour by %s', (_, input, hour) => {
    const menu = transition(flows, home, text('ตั้งค่า'), ctx());
    const ask = transition(flows, menu.state, text('เปลี่ยนเวลาแจ้งเตือน'), ctx());
    expect(ask.state.flow).toEqual({ flow: 'settings', step: 'hour' });
    const r = transition(flows, ask.state, input, ctx());
    expect(r.effects).toEqual([{ type: 'updateSettings', personId: 'p1', reminderHour: hour }]);
    expect(r.state.flow).toEqual({ flow: 'home' });
    expect(said(r)).toContain(`${String(hour).padStart(2, '0')}:00 น.`);
  });

  it.each(['22', '5', 'เช้าๆ'])('refuses %j and asks again, saving nothing', (t) => {
    const ask = transition(flows, { ...home, flow: { flow: 'settings', step: 'hour' } }, text(t), ctx());
    expect(ask.effects).toEqual([]);
    expect(ask.state.flow).toEqual({ flow: 'settings', step: 'hour' });
    expect(said(ask)).toMatch(/ช่วงเวลาพักผ่อน|อ่านเวลาไม่ออก/);
  });

  it('mutes and unmutes', () => {
    const muted = transition(flows, { ...home, flow: { flow: 'settings', step: 'menu' } }, text('ปิดการแจ้งเตือน'), ctx());
    expect(muted.effects).toEqual([{ type: 'updateSettings', personId: 'p1', muted: true }]);
    const menu = transition(flows, home, text('ตั้งค่า'), ctx({ ...person, muted: true }));
    expect(said(menu)).toContain('ปิดอยู่');
    const on = transition(flows, menu.state, text('เปิดการแจ้งเตือน'), ctx({ ...person, muted: true }));
    expect(on.effects).toEqual([{ type: 'updateSettings', personId: 'p1', muted: false }]);
  });

  // The flow's own buttons always carry their step token; without it (forged) they act as a stale button. The
  // entry, a=settings from the rich menu and the home menu, carries none and must keep working.
  const atMenu: ConversationState = { ...home, flow: { flow: 'settings', step: 'menu' } };
  const atHour: ConversationState = { ...home, flow: { flow: 'settings', step: 'hour' } };
  const pbOf = (data: string): Input => ({ kind: 'postback', data, params: {} });
  it.each<[string, ConversationState, string]>([
    ['mute at the menu', atMenu, 'a=mute'],
    ['unmute at the menu', atMenu, 'a=unmute'],
    ['change hour at the menu', atMenu, 'a=set_hour'],
    ['an hour at the menu', atMenu, 'a=hour&h=9'],
    ['an hour at the hour question', atHour, 'a=hour&h=9'],
    ['mute at the hour question', atHour, 'a=mute'],
  ])('DENIED %s without a step token: nothing saved, the stale notice and the menu', (_, state, data) => {
    const r = transition(flows, state, pbOf(data), ctx());
    expect(r.effects).toEqual([]);
    expect(said(r)).toContain(th.staleButton);
    expect(r.state.flow).toEqual({ flow: 'settings', step: 'menu' });
  });
  it.each<[string, ConversationState, string, unknown]>([
    ['mute at the menu', atMenu, 'a=mute', { muted: true }],
    ['unmute at the menu', atMenu, 'a=unmute', { muted: false }],
    ['an hour at the hour question', atHour, 'a=hour&h=9', { reminderHour: 9 }],
  ])('ALLOWED %s with the current step token', (_, state, data, change) => {
    const r = transition(flows, state, pbOf(`s=${state.seq}&${data}`), ctx());
    expect(r.effects).toEqual([{ type: 'updateSettings', personId: 'p1', ...(change as object) }]);
  });
  it('ALLOWED change hour at the menu with the current step token asks for the hour', () => {
    const r = transition(flows, atMenu, pbOf(`s=${atMenu.seq}&a=set_hour`), ctx());
    expect(r.state.flow).toEqual({ flow: 'settings', step: 'hour' });
  });
  it.each<[string, ConversationState]>([
    ['home', home],
    ['the settings menu', atMenu],
    ['the hour question', atHour],
  ])('ALLOWED the rich menu tile a=settings (no token) opens the settings menu from %s', (_, state) => {
    const r = transition(flows, state, pbOf('a=settings'), ctx());
    expect(r.effects).toEqual([]);
    expect(r.state.flow).toEqual({ flow: 'settings', step: 'menu' });
    expect(said(r)).toContain(msg.settings.summary(8, false));
  });

  it('a stale settings button changes nothing; global words leave settings', () => {
    const stale = transition(
      flows,
      { ...home, flow: { flow: 'settings', step: 'hour' } },
      { kind: 'postback', data: 's=1&a=hour&h=9', params: {} },
      ctx(),
    );
    expect(stale.effects).toEqual([]);
    const menu = transition(flows, { ...home, flow: { flow: 'settings', step: 'hour' } }, text('เมนู'), ctx());
    expect(menu.effects).toEqual([]);
    expect(said(menu)).toContain('เมนูหลัก');
  });
});
