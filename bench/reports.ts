// The term and year reports (issue 15 item 5): build time and statement count of the office's supervision report
// at 120 and at 500 schools, each school with two recorded visits (ratings, strengths, points to improve, an
// action), a self-assessment and a SAR, generated set-based in Postgres. The report's statements must not grow
// with the schools. The honours page (issue 15 item 6: the schools ranked by the SAR level, the improvement since last
// year and the follow-ups closed) is measured on the same offices, with last year's SARs added, through the app with
// an ADMIN_TOKEN session: its statements must not grow with the schools either.
// `npm run bench -- reports` (DATABASE_URL, default the local test server).
import { sql } from 'drizzle-orm';
import { syncBuiltins } from '../src/checklists/builtin-files.js';
import { queryRows } from '../src/db/client.js';
import { buildReport } from '../src/reports/build.js';
import { reportHtml, reportXlsx } from '../src/reports/render.js';
import { nodeReportFonts } from '../src/runtime/node-report-fonts.js';
import { signInCookie, startHarness, type Harness } from '../test/support/harness.js';
import { addSummary, countPgQueries, fmt, pageRequest, withCleanups, type Cleanup } from './support.js';

const IMPROVE = ['การวัดผลตามสภาพจริง', 'การนิเทศภายในอย่างต่อเนื่อง', 'การใช้สื่อเทคโนโลยี', 'การอ่านออกเขียนได้'];
const lit = (xs: string[]) => `{${xs.join(',')}}`;
const STRENGTH = ['ครูใช้สื่อหลากหลาย', 'ชุมชนมีส่วนร่วม', 'ห้องเรียนสะอาดเป็นระเบียบ'];

