// Monday's digests at national scale, on the dataset bench/reminders.ts generates: each office's digests staged by
// planDigests(db, at, officeId) (the office's first planning hour of a Monday calls it), timed per office; then the
// plans of the statements an office's planning hour sends (digest staging and the bundles), with sequential scans
// of national tables flagged.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { queryRows, type Db } from '../src/db/client.js';
import { planDigests } from '../src/digests/plan.js';
import { planOffice } from '../src/reminders/plan.js';
import {
  committeeSummary,
  listMeetings,
  listMembers,
  listPlan,
  memberCandidates,
} from '../src/committee/committee.queries.js';
import { listTasks } from '../src/tasks/tasks.queries.js';
import { listSchoolsPage, schoolFacets, schoolView } from '../src/admin/org.queries.js';
import { eqaOfSchool, eqaOverview } from '../src/eqa/eqa.queries.js';
import { actionFacts, latestResponses, schoolsInScope, visitFacts } from '../src/reports/facts.queries.js';
import { explainAll, type Explained, type Recorded, recordStatements, scanSummary } from './explain.js';
import { processCpuMs, processesCpuMs, processesDelta } from './cpu.js';
import { addSummary, fmt, statementKeyword } from './support.js';

/** Tables whose size grows with the number of schools and people. */
const NATIONAL = new Set([
  'people',
  'schools',
  'responses',
  'answers',
  'outbox',
  'supervisor_assignments',
  'conversations',
  'visits',
  'processed_events',
  'pending_assignments',
  'outbox_items',
  'outbox_bodies',
  'plan_marks',
]);

/** Names a recorded statement by a phrase only its query has. */
function labelOf(text: string): string {
  const known: [RegExp, string][] = [
    [/WITH due AS/, 'digests: dueRecipients'],
    [/WITH subj AS/, 'digests: progressBySchool'],
    [/WITH pend AS/, 'digests: pendingNamesBySchool'],
    [/WITH sar AS/, 'digests: belowTarget'],
    [/FROM tv GROUP BY/, 'digests: visitsThisSemester'],
    [/DISTINCT ON \(o\.id\)/, 'digests: currentTerms'],
    [/INSERT INTO outbox_items[\s\S]*'digest'/, 'digests: stageDigests'],
    [
      /FROM campaigns c JOIN checklists ck ON ck\.id = c\.checklist_id\s+WHERE c\.office_id = ANY/,
      'digests: openCampaigns',
    ],
    [/INSERT INTO outbox \(/, 'bundles: planBundles (who is due, items, bodies, rows)'],
    [/INSERT INTO plan_marks \([^)]*\) VALUES/, "bundles: claimSlot (the week's digest marker)"],
    [/INSERT INTO plan_marks/, 'bundles: claimHour (slot read under the lock, hour claimed)'],
    [/announce:/, 'bundles: queueAnnouncements'],
    [/FROM plan_marks m WHERE m\.office_id = o\.id/, 'bundles: officeSlot'],
  ];
  for (const [re, name] of known) if (re.test(text)) return name;
  return `${statementKeyword([text])}: ${text.replace(/\s+/g, ' ').trim().slice(0, 60)}…`;
}

interface Tick {
  recorded: Recorded[];
  ms: number;
  rows: number;
  statements: number;
  nodeCpuMs: number | undefined;
  pgCpuMs: number | undefined;
}

async function tick(db: Db, dbName: string, at: number, officeId: string): Promise<Tick> {
  const pgBefore = processesCpuMs('postgres', ` ${dbName} `);
  const cpuBefore = processCpuMs();
  const start = performance.now();
  const { value, statements } = await recordStatements(() => planDigests(db, at, officeId));
  const ms = performance.now() - start;
  const cpuAfter = processCpuMs();
  return {
    recorded: statements,
    ms,
    rows: value.items,
    statements: statements.length,
    nodeCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    pgCpuMs: processesDelta(pgBefore, processesCpuMs('postgres', ` ${dbName} `)),
  };
}

