// SAR feedback written on the web (issue 15 item 3): a supervisor (for a school in their scope) or an admin writes
// feedback on a standard or overall from the school's page. It is the chat flow's action (src/sar/feedback-chat.ts):
// the same message with รับทราบ / ตอบกลับ, stored, audited and queued for the principal's next bundle by the same
// CTEs (feedbackInsertCtes), so the principal's acknowledgement and reply go through the chat path unchanged.
import type { Context } from 'hono';
import { sql } from 'drizzle-orm';
import * as z from 'zod';
import { actorOf } from '../admin/auth.js';
import { schoolFilter, type Scope } from '../admin/scope.js';
import type { Db } from '../db/client.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { feedbackMessage, FEEDBACK_MAX } from './feedback-chat.js';
import { feedbackAuthor, insertFeedback } from './feedback.queries.js';

export const feedbackBody = z.strictObject({
  /** `s1`, … or `all` (the SAR as a whole). */
  standard: z.string().regex(/^(?:s\d{1,2}|all)$/),
  text: z.string().trim().min(1).max(FEEDBACK_MAX),
  /** The SAR read (the school's latest submitted one), if the school has one. */
  responseId: z.uuid().optional(),
});
export type FeedbackBody = z.infer<typeof feedbackBody>;

interface Ctx {
  db: Db;
  now: () => number;
  officeId: string;
  scope: Scope;
  actor: string;
}

export const feedbackCtx = (c: Context<AppEnv>, officeId: string, scope: Scope): Ctx => ({
  db: c.var.deps.db,
  now: c.var.deps.now,
  officeId,
  scope,
  actor: actorOf(c),
});

/**
 * Stores one feedback. A school outside the scope is the same 404 as an unknown one, and writes nothing; the
 * insert re-checks the scope in SQL. Who may write at all (an admin, a supervisor; not a director) is the
 * session's rule (src/web/session.ts).
 */
export async function giveFeedback(x: Ctx, schoolId: string, body: FeedbackBody): Promise<{ id: string }> {
  const inScope = schoolFilter(x.scope, sql`s.id`);
  const who = await feedbackAuthor(x.db, x.officeId, schoolId, inScope, x.scope.personId);
  if (who === undefined) throw new AppError('not_found', 'Unknown school');
  const id = crypto.randomUUID();
  const stored = await insertFeedback(
    x.db,
    {
      officeId: x.officeId,
      schoolId,
      authorId: x.scope.personId,
      actor: x.actor,
      inScope,
      now: new Date(x.now()).toISOString(),
    },
    {
      id,
      responseId: body.responseId ?? null,
      standard: body.standard === 'all' ? null : body.standard,
      text: body.text,
      principalMessage: feedbackMessage(id, {
        supervisor: who.author ?? who.office,
        school: who.school,
        standard: body.standard,
        text: body.text,
      }),
    },
  );
  if (stored === undefined) throw new AppError('not_found', 'Unknown school');
  return { id: stored };
}
