// SQL for the demo office's first-start story (src/demo/story.ts): whether it is there, the checklists and
// campaigns it answers, and its responses, answers, visits and agreed actions, each kind in one statement.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

/** The story is written once per office: its term in the calendar says it is there. */
export async function demoStoryExists(db: Db, officeId: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM calendar_events WHERE office_id = ${officeId}::uuid AND kind = 'term'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

export async function clusterIdsByCode(db: Db, officeId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM clusters WHERE office_id = ${officeId}::uuid`,
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The office's campaigns by title (the natural key), with their checklist's definition. */
export async function campaignsByTitle(
  db: Db,
  officeId: string,
  titles: string[],
): Promise<Map<string, { id: string; checklistId: string; definition: unknown }>> {
  const rows = await queryRows<{ id: string; title_th: string; checklist_id: string; definition: unknown }>(
    db,
    sql`SELECT c.id, c.title_th, c.checklist_id, ck.definition
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
         WHERE c.office_id = ${officeId}::uuid AND c.title_th = ANY(${sql.param(titles)}::text[])`,
  );
  return new Map(rows.map((r) => [r.title_th, { id: r.id, checklistId: r.checklist_id, definition: r.definition }]));
}

/** People of the office by external id. */
export async function peopleByExternalId(db: Db, officeId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; external_id: string }>(
    db,
    sql`SELECT id, external_id FROM people WHERE office_id = ${officeId}::uuid AND external_id IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

export interface DemoResponse {
  id: string;
  campaignId: string;
  checklistId: string;
  subjectKey: string;
  schoolId: string | null;
  personId: string;
  status: 'in_progress' | 'submitted';
  startedAt: string;
  submittedAt: string | null;
  answers: Record<string, unknown>;
}

/** Responses and their answers (repeat instance 0), in two statements; an existing subject's response is kept. */
export async function insertDemoResponses(db: Db, officeId: string, responses: DemoResponse[]): Promise<void> {
  if (responses.length === 0) return;
  const heads = responses.map((r) => ({
    id: r.id,
    campaign_id: r.campaignId,
    checklist_id: r.checklistId,
    subject_key: r.subjectKey,
    school_id: r.schoolId,
    started_by: r.personId,
    status: r.status,
    started_at: r.startedAt,
    submitted_at: r.submittedAt,
    updated_at: r.submittedAt ?? r.startedAt,
  }));
  const inserted = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, started_by, status,
                               started_at, submitted_at, updated_at)
        SELECT x.id, ${officeId}::uuid, x.campaign_id, x.checklist_id, x.subject_key, x.school_id, x.started_by,
               x.status, x.started_at, x.submitted_at, x.updated_at
          FROM jsonb_to_recordset(${JSON.stringify(heads)}::jsonb)
            AS x(id uuid, campaign_id uuid, checklist_id uuid, subject_key uuid, school_id uuid, started_by uuid,
                 status text, started_at timestamptz, submitted_at timestamptz, updated_at timestamptz)
        ON CONFLICT (campaign_id, subject_key) DO NOTHING
        RETURNING id`,
  );
  const kept = new Set(inserted.map((r) => r.id));
  const answers = responses
    .filter((r) => kept.has(r.id))
    .flatMap((r) =>
      Object.entries(r.answers).map(([key, value]) => ({
        response_id: r.id,
        item_key: key,
        value,
        answered_by: r.personId,
        answered_at: r.submittedAt ?? r.startedAt,
      })),
    );
  if (answers.length === 0) return;
  await db.execute(
    sql`INSERT INTO answers (response_id, item_key, repeat_index, value, answered_by, answered_at)
        SELECT x.response_id, x.item_key, 0, x.value, x.answered_by, x.answered_at
          FROM jsonb_to_recordset(${JSON.stringify(answers)}::jsonb)
            AS x(response_id uuid, item_key text, value jsonb, answered_by uuid, answered_at timestamptz)
        ON CONFLICT DO NOTHING`,
  );
}

export interface DemoVisit {
  id: string;
  schoolId: string;
  supervisorId: string;
  startsAt: string;
  purposeTh: string;
  status: 'planned' | 'done';
  decision: 'achieved' | 'not_yet' | null;
  responseId: string | null;
  recordedAt: string | null;
  actions: { whatTh: string; ownerTh: string; dueOn: string }[];
}

/** Visits and their agreed actions, in one statement. */
export async function insertDemoVisits(db: Db, officeId: string, visits: DemoVisit[]): Promise<void> {
  if (visits.length === 0) return;
  const rows = visits.map((v) => ({
    id: v.id,
    school_id: v.schoolId,
    supervisor_id: v.supervisorId,
    starts_at: v.startsAt,
    purpose_th: v.purposeTh,
    status: v.status,
    decision: v.decision,
    response_id: v.responseId,
    recorded_at: v.recordedAt,
  }));
  const actions = visits.flatMap((v) =>
    v.actions.map((a, i) => ({
      visit_id: v.id,
      school_id: v.schoolId,
      position: i + 1,
      what_th: a.whatTh,
      owner_th: a.ownerTh,
      due_on: a.dueOn,
    })),
  );
  await db.execute(
    sql`WITH v AS (
          INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, decision,
                              response_id, recorded_at, updated_at)
          SELECT x.id, ${officeId}::uuid, x.school_id, x.supervisor_id, x.starts_at, x.purpose_th, x.status, x.decision,
                 x.response_id, x.recorded_at, coalesce(x.recorded_at, x.starts_at)
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              AS x(id uuid, school_id uuid, supervisor_id uuid, starts_at timestamptz, purpose_th text, status text,
                   decision text, response_id uuid, recorded_at timestamptz)
          ON CONFLICT (id) DO NOTHING
          RETURNING id)
        INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, owner_th, due_on)
        SELECT gen_random_uuid(), ${officeId}::uuid, a.school_id, a.visit_id, a.position, a.what_th, a.owner_th, a.due_on
          FROM jsonb_to_recordset(${JSON.stringify(actions)}::jsonb)
            AS a(visit_id uuid, school_id uuid, position int, what_th text, owner_th text, due_on date)
         WHERE a.visit_id IN (SELECT id FROM v)`,
  );
}

/** The office's system campaign that visit records belong to (as the visit flow makes it: no audience, closed). */
export async function visitRecordCampaign(
  db: Db,
  officeId: string,
  checklistId: string,
  title: string,
  at: string,
): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH ins AS (
          INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at, closed_at, system)
          VALUES (${officeId}::uuid, ${checklistId}::uuid, ${title}, '{}'::text[], ${at}::timestamptz,
                  ${at}::timestamptz, ${at}::timestamptz, true)
          ON CONFLICT (office_id, title_th) DO NOTHING
          RETURNING id)
        SELECT id FROM ins UNION ALL
        SELECT id FROM campaigns WHERE office_id = ${officeId}::uuid AND system AND title_th = ${title}`,
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('visit record campaign not written');
  return id;
}