const msf = (x: number | undefined) => (x === undefined ? 'n/a' : `${fmt(x)} ms`);
const esc = (s: string) => s.replace(/\|/g, '\\|');

function planTable(title: string, plans: Explained[]): string[] {
  return [
    `| ${title} | time (EXPLAIN ANALYZE) | rows out | tables read: how, rows looked at | sequential scans of national tables |`,
    '| --- | --- | --- | --- | --- |',
    ...plans.map(
      (p) =>
        `| ${esc(p.label)} | ${fmt(p.ms)} ms | ${fmt(p.rows)} | ${esc(scanSummary(p.scans))} | ${
          p.nationalSeqScans.length === 0
            ? 'none'
            : `**${esc(p.nationalSeqScans.map((s) => `${s.table} (${fmt(s.rowsRead)} rows)`).join(', '))}**`
        } |`,
    ),
  ];
}

export const BENCH_DISTRICT = 'อำเภอทดสอบ';
const BENCH_CUT = { levels: [], sizes: [], tags: [], subdistricts: [], districts: [BENCH_DISTRICT], provinces: [] };

/** The digest section, and plans for reminders' and digests' statements; `at` is a Monday 08:00 in Bangkok. */
export async function digestSection(db: Db, dbName: string, at: number): Promise<string> {
  const client: unknown = (db as unknown as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) throw new Error('the digest bench needs node-postgres');
  const recipients = await queryRows<{ role: string; n: number }>(
    db,
    sql`SELECT role, count(*)::int AS n FROM people
         WHERE role IN ('director', 'supervisor', 'principal') AND status = 'active' AND line_user_id IS NOT NULL
         GROUP BY role ORDER BY role`,
  );

  // A director's digest cut (people.digest_cut): one director of each office follows the schools of one district (a
  // fifth of the office's schools, set when they were generated), so staging builds a cut view beside the
  // office-wide one, as offices use it.
  await db.execute(sql`
    UPDATE people p SET digest_cut = ${JSON.stringify(BENCH_CUT)}::jsonb
      FROM (SELECT DISTINCT ON (office_id) id FROM people WHERE role = 'director' AND status = 'active'
              AND line_user_id IS NOT NULL ORDER BY office_id, id) d
     WHERE p.id = d.id`);
  const cutDirectors = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM people WHERE digest_cut IS NOT NULL`,
  );

  // Each office's Monday staging, as its first planning hour of the day runs it.
  const offices = await queryRows<{ id: string }>(db, sql`SELECT id FROM offices ORDER BY id`);
  const ticks: Tick[] = [];
  for (const o of offices) ticks.push(await tick(db, dbName, at, o.id));
  const working = ticks.filter((t) => t.rows > 0);
  const idle = await tick(db, dbName, at + 60_000, offices[0]?.id ?? '');
  const total = working.reduce((a, t) => a + t.rows, 0);
  const sorted = working.map((t) => t.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  const cpu = working.map((t) => (t.nodeCpuMs ?? 0) + (t.pgCpuMs ?? 0)).sort((a, b) => a - b);
  const size = (
    await queryRows<{ p50: number; max: number; bodies: number }>(
      db,
      sql`SELECT coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY octet_length(b.body::text)), 0)::int AS p50,
                 coalesce(max(octet_length(b.body::text)), 0)::int AS max, count(*)::int AS bodies
            FROM outbox_bodies b WHERE b.body ? 'digest'`,
    )
  )[0];

  // The plans: the first office's staging statements, and one office's planning hour (Tuesday, no digests).
  const digestPlans = await explainAll(client, ticks[0]?.recorded ?? [], labelOf, NATIONAL);
  const reminderRun = await recordStatements(() => planOffice(db, at + 86_400_000, offices[1]?.id ?? ''));
  const reminderPlans = await explainAll(client, reminderRun.statements, labelOf, NATIONAL);
  // The ก.ต.ป.น. committee page's reads (src/web/pages/committee.tsx) for the office with the most people: the
  // candidates list reads people by office, the rest the office's own small tables.
  const [biggest] = await queryRows<{ id: string }>(
    db,
    sql`SELECT office_id AS id FROM people GROUP BY office_id ORDER BY count(*) DESC LIMIT 1`,
  );
  const committeeRun = await recordStatements(async () => {
    const id = biggest?.id ?? '';
    await committeeSummary(db, id, new Date(at).toISOString().slice(0, 10));
    await listMembers(db, id);
    await listMeetings(db, id);
    await listPlan(db, id, undefined);
    await listTasks(db, id, { source: 'resolution', openOnly: true });
    await memberCandidates(db, id, 'ศน', 21); // the member picker's search (21: 20 shown, one to say there are more)
  });
  const committeePlans = await explainAll(client, committeeRun.statements, labelOf, NATIONAL);
  // Issue 16's pages for the same office: the schools list cut by attributes and its filter choices, the school edit
  // form's read, the สมศ. overview and one school's record, and the office report's facts cut by level and tag (the
  // campaigns' own rule, schoolInCut). The dataset's schools carry no attributes: the plans are what matter.
  const cut = {
    levels: ['early_childhood'],
    sizes: [],
    tags: ['โรงเรียนคุณภาพประจำตำบล'],
    subdistricts: [],
    districts: [],
    provinces: [],
  };
  const attrRun = await recordStatements(async () => {
    const id = biggest?.id ?? '';
    const scope = { role: 'admin' as const, officeId: id, personId: null, schools: 'office' as const };
    const [one] = await listSchoolsPage(db, id, {}, null, 50, scope);
    await listSchoolsPage(db, id, { cut }, null, 50, scope);
    await schoolFacets(db, id);
    await schoolView(db, id, one?.id ?? '');
    await eqaOverview(db, id, sql`true`);
    await eqaOfSchool(db, id, one?.id ?? '');
    const [from, to] = ['2026-05-16T00:00:00Z', '2027-04-01T00:00:00Z'];
    await schoolsInScope(db, id, { cut });
    await visitFacts(db, id, from, to, { cut });
    await actionFacts(db, id, from, to, { cut });
    await latestResponses(db, id, 'sar-%', from, to, { cut });
  });
  const attrPlans = await explainAll(client, attrRun.statements, labelOf, NATIONAL);
  // A sequential scan of an empty table (this dataset has no visits and no SAR answers) is the planner's right
  // choice and says nothing about scale: only scans that read many rows are flagged.
  const big = (p: Explained) => p.nationalSeqScans.filter((s) => s.rowsRead >= 1_000);
  const flaggedAll = [...digestPlans, ...reminderPlans, ...committeePlans, ...attrPlans].filter(
    (p) => big(p).length > 0,
  );
  const flagged = flaggedAll.filter((p, i) => flaggedAll.findIndex((q) => q.label === p.label) === i);
  const times = (label: string) => flaggedAll.filter((p) => p.label === label).length;

  addSummary(
    {
      metric: 'national digests: staging per office on Monday (median / max wall; max CPU)',
      nithet: `${msf(median)} / ${msf(max)}; ${msf(cpu.at(-1))}`,
      ratio: `${working.length} offices, ${fmt(total)} digest items, ${fmt(size?.bodies ?? 0)} distinct bodies`,
    },
    { metric: 'national digests: staging an office already staged', nithet: msf(idle.ms) },
    {
      metric: 'national: hot queries with a seq scan of a national table',
      nithet: flagged.length === 0 ? 'none' : flagged.map((p) => p.label).join('; '),
    },
  );
  const tickRows = working
    .slice(0, 10)
    .map(
      (t, i) =>
        `| office ${i + 1} | ${msf(t.ms)} | ${fmt(t.rows)} | ${t.statements} | ${msf(t.nodeCpuMs)} | ${msf(t.pgCpuMs)} |`,
    );
  const lines = [
    '## Digests: staging Monday for every office',
    '',
    `- Same dataset as above. Monday ${new Date(at).toISOString()} (08:00 Asia/Bangkok). \`planDigests(db, at, officeId)\` for each office in turn, as each office's first planning hour of a Monday calls it: the digests are built in Node as data, stored once per distinct view (outbox_bodies), and each recipient gets a digest item that their bundle of the day carries as its second message. Recipients who may get one (active, linked): ${recipients.map((r) => `${fmt(r.n)} ${r.role}s`).join(', ')}; ${fmt(cutDirectors[0]?.n ?? 0)} directors (one per office) with a digest cut by district (a fifth of their office's schools).`,
    '',
    '| what | value | notes |',
    '| --- | --- | --- |',
    `| offices staged | ${working.length} | ${fmt(total)} digest items; ${fmt(size?.bodies ?? 0)} distinct digest bodies, p50 ${fmt(size?.p50 ?? 0)} B, max ${fmt(size?.max ?? 0)} B |`,
    `| **time per office** (median / max) | **${msf(median)} / ${msf(max)}** | ${fmt(working.reduce((a, t) => a + t.ms, 0) / 1000, 1)} s for all offices; CPU (Node + Postgres) per office median ${msf(cpu[Math.floor(cpu.length / 2)])}, max ${msf(cpu.at(-1))} |`,
    `| an office already staged | ${msf(idle.ms)} | ${idle.statements} statement(s): the office's slot says the digests are staged |`,
    '',
    '| office | time | items | statements | Node CPU | Postgres CPU |',
    '| --- | --- | --- | --- | --- | --- |',
    ...tickRows,
    '',
    '### Plans of the hot queries',
    '',
    `EXPLAIN (ANALYZE, BUFFERS) of each statement with the parameters it was sent with, re-run in a rolled-back transaction. "Rows looked at" = rows a scan produced plus those its filter removed, times its loops. National tables: ${[...NATIONAL].join(', ')}.`,
    '',
    ...planTable('digest staging (one office)', digestPlans),
    '',
    ...planTable('an office planning hour (Tuesday 08:00)', reminderPlans),
    '',
    ...planTable(
      `the ก.ต.ป.น. committee page's reads, the largest office (${committeeRun.statements.length} statements)`,
      committeePlans,
    ),
    '',
    ...planTable(
      `issue 16's pages for the largest office: schools list (plain and cut by level and tag), its filter choices, a school's edit form, the สมศ. overview and one school's record, the office report's facts cut by level and tag (${attrRun.statements.length} statements)`,
      attrPlans,
    ),
    '',
    flagged.length === 0
      ? 'No statement scans a national table sequentially.'
      : `**Sequential scans of national tables** (reported, src/ unchanged): ${flagged
          .map(
            (p) =>
              `${p.label}${times(p.label) > 1 ? ` (×${times(p.label)} statements in one run)` : ''}: ${big(p)
                .map((s) => `${s.table}, ${fmt(s.rowsRead)} rows`)
                .join(', ')}`,
          )
          .join(
            '; ',
          )}. Seq scans of tables that are empty in this dataset are not flagged. The plans (one per statement kind):`,
    '',
    ...flagged.flatMap((p) => [`#### ${p.label}`, '', '```', p.plan, '```', '']),
    '<details><summary>All plans</summary>',
    '',
    ...[...digestPlans, ...reminderPlans, ...committeePlans, ...attrPlans]
      .filter((p) => !flaggedAll.includes(p))
      .flatMap((p) => [`#### ${p.label}`, '', '```', p.plan, '```', '']),
    '</details>',
  ];
  return lines.join('\n');
}
