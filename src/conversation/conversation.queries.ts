// The two statements of one conversation turn. load(): one SELECT for everything transition() needs.
// write(): one statement of data-modifying CTEs — mark the event processed, write the state if its version is
// unchanged, apply the effects — guarded by nithet_guard(), which aborts the whole statement (SQLSTATE 40001)
// when the version check or a single-use check loses a race. Two round trips per event on the fast path.
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  type FixedStatement,
  fixedStatement,
  queryRows,
  queryRowsFixed,
  queryRowsShaped,
  ShapedStatements,
} from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import { type AnswerMap, type AnswerValue, answerKey } from '../checklists/answers.js';
import type { ConversationState } from './state.js';
import type { CoreEffect, Effect, EffectHandlers, EffectSql } from './effects.js';
import type { CampaignView, InviteLookup, LoadFragment, LoadWants, PersonView, TurnKey } from './types.js';
import { loadParam } from './load-params.js';
export type { TurnKey } from './types.js';
import { type LoadedVisits, parseVisitBlock, type VisitBlockRow } from '../visits/visits.queries.js';
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
  /** The school's last submitted term self-assessment's answers, when the focus is a term self-assessment. */
  previous: AnswerMap;
  /** Answers of every response of the person's open campaigns, by response id, when asked (LoadWants). */
  startedAnswers: Map<string, AnswerMap>;
  /** The focused response's evidence files not refused or lost: a document's name, whether a photo has a preview. */
  evidence: { id: string; name: string | null; thumb: boolean }[];
  /** Definitions not in this isolate's cache, by checklist id (raw JSON, validated by the caller). */
  definitions: { id: string; definition: unknown }[];
  assignedSchools: { id: string; name: string }[];
  /** Supervision visits in the person's scope, when the turn is about visits (else null). */
  visits: LoadedVisits | null;
  /** Whether the SAR feedback asked for (LoadWants.focusFeedback) is for the person's school. */
  feedbackOwn: boolean;
}

