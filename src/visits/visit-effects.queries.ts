// The CTEs of a turn's single write statement for supervision visits. Each re-checks, from the people row the
// LINE user is linked to, that the actor may do this (a supervisor assigned to the school, a principal of it), so
// a forged state or postback changes nothing: the guard aborts the turn instead. Notices are queued for the
// recipients' daily bundles through the shared enqueue helper (src/outbox/enqueue.queries.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { EffectHandlers, EffectSql } from '../conversation/effects.js';
import type { VisitEffect } from './effects.js';
import type { TurnKey } from '../conversation/types.js';
import type { VisitItem } from '../outbox/bundle.js';
import { enqueueCte, keySql, reachable, withdrawCte } from '../outbox/enqueue.queries.js';
import { dedupeKey, keyPrefix } from '../outbox/keys.js';
import { VISIT_RECORD_CAMPAIGN } from '../checklists/system-campaign.js';

/** The actor: the people row of this LINE user, active, with the given id and role. */
const actor = (key: TurnKey, id: string, role: 'supervisor' | 'principal', alias = 'sp') => {
  const a = sql.raw(alias);
  return sql`${a}.id = ${id}::uuid AND ${a}.channel_id = ${key.channelId} AND ${a}.line_user_id = ${key.lineUserId}
    AND ${a}.role = ${role} AND ${a}.status = 'active'`;
};

/** Supervisor `sp` is assigned school `s` (directly or through its cluster, main or joint). */
const assigned = sql`EXISTS (SELECT 1 FROM supervisor_assignments sa
    WHERE sa.supervisor_id = sp.id AND sa.office_id = sp.office_id AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id))`;

/** Waiting bundle items of a visit (before any was bundled, a move or cancel replaces them). */
const visitPrefix = (visitId: string) => keyPrefix('visit', visitId);

/** The visit row `v` (with starts_at and purpose_th), its school `s` and supervisor `sv` as a VisitItem. */
export const visitData = (what: VisitItem['what'] | SQL, campaign: SQL = sql`NULL::text`) =>
  sql`jsonb_strip_nulls(jsonb_build_object('k', 'visit', 'v', v.id, 'what', ${what}::text, 's', s.name_th,
        'at', (extract(epoch FROM v.starts_at) * 1000)::bigint, 'sup', sv.display_name,
        'p', nullif(v.purpose_th, ''), 'c', ${campaign}))`;

/**
 * The visit's notice to the linked active principals of its school, queued for their next bundle (urgent before
 * the visit starts); key `<key>` per person. `data` may read `v`, `s`, `sv` and `w` (the person's waiting
 * "planned" notice of this visit, if any).
 */
function toPrincipals(
  name: SQL,
  from: SQL,
  key: string,
  data: SQL,
  now: string,
  opts: { waiting?: string; only?: SQL } = {},
): SQL {
  return enqueueCte(
    name,
    sql`SELECT pp.office_id, pp.id AS person_id, ${key} AS key, 'visit' AS kind, ${data} AS data,
               ${now}::timestamptz AS due_at, v.starts_at AS urgent_by
          FROM ${from} v
          JOIN schools s ON s.id = v.school_id
          JOIN people sv ON sv.id = v.supervisor_id
          JOIN people pp ON pp.school_id = v.school_id AND pp.office_id = v.office_id AND pp.role = 'principal'
          LEFT JOIN outbox_items w ON w.person_id = pp.id AND w.key = ${opts.waiting ?? null} AND w.bundled_on IS NULL
         WHERE ${reachable('pp')} AND ${opts.only ?? sql`true`}`,
  );
}

/**
 * The visit's notice to the joint supervisors (นิเทศร่วม) of its school, assigned directly or through its cluster,
 * linked and active, other than the visit's own supervisor; key `<key>` per person.
 */
