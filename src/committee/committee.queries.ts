// The office's ก.ต.ป.น. committee (seed 004): its members, meetings (invitations and reminders through the outbox's
// enqueue API, attendance answered in chat as a committee-only campaign), minutes, resolutions (follow-ups in
// src/tasks/) and the monitoring plan. Every statement is one set-based query; nothing loops over people.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { likePattern } from '../web/web.queries.js';
import { queryRows } from '../db/client.js';
import { enqueueItems, reachable, withdrawCte } from '../outbox/enqueue.queries.js';
import type { NoticeItem } from '../outbox/bundle.js';
import { iso } from '../admin/admin.queries.js';
import { localDate, thaiLongDate, thaiTime } from '../time/thai.js';
import { addDays, localInstant } from '../time/zone.js';

export interface MemberView extends Record<string, unknown> {
  personId: string;
  displayName: string;
  role: string;
  committeeRole: string;
  schoolNameTh: string | null;
  linked: boolean;
}

export async function upsertMembers(
  db: Db,
  officeId: string,
  members: { personId: string; committeeRole: string }[],
): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH up AS (
          INSERT INTO committee_members (person_id, office_id, committee_role)
          SELECT p.id, p.office_id, m.committee_role
            FROM unnest(${sql.param(members.map((m) => m.personId))}::uuid[],
                        ${sql.param(members.map((m) => m.committeeRole))}::text[]) AS m(person_id, committee_role)
            JOIN people p ON p.id = m.person_id AND p.office_id = ${officeId}::uuid AND p.status <> 'erased'
          ON CONFLICT (person_id) DO UPDATE SET committee_role = excluded.committee_role
          RETURNING 1)
        SELECT count(*)::int AS n FROM up`,
  );
  return rows[0]?.n ?? 0;
}

export async function removeMember(db: Db, officeId: string, personId: string): Promise<boolean> {
  const rows = await queryRows<{ person_id: string }>(
    db,
    sql`DELETE FROM committee_members WHERE office_id = ${officeId}::uuid AND person_id = ${personId}::uuid
        RETURNING person_id`,
  );
  return rows.length > 0;
}

export async function listMembers(db: Db, officeId: string): Promise<MemberView[]> {
  return queryRows<MemberView>(
    db,
    sql`SELECT p.id AS "personId", p.display_name AS "displayName", p.role, cm.committee_role AS "committeeRole",
               s.name_th AS "schoolNameTh", (p.line_user_id IS NOT NULL) AS linked
          FROM committee_members cm JOIN people p ON p.id = cm.person_id LEFT JOIN schools s ON s.id = p.school_id
         WHERE cm.office_id = ${officeId}::uuid AND p.status <> 'erased'
         ORDER BY CASE cm.committee_role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 2 ELSE 1 END, p.display_name`,
  );
}

/**
 * Who the secretary may pick as a member or a resolution's owner on the web: the office's own staff (no school),
 * outside experts (role committee) and the members already in, whose name or staff id holds `q`, by name; at most
 * `limit` (the picker reads one more to know the search should be narrowed). Principals and teachers are added
 * through the API or import by id; a list of a whole office's schools' people would be unusable.
 */
export async function memberCandidates(
  db: Db,
  officeId: string,
  q: string,
  limit: number,
): Promise<{ id: string; displayName: string; role: Role; externalId: string | null; schoolName: string | null }[]> {
  const pat = likePattern(q);
  return queryRows(
    db,
    sql`SELECT p.id, p.display_name AS "displayName", p.role, p.external_id AS "externalId", s.name_th AS "schoolName"
          FROM people p LEFT JOIN schools s ON s.id = p.school_id
         WHERE p.office_id = ${officeId}::uuid AND p.status <> 'erased'
           AND (p.school_id IS NULL OR p.role = 'committee'
                OR EXISTS (SELECT 1 FROM committee_members cm WHERE cm.person_id = p.id))
           AND (p.display_name ILIKE ${pat} OR p.external_id ILIKE ${pat})
         ORDER BY p.display_name, p.id LIMIT ${limit}`,
  );
}

/** Which of these people are committee members of the office (resolution owners must be members or staff). */
export async function peopleOfOffice(db: Db, officeId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM people WHERE office_id = ${officeId}::uuid AND id = ANY(${sql.param(ids)}::uuid[])
          AND status <> 'erased'`,
  );
  return new Set(rows.map((r) => r.id));
}

