// The shapes every flow and the engine share, and nothing else: the person a turn is for, the invite a typed code
// found, the global words, the key of a turn. Flows import these from here, never from the engine (transition.ts)
// or the load statement (conversation.queries.ts), so no flow and the engine import each other.
import type { SQL } from 'drizzle-orm';
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
 * input alone (the load runs before the state is read). Unasked, a flow's fragment is not in the statement.
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
  /**
   * A typed text, which at home may open a checklist already started (`เริ่ม`, its number, its title's words): the
   * answers of each of the person's responses to open campaigns, loaded only while the stored state is home.
   */
  startedAnswers?: boolean;
}

/**
 * What a flow adds to the turn's one load statement (conversation.queries.ts) when the turn wants its data. The
 * engine's part holds the CTEs c (the conversation row), p (the person), open (their open checklists) and
 * state_ids (ids in the state); a fragment's SQL may use them and the placeholders of load-params.ts. Each shape
 * (set of fragments) is built once per process and sent as its own named prepared statement.
 */
export interface LoadFragment {
  /** For the statement's shape and tests. */
  readonly name: string;
  /** Its CTEs, each `, name AS (…)`, after the engine's. */
  readonly ctes?: SQL;
  /** A response the input names: `WHEN … THEN (…)` inside the focus CASE (after the campaign a postback opens). */
  readonly focusWhen?: SQL;
  /** A response to fall back on after the state's: `, (SELECT …)` inside the focus coalesce. */
  readonly focusFallback?: SQL;
  /** Checklist ids whose definitions the turn needs as well: ` UNION ALL SELECT <uuid column> FROM …`. */
  readonly definitions?: SQL;
  /** Its columns of the one row: `, expr AS name`. */
  readonly columns: SQL;
  /** Whether the input asks for it (from the flows' prepare()). */
  wanted(wants: LoadWants): boolean;
  /**
   * Whether the stored state or the person needs it whatever the input. The load runs before the state is read,
   * so the engine guesses from this conversation's last turn in this process (all such fragments when it has
   * none) and loads again, with the fragment, when the guess left out one the loaded state needs.
   */
  needed?(state: unknown, role: Role | null): boolean;
}
