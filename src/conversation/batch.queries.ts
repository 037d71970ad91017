// The two statements of a batch of checklist answers (src/conversation/batch.ts): one load for every event in the
// batch and one write for every event whose load showed it eligible. Each statement's text is fixed (built once
// per process, sent as a named prepared statement); the batch's keys go in as arrays, one element per event.
import { sql } from 'drizzle-orm';
import { type Db, fixedStatement, queryRowsFixed } from '../db/client.js';
import { checklistLoad } from '../checklists/response-effects.queries.js';
import { type LoadParams, type LoadRow, loadStatement } from './conversation.queries.js';
import { loadParam } from './load-params.js';
import type { ConversationState } from './state.js';
import type { TurnKey } from './types.js';

/** The single load statement's per-turn values, as the columns of the batch's row `i`. */
const rowParams: LoadParams = {
  ...loadParam,
  channelId: sql`i.channel_id`,
  lineUserId: sql`i.line_user_id`,
  webhookEventId: sql`i.webhook_event_id`,
  now: sql`i.now`,
  // As jsonb, for the reason the keys are (batchLoad): a custom plan costs `<> ALL` over the real array (empty or
  // one element) and the generic plan over a guessed ten, so the generic plan always looked dearer.
  cachedDefinitions: sql`(SELECT coalesce(array_agg(d::uuid), '{}') FROM jsonb_array_elements_text(${sql.placeholder('cachedDefinitions')}::jsonb) d)`,
  // A batched answer asks for no focus, invite, visit or feedback block (batch.ts: batchableWants).
  focusCampaign: sql`NULL`,
  inviteHash: sql`NULL`,
  visits: sql`false`,
  focusVisit: sql`NULL`,
  focusFeedback: sql`NULL`,
};

/**
 * The single path's load statement run once per event of the batch (LATERAL), with only the checklist flow's
 * fragment (a supervisor's schools, last term's self-assessment answers): what a checklist step can need. Postgres
 * starts one plan per batch instead of one per event.
 *
 * The keys go in as one jsonb array, not as arrays per column: a custom plan sees an array parameter's real length
 * (unnest estimates 8 rows for 8 keys) while the generic plan guesses 100, so Postgres judged the generic plan
 * dearer and planned the ~6 KB statement again for every batch (test/db/batch-plan.test.ts: 12 batches, 12 custom
 * plans). jsonb_to_recordset is estimated alike in both, so the generic plan is kept after Postgres's 5 trials.
 */
const batchLoad = fixedStatement(
  'nithet_batch_load',
  sql`
    SELECT i.n::int AS n, l.*
      FROM ROWS FROM (jsonb_to_recordset(${sql.placeholder('keys')}::jsonb)
                        AS (channel_id text, line_user_id text, webhook_event_id text, now timestamptz))
           WITH ORDINALITY AS i(channel_id, line_user_id, webhook_event_id, now, n)
     CROSS JOIN LATERAL (${loadStatement([checklistLoad], rowParams)}) l
     ORDER BY i.n`,
);

export interface BatchLoadKey extends TurnKey {
  now: string;
}

/** One row per key, in the keys' order (`n` counts from 1). */
export async function loadBatch(
  db: Db,
  keys: readonly BatchLoadKey[],
  cachedDefinitions: string[],
): Promise<(LoadRow & { n: number })[]> {
  return queryRowsFixed<LoadRow & { n: number }>(db, batchLoad, {
    keys: JSON.stringify(
      keys.map((k) => ({
        channel_id: k.channelId,
        line_user_id: k.lineUserId,
        webhook_event_id: k.webhookEventId,
        now: k.now,
      })),
    ),
    cachedDefinitions: JSON.stringify(cachedDefinitions),
    focusCampaign: null,
  });
}

/**
 * The batch's write, one statement (one commit). Per event: the conversation moves on only when its version is
 * still the one loaded and the event is not processed yet; the event is marked processed only when its
 * conversation moved; its answers are upserted only when both held. A row that lost (a race, a duplicate) changes
 * nothing and is left out of `applied`, for the single path to retry. Marking processed cannot fail for a row whose
 * conversation moved unless another path marked the same event without moving it (an apology) after this
 * statement's snapshot: then the primary key's unique violation aborts the whole statement, and every event goes
 * the single path. A plain INSERT, not ON CONFLICT DO NOTHING: the outcome was the same (the guard aborted on the
 * skipped row), and a speculative insertion probes the index once more and logs a confirmation record per row.
 */
