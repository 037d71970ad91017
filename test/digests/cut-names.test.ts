// A director's digest cut on the digest's "ดูรายชื่อ" (issue 16.1): through the signed webhook, the names a director
// with a cut by tag is shown are only those of the cut's schools (schoolInCut, the digest's own rule); without a cut,
// the whole office.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { personPatch, updatePerson } from '../../src/admin/people.actions.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';

const TAG = 'โรงเรียนคุณภาพประจำตำบล';
let h: Harness;
let demo: DemoSeed;
const director = userId('cut-names-director');
let campaignId = '';
let directorId = '';
/** The survey's teachers (none has answered): those of the tagged school, and of every other school. */
let inCut: string[] = [];
let outOfCut: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  await h.post(ev.text(persona(demo, 'director').inviteCode, { user: director }));
  await h.post(ev.text('ใช่', { user: director }));
  const [c] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM campaigns WHERE office_id = ${demo.office.id}::uuid AND 'teacher' = ANY(roles) LIMIT 1`,
  );
  campaignId = c?.id ?? '';
  const [d] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id}::uuid AND role = 'director' AND line_user_id = ${director}`,
  );
  directorId = d?.id ?? '';
  // Tag the school of one teacher: the cut is that school alone.
  const [tagged] = await queryRows<{ school_id: string }>(
    h.db.db,
    sql`UPDATE schools SET tags = ARRAY[${TAG}]::text[]
         WHERE id = (SELECT school_id FROM people WHERE office_id = ${demo.office.id}::uuid AND role = 'teacher'
                      ORDER BY display_name LIMIT 1)
        RETURNING id AS school_id`,
  );
  const teachers = await queryRows<{ name: string; school_id: string }>(
    h.db.db,
    sql`SELECT display_name AS name, school_id FROM people
         WHERE office_id = ${demo.office.id}::uuid AND role = 'teacher'`,
  );
  inCut = teachers.filter((p) => p.school_id === tagged?.school_id).map((p) => p.name);
  outOfCut = teachers.filter((p) => p.school_id !== tagged?.school_id).map((p) => p.name);
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
});

async function tapNames(): Promise<string> {
  const [reply] = await h.post(ev.postback(`a=names&k=pending&c=${campaignId}`, { user: director }));
  return replyTexts(reply).join('\n');
}

describe("the digest's ดูรายชื่อ by a director's cut", () => {
  it('without a cut, the whole office; with a cut by tag, only the cut schools’ names', async () => {
    expect(inCut.length).toBeGreaterThan(0);
    expect(outOfCut.length).toBeGreaterThan(0);
    const whole = await tapNames();
    for (const n of [...inCut, ...outOfCut]) expect(whole).toContain(n);

    await updatePerson(h.db.db, demo.office.id, directorId, personPatch.parse({ digestCut: { tags: [TAG] } }), {
      now: h.clock.now,
      actor: 'test',
    });
    const cut = await tapNames();
    for (const n of inCut) expect(cut).toContain(n);
    for (const n of outOfCut) expect(cut).not.toContain(n);
    expect(cut).toContain(`รวม ${inCut.length} คน`);
  });
});
