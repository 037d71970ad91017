// SQL for the office-level SAR synthesis: the campaign (one row) and its schools with their SAR answers (one
// statement, whatever the number of schools). A SAR is any checklist with calculated `sN_below_target` items, as
// the digests decide (src/digests/digests.queries.ts); the audience is the digests' and loadTurn's.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { countedSubject } from '../checklists/audience.queries.js';

import { isUuid } from '../ids/uuid.js';
import { isSarChecklist } from './keys.queries.js';

const isSar = isSarChecklist();

export interface SarCampaignRow extends Record<string, unknown> {
  id: string;
  office_id: string;
  title_th: string;
  /** The office's name (a director's cut names it in the card's heading, as the digest's does). */
  office_name: string;
  checklist_key: string;
  definition: unknown;
  time_zone: string;
  opens_ms: number;
  due_ms: number;
  closed_ms: number | null;
  /** Other SAR campaigns of the office that have opened (the card says which one it shows). */
  others: number;
}

const head = sql`SELECT c.id, c.office_id, c.title_th, o.name_th AS office_name, ck.key AS checklist_key, ck.definition, o.time_zone,
         (extract(epoch FROM c.opens_at) * 1000)::float8 AS opens_ms,
         (extract(epoch FROM c.due_at) * 1000)::float8 AS due_ms,
         (extract(epoch FROM c.closed_at) * 1000)::float8 AS closed_ms`;

/** The office's SAR campaign with this id; undefined for another office's, a non-SAR or a malformed id. */
export async function sarCampaign(db: Db, officeId: string, campaignId: string): Promise<SarCampaignRow | undefined> {
  if (!isUuid(campaignId)) return undefined;
  const rows = await queryRows<SarCampaignRow>(
    db,
    sql`${head}, 0 AS others
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id JOIN offices o ON o.id = c.office_id
         WHERE c.id = ${campaignId}::uuid AND c.office_id = ${officeId}::uuid AND ${isSar}`,
  );
  return rows[0];
}

/**
 * The office's most recent SAR campaign that has opened by `at`, open or closed: the latest opening wins (a
 * new academic year's SAR replaces last year's as soon as it opens), then the latest due date.
 */
export async function latestSarCampaign(db: Db, officeId: string, at: string): Promise<SarCampaignRow | undefined> {
  const rows = await queryRows<SarCampaignRow>(
    db,
    sql`${head}, (count(*) OVER () - 1)::int AS others
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id JOIN offices o ON o.id = c.office_id
         WHERE c.office_id = ${officeId}::uuid AND c.opens_at <= ${at}::timestamptz AND ${isSar}
         ORDER BY c.opens_at DESC, c.due_at DESC, c.id
         LIMIT 1`,
  );
  return rows[0];
}

export interface SarSchoolQueryRow extends Record<string, unknown> {
  campaign_id: string;
  school_id: string;
  code: string;
  name: string;
  cluster: string | null;
  in_audience: boolean;
  status: 'submitted' | 'in_progress' | null;
  answers: Record<string, unknown> | null;
}

/**
 * The campaigns' schools: those in each one's audience now, and any other school that submitted. With each, its
 * response status and the SAR answers the synthesis reads (levels, targets, strengths, points to improve) of a
 * submitted response only: a half-done SAR is not the school's report. One statement for any number of campaigns.
 */
export async function sarSchools(db: Db, campaignIds: string[]): Promise<SarSchoolQueryRow[]> {
  if (campaignIds.length === 0) return [];
  const ids = sql.param(campaignIds);
  return queryRows<SarSchoolQueryRow>(
    db,
    sql`
    WITH aud AS (
      SELECT DISTINCT c.id AS campaign_id, p.school_id
        FROM campaigns c
        JOIN checklists ck ON ck.id = c.checklist_id
        JOIN people p ON p.office_id = c.office_id
        JOIN schools s ON s.id = p.school_id
       WHERE c.id = ANY(${ids}::uuid[]) AND ${countedSubject()}),
    resp AS (
      SELECT DISTINCT ON (r.campaign_id, r.school_id) r.id, r.campaign_id, r.school_id, r.status
        FROM responses r
       WHERE r.campaign_id = ANY(${ids}::uuid[]) AND r.school_id IS NOT NULL
       ORDER BY r.campaign_id, r.school_id, (r.status = 'submitted') DESC, r.submitted_at DESC NULLS LAST, r.id),
    subj AS (
      SELECT campaign_id, school_id FROM aud
      UNION SELECT campaign_id, school_id FROM resp WHERE status = 'submitted')
    SELECT subj.campaign_id, s.id AS school_id, s.code, s.name_th AS name, cl.name_th AS cluster,
           EXISTS (SELECT 1 FROM aud WHERE aud.campaign_id = subj.campaign_id AND aud.school_id = s.id)
             AS in_audience,
           resp.status,
           CASE WHEN resp.status = 'submitted' THEN
             (SELECT jsonb_object_agg(a.item_key, a.value) FROM answers a
               WHERE a.response_id = resp.id AND a.repeat_index = 0
                 AND a.item_key ~ '^s[0-9]+_(level|target|strengths|improve)$') END AS answers
      FROM subj
      JOIN schools s ON s.id = subj.school_id
      LEFT JOIN clusters cl ON cl.id = s.cluster_id
      LEFT JOIN resp ON resp.campaign_id = subj.campaign_id AND resp.school_id = s.id
     ORDER BY subj.campaign_id, s.code`,
  );
}

/**
 * For the weekly digest: each office's SAR campaigns whose due date fell in the previous week of the office's
 * calendar (Monday to Sunday, local time), so exactly one Monday digest carries each one's synthesis, whichever
 * tick of that Monday plans it.
 */
export async function sarCampaignsDueLastWeek(db: Db, officeIds: string[], at: string): Promise<SarCampaignRow[]> {
  if (officeIds.length === 0) return [];
  return queryRows<SarCampaignRow>(
    db,
    sql`${head}, 0 AS others
          FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id JOIN offices o ON o.id = c.office_id
          CROSS JOIN LATERAL (
            SELECT date_trunc('week', ${at}::timestamptz AT TIME ZONE o.time_zone) AT TIME ZONE o.time_zone AS wk) w
         WHERE c.office_id = ANY(${sql.param(officeIds)}::uuid[]) AND ${isSar}
           AND c.due_at >= w.wk - interval '7 days' AND c.due_at < w.wk
         ORDER BY c.office_id, c.due_at, c.title_th`,
  );
}

/** The office a campaign belongs to (the CLI names only the campaign); undefined for an unknown or malformed id. */
export async function campaignOffice(db: Db, campaignId: string): Promise<string | undefined> {
  if (!isUuid(campaignId)) return undefined;
  const rows = await queryRows<{ office_id: string }>(
    db,
    sql`SELECT office_id FROM campaigns WHERE id = ${campaignId}::uuid`,
  );
  return rows[0]?.office_id;
}
