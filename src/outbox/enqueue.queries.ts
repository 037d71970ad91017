// The one way anything other than the daily planner asks for a push: queue bundle items (outbox_items) for people,
// and the person's next daily bundle carries them (src/reminders/plan.ts). The chat's effects (a checklist
// submitted, a visit planned, moved, cancelled or recorded, a principal's acknowledgement), the tick's visit
// notices, announcements and published notices all write through here, so "at most one push per person per day,
// outside their own actions" holds by construction: nothing but the planner writes outbox rows.
import { is, SQL, sql } from 'drizzle-orm';
import { dedupeKey, KEY_SEPARATOR, type KeyPart, type KeyTopic } from './keys.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { BundleItem } from './bundle.js';
import { personInAudience } from '../checklists/audience.queries.js';

/**
 * A SELECT of the items to queue, with these columns: office_id uuid, person_id uuid, key text (unique per person:
 * a repeat queues nothing), kind text, data jsonb (a BundleItem), due_at timestamptz (not bundled before), and
 * urgent_by timestamptz or NULL (an instant before which waiting for the person's usual hour would be too late).
 */
export type ItemSelect = SQL;

/** Only people who can be told: active and linked on a channel. `p` is the people alias. */
export const reachable = (p: string): SQL => {
  const a = sql.raw(p);
  return sql`${a}.status = 'active' AND ${a}.channel_id IS NOT NULL AND ${a}.line_user_id IS NOT NULL`;
};

/**
 * An outbox key in SQL, by the grammar of src/outbox/keys.ts: `keySql('visit', sql`v.id`, 'planned')` is
 * `visit:<v.id>:planned`. Values are bound; SQL parts are cast to text.
 */
export function keySql(topic: KeyTopic, subject: SQL | KeyPart, ...parts: (SQL | KeyPart)[]): SQL {
  const text = (p: SQL | KeyPart): SQL => (is(p, SQL) ? sql`(${p})::text` : sql`${String(p)}::text`);
  return sql.join([sql`${topic}::text`, ...[subject, ...parts].map(text)], sql.raw(` || '${KEY_SEPARATOR}' || `));
}

/**
 * The id of a person's bundle row for a local day, which is also its X-Line-Retry-Key: 128 bits from two 64-bit
 * hashes of the person's id (a uuid, unique nationally), seeded by the day and by the day's complement. The same
 * day planned twice gives the same id, so the outbox's primary key keeps one push per person per day. It was md5
 * of (office, person, day) as text (migration 0029): the text conversions and md5 cost 1.16 µs a row, this
 * 0.47 (the national day's 225,000 rows: 262 against 105 ms of Postgres CPU). Rows planned under the old id keep
 * it; the planner leaves out the people already bundled today by person (planBundles' `seen`), so a row of either
 * scheme keeps that person's day to one push.
 */
export const outboxRowId = (personId: SQL, localDay: SQL): SQL =>
  sql`encode(int8send(uuid_hash_extended(${personId}, ${localDay} - date '2000-01-01'))
          || int8send(uuid_hash_extended(${personId}, -1 - (${localDay} - date '2000-01-01'))), 'hex')::uuid`;

/** A CTE (for a turn's single write statement) that queues the items the SELECT yields. */
export function enqueueCte(name: SQL, select: ItemSelect): SQL {
  return sql`${name} AS (
    INSERT INTO outbox_items (office_id, person_id, key, kind, data, due_at, urgent_by)
    SELECT q.office_id, q.person_id, q.key, q.kind, q.data, q.due_at, q.urgent_by FROM (${select}) q
    ON CONFLICT (person_id, key) DO NOTHING
    RETURNING 1)`;
}

/**
 * A CTE that withdraws items not yet bundled whose key starts with `prefix` (a visit moved or cancelled: its
 * waiting notices and reminders go, and fresh ones are queued). `when` gates it on an earlier CTE's rows.
 */
export function withdrawCte(name: SQL, prefix: string, when: SQL): SQL {
  return sql`${name} AS (
    DELETE FROM outbox_items
     WHERE key LIKE ${`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} AND bundled_on IS NULL AND ${when}
    RETURNING 1)`;
}

/** The item as jsonb (a BundleItem built in SQL is spelled with jsonb_build_object by the caller). */
export const itemJson = (item: BundleItem): SQL => sql`${JSON.stringify(item)}::jsonb`;

/** Queues items outside a turn (the tick's visit notices, announcements, published notices); returns how many. */
export async function enqueueItems(db: Db, select: ItemSelect): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH ${enqueueCte(sql.raw('q_ins'), select)} SELECT count(*)::int AS n FROM q_ins`,
  );
  return rows[0]?.n ?? 0;
}

/** An audience to publish to: roles, and optionally schools or clusters (empty: the whole office). */
export interface Audience {
  roles: string[];
  schoolIds?: string[];
  clusterIds?: string[];
}

/**
 * Publishes a notice (results, a report, an honour list) to an audience of an office: one item per reachable
 * person in it, keyed `notice:<key>` so publishing twice tells nobody twice. It goes out in each person's next
 * daily bundle, under the bundle's rules (reminder hour, weekdays that are no holiday, outside quiet hours).
 */
export async function publishNotice(
  db: Db,
  officeId: string,
  audience: Audience,
  notice: { key: string; title: string; text: string; campaignId?: string },
  at: number,
): Promise<number> {
  const item: BundleItem = {
    k: 'notice',
    t: notice.title,
    text: notice.text,
    ...(notice.campaignId === undefined ? {} : { c: notice.campaignId }),
  };
  return enqueueItems(
    db,
    sql`SELECT p.office_id, p.id AS person_id, ${dedupeKey('notice', notice.key)} AS key, 'notice' AS kind,
               ${itemJson(item)} AS data, ${new Date(at).toISOString()}::timestamptz AS due_at,
               NULL::timestamptz AS urgent_by
          FROM people p LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.office_id = ${officeId}::uuid
           AND ${personInAudience('p', 's', {
             roles: sql`${sql.param(audience.roles)}::text[]`,
             schoolIds: sql`${sql.param(audience.schoolIds ?? [])}::uuid[]`,
             clusterIds: sql`${sql.param(audience.clusterIds ?? [])}::uuid[]`,
           })}
           AND ${reachable('p')}`,
  );
}
