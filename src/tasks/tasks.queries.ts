// The office's follow-ups (office_tasks): a committee resolution, an office-SAR step, an agency stage. One
// machinery: written with its reminders queued in the owner's daily bundle through the outbox's enqueue API (when
// assigned, the day before the due day and on it, each keyed per task so nothing is told twice), withdrawn when the
// task is done or moved. Pushes stay at most one per person per day: only the planner turns items into pushes.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { enqueueItems, reachable, withdrawCte } from '../outbox/enqueue.queries.js';
import type { NoticeItem } from '../outbox/bundle.js';
import { thaiLongDate } from '../time/thai.js';
import { addDays, localInstant } from '../time/zone.js';
import { iso } from '../admin/admin.queries.js';

export type TaskSource = 'resolution' | 'office_sar' | 'agency';

export interface TaskInput {
  source: TaskSource;
  sourceId: string;
  titleTh: string;
  ownerId: string | null;
  /** YYYY-MM-DD, office-local. */
  dueOn: string;
  documents?: { titleTh: string; url: string }[];
}

export interface TaskView extends Record<string, unknown> {
  id: string;
  source: TaskSource;
  sourceId: string;
  titleTh: string;
  ownerId: string | null;
  ownerName: string | null;
  dueOn: string;
  status: 'open' | 'done';
  doneAt: string | null;
  noteTh: string | null;
  documents: { titleTh: string; url: string }[];
}

const sourceTh: Record<TaskSource, string> = {
  resolution: 'มติที่ประชุม ก.ต.ป.น.',
  office_sar: 'รายงานการประเมินตนเองของสำนักงานเขต',
  agency: 'งานร่วมกับหน่วยงานอื่น',
};

/** The notices one task queues: when assigned, the day before, on the day (midnights in the office's zone `tz`). */
function reminders(
  id: string,
  t: TaskInput,
  now: number,
  tz: string,
): { key: string; item: NoticeItem; dueAt: number }[] {
  const dueAt = localInstant(t.dueOn, 0, 0, tz);
  const due = thaiLongDate(dueAt, tz);
  const head = sourceTh[t.source];
  // An agency stage ends on its project's web page (the next owner and dates are named there, after the approval the
  // manual asks for), so its reminders carry a button to that page rather than an action in chat.
  const web = t.source === 'agency' ? { ag: t.sourceId } : {};
  const out = [
    {
      key: `task:${id}:new`,
      item: { k: 'notice', t: `${head}: งานที่ท่านรับผิดชอบ`, text: `${t.titleTh} (กำหนดเสร็จ ${due})`, ...web },
      dueAt: now,
    },
    {
      key: `task:${id}:eve`,
      item: { k: 'notice', t: `${head}: ครบกำหนดพรุ่งนี้`, text: `${t.titleTh} (กำหนดเสร็จ ${due})`, ...web },
      dueAt: localInstant(addDays(t.dueOn, -1), 0, 0, tz),
    },
    {
      key: `task:${id}:due`,
      item: { k: 'notice', t: `${head}: ครบกำหนดวันนี้`, text: `${t.titleTh} (กำหนดเสร็จ ${due})`, ...web },
      dueAt,
    },
  ] satisfies { key: string; item: NoticeItem; dueAt: number }[];
  // A reminder whose day has passed already says nothing the assignment does not.
  return out.filter((r, i) => i === 0 || r.dueAt > now);
}

