// The web pages' cost (issue 13): for each main page, the statements one request makes when the office has 10 rows
// to show and when it has 1,000 (pages are keyset-paged, so the two must be equal), and the weight and server time
// of the heaviest page of an office of 500 schools. Offices are generated set-based (bench/reports.ts's
// benchOffice: visits with records and actions, a self-assessment and a SAR per school) plus a principal and a
// teacher per school and audit rows. Requests go through the app in-process with an ADMIN_TOKEN session, so the
// server time is the handler's, without a network. `npm run bench -- web` (DATABASE_URL, default the local server).
import { sql } from 'drizzle-orm';
import { syncBuiltins } from '../src/checklists/builtin-files.js';
import { queryRows } from '../src/db/client.js';
import { createOfficeSar, recordOfficeResults } from '../src/officesar/officesar.actions.js';
import { upsertGroups } from '../src/officesar/officesar.queries.js';
import { seedGroups } from '../src/officesar/standard.js';
import { signInCookie, startHarness, type Harness } from '../test/support/harness.js';
import { benchOffice } from './reports.js';
import { addSummary, fmt, pageRequest, withCleanups, type Cleanup } from './support.js';

interface Office {
  code: string;
  id: string;
  /** A SAR campaign, one of its responses, and a school, for the pages about one of them. */
  campaign: string;
  response: string;
  school: string;
  /** This year's office SAR (last year's beside it), and one agency project. */
  sar: string;
  agency: string;
}

/**
 * The office's own work (issue 16): `rows` office staff in the seed's eight groups, last year's office SAR with every
 * indicator entered and this year's started (its milestones and the lead group's follow-ups), `rows` agency projects.
 */
