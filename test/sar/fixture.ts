// The SAR world shared by the webhook/API test and the CLI test: the demo office with this year's basic SAR
// (closed, three schools submitted, one half done) and last year's early-childhood SAR, and another office with a
// SAR campaign of its own. Figures are worked out by hand in sar.test.ts. Names and codes are invented.
import { sql } from 'drizzle-orm';
import { upsertOffice, upsertSchools } from '../../src/admin/admin.queries.js';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import type { Db } from '../../src/db/client.js';
import type { Role } from '../../src/db/schema.js';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const TITLE = 'SAR ปีการศึกษา 2568 (ทดสอบ)';
export const TITLE_OLD = 'SAR ปฐมวัย ปีการศึกษา 2567 (ทดสอบ)';
export const school = (i: number) => DEMO_SCHOOLS[i] ?? { code: '', nameTh: '' };

export interface SarFixture {
  demo: DemoSeed;
  campaignId: string;
  oldCampaignId: string;
  foreignCampaignId: string;
}

export async function seedSar(db: Db, now: number): Promise<SarFixture> {
  const campaign = async (officeId: string, key: string, title: string, opensAgo: number, dueAgo: number) => {
    const ck = await findChecklist(db, officeId, key);
    const roles: Role[] = ['principal'];
    const c = await upsertCampaign(db, {
      officeId,
      checklistId: ck?.id ?? '',
      titleTh: title,
      roles,
      schoolIds: [],
      clusterIds: [],
      opensAt: iso(now - opensAgo * DAY),
      dueAt: iso(now - dueAgo * DAY),
    });
    return c.id;
  };

  /** A school's SAR response with its (already calculated) answers, as the runner stores them on submit. */
  const respond = async (
    cid: string,
    code: string,
    status: 'submitted' | 'in_progress',
    answers: Record<string, unknown>,
  ) => {
    const id = crypto.randomUUID();
    await db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT ${id}::uuid, c.office_id, c.id, c.checklist_id, s.id, s.id, ${status}, ${iso(now - 20 * DAY)},
             ${status === 'submitted' ? iso(now - 10 * DAY) : null}, ${iso(now - 10 * DAY)}
        FROM campaigns c JOIN schools s ON s.office_id = c.office_id AND s.code = ${code}
       WHERE c.id = ${cid}::uuid`);
    const keys = Object.keys(answers);
    await db.execute(sql`
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      SELECT ${id}::uuid, k, 0, v, ${iso(now - 10 * DAY)}
        FROM unnest(${sql.param(keys)}::text[], ${sql.param(keys.map((k) => JSON.stringify(answers[k])))}::jsonb[])
          AS t(k, v)`);
  };

  const sarAnswers = (levels: [number, number][], texts: Record<string, string> = {}) => ({
    ...Object.fromEntries(
      levels.flatMap(([level, target], i) => [
        [`s${i + 1}_level`, level],
        [`s${i + 1}_target`, target],
        [`s${i + 1}_below_target`, level < target ? 1 : 0],
      ]),
    ),
    ...texts,
  });

  const demo = await seedDemo(db, now);
  const office = demo.office.id;
  // Last year's early-childhood SAR (older, closed) and this year's basic SAR (closed after its due date).
  const oldCampaignId = await campaign(office, 'sar-early-childhood', TITLE_OLD, 400, 370);
  const campaignId = await campaign(office, 'sar-basic', TITLE, 40, 10);
  await db.execute(
    sql`UPDATE campaigns SET closed_at = ${iso(now - 5 * DAY)} WHERE id IN (${campaignId}, ${oldCampaignId})`,
  );
  await respond(
    campaignId,
    school(0).code,
    'submitted',
    sarAnswers(
      [
        [2, 4],
        [4, 4],
        [5, 3],
      ],
      { s1_strengths: 'นักเรียนอ่านออกเขียนได้ทุกคน', s1_improve: 'ทักษะการคิดวิเคราะห์', s2_strengths: '=SUM(A1)' },
    ),
  );
  await respond(
    campaignId,
    school(1).code,
    'submitted',
    sarAnswers(
      [
        [3, 3],
        [3, 4],
        [4, 4],
      ],
      { s1_strengths: 'ครูจัดกิจกรรมหลากหลาย, มีส่วนร่วม' },
    ),
  );
  await respond(
    campaignId,
    school(6).code,
    'submitted',
    sarAnswers([
      [5, 4],
      [5, 5],
      [4, 5],
    ]),
  );
  // A half-done SAR is not a report: counted as no answer, its texts never shown.
  await respond(campaignId, school(2).code, 'in_progress', { s1_level: 1, s1_target: 5, s1_strengths: 'ยังไม่ส่ง' });
  await respond(oldCampaignId, school(0).code, 'submitted', sarAnswers([[1, 5]]));

  // Another office with its own SAR campaign: never visible from the demo office.
  const other = await upsertOffice(db, { code: 'SAROTHER', nameTh: 'สำนักงานทดสอบอื่น', nameEn: null });
  await upsertSchools(db, other.id, [
    { code: '8888800001', nameTh: 'โรงเรียนสำนักงานอื่น', clusterCode: null, clusterNameTh: null },
  ]);
  const foreignCampaignId = await campaign(other.id, 'sar-basic', 'SAR สำนักงานอื่น', 40, 10);

  return { demo, campaignId, oldCampaignId, foreignCampaignId };
}
