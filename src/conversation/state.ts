// Conversation state: versioned JSON, parsed with zod on every read and migrated forward, so a conversation
// that was mid-flow survives a deploy. Add a new version by adding a schema and a step to `migrations`.
import { z } from 'zod';

const onboardingFlow = z.object({
  flow: z.literal('onboarding'),
  /** Wrong invite codes in a row; at MAX_CODE_TRIES the person waits until lockedUntil. */
  tries: z.number().int().nonnegative(),
  lockedUntil: z.number().int().optional(),
});

const homeFlow = z.object({ flow: z.literal('home') });

/** Where a checklist is: the answers themselves live in the answers table, never here. */
const checklistFlow = z.object({
  flow: z.literal('checklist'),
  responseId: z.string(),
  checklistId: z.string(),
  campaignId: z.string(),
  at: z.object({ kind: z.enum(['item', 'more', 'review']), key: z.string(), repeat: z.number().int().nonnegative() }),
  /** Set by "แก้ข้อ N": after that answer, go back to the review instead of onward. */
  returnToReview: z.boolean(),
  /** The response was already submitted: edits are re-saved, not submitted anew. */
  editing: z.boolean(),
  /** select_many picks made by tapping, not yet confirmed with "เสร็จ". */
  draft: z.array(z.string()).optional(),
});

const settingsFlow = z.object({ flow: z.literal('settings'), step: z.enum(['menu', 'hour']) });

/**
 * Supervision visits in chat: planning (school → when → purpose → confirm), rescheduling (when → confirm with
 * visitId), cancelling (cancel with visitId) and a principal's comment on findings (comment with visitId).
 * Recording runs the checklist flow with campaignId `visit:<visitId>`.
 */
const visitFlow = z.object({
  flow: z.literal('visit'),
  step: z.enum(['school', 'when', 'purpose', 'confirm', 'cancel', 'comment']),
  visitId: z.string().optional(),
  schoolId: z.string().optional(),
  startsAt: z.number().int().optional(),
  purpose: z.string().optional(),
  followUpOf: z.string().optional(),
});

/** A PDPA erasure request waiting for its confirmation; requestedAt is when the person asked (epoch ms). */
const pdpaFlow = z.object({
  flow: z.literal('pdpa'),
  step: z.literal('confirmErase'),
  requestedAt: z.number().int(),
});

const flowSchema = z.discriminatedUnion('flow', [
  onboardingFlow,
  homeFlow,
  checklistFlow,
  settingsFlow,
  visitFlow,
  pdpaFlow,
]);
export type Flow = z.infer<typeof flowSchema>;

const stateV1 = z.object({
  v: z.literal(1),
  /** Bumped on every prompt; postbacks carry it, so a tap on an old button is recognised as stale. */
  seq: z.number().int().nonnegative(),
  /** When the privacy notice was shown (epoch ms); it is shown once, at the first contact. */
  noticeShownAt: z.number().int().optional(),
  flow: flowSchema,
});
export type ConversationState = z.infer<typeof stateV1>;

export const CURRENT_VERSION = 1;

/** Each entry upgrades a state of version `from` to `from + 1`. Empty while there is one version. */
const migrations: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

export function initialState(): ConversationState {
  return { v: 1, seq: 0, flow: { flow: 'onboarding', tries: 0 } };
}

type ParseOutcome = { ok: true; state: ConversationState } | { ok: false; state: ConversationState };

/**
 * Reads stored state. Null means a new conversation. A state that cannot be read (corrupt, or from a future
 * version after a rollback) restarts at the beginning rather than crashing: answers live in their own tables.
 */
export function parseState(raw: unknown): ParseOutcome {
  if (raw === null || raw === undefined) return { ok: true, state: initialState() };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, state: initialState() };
  let current: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (let guard = 0; guard < 100; guard++) {
    const v = current.v;
    if (typeof v !== 'number' || v > CURRENT_VERSION) return { ok: false, state: initialState() };
    if (v === CURRENT_VERSION) break;
    const step = migrations[v];
    if (step === undefined) return { ok: false, state: initialState() };
    current = step(current);
  }
  const parsed = stateV1.safeParse(current);
  return parsed.success ? { ok: true, state: parsed.data } : { ok: false, state: initialState() };
}
