// What a turn asks the database to do, as data. transition() returns these; conversation.queries.ts turns each
// into a CTE of the turn's single write statement, so they commit (or not) together with the new state.
import type { AnswerValue } from '../checklists/answers.js';
import type { Message } from '../line/messages.js';

/** A reminder to the visit's supervisor, deduplicated as `visit:<visitId>:<kind>`; a null time drops a pending one. */
export interface VisitReminder {
  kind: string;
  notBefore: string | null;
  messages: Message[];
}

export type Effect =
  | { type: 'linkPerson'; inviteId: string; personId: string }
  | { type: 'setPersonStatus'; personId: string; to: 'active' | 'blocked' }
  | { type: 'updateSettings'; personId: string; muted?: boolean; reminderHour?: number }
  /**
   * PDPA erasure, confirmed in chat: unlinks this LINE user and erases the name and ids; answers stay (anonymised).
   * Audited as 'pdpa.erase' with {requestedAt, completedAt}.
   */
  | { type: 'erasePerson'; personId: string; requestedAt: string }
  /** A read of other people's data worth recording (PDPA): who looked at which list. */
  | { type: 'audit'; officeId: string; personId: string; action: string; targetType: string; targetId: string | null }
  | {
      type: 'createResponse';
      responseId: string;
      officeId: string;
      campaignId: string;
      checklistId: string;
      subjectKey: string;
      schoolId: string | null;
      personId: string;
    }
  | { type: 'saveAnswer'; responseId: string; personId: string; key: string; repeat: number; value: AnswerValue }
  | {
      type: 'addEvidence';
      evidenceId: string;
      officeId: string;
      responseId: string;
      personId: string;
      key: string;
      repeat: number;
      lineMessageId: string;
    }
  | {
      type: 'submitResponse';
      responseId: string;
      personId: string;
      /** Calculated items, stored with the answers so exports need no evaluator. */
      calculated: { key: string; repeat: number; value: AnswerValue }[];
      /** Answers that are no longer relevant (an earlier answer changed); dropped, as XLSForm does. */
      removed: { key: string; repeat: number }[];
      resubmit: boolean;
    }
  | {
      /** A push to the school's main supervisors, through the outbox; dedupeKey makes it once only. */
      type: 'notifySupervisors';
      officeId: string;
      schoolId: string;
      dedupeKey: string;
      text: string;
    }
  /** Supervision visits (SQL in src/visits/visit-effects.queries.ts); every one re-checks the actor's scope. */
  | {
      type: 'planVisit';
      visitId: string;
      supervisorId: string;
      schoolId: string;
      startsAt: string;
      purpose: string;
      followUpOf: string | null;
      /** A fresh id for the school's pre-visit self-assessment campaign, and its title. */
      campaignId: string;
      campaignTitle: string;
      reminders: VisitReminder[];
    }
  | {
      type: 'moveVisit';
      visitId: string;
      supervisorId: string;
      startsAt: string;
      /** The revision the supervisor saw: a visit moved meanwhile is not moved again. */
      revision: number;
      principalMessages: Message[];
      reminders: VisitReminder[];
    }
  | { type: 'cancelVisit'; visitId: string; supervisorId: string; principalMessages: Message[] }
  | {
      type: 'startVisitRecord';
      visitId: string;
      supervisorId: string;
      responseId: string;
      checklistId: string;
      prefill: { key: string; repeat: number; value: AnswerValue }[];
    }
  | {
      type: 'completeVisit';
      visitId: string;
      supervisorId: string;
      responseId: string;
      decision: 'achieved' | 'not_yet' | null;
      actions: { position: number; what: string; owner: string | null; dueOn: string | null }[];
      principalMessages: Message[];
      /** Per action position, when the principals' bundle reminds them of it (the item is built from the action row). */
      actionReminders: { position: number; notBefore: string }[];
    }
  | {
      type: 'ackVisit';
      visitId: string;
      personId: string;
      comment: string | null;
      dedupeKey: string;
      supervisorMessages: Message[];
    }
  | { type: 'closeVisitAction'; actionId: string; personId: string }
  /** A one-time web sign-in link for this person (`เข้าเว็บ`, src/web/signin-chat.ts); only the token's hash. */
  | { type: 'issueSigninLink'; officeId: string; personId: string; tokenHash: string; expiresAt: string };
