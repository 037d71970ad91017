// What a turn asks the database to do, as data. transition() returns these; conversation.queries.ts turns each
// into a CTE of the turn's single write statement, so they commit (or not) together with the new state.
import type { AnswerValue } from '../checklists/answers.js';

export type Effect =
  | { type: 'linkPerson'; inviteId: string; personId: string }
  | { type: 'setPersonStatus'; personId: string; to: 'active' | 'blocked' }
  | { type: 'updateSettings'; personId: string; muted?: boolean; reminderHour?: number }
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
    };
