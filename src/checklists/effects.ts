// The checklist runner's effects, registered with the engine (see src/conversation/effects.ts); their SQL is in
// response-effects.queries.ts.
import type { AnswerValue } from './answers.js';

export type ChecklistEffect =
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
      /** A document's name as sent; absent for photos. */
      fileName?: string;
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

declare module '../conversation/effects.js' {
  interface FlowEffects {
    checklist: ChecklistEffect;
  }
}
