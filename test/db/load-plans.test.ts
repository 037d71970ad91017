// The turn's load statements (src/conversation/conversation.queries.ts, and the batch's in batch.queries.ts) as
// Postgres plans them when checklists holds a country's forms: every office's own forms and every version of each
// (~20,000 rows nationwide). They find the definitions a turn needs by primary key; with ORs of subqueries in that
// filter Postgres read every row of checklists on every turn (5.9 ms at 22,000 rows). The plans are the ones the app's
// own statements get, read with auto_explain at NOTICE level on the one pooled connection.
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBatch } from '../../src/conversation/batch.queries.js';
import { loadTurn } from '../../src/conversation/conversation.queries.js';
import { flows } from '../../src/flows/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { postgresUrl } from '../support/postgres.js';

// auto_explain is a PostgreSQL server module: the PGlite pass leaves this file out (test/support/postgres.ts).
postgresUrl();

const now = '2026-12-05T03:00:00.000Z';
const OFFICES = 40;
const FORMS_PER_OFFICE = 25;
const VERSIONS = 3;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const scans = (node: PlanNode): string[] => [
  ...(node['Relation Name'] === undefined ? [] : [`${node['Node Type']} on ${node['Relation Name']}`]),
  ...(node.Plans ?? []).flatMap(scans),
];

describe('the turn load at national size', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  const plans: { text: string; scans: string[] }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 });
    pool = (t.db as unknown as { $client: pg.Pool }).$client;
    await t.db.execute(sql`
      INSERT INTO offices (id, code, name_th)
      SELECT gen_random_uuid(), 'plan-' || g, 'สำนักงานทดสอบ ' || g FROM generate_series(1, ${OFFICES}) g`);
    await t.db.execute(sql`
      INSERT INTO checklists (office_id, key, version, title_th, scope, definition)
      SELECT o.id, 'form-' || f, v, 'แบบฟอร์ม ' || f, 'person', jsonb_build_object('note', repeat('ข', 300))
        FROM offices o, generate_series(1, ${FORMS_PER_OFFICE}) f, generate_series(1, ${VERSIONS}) v`);
    await t.db.execute(sql`ANALYZE`);
    // The one pooled connection reports each statement's plan to this client as a NOTICE.
    const client = await pool.connect();
    client.on('notice', (n) => {
      const m = /^duration: [\d.]+ ms\s+plan:\s*([\s\S]*)$/.exec(n.message ?? '');
      if (m?.[1] === undefined) return;
      const out = JSON.parse(m[1]) as { 'Query Text': string; Plan: PlanNode };
      plans.push({ text: out['Query Text'], scans: scans(out.Plan) });
    });
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = 0`);
    await client.query(`SET auto_explain.log_format = json`);
    await client.query(`SET auto_explain.log_level = notice`);
    client.release();
  });
  afterAll(async () => {
    await t.close();
  });

  const loadPlans = () => plans.filter((p) => /\bFROM checklists ck\b/.test(p.text));

  it('has that many forms', async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM checklists');
    expect(rows[0]?.n).toBe(OFFICES * FORMS_PER_OFFICE * VERSIONS);
  });

  it("reads a single turn's definitions by key, with every flow's fragment in the statement", async () => {
    plans.length = 0;
    const key = { channelId: 'ch-plan', lineUserId: 'U-plan', webhookEventId: 'ev-plan' };
    // Every wish on: each flow's fragment (the visits' definitions among them) is in the statement.
    await loadTurn(
      t.db,
      key,
      { cachedDefinitions: [], now, visits: true, startedAnswers: true, inviteHash: 'x' },
      flows.loadFragments,
    );
    const seen = loadPlans();
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(p.scans).toContain('Index Scan on checklists');
      expect(p.scans).not.toContain('Seq Scan on checklists');
    }
  });

  it("reads a batch's definitions by key", async () => {
    plans.length = 0;
    const keys = Array.from({ length: 8 }, (_, i) => ({
      channelId: 'ch-plan',
      lineUserId: `U-plan-${i}`,
      webhookEventId: `ev-plan-${i}`,
      now,
    }));
    await loadBatch(t.db, keys, []);
    const seen = loadPlans();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.scans).toContain('Index Scan on checklists');
    expect(seen[0]?.scans).not.toContain('Seq Scan on checklists');
  });
});
