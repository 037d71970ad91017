// Supervision visits' effects, registered with the engine (see src/conversation/effects.ts); their SQL, which
// re-checks the actor's scope for every one, is in visit-effects.queries.ts.
import type { AnswerValue } from '../checklists/answers.js';
import type { Message } from '../line/messages.js';

/** A reminder to the visit's supervisor, deduplicated as `visit:<visitId>:<kind>`; a null time drops a pending one. */
export interface VisitReminder {
  kind: string;
  notBefore: string | null;
  messages: Message[];
}

export type VisitEffect =
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
  | { type: 'closeVisitAction'; actionId: string; personId: string };

declare module '../conversation/effects.js' {
  interface FlowEffects {
    visits: VisitEffect;
  }
}