/** Queues the reminders of these tasks for their owners who can be told (one statement). */
async function queueReminders(
  db: Db,
  officeId: string,
  tasks: { id: string; t: TaskInput }[],
  now: number,
  tz: string,
) {
  const rows = tasks.flatMap(({ id, t }) =>
    t.ownerId === null ? [] : reminders(id, t, now, tz).map((r) => ({ ...r, ownerId: t.ownerId as string })),
  );
  if (rows.length === 0) return 0;
  return enqueueItems(
    db,
    sql`SELECT p.office_id, p.id AS person_id, i.key, 'notice' AS kind, i.data, i.due_at, NULL::timestamptz AS urgent_by
          FROM unnest(${sql.param(rows.map((r) => r.ownerId))}::uuid[], ${sql.param(rows.map((r) => r.key))}::text[],
                      ${sql.param(rows.map((r) => JSON.stringify(r.item)))}::jsonb[],
                      ${sql.param(rows.map((r) => new Date(r.dueAt).toISOString()))}::timestamptz[])
               AS i(person_id, key, data, due_at)
          JOIN people p ON p.id = i.person_id
         WHERE p.office_id = ${officeId}::uuid AND ${reachable('p')}`,
  );
}

/** Writes tasks and queues their reminders (days in the office's zone `tz`); returns the new ids in input order. */
export async function createTasks(
  db: Db,
  officeId: string,
  tasks: TaskInput[],
  now: number,
  tz: string,
): Promise<string[]> {
  if (tasks.length === 0) return [];
  const ids = tasks.map(() => crypto.randomUUID());
  await db.execute(sql`
    INSERT INTO office_tasks (id, office_id, source, source_id, title_th, owner_id, due_on, documents)
    SELECT id, ${officeId}::uuid, source, source_id, title_th, owner_id, due_on, documents
      FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(tasks.map((t) => t.source))}::text[],
                  ${sql.param(tasks.map((t) => t.sourceId))}::uuid[], ${sql.param(tasks.map((t) => t.titleTh))}::text[],
                  ${sql.param(tasks.map((t) => t.ownerId))}::uuid[], ${sql.param(tasks.map((t) => t.dueOn))}::date[],
                  ${sql.param(tasks.map((t) => JSON.stringify(t.documents ?? [])))}::jsonb[])
        AS t(id, source, source_id, title_th, owner_id, due_on, documents)`);
  await queueReminders(
    db,
    officeId,
    tasks.map((t, i) => ({ id: ids[i] as string, t })),
    now,
    tz,
  );
  return ids;
}

/** Marks a task done (with a note) and withdraws its reminders not yet bundled; false when there is no such task. */
export async function completeTask(
  db: Db,
  officeId: string,
  id: string,
  p: { noteTh: string | null; now: number },
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH done AS (
          UPDATE office_tasks SET status = 'done', done_at = coalesce(done_at, ${new Date(p.now).toISOString()}::timestamptz),
                 note_th = coalesce(${p.noteTh}, note_th)
           WHERE office_id = ${officeId}::uuid AND id = ${id}::uuid RETURNING id),
        ${withdrawCte(sql.raw('gone'), `task:${id}:`, sql`EXISTS (SELECT 1 FROM done)`)}
        SELECT id FROM done`,
  );
  return rows.length > 0;
}

/** The tasks of one source (a meeting's resolutions), or the office's open ones by due day. */
export async function listTasks(
  db: Db,
  officeId: string,
  f: { id?: string; sourceId?: string; source?: TaskSource; openOnly?: boolean },
): Promise<TaskView[]> {
  return queryRows<TaskView>(
    db,
    sql`SELECT t.id, t.source, t.source_id AS "sourceId", t.title_th AS "titleTh", t.owner_id AS "ownerId",
               p.display_name AS "ownerName", to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", t.status,
               ${iso(sql`t.done_at`)} AS "doneAt", t.note_th AS "noteTh", t.documents
          FROM office_tasks t LEFT JOIN people p ON p.id = t.owner_id
         WHERE t.office_id = ${officeId}::uuid
           ${f.id === undefined ? sql`` : sql`AND t.id = ${f.id}::uuid`}
           ${f.sourceId === undefined ? sql`` : sql`AND t.source_id = ${f.sourceId}::uuid`}
           ${f.source === undefined ? sql`` : sql`AND t.source = ${f.source}`}
           ${f.openOnly === true ? sql`AND t.status = 'open'` : sql``}
         ORDER BY t.due_on, t.created_at, t.id
         LIMIT 1000`,
  );
}
