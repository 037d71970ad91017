// The home flow: between flows. It takes a follow from a known person (welcome back), and whatever no other flow
// took; a stale button outside any flow shows the menu again.
import { defineFlow } from '../conversation/flow.js';
import type { Flow } from '../conversation/state.js';
import { atHome, menuOf, welcomeBack } from './menu.js';

export const homeFlow = defineFlow<Flow>({
  name: 'home',
  role: 'home',
  actions: { entry: ['menu', 'status', 'help', 'cancel', 'back', 'skip'] },
  effects: {},
  enter: (state, input, ctx) => (input.kind === 'follow' ? welcomeBack(state, ctx) : null),
  step: (state, input, ctx, cmd) => atHome(state, input, ctx, cmd),
  resume: (state, ctx, before) => ({ state, replies: [...before, menuOf(ctx)], effects: [] }),
});
