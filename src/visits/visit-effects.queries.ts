// The CTEs of a turn's single write statement for supervision visits. Each re-checks, from the people row the
// LINE user is linked to, that the actor may do this (a supervisor assigned to the school, a principal of it), so
// a forged state or postback changes nothing: the guard aborts the turn instead. Notices go through the outbox.
import { type SQL, sql } from 'drizzle-orm';
import type { Effect } from '../conversation/effects.js';
import type { TurnKey } from '../conversation/conversation.queries.js';

/** The hidden, closed campaign per office that visit records (responses whose subject is the visit) belong to. */
export const VISIT_RECORD_CAMPAIGN = 'บันทึกการนิเทศ (ระบบ)';

export type VisitEffect = Extract<
  Effect,
  {
    type:
      | 'planVisit'
      | 'moveVisit'
      | 'cancelVisit'
      | 'startVisitRecord'
      | 'completeVisit'
      | 'ackVisit'
      | 'closeVisitAction';
  }
>;

export function isVisitEffect(e: Effect): e is VisitEffect {
  return [
    'planVisit',
    'moveVisit',
    'cancelVisit',
    'startVisitRecord',
    'completeVisit',
    'ackVisit',
    'closeVisitAction',
  ].includes(e.type);
}

/** The actor: the people row of this LINE user, active, with the given id and role. */
const actor = (key: TurnKey, id: string, role: 'supervisor' | 'principal', alias = 'sp') => {
  const a = sql.raw(alias);
  return sql`${a}.id = ${id}::uuid AND ${a}.channel_id = ${key.channelId} AND ${a}.line_user_id = ${key.lineUserId}
    AND ${a}.role = ${role} AND ${a}.status = 'active'`;
};

/** Supervisor `sp` is assigned school `s` (directly or through its cluster, main or joint). */
const assigned = sql`EXISTS (SELECT 1 FROM supervisor_assignments sa
    WHERE sa.supervisor_id = sp.id AND sa.office_id = sp.office_id AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))`;

/** One outbox row per linked active principal of the visit's school; dedupe `<prefix>:<person>`. */
function toPrincipals(name: SQL, from: SQL, prefix: string, messages: SQL, now: string): SQL {
  return sql`${name} AS (
    INSERT INTO outbox (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before)
    SELECT pp.office_id, pp.channel_id, pp.id, ${prefix} || ':' || pp.id, 'visit_notice', ${messages}, ${now}::timestamptz
      FROM ${from} v
      JOIN people pp ON pp.school_id = v.school_id AND pp.office_id = v.office_id AND pp.role = 'principal'
     WHERE pp.status = 'active' AND pp.channel_id IS NOT NULL AND pp.line_user_id IS NOT NULL
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1)`;
}

/**
 * One outbox row per joint supervisor (นิเทศร่วม) of the visit's school, assigned to it directly or through its
 * cluster, linked and active, other than the visit's own supervisor; dedupe `<prefix>:<person>`.
 */
function toJointSupervisors(name: SQL, from: SQL, prefix: string, messages: SQL, now: string): SQL {
  return sql`${name} AS (
    INSERT INTO outbox (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before)
    SELECT DISTINCT ON (jp.id) jp.office_id, jp.channel_id, jp.id, ${prefix} || ':' || jp.id, 'visit_notice',
           ${messages}, ${now}::timestamptz
      FROM ${from} v
      JOIN schools s ON s.id = v.school_id
      JOIN supervisor_assignments sa ON sa.office_id = v.office_id AND sa.kind = 'joint'
       AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)
      JOIN people jp ON jp.id = sa.supervisor_id AND jp.office_id = v.office_id AND jp.role = 'supervisor'
     WHERE jp.id <> v.supervisor_id
       AND jp.status = 'active' AND jp.channel_id IS NOT NULL AND jp.line_user_id IS NOT NULL
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1)`;
}

/**
 * The supervisor's reminders of one visit: future ones are inserted, or moved when the visit moved (a row already
 * sent becomes a new row, with a new id, as LINE's retry key must be new for a new message); past ones are dropped.
 */
