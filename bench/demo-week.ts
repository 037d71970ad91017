// The demo office's week of pushes per person (issue 17): the demo seed with everyone linked, run through the real
// tick once an hour from Monday 00:00 to Sunday 23:00 (Bangkok), with what a week brings: five teachers of one
// network submitting on Tuesday morning (their main supervisor's notices), and a supervisor planning a visit for
// Thursday on Tuesday afternoon (the principal's notice, the supervisor's reminders). Pushes are counted as LINE
// counts them (a multicast per recipient), per person and local day. `npm run bench -- demo-week` runs it on the
// bare seed and on the seed with its first-start story (src/demo/story.ts: overdue work, visit actions, a SAR), the
// demo as `npm start` ships it; `npx tsx bench/demo-week.ts` prints the story's table.
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client.js';
import { seedDemo } from '../src/demo/seed.js';
import { writeTurn } from '../src/conversation/conversation.queries.js';
import { initialState } from '../src/conversation/state.js';
import { flows } from '../src/flows/index.js';
import { ENV_CHANNEL_ID } from '../src/line/channels.js';
import { tick } from '../src/scheduler/tick.js';
import { selfAssessmentTitle, visitReminders } from '../src/visits/reminders.js';
import { startHarness } from '../test/support/harness.js';
import { addSummary } from './support.js';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-11-22T17:00:00Z'); // Monday 23 November 2026, 00:00 in Bangkok

export interface WeekResult {
  people: number;
  pushes: number;
  /** Per role: the most pushes one person got in the week, and on one day. */
  byRole: { role: string; people: number; pushes: number; maxWeek: number; maxDay: number }[];
  maxPerDay: number;
  /** How many people got n pushes in the week, by n. */
  perPerson: Record<number, number>;
}

export async function demoWeek(opts: { story?: boolean } = {}): Promise<WeekResult> {
  const h = await startHarness();
  try {
    h.clock.now = MONDAY - 3 * 86_400_000;
    const demo = await seedDemo(h.db.db, h.clock.now, { story: opts.story ?? true });
    // Everyone linked, as an office in use would be.
    await h.db.db.execute(
      sql`UPDATE people SET channel_id = ${ENV_CHANNEL_ID}, line_user_id = 'U' || md5(id::text), status = 'active',
                            linked_at = now()
           WHERE office_id = ${demo.office.id}::uuid`,
    );
    const people = await queryRows<{ id: string; role: string; line: string; school_id: string | null }>(
      h.db.db,
      sql`SELECT id, role, line_user_id AS line, school_id FROM people WHERE office_id = ${demo.office.id}::uuid`,
    );
    const supervisor = await queryRows<{ id: string; name: string; line: string; school_id: string; school: string }>(
      h.db.db,
      sql`SELECT p.id, p.display_name AS name, p.line_user_id AS line, s.id AS school_id, s.name_th AS school
            FROM people p JOIN supervisor_assignments sa ON sa.supervisor_id = p.id AND sa.kind = 'main'
            JOIN schools s ON s.cluster_id = sa.cluster_id
           WHERE p.office_id = ${demo.office.id}::uuid ORDER BY p.external_id, s.code LIMIT 5`,
    );
    const teachers = await queryRows<{ id: string; line: string; school_id: string; name: string }>(
      h.db.db,
      sql`SELECT p.id, p.line_user_id AS line, p.school_id, p.display_name AS name FROM people p
           WHERE p.role = 'teacher' AND p.school_id = ANY(${sql.param(supervisor.map((s) => s.school_id))}::uuid[])
           ORDER BY p.external_id LIMIT 5`,
    );

    let seq = 0;
    let seen = h.line.pushes().length;
    const sent: { at: number; body: unknown }[] = [];
    const turn = async (line: string, at: number, effects: Parameters<typeof writeTurn>[4]) =>
      writeTurn(
        h.db.db,
        { channelId: ENV_CHANNEL_ID, lineUserId: line, webhookEventId: `demo-week-${seq++}` },
        0,
        initialState(),
        effects,
        new Date(at).toISOString(),
        flows.effectSql,
      );

    for (let hour = 0; hour < 7 * 24; hour++) {
      const at = MONDAY + hour * HOUR;
      h.clock.now = at;
      if (hour === 24 + 10) {
        // Tuesday 10:00: five teachers of the first supervisor's network submit the needs survey.
        for (const t of teachers)
          await turn(t.line, at, [
            {
              type: 'notifySupervisors',
              officeId: demo.office.id,
              schoolId: t.school_id,
              dedupeKey: `submitted:${crypto.randomUUID()}`,
              text: `${t.name} ส่งแบบสำรวจแล้ว`,
            },
          ]);
      }
      if (hour === 24 + 14) {
        // Tuesday 14:00: the supervisor plans a visit for Thursday 09:00.
        const s = supervisor[0];
        if (s !== undefined) {
          const startsAt = MONDAY + 3 * 24 * HOUR + 9 * HOUR;
          const visitId = crypto.randomUUID();
          await turn(s.line, at, [
            {
              type: 'planVisit',
              visitId,
              supervisorId: s.id,
              schoolId: s.school_id,
              startsAt: new Date(startsAt).toISOString(),
              purpose: 'การจัดการเรียนรู้เชิงรุก',
              followUpOf: null,
              campaignId: crypto.randomUUID(),
              campaignTitle: selfAssessmentTitle(s.school, startsAt, 'Asia/Bangkok', []),
              reminders: visitReminders(
                { id: visitId, school: s.school, purpose: 'การจัดการเรียนรู้เชิงรุก', startsAt },
                'Asia/Bangkok',
              ),
            },
          ]);
        }
      }
      await tick(h.deps, at);
      const pushes = h.line.pushes();
      for (const r of pushes.slice(seen)) sent.push({ at, body: r.body });
      seen = pushes.length;
    }

    const roleOf = new Map(people.map((p) => [p.line, p.role]));
    const perDay = new Map<string, number>();
    const perWeek = new Map<string, number>();
    for (const r of sent) {
      const b = r.body as { to: string | string[] };
      const day = new Date(r.at + 7 * HOUR).toISOString().slice(0, 10);
      for (const to of Array.isArray(b.to) ? b.to : [b.to]) {
        perDay.set(`${to} ${day}`, (perDay.get(`${to} ${day}`) ?? 0) + 1);
        perWeek.set(to, (perWeek.get(to) ?? 0) + 1);
      }
    }
    const roles = [...new Set(people.map((p) => p.role))].sort();
    const perPerson: Record<number, number> = {};
    for (const p of people) {
      const n = perWeek.get(p.line) ?? 0;
      perPerson[n] = (perPerson[n] ?? 0) + 1;
    }
    return {
      perPerson,
      people: people.length,
      pushes: [...perWeek.values()].reduce((a, b) => a + b, 0),
      maxPerDay: Math.max(0, ...perDay.values()),
      byRole: roles.map((role) => {
        const mine = people.filter((p) => p.role === role).map((p) => p.line);
        const week = mine.map((l) => perWeek.get(l) ?? 0);
        const days = [...perDay].filter(([k]) => roleOf.get(k.split(' ')[0] ?? '') === role).map(([, n]) => n);
        return {
          role,
          people: mine.length,
          pushes: week.reduce((a, b) => a + b, 0),
          maxWeek: Math.max(0, ...week),
          maxDay: Math.max(0, ...days),
        };
      }),
    };
  } finally {
    await h.close();
  }
}