async function officeWork(h: Harness, id: string, rows: number): Promise<{ sar: string; agency: string }> {
  const db = h.db.db;
  const staff = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO people (office_id, role, display_name, external_id)
        SELECT ${id}, 'supervisor', 'ศน.ทดสอบ ' || g, 'staff-' || g FROM generate_series(1, ${rows}::int) g
        RETURNING id`,
  );
  await upsertGroups(
    db,
    id,
    seedGroups.map((g, n) => ({
      ...g,
      memberIds: staff.filter((_, i) => i % seedGroups.length === n).map((p) => p.id),
    })),
  );
  const x = { db, now: () => h.clock.now, officeId: id, actor: 'bench' };
  const last = await createOfficeSar(x, { year: 2568, startsOn: '2025-12-01' });
  await recordOfficeResults(x, last.id, {
    results: Array.from({ length: 11 }, (_, i) => ({ code: `I${i + 1}`, level: 3, resultTh: 'ผลทดสอบ' })),
  });
  const sar = await createOfficeSar(x, { year: 2569, startsOn: '2026-12-01' });
  // `rows` agency projects at their study stage, each its owner's follow-up.
  const [agency] = await queryRows<{ id: string }>(
    db,
    sql`WITH t AS (
          INSERT INTO office_tasks (office_id, source, source_id, title_th, owner_id, due_on)
          SELECT ${id}, 'agency', gen_random_uuid(), 'ศึกษา: งานร่วมทดสอบ ' || g, ${staff[0]?.id ?? null}::uuid,
                 date '2026-12-20' + (g % 30)
            FROM generate_series(1, ${rows}::int) g
          RETURNING id, source_id, title_th)
        INSERT INTO agency_projects (id, office_id, title_th, agency_th, scope, stages)
        SELECT source_id, ${id}, title_th, 'หน่วยงานทดสอบ', 'outside',
               jsonb_build_array(jsonb_build_object('stage', 'study', 'taskId', id, 'startsOn', '2026-12-01'))
          FROM t
        RETURNING id`,
  );
  return { sar: sar.id, agency: agency?.id ?? '' };
}

async function office(h: Harness, code: string, schools: number, rows: number): Promise<Office> {
  const db = h.db.db;
  const id = await benchOffice(h, code, schools);
  // A principal and a teacher per school (people, and the campaigns' audience), and `rows` audit rows.
  await db.execute(sql`
    INSERT INTO people (office_id, role, display_name, external_id, school_id)
    SELECT s.office_id, r.role, r.prefix || ' ' || s.code, r.role || '-' || s.code, s.id
      FROM schools s, (VALUES ('principal', 'ผอ.ทดสอบ'), ('teacher', 'ครูทดสอบ')) r(role, prefix)
     WHERE s.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO audit_log (office_id, actor, action, target_type, target_id)
    SELECT ${id}, 'bench', 'bench.row', 'row', g::text FROM generate_series(1, ${rows}::int) g`);
  const [head] = await queryRows<{ campaign: string; response: string; school: string }>(
    db,
    sql`SELECT r.campaign_id AS campaign, r.id AS response, r.school_id AS school
          FROM responses r JOIN checklists ck ON ck.id = r.checklist_id AND ck.key = 'sar-basic'
         WHERE r.office_id = ${id} ORDER BY r.id LIMIT 1`,
  );
  if (head === undefined) throw new Error('no SAR response');
  await schoolAttributesAndEqa(h, id);
  return { code, id, ...head, ...(await officeWork(h, id, rows)) };
}

/**
 * Issue 16's school attributes and external assessment: every school gets levels, a size, a district and (one in
 * three) a tag; every school its IQA steps and half a scheduled date this year; one in four results for 3 standards.
 */
async function schoolAttributesAndEqa(h: Harness, id: string): Promise<void> {
  const db = h.db.db;
  await db.execute(sql`
    UPDATE schools s SET levels = CASE WHEN n % 4 = 0 THEN '{early_childhood,primary}'::text[] ELSE '{primary}'::text[] END,
           size = (ARRAY['small','medium','large','extra_large'])[n % 4 + 1], district = 'อำเภอ ' || (n % 8),
           province = 'จังหวัดทดสอบ',
           tags = CASE WHEN n % 3 = 0 THEN '{โรงเรียนคุณภาพประจำตำบล}'::text[] ELSE '{}'::text[] END
      FROM (SELECT id, row_number() OVER (ORDER BY code) AS n FROM schools WHERE office_id = ${id}) x
     WHERE s.id = x.id`);
  await db.execute(sql`
    INSERT INTO eqa_schools (school_id, office_id, iqa_steps, scheduled_on)
    SELECT s.id, s.office_id, '{standards,plan,implement,assess,follow_up}',
           CASE WHEN s.code::bigint % 2 = 0 THEN date '2027-01-15' END
      FROM schools s WHERE s.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO eqa_results (office_id, school_id, assessed_on, standard, level, recorded_by)
    SELECT s.office_id, s.id, date '2026-01-15', g, 3 + (g % 2), 'bench'
      FROM schools s, generate_series(1, 3) g WHERE s.office_id = ${id} AND s.code::bigint % 4 = 1`);
}

/** The main pages, each a path under an office. */
const PAGES: [string, (o: Office) => string][] = [
  ['dashboard', () => ''],
  ['people', () => '/people'],
  ['campaigns', () => '/campaigns'],
  ['a campaign’s completion per school', (o) => `/responses/campaigns/${o.campaign}`],
  ['a campaign’s responses', (o) => `/responses/campaigns/${o.campaign}?view=responses`],
  ['a school’s responses', (o) => `/responses/schools/${o.school}`],
  ['one response (SAR)', (o) => `/responses/${o.response}`],
  ['one school’s page', (o) => `/schools/${o.school}`],
  ['schools (issue 16)', () => '/schools'],
  [
    'schools cut by level and tag',
    () => `/schools?level=early_childhood&tag=${encodeURIComponent('โรงเรียนคุณภาพประจำตำบล')}`,
  ],
  ['edit a school', (o) => `/schools/${o.school}/edit`],
  ['external assessment (สมศ.): every school', () => '/eqa'],
  ['external assessment: ready to propose', () => '/eqa?show=propose'],
  ['one school’s external assessment', (o) => `/eqa/schools/${o.school}`],
  ['reports', () => '/reports'],
  ['exports', () => '/exports'],
  ['audit log', () => '/audit'],
  ['the ก.ต.ป.น. committee', () => '/committee'],
  ['the office SAR: years', () => '/office-sar'],
  ['the office SAR: groups', () => '/office-sar/groups'],
  // The add-member picker's search: at most 21 staff read and 20 shown whatever the office's size (and one audit row).
  ['the office SAR: groups, a person searched', () => `/office-sar/groups?who=${encodeURIComponent('ศน.ทดสอบ 1')}`],
  ['the office SAR: standard', () => '/office-sar/standard'],
  ['the office SAR: a year’s progress', (o) => `/office-sar/sars/${o.sar}`],
  ['work with other agencies', () => '/agencies'],
  ['one agency project', (o) => `/agencies/${o.agency}`],
];

async function measure(cleanups: Cleanup[]): Promise<string> {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const h = await startHarness();
  cleanups.push(() => h.close());
  await syncBuiltins(h.db.db);
  // 10 rows to show (10 schools: 10 SARs, 20 people, 10 audit rows) and 1,000 (1,000 schools: 1,000 SARs, 2,000
  // people, 1,000 audit rows); and the office of 500 schools for weight and time.
  const small = await office(h, 'W10', 10, 10);
  const large = await office(h, 'W1000', 1000, 1000);
  const mid = await office(h, 'W500', 500, 500);
  const cookie = await signInCookie(h);
  const base = (o: Office) => `/admin/offices/${o.code}`;

  const rows: string[] = [];
  let heaviest = { label: '', bytes: 0, ms: [] as number[], statements: 0 };
  let unequal = 0;
  for (const [label, path] of PAGES) {
    // Once each to warm caches (definitions, prepared plans), then measured.
    for (const o of [small, large, mid]) await pageRequest(h, cookie, base(o) + path(o));
    const a = await pageRequest(h, cookie, base(small) + path(small));
    const b = await pageRequest(h, cookie, base(large) + path(large));
    const times: number[] = [];
    let bytes = 0;
    let statements = 0;
    for (let i = 0; i < 5; i++) {
      const m = await pageRequest(h, cookie, base(mid) + path(mid));
      times.push(m.ms);
      bytes = m.bytes;
      statements = m.statements;
    }
    times.sort((x, y) => x - y);
    if (a.statements !== b.statements) unequal++;
    if (bytes > heaviest.bytes) heaviest = { label, bytes, ms: times, statements };
    rows.push(
      `| ${label} | ${a.statements} | ${b.statements} | ${a.statements === b.statements ? 'yes' : '**no**'} | ${fmt(bytes / 1024, 1)} KB | ${fmt(times[2] ?? NaN, 1)} ms |`,
    );
  }
  const median = heaviest.ms[2] ?? NaN;
  addSummary(
    {
      metric: 'web pages: statements per request, 10 vs 1,000 rows',
      nithet: unequal === 0 ? `equal on all ${PAGES.length} pages` : `${unequal} page(s) differ`,
    },
    {
      metric: `web: heaviest page at 500 schools (${heaviest.label}): weight, median server time`,
      nithet: `${fmt(heaviest.bytes / 1024, 1)} KB, ${fmt(median, 1)} ms, ${heaviest.statements} statements`,
    },
  );
  return [
    '## Web pages: statements, weight and server time',
    '',
    'One request per page through the app in-process (an ADMIN_TOKEN session; the count includes the session lookup and any audit row). Offices with 10 and with 1,000 rows to show (schools, SAR responses, audit rows; twice as many people); weight and the median of 5 server times at 500 schools.',
    '',
    '| page | statements, 10 rows | statements, 1,000 rows | equal | weight at 500 schools | server time at 500 schools |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Heaviest page at 500 schools: **${heaviest.label}**, ${fmt(heaviest.bytes / 1024, 1)} KB, median ${fmt(median, 1)} ms (min ${fmt(heaviest.ms[0] ?? NaN, 1)}, max ${fmt(heaviest.ms[4] ?? NaN, 1)}).`,
  ].join('\n');
}

export const run = () => withCleanups('web', measure);
