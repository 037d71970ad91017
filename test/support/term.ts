// A simulated office term run through the real tick and the fake LINE server: an office of schools with a principal
// and teachers each, a main supervisor per network and a director, everyone linked; a needs survey for teachers and
// a SAR for principals, both announced when they open; a visit round from the annual plan; teachers and principals
// submitting on weekday mornings (their supervisors' notices queued as the chat queues them); a holiday. Pushes are
// counted as LINE counts them (a multicast per recipient), per person and Bangkok day. Used by
// test/reminders/term.test.ts (small) and bench/term.ts (about 120 schools and 1,500 teachers).
import { sql } from 'drizzle-orm';
import { upsertOffice } from '../../src/admin/admin.queries.js';
import { syncBuiltins } from '../../src/checklists/builtin-files.js';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { ENV_CHANNEL_ID } from '../../src/line/channels.js';
import { enqueueItems } from '../../src/outbox/enqueue.queries.js';
import { tick } from '../../src/scheduler/tick.js';
import type { Harness } from './harness.js';
import { msg } from '../../src/i18n/msg.js';

export interface TermOptions {
  schools: number;
  teachersPerSchool: number;
  weeks: number;
  /** Share of the still-pending teachers (principals for the SAR) who submit on a weekday morning. */
  submitRate?: number;
  /** Local hours at which the tick runs each day (default every hour 05:00-20:00). */
  hours?: number[];
  /** Called after each simulated day, for progress. */
  onDay?: (day: string) => void;
}

