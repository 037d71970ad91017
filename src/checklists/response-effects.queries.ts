// The checklist runner's effects as CTEs of the turn's write statement: responses, answers, photos, the submit
// (with its calculated items and dropped answers) and the supervisors' notice through the outbox.
import { sql } from 'drizzle-orm';
import type { EffectHandlers } from '../conversation/effects.js';
import type { LoadFragment } from '../conversation/types.js';
import { enqueueCte, itemJson, reachable } from '../outbox/enqueue.queries.js';
import { loadParam } from '../conversation/load-params.js';
import type { ChecklistEffect } from './effects.js';

export const responseEffects: EffectHandlers<ChecklistEffect> = {
  createResponse(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    // One response per subject per campaign: a racing creator loses the guard, reloads, and resumes this one.
    return {
      cte: sql`${name} AS (
            INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, started_by,
                                   started_at, updated_at)
            SELECT ${effect.responseId}::uuid, ${effect.officeId}::uuid, ${effect.campaignId}::uuid,
                   ${effect.checklistId}::uuid, ${effect.subjectKey}::uuid, ${effect.schoolId}::uuid,
                   ${effect.personId}::uuid, ${now}, ${now}
             WHERE EXISTS (SELECT 1 FROM conv)
            ON CONFLICT (campaign_id, subject_key) DO NOTHING
            RETURNING id)`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  },
  saveAnswer(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    return {
      cte: sql`${name} AS (
            INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
            SELECT ${effect.responseId}::uuid, ${effect.key}, ${effect.repeat}, ${JSON.stringify(effect.value)}::jsonb,
                   ${effect.personId}::uuid, ${now}
             WHERE EXISTS (SELECT 1 FROM conv)
            ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE
               SET value = excluded.value, answered_by = excluded.answered_by, answered_at = excluded.answered_at
            RETURNING response_id)`,
    };
  },
  addEvidence(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    const file = sql.raw(`e${index}_file`);
    // The photo's id joins the answer's list; LINE's message id is unique, so a replay adds nothing.
    return {
      cte: sql`${file} AS (
            INSERT INTO evidence_files (id, office_id, response_id, item_key, repeat_index, channel_id, line_message_id,
                                        file_name, created_at)
            SELECT ${effect.evidenceId}::uuid, ${effect.officeId}::uuid, ${effect.responseId}::uuid, ${effect.key},
                   ${effect.repeat}, ${key.channelId}, ${effect.lineMessageId}, ${effect.fileName ?? null}, ${now}
             WHERE EXISTS (SELECT 1 FROM conv)
            ON CONFLICT (channel_id, line_message_id) DO NOTHING
            RETURNING id),
          ${name} AS (
            INSERT INTO answers AS a (response_id, item_key, repeat_index, value, answered_by, answered_at)
            SELECT ${effect.responseId}::uuid, ${effect.key}, ${effect.repeat}, jsonb_build_array(id::text),
                   ${effect.personId}::uuid, ${now}
              FROM ${file}
            ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE
               SET value = CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE '[]'::jsonb END || excluded.value,
                   answered_by = excluded.answered_by, answered_at = excluded.answered_at
            RETURNING response_id)`,
    };
  },
  submitResponse(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    const calc = sql.raw(`e${index}_calc`);
    const gone = sql.raw(`e${index}_gone`);
    return {
      cte: sql`${name} AS (
            UPDATE responses SET status = 'submitted', submitted_at = coalesce(submitted_at, ${now}), updated_at = ${now}
             WHERE id = ${effect.responseId}::uuid AND EXISTS (SELECT 1 FROM conv)
            RETURNING id),
          ${calc} AS (
            INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
            SELECT ${effect.responseId}::uuid, x.key, x.repeat, coalesce(x.value, 'null'::jsonb), ${effect.personId}::uuid, ${now}
              FROM jsonb_to_recordset(${JSON.stringify(effect.calculated)}::jsonb) AS x(key text, repeat int, value jsonb)
             WHERE EXISTS (SELECT 1 FROM conv)
            ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE SET value = excluded.value,
               answered_at = excluded.answered_at
            RETURNING 1),
          ${gone} AS (
            DELETE FROM answers a
             USING jsonb_to_recordset(${JSON.stringify(effect.removed)}::jsonb) AS x(key text, repeat int)
             WHERE a.response_id = ${effect.responseId}::uuid AND a.item_key = x.key AND a.repeat_index = x.repeat
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING 1)${
              effect.resubmit
                ? sql`,
          ${sql.raw(`e${index}_audit`)} AS (
            INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail)
            SELECT office_id, ${`person:${effect.personId}`}, 'response.edit', 'response', id::text,
                   ${JSON.stringify({ items: effect.calculated.length })}::jsonb
              FROM responses WHERE id = ${effect.responseId}::uuid AND EXISTS (SELECT 1 FROM conv)
            RETURNING 1)`
                : sql``
            }`,
      guard: sql`(SELECT count(*) FROM ${name}) = 1`,
    };
  },
  notifySupervisors(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    // Queued for each linked main supervisor of the school (directly or through its cluster); their next daily
    // bundle names every checklist submitted since, in one push.
    return {
      cte: enqueueCte(
        name,
        sql`SELECT DISTINCT ON (sp.id) ${effect.officeId}::uuid AS office_id, sp.id AS person_id,
                     ${effect.dedupeKey} AS key, 'submitted' AS kind,
                     ${itemJson({ k: 'submitted', text: effect.text })} AS data, ${now}::timestamptz AS due_at,
                     NULL::timestamptz AS urgent_by
                FROM schools s
                JOIN supervisor_assignments sa ON sa.school_id = s.id OR sa.cluster_id = s.cluster_id
                JOIN people sp ON sp.id = sa.supervisor_id
               WHERE s.id = ${effect.schoolId}::uuid AND s.office_id = ${effect.officeId}::uuid AND sa.kind = 'main'
                 AND ${reachable('sp')} AND EXISTS (SELECT 1 FROM conv)`,
      ),
    };
  },
};

