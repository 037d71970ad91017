// Digest planning at national scale, on the dataset bench/reminders.ts generates: Monday 08:00 Bangkok, every
// office due, planDigests tick after tick (25 offices each) until none is left, then an idle tick; then the plans
// of the statements a tick sends (and those of planReminders), with sequential scans of national tables flagged.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { queryRows, type Db } from '../src/db/client.js';
import { OFFICES_PER_TICK, planDigests } from '../src/digests/plan.js';
import { planReminders } from '../src/reminders/plan.js';
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
    [/INSERT INTO outbox[\s\S]*'digest'/, 'digests: insertDigests'],
    [
      /FROM campaigns c JOIN checklists ck ON ck\.id = c\.checklist_id\s+WHERE c\.office_id = ANY/,
      'digests: openCampaigns',
    ],
    [/INSERT INTO outbox/, 'reminders: insert pushes'],
    [/^\s*WITH og AS MATERIALIZED \(\s*SELECT o\.id/, 'reminders: people with something due (first read)'],
    [/^\s*WITH og AS MATERIALIZED \(\s*SELECT \* FROM unnest/, 'reminders: a read of the next batch of people'],
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

async function tick(db: Db, dbName: string, at: number): Promise<Tick> {
  const pgBefore = processesCpuMs('postgres', ` ${dbName} `);
  const cpuBefore = processCpuMs();
  const start = performance.now();
  const { value, statements } = await recordStatements(() => planDigests(db, at));
  const ms = performance.now() - start;
  const cpuAfter = processCpuMs();
  return {
    recorded: statements,
    ms,
    rows: value.rows,
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

  // Ticks until every office has its digests; the first tick's statements are kept for EXPLAIN.
  const ticks: Tick[] = [];
  for (let i = 0; i < 40; i++) {
    const t = await tick(db, dbName, at + i * 60_000);
    ticks.push(t);
    if (t.rows === 0) break;
  }
  const working = ticks.filter((t) => t.rows > 0);
  const idle = ticks.at(-1);
  const total = working.reduce((a, t) => a + t.rows, 0);
  const sorted = working.map((t) => t.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  const size = (
    await queryRows<{ p50: number; max: number }>(
      db,
      sql`SELECT coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY octet_length(messages::text)), 0)::int AS p50,
                 coalesce(max(octet_length(messages::text)), 0)::int AS max
            FROM outbox WHERE kind = 'digest'`,
    )
  )[0];

  // The plans: a digest tick's statements as the first tick sent them (the outbox then had no digest rows;
  // EXPLAIN now runs them with the week's digests planned, inside rolled-back transactions), and a reminder
  // planning run's (its reads and one of its inserts).
  const digestPlans = await explainAll(client, ticks[0]?.recorded ?? [], labelOf, NATIONAL);
  const reminderRun = await recordStatements(() => planReminders(db, at + 20 * 60_000));
  const reminderStatements = reminderRun.statements.filter(
    (s, i, all) => !/^\s*INSERT/i.test(s.text) || all.findIndex((x) => /^\s*INSERT/i.test(x.text)) === i,
  );
  const reminderPlans = await explainAll(client, reminderStatements, labelOf, NATIONAL);
  // A sequential scan of an empty table (this dataset has no visits and no SAR answers) is the planner's right
  // choice and says nothing about scale: only scans that read many rows are flagged.
  const big = (p: Explained) => p.nationalSeqScans.filter((s) => s.rowsRead >= 1_000);
  const flaggedAll = [...digestPlans, ...reminderPlans].filter((p) => big(p).length > 0);
  // The reminder reads repeat per batch of people: one plan of each label is enough.
  const flagged = flaggedAll.filter((p, i) => flaggedAll.findIndex((q) => q.label === p.label) === i);
  const times = (label: string) => flaggedAll.filter((p) => p.label === label).length;

  addSummary(
    {
      metric: `national digests: time per tick, ${OFFICES_PER_TICK} offices (median / max)`,
      nithet: `${msf(median)} / ${msf(max)}`,
      ratio: `${working.length} ticks, ${fmt(total)} rows`,
    },
    { metric: 'national digests: idle tick', nithet: msf(idle?.ms) },
    {
      metric: 'national: hot queries with a seq scan of a national table',
      nithet: flagged.length === 0 ? 'none' : flagged.map((p) => p.label).join('; '),
    },
  );
  const tickRows = working.map(
    (t, i) =>
      `| tick ${i + 1} | ${msf(t.ms)} | ${fmt(t.rows)} | ${t.statements} | ${msf(t.nodeCpuMs)} | ${msf(t.pgCpuMs)} |`,
  );
  const lines = [
    '## Digests: planning Monday for every office',
    '',
    `- Same dataset as above. Monday ${new Date(at).toISOString()} (08:00 Asia/Bangkok): every office is due. \`planDigests(db, at)\` with its defaults (${OFFICES_PER_TICK} offices per tick), called once a minute of simulated time until a tick plans nothing. Recipients who may get one (active, linked): ${recipients.map((r) => `${fmt(r.n)} ${r.role}s`).join(', ')}; supervisors need an assigned school, principals an open campaign reaching their school. The dataset has no visits and no SAR answers, so visitsThisSemester and belowTarget read little.`,
    '',
    '| what | value | notes |',
    '| --- | --- | --- |',
    `| ticks until every office is planned | ${working.length} | ${fmt(total)} digest rows in all (one per recipient, keyed per ISO week); message p50 ${fmt(size?.p50 ?? 0)} B, max ${fmt(size?.max ?? 0)} B |`,
    `| **time per tick** (median / max) | **${msf(median)} / ${msf(max)}** | ${fmt(working.reduce((a, t) => a + t.ms, 0) / 1000, 1)} s for the whole Monday; a tick's statements: the reads in parallel on the pool, then one INSERT per ≤ 4 MB of messages |`,
    `| idle tick (everything planned) | ${msf(idle?.ms)} | ${idle?.statements ?? 0} statement(s): dueRecipients finds no one without this week's digest; what every later Monday tick costs |`,
    '',
    '| tick | time | rows inserted | statements | Node CPU | Postgres CPU |',
    '| --- | --- | --- | --- | --- | --- |',
    ...tickRows,
    '',
    '### Plans of the hot queries',
    '',
    `EXPLAIN (ANALYZE, BUFFERS) of each statement with the parameters it was sent with, re-run in a rolled-back transaction. "Rows looked at" = rows a scan produced plus those its filter removed, times its loops. National tables: ${[...NATIONAL].join(', ')}.`,
    '',
    ...planTable('digest tick (the first, 25 offices)', digestPlans),
    '',
    ...planTable('reminder planning (all offices, 08:20)', reminderPlans),
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
    ...[...digestPlans, ...reminderPlans]
      .filter((p) => !flaggedAll.includes(p))
      .flatMap((p) => [`#### ${p.label}`, '', '```', p.plan, '```', '']),
    '</details>',
  ];
  return lines.join('\n');
}
