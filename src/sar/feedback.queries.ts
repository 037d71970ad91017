// SQL of SAR feedback (ข้อเสนอแนะ): each school's latest submitted SAR as the summary reads it, the feedback rows of
// a school for its report and exports, and the turn's CTEs that store feedback and its acknowledgement. The turn's
// CTEs re-check from the people row the LINE user is linked to that the actor may do this (a supervisor assigned
// to the school, its principal), so a forged postback changes nothing.
import { type SQL, sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import { loadParam } from '../conversation/load-params.js';
import type { LoadFragment, TurnKey } from '../conversation/types.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Definition } from '../checklists/definition.js';
import { enqueueCte, reachable } from '../outbox/enqueue.queries.js';
import { dedupeKey } from '../outbox/keys.js';
import type { Message } from '../line/messages.js';
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
  const inScope = sql`(${person.role} IN ('director', 'admin')
      OR (${person.role} = 'principal' AND s.id = ${person.schoolId}::uuid)
      OR (${person.role} = 'supervisor' AND EXISTS (
            SELECT 1 FROM supervisor_assignments sa
             WHERE sa.supervisor_id = ${person.id}::uuid AND sa.office_id = s.office_id
               AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))))`;
  return sarsWhere(db, person.officeId, inScope, schoolId);
}

