// The conversation's flows: the only module that imports every flow. Order matters for entries: the first flow
// whose entry claims an input takes the turn (src/conversation/transition.ts). Adding a flow is a folder with its
// flow.ts (state schema, actions, words, load, effects, steps) and one line here.
import { checklistFlow } from '../checklists/flow.js';
import { coreEffects } from '../conversation/conversation.queries.js';
import type * as z from 'zod';
import type { CoreEffect, Effect } from '../conversation/effects.js';
import { buildRegistry } from '../conversation/registry.js';
import type { Flow } from '../conversation/state.js';
import { homeFlow } from '../menu/flow.js';
import { onboardingFlow } from '../onboarding/flow.js';
import { pdpaFlow } from '../pdpa/flow.js';
import { settingsFlow } from '../settings/flow.js';
import { signinFlow } from '../signin/flow.js';
import { visitsFlow } from '../visits/flow.js';
import { sarFeedbackFlow } from '../sar/flow.js';

const list = [
  onboardingFlow, // an unlinked LINE user: the notice, then an invite code
  signinFlow, // `เข้าเว็บ`: a one-time link to the web pages
  homeFlow, // the menu: a follow, the global words, whatever no flow took
  pdpaFlow, // `ลบข้อมูลของฉัน`: erasure, after a confirmation
  checklistFlow, // the list, opening one, the runner
  visitsFlow, // supervision visits: planning, the list, the record, acknowledgements
  sarFeedbackFlow, // feedback on a school's SAR, its acknowledgement and reply
  settingsFlow, // the reminder hour and muting
] as const;

export const flows = buildRegistry(list, coreEffects);

// What the compiler checks about the list; a failure names what is missing:
type Listed = (typeof list)[number];
type HandledBy<F> = F extends { readonly effects: infer H } ? keyof H : never;
// (The home flow steps every state and parses none: its S is all of Flow.)
type StateOf<F> = F extends { readonly schema?: z.ZodType<infer S extends Flow> }
  ? Flow extends S
    ? never
    : S
  : never;
/** An effect some flow registered in FlowEffects that no flow in the list handles (the core's are handled). */
type Unhandled = Exclude<Effect['type'], HandledBy<Listed> | CoreEffect['type']>;
/** A state some flow registered in FlowStates that no flow in the list parses (home is the engine's). */
type Unparsed = Exclude<Flow['flow'], StateOf<Listed>['flow'] | 'home'>;
export const registryComplete: {
  unhandledEffect: [Unhandled] extends [never] ? true : Unhandled;
  unparsedState: [Unparsed] extends [never] ? true : Unparsed;
} = { unhandledEffect: true, unparsedState: true };