function toJointSupervisors(name: SQL, from: SQL, key: string, data: SQL, now: string): SQL {
  return enqueueCte(
    name,
    sql`SELECT DISTINCT ON (jp.id) jp.office_id, jp.id AS person_id, ${key} AS key, 'visit' AS kind, ${data} AS data,
               ${now}::timestamptz AS due_at, v.starts_at AS urgent_by
          FROM ${from} v
          JOIN schools s ON s.id = v.school_id
          JOIN people sv ON sv.id = v.supervisor_id
          JOIN supervisor_assignments sa ON sa.office_id = v.office_id AND sa.kind = 'joint'
           AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)
          JOIN people jp ON jp.id = sa.supervisor_id AND jp.office_id = v.office_id AND jp.role = 'supervisor'
         WHERE jp.id <> v.supervisor_id AND ${reachable('jp')}`,
  );
}

/** The day-before and day-of reminders are bundled from the start of their local day, the record prompt from its
 * instant. */
export const reminderDue = (kind: SQL, notBefore: SQL, tz: SQL) =>
  sql`CASE WHEN ${kind} = 'record' THEN ${notBefore}
           ELSE date_trunc('day', ${notBefore} AT TIME ZONE ${tz}) AT TIME ZONE ${tz} END`;

/**
 * The supervisor's reminders of one visit (the day before, the day of, the record prompt), queued for their
 * bundles: the day-before and day-of ones from the start of that local day (the bundle of that day carries them),
 * the record prompt from its instant. Keys carry the visit's revision, so a move queues fresh ones.
 */
function reminders(i: number, from: SQL, visitId: string, revision: number, json: string, now: string): SQL {
  return enqueueCte(
    sql.raw(`e${i}_rm`),
    sql`SELECT sv.office_id, sv.id AS person_id, ${keySql('visit', visitId, sql`x.kind`, revision)} AS key,
               'visit' AS kind, ${visitData(sql`x.kind`)} AS data,
               ${reminderDue(sql`x.kind`, sql`x.not_before`, sql`o.time_zone`)} AS due_at,
               CASE WHEN x.kind = 'morning' THEN v.starts_at END AS urgent_by
          FROM jsonb_to_recordset(${json}::jsonb) AS x(kind text, not_before timestamptz)
          JOIN ${from} v ON true
          JOIN schools s ON s.id = v.school_id
          JOIN offices o ON o.id = v.office_id
          JOIN people sv ON sv.id = v.supervisor_id
         WHERE x.not_before IS NOT NULL AND x.not_before > ${now}::timestamptz AND ${reachable('sv')}`,
  );
}

/**
 * A visit's school self-assessment for the term is one system campaign (its title names the school and term):
 * a second visit in the term takes it over rather than opening another. Its due time is the next visit still
 * ahead: a campaign whose visit has passed (closed by the tick, src/visits/notices.ts) reopens for the new one.
 */
export const selfAssessmentUpsert = (now: SQL | string) =>
  sql`ON CONFLICT (office_id, title_th) DO UPDATE
        SET due_at = CASE WHEN c.closed_at IS NOT NULL OR c.due_at <= ${now}::timestamptz THEN excluded.due_at
                          ELSE least(c.due_at, excluded.due_at) END,
            closed_at = NULL
      WHERE c.system`;

const remindersJson = (rs: { kind: string; notBefore: string | null }[]) =>
  JSON.stringify(rs.map((r) => ({ kind: r.kind, not_before: r.notBefore })));

