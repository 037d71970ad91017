// A submission in flight is never planned as still due: the reminder planner takes the office's lock and waits for
// a submission's transaction to commit, then leaves its subject out. Two sessions at once, so PostgreSQL only
// (PGlite's one session would serialise them before the race could happen).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { planReminders } from '../../src/reminders/plan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { postgresUrl } from '../support/postgres.js';
import { world } from './world.js';

postgresUrl(); // on PGlite this file is left out by config (test/support/postgres.ts); never run it there
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

/** 08:00 in Bangkok. */
const eight = (day: string) => Date.parse(`${day}T01:00:00Z`);

describe('planning and a submission in flight', () => {
  it('the planner waits for a submission that has not committed yet, then does not remind its subject', async () => {
    const w = await world(t.db, ['ครูส่ง ทันเวลา', 'ครูยัง ไม่ส่ง']);
    const [done = '', late = ''] = w.people;
    const [checklist] = await queryRows<{ id: string }>(
      t.db,
      sql`INSERT INTO checklists (office_id, key, version, title_th, scope, definition)
          VALUES (${w.officeId}::uuid, 'race', 1, 'แบบสำรวจทดสอบ', 'person', '{}'::jsonb) RETURNING id`,
    );
    const campaign = await upsertCampaign(t.db, {
      officeId: w.officeId,
      checklistId: checklist?.id ?? '',
      titleTh: 'สำรวจความพร้อม',
      roles: ['teacher'],
      schoolIds: [],
      clusterIds: [],
      opensAt: '2026-11-01T00:00:00+07:00',
      dueAt: '2026-11-23T23:59:00+07:00',
    });
    const responseId = crypto.randomUUID();
    await t.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, status, started_at, updated_at)
      VALUES (${responseId}::uuid, ${w.officeId}::uuid, ${campaign.id}::uuid, ${checklist?.id ?? ''}::uuid,
              ${done}::uuid, 'in_progress', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')`);

    let commit = () => {};
    const held = new Promise<void>((resolve) => (commit = resolve));
    let written = () => {};
    const submitted = new Promise<void>((resolve) => (written = resolve));
    const submission = t.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE responses SET status = 'submitted', submitted_at = '2026-11-23T00:59:00Z'
                            WHERE id = ${responseId}::uuid`);
      written();
      await held;
    });
    await submitted;
    const planning = planReminders(t.db, eight('2026-11-23'), { officeId: w.officeId });
    // Time for the planner to reach the office's lock (without the lock it would plan from the old set now).
    await new Promise((resolve) => setTimeout(resolve, 800));
    commit();
    await submission;
    await planning;
    const reminded = await queryRows<{ person_id: string }>(
      t.db,
      sql`SELECT o.person_id FROM outbox o JOIN outbox_bodies b ON b.hash = o.body
           WHERE o.office_id = ${w.officeId}::uuid AND b.body::text LIKE '%สำรวจความพร้อม%'`,
    );
    expect(reminded.map((r) => r.person_id)).toEqual([late]);
  });
});