export interface LoadRow extends Record<string, unknown> {
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
  invite?: {
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
  started?: { r: string; a: { k: string; r: number; v: AnswerValue }[] | null }[] | null;
  evidence: { id: string; n: string | null; t: boolean }[] | null;
  definitions: { id: string; definition: unknown }[] | null;
  /** Fragments' columns: absent when the shape left the fragment out. */
  assigned?: { id: string; name: string }[] | null;
  prev?: { k: string; r: number; v: AnswerValue }[] | null;
  vis?: VisitBlockRow | null;
  fb_own?: boolean;
}

/** What the load statement reads each turn's values from: placeholders, or a batch's columns (batch.queries.ts). */
export type LoadParams = { readonly [K in keyof typeof loadParam]: SQL | Placeholder };

/** The engine's part of the load statement and the flows' fragments around it (see LoadFragment). */
export function loadStatement(fragments: readonly LoadFragment[], P: LoadParams = loadParam): SQL {
  const each = (part: (f: LoadFragment) => SQL | undefined) =>
    sql.join(
      fragments.flatMap((f) => {
        const s = part(f);
        return s === undefined ? [] : [s];
      }),
      sql``,
    );
  return sql`
    WITH c AS (
      SELECT state, version FROM conversations
       WHERE channel_id = ${P.channelId} AND line_user_id = ${P.lineUserId}),
    p AS (
      SELECT p.id, p.office_id, p.role, p.display_name, p.status, p.school_id, s.cluster_id, s.name_th AS school_name,
             o.name_th AS office_name, p.muted, p.reminder_hour, p.learning_areas, p.position,
             s.levels, s.size, s.tags, s.subdistrict, s.district, s.province
        FROM people p
        JOIN offices o ON o.id = p.office_id
        LEFT JOIN schools s ON s.id = p.school_id
       WHERE p.channel_id = ${P.channelId} AND p.line_user_id = ${P.lineUserId} AND p.status <> 'erased'),
    open AS (
      SELECT cp.id AS campaign_id, cp.checklist_id, cp.title_th, ck.scope, cp.due_at, r.id AS response_id, r.status
        FROM p
        JOIN campaigns cp ON cp.office_id = p.office_id AND cp.closed_at IS NULL AND cp.opens_at <= ${P.now}
        JOIN checklists ck ON ck.id = cp.checklist_id AND ${audience('p', 'p', 'ck.scope', 'cp')}
        LEFT JOIN responses r ON r.campaign_id = cp.id
         AND r.subject_key = CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END),
    state_ids AS (
      SELECT CASE WHEN state->'flow'->>'responseId' ~ ${UUID_PATTERN} THEN (state->'flow'->>'responseId')::uuid END AS response_id,
             CASE WHEN state->'flow'->>'checklistId' ~ ${UUID_PATTERN} THEN (state->'flow'->>'checklistId')::uuid END AS checklist_id
        FROM c)${each((f) => f.ctes)},
    focus AS (
      SELECT CASE WHEN ${P.focusCampaign}::uuid IS NOT NULL
                  THEN (SELECT response_id FROM open WHERE campaign_id = ${P.focusCampaign}::uuid)${each((f) => f.focusWhen)}
                  ELSE coalesce((SELECT response_id FROM state_ids)${each((f) => f.focusFallback)}) END AS response_id)
    SELECT (SELECT state FROM c) AS state,
           coalesce((SELECT version FROM c), 0)::int AS version,
           EXISTS (SELECT 1 FROM processed_events pe
                    WHERE pe.channel_id = ${P.channelId} AND pe.webhook_event_id = ${P.webhookEventId}) AS processed,
           (SELECT json_build_object('id', id, 'office_id', office_id, 'role', role, 'name', display_name,
                                     'status', status, 'school_id', school_id, 'school', school_name, 'office', office_name,
                                     'muted', muted, 'reminder_hour', reminder_hour)
              FROM p) AS person,
           (SELECT json_agg(json_build_object('c', campaign_id, 'k', checklist_id, 't', title_th, 's', scope,
                                              'd', due_at, 'r', response_id, 'st', status) ORDER BY due_at, title_th)
              FROM open) AS open,
           (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value))
              FROM answers a WHERE a.response_id = (SELECT response_id FROM focus)) AS answers,
           (SELECT json_agg(json_build_object('id', f.id, 'n', f.file_name, 't', f.thumb_key IS NOT NULL))
              FROM evidence_files f
             WHERE f.response_id = (SELECT response_id FROM focus) AND f.status <> 'failed') AS evidence,
           (SELECT json_agg(json_build_object('id', ck.id, 'definition', ck.definition))
              FROM checklists ck
             -- One IN over a union, not ORs of subqueries: an OR cannot use the primary key, and Postgres read every
             -- version of every office's forms on every turn (5.9 ms at 22,000 rows; test/db/load-plans.test.ts).
             WHERE ck.id IN (SELECT checklist_id FROM open
                             UNION ALL SELECT checklist_id FROM state_ids${each((f) => f.definitions)})
               AND NOT (ck.id = ANY(${P.cachedDefinitions}::uuid[]))) AS definitions${each((f) => f.columns)}`;
}

/** Each shape's statement, built once per process: by the registry's fragment list, then by the shape's bits. */
const shapes = new WeakMap<readonly LoadFragment[], Map<number, FixedStatement>>();

function shapeStatement(fragments: readonly LoadFragment[], mask: number): FixedStatement {
  let byMask = shapes.get(fragments);
  if (byMask === undefined) shapes.set(fragments, (byMask = new Map<number, FixedStatement>()));
  let statement = byMask.get(mask);
  if (statement === undefined) {
    const chosen = fragments.filter((_f, i) => (mask & (1 << i)) !== 0);
    const name = ['nithet_load', ...chosen.map((f) => f.name)].join('_');
    statement = fixedStatement(name, loadStatement(chosen));
    byMask.set(mask, statement);
  }
  return statement;
}

/**
 * The fragments the stored state or the person needed at this conversation's last turn in this process (a bit
 * per fragment), the guess for its next load. Bounded; an evicted or unknown conversation loads every such
 * fragment, as does a process that just started.
 */
const lastNeeds = new Map<string, number>();
const LAST_NEEDS_MAX = 20_000;

function needsOf(fragments: readonly LoadFragment[], state: unknown, role: Role | null): number {
  let mask = 0;
  fragments.forEach((f, i) => {
    if (f.needed?.(state, role) === true) mask |= 1 << i;
  });
  return mask;
}

/** Remembers what the conversation's state (as just written) and person need, for its next load. */
export function rememberLoadNeeds(
  fragments: readonly LoadFragment[],
  key: TurnKey,
  state: unknown,
  role: Role | null,
): void {
  remember(key, needsOf(fragments, state, role));
}

function remember(key: TurnKey, needs: number): void {
  const k = `${key.channelId}\n${key.lineUserId}`;
  lastNeeds.delete(k);
  if (lastNeeds.size >= LAST_NEEDS_MAX) {
    const oldest = lastNeeds.keys().next();
    if (oldest.done !== true) lastNeeds.delete(oldest.value);
  }
  lastNeeds.set(k, needs);
}

/**
 * Everything a turn needs, in one round trip. `inviteHash` is the hash of the text when it is code-shaped;
 * `focusCampaign` is the campaign a postback is opening; `cachedDefinitions` are the checklist versions this
 * isolate already holds. `fragments` are the flows' parts (the registry's loadFragments): those the input wants
 * and those the conversation's last turn needed are in the statement; when the loaded state or person needs one
 * left out (another process moved the conversation on), the load runs again with it.
 */
export async function loadTurn(
  db: Db,
  key: TurnKey,
  opts: Partial<LoadWants> & { cachedDefinitions: string[]; now: string },
  fragments: readonly LoadFragment[],
): Promise<Loaded> {
  const uuidOrNull = (v: string | null | undefined) => (v !== undefined && v !== null && isUuid(v) ? v : null);
  const wants: LoadWants = {
    inviteHash: opts.inviteHash ?? null,
    focusCampaign: uuidOrNull(opts.focusCampaign),
    visits: opts.visits === true,
    focusVisit: uuidOrNull(opts.focusVisit),
    focusFeedback: uuidOrNull(opts.focusFeedback),
    startedAnswers: opts.startedAnswers === true,
  };
  const values = {
    channelId: key.channelId,
    lineUserId: key.lineUserId,
    webhookEventId: key.webhookEventId,
    now: opts.now,
    cachedDefinitions: opts.cachedDefinitions,
    ...wants,
  };
  let wanted = 0;
  let mayNeed = 0;
  fragments.forEach((f, i) => {
    if (f.wanted(wants)) wanted |= 1 << i;
    if (f.needed !== undefined) mayNeed |= 1 << i;
  });
  let mask = wanted | (lastNeeds.get(`${key.channelId}\n${key.lineUserId}`) ?? mayNeed);
  let rows = await queryRowsFixed<LoadRow>(db, shapeStatement(fragments, mask), values);
  let needs = needsOf(fragments, rows[0]?.state, rows[0]?.person?.role ?? null);
  if ((needs & ~mask) !== 0) {
    mask |= needs;
    rows = await queryRowsFixed<LoadRow>(db, shapeStatement(fragments, mask), values);
    needs = needsOf(fragments, rows[0]?.state, rows[0]?.person?.role ?? null);
  }
  remember(key, needs);
  const row = rows[0];
  if (row === undefined) throw new Error('loadTurn returned no row');
  return loadedFromRow(row, wants.inviteHash);
}

/** A load statement's row as transition() reads it; `inviteHash` is the code typed, if any. */
export function loadedFromRow(row: LoadRow, inviteHash: string | null): Loaded {
  const p = row.person;
  const i = row.invite ?? null;
  const answers: AnswerMap = {};
  for (const a of row.answers ?? []) answers[answerKey(a.k, a.r)] = a.v;
  const previous: AnswerMap = {};
  for (const a of row.prev ?? []) previous[answerKey(a.k, a.r)] = a.v;
  const startedAnswers = new Map<string, AnswerMap>();
  for (const s of row.started ?? []) {
    const map: AnswerMap = {};
    for (const a of s.a ?? []) map[answerKey(a.k, a.r)] = a.v;
    startedAnswers.set(s.r, map);
  }
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
    // A code typed: found or not. No code: the invite awaiting a "ใช่" (onboarding's state), when there is one.
    invite:
      i === null
        ? inviteHash === null
          ? null
          : { found: false }
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
    previous,
    startedAnswers,
    evidence: (row.evidence ?? []).map((f) => ({ id: f.id, name: f.n, thumb: f.t })),
    definitions: row.definitions ?? [],
    assignedSchools: row.assigned ?? [],
    visits: parseVisitBlock(row.vis ?? null),
    feedbackOwn: row.fb_own === true,
  };
}