export interface TermResult {
  people: number;
  days: number;
  ticks: number;
  /** Pushes as LINE counts them: a push is one, a multicast one per recipient. */
  pushes: number;
  /** Requests made (a multicast is one). */
  requests: number;
  /** The most pushes one person got on one Bangkok day (the rule: 1). */
  maxPerPersonDay: number;
  /** The most pushes one person got in the term, and the mean per person. */
  maxPerPerson: number;
  meanPerPerson: number;
  submitted: number;
  visits: number;
  /** Items bundled by kind over the term. */
  items: Record<string, number>;
  /** Milliseconds the ticks took, in all and at most. */
  tickMs: number;
  maxTickMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2 November 2026, 00:00 in Bangkok: the term's first day. */
export const TERM_START = Date.parse('2026-11-01T17:00:00Z');

const bangkokDay = (at: number) => new Date(at + 7 * HOUR).toISOString().slice(0, 10);

export async function simulateTerm(h: Harness, o: TermOptions): Promise<TermResult> {
  const db = h.db.db;
  const rate = o.submitRate ?? 0.06;
  h.clock.now = TERM_START - DAY;
  const office = await upsertOffice(db, {
    code: `TERM${Date.now() % 100_000}`,
    nameTh: 'สพป.จำลองภาคเรียน',
    nameEn: null,
  });
  const oid = office.id;
  const clusters = Math.max(1, Math.round(o.schools / 12));
  await db.execute(sql`
    INSERT INTO clusters (office_id, code, name_th)
    SELECT ${oid}::uuid, 'K' || c, 'เครือข่ายจำลอง ' || c FROM generate_series(1, ${clusters}) c`);
  await db.execute(sql`
    INSERT INTO schools (office_id, cluster_id, code, name_th)
    SELECT ${oid}::uuid, cl.id, 'T' || lpad(k::text, 6, '0'), 'โรงเรียนจำลอง ' || k
      FROM generate_series(1, ${o.schools}) k
      JOIN clusters cl ON cl.office_id = ${oid}::uuid AND cl.code = 'K' || (1 + (k - 1) % ${clusters})`);
  // Reminder hours as people set them: most at 08:00, some earlier or later.
  await db.execute(sql`
    INSERT INTO people (office_id, role, school_id, display_name, external_id, status, channel_id, line_user_id,
                        linked_at, reminder_hour)
    SELECT ${oid}::uuid, r.role, r.school_id, r.name, r.ext, 'active', ${ENV_CHANNEL_ID}, 'U' || md5(r.ext),
           now(), (ARRAY[8, 8, 8, 7, 9, 12])[1 + abs(hashtext(r.ext)) % 6]
      FROM (
        SELECT 'principal' AS role, s.id AS school_id, 'ผอ.จำลอง ' || s.code AS name, 'p-' || s.code AS ext
          FROM schools s WHERE s.office_id = ${oid}::uuid
        UNION ALL
        SELECT 'teacher', s.id, 'ครูจำลอง ' || s.code || '-' || t, 't-' || s.code || '-' || t
          FROM schools s CROSS JOIN generate_series(1, ${o.teachersPerSchool}) t WHERE s.office_id = ${oid}::uuid
        UNION ALL
        SELECT 'supervisor', NULL, 'ศน.จำลอง ' || c.code, 'sup-' || c.code FROM clusters c WHERE c.office_id = ${oid}::uuid
        UNION ALL
        SELECT 'director', NULL, 'ผอ.เขตจำลอง', 'dir-' || ${oid}) r`);
  await db.execute(sql`
    INSERT INTO supervisor_assignments (office_id, supervisor_id, cluster_id, kind)
    SELECT ${oid}::uuid, p.id, c.id, 'main' FROM clusters c JOIN people p ON p.external_id = 'sup-' || c.code
     WHERE c.office_id = ${oid}::uuid AND p.office_id = ${oid}::uuid`);
  // A public holiday in the third week.
  await db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, roles)
    VALUES (${oid}::uuid, 'holiday', 'วันหยุดจำลอง', ${bangkokDay(TERM_START + 16 * DAY)}::date,
            ${bangkokDay(TERM_START + 16 * DAY)}::date, '{}')`);

  await syncBuiltins(db);
  const survey = await findChecklist(db, oid, 'needs-survey');
  const sar = await findChecklist(db, oid, 'sar-basic');
  if (survey === undefined || sar === undefined) throw new Error('built-in checklists missing');
  const surveyId = (
    await upsertCampaign(db, {
      officeId: oid,
      checklistId: survey.id,
      titleTh: 'สำรวจความต้องการการนิเทศ (จำลอง)',
      roles: ['teacher'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(TERM_START + 7 * HOUR).toISOString(),
      dueAt: new Date(TERM_START + 18 * DAY + 17 * HOUR - 1).toISOString(),
      announce: true,
    })
  ).id;
  const sarId = (
    await upsertCampaign(db, {
      officeId: oid,
      checklistId: sar.id,
      titleTh: 'รายงานการประเมินตนเองของสถานศึกษา (จำลอง)',
      roles: ['principal'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(TERM_START + 14 * DAY + 7 * HOUR).toISOString(),
      dueAt: new Date(TERM_START + Math.min(o.weeks * 7 - 3, 60) * DAY + 17 * HOUR - 1).toISOString(),
      announce: true,
    })
  ).id;
  // The visit round, from the annual plan: each school once, on a weekday 09:30 from the third week on.
  await db.execute(sql`
    INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, source)
    SELECT gen_random_uuid(), ${oid}::uuid, s.id, sp.id,
           ${new Date(TERM_START).toISOString()}::timestamptz
             + make_interval(days => 14 + 7 * ((k / 5) % ${Math.max(1, o.weeks - 3)}) + (k % 5), mins => 150),
           'นิเทศการจัดการเรียนรู้', 'plan'
      FROM (SELECT s.*, row_number() OVER (ORDER BY s.code)::int - 1 AS k FROM schools s WHERE s.office_id = ${oid}::uuid) s
      JOIN people sp ON sp.external_id = 'sup-' || (SELECT code FROM clusters WHERE id = s.cluster_id)
     WHERE sp.office_id = ${oid}::uuid`);

  const people = await queryRows<{ id: string; line: string; role: string }>(
    db,
    sql`SELECT id, line_user_id AS line, role FROM people WHERE office_id = ${oid}::uuid`,
  );
  const perDay = new Map<string, number>();
  const perPerson = new Map<string, number>();
  let seen = h.line.pushes().length;
  let ticks = 0;
  let tickMs = 0;
  let maxTickMs = 0;
  let requests = 0;
  const days = o.weeks * 7;
  for (let d = 0; d < days; d++) {
    const dayStart = TERM_START + d * DAY;
    const weekday = new Date(dayStart + 7 * HOUR).getUTCDay() % 6 !== 0;
    for (const hour of o.hours ?? Array.from({ length: 16 }, (_, i) => i + 5)) {
      const at = dayStart + hour * HOUR + 60_000;
      h.clock.now = at;
      if (weekday && hour === 10) await submissions(h, oid, surveyId, sarId, at, rate);
      const started = performance.now();
      await tick(h.deps, at);
      const ms = performance.now() - started;
      ticks++;
      tickMs += ms;
      maxTickMs = Math.max(maxTickMs, ms);
      const pushes = h.line.pushes();
      for (const r of pushes.slice(seen)) {
        requests++;
        const b = r.body as { to: string | string[] };
        for (const to of Array.isArray(b.to) ? b.to : [b.to]) {
          const k = `${to} ${bangkokDay(at)}`;
          perDay.set(k, (perDay.get(k) ?? 0) + 1);
          perPerson.set(to, (perPerson.get(to) ?? 0) + 1);
        }
      }
      seen = pushes.length;
    }
    o.onDay?.(bangkokDay(dayStart + 12 * HOUR));
  }
  const counts = await queryRows<{ submitted: number; visits: number; items: Record<string, number> | null }>(
    db,
    sql`SELECT (SELECT count(*) FROM responses WHERE office_id = ${oid}::uuid AND status = 'submitted')::int AS submitted,
               (SELECT count(*) FROM visits WHERE office_id = ${oid}::uuid)::int AS visits,
               (SELECT jsonb_object_agg(kind, n) FROM (
                  SELECT kind, count(*)::int AS n FROM outbox_items
                   WHERE office_id = ${oid}::uuid AND bundled_on IS NOT NULL GROUP BY kind) k) AS items`,
  );
  const total = [...perPerson.values()].reduce((a, b) => a + b, 0);
  return {
    people: people.length,
    days,
    ticks,
    pushes: total,
    requests,
    maxPerPersonDay: Math.max(0, ...perDay.values()),
    maxPerPerson: Math.max(0, ...perPerson.values()),
    meanPerPerson: total / Math.max(1, people.length),
    submitted: counts[0]?.submitted ?? 0,
    visits: counts[0]?.visits ?? 0,
    items: counts[0]?.items ?? {},
    tickMs,
    maxTickMs,
  };
}

/**
 * A weekday morning's submissions, set-based: a share of those still pending submit (the pending-assignment
 * triggers take them off), and each school's main supervisor gets the chat's notice item, as the submitResponse and
 * notifySupervisors effects write them.
 */
async function submissions(h: Harness, oid: string, surveyId: string, sarId: string, at: number, rate: number) {
  const db = h.db.db;
  const iso = new Date(at).toISOString();
  const rows = await queryRows<{ id: string; school_id: string; who: string; school: string; title: string }>(
    db,
    sql`INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, started_by, status,
                               started_at, submitted_at, updated_at)
        SELECT gen_random_uuid(), pa.office_id, pa.campaign_id, c.checklist_id, pa.subject_key, pa.school_id,
               coalesce(pa.person_id, (SELECT id FROM people WHERE school_id = pa.school_id AND role = 'principal' LIMIT 1)),
               'submitted', ${iso}::timestamptz, ${iso}::timestamptz, ${iso}::timestamptz
          FROM pending_assignments pa JOIN campaigns c ON c.id = pa.campaign_id
         WHERE pa.campaign_id IN (${surveyId}::uuid, ${sarId}::uuid) AND c.opens_at <= ${iso}::timestamptz
           AND abs(hashtext(pa.subject_key::text || ${iso})) % 1000 < ${Math.round(rate * 1000)}
        ON CONFLICT (campaign_id, subject_key) DO NOTHING
        RETURNING id, school_id,
                  (SELECT display_name FROM people WHERE id = started_by) AS who,
                  (SELECT name_th FROM schools WHERE id = school_id) AS school,
                  (SELECT title_th FROM campaigns WHERE id = campaign_id) AS title`,
  );
  if (rows.length === 0) return;
  const notices = JSON.stringify(
    rows.map((r) => ({
      school_id: r.school_id,
      key: `submitted:${r.id}`,
      text: msg.checklist.supervisorNotice(r.who, r.school, r.title),
    })),
  );
  await enqueueItems(
    db,
    sql`SELECT DISTINCT ON (sp.id, x.key) sp.office_id, sp.id AS person_id, x.key, 'submitted' AS kind,
               jsonb_build_object('k', 'submitted', 'text', x.text) AS data, ${iso}::timestamptz AS due_at,
               NULL::timestamptz AS urgent_by
          FROM jsonb_to_recordset(${notices}::jsonb) AS x(school_id uuid, key text, text text)
          JOIN schools s ON s.id = x.school_id
          JOIN supervisor_assignments sa ON (sa.school_id = s.id OR sa.cluster_id = s.cluster_id) AND sa.kind = 'main'
          JOIN people sp ON sp.id = sa.supervisor_id
         WHERE sp.office_id = ${oid}::uuid AND sp.status = 'active' AND sp.line_user_id IS NOT NULL`,
  );
}
