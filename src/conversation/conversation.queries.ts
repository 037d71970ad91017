// The two statements of one conversation turn. load(): one SELECT for everything transition() needs.
// write(): one statement of data-modifying CTEs — mark the event processed, write the state if its version is
// unchanged, apply the effects — guarded by nithet_guard(), which aborts the whole statement (SQLSTATE 40001)
// when the version check or a single-use check loses a race. Two round trips per event on the fast path.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { PersonStatus, Role } from '../db/schema.js';
import type { ConversationState } from './state.js';
import type { Effect, InviteLookup, PersonView } from './transition.js';

export interface TurnKey {
  channelId: string;
  lineUserId: string;
  webhookEventId: string;
}

export interface Loaded {
  rawState: unknown;
  version: number;
  processed: boolean;
  person: PersonView | null;
  invite: InviteLookup | null;
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
    school: string | null;
    office: string;
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
}

/** `inviteHash` is the hash of the text when it is code-shaped, so the lookup rides along in the same query. */
export async function loadTurn(db: Db, key: TurnKey, inviteHash: string | null): Promise<Loaded> {
  const rows = await queryRows<LoadRow>(
    db,
    sql`
    SELECT c.state,
           coalesce(c.version, 0)::int AS version,
           EXISTS (SELECT 1 FROM processed_events pe
                    WHERE pe.channel_id = ${key.channelId} AND pe.webhook_event_id = ${key.webhookEventId}) AS processed,
           (SELECT json_build_object('id', p.id, 'office_id', p.office_id, 'role', p.role, 'name', p.display_name,
                                     'status', p.status, 'school', s.name_th, 'office', o.name_th)
              FROM people p
              JOIN offices o ON o.id = p.office_id
              LEFT JOIN schools s ON s.id = p.school_id
             WHERE p.channel_id = ${key.channelId} AND p.line_user_id = ${key.lineUserId}
               AND p.status <> 'erased') AS person,
           (SELECT json_build_object('id', i.id, 'person_id', i.person_id, 'office_id', i.office_id,
                                     'expires_at', i.expires_at, 'used_at', i.used_at, 'revoked_at', i.revoked_at,
                                     'name', ip.display_name, 'role', ip.role, 'school', s.name_th, 'office', o.name_th)
              FROM invites i
              JOIN people ip ON ip.id = i.person_id AND ip.status <> 'erased'
              JOIN offices o ON o.id = i.office_id
              LEFT JOIN schools s ON s.id = ip.school_id
             WHERE i.code_hash = ${inviteHash}) AS invite
      FROM (SELECT 1) AS one
      LEFT JOIN conversations c ON c.channel_id = ${key.channelId} AND c.line_user_id = ${key.lineUserId}`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('loadTurn returned no row');
  const p = row.person;
  const i = row.invite;
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
          },
    invite:
      inviteHash === null
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
                   linked_at = ${now}, privacy_notice_at = coalesce(privacy_notice_at, ${now}), updated_at = ${now}
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
  }
}

export type WriteOutcome = 'applied' | 'duplicate';

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
  const rows = await queryRows<{ fresh: boolean }>(
    db,
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
