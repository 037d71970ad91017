// The settings flow: the daily reminder hour and muting, from the word `ตั้งค่า` or the menu's button (`a=settings`),
// from anywhere but a running checklist (where typed words are answers).
import * as z from 'zod';
import { defineFlow } from '../conversation/flow.js';
import { isWord } from '../conversation/normalize.js';
import { parsePostbackData } from '../line/messages.js';
import { menuOf } from '../menu/menu.js';
import { runSettings, SETTINGS_STEP_ACTIONS, type SettingsEffect, settingsMenu } from './settings.js';
import { settingsEffects } from './settings.queries.js';

const settingsState = z.object({ flow: z.literal('settings'), step: z.enum(['menu', 'hour']) });
type SettingsState = z.infer<typeof settingsState>;

declare module '../conversation/state.js' {
  interface FlowStates {
    settings: SettingsState;
  }
}

const words = ['ตั้งค่า', 'การตั้งค่า', 'settings', 'setting'] as const;
const wordSet = new Set<string>(words);

export const settingsFlow = defineFlow<SettingsState, SettingsEffect>({
  name: 'settings',
  schema: settingsState,
  owns: (flow) => flow.flow === 'settings',
  actions: { entry: ['settings'], step: SETTINGS_STEP_ACTIONS },
  words,
  effects: settingsEffects,
  enter(state, input, ctx) {
    if (state.flow.flow === 'checklist') return null;
    const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
    const wants =
      (input.kind === 'text' && isWord(wordSet, input.text)) || (pb?.action === 'settings' && pb.seq === undefined);
    return wants ? settingsMenu(state, ctx.person) : null;
  },
  step(state, input, ctx, cmd) {
    // A global word leaves settings for the menu's answer to it.
    if (cmd !== null || input.kind === 'follow') return null;
    return runSettings(state, ctx.person, input, (s, ...before) => ({
      state: s,
      replies: [...before, menuOf(ctx)],
      effects: [],
    }));
  },
  resume: (state, ctx, before) => {
    const menu = settingsMenu(state, ctx.person);
    return { ...menu, replies: [...before, ...menu.replies] };
  },
});
