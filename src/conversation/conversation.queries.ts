// The two statements of one conversation turn. load(): one SELECT for everything transition() needs.
// write(): one statement of data-modifying CTEs — mark the event processed, write the state if its version is
// unchanged, apply the effects — guarded by nithet_guard(), which aborts the whole statement (SQLSTATE 40001)
// when the version check or a single-use check loses a race. Two round trips per event on the fast path.
import { enqueueCte, itemJson, reachable } from '../outbox/enqueue.queries.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows, queryRowsPrepared } from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import { type AnswerMap, type AnswerValue, answerKey } from '../checklists/answers.js';
import { pd } from '../i18n/pdpa.th.js';
import type { ConversationState } from './state.js';
import type { Effect } from './effects.js';
import type { CampaignView, InviteLookup, PersonView, TurnKey } from './types.js';
export type { TurnKey } from './types.js';
import { visitEffectSql } from '../visits/visit-effects.queries.js';
import {
  type LoadedVisits,
  parseVisitBlock,
  visitBlock,
  type VisitBlockRow,
  visitFormId,
  wantsVisits,
} from '../visits/visits.queries.js';
import { isUuid, UUID_PATTERN } from '../ids/uuid.js';
import { audience } from '../checklists/audience.queries.js';

/** An open checklist as the runner shows it (see CampaignView). */
type LoadedCampaign = CampaignView;

export interface Loaded {
  rawState: unknown;
  version: number;
  processed: boolean;
  person: PersonView | null;
  /** The person's school (for school-scope responses) and its cluster. */
  schoolId: string | null;
  invite: InviteLookup | null;
  open: LoadedCampaign[];
  /** Answers of the focused response: the campaign a postback opens, else the response in the state. */
  answers: AnswerMap;
  /** Definitions not in this isolate's cache, by checklist id (raw JSON, validated by the caller). */
  definitions: { id: string; definition: unknown }[];
  assignedSchools: { id: string; name: string }[];
  /** Supervision visits in the person's scope, when the turn is about visits (else null). */
  visits: LoadedVisits | null;
}

interface LoadRow extends Record<string, unknown> {
  state: unknown;
  version: number;
  processed: boolean;
  person: {
    id: string;
    office_id: string;
    role: Role;
    name: string;
    status: PersonStatus;
    school_id: string | null;
    school: string | null;
    office: string;
    muted: boolean;
    reminder_hour: number;
  } | null;
  invite: {
    id: string;
    person_id: string;
    office_id: string;
    expires_at: string;
    used_at: string | null;
    revoked_at: string | null;
    name: string;
    role: Role;
    school: string | null;
    office: string;
  } | null;
  open:
    | {
        c: string;
        k: string;
        t: string;
        s: 'person' | 'school';
        d: string;
        r: string | null;
        st: 'in_progress' | 'submitted' | null;
      }[]
    | null;
  answers: { k: string; r: number; v: AnswerValue }[] | null;
  definitions: { id: string; definition: unknown }[] | null;
  assigned: { id: string; name: string }[] | null;
  vis: VisitBlockRow | null;
}

/**
 * Everything a turn needs, in one round trip. `inviteHash` is the hash of the text when it is code-shaped;
 * `focusCampaign` is the campaign a postback is opening; `cachedDefinitions` are the checklist versions this
 * isolate already holds.
 */
