// The read behind "ขอสำเนาข้อมูลของฉัน": everything held about one person, in one round trip.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';
import type { PersonalDataView } from '../i18n/pdpa.th.js';

/** Campaigns listed by title; the totals count every campaign. */
const COPY_CAMPAIGNS_LIMIT = 20;

interface Row extends Record<string, unknown> {
  name: string;
  role: Role;
  school: string | null;
  office: string;
  linked_at: string | null;
  notice_at: string | null;
  muted: boolean;
  reminder_hour: number;
  responses: number;
  answers: number;
  evidence: number;
  campaigns: { title: string; responses: number; answers: number; evidence: number }[] | null;
  campaign_count: number;
  feedback_written: number;
  feedback_answered: number;
  feedback_replies: number;
}

export async function personalData(
  db: Db,
  personId: string,
): Promise<(PersonalDataView & { campaignCount: number }) | null> {
  const rows = await queryRows<Row>(
    db,
    sql`
    WITH me AS (
      SELECT p.id, p.display_name, p.role, s.name_th AS school, o.name_th AS office, p.linked_at, p.privacy_notice_at,
             p.muted, p.reminder_hour
        FROM people p JOIN offices o ON o.id = p.office_id LEFT JOIN schools s ON s.id = p.school_id
       WHERE p.id = ${personId}::uuid AND p.status <> 'erased'),
    mine AS (
      SELECT r.id, r.campaign_id, r.started_by = (SELECT id FROM me) AS started
        FROM responses r
       WHERE r.started_by = (SELECT id FROM me)
          OR EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id AND a.answered_by = (SELECT id FROM me))),
    per AS (
      SELECT m.campaign_id,
             count(*) FILTER (WHERE m.started)::int AS responses,
             coalesce(sum((SELECT count(*) FROM answers a
                            WHERE a.response_id = m.id AND a.answered_by = (SELECT id FROM me))), 0)::int AS answers,
             coalesce(sum((SELECT count(*) FROM evidence_files e WHERE e.response_id = m.id) )
                      FILTER (WHERE m.started), 0)::int AS evidence
        FROM mine m GROUP BY m.campaign_id),
    -- SAR feedback the person acknowledged or replied to (a reply is audited by who wrote it).
    fb_mine AS (
      SELECT f.id FROM sar_feedback f
       WHERE f.acknowledged_by = (SELECT id FROM me)
          OR f.id::text IN (SELECT a.target_id FROM audit_log a
                             WHERE a.action = 'sar.feedback.reply' AND a.actor = 'person:' || (SELECT id FROM me)::text))
    SELECT me.display_name AS name, me.role, me.school, me.office, me.linked_at, me.privacy_notice_at AS notice_at,
           me.muted, me.reminder_hour,
           (SELECT coalesce(sum(responses), 0)::int FROM per) AS responses,
           (SELECT coalesce(sum(answers), 0)::int FROM per) AS answers,
           (SELECT coalesce(sum(evidence), 0)::int FROM per) AS evidence,
           (SELECT count(*)::int FROM per) AS campaign_count,
           (SELECT count(*)::int FROM sar_feedback f WHERE f.supervisor_id = me.id) AS feedback_written,
           (SELECT count(*)::int FROM sar_feedback f WHERE f.id IN (SELECT id FROM fb_mine)) AS feedback_answered,
           (SELECT count(*)::int FROM sar_feedback f
             WHERE f.id IN (SELECT id FROM fb_mine) AND f.reply_th IS NOT NULL) AS feedback_replies,
           (SELECT json_agg(x ORDER BY x.title)
              FROM (SELECT c.title_th AS title, per.responses, per.answers, per.evidence
                      FROM per JOIN campaigns c ON c.id = per.campaign_id
                     ORDER BY c.title_th LIMIT ${COPY_CAMPAIGNS_LIMIT}) x) AS campaigns
      FROM me`,
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    name: r.name,
    role: r.role,
    school: r.school,
    office: r.office,
    linkedAt: r.linked_at,
    noticeAt: r.notice_at,
    muted: r.muted,
    reminderHour: r.reminder_hour,
    responses: r.responses,
    answers: r.answers,
    evidence: r.evidence,
    campaigns: r.campaigns ?? [],
    campaignCount: r.campaign_count,
    feedbackWritten: r.feedback_written,
    feedbackAnswered: r.feedback_answered,
    feedbackReplies: r.feedback_replies,
  };
}
