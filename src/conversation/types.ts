// The shapes every flow and the engine share, and nothing else: the person a turn is for, the invite a typed code
// found, the global words, the key of a turn. Flows import these from here, never from the engine (transition.ts)
// or the load statement (conversation.queries.ts), so no flow and the engine import each other.
import type { PersonStatus, Role } from '../db/schema.js';

export interface PersonView {
  id: string;
  officeId: string;
  role: Role;
  name: string;
  status: PersonStatus;
  schoolName: string | null;
  officeName: string;
  muted: boolean;
  /** Local hour (0–23) for the daily reminder bundle. */
  reminderHour: number;
}

/** What the loader found for a code-shaped text; null when the text was not code-shaped. */
export type InviteLookup =
  | { found: false }
  | {
      found: true;
      inviteId: string;
      personId: string;
      officeId: string;
      expiresAt: number;
      usedAt: number | null;
      revokedAt: number | null;
      person: { name: string; role: Role; schoolName: string | null; officeName: string };
    };

export type GlobalCommand = 'menu' | 'status' | 'help' | 'cancel' | 'back' | 'skip';

export interface TurnKey {
  channelId: string;
  lineUserId: string;
  webhookEventId: string;
}

/** An open checklist as the runner shows it (loaded by the turn's one statement). */
export interface CampaignView {
  campaignId: string;
  checklistId: string;
  title: string;
  scope: 'person' | 'school';
  dueAt: number;
  responseId: string | null;
  status: 'in_progress' | 'submitted' | null;
}

/**
 * What a turn knows besides the state and the input: the engine's own part here; each flow adds the part it
 * loads from its own folder (`declare module '../conversation/types.js' { interface Ctx { … } }`), and turn.ts
 * fills it from the turn's load statement.
 */
export interface Ctx {
  now: number;
  /**
   * The turn's event, unique per channel (`<channelId>:<webhookEventId>`): the seed of the ids of the rows it
   * creates (src/ids/row-id.ts), so a retried or redelivered turn derives the same ids.
   */
  eventId: string;
  timeZone: string;
  person: PersonView | null;
  /** The channel's office: only its invite codes link here (null: no such check, for pure tests). */
  channelOfficeId: string | null;
  /** Whether the SAR feedback a postback names (LoadWants.focusFeedback) is for the person's school. */
  feedbackOwn?: boolean;
}

/** A linked person's turn: the context every flow but onboarding runs with. */
export type LinkedCtx = Ctx & { person: PersonView };

/**
 * The optional blocks of the turn's one load statement (conversation.queries.ts) a flow can ask for, from the
 * input alone (the load runs before the state is read). Unasked, a block costs nothing.
 */
export interface LoadWants {
  /** Hash of a code-shaped text (onboarding): the invite it names. */
  inviteHash: string | null;
  /** The campaign a postback opens: its response's answers. */
  focusCampaign: string | null;
  /** The visit block (a conversation inside a visit flow loads it anyway). */
  visits: boolean;
  /** The visit a postback names. */
  focusVisit: string | null;
  /** The SAR feedback a principal's postback names: is it their school's? */
  focusFeedback?: string | null;
}