/** The checklist of the schools' per-term self-assessment (a system campaign per school and term, src/visits/). */
export const SELF_ASSESSMENT_CHECKLIST = 'pre-visit-self-assessment';

/** Whether a stored conversation state is inside a checklist. */
const inChecklist = (state: unknown): boolean =>
  typeof state === 'object' &&
  state !== null &&
  'flow' in state &&
  typeof state.flow === 'object' &&
  state.flow !== null &&
  'flow' in state.flow &&
  state.flow.flow === 'checklist';

/**
 * The checklist flow's part of the turn's load: a supervisor's assigned schools (a school item's choices), and,
 * when the campaign opened or in focus is a school's term self-assessment, the answers of that school's last
 * submitted self-assessment of another term (`prev`), which the runner offers as each question's default.
 */
export const checklistLoad: LoadFragment = {
  name: 'checklist',
  columns: sql`,
           (SELECT json_agg(json_build_object('id', s.id, 'name', s.name_th) ORDER BY s.name_th)
              FROM schools s
             WHERE s.id IN (SELECT coalesce(sa.school_id, cs.id)
                              FROM p JOIN supervisor_assignments sa ON sa.supervisor_id = p.id
                              LEFT JOIN schools cs ON cs.cluster_id = sa.cluster_id
                             WHERE p.role = 'supervisor')) AS assigned,
           (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value))
              FROM answers a
             WHERE a.response_id = (
               SELECT pr.id
                 FROM campaigns cur
                 JOIN checklists cck ON cck.id = cur.checklist_id AND cck.key = ${SELF_ASSESSMENT_CHECKLIST}
                 JOIN responses pr ON pr.school_id = (SELECT school_id FROM p) AND pr.office_id = cur.office_id
                  AND pr.status = 'submitted' AND pr.campaign_id <> cur.id
                 JOIN campaigns pc ON pc.id = pr.campaign_id AND pc.system
                 JOIN checklists pck ON pck.id = pr.checklist_id AND pck.key = cck.key
                WHERE cur.system AND cur.office_id = (SELECT office_id FROM p)
                  AND cur.id = coalesce(${loadParam.focusCampaign}::uuid, (
                        SELECT r.campaign_id FROM responses r WHERE r.id = (SELECT response_id FROM focus)))
                ORDER BY pr.submitted_at DESC, pr.id
                LIMIT 1)) AS prev`,
  wanted: (w) => w.focusCampaign !== null,
  needed: (state, role) => role === 'supervisor' || (role === 'principal' && inChecklist(state)),
};

/**
 * The checklist flow's part of the turn's load for a typed text: the answers of each of the person's responses to
 * open campaigns, by response id, so a typed start (เริ่ม, a number, title words) resumes a started one. Only while
 * the stored state is home (elsewhere a typed text is an answer or another flow's).
 */
export const startedLoad: LoadFragment = {
  name: 'started',
  columns: sql`,
           (SELECT json_agg(json_build_object('r', o.response_id, 'a',
                     (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value))
                        FROM answers a WHERE a.response_id = o.response_id)))
              FROM open o
             WHERE o.response_id IS NOT NULL
               AND coalesce((SELECT state->'flow'->>'flow' FROM c), 'home') = 'home') AS started`,
  wanted: (w) => w.startedAnswers === true,
};
