// The onboarding flow: every turn of a LINE user no person is linked to (see chat.ts). Its load block is the
// invite a code-shaped text names, found by the code's hash.
import * as z from 'zod';
import { defineFlow } from '../conversation/flow.js';
import { onboarding } from './chat.js';
import type { LinkPerson } from './effects.js';
import { canonicalInviteCode, hashInviteCode } from './invite-code.js';
import { inviteLoad, linkEffects } from './link.queries.js';

const onboardingState = z.object({
  flow: z.literal('onboarding'),
  /** Wrong invite codes in a row; at MAX_CODE_TRIES the person waits until lockedUntil. */
  tries: z.number().int().nonnegative(),
  lockedUntil: z.number().int().optional(),
  /** A valid code's invite, shown to the person (whose account it is) and linked only on their "ใช่". */
  confirm: z.string().optional(),
});

declare module '../conversation/state.js' {
  interface FlowStates {
    onboarding: z.infer<typeof onboardingState>;
  }
}
declare module '../conversation/types.js' {
  interface Ctx {
    /** The invite a code-shaped text names (null: the text was not code-shaped). */
    invite: InviteLookup | null;
    /** The channel's privacy notice, shown at the first contact. */
    privacyNotice: string;
  }
}

export const onboardingFlow = defineFlow<z.infer<typeof onboardingState>, LinkPerson>({
  name: 'onboarding',
  role: 'strangers',
  schema: onboardingState,
  owns: (flow) => flow.flow === 'onboarding',
  effects: linkEffects,
  load: inviteLoad,
  prepare(input) {
    const code = input.kind === 'text' ? canonicalInviteCode(input.text) : null;
    return code === null ? null : hashInviteCode(code).then((inviteHash) => ({ load: { inviteHash } }));
  },
  stranger: onboarding,
});
