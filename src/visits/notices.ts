// Notices of visits from the annual plan (imported by an admin, not confirmed in chat): when such a visit comes
// within NOTICE_AHEAD_MS, the tick gives it what the chat confirm path gives a visit at once: the pre-visit
// self-assessment campaign, the principal's notice with its button, and the supervisor's reminders (the day before,
// the day of, the record prompt), queued as items for their daily bundles with the same keys as chat's, so both
// paths queue the same items and repeating queues nothing. The school's self-assessment is one per term: a
// visit takes over the term's campaign if there is one, and it is closed once its visits have happened.
import type { Db } from '../db/client.js';
import { selfAssessmentTitle, visitReminders } from './reminders.js';
import { closePassedSelfAssessments, insertVisitNotices, visitsLackingNotices } from './visits.queries.js';

/** How far ahead an imported visit is announced: two weeks leaves the principal time for the self-assessment. */
export const NOTICE_AHEAD_MS = 14 * 86_400_000;
/** Visits handled per tick; the rest follow on the next ticks. */
const BATCH = 200;

/** Queues the notices of near imported visits: of one office (a per-office unit of work), or of every office. */
export async function planVisitNotices(
  db: Db,
  at: number,
  officeId?: string,
): Promise<{ visits: number; rows: number; closed: number }> {
  // First, before the day's reminders are planned: self-assessments whose visit has happened are closed.
  const closed = await closePassedSelfAssessments(db, new Date(at).toISOString(), officeId ?? null);
  const due = await visitsLackingNotices(
    db,
    new Date(at).toISOString(),
    new Date(at + NOTICE_AHEAD_MS).toISOString(),
    BATCH,
    officeId ?? null,
  );
  if (due.length === 0) return { visits: 0, rows: 0, closed };
  const rows = due.map((v) => {
    const startsAt = Date.parse(v.starts_at);
    return {
      visitId: v.id,
      campaignId: crypto.randomUUID(),
      campaignTitle: selfAssessmentTitle(v.school, startsAt, v.time_zone, v.terms ?? []),
      reminders: visitReminders({ id: v.id, school: v.school, purpose: v.purpose, startsAt }, v.time_zone).map((r) => ({
        kind: r.kind,
        notBefore: r.notBefore,
        messages: r.messages,
      })),
    };
  });
  return { visits: due.length, rows: await insertVisitNotices(db, new Date(at).toISOString(), rows), closed };
}