const batchWrite = fixedStatement(
  'nithet_batch_write',
  sql`
    WITH i AS (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(${sql.placeholder('rows')}::jsonb)
                                 AS (channel_id text, line_user_id text, webhook_event_id text, version int,
                                     state jsonb, now timestamptz))
             WITH ORDINALITY AS i(channel_id, line_user_id, webhook_event_id, version, state, now, n)),
    conv AS (
      -- Each row's conversation by its key (the lateral's index scan), then by that tuple's ctid: joined on the key
      -- itself, the planner (guessing 100 rows from the arrays) hashes a sequential scan of every conversation.
      -- A tuple updated meanwhile has another ctid, so the row loses, as on a changed version.
      UPDATE conversations c
         SET state = i.state, version = c.version + 1, updated_at = i.now
        FROM i
       CROSS JOIN LATERAL (
             SELECT x.ctid AS at FROM conversations x
              WHERE x.channel_id = i.channel_id AND x.line_user_id = i.line_user_id
             OFFSET 0) k
       WHERE c.ctid = k.at AND c.version = i.version
         AND NOT EXISTS (SELECT 1 FROM processed_events pe
                          WHERE pe.channel_id = i.channel_id AND pe.webhook_event_id = i.webhook_event_id)
      RETURNING i.n, i.channel_id, i.webhook_event_id, i.now),
    ev AS (
      INSERT INTO processed_events (channel_id, webhook_event_id, received_at)
      SELECT channel_id, webhook_event_id, now FROM conv
      RETURNING 1),
    ans AS (
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
      SELECT a.response_id, a.item_key, a.repeat_index, a.value::jsonb, a.answered_by, conv.now
        FROM jsonb_to_recordset(${sql.placeholder('answers')}::jsonb)
             AS a(n int, response_id uuid, item_key text, repeat_index int, value text, answered_by uuid)
        JOIN conv ON conv.n = a.n
      ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE
         SET value = excluded.value, answered_by = excluded.answered_by, answered_at = excluded.answered_at
      RETURNING 1)
    SELECT coalesce((SELECT array_agg(n::int) FROM conv), '{}') AS applied,
           (SELECT count(*) FROM ans)::int AS answers,
           nithet_guard((SELECT count(*) FROM conv) = (SELECT count(*) FROM ev), 'batch dedupe') AS g`,
);

export interface BatchWriteRow extends TurnKey {
  version: number;
  /** The new state. */
  state: ConversationState;
  now: string;
}

export interface BatchAnswer {
  /** The row (index into the rows, from 0) whose answer it is. */
  row: number;
  responseId: string;
  personId: string;
  key: string;
  repeat: number;
  /** The value, as JSON text. */
  value: string;
}

/** Writes the batch in one statement; returns the rows (indexes from 0) that were applied. */
export async function writeBatch(
  db: Db,
  rows: readonly BatchWriteRow[],
  answers: readonly BatchAnswer[],
): Promise<Set<number>> {
  // Two jsonb values rather than an array per column: node-postgres writes each array as a literal, escaping every
  // quote of every state's JSON again (pg's prepareValue and escapeElement, ~6 µs per answer in bench peer's profile).
  const [out] = await queryRowsFixed<{ applied: number[] }>(db, batchWrite, {
    rows: JSON.stringify(
      rows.map((r) => ({
        channel_id: r.channelId,
        line_user_id: r.lineUserId,
        webhook_event_id: r.webhookEventId,
        version: r.version,
        state: r.state,
        now: r.now,
      })),
    ),
    answers: JSON.stringify(
      answers.map((a) => ({
        n: a.row + 1,
        response_id: a.responseId,
        item_key: a.key,
        repeat_index: a.repeat,
        value: a.value,
        answered_by: a.personId,
      })),
    ),
  });
  return new Set((out?.applied ?? []).map((n) => n - 1));
}