/** Runs of a statement before Postgres may switch it to its generic plan (it tries 5 custom plans first). */
export const PLAN_WARMUP_RUNS = 6;

/**
 * Prepares the load statement on one connection and runs it until Postgres keeps its generic plan, for a LINE
 * user who has no conversation: the shape a process's first turn of each conversation loads (every fragment a
 * state may need) and the bare one most later turns load. Without it a new connection's first turns pay a fresh
 * backend's catalog reads and a custom plan each (tens of milliseconds). Changes nothing.
 */
export async function warmTurnStatements(db: Db, fragments: readonly LoadFragment[], now: string): Promise<void> {
  let mayNeed = 0;
  fragments.forEach((f, i) => {
    if (f.needed !== undefined) mayNeed |= 1 << i;
  });
  const values = {
    channelId: '',
    lineUserId: '',
    webhookEventId: '',
    now,
    cachedDefinitions: [],
    inviteHash: null,
    focusCampaign: null,
    visits: false,
    focusVisit: null,
    focusFeedback: null,
    startedAnswers: false,
  };
  for (const mask of new Set([mayNeed, 0]))
    for (let i = 0; i < PLAN_WARMUP_RUNS; i++) await queryRowsFixed(db, shapeStatement(fragments, mask), values);
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

/** The engine's own effects (src/conversation/effects.ts); each flow's are in its own *.queries.ts. */
export const coreEffects: EffectHandlers<CoreEffect> = {
  setPersonStatus(effect, index, key, now) {
    const name = sql.raw(`e${index}`);
    return {
      cte: sql`${name} AS (
            UPDATE people SET status = ${effect.to}, updated_at = ${now}
             WHERE id = ${effect.personId} AND channel_id = ${key.channelId} AND line_user_id = ${key.lineUserId}
               AND status IN ('active', 'blocked') AND EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
    };
  },
  audit(effect, index, _key, now) {
    const name = sql.raw(`e${index}`);
    return {
      cte: sql`${name} AS (
            INSERT INTO audit_log (office_id, actor, action, target_type, target_id, at)
            SELECT ${effect.officeId}::uuid, ${`person:${effect.personId}`}, ${effect.action}, ${effect.targetType},
                   ${effect.targetId}, ${now}
             WHERE EXISTS (SELECT 1 FROM conv)
            RETURNING id)`,
    };
  },
};

type WriteOutcome = 'applied' | 'duplicate';

/** The write statement's shapes, by the turn's effect types: each shape's text is built and hashed once. */
const writeShapes = new ShapedStatements('nithet_write_turn');

/** How many write-statement shapes this process built (a test's proof that a repeated shape is reused). */
export function writeShapesBuilt(): number {
  return writeShapes.built;
}

export async function writeTurn(
  db: Db,
  key: TurnKey,
  expectedVersion: number,
  state: ConversationState,
  effects: Effect[],
  now: string,
  /** The registry's effect table (src/flows/index.ts). */
  effectSql: (effect: Effect, index: number, key: TurnKey, now: string) => EffectSql,
): Promise<WriteOutcome> {
  const rows = await queryRowsShaped<{ fresh: boolean }>(
    db,
    writeShapes.statement(
      effects.map((e) => e.type).join(','),
      writeStatement(key, expectedVersion, state, effects, now, effectSql),
    ),
  );
  return rows[0]?.fresh === true ? 'applied' : 'duplicate';
}

/** writeTurn's statement: mark the event, write the state under its version guard, then each effect's CTEs. */
export function writeStatement(
  key: TurnKey,
  expectedVersion: number,
  state: ConversationState,
  effects: Effect[],
  now: string,
  effectSql: (effect: Effect, index: number, key: TurnKey, now: string) => EffectSql,
): SQL {
  const parts = effects.map((e, i) => effectSql(e, i, key, now));
  const ctes = parts.map((p) => sql`, ${p.cte}`);
  const guards = parts.flatMap((p, i) =>
    p.guard === undefined ? [] : [sql`, nithet_guard(NOT EXISTS (SELECT 1 FROM conv) OR ${p.guard}, ${`effect ${i}`})`],
  );
  return sql`
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
           ${sql.join(guards, sql``)}`;
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
