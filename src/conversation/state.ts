// Conversation state: versioned JSON, parsed with zod on every read and migrated forward, so a conversation
// that was mid-flow survives a deploy. Each flow's own state lives in its folder: it adds itself to FlowStates
// (below) and gives its zod schema to the registry (src/flows/index.ts), which builds the one union that is
// parsed here and checks that the two agree. Add a version by adding a step to `migrations` and a fixture.
import * as z from 'zod';

/** Between flows: the menu (src/menu/). The engine's own state, so it lives here. */
export const homeFlow = z.object({ flow: z.literal('home') });

/**
 * Every flow's state, by flow name. A flow registers its state from its own folder, as Hono's
 * ContextVariableMap is extended:
 * `declare module '../conversation/state.js' { interface FlowStates { checklist: ChecklistFlow } }`.
 */
export interface FlowStates {
  home: z.infer<typeof homeFlow>;
}
export type Flow = FlowStates[keyof FlowStates];

export interface ConversationState {
  v: 1;
  /** Bumped on every prompt; postbacks carry it, so a tap on an old button is recognised as stale. */
  seq: number;
  /** When the privacy notice was shown (epoch ms); it is shown once, at the first contact. */
  noticeShownAt?: number | undefined;
  flow: Flow;
}

/** The stored envelope around a flow union built by the registry. */
export function stateSchema<F extends z.ZodType<Flow>>(flow: F) {
  return z.object({
    v: z.literal(1),
    seq: z.number().int().nonnegative(),
    noticeShownAt: z.number().int().optional(),
    flow,
  });
}

export const CURRENT_VERSION = 1;

/** Each entry upgrades a state of version `from` to `from + 1`. Empty while there is one version. */
const migrations: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/** Every conversation starts at onboarding (src/onboarding/): the privacy notice, then an invite code. */
export function initialState(): ConversationState {
  return { v: 1, seq: 0, flow: { flow: 'onboarding', tries: 0 } };
}

type ParseOutcome = { ok: true; state: ConversationState } | { ok: false; state: ConversationState };

/**
 * Reads stored state against the registry's schema. Null means a new conversation. A state that cannot be read
 * (corrupt, from a future version after a rollback, or of a flow that no longer exists) restarts at the
 * beginning rather than crashing: answers live in their own tables.
 */
export function parseStateWith(schema: z.ZodType<ConversationState>, raw: unknown): ParseOutcome {
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
  const parsed = schema.safeParse(current);
  return parsed.success ? { ok: true, state: parsed.data } : { ok: false, state: initialState() };
}
