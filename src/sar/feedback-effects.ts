// SAR feedback's state and effects, registered with the engine (src/conversation/state.ts, effects.ts); the
// effects' SQL, which re-checks the actor's school, is in feedback.queries.ts.
import * as z from 'zod';
import type { Message } from '../line/messages.js';

/** A supervisor typing feedback (text: school, standard `s1`… or `all`, the SAR read) or a principal a reply. */
export const sarFeedbackState = z.object({
  flow: z.literal('sarfb'),
  step: z.enum(['text', 'reply']),
  schoolId: z.string().optional(),
  schoolName: z.string().optional(),
  standard: z.string().optional(),
  responseId: z.string().optional(),
  feedbackId: z.string().optional(),
});
export type SarFeedbackState = z.infer<typeof sarFeedbackState>;

export type SarFeedbackEffect =
  /** A supervisor's feedback on a school's SAR, pushed to its principals' bundles. */
  | {
      type: 'sarFeedback';
      id: string;
      supervisorId: string;
      schoolId: string;
      /** The SAR response read (the school's latest submitted one), if any. */
      responseId: string | null;
      /** `s1`, … or null: the SAR as a whole. */
      standard: string | null;
      text: string;
      principalMessage: Message;
    }
  /** The principal acknowledges the feedback (reply null) or replies; the supervisor hears of it in their bundle. */
  | {
      type: 'sarFeedbackAck';
      feedbackId: string;
      personId: string;
      reply: string | null;
      dedupeKey: string;
      supervisorMessage: Message;
    };

declare module '../conversation/state.js' {
  interface FlowStates {
    sarfb: SarFeedbackState;
  }
}
declare module '../conversation/effects.js' {
  interface FlowEffects {
    sarfb: SarFeedbackEffect;
  }
}
