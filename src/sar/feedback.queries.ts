// SQL of SAR feedback (ข้อเสนอแนะ): each school's latest submitted SAR as the summary reads it, the feedback rows of
// a school for its report and exports, and the turn's CTEs that store feedback and its acknowledgement. The turn's
// CTEs re-check from the people row the LINE user is linked to that the actor may do this (a supervisor assigned
// to the school, its principal), so a forged postback changes nothing.
import { type SQL, sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { TurnKey } from '../conversation/types.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Definition } from '../checklists/definition.js';
import { enqueueCte, reachable } from '../outbox/enqueue.queries.js';
import { dedupeKey } from '../outbox/keys.js';
import { isSarChecklist } from './keys.queries.js';

export interface SchoolSarRow extends Record<string, unknown> {
  school_id: string;
  code: string;
  name: string;
  cluster: string | null;
  /** Null: the school has no submitted SAR. */
  response_id: string | null;
  title: string | null;
  submitted_ms: number | null;
  definition: Definition | null;
  answers: Record<string, unknown> | null;
}

/**
 * The schools in a person's scope (a supervisor's assigned schools, a principal's own, a director's or admin's
 * office) with each one's latest submitted SAR, whatever campaign it came from; `schoolId` narrows to one.
 */
export async function schoolSars(
  db: Db,
  person: { id: string; role: string; officeId: string; schoolId: string | null },
  schoolId: string | null,
): Promise<SchoolSarRow[]> {
  return queryRows<SchoolSarRow>(
    db,
    sql`
    WITH sc AS (
      SELECT s.id, s.code, s.name_th, cl.name_th AS cluster FROM schools s
        LEFT JOIN clusters cl ON cl.id = s.cluster_id
       WHERE s.office_id = ${person.officeId}::uuid AND (${schoolId}::uuid IS NULL OR s.id = ${schoolId}::uuid)
         AND (${person.role} IN ('director', 'admin')
              OR (${person.role} = 'principal' AND s.id = ${person.schoolId}::uuid)
              OR (${person.role} = 'supervisor' AND EXISTS (
                    SELECT 1 FROM supervisor_assignments sa
                     WHERE sa.supervisor_id = ${person.id}::uuid AND sa.office_id = s.office_id
                       AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))))),
    latest AS (
      SELECT DISTINCT ON (r.school_id) r.id, r.school_id, c.title_th, r.submitted_at, ck.definition
        FROM responses r
        JOIN campaigns c ON c.id = r.campaign_id
        JOIN checklists ck ON ck.id = r.checklist_id
       WHERE r.office_id = ${person.officeId}::uuid AND r.school_id IN (SELECT id FROM sc)
         AND r.status = 'submitted' AND ${isSarChecklist()}
       ORDER BY r.school_id, r.submitted_at DESC, c.due_at DESC, r.id)
    SELECT sc.id AS school_id, sc.code, sc.name_th AS name, sc.cluster, l.id AS response_id, l.title_th AS title,
           (extract(epoch FROM l.submitted_at) * 1000)::float8 AS submitted_ms, l.definition,
           (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
             WHERE a.response_id = l.id AND a.repeat_index = 0
               AND a.item_key ~ '^s[0-9]+_(level|target|strengths|improve)$') AS answers
      FROM sc LEFT JOIN latest l ON l.school_id = sc.id
     ORDER BY sc.code`,
  );
}

export interface FeedbackRow extends Record<string, unknown> {
  id: string;
  school_id: string;
  school: string;
  standard: string | null;
  body: string;
  supervisor: string | null;
  created_ms: number;
  acknowledged_ms: number | null;
  reply: string | null;
}

/** The feedback given to schools of an office (all, or some), oldest first, for reports and exports. */
export async function feedbackOf(db: Db, officeId: string, schoolIds: string[] | null): Promise<FeedbackRow[]> {
  return queryRows<FeedbackRow>(
    db,
    sql`SELECT f.id, f.school_id, s.name_th AS school, f.standard, f.body_th AS body, sp.display_name AS supervisor,
               (extract(epoch FROM f.created_at) * 1000)::float8 AS created_ms,
               (extract(epoch FROM f.acknowledged_at) * 1000)::float8 AS acknowledged_ms, f.reply_th AS reply
          FROM sar_feedback f
          JOIN schools s ON s.id = f.school_id
          LEFT JOIN people sp ON sp.id = f.supervisor_id
         WHERE f.office_id = ${officeId}::uuid
           AND (${schoolIds === null} OR f.school_id = ANY(${sql.param(schoolIds ?? [])}::uuid[]))
         ORDER BY s.code, f.created_at, f.id`,
  );
}

import type { SarFeedbackEffect as FeedbackEffect } from './feedback-effects.js';

/** The turn's CTEs of a feedback effect (see src/conversation/conversation.queries.ts's effectSql). */
/**
 * The acknowledgement has no guard: the principal's button names feedback the pure layer cannot see, and a tap on
 * one that is not their school's (only a forged one can be) must change nothing rather than fail the turn.
 */
export function feedbackEffectSql(
  effect: FeedbackEffect,
  i: number,
  key: TurnKey,
  now: string,
): { cte: SQL; guard?: SQL } {
  const name = sql.raw(`e${i}`);
  const pn = sql.raw(`e${i}_pn`);
  const me = sql`p.id = ${effect.type === 'sarFeedback' ? effect.supervisorId : effect.personId}::uuid
    AND p.channel_id = ${key.channelId} AND p.line_user_id = ${key.lineUserId} AND p.status = 'active'`;
  if (effect.type === 'sarFeedback') {
    return {
      cte: sql`${name} AS (
          INSERT INTO sar_feedback (id, office_id, school_id, response_id, supervisor_id, standard, body_th, created_at)
          SELECT ${effect.id}::uuid, s.office_id, s.id,
                 (SELECT r.id FROM responses r WHERE r.id = ${effect.responseId}::uuid AND r.school_id = s.id), p.id,
                 ${effect.standard}, ${effect.text}, ${now}::timestamptz
            FROM people p JOIN schools s ON s.id = ${effect.schoolId}::uuid AND s.office_id = p.office_id
           WHERE ${me} AND p.role = 'supervisor' AND EXISTS (SELECT 1 FROM conv)
             AND EXISTS (SELECT 1 FROM supervisor_assignments sa
                          WHERE sa.supervisor_id = p.id AND sa.office_id = p.office_id
                            AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))
          ON CONFLICT (id) DO NOTHING
          RETURNING id, office_id, school_id, supervisor_id),
        ${sql.raw(`e${i}_au`)} AS (
          INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
          SELECT office_id, 'person:' || supervisor_id::text, 'sar.feedback', 'school', school_id::text, ${now}::timestamptz
            FROM ${name}
          RETURNING 1),
        ${enqueueCte(
          pn,
          sql`SELECT pp.office_id, pp.id AS person_id, ${dedupeKey('sarfb', effect.id)} AS key, 'sarfb' AS kind,
                     jsonb_build_object('k', 'message', 'm', ${JSON.stringify(effect.principalMessage)}::jsonb) AS data,
                     ${now}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
                FROM ${name} f
                JOIN people pp ON pp.school_id = f.school_id AND pp.office_id = f.office_id AND pp.role = 'principal'
               WHERE ${reachable('pp')}`,
        )}`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  }
  return {
    cte: sql`${name} AS (
        UPDATE sar_feedback f SET acknowledged_at = coalesce(f.acknowledged_at, ${now}::timestamptz),
               acknowledged_by = coalesce(f.acknowledged_by, p.id),
               reply_th = coalesce(${effect.reply}, f.reply_th),
               replied_at = CASE WHEN ${effect.reply}::text IS NULL THEN f.replied_at ELSE ${now}::timestamptz END
          FROM people p
         WHERE f.id = ${effect.feedbackId}::uuid AND ${me} AND p.role = 'principal'
           AND p.school_id = f.school_id AND p.office_id = f.office_id AND EXISTS (SELECT 1 FROM conv)
        RETURNING f.id, f.office_id, f.supervisor_id, f.school_id, p.id AS principal_id),
      ${sql.raw(`e${i}_au`)} AS (
        INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
        SELECT office_id, 'person:' || principal_id::text,
               ${effect.reply === null ? 'sar.feedback.ack' : 'sar.feedback.reply'}, 'sar_feedback', id::text,
               ${now}::timestamptz
          FROM ${name}
        RETURNING 1),
      ${enqueueCte(
        pn,
        sql`SELECT sp.office_id, sp.id AS person_id, ${effect.dedupeKey} AS key, 'sarfb' AS kind,
                   jsonb_build_object('k', 'message', 'm', ${JSON.stringify(effect.supervisorMessage)}::jsonb) AS data,
                   ${now}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
              FROM ${name} f JOIN people sp ON sp.id = f.supervisor_id
             WHERE ${reachable('sp')}`,
      )}`,
  };
}

export const feedbackEffects: EffectHandlers<FeedbackEffect> = {
  sarFeedback: feedbackEffectSql,
  sarFeedbackAck: feedbackEffectSql,
};
