// The demo office's first-start story (issue 17 item 8): a term and holidays in the calendar, answered and overdue
// work, a SAR with a few schools' answers, visits to rank by; names that never repeat; written once, so a restart
// keeps its dates; and the simulator's clock stored with the data and restored at start.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { DEMO_PEOPLE } from '../../src/demo/demo-data.js';
import { seedDemo } from '../../src/demo/seed.js';
import { academicTerm } from '../../src/demo/story.js';
import { belowTarget } from '../../src/digests/digests.queries.js';
import { DevClock } from '../../src/dev/clock.js';
import { loadDevClock, saveDevClock } from '../../src/dev/dev-clock.queries.js';
import { latestSarCampaign, sarSchools } from '../../src/sar/sar.queries.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const DAY = 86_400_000;
/** Saturday 5 December 2026, 10:00 in Bangkok: a public holiday, in term 2/2569. */
const NOW = Date.parse('2026-12-05T03:00:00Z');

let db: TestDatabase;
let officeId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  officeId = (await seedDemo(db.db, NOW, { story: true })).office.id;
});
afterAll(async () => {
  await db?.close();
});

const rows = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(db.db, q);

describe('demo story', () => {
  it('names every person distinctly: no first name repeats, so no teacher is called as the principal is', () => {
    const first = DEMO_PEOPLE.map((p) => p.displayName.replace(/^(ผอ\.|ครู|ดร\.|นางสาว|นาง|นาย)/, '').split(' ')[0]);
    expect(new Set(first).size).toBe(DEMO_PEOPLE.length);
    const principal = DEMO_PEOPLE.find((p) => p.externalId === 'demo-principal-1');
    const teacher = DEMO_PEOPLE.find((p) => p.externalId === 'demo-teacher-1-1');
    expect(principal?.displayName).toBe('ผอ.สมศรี ใจดี');
    expect(teacher?.displayName).not.toContain('สมศรี');
  });

  it('puts the academic terms and the holidays around now into the calendar', async () => {
    expect(academicTerm(NOW)).toEqual({ year: 2569, term: 2 });
    expect(academicTerm(Date.parse('2026-06-01T03:00:00Z'))).toEqual({ year: 2569, term: 1 });
    expect(academicTerm(Date.parse('2027-02-01T03:00:00Z'))).toEqual({ year: 2569, term: 2 });
    const cal = await rows<{ kind: string; title_th: string; starts_on: string; term: number | null }>(
      sql`SELECT kind, title_th, starts_on::text, term FROM calendar_events WHERE office_id = ${officeId}::uuid
           ORDER BY starts_on`,
    );
    expect(cal.filter((c) => c.kind === 'term').map((c) => [c.title_th, c.starts_on])).toEqual([
      ['ภาคเรียนที่ 1/2569', '2026-05-16'],
      ['ภาคเรียนที่ 2/2569', '2026-11-01'],
    ]);
    const holidays = cal.filter((c) => c.kind === 'holiday').map((c) => `${c.starts_on} ${c.title_th}`);
    expect(holidays).toContain('2026-12-10 วันรัฐธรรมนูญ');
    expect(holidays.some((h) => h.startsWith('2026-12-05 '))).toBe(true);
    expect(holidays).toContain('2027-01-01 วันขึ้นปีใหม่');
  });

  it('has answered and overdue work: a survey past due with most teachers in, one still to come', async () => {
    const c = await rows<{ title_th: string; overdue: boolean; submitted: number; pending: number }>(
      sql`SELECT c.title_th, c.due_at < ${new Date(NOW).toISOString()}::timestamptz AS overdue,
                 (SELECT count(*) FROM responses r WHERE r.campaign_id = c.id AND r.status = 'submitted')::int
                   AS submitted,
                 (SELECT count(*) FROM pending_assignments p WHERE p.campaign_id = c.id)::int AS pending
            FROM campaigns c WHERE c.office_id = ${officeId}::uuid AND cardinality(c.roles) > 0
           ORDER BY c.title_th`,
    );
    const early = c.find((x) => x.title_th.includes('รอบต้นภาคเรียน'));
    expect(early).toMatchObject({ overdue: true, submitted: 28, pending: 8 });
    const survey = c.find((x) => x.title_th.startsWith('สำรวจสภาพปัญหา'));
    expect(survey).toMatchObject({ overdue: false, submitted: 11 });
    // The persona teacher still has both surveys to answer (an overdue one among them).
    const persona = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pending_assignments pa JOIN people p ON p.id = pa.person_id
           WHERE p.external_id = 'demo-teacher-1-1'`,
    );
    expect(persona[0]?.n).toBe(2);
  });

  it('has a SAR due yesterday with six schools in, some below the targets they set', async () => {
    const sar = await latestSarCampaign(db.db, officeId, new Date(NOW).toISOString());
    expect(sar?.title_th).toContain('(SAR)');
    expect(sar?.due_ms).toBe(NOW - DAY);
    const schools = await sarSchools(db.db, [sar?.id ?? '']);
    expect(schools.filter((s) => s.status === 'submitted')).toHaveLength(6);
    expect(schools.filter((s) => s.status === 'in_progress')).toHaveLength(1);
    expect(schools.filter((s) => s.status === null).map((s) => s.name)).toContain('โรงเรียนบ้านหนองน้ำใส');
    const submitted = schools.find((s) => s.status === 'submitted');
    expect(submitted?.answers).toMatchObject({ s1_target: 4 });
    expect(typeof submitted?.answers?.s1_strengths).toBe('string');
    const below = await belowTarget(db.db, [officeId]);
    expect(new Set(below.map((b) => b.school_name)).size).toBeGreaterThanOrEqual(2);
  });

  it('has recorded visits with open actions (one overdue), a planned visit on a workday, and unvisited schools', async () => {
    const v = await rows<{ school: string; status: string; starts_at: string; open: number; overdue: number }>(
      sql`SELECT s.name_th AS school, v.status, v.starts_at::text,
                 (SELECT count(*) FROM visit_actions a WHERE a.visit_id = v.id AND a.status = 'open')::int AS open,
                 (SELECT count(*) FROM visit_actions a WHERE a.visit_id = v.id AND a.due_on < '2026-12-05')::int
                   AS overdue
            FROM visits v JOIN schools s ON s.id = v.school_id WHERE v.office_id = ${officeId}::uuid
           ORDER BY v.starts_at`,
    );
    expect(v.filter((x) => x.status === 'done')).toHaveLength(5);
    expect(v.reduce((n, x) => n + x.open, 0)).toBe(3);
    expect(v.reduce((n, x) => n + x.overdue, 0)).toBe(1);
    const planned = v.filter((x) => x.status === 'planned');
    expect(planned).toHaveLength(1);
    // Friday 11 December 2026, 09:00 Bangkok: five days on, past the weekend and วันรัฐธรรมนูญ (Thursday 10th).
    expect(planned[0]?.starts_at).toBe('2026-12-11 02:00:00+00');
    const recorded = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM visits v JOIN responses r ON r.id = v.response_id AND r.status = 'submitted'
           WHERE v.office_id = ${officeId}::uuid`,
    );
    expect(recorded[0]?.n).toBe(5);
  });

  it('is written once: a restart a week later adds nothing and moves no due date', async () => {
    const before = await rows<{ title_th: string; due_at: string }>(
      sql`SELECT title_th, due_at::text FROM campaigns WHERE office_id = ${officeId}::uuid ORDER BY title_th`,
    );
    const counts = sql`SELECT (SELECT count(*) FROM responses)::int AS r, (SELECT count(*) FROM visits)::int AS v,
                              (SELECT count(*) FROM calendar_events)::int AS c`;
    const [c0] = await rows<{ r: number; v: number; c: number }>(counts);
    await seedDemo(db.db, NOW + 7 * DAY, { story: true });
    expect(
      await rows(
        sql`SELECT title_th, due_at::text FROM campaigns WHERE office_id = ${officeId}::uuid ORDER BY title_th`,
      ),
    ).toEqual(before);
    expect((await rows(counts))[0]).toEqual(c0);
  });
});