/** An office of `schools` schools, each with two recorded visits (ratings, texts, an action), a self-assessment and a SAR. */
export async function benchOffice(h: Harness, code: string, schools: number): Promise<string> {
  const db = h.db.db;
  const [o] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO offices (code, name_th) VALUES (${code}, ${`สพป.ทดสอบ ${code}`}) RETURNING id`,
  );
  const id = o?.id ?? '';
  await db.execute(sql`
    INSERT INTO clusters (office_id, code, name_th)
    SELECT ${id}, 'K' || g, 'เครือข่าย ' || g FROM generate_series(1, ceil(${schools}::int / 12.0)::int) g`);
  await db.execute(sql`
    INSERT INTO schools (office_id, cluster_id, code, name_th)
    SELECT ${id}, (SELECT c.id FROM clusters c WHERE c.office_id = ${id} AND c.code = 'K' || (1 + (g - 1) / 12)),
           lpad(g::text, 10, '0'), 'โรงเรียนทดสอบ ' || g
      FROM generate_series(1, ${schools}::int) g`);
  await db.execute(sql`
    INSERT INTO people (office_id, role, display_name, external_id) VALUES (${id}, 'supervisor', 'ศน.ทดสอบ', 'sup')`);
  await db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
    VALUES (${id}, 'term', 'ภาค 1', '2026-05-16', '2026-10-10', 2569, 1),
           (${id}, 'term', 'ภาค 2', '2026-11-01', '2027-03-31', 2569, 2)`);
  await db.execute(sql`
    INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
    SELECT ${id}, ck.id, 'bench ' || ck.key, ARRAY['principal'], '2026-05-01', '2027-03-31'
      FROM checklists ck WHERE ck.office_id IS NULL AND ck.key IN ('supervision-visit', 'pre-visit-self-assessment', 'sar-basic')
       AND ck.version = (SELECT max(version) FROM checklists c2 WHERE c2.key = ck.key AND c2.office_id IS NULL)`);
  // Two visits per school, each recorded; a self-assessment and a SAR per school.
  await db.execute(sql`
    INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, decision, recorded_at)
    SELECT gen_random_uuid(), s.office_id, s.id, p.id, timestamptz '2026-11-02 02:00Z' + (n * 40 + (s.code::int % 30)) * interval '1 day',
           'นิเทศ', 'done', CASE WHEN s.code::int % 3 = 0 THEN 'not_yet' ELSE 'achieved' END,
           timestamptz '2026-11-02 05:00Z' + (n * 40 + (s.code::int % 30)) * interval '1 day'
      FROM schools s JOIN people p ON p.office_id = s.office_id, generate_series(0, 1) n
     WHERE s.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at, submitted_at, updated_at)
    SELECT gen_random_uuid(), v.office_id, cp.id, cp.checklist_id, v.id, v.school_id, 'submitted', v.starts_at, v.recorded_at, v.recorded_at
      FROM visits v JOIN campaigns cp ON cp.office_id = v.office_id AND cp.title_th = 'bench supervision-visit'
     WHERE v.office_id = ${id}`);
  await db.execute(sql`
    UPDATE visits v SET response_id = r.id FROM responses r WHERE r.subject_key = v.id AND v.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at, submitted_at, updated_at)
    SELECT gen_random_uuid(), s.office_id, cp.id, cp.checklist_id, s.id, s.id, 'submitted', '2026-11-01', '2026-11-02', '2026-11-02'
      FROM schools s JOIN campaigns cp ON cp.office_id = s.office_id AND cp.title_th IN ('bench pre-visit-self-assessment', 'bench sar-basic')
     WHERE s.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    SELECT r.id, k, 0, to_jsonb(1 + (abs(hashtext(r.id::text || k)) % 5)), r.submitted_at
      FROM responses r JOIN checklists ck ON ck.id = r.checklist_id,
           unnest(ARRAY['curriculum','learning','assessment','media','internal_supervision','qa','student_care','learner_quality']) k
     WHERE r.office_id = ${id} AND ck.key IN ('supervision-visit', 'pre-visit-self-assessment')`);
  await db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    SELECT r.id, k, 0, to_jsonb(1 + (abs(hashtext(r.id::text || k)) % 5)), r.submitted_at
      FROM responses r JOIN checklists ck ON ck.id = r.checklist_id,
           unnest(ARRAY['s1_target','s1_level','s2_target','s2_level','s3_target','s3_level']) k
     WHERE r.office_id = ${id} AND ck.key = 'sar-basic'`);
  await db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    SELECT r.id, x.k, 0, to_jsonb(x.v), r.submitted_at
      FROM responses r JOIN checklists ck ON ck.id = r.checklist_id,
           LATERAL (VALUES ('strengths', (${lit(STRENGTH)}::text[])[1 + abs(hashtext(r.id::text)) % 3] || ' และครูมีความตั้งใจ'),
                           ('improve', 'ควรพัฒนา' || (${lit(IMPROVE)}::text[])[1 + abs(hashtext(r.id::text || 'i')) % 4]),
                           ('suggestions', 'ควรจัด PLC เรื่อง' || (${lit(IMPROVE)}::text[])[1 + abs(hashtext(r.id::text || 's')) % 4])) x(k, v)
     WHERE r.office_id = ${id} AND ck.key = 'supervision-visit'`);
  await db.execute(sql`
    INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, due_on, status)
    SELECT gen_random_uuid(), office_id, school_id, id, 1, 'จัดทำแผนพัฒนา', '2027-01-15',
           CASE WHEN school_id::text < '8' THEN 'done' ELSE 'open' END
      FROM visits WHERE office_id = ${id}`);
  return id;
}

/** Last year's SAR for every school of the office (its levels drawn like this year's), so improvement is measured. */
async function lastYearSars(h: Harness, id: string): Promise<void> {
  const db = h.db.db;
  await db.execute(sql`
    INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
    SELECT ${id}, checklist_id, 'bench sar-basic 2568', roles, '2025-05-01', '2026-03-31'
      FROM campaigns WHERE office_id = ${id} AND title_th = 'bench sar-basic'`);
  await db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at, submitted_at, updated_at)
    SELECT gen_random_uuid(), s.office_id, cp.id, cp.checklist_id, s.id, s.id, 'submitted', '2025-11-01', '2025-11-02', '2025-11-02'
      FROM schools s JOIN campaigns cp ON cp.office_id = s.office_id AND cp.title_th = 'bench sar-basic 2568'
     WHERE s.office_id = ${id}`);
  await db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    SELECT r.id, k, 0, to_jsonb(1 + (abs(hashtext(r.id::text || k)) % 5)), r.submitted_at
      FROM responses r JOIN campaigns cp ON cp.id = r.campaign_id AND cp.title_th = 'bench sar-basic 2568',
           unnest(ARRAY['s1_level','s2_level','s3_level']) k
     WHERE r.office_id = ${id}`);
}