export function weekTable(w: WeekResult): string {
  return [
    `${w.people} people, ${w.pushes} pushes in the week, at most ${w.maxPerDay} to one person on one day.`,
    '',
    '| role | people | pushes in the week | most to one person in the week | most to one person on one day |',
    '| --- | --- | --- | --- | --- |',
    ...w.byRole.map((r) => `| ${r.role} | ${r.people} | ${r.pushes} | ${r.maxWeek} | ${r.maxDay} |`),
    '',
    `People by pushes in the week: ${Object.entries(w.perPerson)
      .map(([n, people]) => `${people} got ${n}`)
      .join(', ')}.`,
  ].join('\n');
}

/** `npm run bench -- demo-week`: the bare seed beside the seed with its story. */
export async function run(): Promise<string> {
  const bare = await demoWeek({ story: false });
  const story = await demoWeek({ story: true });
  addSummary({
    metric: 'demo office week with its first-start story: pushes, most to one person on one day',
    nithet: `${story.pushes}, ${story.maxPerDay}`,
    ratio: `bare seed: ${bare.pushes}, ${bare.maxPerDay}`,
  });
  return [
    "## The demo office's week (bench/demo-week.ts)",
    '',
    'The demo seed with everyone linked, the tick hourly Monday 23 to Sunday 29 November 2026 (seeded the Friday before), five teachers of one network submitting on Tuesday morning and a visit planned on Tuesday afternoon for Thursday.',
    '',
    '**Bare seed** (the demo before its story: campaigns only, nothing answered or overdue):',
    '',
    weekTable(bare),
    '',
    '**With the first-start story** (what `npm start` seeds: an overdue survey and SAR, answers, visits with open actions):',
    '',
    weekTable(story),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(weekTable(await demoWeek()));
}
