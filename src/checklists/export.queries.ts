// SQL for exports: a campaign's responses with their answers, one row per response, in one statement.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { AnswerValue } from './answers.js';

export interface ExportRow extends Record<string, unknown> {
  response_id: string;
  /** The checklist version the response is pinned to (absent in rows built by hand in tests). */
  checklist_id?: string;
  status: string;
  submitted_at: string | null;
  school_code: string | null;
  school_name: string | null;
  cluster_name: string | null;
  respondent: string | null;
  answers: { k: string; r: number; v: AnswerValue }[] | null;
}

export interface CampaignHead extends Record<string, unknown> {
  id: string;
  title_th: string;
  checklist_id: string;
  key: string;
  version: number;
  definition: unknown;
}

export async function campaignHead(db: Db, officeId: string, campaignId: string): Promise<CampaignHead | undefined> {
  const rows = await queryRows<CampaignHead>(
    db,
    sql`SELECT cp.id, cp.title_th, ck.id AS checklist_id, ck.key, ck.version, ck.definition
          FROM campaigns cp JOIN checklists ck ON ck.id = cp.checklist_id
         WHERE cp.id = ${campaignId} AND cp.office_id = ${officeId} AND NOT cp.system`,
  );
  return rows[0];
}

export async function campaignResponses(db: Db, campaignId: string): Promise<ExportRow[]> {
  return queryRows<ExportRow>(
    db,
    sql`SELECT r.id AS response_id, r.checklist_id, r.status, r.submitted_at, s.code AS school_code, s.name_th AS school_name,
               c.name_th AS cluster_name, p.display_name AS respondent,
               (SELECT json_agg(json_build_object('k', a.item_key, 'r', a.repeat_index, 'v', a.value))
                  FROM answers a WHERE a.response_id = r.id) AS answers
          FROM responses r
          LEFT JOIN schools s ON s.id = r.school_id
          LEFT JOIN clusters c ON c.id = s.cluster_id
          LEFT JOIN people p ON p.id = r.started_by
         WHERE r.campaign_id = ${campaignId}
         ORDER BY s.code NULLS LAST, p.display_name, r.id`,
  );
}

/** The definitions a campaign's export needs: its own version and any other its responses are pinned to. */
export async function campaignVersions(
  db: Db,
  campaignId: string,
): Promise<{ id: string; version: number; definition: unknown }[]> {
  return queryRows<{ id: string; version: number; definition: unknown }>(
    db,
    sql`SELECT ck.id, ck.version, ck.definition FROM checklists ck
         WHERE ck.id = (SELECT checklist_id FROM campaigns WHERE id = ${campaignId})
            OR ck.id IN (SELECT DISTINCT checklist_id FROM responses WHERE campaign_id = ${campaignId})
         ORDER BY ck.version`,
  );
}