export async function loadTurn(
  db: Db,
  key: TurnKey,
  opts: {
    inviteHash: string | null;
    focusCampaign: string | null;
    cachedDefinitions: string[];
    now: string;
    /** Load the visit block (the input is about visits); a conversation in a visit flow loads it anyway. */
    visits?: boolean;
    /** The visit a postback names. */
    focusVisit?: string | null;
  },
): Promise<Loaded> {
  const focus = opts.focusCampaign !== null && isUuid(opts.focusCampaign) ? opts.focusCampaign : null;
  const focusVisit =
    opts.focusVisit !== undefined && opts.focusVisit !== null && isUuid(opts.focusVisit) ? opts.focusVisit : null;
  const wantVisits = opts.visits === true;
  const rows = await queryRowsPrepared<LoadRow>(
    db,
    'nithet_load_turn',
    sql`
    WITH c AS (
      SELECT state, version FROM conversations
       WHERE channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}),
    p AS (
      SELECT p.id, p.office_id, p.role, p.display_name, p.status, p.school_id, s.cluster_id, s.name_th AS school_name,
             o.name_th AS office_name, p.muted, p.reminder_hour, p.learning_areas, p.position,
             s.levels, s.size, s.tags, s.subdistrict, s.district, s.province
        FROM people p
        JOIN offices o ON o.id = p.office_id
        LEFT JOIN schools s ON s.id = p.school_id
       WHERE p.channel_id = ${key.channelId} AND p.line_user_id = ${key.lineUserId} AND p.status <> 'erased'),
    open AS (
      SELECT cp.id AS campaign_id, cp.checklist_id, cp.title_th, ck.scope, cp.due_at, r.id AS response_id, r.status
        FROM p
        JOIN campaigns cp ON cp.office_id = p.office_id AND cp.closed_at IS NULL AND cp.opens_at <= ${opts.now}
        JOIN checklists ck ON ck.id = cp.checklist_id AND ${audience('p', 'p', 'ck.scope', 'cp')}
        LEFT JOIN responses r ON r.campaign_id = cp.id
         AND r.subject_key = CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END),
    state_ids AS (
      SELECT CASE WHEN state->'flow'->>'responseId' ~ ${UUID_PATTERN} THEN (state->'flow'->>'responseId')::uuid END AS response_id,
             CASE WHEN state->'flow'->>'checklistId' ~ ${UUID_PATTERN} THEN (state->'flow'->>'checklistId')::uuid END AS checklist_id
        FROM c),
    fvis AS (
      SELECT v.response_id, r.checklist_id, ${visitFormId(sql`p.office_id`)} AS form_id
        FROM p LEFT JOIN visits v ON v.supervisor_id = p.id AND v.id = coalesce(${focusVisit}::uuid,
               (SELECT f.id FROM visits f WHERE f.supervisor_id = p.id AND f.status = 'planned' AND f.starts_at <= ${opts.now}
                 ORDER BY f.starts_at LIMIT 1))
        LEFT JOIN responses r ON r.id = v.response_id
       WHERE ${wantsVisits(wantVisits)} AND p.role = 'supervisor'),
    focus AS (
      SELECT CASE WHEN ${focus}::uuid IS NOT NULL THEN (SELECT response_id FROM open WHERE campaign_id = ${focus}::uuid)
                  WHEN ${focusVisit}::uuid IS NOT NULL THEN (SELECT response_id FROM fvis)
                  ELSE coalesce((SELECT response_id FROM state_ids), (SELECT response_id FROM fvis)) END AS response_id)
    SELECT (SELECT state FROM c) AS state,
           coalesce((SELECT version FROM c), 0)::int AS version,
           EXISTS (SELECT 1 FROM processed_events pe
                    WHERE pe.channel_id = ${key.channelId} AND pe.webhook_event_id = ${key.webhookEventId}) AS processed,
           (SELECT json_build_object('id', id, 'office_id', office_id, 'role', role, 'name', display_name,
                                     'status', status, 'school_id', school_id, 'school', school_name, 'office', office_name,
                                     'muted', muted, 'reminder_hour', reminder_hour)
              FROM p) AS person,
           (SELECT json_build_object('id', i.id, 'person_id', i.person_id, 'office_id', i.office_id,
                                     'expires_at', i.expires_at, 'used_at', i.used_at, 'revoked_at', i.revoked_at,
                                     'name', ip.display_name, 'role', ip.role, 'school', s.name_th, 'office', o.name_th)
              FROM invites i
              JOIN people ip ON ip.id = i.person_id AND ip.status <> 'erased'
              JOIN offices o ON o.id = i.office_id
              LEFT JOIN schools s ON s.id = ip.school_id
             WHERE i.code_hash = ${opts.inviteHash}) AS invite,
           (SELECT json_agg(json_build_object('c', campaign_id, 'k', checklist_id, 't', title_th, 's', scope,
                                              'd', due_at, 'r', response_id, 'st', status) ORDER BY due_at, title_th)
              FROM open) AS open,
           (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value))
              FROM answers a WHERE a.response_id = (SELECT response_id FROM focus)) AS answers,
           (SELECT json_agg(json_build_object('id', ck.id, 'definition', ck.definition))
              FROM checklists ck
             WHERE (ck.id IN (SELECT checklist_id FROM open) OR ck.id = (SELECT checklist_id FROM state_ids)
                    OR ck.id IN (SELECT checklist_id FROM fvis UNION ALL SELECT form_id FROM fvis))
               AND NOT (ck.id = ANY(${sql.param(opts.cachedDefinitions)}::uuid[]))) AS definitions,
           (SELECT json_agg(json_build_object('id', s.id, 'name', s.name_th) ORDER BY s.name_th)
              FROM schools s
             WHERE s.id IN (SELECT coalesce(sa.school_id, cs.id)
                              FROM p JOIN supervisor_assignments sa ON sa.supervisor_id = p.id
                              LEFT JOIN schools cs ON cs.cluster_id = sa.cluster_id
                             WHERE p.role = 'supervisor')) AS assigned,
           ${visitBlock({ want: wantVisits, focusVisit, now: opts.now })} AS vis`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('loadTurn returned no row');
  const p = row.person;
  const i = row.invite;
  const answers: AnswerMap = {};
  for (const a of row.answers ?? []) answers[answerKey(a.k, a.r)] = a.v;
  return {
    rawState: row.state,
    version: row.version,
    processed: row.processed,
    person:
      p === null
        ? null
        : {
            id: p.id,
            officeId: p.office_id,
            role: p.role,
            name: p.name,
            status: p.status,
            schoolName: p.school,
            officeName: p.office,
            muted: p.muted,
            reminderHour: p.reminder_hour,
          },
    schoolId: p?.school_id ?? null,
    invite:
      opts.inviteHash === null
        ? null
        : i === null
          ? { found: false }
          : {
              found: true,
              inviteId: i.id,
              personId: i.person_id,
              officeId: i.office_id,
              expiresAt: Date.parse(i.expires_at),
              usedAt: i.used_at === null ? null : Date.parse(i.used_at),
              revokedAt: i.revoked_at === null ? null : Date.parse(i.revoked_at),
              person: { name: i.name, role: i.role, schoolName: i.school, officeName: i.office },
            },
    open: (row.open ?? []).map((o) => ({
      campaignId: o.c,
      checklistId: o.k,
      title: o.t,
      scope: o.s,
      dueAt: Date.parse(o.d),
      responseId: o.r,
      status: o.st,
    })),
    answers,
    definitions: row.definitions ?? [],
    assignedSchools: row.assigned ?? [],
    visits: parseVisitBlock(row.vis),
  };
}

/** The slow path: create the row if needed and hold its lock until the transaction ends. */
export async function lockConversation(db: Db, key: TurnKey): Promise<void> {
  await db.execute(sql`
    INSERT INTO conversations (channel_id, line_user_id) VALUES (${key.channelId}, ${key.lineUserId})
    ON CONFLICT (channel_id, line_user_id) DO NOTHING`);
  await db.execute(sql`
    SELECT 1 FROM conversations
     WHERE channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId} FOR UPDATE`);
}

interface EffectSql {
  cte: SQL;
  /** A condition that must hold when the turn was applied; false aborts the statement. */
  guard?: SQL;
}

function effectSql(effect: Effect, index: number, key: TurnKey, now: string): EffectSql {
  const name = sql.raw(`e${index}`);
  switch (effect.type) {
    case 'linkPerson': {
      // The invite is single use: the UPDATE's WHERE is the check, and the guard makes a lost race a retry.
      const inv = sql.raw(`e${index}_inv`);
      return {
        cte: sql`${inv} AS (
            UPDATE invites SET used_at = ${now}
             WHERE id = ${effect.inviteId} AND person_id = ${effect.personId}
               AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ${now}
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING person_id),
          ${name} AS (
            UPDATE people SET channel_id = ${key.channelId}, line_user_id = ${key.lineUserId}, status = 'active',
                   linked_at = ${now}, privacy_notice_at = coalesce(privacy_notice_at, ${now}), updated_at = ${now},
                   -- This LINE user has no menu of ours yet (a new phone, another channel): the tick links it.
                   rich_menu_role = NULL
             WHERE id = (SELECT person_id FROM ${inv})
            RETURNING id)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'setPersonStatus':
      return {
        cte: sql`${name} AS (
            UPDATE people SET status = ${effect.to}, updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND status IN ('active', 'blocked') AND EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
      };
    case 'updateSettings':
      return {
        cte: sql`${name} AS (
            UPDATE people SET muted = coalesce(${effect.muted ?? null}::boolean, muted),
                   reminder_hour = coalesce(${effect.reminderHour ?? null}::smallint, reminder_hour), updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
      };
    case 'erasePerson': {
      // Only the person linked to this LINE user, once: a replayed or raced confirm matches no row and retries.
      const audit = sql.raw(`e${index}_audit`);
      return {
        cte: sql`${name} AS (
            UPDATE people SET status = 'erased', display_name = ${pd.erasedName}, line_user_id = NULL, channel_id = NULL,
                   external_id = NULL, rich_menu_role = NULL, updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND status <> 'erased' AND EXISTS (SELECT 1 FROM conv)
            RETURNING id, office_id),
          ${audit} AS (
            INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail, at)
            SELECT office_id, 'person:' || id::text, 'pdpa.erase', 'person', id::text,
                   jsonb_build_object('requestedAt', ${effect.requestedAt}::text, 'completedAt', ${now}::text), ${now}
              FROM ${name}
            RETURNING 1)`,
        guard: sql`(SELECT count(*) FROM ${name}) = 1`,
      };
    }
    case 'audit':
      return {
        cte: sql`${name} AS (
            INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
            SELECT ${effect.officeId}::uuid, ${`person:${effect.personId}`}, ${effect.action}, ${effect.targetType},
                   ${effect.targetId}, ${now}
             WHERE EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
      };
    case 'createResponse':
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
    case 'saveAnswer':
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
    case 'addEvidence': {
      const file = sql.raw(`e${index}_file`);
      // The photo's id joins the answer's list; LINE's message id is unique, so a replay adds nothing.
      return {
        cte: sql`${file} AS (
            INSERT INTO evidence_files (id, office_id, response_id, item_key, repeat_index, channel_id, line_message_id,
                                        created_at)
            SELECT ${effect.evidenceId}::uuid, ${effect.officeId}::uuid, ${effect.responseId}::uuid, ${effect.key},
                   ${effect.repeat}, ${key.channelId}, ${effect.lineMessageId}, ${now}
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
    }
    case 'submitResponse': {
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
    }
    case 'planVisit':
    case 'moveVisit':
    case 'cancelVisit':
    case 'startVisitRecord':
    case 'completeVisit':
    case 'ackVisit':
    case 'closeVisitAction':
      return visitEffectSql(effect, index, key, now);
    case 'issueSigninLink':
      return {
        cte: sql`${name} AS (
            INSERT INTO admin_signin_links (token_hash, office_id, person_id, created_at, expires_at)
            SELECT ${effect.tokenHash}, ${effect.officeId}::uuid, ${effect.personId}::uuid, ${now},
                   ${effect.expiresAt}::timestamptz
             WHERE EXISTS (SELECT 1 FROM conv)
            RETURNING 1)`,
      };
    case 'notifySupervisors':
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
  }
}

type WriteOutcome = 'applied' | 'duplicate';

export async function writeTurn(
  db: Db,
  key: TurnKey,
  expectedVersion: number,
  state: ConversationState,
  effects: Effect[],
  now: string,
): Promise<WriteOutcome> {
  const parts = effects.map((e, i) => effectSql(e, i, key, now));
  const ctes = parts.map((p) => sql`, ${p.cte}`);
  const guards = parts.flatMap((p, i) =>
    p.guard === undefined ? [] : [sql`, nithet_guard(NOT EXISTS (SELECT 1 FROM conv) OR ${p.guard}, ${`effect ${i}`})`],
  );
  const rows = await queryRowsPrepared<{ fresh: boolean }>(
    db,
    'nithet_write_turn',
    sql`
    WITH ev AS (
      INSERT INTO processed_events (channel_id, webhook_event_id, received_at)
      VALUES (${key.channelId}, ${key.webhookEventId}, ${now})
      ON CONFLICT DO NOTHING
      RETURNING 1),
    conv AS (
      INSERT INTO conversations AS c (channel_id, line_user_id, state, version, updated_at)
      SELECT ${key.channelId}, ${key.lineUserId}, ${JSON.stringify(state)}::jsonb, 1, ${now}
       WHERE EXISTS (SELECT 1 FROM ev)
      ON CONFLICT (channel_id, line_user_id) DO UPDATE
         SET state = excluded.state, version = c.version + 1, updated_at = excluded.updated_at
       WHERE c.version = ${expectedVersion}
      RETURNING version)
    ${sql.join(ctes, sql``)}
    SELECT EXISTS (SELECT 1 FROM ev) AS fresh,
           nithet_guard(NOT EXISTS (SELECT 1 FROM ev) OR EXISTS (SELECT 1 FROM conv), 'conversation version') AS g
           ${sql.join(guards, sql``)}`,
  );
  return rows[0]?.fresh === true ? 'applied' : 'duplicate';
}

/** Events in groups and rooms keep no conversation; they only need their id marked, to reply at most once. */
export async function markEventProcessed(db: Db, channelId: string, webhookEventId: string, now: string) {
  const rows = await queryRows<{ fresh: number }>(
    db,
    sql`INSERT INTO processed_events (channel_id, webhook_event_id, received_at)
        VALUES (${channelId}, ${webhookEventId}, ${now})
        ON CONFLICT DO NOTHING RETURNING 1 AS fresh`,
  );
  return rows.length === 1;
}
