import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { createLogger } from '../log.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { count } from '../../test/support/sql.js';
import { OUTBOX_KEEP_MS, PROCESSED_EVENTS_KEEP_MS, tick } from './tick.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('tick: retention', () => {
  it('deletes processed event ids older than 7 days, keeps newer ones, and is idempotent', async () => {
    const at = Date.parse('2026-11-23T01:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    await t.db.execute(sql`
      INSERT INTO processed_events (channel_id, webhook_event_id, received_at) VALUES
        ('default', 'old-1', ${iso(at - PROCESSED_EVENTS_KEEP_MS - 1)}),
        ('default', 'old-2', ${iso(at - 30 * 86_400_000)}),
        ('default', 'edge', ${iso(at - PROCESSED_EVENTS_KEEP_MS)}),
        ('default', 'new', ${iso(at - 1000)})`);
    const log = createLogger('error', () => {});
    expect(await tick({ db: t.db, log }, at)).toMatchObject({ processedEventsDeleted: 2 });
    expect(await tick({ db: t.db, log }, at)).toMatchObject({ processedEventsDeleted: 0 });
    const left = await count(t.db, sql`processed_events WHERE webhook_event_id IN ('edge', 'new')`);
    expect(left).toBe(2);
    expect(await count(t.db, sql`processed_events`)).toBe(2);
  });

  it('drops sent and dead outbox rows after 30 days, never pending ones', async () => {
    const at = Date.parse('2026-12-23T01:00:00Z');
    const old = new Date(at - OUTBOX_KEEP_MS - 1000).toISOString();
    const recent = new Date(at - 1000).toISOString();
    // Rows reference a body (outbox_bodies); the body's hash here is any uuid, as retention never reads it.
    await t.db.execute(sql`
      INSERT INTO outbox (channel_id, dedupe_key, kind, body, status, created_at) VALUES
        ('default', 'r:old-sent', 'test', gen_random_uuid(), 'sent', ${old}),
        ('default', 'r:old-dead', 'test', gen_random_uuid(), 'dead', ${old}),
        ('default', 'r:old-pending', 'test', gen_random_uuid(), 'pending', ${old}),
        ('default', 'r:new-sent', 'test', gen_random_uuid(), 'sent', ${recent})`);
    const log = createLogger('error', () => {});
    expect(await tick({ db: t.db, log }, at)).toMatchObject({ outboxDeleted: 2 });
    expect(await count(t.db, sql`outbox WHERE dedupe_key LIKE 'r:%'`)).toBe(2);
    expect(await count(t.db, sql`outbox WHERE dedupe_key IN ('r:old-pending', 'r:new-sent')`)).toBe(2);
  });
});

describe('tick: retention of admin sessions', () => {
  it('removes sessions and sign-in links a day past their expiry, keeps the others', async () => {
    const at = Date.parse('2027-01-10T01:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    const [office] = await queryRows<{ id: string }>(
      t.db,
      sql`INSERT INTO offices (code, name_th) VALUES ('RET1', 'สำนักงานทดสอบการเก็บรักษา') RETURNING id`,
    );
    const officeId = office?.id ?? '';
    const [person] = await queryRows<{ id: string }>(
      t.db,
      sql`INSERT INTO people (office_id, display_name, role)
          VALUES (${officeId}::uuid, 'ครูสมมุติ ทดสอบ', 'admin') RETURNING id`,
    );
    const personId = person?.id ?? '';
    const day = 86_400_000;
    await t.db.execute(sql`
      INSERT INTO admin_sessions (id_hash, kind, token_tag, created_at, expires_at) VALUES
        ('s-old', 'deployment', 'tag', ${iso(at - 3 * day)}, ${iso(at - day - 1000)}),
        ('s-recent', 'deployment', 'tag', ${iso(at - day)}, ${iso(at - 1000)}),
        ('s-live', 'deployment', 'tag', ${iso(at)}, ${iso(at + day)})`);
    await t.db.execute(sql`
      INSERT INTO admin_signin_links (token_hash, office_id, person_id, created_at, expires_at) VALUES
        ('l-old', ${officeId}::uuid, ${personId}::uuid, ${iso(at - 3 * day)}, ${iso(at - 2 * day)}),
        ('l-live', ${officeId}::uuid, ${personId}::uuid, ${iso(at)}, ${iso(at + 600_000)})`);
    const log = createLogger('error', () => {});
    await tick({ db: t.db, log }, at);
    expect(await count(t.db, sql`admin_sessions`)).toBe(2);
    expect(await count(t.db, sql`admin_sessions WHERE id_hash = 's-old'`)).toBe(0);
    expect(await count(t.db, sql`admin_signin_links`)).toBe(1);
    expect(await count(t.db, sql`admin_signin_links WHERE token_hash = 'l-live'`)).toBe(1);
  });
});
