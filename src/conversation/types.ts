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