function reminders(i: number, from: SQL, visitId: string, json: string, now: string): SQL {
  const up = sql.raw(`e${i}_rm`);
  const drop = sql.raw(`e${i}_rx`);
  return sql`${up} AS (
    INSERT INTO outbox AS o (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before)
    SELECT sp.office_id, sp.channel_id, sp.id, 'visit:' || ${visitId} || ':' || x.kind, 'visit_reminder', x.messages,
           x.not_before
      FROM jsonb_to_recordset(${json}::jsonb) AS x(kind text, not_before timestamptz, messages jsonb)
      JOIN ${from} v ON true
      JOIN people sp ON sp.id = v.supervisor_id
     WHERE x.not_before IS NOT NULL AND x.not_before > ${now}::timestamptz
       AND sp.status = 'active' AND sp.channel_id IS NOT NULL AND sp.line_user_id IS NOT NULL
    ON CONFLICT (dedupe_key) DO UPDATE
       SET id = CASE WHEN o.status = 'pending' THEN o.id ELSE gen_random_uuid() END,
           messages = excluded.messages, not_before = excluded.not_before, status = 'pending', attempts = 0,
           first_attempt_at = NULL, last_error = NULL, sent_at = NULL, batch_id = NULL, message_hash = NULL
     WHERE o.status <> 'pending' OR o.attempts = 0
    RETURNING 1),
  ${drop} AS (
    UPDATE outbox SET status = 'dead', last_error = 'visit moved'
     WHERE dedupe_key IN (SELECT 'visit:' || ${visitId} || ':' || x.kind
                            FROM jsonb_to_recordset(${json}::jsonb) AS x(kind text, not_before timestamptz)
                           WHERE x.not_before IS NULL OR x.not_before <= ${now}::timestamptz)
       AND status = 'pending' AND attempts = 0 AND EXISTS (SELECT 1 FROM ${from})
    RETURNING 1)`;
}

const remindersJson = (rs: { kind: string; notBefore: string | null; messages: unknown }[]) =>
  JSON.stringify(rs.map((r) => ({ kind: r.kind, not_before: r.notBefore, messages: r.messages })));