/** The honours page of an office: statements, weight and the median of 5 server times (after one warm-up). */
async function honoursPage(h: Harness, cookie: string, code: string, query: string) {
  const path = `/admin/offices/${code}/honours?${query}`;
  const times: number[] = [];
  let last = { statements: 0, bytes: 0 };
  for (let i = 0; i < 6; i++) {
    const m = await pageRequest(h, cookie, path);
    if (i > 0) times.push(m.ms);
    last = m;
  }
  times.sort((a, b) => a - b);
  return { statements: last.statements, bytes: last.bytes, ms: times[2] ?? NaN };
}

async function measure(cleanups: Cleanup[]): Promise<string> {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const h = await startHarness();
  cleanups.push(() => h.close());
  await syncBuiltins(h.db.db);
  const rows: string[] = [];
  const honours: string[] = [];
  const cookie = await signInCookie(h);
  for (const n of [120, 500]) {
    const id = await benchOffice(h, `R${n}`, n);
    await lastYearSars(h, id);
    for (const query of ['year=2569&term=2&by=sar,improvement,actions', 'year=2569&by=improvement,actions']) {
      const m = await honoursPage(h, cookie, `R${n}`, query);
      honours.push(`| ${n} | \`${query}\` | ${m.statements} | ${fmt(m.bytes / 1024, 1)} KB | ${fmt(m.ms, 1)} ms |`);
      if (query.includes('term=2'))
        addSummary({
          metric: `honours ranking page, term, ${n} schools: statements, weight, median server time`,
          nithet: `${m.statements} statements, ${fmt(m.bytes / 1024, 1)} KB, ${fmt(m.ms, 1)} ms`,
        });
    }
    for (const term of ['2', undefined]) {
      await buildReport(h.db.db, id, 'office', { year: '2569', term }, { now: Date.parse('2027-03-01T03:00:00Z') });
      const counter = countPgQueries();
      const started = performance.now();
      const report = await buildReport(
        h.db.db,
        id,
        'office',
        { year: '2569', term },
        { now: Date.parse('2027-03-01T03:00:00Z') },
      );
      const built = performance.now();
      const html = reportHtml(report, await nodeReportFonts());
      const rendered = performance.now();
      const xlsx = await reportXlsx(report);
      const done = performance.now();
      counter.restore();
      rows.push(
        `| ${n} | ${term === undefined ? 'year' : `term ${term}`} | ${fmt(report.coverage.visits)} | ${counter.count} | ${fmt(built - started)} ms | ${fmt(rendered - built)} ms (${fmt(html.length / 1024)} KB) | ${fmt(done - rendered)} ms (${fmt(xlsx.body.length / 1024)} KB) |`,
      );
      if (term === undefined)
        addSummary({
          metric: `office supervision report, year, ${n} schools: build time, statements`,
          nithet: `${fmt(built - started)} ms, ${counter.count} statements`,
        });
    }
  }
  return [
    '## Reports of the term and the year',
    '',
    'The office supervision report (coverage, achieved / not achieved per indicator, self vs supervisor, ranked phrases by standard, best practices) for an office whose every school has two recorded visits with eight ratings and three texts, a self-assessment and a SAR. Build = the queries and the grouping; the statement count includes BEGIN/COMMIT if any.',
    '',
    '| schools | period | visits | statements | build | HTML | XLSX |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## The honours page (schools ranked for honouring)',
    '',
    "GET /admin/offices/:office/honours through the app in-process (an ADMIN_TOKEN session; the count includes the session lookup): every school ranked by the chosen criteria with its figures and reason, on the offices above with last year's SARs added. Median of 5 server times after a warm-up.",
    '',
    '| schools | query | statements | weight | server time |',
    '| --- | --- | --- | --- | --- |',
    ...honours,
  ].join('\n');
}

export const run = () => withCleanups('reports', measure);