describe('the simulator clock, stored with the data', () => {
  it('restores the offset at start so time goes on from where it was moved to, never back', async () => {
    let real = NOW;
    const clock = new DevClock(() => real);
    expect(clock.moveTo(NOW + 3 * DAY)).toBe(true);
    real += 60_000; // a minute passes after the jump
    await saveDevClock(db.db, clock.snapshot());
    expect(await loadDevClock(db.db)).toEqual({ simulatedAt: NOW + 3 * DAY + 60_000, realAt: NOW + 60_000 });

    // Restarted an hour later (real time): the simulated time is three days ahead of it, as before.
    real = NOW + 3_600_000;
    const restarted = new DevClock(() => real);
    restarted.restore(await loadDevClock(db.db));
    expect(restarted.now()).toBe(NOW + 3 * DAY + 3_600_000);
    // A second move stores over the first (one row).
    expect(restarted.moveTo(NOW + 5 * DAY)).toBe(true);
    await saveDevClock(db.db, restarted.snapshot());
    expect((await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM dev_clock`))[0]?.n).toBe(1);
    // A stored time behind the real time it was stored at (a hand-edited row) never moves the clock back.
    await saveDevClock(db.db, { simulatedAt: NOW, realAt: NOW + DAY });
    const fresh = new DevClock(() => NOW + 30 * DAY);
    fresh.restore(await loadDevClock(db.db));
    expect(fresh.now()).toBe(NOW + 30 * DAY);
  });
});