function visitEffectSql(effect: VisitEffect, i: number, key: TurnKey, now: string): EffectSql {
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
            INSERT INTO campaigns AS c (id, office_id, checklist_id, title_th, roles, school_ids, opens_at, due_at,
                                        system)
            SELECT ${effect.campaignId}::uuid, ok.office_id, ck.id, ${effect.campaignTitle}, ARRAY['principal'],
                   ARRAY[ok.school_id], ${now}, ${effect.startsAt}, true
              FROM ${ok} ok, ${ck} ck
            ${selfAssessmentUpsert(now)}
            RETURNING id),
          ${name} AS (
            INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, follow_up_of,
                                self_assessment_campaign_id, created_at, updated_at)
            SELECT ${effect.visitId}::uuid, ok.office_id, ok.school_id, ok.supervisor_id, ${effect.startsAt},
                   ${effect.purpose},
                   (SELECT f.id FROM visits f WHERE f.id = ${effect.followUpOf}::uuid AND f.school_id = ok.school_id),
                   (SELECT id FROM ${cp}), ${now}, ${now}
              FROM ${ok} ok
            RETURNING id, office_id, school_id, supervisor_id, starts_at, purpose_th),
          ${toPrincipals(
            part('pn'),
            sql`(SELECT v.*, (SELECT id::text FROM ${cp}) AS cp FROM ${name} v)`,
            dedupeKey('visit', effect.visitId, 'planned'),
            visitData('planned', sql`v.cp`),
            now,
          )},
          ${reminders(i, name, effect.visitId, 1, remindersJson(effect.reminders), now)}`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'moveVisit': {
      const cp = part('cp');
      const movedKey = dedupeKey('visit', effect.visitId, 'moved', effect.revision + 1);
      // A principal still waiting for the "planned" notice gets it with the new time (and its button) instead.
      const moved = sql`coalesce(w.data || jsonb_build_object('at', (extract(epoch FROM v.starts_at) * 1000)::bigint),
                                 ${visitData('moved')})`;
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET starts_at = ${effect.startsAt}, revision = v.revision + 1, updated_at = ${now}
              FROM people sp, schools s
             WHERE v.id = ${effect.visitId}::uuid AND v.supervisor_id = sp.id AND s.id = v.school_id
               AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status = 'planned' AND v.revision = ${effect.revision} AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.office_id, v.school_id, v.supervisor_id, v.self_assessment_campaign_id, v.revision,
                      v.starts_at, v.purpose_th),
          ${cp} AS (
            UPDATE campaigns c SET due_at = least(${effect.startsAt}::timestamptz, (
                     SELECT min(o.starts_at) FROM visits o
                      WHERE o.self_assessment_campaign_id = c.id AND o.id <> ${effect.visitId}::uuid
                        AND o.status = 'planned' AND o.starts_at > ${now}::timestamptz))
             WHERE c.id = (SELECT self_assessment_campaign_id FROM ${name}) AND c.closed_at IS NULL
            RETURNING c.id),
          ${withdrawCte(part('wd'), visitPrefix(effect.visitId), sql`EXISTS (SELECT 1 FROM ${name})`)},
          ${toPrincipals(part('pn'), name, movedKey, moved, now, { waiting: dedupeKey('visit', effect.visitId, 'planned') })},
          ${toJointSupervisors(part('jn'), name, movedKey, visitData('moved'), now)},
          ${reminders(i, name, effect.visitId, effect.revision + 1, remindersJson(effect.reminders), now)}`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'cancelVisit': {
      const cp = part('cp');
      const prefix = visitPrefix(effect.visitId);
      return {
        cte: sql`${name} AS (
            UPDATE visits v SET status = 'cancelled', cancelled_at = ${now}, updated_at = ${now}
              FROM people sp, schools s
             WHERE v.id = ${effect.visitId}::uuid AND v.supervisor_id = sp.id AND s.id = v.school_id
               AND ${actor(key, effect.supervisorId, 'supervisor')} AND ${assigned}
               AND v.status = 'planned' AND EXISTS (SELECT 1 FROM conv)
            RETURNING v.id, v.office_id, v.school_id, v.supervisor_id, v.self_assessment_campaign_id, v.starts_at,
                      v.purpose_th),
          ${withdrawCte(part('wd'), prefix, sql`EXISTS (SELECT 1 FROM ${name})`)},
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
            dedupeKey('visit', effect.visitId, 'cancelled'),
            visitData('cancelled'),
            now,
            {
              // A principal who was never told of the visit (its notice still waiting) is not told of its cancelling.
              only: sql`EXISTS (SELECT 1 FROM outbox_items b WHERE b.person_id = pp.id AND b.bundled_on IS NOT NULL
                                AND b.key LIKE ${`${prefix}%`})`,
            },
          )},
          ${toJointSupervisors(part('jn'), name, dedupeKey('visit', effect.visitId, 'cancelled'), visitData('cancelled'), now)}`,
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
            INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at, closed_at, system)
            SELECT office_id, ${effect.checklistId}::uuid, ${VISIT_RECORD_CAMPAIGN}, '{}'::text[], ${now},
                   ${now}, ${now}, true
              FROM ${v}
            ON CONFLICT (office_id, title_th) DO NOTHING
            RETURNING id),
          ${c} AS (
            SELECT id FROM ${ci}
            UNION ALL
            SELECT c.id FROM campaigns c JOIN ${v} ON c.office_id = ${v}.office_id
             WHERE c.system AND c.title_th = ${VISIT_RECORD_CAMPAIGN}),
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
            RETURNING id, position, school_id, office_id, what_th, due_on),
          ${gone} AS (
            DELETE FROM visit_actions WHERE visit_id = (SELECT id FROM ${name}) AND position > ${effect.actions.length}
            RETURNING 1),
          ${enqueueCte(
            part('pn'),
            sql`SELECT pp.office_id, pp.id AS person_id, ${dedupeKey('visit', effect.visitId, 'summary')} AS key,
                       'visit' AS kind, jsonb_build_object('k', 'message', 'm', m.value) AS data,
                       ${now}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
                  FROM ${name} v
                  JOIN people pp ON pp.school_id = v.school_id AND pp.office_id = v.office_id AND pp.role = 'principal'
                  CROSS JOIN LATERAL (SELECT value FROM jsonb_array_elements(${JSON.stringify(
                    effect.principalMessages,
                  )}::jsonb) LIMIT 1) m
                 WHERE ${reachable('pp')}`,
          )},
          ${enqueueCte(
            ar,
            sql`SELECT pp.office_id, pp.id AS person_id, ${keySql('visit', effect.visitId, sql`'action' || a.position`)} AS key,
                       'action' AS kind,
                       jsonb_build_object('k', 'action', 'a', a.id, 's', s.name_th, 'what', a.what_th,
                                          'due', to_char(a.due_on, 'YYYY-MM-DD')) AS data,
                       x.not_before AS due_at, NULL::timestamptz AS urgent_by
                  FROM jsonb_to_recordset(${JSON.stringify(
                    effect.actionReminders.map((r) => ({ position: r.position, not_before: r.notBefore })),
                  )}::jsonb) AS x(position int, not_before timestamptz)
                  JOIN ${acts} a ON a.position = x.position
                  JOIN schools s ON s.id = a.school_id
                  JOIN people pp ON pp.school_id = a.school_id AND pp.office_id = a.office_id AND pp.role = 'principal'
                 WHERE a.due_on IS NOT NULL AND ${reachable('pp')}`,
          )},
          ${withdrawCte(rk, `${visitPrefix(effect.visitId)}record:`, sql`EXISTS (SELECT 1 FROM ${name})`)}`,
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
          ${enqueueCte(
            sn,
            sql`SELECT sp.office_id, sp.id AS person_id, ${effect.dedupeKey} AS key, 'ack' AS kind,
                       jsonb_build_object('k', 'ack', 'v', v.id, 's', s.name_th, 'n', pp.display_name,
                                          'comment', ${effect.comment}::text) AS data,
                       ${now}::timestamptz AS due_at, NULL::timestamptz AS urgent_by
                  FROM ${name} v JOIN people sp ON sp.id = v.supervisor_id
                  JOIN people pp ON pp.id = ${effect.personId}::uuid
                  JOIN schools s ON s.id = pp.school_id
                 WHERE ${reachable('sp')}`,
          )}`,
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

/** The visits flow's effect table: every visit effect goes through visitEffectSql's switch. */
export const visitEffects: EffectHandlers<VisitEffect> = {
  planVisit: visitEffectSql,
  moveVisit: visitEffectSql,
  cancelVisit: visitEffectSql,
  startVisitRecord: visitEffectSql,
  completeVisit: visitEffectSql,
  ackVisit: visitEffectSql,
  closeVisitAction: visitEffectSql,
};
