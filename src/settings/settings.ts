// Settings in chat: the hour of the daily reminder bundle, and muting reminders. Pure, like transition().
// Quiet hours (20:00–07:00 by default) are the office's; a reminder hour inside them is refused here.
import type { Effect } from '../conversation/effects.js';
import type { Input } from '../conversation/input.js';
import { commandKey } from '../conversation/normalize.js';
import type { ConversationState } from '../conversation/state.js';
import type { Step } from '../conversation/flow.js';
import type { PersonView } from '../conversation/types.js';
import { type Message, parsePostbackData, postbackData, quickPostback, textMessage } from '../line/messages.js';
import { msg } from '../i18n/msg.js';

const EARLIEST_HOUR = 7;
const LATEST_HOUR = 19;

/** The flow's effect (SQL in settings.queries.ts). */
export interface SettingsEffect {
  type: 'updateSettings';
  personId: string;
  muted?: boolean;
  reminderHour?: number;
}

declare module '../conversation/effects.js' {
  interface FlowEffects {
    settings: SettingsEffect;
  }
}

type SettingsResult = Step;

export function settingsMenu(state: ConversationState, person: PersonView): SettingsResult {
  const next: ConversationState = { ...state, seq: state.seq + 1, flow: { flow: 'settings', step: 'menu' } };
  const s = next.seq;
  return {
    state: next,
    replies: [
      textMessage(msg.settings.summary(person.reminderHour, person.muted), [
        quickPostback(msg.settings.changeHour, postbackData('set_hour', {}, s), msg.settings.changeHour),
        person.muted
          ? quickPostback(msg.settings.unmute, postbackData('unmute', {}, s), msg.settings.unmute)
          : quickPostback(msg.settings.mute, postbackData('mute', {}, s), msg.settings.mute),
        quickPostback(msg.settings.done, postbackData('menu'), msg.settings.done),
      ]),
    ],
    effects: [],
  };
}

function askHour(state: ConversationState, extra?: string): SettingsResult {
  const next: ConversationState = { ...state, seq: state.seq + 1, flow: { flow: 'settings', step: 'hour' } };
  const quick = [7, 8, 12, 16, 18].map((h) =>
    quickPostback(`${String(h).padStart(2, '0')}:00 น.`, postbackData('hour', { h }, next.seq), `${h}:00 น.`),
  );
  return {
    state: next,
    replies: [textMessage([extra, msg.settings.askHour].filter(Boolean).join('\n'), quick)],
    effects: [],
  };
}

/** "8", "๘" (already folded), "08:00", "8.00", "8 โมง", "บ่าย 2", "16.00 น." → 8 / 14 / 16; null otherwise. */
export function parseHour(text: string): number | null {
  const t = commandKey(text)
    .replace(/\s+/g, ' ')
    .replace(/ ?น\.?$/, '');
  const afternoon = /^บ่าย ?(\d{1,2})( ?โมง)?$/.exec(t);
  if (afternoon !== null) {
    const h = Number(afternoon[1]) + 12;
    return h <= 23 ? h : null;
  }
  const m = /^(\d{1,2})(?:[:.](00))?(?: ?(?:โมง(?:เช้า)?|นาฬิกา))?$/.exec(t);
  if (m === null) return null;
  const h = Number(m[1]);
  return h >= 0 && h <= 23 ? h : null;
}

type UserInput = Exclude<Input, { kind: 'follow' | 'unfollow' }>;

/**
 * The flow's own button actions: the menu's and the hour question's buttons always carry their step token (the
 * engine's stale guard checks it). The entry (`a=settings`, the rich menu's tile and the home menu's button)
 * carries none.
 */
export const SETTINGS_STEP_ACTIONS = ['set_hour', 'mute', 'unmute', 'hour'] as const;

export function runSettings(
  state: ConversationState & { flow: { flow: 'settings'; step: 'menu' | 'hour' } },
  person: PersonView,
  input: UserInput,
  home: (state: ConversationState, ...before: Message[]) => SettingsResult,
): SettingsResult {
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  const action = pb?.action;
  const update = (change: { muted?: boolean; reminderHour?: number }, said: string): SettingsResult => {
    const effect: Effect = { type: 'updateSettings', personId: person.id, ...change };
    const after = home({ ...state, seq: state.seq + 1, flow: { flow: 'home' } }, textMessage(said));
    return { ...after, effects: [effect] };
  };
  if (action === 'mute') return update({ muted: true }, msg.settings.muted);
  if (action === 'unmute') return update({ muted: false }, msg.settings.unmuted(person.reminderHour));
  if (action === 'set_hour') return askHour(state);

  if (state.flow.step === 'hour') {
    const hour = action === 'hour' ? Number(pb?.fields.get('h')) : input.kind === 'text' ? parseHour(input.text) : null;
    if (hour === null || !Number.isInteger(hour)) return askHour(state, msg.settings.notAnHour);
    if (hour < EARLIEST_HOUR || hour > LATEST_HOUR) return askHour(state, msg.settings.quietHour(hour));
    return update({ reminderHour: hour }, msg.settings.hourSet(hour));
  }
  if (input.kind === 'text') {
    const key = commandKey(input.text);
    if (key === commandKey(msg.settings.mute) || key === 'ปิดแจ้งเตือน')
      return update({ muted: true }, msg.settings.muted);
    if (key === commandKey(msg.settings.unmute) || key === 'เปิดแจ้งเตือน')
      return update({ muted: false }, msg.settings.unmuted(person.reminderHour));
    if (key === commandKey(msg.settings.changeHour)) return askHour(state);
  }
  return settingsMenu(state, person);
}
