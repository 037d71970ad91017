// The outbox sender's test bench, shared by test/outbox/sender.test.ts and the 10,000-row load in
// test/faults/outbox-load.test.ts: a database and a fake LINE per file, offices, people and outbox rows made
// set-based, and the check that every row reached its person exactly once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createLineApi } from '../../src/line/client.js';
import { createLogger } from '../../src/log.js';
import type { SenderDeps } from '../../src/outbox/sender.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startFakeLine, validateMessagingRequest, type FakeLine, type RecordedRequest } from '../support/fake-line.js';
import { SECRET, TOKEN } from '../support/harness.js';
import { insertOutbox } from '../support/outbox.js';
import { count, one } from '../support/sql.js';

export const T0 = Date.parse('2026-11-20T01:00:00Z'); // 08:00 in Bangkok
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export let db: TestDatabase;
export let line: FakeLine;
export const logs: string[] = [];

/** Call at the top of a test file: one database and one fake LINE for the file, emptied before each test. */
export function useSenderFixture(): void {
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    line = await startFakeLine();
    // Compile the fake's validators now: the first compile takes longer than the short timeouts used here.
    for (const path of ['/v2/bot/message/push', '/v2/bot/message/multicast'])
      validateMessagingRequest('POST', path, { to: path.endsWith('push') ? 'U0' : ['U0'], messages: text('warm') });
  });
  afterAll(async () => {
    await line.close();
    await db.close();
  });
  beforeEach(async () => {
    line.reset();
    logs.length = 0;
    // Offices cascade to their channels, people, outbox rows and usage; audit rows only lose their office.
    await db.db.execute(sql`DELETE FROM outbox`);
    await db.db.execute(sql`DELETE FROM outbox_bodies`);
    await db.db.execute(sql`DELETE FROM offices`);
    await db.db.execute(sql`DELETE FROM audit_log`);
  });
}

export function deps(over: Partial<SenderDeps> & { timeoutMs?: number } = {}): SenderDeps {
  const { timeoutMs, ...rest } = over;
  return {
    db: db.db,
    log: createLogger('debug', (l) => logs.push(l)),
    channel: (id) =>
      Promise.resolve({
        id,
        officeId: null,
        secret: SECRET,
        accessToken: TOKEN,
        privacyNotice: '',
        timeZone: 'Asia/Bangkok',
      }),
    lineApi: (channel) =>
      createLineApi({
        channelAccessToken: channel.accessToken,
        apiBaseUrl: line.url,
        dataApiBaseUrl: line.url,
        timeoutMs: timeoutMs ?? 1_000,
      }),
    ...rest,
  };
}

export const noSleep = () => Promise.resolve();
/** The sender's elapsed-time clock, frozen: however slow the machine, no run's send window ends mid-test. */
export const frozen = () => 0;

export async function office(code: string): Promise<{ officeId: string; channelId: string }> {
  const { id } = await one<{ id: string }>(
    db.db,
    sql`INSERT INTO offices (code, name_th) VALUES (${code}, ${`สพป. ${code}`}) RETURNING id`,
  );
  const channelId = `ch-${code.toLowerCase()}`;
  await db.db.execute(
    sql`INSERT INTO line_channels (id, office_id, name) VALUES (${channelId}, ${id}::uuid, ${`OA ${code}`})`,
  );
  return { officeId: id, channelId };
}

interface Person extends Record<string, unknown> {
  id: string;
  line_user_id: string | null;
}

/** `n` people inserted set-based; linked (with a LINE user id on the channel) unless the status says otherwise. */
export async function people(
  o: { officeId: string; channelId: string },
  n: number,
  status: 'active' | 'blocked' | 'erased' | 'invited' = 'active',
): Promise<Person[]> {
  const linked = status === 'active' || status === 'blocked';
  return queryRows<Person>(
    db.db,
    sql`INSERT INTO people (office_id, role, display_name, status, channel_id, line_user_id, linked_at)
        SELECT ${o.officeId}::uuid, 'teacher', 'ครู ' || i, ${status},
               CASE WHEN ${linked} THEN ${o.channelId} END,
               CASE WHEN ${linked} THEN 'U' || md5(${o.channelId} || ${status} || i || random()::text) END,
               CASE WHEN ${linked} THEN now() END
          FROM generate_series(1, ${n}) AS i
        RETURNING id, line_user_id`,
  );
}

export const text = (t: string) => [{ type: 'text', text: t }];

export async function enqueue(
  o: { officeId: string; channelId: string },
  personId: string | null,
  messages: unknown,
  opts: { hash?: string; at?: number; key?: string } = {},
): Promise<string> {
  // Identical bodies batch whatever the hash said before bodies were stored once; `hash` only documents intent.
  void opts.hash;
  const [id] = await insertOutbox(
    db.db,
    sql`SELECT ${o.officeId}::uuid AS office_id, ${o.channelId} AS channel_id, ${personId}::uuid AS person_id,
               ${opts.key ?? `test:${Math.random().toString(36).slice(2)}`} AS dedupe_key, 'test' AS kind,
               ${JSON.stringify(messages)}::jsonb AS messages, ${new Date(opts.at ?? T0).toISOString()}::timestamptz AS not_before`,
  );
  return id ?? '';
}