export function visitEffectSql(effect: VisitEffect, i: number, key: TurnKey, now: string): { cte: SQL; guard?: SQL } {
  const name = sql.raw(`e${i}`);
  const part = (suffix: string) => sql.raw(`e${i}_${suffix}`);
  switch (effect.type) {
    case 'planVisit': {
      const ok = part('ok');
      const ck = part('ck');
      const cp = part('cp');
      return {
        cte: sql`${ok} AS (
            SELECT sp.id AS supervisor_id, sp.office_id, s.id AS school_id
              FROM people sp JOIN schools s ON s.id = ${effect.schoolId}::uuid AND s.office_id = sp.office_id
             WHERE ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned} AND EXISTS (SELECT 1 FROM conv)),
          ${ck} AS (
            SELECT ck.id FROM checklists ck JOIN ${ok} ok ON ck.office_id = ok.office_id OR ck.office_id IS NULL
             WHERE ck.key = 'pre-visit-self-assessment'
             ORDER BY (ck.office_id IS NULL), ck.version DESC LIMIT 1),
          ${cp} AS (
            INSERT INTO campaigns AS c (id, office_id, checklist_id, title_th, roles, school_ids, opens_at, due_at)
            SELECT ${effect.campaignId}::uuid, ok.office_id, ck.id, ${effect.campaignTitle}, ARRAY['principal'],
                   ARRAY[ok.school_id], ${now}, ${effect.startsAt}
              FROM ${ok} ok, ${ck} ck
            ON CONFLICT (office_id, title_th) DO UPDATE SET due_at = greatest(c.due_at, excluded.due_at), closed_at = NULL
            RETURNING id),
          ${name} AS (
            INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, follow_up_of,
                                self_assessment_campaign_id, created_at, updated_at)
            SELECT ${effect.visitId}::uuid, ok.office_id, ok.school_id, ok.supervisor_id, ${effect.startsAt},
                   ${effect.purpose},
                   (SELECT f.id FROM visits f WHERE f.id = ${effect.followUpOf}::uuid AND f.school_id = ok.school_id),
                   (SELECT id FROM ${cp}), ${now}, ${now}
              FROM ${ok} ok
            RETURNING id, office_id, school_id, supervisor_id),
          ${toPrincipals(
            part('pn'),
            sql`(SELECT v.*, (SELECT id::text FROM ${cp}) AS cp FROM ${name} v)`,
            `visit:${effect.visitId}:planned`,
            sql`replace(${JSON.stringify(effect.principalMessages)}, '__CAMPAIGN__', coalesce(v.cp, ''))::jsonb`,
            now,
          )},
          ${reminders(i, name, effect.visitId, remindersJson(effect.reminders), now)}`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'moveVisit': {
      const cp = part('cp');
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET starts_at = ${effect.startsAt}, revision = v.revision + 1, updated_at = ${now}
              FROM people sp, schools s
             WHERE v.id = ${effect.visitId}::uuid AND v.supervisor_id = sp.id AND s.id = v.school_id
               AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status = 'planned' AND v.revision = ${effect.revision} AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.office_id, v.school_id, v.supervisor_id, v.self_assessment_campaign_id, v.revision),
          ${cp} AS (
            UPDATE campaigns SET due_at = ${effect.startsAt}
             WHERE id = (SELECT self_assessment_campaign_id FROM ${name}) AND closed_at IS NULL
            RETURNING id),
          ${toPrincipals(
            part('pn'),
            name,
            `visit:${effect.visitId}:moved:${effect.revision + 1}`,
            sql`${JSON.stringify(effect.principalMessages)}::jsonb`,
            now,
          )},
          ${toJointSupervisors(
            part('jn'),
            name,
            `visit:${effect.visitId}:moved:${effect.revision + 1}`,
            sql`${JSON.stringify(effect.principalMessages)}::jsonb`,
            now,
          )},
          ${reminders(i, name, effect.visitId, remindersJson(effect.reminders), now)}`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'cancelVisit': {
      const ob = part('ob');
      const cp = part('cp');
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET status = 'cancelled', cancelled_at = ${now}, updated_at = ${now}
              FROM people sp, schools s
             WHERE v.id = ${effect.visitId}::uuid AND v.supervisor_id = sp.id AND s.id = v.school_id
               AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status = 'planned' AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.office_id, v.school_id, v.supervisor_id, v.self_assessment_campaign_id),
          ${ob} AS (
            UPDATE outbox SET status = 'dead', last_error = 'visit cancelled'
             WHERE dedupe_key LIKE ${`visit:${effect.visitId}:%`} AND status = 'pending' AND attempts = 0
               AND EXISTS (SELECT 1 FROM ${name})
            RETURNING 1),
          ${cp} AS (
            UPDATE campaigns c SET closed_at = ${now}
             WHERE c.id = (SELECT self_assessment_campaign_id FROM ${name}) AND c.closed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM visits o WHERE o.self_assessment_campaign_id = c.id
                                 AND o.id <> ${effect.visitId}::uuid AND o.status <> 'cancelled')
            RETURNING 1),
          ${toPrincipals(
            part('pn'),
            name,
            `visit:${effect.visitId}:cancelled`,
            sql`${JSON.stringify(effect.principalMessages)}::jsonb`,
            now,
          )},
          ${toJointSupervisors(
            part('jn'),
            name,
            `visit:${effect.visitId}:cancelled`,
            sql`${JSON.stringify(effect.principalMessages)}::jsonb`,
            now,
          )}`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'startVisitRecord': {
      const v = part('v');
      const ci = part('ci');
      const c = part('c');
      const r = part('r');
      const pre = part('pre');
      return {
        cte: sql`${v} AS (
            SELECT v.id, v.office_id, v.school_id FROM visits v
              JOIN people sp ON sp.id = v.supervisor_id
              JOIN schools s ON s.id = v.school_id
             WHERE v.id = ${effect.visitId}::uuid AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status = 'planned' AND v.response_id IS NULL AND v.starts_at <= ${now}
               AND EXISTS (SELECT 1 FROM conv)),
          ${ci} AS (
            INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at, closed_at)
            SELECT office_id, ${effect.checklistId}::uuid, ${VISIT_RECORD_CAMPAIGN}, '{}'::text[], ${now},
                   '9999-12-31T00:00:00Z', ${now}
              FROM ${v}
            ON CONFLICT (office_id, title_th) DO NOTHING
            RETURNING id),
          ${c} AS (
            SELECT id FROM ${ci}
            UNION ALL
            SELECT c.id FROM campaigns c JOIN ${v} ON c.office_id = ${v}.office_id WHERE c.title_th = ${VISIT_RECORD_CAMPAIGN}),
          ${r} AS (
            INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, started_by,
                                   started_at, updated_at)
            SELECT ${effect.responseId}::uuid, v.office_id, (SELECT id FROM ${c} LIMIT 1), ${effect.checklistId}::uuid,
                   v.id, v.school_id, ${effect.supervisorId}::uuid, ${now}, ${now}
              FROM ${v} v WHERE EXISTS (SELECT 1 FROM ${c})
            ON CONFLICT (campaign_id, subject_key) DO NOTHING
            RETURNING id),
          ${pre} AS (
            INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
            SELECT r.id, x.key, x.repeat, x.value, ${effect.supervisorId}::uuid, ${now}
              FROM ${r} r, jsonb_to_recordset(${JSON.stringify(effect.prefill)}::jsonb) AS x(key text, repeat int, value jsonb)
            ON CONFLICT (response_id, item_key, repeat_index) DO NOTHING
            RETURNING 1),
          ${name} AS (
            UPDATE visits SET response_id = (SELECT id FROM ${r}), updated_at = ${now}
             WHERE id = (SELECT id FROM ${v}) AND EXISTS (SELECT 1 FROM ${r})
            RETURNING id)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'completeVisit': {
      const acts = part('a');
      const gone = part('ad');
      const ar = part('ar');
      const rk = part('rk');
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET status = 'done', decision = ${effect.decision}, recorded_at = coalesce(v.recorded_at, ${now}),
                   updated_at = ${now}
              FROM people sp, schools s
             WHERE v.id = ${effect.visitId}::uuid AND v.supervisor_id = sp.id AND s.id = v.school_id
               AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status IN ('planned', 'done') AND v.response_id = ${effect.responseId}::uuid
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.office_id, v.school_id, v.supervisor_id),
          ${acts} AS (
            INSERT INTO visit_actions AS a (id, office_id, school_id, visit_id, position, what_th, owner_th, due_on)
            SELECT gen_random_uuid(), v.office_id, v.school_id, v.id, x.position, x.what, x.owner, x.due_on
              FROM ${name} v, jsonb_to_recordset(${JSON.stringify(
                effect.actions.map((a) => ({ position: a.position, what: a.what, owner: a.owner, due_on: a.dueOn })),
              )}::jsonb) AS x(position int, what text, owner text, due_on date)
            ON CONFLICT (visit_id, position) DO UPDATE
               SET what_th = excluded.what_th, owner_th = excluded.owner_th, due_on = excluded.due_on
            RETURNING id, position, school_id, office_id),
          ${gone} AS (
            DELETE FROM visit_actions WHERE visit_id = (SELECT id FROM ${name}) AND position > ${effect.actions.length}
            RETURNING 1),
          ${toPrincipals(
            part('pn'),
            name,
            `visit:${effect.visitId}:summary`,
            sql`${JSON.stringify(effect.principalMessages)}::jsonb`,
            now,
          )},
          ${ar} AS (
            INSERT INTO outbox (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before)
            SELECT pp.office_id, pp.channel_id, pp.id,
                   ${`visit:${effect.visitId}:action`} || a.position || ':' || pp.id, 'visit_reminder',
                   replace(x.messages::text, '__ACTION__', a.id::text)::jsonb, x.not_before
              FROM jsonb_to_recordset(${JSON.stringify(
                effect.actionReminders.map((r) => ({
                  position: r.position,
                  not_before: r.notBefore,
                  messages: r.messages,
                })),
              )}::jsonb) AS x(position int, not_before timestamptz, messages jsonb)
              JOIN ${acts} a ON a.position = x.position
              JOIN people pp ON pp.school_id = a.school_id AND pp.office_id = a.office_id AND pp.role = 'principal'
             WHERE pp.status = 'active' AND pp.channel_id IS NOT NULL AND pp.line_user_id IS NOT NULL
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING 1),
          ${rk} AS (
            UPDATE outbox SET status = 'dead', last_error = 'visit recorded'
             WHERE dedupe_key = ${`visit:${effect.visitId}:record`} AND status = 'pending' AND attempts = 0
               AND EXISTS (SELECT 1 FROM ${name})
            RETURNING 1)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'ackVisit': {
      const sn = part('sn');
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET acknowledged_at = coalesce(v.acknowledged_at, ${now}),
                   acknowledged_by = coalesce(v.acknowledged_by, pp.id),
                   principal_comment = coalesce(${effect.comment}, v.principal_comment), updated_at = ${now}
              FROM people pp
             WHERE v.id = ${effect.visitId}::uuid AND ${actor(key, effect.personId, 'principal', 'pp')}
               AND v.school_id = pp.school_id AND v.office_id = pp.office_id AND v.status = 'done'
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.supervisor_id),
          ${sn} AS (
            INSERT INTO outbox (office_id, channel_id, person_id, dedupe_key, kind, messages, not_before)
            SELECT sp.office_id, sp.channel_id, sp.id, ${effect.dedupeKey}, 'visit_notice',
                   ${JSON.stringify(effect.supervisorMessages)}::jsonb, ${now}
              FROM ${name} v JOIN people sp ON sp.id = v.supervisor_id
             WHERE sp.status = 'active' AND sp.channel_id IS NOT NULL AND sp.line_user_id IS NOT NULL
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING 1)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'closeVisitAction':
      return {
        cte: sql`${name} AS (
            UPDATE visit_actions a SET status = 'done', done_at = ${now}, done_by = pp.id
              FROM people pp
             WHERE a.id = ${effect.actionId}::uuid AND ${actor(key, effect.personId, 'principal', 'pp')}
               AND a.school_id = pp.school_id AND a.office_id = pp.office_id AND a.status = 'open'
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING a.id)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
  }
}