/** The same for a web session: `inScope` is a condition on the school `s` (src/admin/scope.ts's schoolFilter). */
export async function sarsWhere(
  db: Db,
  officeId: string,
  inScope: SQL,
  schoolId: string | null,
): Promise<SchoolSarRow[]> {
  return queryRows<SchoolSarRow>(
    db,
    sql`
    WITH sc AS (
      SELECT s.id, s.code, s.name_th, cl.name_th AS cluster FROM schools s
        LEFT JOIN clusters cl ON cl.id = s.cluster_id
       WHERE s.office_id = ${officeId}::uuid AND (${schoolId}::uuid IS NULL OR s.id = ${schoolId}::uuid)
         AND ${inScope}),
    latest AS (
      SELECT DISTINCT ON (r.school_id) r.id, r.school_id, c.title_th, r.submitted_at, ck.definition
        FROM responses r
        JOIN campaigns c ON c.id = r.campaign_id
        JOIN checklists ck ON ck.id = r.checklist_id
       WHERE r.office_id = ${officeId}::uuid AND r.school_id IN (SELECT id FROM sc)
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
  code: string;
  school: string;
  standard: string | null;
  body: string;
  supervisor: string | null;
  created_ms: number;
  acknowledged_ms: number | null;
  reply: string | null;
}

/**
 * The feedback given to schools of an office (all, or some), oldest first, for reports and exports; `campaignId`
 * keeps the feedback on that SAR campaign's responses (the office-wide SAR export).
 */
export async function feedbackOf(
  db: Db,
  officeId: string,
  schoolIds: string[] | null,
  campaignId: string | null = null,
): Promise<FeedbackRow[]> {
  return queryRows<FeedbackRow>(
    db,
    sql`SELECT f.id, f.school_id, s.code, s.name_th AS school, f.standard, f.body_th AS body,
               sp.display_name AS supervisor, (extract(epoch FROM f.created_at) * 1000)::float8 AS created_ms,
               (extract(epoch FROM f.acknowledged_at) * 1000)::float8 AS acknowledged_ms, f.reply_th AS reply
          FROM sar_feedback f
          JOIN schools s ON s.id = f.school_id
          LEFT JOIN people sp ON sp.id = f.supervisor_id
         WHERE f.office_id = ${officeId}::uuid
           AND (${schoolIds === null} OR f.school_id = ANY(${sql.param(schoolIds ?? [])}::uuid[]))
           AND (${campaignId}::uuid IS NULL OR f.response_id IN (
                 SELECT r.id FROM responses r WHERE r.campaign_id = ${campaignId}::uuid AND r.office_id = f.office_id))
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
    const author = sql`SELECT s.office_id, s.id AS school_id, p.id AS author_id
            FROM people p JOIN schools s ON s.id = ${effect.schoolId}::uuid AND s.office_id = p.office_id
           WHERE ${me} AND p.role = 'supervisor' AND EXISTS (SELECT 1 FROM conv)
             AND EXISTS (SELECT 1 FROM supervisor_assignments sa
                          WHERE sa.supervisor_id = p.id AND sa.office_id = p.office_id
                            AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))`;
    return {
      cte: feedbackInsertCtes(`e${i}`, effect, author, sql`'person:' || f.supervisor_id::text`, now),
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

/** One feedback to store: the chat effect's fields, or the web form's. */
export interface NewFeedback {
  id: string;
  responseId: string | null;
  standard: string | null;
  text: string;
  principalMessage: Message;
}

/**
 * The CTEs that store one feedback, audit it and queue it for the school's principals' next bundle, named `p`
 * (the row), `p_au` and `p_pn`: the chat turn (above) and the web form (insertFeedback) both write through them.
 * `author` selects at most one row (office_id, school_id, author_id) that the caller has authorised in SQL; when
 * it selects none, nothing is written. `actor` is the audit actor, an expression over the stored row `f`.
 */
export function feedbackInsertCtes(p: string, fb: NewFeedback, author: SQL, actor: SQL, now: string): SQL {
  const name = sql.raw(p);
  return sql`${name} AS (
          INSERT INTO sar_feedback (id, office_id, school_id, response_id, supervisor_id, standard, body_th, created_at)
          SELECT ${fb.id}::uuid, a.office_id, a.school_id,
                 (SELECT r.id FROM responses r WHERE r.id = ${fb.responseId}::uuid AND r.school_id = a.school_id),
                 a.author_id, ${fb.standard}, ${fb.text}, ${now}::timestamptz
            FROM (${author}) a
          ON CONFLICT (id) DO NOTHING
          RETURNING id, office_id, school_id, supervisor_id),
        ${sql.raw(`${p}_au`)} AS (
          INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
          SELECT f.office_id, ${actor}, 'sar.feedback', 'school', f.school_id::text, ${now}::timestamptz
            FROM ${name} f
          RETURNING 1),
        ${enqueueCte(
          sql.raw(`${p}_pn`),
          sql`SELECT pp.office_id, pp.id AS person_id, ${dedupeKey('sarfb', fb.id)} AS key, 'sarfb' AS kind,
                     jsonb_build_object('k', 'message', 'm', ${JSON.stringify(fb.principalMessage)}::jsonb) AS data,
                     ${now}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
                FROM ${name} f
                JOIN people pp ON pp.school_id = f.school_id AND pp.office_id = f.office_id AND pp.role = 'principal'
               WHERE ${reachable('pp')}`,
        )}`;
}

/**
 * The school's and the author's names for the principal's message; undefined when the school is not the office's
 * or not in the scope (`inScope`, a condition on the school `s`). An office token has no person: the office's name.
 */
export async function feedbackAuthor(
  db: Db,
  officeId: string,
  schoolId: string,
  inScope: SQL,
  personId: string | null,
): Promise<{ school: string; author: string | null; office: string } | undefined> {
  const rows = await queryRows<{ school: string; author: string | null; office: string }>(
    db,
    sql`SELECT s.name_th AS school, o.name_th AS office,
               (SELECT p.display_name FROM people p WHERE p.id = ${personId}::uuid AND p.office_id = s.office_id) AS author
          FROM schools s JOIN offices o ON o.id = s.office_id
         WHERE s.id = ${schoolId}::uuid AND s.office_id = ${officeId}::uuid AND ${inScope}`,
  );
  return rows[0];
}

/**
 * The web form's feedback (src/sar/feedback.actions.ts): the school must be the office's and in the session's
 * scope (`inScope`, a condition on the school `s`), re-checked here. The id of the stored row, or undefined.
 */
export async function insertFeedback(
  db: Db,
  x: { officeId: string; schoolId: string; authorId: string | null; actor: string; inScope: SQL; now: string },
  fb: NewFeedback,
): Promise<string | undefined> {
  const author = sql`SELECT s.office_id, s.id AS school_id, ${x.authorId}::uuid AS author_id FROM schools s
     WHERE s.id = ${x.schoolId}::uuid AND s.office_id = ${x.officeId}::uuid AND ${x.inScope}`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH ${feedbackInsertCtes('fb', fb, author, sql`${x.actor}`, x.now)} SELECT id FROM fb`,
  );
  return rows[0]?.id;
}

export const feedbackEffects: EffectHandlers<FeedbackEffect> = {
  sarFeedback: feedbackEffectSql,
  sarFeedbackAck: feedbackEffectSql,
};

/** The SAR feedback flow's part of the turn's load: whether the feedback a principal's button names is their school's. */
export const feedbackLoad: LoadFragment = {
  name: 'feedback',
  columns: sql`,
           EXISTS (SELECT 1 FROM sar_feedback f JOIN p ON p.school_id = f.school_id AND p.office_id = f.office_id
                    WHERE f.id = ${loadParam.focusFeedback}::uuid) AS fb_own`,
  wanted: (w) => (w.focusFeedback ?? null) !== null,
};