interface Row extends Record<string, unknown> {
  id: string;
  status: string;
  attempts: number;
  batch_id: string | null;
  last_error: string | null;
  first_attempt_at: unknown;
  not_before_ms: number;
}
export const rowsOf = (officeId: string) =>
  queryRows<Row>(
    db.db,
    sql`SELECT id, status, attempts, batch_id, last_error, first_attempt_at,
               (extract(epoch FROM not_before) * 1000)::float8 AS not_before_ms
          FROM outbox WHERE office_id = ${officeId}::uuid ORDER BY id`,
  );
export const rowOf = async (id: string) =>
  one<Row>(
    db.db,
    sql`SELECT id, status, attempts, batch_id, last_error, first_attempt_at,
               (extract(epoch FROM not_before) * 1000)::float8 AS not_before_ms
          FROM outbox WHERE id = ${id}::uuid`,
  );
export const pushesOf = async (officeId: string) =>
  (
    await queryRows<{ pushes: number }>(
      db.db,
      sql`SELECT coalesce(sum(pushes), 0)::int AS pushes FROM push_usage WHERE office_id = ${officeId}::uuid`,
    )
  )[0]?.pushes ?? 0;

export const sendRequests = () =>
  line.requests.filter((r) => r.path === '/v2/bot/message/push' || r.path === '/v2/bot/message/multicast');
export const keyOf = (r: RecordedRequest) => r.headers['x-line-retry-key'] ?? '';
export const toOf = (r: RecordedRequest): string[] => {
  const b = r.body as { to: string | string[] };
  return Array.isArray(b.to) ? b.to : [b.to];
};

/**
 * Every row is sent, and LINE's record agrees: each row reached its person exactly once, under the row's own key
 * (push) or its batch's (multicast), and every request with a key carried the same body to the same endpoint.
 */
export async function expectEachRowDeliveredOnce(total: number) {
  const rows = await queryRows<{ id: string; batch_id: string | null; to: string; text: string }>(
    db.db,
    sql`SELECT o.id, o.batch_id, p.line_user_id AS to, b.body->'messages'->0->>'text' AS text
          FROM outbox o JOIN people p ON p.id = o.person_id JOIN outbox_bodies b ON b.hash = o.body`,
  );
  expect(rows).toHaveLength(total);
  expect(await count(db.db, sql`outbox WHERE status <> 'sent'`)).toBe(0);
  expect(line.invalid()).toEqual([]);

  const bodies = new Map<string, string>();
  for (const r of sendRequests()) {
    const body = `${r.path} ${JSON.stringify(r.body)}`;
    expect(bodies.get(keyOf(r)) ?? body).toBe(body);
    bodies.set(keyOf(r), body);
  }

  const delivered = new Map<string, number>(); // `${key} ${recipient}` -> deliveries
  const received = new Map<string, number>(); // `${recipient} ${text}` -> deliveries, whatever the key
  for (const r of line.pushes()) {
    const { messages } = r.body as { messages: { text: string }[] };
    for (const to of toOf(r)) {
      const k = `${keyOf(r)} ${to}`;
      delivered.set(k, (delivered.get(k) ?? 0) + 1);
      const t = `${to} ${messages[0]?.text ?? ''}`;
      received.set(t, (received.get(t) ?? 0) + 1);
    }
  }
  expect(delivered.size).toBe(total);
  expect(received.size).toBe(total);
  expect([...received.values()].every((n) => n === 1)).toBe(true);
  for (const row of rows) {
    expect(delivered.get(`${row.batch_id ?? row.id} ${row.to}`)).toBe(1);
    expect(received.get(`${row.to} ${row.text}`)).toBe(1);
  }
  return rows;
}

/** Per person: three notices everyone gets (multicast) and two personal reminders (push). */
export async function enqueueFivePerPerson(officeId: string): Promise<void> {
  await insertOutbox(
    db.db,
    sql`SELECT p.office_id, p.channel_id, p.id AS person_id, k.kind || ':' || p.id AS dedupe_key, k.kind,
               jsonb_build_array(jsonb_build_object('type', 'text', 'text',
                 CASE WHEN k.shared THEN 'ประกาศ ' || k.kind ELSE 'เตือน ' || k.kind || ' ' || p.id END)) AS messages,
               ${new Date(T0).toISOString()}::timestamptz AS not_before
          FROM people p
         CROSS JOIN (VALUES ('a', true), ('b', true), ('c', true), ('d', false), ('e', false)) AS k(kind, shared)
         WHERE p.office_id = ${officeId}::uuid`,
  );
}