export interface MeetingInput {
  titleTh: string;
  startsAt: string;
  placeTh: string;
  agenda: { titleTh: string }[];
  documents: { titleTh: string; url: string }[];
}

export interface MeetingView extends Record<string, unknown> {
  id: string;
  titleTh: string;
  startsAt: string;
  placeTh: string;
  agenda: { titleTh: string }[];
  documents: { titleTh: string; url: string }[];
  minutesTh: string | null;
  status: 'planned' | 'held' | 'cancelled';
  campaignId: string | null;
  /** Members' answers in chat: attending, not attending, not answered. */
  attendance: { attend: number; absent: number; unanswered: number };
}

export async function insertMeeting(
  db: Db,
  officeId: string,
  m: MeetingInput & { id: string; campaignId: string },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO committee_meetings (id, office_id, title_th, starts_at, place_th, agenda, documents, campaign_id)
    VALUES (${m.id}::uuid, ${officeId}::uuid, ${m.titleTh}, ${m.startsAt}::timestamptz, ${m.placeTh},
            ${JSON.stringify(m.agenda)}::jsonb, ${JSON.stringify(m.documents)}::jsonb, ${m.campaignId}::uuid)`);
}

/**
 * Queues a meeting's notices for every member who can be told: the invitation now (with the attendance button),
 * a reminder the day before and one on the day (in the office's zone `tz`), each in the member's daily bundle.
 * Keys `ktpn:<meeting>:<slot>`.
 */
export async function queueMeetingNotices(
  db: Db,
  officeId: string,
  m: MeetingInput & { id: string; campaignId: string },
  now: number,
  tz: string,
): Promise<number> {
  const at = Date.parse(m.startsAt);
  const when = `${thaiLongDate(at, tz)} เวลา ${thaiTime(at, tz)} น. ณ ${m.placeTh}`;
  const agenda = m.agenda.map((a, i) => `${i + 1}. ${a.titleTh}`).join('\n');
  // The meeting's day and the one before, from midnight in the office's zone.
  const meetingDay = localDate(at, tz);
  const day = localInstant(meetingDay, 0, 0, tz);
  const slots: { slot: string; item: NoticeItem; dueAt: number }[] = [
    {
      slot: 'invite',
      item: {
        k: 'notice',
        t: `หนังสือเชิญประชุม: ${m.titleTh}`,
        text: `${when}${agenda === '' ? '' : `\nระเบียบวาระ\n${agenda}`}\nโปรดตอบรับการเข้าประชุม`,
        c: m.campaignId,
      },
      dueAt: now,
    },
    {
      slot: 'eve',
      item: { k: 'notice', t: `พรุ่งนี้ประชุม: ${m.titleTh}`, text: when, c: m.campaignId },
      dueAt: localInstant(addDays(meetingDay, -1), 0, 0, tz),
    },
    { slot: 'day', item: { k: 'notice', t: `วันนี้ประชุม: ${m.titleTh}`, text: when }, dueAt: day },
  ];
  const due = slots.filter((s, i) => i === 0 || s.dueAt > now);
  return enqueueItems(
    db,
    sql`SELECT p.office_id, p.id AS person_id, 'ktpn:' || ${m.id} || ':' || x.slot AS key, 'notice' AS kind,
               x.data, x.due_at, NULL::timestamptz AS urgent_by
          FROM committee_members cm JOIN people p ON p.id = cm.person_id
          CROSS JOIN unnest(${sql.param(due.map((s) => s.slot))}::text[],
                            ${sql.param(due.map((s) => JSON.stringify(s.item)))}::jsonb[],
                            ${sql.param(due.map((s) => new Date(s.dueAt).toISOString()))}::timestamptz[])
               AS x(slot, data, due_at)
         WHERE cm.office_id = ${officeId}::uuid AND ${reachable('p')}`,
  );
}

/** A meeting cancelled: its notices not yet bundled are withdrawn (the caller tells the members). */
export async function withdrawMeetingNotices(db: Db, meetingId: string): Promise<void> {
  await db.execute(sql`WITH ${withdrawCte(sql.raw('gone'), `ktpn:${meetingId}:`, sql`true`)} SELECT 1`);
}

const meetingCols = sql`m.id, m.title_th AS "titleTh", ${iso(sql`m.starts_at`)} AS "startsAt", m.place_th AS "placeTh",
  m.agenda, m.documents, m.minutes_th AS "minutesTh", m.status, m.campaign_id AS "campaignId",
  json_build_object(
    'attend', (SELECT count(*) FROM responses r JOIN answers a ON a.response_id = r.id AND a.item_key = 'attend'
                WHERE r.campaign_id = m.campaign_id AND a.value = '"yes"'::jsonb),
    'absent', (SELECT count(*) FROM responses r JOIN answers a ON a.response_id = r.id AND a.item_key = 'attend'
                WHERE r.campaign_id = m.campaign_id AND a.value = '"no"'::jsonb),
    'unanswered', (SELECT count(*) FROM committee_members cm
                    WHERE cm.office_id = m.office_id
                      AND NOT EXISTS (SELECT 1 FROM responses r JOIN answers a ON a.response_id = r.id
                                       WHERE r.campaign_id = m.campaign_id AND r.subject_key = cm.person_id
                                         AND a.item_key = 'attend'))) AS attendance`;

export async function listMeetings(db: Db, officeId: string, id?: string): Promise<MeetingView[]> {
  return queryRows<MeetingView>(
    db,
    sql`SELECT ${meetingCols} FROM committee_meetings m
         WHERE m.office_id = ${officeId}::uuid ${id === undefined ? sql`` : sql`AND m.id = ${id}::uuid`}
         ORDER BY m.starts_at DESC, m.id LIMIT 500`,
  );
}

/** Each member's answer to a meeting's attendance (what the secretary prints as the list). */
export async function meetingAttendance(
  db: Db,
  officeId: string,
  meetingId: string,
): Promise<
  { personId: string; displayName: string; committeeRole: string; attend: string | null; delegate: string | null }[]
> {
  return queryRows(
    db,
    sql`SELECT p.id AS "personId", p.display_name AS "displayName", cm.committee_role AS "committeeRole",
               (SELECT a.value #>> '{}' FROM responses r JOIN answers a ON a.response_id = r.id AND a.item_key = 'attend'
                 WHERE r.campaign_id = m.campaign_id AND r.subject_key = p.id) AS attend,
               (SELECT a.value #>> '{}' FROM responses r JOIN answers a ON a.response_id = r.id AND a.item_key = 'delegate'
                 WHERE r.campaign_id = m.campaign_id AND r.subject_key = p.id) AS delegate
          FROM committee_meetings m
          JOIN committee_members cm ON cm.office_id = m.office_id
          JOIN people p ON p.id = cm.person_id AND p.status <> 'erased'
         WHERE m.office_id = ${officeId}::uuid AND m.id = ${meetingId}::uuid
         ORDER BY p.display_name`,
  );
}

export async function patchMeeting(
  db: Db,
  officeId: string,
  id: string,
  p: { minutesTh?: string | undefined; status?: 'held' | 'cancelled' | undefined; now: string },
): Promise<{ campaignId: string | null } | undefined> {
  const sets = [
    p.minutesTh === undefined ? null : sql`minutes_th = ${p.minutesTh}`,
    p.status === undefined ? null : sql`status = ${p.status}`,
  ].filter((s) => s !== null);
  const rows = await queryRows<{ campaign_id: string | null }>(
    db,
    sql`UPDATE committee_meetings SET ${sets.length === 0 ? sql`id = id` : sql.join(sets, sql`, `)}
         WHERE office_id = ${officeId}::uuid AND id = ${id}::uuid RETURNING campaign_id`,
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  // Held or cancelled: the attendance campaign closes (no more reminders to answer it).
  if (p.status !== undefined && row.campaign_id !== null) {
    await db.execute(sql`UPDATE campaigns SET closed_at = coalesce(closed_at, ${p.now}::timestamptz)
                          WHERE id = ${row.campaign_id}::uuid`);
  }
  return { campaignId: row.campaign_id };
}

// ── The monitoring plan ──

export interface PlanItemInput {
  academicYear: number;
  area: string;
  titleTh: string;
  tools: string[];
  startsOn: string;
  endsOn: string;
}

export async function insertPlanItems(db: Db, officeId: string, items: PlanItemInput[]): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH ins AS (
          INSERT INTO committee_plan_items (office_id, academic_year, area, title_th, tools, starts_on, ends_on)
          SELECT ${officeId}::uuid, y, area, title_th, ARRAY(SELECT jsonb_array_elements_text(tools)), s, e
            FROM unnest(${sql.param(items.map((i) => i.academicYear))}::smallint[],
                        ${sql.param(items.map((i) => i.area))}::text[], ${sql.param(items.map((i) => i.titleTh))}::text[],
                        ${sql.param(items.map((i) => JSON.stringify(i.tools)))}::jsonb[],
                        ${sql.param(items.map((i) => i.startsOn))}::date[], ${sql.param(items.map((i) => i.endsOn))}::date[])
              AS t(y, area, title_th, tools, s, e)
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return rows[0]?.n ?? 0;
}

export async function listPlan(db: Db, officeId: string, year: number | undefined) {
  return queryRows<{
    id: string;
    academicYear: number;
    area: string;
    titleTh: string;
    tools: string[];
    startsOn: string;
    endsOn: string;
  }>(
    db,
    sql`SELECT id, academic_year AS "academicYear", area, title_th AS "titleTh", tools,
               to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
          FROM committee_plan_items
         WHERE office_id = ${officeId}::uuid ${year === undefined ? sql`` : sql`AND academic_year = ${year}`}
         ORDER BY academic_year, CASE area WHEN 'academic' THEN 0 WHEN 'personnel' THEN 1 WHEN 'budget' THEN 2 ELSE 3 END,
                  starts_on, id
         LIMIT 1000`,
  );
}

/**
 * What the secretary reports to the committee (seed 004 §1.4, §3.3): meetings held and planned, resolutions open,
 * done and overdue, and the plan's items per area: one statement.
 */
export async function committeeSummary(db: Db, officeId: string, today: string) {
  const rows = await queryRows<{
    members: number;
    meetingsHeld: number;
    meetingsPlanned: number;
    resolutionsOpen: number;
    resolutionsDone: number;
    resolutionsOverdue: number;
    planByArea: Record<string, number> | null;
  }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM committee_members WHERE office_id = ${officeId}::uuid) AS members,
               (SELECT count(*)::int FROM committee_meetings WHERE office_id = ${officeId}::uuid AND status = 'held')
                 AS "meetingsHeld",
               (SELECT count(*)::int FROM committee_meetings WHERE office_id = ${officeId}::uuid AND status = 'planned')
                 AS "meetingsPlanned",
               (SELECT count(*)::int FROM office_tasks WHERE office_id = ${officeId}::uuid AND source = 'resolution'
                   AND status = 'open') AS "resolutionsOpen",
               (SELECT count(*)::int FROM office_tasks WHERE office_id = ${officeId}::uuid AND source = 'resolution'
                   AND status = 'done') AS "resolutionsDone",
               (SELECT count(*)::int FROM office_tasks WHERE office_id = ${officeId}::uuid AND source = 'resolution'
                   AND status = 'open' AND due_on < ${today}::date) AS "resolutionsOverdue",
               (SELECT json_object_agg(area, n) FROM (SELECT area, count(*)::int AS n FROM committee_plan_items
                  WHERE office_id = ${officeId}::uuid GROUP BY area) a) AS "planByArea"`,
  );
  return rows[0];
}
