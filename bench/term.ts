// A simulated office term through the tick (test/support/term.ts at office size): about 120 schools and 1,500
// teachers, a needs survey and a SAR (both announced), a visit round from the annual plan, submissions on weekday
// mornings, a holiday; the tick hourly from 05:00 to 20:00 for 18 weeks, sending through the real LINE client to the
// fake LINE server. Reports total pushes and the most pushes one person got on one day (the rule: 1); and the demo
// office's week of pushes per person (issue 17), with bench/demo-week.ts.
import { addSummary, fmt, withCleanups, type Cleanup } from './support.js';
import { startHarness } from '../test/support/harness.js';
import { simulateTerm } from '../test/support/term.js';
import { demoWeek, weekTable } from './demo-week.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function measure(cleanups: Cleanup[]): Promise<string> {
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  const h = await startHarness();
  cleanups.push(() => h.close());
  const weeks = Number(process.env.NITHET_TERM_WEEKS ?? 18);
  const started = performance.now();
  const r = await simulateTerm(h, { schools: 120, teachersPerSchool: 12, weeks, submitRate: 0.05 });
  const seconds = (performance.now() - started) / 1000;
  const week = await demoWeek();
  addSummary(
    {
      metric: `office term (120 schools, ${fmt(r.people)} people, ${weeks} weeks): pushes`,
      nithet: `${fmt(r.pushes)} pushes (${fmt(r.requests)} requests)`,
      ratio: `max ${r.maxPerPersonDay} per person per day (rule: 1)`,
    },
    {
      metric: 'demo office week: pushes, most to one person on one day',
      nithet: `${week.pushes}, ${week.maxPerDay}`,
      ratio: 'before this change: 97, 5',
    },
  );
  return [
    '## A simulated office term through the tick',
    '',
    `- ${fmt(r.people)} people (120 schools with a principal and 12 teachers each, a main supervisor per network of about 12 schools, a director), all linked; reminder hours mostly 08:00, some 07:00, 09:00 or 12:00.`,
    `- A needs survey for teachers (opens day 1, due day 19) and a SAR for principals (opens day 15), both announced; a visit round from the annual plan (${fmt(r.visits)} visits from week 3); 5% of those still pending submit each weekday at 10:00 (${fmt(r.submitted)} submissions), each queuing its main supervisor's notice as the chat does; a holiday in week 3.`,
    `- The tick hourly from 05:00 to 20:00 Bangkok for ${weeks} weeks (${fmt(r.ticks)} ticks, ${fmt(r.tickMs / 1000, 1)} s in ticks, the slowest ${fmt(r.maxTickMs)} ms), sending through the real LINE client to the fake LINE server, which checks every request against LINE's OpenAPI spec.`,
    '',
    '| what | value |',
    '| --- | --- |',
    `| pushes (as LINE counts them: a multicast per recipient) | ${fmt(r.pushes)} in ${fmt(r.requests)} requests |`,
    `| **most pushes to one person on one day** | **${r.maxPerPersonDay}** |`,
    `| most to one person in the term; mean per person | ${r.maxPerPerson}; ${fmt(r.meanPerPerson, 1)} |`,
    `| items bundled, by kind | ${Object.entries(r.items)
      .sort()
      .map(([k, n]) => `${k} ${fmt(n)}`)
      .join(', ')} |`,
    `| run time | ${fmt(seconds, 1)} s |`,
    '',
    "## The demo office's week (bench/demo-week.ts)",
    '',
    'The demo seed with everyone linked, the tick hourly Monday to Sunday, five teachers of one network submitting on Tuesday morning and a visit planned on Tuesday afternoon for Thursday.',
    '',
    '**Before** (main before this change): 52 people, 97 pushes in the week, at most 5 to one person on one day (a supervisor: one reminder and four submission notices from one tick).',
    '',
    '**After:**',
    '',
    weekTable(week),
  ].join('\n');
}

export function run(): Promise<string> {
  return withCleanups('term', measure);
}
