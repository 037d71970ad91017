// A director's digest cut (people.digest_cut, issue 16.1): set through the people action shared by the API and the
// web, it makes that director's weekly digest count only the schools in the cut (the campaigns' rule, schoolInCut)
// and say so in its heading — staged by the real tick on a Monday inside their one push, and by reply
// (สรุปสัปดาห์นี้); its visit counts are of the visits to the cut's schools. Directors without a cut keep the
// office-wide digest, one shared body.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personPatch, updatePerson } from '../../src/admin/people.actions.js';
import { queryRows } from '../../src/db/client.js';
import { weekDigestReply } from '../../src/digests/week-chat.js';
import { createLogger } from '../../src/log.js';
import { tick } from '../../src/scheduler/tick.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { messagesOf } from '../support/outbox.js';
import { count } from '../support/sql.js';
import { type Fixture, MONDAY_0800, seedFixture, TITLES } from './fixture.js';

let t: TestDatabase;
let f: Fixture;
const log = createLogger('error', () => {});
const TAG = 'โรงเรียนคุณภาพประจำตำบล';
const OFFICE_A = 'สำนักงานเขตพื้นที่การศึกษาทดสอบ ก';

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedFixture(t.db);
  // S1 is an early-childhood school of the project; the other schools of office A are not.
  await t.db.execute(sql`UPDATE schools SET tags = ARRAY[${TAG}]::text[], levels = ARRAY['early_childhood']::text[]
                          WHERE id = ${f.school.S1}::uuid`);
  // d3 linked too: two directors without a cut (d1, d3) and one with (d2).
  await t.db.execute(sql`
    UPDATE people SET status = 'active', channel_id = 'default', line_user_id = 'U' || md5(id::text), linked_at = now()
     WHERE id = ${f.person.d3}::uuid`);
  // This term's visits: sup1 to S1 (done) and S2 (planned, and one cancelled, which never counts), sup2 to S4 (done).
  // The office: 2 done of 3; the cut (S1): 1 of 1.
  const visit = (sup: string, school: string, day: string, status: string) => sql`
    (gen_random_uuid(), ${f.officeA}::uuid, ${f.school[school as 'S1']}::uuid, ${f.person[sup]}::uuid,
     ${`${day}T03:00:00Z`}::timestamptz, 'นิเทศติดตาม', ${status})`;
  await t.db.execute(sql`
    INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status) VALUES
      ${visit('sup1', 'S1', '2026-11-10', 'done')}, ${visit('sup1', 'S2', '2026-11-26', 'planned')},
      ${visit('sup1', 'S2', '2026-11-12', 'cancelled')}, ${visit('sup2', 'S4', '2026-11-11', 'done')}`);
  await updatePerson(t.db, f.officeA, f.person.d2 ?? '', personPatch.parse({ digestCut: { tags: [TAG] } }), {
    now: MONDAY_0800,
    actor: 'test',
  });
});
afterAll(() => t.close());

/** The person's pushes of Monday 23 November, each as the messages it sends. */
async function mondayPushes(key: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    t.db,
    sql`SELECT id FROM outbox WHERE person_id = ${f.person[key]}::uuid AND local_day = '2026-11-23'`,
  );
  return Promise.all(rows.map(async (r) => JSON.stringify(await messagesOf(t.db, r.id))));
}

describe("a director's digest cut", () => {
  it('is stored through the shared action; an unknown value is refused naming the field', () => {
    const bad = personPatch.safeParse({ digestCut: { levels: ['kindergarten-ish'] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['digestCut', 'levels', 0]);
  });

  it('the tick on a Monday: each director gets the digest in one push; the cut one counts only its schools', async () => {
    await tick({ db: t.db, log }, MONDAY_0800);
    const [d1] = await mondayPushes('d1');
    const [d2, ...more] = await mondayPushes('d2');
    expect(more).toEqual([]);
    expect(await count(t.db, sql`outbox WHERE person_id = ${f.person.d1}::uuid`)).toBe(1);
    // d1: the whole office (survey 5/8 people, IQA 2/4 schools, by cluster).
    expect(d1).toContain('5/8 คน (63%)');
    expect(d1).toContain('2/4 โรงเรียน (50%)');
    expect(d1).not.toContain('เฉพาะโรงเรียน');
    expect(d1).toContain('2/3 ครั้ง (67%)');
    // d2: only S1 (cluster C1), and the heading names the cut.
    expect(d2).toContain(`${OFFICE_A} · เฉพาะโรงเรียน: โครงการ ${TAG}`);
    expect(d2).toContain(TITLES.survey);
    expect(d2).not.toContain('5/8 คน');
    // S1: the survey 2/3 of its teachers, the IQA 1/1 school, SAR standard 1 below target (standard 2 is S2's).
    expect(d2).toContain('2/3 คน (67%)');
    expect(d2).toContain('1/1 โรงเรียน (100%)');
    expect(d2).toContain('3/4 รายการ (75%)');
    expect(d2).toContain('มาตรฐานที่ 1 คุณภาพของผู้เรียน');
    expect(d2).not.toContain('มาตรฐานที่ 2');
    expect(d2).not.toContain('เครือข่ายสอง');
    // Visits: only S1's, 1 done of 1.
    expect(d2).toContain('1/1 ครั้ง (100%)');
    expect(d2).not.toContain('2/3 ครั้ง');
    // Identical views share one body: d1 and d3 one hash, d2 its own.
    const hashes = await queryRows<{ person_id: string; b: string }>(
      t.db,
      sql`SELECT person_id, data->>'b' AS b FROM outbox_items WHERE kind = 'digest'
           AND person_id IN (${f.person.d1}::uuid, ${f.person.d2}::uuid, ${f.person.d3}::uuid)`,
    );
    const hashOf = (k: string) => hashes.find((h) => h.person_id === f.person[k])?.b;
    expect(hashOf('d3')).toBe(hashOf('d1'));
    expect(hashOf('d2')).not.toBe(hashOf('d1'));
  });

  it('by reply (สรุปสัปดาห์นี้) the same cut', async () => {
    const cut = JSON.stringify(await weekDigestReply(t.db, { id: f.person.d2 ?? '', role: 'director' }, MONDAY_0800));
    const whole = JSON.stringify(await weekDigestReply(t.db, { id: f.person.d1 ?? '', role: 'director' }, MONDAY_0800));
    expect(cut).toContain(`เฉพาะโรงเรียน: โครงการ ${TAG}`);
    expect(cut).toContain('2/3 คน (67%)');
    expect(cut).not.toContain('5/8 คน');
    expect(cut).toContain('1/1 ครั้ง (100%)');
    expect(whole).toContain('5/8 คน (63%)');
    expect(whole).toContain('2/3 ครั้ง (67%)');
    expect(whole).not.toContain('เฉพาะโรงเรียน');
  });
});
