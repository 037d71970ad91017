// Supervision visits end to end through the signed webhook with a simulated clock: planning in Thai (typed and
// tapped), clashes and holidays flagged, the principal's notice and self-assessment, reminders through the
// outbox and the tick, rescheduling and cancelling, recording with the visit form, the principal's summary,
// acknowledgement and comment, follow-ups, the next visit opening with the previous findings, coverage, and the
// authorization cases (other schools, other people's visits, forged and replayed postbacks, stale buttons).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { coverage, visitsThisSemester } from '../../src/visits/visits.queries.js';
import { openCampaigns } from '../../src/digests/digests.queries.js';
import { body, ev, userId } from '../support/events.js';
import { ADMIN, replyTexts, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { JPEG } from '../support/files.js';

let h: Harness;
let demo: DemoSeed;
const SUP = userId('visit-sup-1');
const SUP2 = userId('visit-sup-2');
const PRI = userId('visit-pri-1');
const PRI2 = userId('visit-pri-2');
const at = (iso: string) => Date.parse(iso);

async function say(event: unknown): Promise<string[]> {
  const before = h.line.replies().length;
  const res = await h.webhook(body(event));
  expect(res.status).toBe(200);
  await h.settle();
  expect(h.line.invalid()).toEqual([]);
  return h.line
    .replies()
    .slice(before)
    .flatMap((r) => replyTexts(r.body));
}
const text = (user: string, t: string) => say(ev.text(t, { user }));
const tap = (user: string, data: string, params?: Record<string, string>) =>
  say(ev.postback(data, { user, ...(params === undefined ? {} : { params }) }));

/** Postback data in the last reply (quick replies and Flex buttons), by label. */
function lastButtons(): Map<string, string> {
  const map = new Map<string, string>();
  const json = JSON.stringify(h.line.replies().at(-1)?.body ?? {});
  for (const m of json.matchAll(/"label":"([^"]*)","data":"([^"]*)"/g)) map.set(m[1] ?? '', m[2] ?? '');
  for (const m of json.matchAll(/"data":"([^"]*)"[^}]*?"label":"([^"]*)"/g))
    if (!map.has(m[2] ?? '')) map.set(m[2] ?? '', m[1] ?? '');
  return map;
}
const pushesTo = (user: string) => h.line.pushes().filter((p) => (p.body as { to?: string }).to === user);
const stateOf = async (user: string) =>
  (
    await one<{ state: { seq: number; flow: Record<string, unknown> } }>(
      h.db.db,
      sql`SELECT state FROM conversations WHERE line_user_id = ${user}`,
    )
  ).state;

let school1: string;
let followUpTap = '';
let school2: string;
let c2School: string;
let visit1: string;
let selfAssessment: string;
let principalPushesAfterVisit = 0;

async function linkPerson(externalId: string, user: string) {
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(h.db.db, demo.office.id, [p?.id ?? ''], h.clock.now);
  expect((await text(user, invite?.code ?? '')).join()).toMatch(/ใช่ไหม/);
  expect((await text(user, 'ใช่')).join()).toMatch(/ยินดีต้อนรับ/); // whose account it is: confirmed
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // clock: Friday 20 November 2026, 09:00 in Bangkok
  await linkPerson('demo-supervisor-1', SUP);
  await linkPerson('demo-supervisor-2', SUP2);
  await linkPerson('demo-principal-1', PRI);
  await linkPerson('demo-principal-2', PRI2);
  const ids = await queryRows<{ id: string; code: string }>(
    h.db.db,
    sql`SELECT id, code FROM schools WHERE office_id = ${demo.office.id} ORDER BY code`,
  );
  school1 = ids[0]?.id ?? '';
  school2 = ids[1]?.id ?? '';
  c2School = ids[7]?.id ?? '';
  await h.db.db
    .execute(sql`INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
      VALUES (${demo.office.id}, 'holiday', 'วันพ่อแห่งชาติ', '2026-12-05', '2026-12-05', NULL, NULL),
             (${demo.office.id}, 'term', 'ภาคเรียนที่ 2/2569', '2026-11-01', '2027-03-31', 2569, 2)`);
});
afterAll(() => h.close());

describe('planning a visit in chat', () => {
  it('lists the supervisor’s schools only, most due first, and plans with typed Thai', async () => {
    const list = (await text(SUP, 'นัดนิเทศ')).join('\n');
    expect(list).toMatch(/เลือกโรงเรียน \(6 โรงเรียน/);
    // None was ever visited: each says why it stands where it does.
    expect(list).toMatch(/อยู่ลำดับนี้เพราะ: ยังไม่เคยนิเทศ \(นับเท่ากับไม่ได้นิเทศ 1 ปี\)/);
    expect(list).toContain('โรงเรียนบ้านหนองน้ำใส');
    expect(list).not.toContain('โรงเรียนท่าช้าง'); // a C2 school: not theirs
    expect((await text(SUP, 'บ้านหนองน้ำใส')).join()).toMatch(/วันและเวลาใด/);
    expect((await text(SUP, '25 พ.ย. 69')).join()).toMatch(/ระบุเวลาด้วย/);
    expect((await text(SUP, '๒๕/๑๑/๒๕๖๙ ๐๙:๓๐')).join()).toMatch(/ประเด็น/);
    const confirm = (await text(SUP, 'ติดตามการจัดการเรียนรู้เชิงรุก')).join();
    expect(confirm).toMatch(/ยืนยันการนัดนิเทศ/);
    expect(confirm).toContain('วันพุธที่ 25 พฤศจิกายน พ.ศ. 2569 เวลา 09:30 น.');
    expect(confirm).not.toMatch(/⚠️/);
    const ok = lastButtons().get('ยืนยัน') ?? '';
    // A sticker in between re-asks and keeps the buttons valid; a stale button changes nothing.
    await say(ev.sticker({ user: SUP }));
    expect((await tap(SUP, 's=1&a=vsch&sc=' + school2)).join()).toMatch(/คำถามก่อนหน้า/);
    expect((await stateOf(SUP)).flow.step).toBe('confirm');
    expect((await tap(SUP, ok)).join()).toMatch(/บันทึกนัดนิเทศ โรงเรียนบ้านหนองน้ำใส/);
    const v = await one<{ id: string; starts_at: string; status: string; school_id: string; cp: string | null }>(
      h.db.db,
      sql`SELECT id, starts_at::text, status, school_id, self_assessment_campaign_id AS cp FROM visits`,
    );
    visit1 = v.id;
    expect(v.school_id).toBe(school1);
    expect(new Date(v.starts_at).toISOString()).toBe('2026-11-25T02:30:00.000Z');
    expect(v.cp).not.toBeNull();
    // Queued for the daily bundles: the day before's and the day's from the start of those days (their bundles
    // carry them), the record prompt from two hours after the start, the notice to the linked principal at once.
    const rows = await queryRows<{ key: string; due_at: string }>(
      h.db.db,
      sql`SELECT key, due_at::text FROM outbox_items WHERE key LIKE ${`visit:${visit1}:%`} ORDER BY due_at`,
    );
    const byKey = new Map(rows.map((r) => [r.key.replace(`visit:${visit1}:`, ''), new Date(r.due_at).toISOString()]));
    expect(byKey.get('eve:1')).toBe('2026-11-23T17:00:00.000Z'); // 24 November, Bangkok
    expect(byKey.get('morning:1')).toBe('2026-11-24T17:00:00.000Z'); // 25 November, Bangkok
    expect(byKey.get('record:1')).toBe('2026-11-25T04:30:00.000Z'); // two hours after the start
    expect([...byKey.keys()].filter((k) => k === 'planned')).toHaveLength(1); // the linked principal
  });

  it('the principal hears of it with the pre-visit self-assessment, which opens from the notice', async () => {
    await tick(h.deps, h.clock.now + 60_000);
    const push = pushesTo(PRI);
    expect(push).toHaveLength(1);
    const json = JSON.stringify(push[0]?.body);
    expect(json).toContain('นัดหมายการนิเทศ');
    const data = /"data":"(a=open&c=[0-9a-f-]{36})"/.exec(json)?.[1] ?? '';
    expect(data).not.toBe('');
    expect((await tap(PRI, data)).join()).toMatch(/ข้อ 1\/(?:ประมาณ )?\d+/);
    await text(PRI, 'เมนู');
    expect(pushesTo(SUP)).toHaveLength(0); // the supervisor's reminders wait for their time
  });

  it('flags a clash with the supervisor’s own visit and an office holiday, and stops on ยกเลิก', async () => {
    await text(SUP, 'นัดนิเทศ');
    await text(SUP, 'บ้านโคกสว่าง');
    await text(SUP, '25/11/2569 10:00');
    expect((await text(SUP, 'ทดสอบ')).join()).toMatch(/⚠️ ชนกับนัดนิเทศ โรงเรียนบ้านหนองน้ำใส เวลา 09:30/);
    await text(SUP, 'เปลี่ยนเวลา');
    expect((await text(SUP, '5 ธ.ค. 2569 9 โมง')).join()).toMatch(/⚠️ ตรงกับวันหยุดในปฏิทินสำนักงาน: วันพ่อแห่งชาติ/);
    expect((await text(SUP, 'ยกเลิก')).join()).toMatch(/ยกเลิกการนัดนิเทศที่กำลังทำแล้ว/);
    expect(await count(h.db.db, sql`visits`)).toBe(1);
  });

  it('flags a weekend and a public holiday the office calendar has not saved, before confirming', async () => {
    await text(SUP, 'นัดนิเทศ');
    const ask = (await text(SUP, 'บ้านโคกสว่าง')).join();
    // The typed example is a date ahead, whatever today is.
    const ex = /เช่น "(\d{1,2})\/(\d{1,2})\/(\d{4}) 09:30"/.exec(ask);
    expect(ex).not.toBeNull();
    const exampleDay = Date.UTC(Number(ex?.[3]) - 543, Number(ex?.[2]) - 1, Number(ex?.[1]));
    expect(exampleDay).toBeGreaterThan(h.clock.now);
    await text(SUP, '28/11/2569 10:00'); // a Saturday
    const saturday = (await text(SUP, 'ทดสอบ')).join();
    expect(saturday).toMatch(/ยืนยันการนัดนิเทศ/);
    expect(saturday).toContain('⚠️ ตรงกับวันเสาร์ (วันหยุดสุดสัปดาห์)');
    await text(SUP, 'เปลี่ยนเวลา');
    const constitution = (await text(SUP, '10 ธ.ค. 2569 9 โมง')).join();
    expect(constitution).toContain('⚠️ ตรงกับวันหยุดราชการ: วันรัฐธรรมนูญ');
    expect(constitution).not.toMatch(/วันหยุดสุดสัปดาห์/);
    // A weekday that is no holiday carries no flag.
    await text(SUP, 'เปลี่ยนเวลา');
    expect((await text(SUP, '9 ธ.ค. 2569 9 โมง')).join()).not.toMatch(/⚠️/);
    await text(SUP, 'ยกเลิก');
    expect(await count(h.db.db, sql`visits`)).toBe(1);
  });

  it('refuses a time in the past and a school that is not the supervisor’s, even by a forged postback', async () => {
    await text(SUP, 'นัดนิเทศ');
    const st = await stateOf(SUP);
    expect((await tap(SUP, `s=${st.seq}&a=vsch&sc=${c2School}`)).join()).toMatch(/ไม่อยู่ในความรับผิดชอบ/);
    expect((await tap(SUP, `s=${st.seq}&a=vsch&sc=${school2}`)).join()).toMatch(/วันและเวลาใด/);
    expect((await text(SUP, 'เมื่อวาน 9 โมง')).join()).toMatch(/ผ่านไปแล้ว/);
    // LINE's datetime picker.
    const pick = lastButtons().get('เลือกวันเวลา') ?? '';
    expect((await tap(SUP, pick, { datetime: '2026-11-27T09:00' })).join()).toMatch(/ประเด็น/);
    await text(SUP, 'นิเทศการวัดและประเมินผล');
    await text(SUP, 'ยืนยัน');
    expect(await count(h.db.db, sql`visits WHERE school_id = ${school2} AND status = 'planned'`)).toBe(1);
  });

  it('cancels a visit, which drops its reminders and closes its self-assessment', async () => {
    const v2 = await one<{ id: string; cp: string }>(
      h.db.db,
      sql`SELECT id, self_assessment_campaign_id AS cp FROM visits WHERE school_id = ${school2}`,
    );
    // Another supervisor (joint in that network) cannot cancel it.
    expect((await tap(SUP2, `a=vcancel&v=${v2.id}`)).join()).toMatch(/ไม่พบนัดนิเทศนี้/);
    expect((await tap(SUP, `a=vcancel&v=${v2.id}`)).join()).toMatch(/ยกเลิกนัดนิเทศ โรงเรียนบ้านโคกสว่าง .* ใช่หรือไม่/);
    expect((await tap(SUP, lastButtons().get('ยกเลิกนัดนี้') ?? '')).join()).toMatch(/ยกเลิกนัดนิเทศ โรงเรียนบ้านโคกสว่าง แล้ว/);
    expect((await one<{ status: string }>(h.db.db, sql`SELECT status FROM visits WHERE id = ${v2.id}`)).status).toBe(
      'cancelled',
    );
    // Its waiting notices and reminders are withdrawn.
    expect(
      await count(
        h.db.db,
        sql`outbox_items WHERE key LIKE ${`visit:${v2.id}:%`} AND key <> ${`visit:${v2.id}:cancelled`}`,
      ),
    ).toBe(0);
    // The joint supervisor of its network (SUP2) is told; its principal, whose notice was still waiting for their
    // next bundle, never heard of the visit and is not told of its cancelling.
    const told = await queryRows<{ person_id: string; role: string }>(
      h.db.db,
      sql`SELECT i.person_id, p.role FROM outbox_items i JOIN people p ON p.id = i.person_id
           WHERE i.key = ${`visit:${v2.id}:cancelled`} ORDER BY p.role`,
    );
    expect(told.map((r) => r.role)).toEqual(['supervisor']);
    expect(
      await count(h.db.db, sql`people WHERE id = ${told[0]?.person_id ?? ''}::uuid AND line_user_id = ${SUP2}`),
    ).toBe(1);
    expect(await count(h.db.db, sql`campaigns WHERE id = ${v2.cp} AND closed_at IS NOT NULL`)).toBe(1);
    // Replaying the cancel does nothing more.
    expect((await tap(SUP, `a=vcancel&v=${v2.id}`)).join()).toMatch(/ไม่พบนัดนิเทศนี้/);
  });

  it('reschedules from the list: reminders move, the principal is told', async () => {
    await text(SUP, 'ตารางนิเทศ');
    const move = lastButtons().get('เลื่อนนัด') ?? '';
    expect(move).toContain(visit1);
    expect((await tap(SUP, move)).join()).toMatch(/วันและเวลาใด/);
    const confirm = (await text(SUP, 'วันพฤหัสบดีที่ 26 พ.ย. 2569 บ่ายโมง')).join();
    expect(confirm).toMatch(/ยืนยันการเลื่อนนัดนิเทศ/);
    expect((await text(SUP, 'ยืนยัน')).join()).toMatch(/เลื่อนนัดนิเทศ โรงเรียนบ้านหนองน้ำใส/);
    const v = await one<{ starts_at: string; revision: number }>(
      h.db.db,
      sql`SELECT starts_at::text, revision FROM visits WHERE id = ${visit1}`,
    );
    expect(new Date(v.starts_at).toISOString()).toBe('2026-11-26T06:00:00.000Z');
    expect(v.revision).toBe(2);
    const eve = await one<{ due_at: string }>(
      h.db.db,
      sql`SELECT due_at::text FROM outbox_items WHERE key = ${`visit:${visit1}:eve:2`}`,
    );
    expect(new Date(eve.due_at).toISOString()).toBe('2026-11-24T17:00:00.000Z'); // 25 November, Bangkok
    expect(await count(h.db.db, sql`outbox_items WHERE key = ${`visit:${visit1}:eve:1`}`)).toBe(0);
    const moved = await queryRows<{ key: string }>(
      h.db.db,
      sql`SELECT key FROM outbox_items WHERE key = ${`visit:${visit1}:moved:2`}`,
    );
    expect(moved).toHaveLength(2); // the principal and the joint supervisor, keyed by the new revision
    // Both already had today's push: they hear of it in their next bundle, Monday's, and SUP2 of the move and
    // the cancelling in one push.
    const before = { pri: pushesTo(PRI).length, sup2: pushesTo(SUP2).length };
    await tick(h.deps, h.clock.now + 120_000);
    expect(pushesTo(PRI)).toHaveLength(before.pri);
    await tick(h.deps, at('2026-11-23T01:01:00Z'));
    expect(pushesTo(PRI)).toHaveLength(before.pri + 1);
    expect(JSON.stringify(pushesTo(PRI).at(-1)?.body)).toMatch(/เลื่อนนัดนิเทศ โรงเรียนบ้านหนองน้ำใส/);
    const joint = pushesTo(SUP2)
      .slice(before.sup2)
      .map((p) => JSON.stringify(p.body));
    expect(joint).toHaveLength(1);
    expect(joint[0]).toMatch(/เลื่อนนัดนิเทศ โรงเรียนบ้านหนองน้ำใส/);
    expect(joint[0]).toMatch(/ยกเลิกนัดนิเทศ โรงเรียนบ้านโคกสว่าง/);
  });

  it('reminds the supervisor the afternoon before and the morning of the visit, once each', async () => {
    // In the supervisor's bundle of the day before (08:00) and of the day (08:00), once each.
    const about = () =>
      pushesTo(SUP)
        .map((p) => JSON.stringify(p.body))
        .filter((p) => p.includes('นัดนิเทศ โรงเรียนบ้านหนองน้ำใส'));
    await tick(h.deps, at('2026-11-24T01:01:00Z'));
    expect(about()).toHaveLength(0);
    await tick(h.deps, at('2026-11-25T01:01:00Z'));
    await tick(h.deps, at('2026-11-25T09:06:00Z'));
    expect(about()).toEqual([expect.stringMatching(/พรุ่งนี้ 13:00 น\./)]);
    await tick(h.deps, at('2026-11-26T01:01:00Z'));
    expect(about()).toHaveLength(2);
    expect(about()[1]).toMatch(/วันนี้ 13:00 น\./);
  });
});

describe('the school’s self-assessment of the term', () => {
  it('is one system campaign per school and term, due at the visit, closed by the tick once the visit has begun', async () => {
    const c = await one<{ id: string; title_th: string; system: boolean; due: string; closed: boolean }>(
      h.db.db,
      sql`SELECT c.id, c.title_th, c.system, c.due_at::text AS due, c.closed_at IS NOT NULL AS closed
            FROM visits v JOIN campaigns c ON c.id = v.self_assessment_campaign_id WHERE v.id = ${visit1}`,
    );
    expect(c).toMatchObject({
      title_th: 'แบบประเมินตนเองก่อนรับการนิเทศ โรงเรียนบ้านหนองน้ำใส ภาคเรียนที่ 2/2569',
      system: true,
      closed: false,
    });
    expect(new Date(c.due).toISOString()).toBe('2026-11-26T06:00:00.000Z'); // moved with the visit
    selfAssessment = c.id;
    // Before the visit the principal still owes it (they opened it, never submitted).
    expect(await count(h.db.db, sql`pending_assignments WHERE campaign_id = ${c.id}`)).toBe(1);
    // Never one of the office's campaigns: not in the admin's list, nor in the digests' open campaigns.
    const list = await (
      await h.fetch(`/admin/api/v1/offices/${demo.office.id}/campaigns?limit=500`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json<{ items: { id: string }[] }>();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.map((i) => i.id)).not.toContain(c.id);
    const open = await openCampaigns(h.db.db, [demo.office.id], new Date(h.clock.now).toISOString());
    expect(open.length).toBeGreaterThan(0);
    expect(open.map((o) => o.id)).not.toContain(c.id);
    // The visit began at 13:00 Bangkok; the next tick closes it: nothing more to remind, nothing overdue.
    await tick(h.deps, at('2026-11-26T06:05:00Z'));
    expect(await count(h.db.db, sql`campaigns WHERE id = ${c.id} AND closed_at IS NOT NULL`)).toBe(1);
    principalPushesAfterVisit = pushesTo(PRI).length;
  });
});

describe('recording the visit', () => {
  it('is not possible before the visit time, nor by another supervisor', async () => {
    h.clock.now = at('2026-11-26T03:00:00Z'); // 10:00, the visit is at 13:00
    expect((await tap(SUP, `a=vrec&v=${visit1}`)).join()).toMatch(/ยังไม่ถึงเวลานิเทศ/);
    h.clock.now = at('2026-11-26T08:05:00Z'); // 15:05
    expect((await tap(SUP2, `a=vrec&v=${visit1}`)).join()).toMatch(/ไม่พบนัดนิเทศนี้/);
  });

  it('runs the visit form after the prompt, school and date already filled, and sends the principal a summary', async () => {
    // Due two hours after the start, after that day's bundle: it comes in the next one, Friday's.
    await tick(h.deps, h.clock.now);
    expect(JSON.stringify(pushesTo(SUP).at(-1)?.body)).not.toMatch(/บันทึกผลการนิเทศ โรงเรียนบ้านหนองน้ำใส ได้แล้ว/);
    await tick(h.deps, at('2026-11-27T01:01:00Z'));
    const prompt = JSON.stringify(pushesTo(SUP).at(-1)?.body);
    expect(prompt).toMatch(/บันทึกผลการนิเทศ โรงเรียนบ้านหนองน้ำใส ได้แล้ว/);
    const rec = /"data":"(a=vrec&v=[0-9a-f-]{36})"/.exec(prompt)?.[1] ?? '';
    // The school rated itself before the visit: its self-assessment submitted with two of the eight indicators.
    const now = new Date(h.clock.now).toISOString();
    await h.db.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT gen_random_uuid(), v.office_id, cp.id, cp.checklist_id, v.school_id, v.school_id, 'submitted', ${now},
             ${now}, ${now}
        FROM visits v JOIN campaigns cp ON cp.id = v.self_assessment_campaign_id WHERE v.id = ${visit1}
      ON CONFLICT (campaign_id, subject_key) DO UPDATE SET status = 'submitted', submitted_at = ${now}`);
    await h.db.db.execute(sql`
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      SELECT r.id, k.key, 0, k.value, ${now}
        FROM responses r JOIN visits v ON v.self_assessment_campaign_id = r.campaign_id,
             (VALUES ('curriculum', '5'::jsonb), ('learning', '2'::jsonb)) AS k(key, value)
       WHERE v.id = ${visit1}
      ON CONFLICT DO NOTHING`);
    const first = (await tap(SUP, rec)).join('\n');
    expect(first).toMatch(/ยังไม่มีผลการนิเทศครั้งก่อน/);
    // The visit form opens with the school's own ratings of the same indicators, judged by their targets.
    expect(first).toMatch(/ผลการประเมินตนเองของโรงเรียน \(ส่งเมื่อ .*2569\)/);
    expect(first).toContain('• ตัวชี้วัดที่ 1 การบริหารหลักสูตรสถานศึกษา: 5 ยอดเยี่ยม (ผ่านเป้าหมาย)');
    expect(first).toContain('• ตัวชี้วัดที่ 2 การจัดการเรียนรู้ที่เน้นผู้เรียนเป็นสำคัญ: 2 ปานกลาง (ต่ำกว่าเป้าหมาย)');
    expect(first).toMatch(/ภาคเรียน/);
    let moreDone = false;
    for (let i = 0; i < 60; i++) {
      const st = await stateOf(SUP);
      const flow = st.flow as { flow: string; at?: { kind: string; key: string } };
      if (flow.flow !== 'checklist') break;
      const atPos = flow.at;
      if (atPos?.kind === 'review') {
        await text(SUP, 'ส่ง');
        continue;
      }
      if (atPos?.kind === 'more') {
        await text(SUP, moreDone ? 'ไม่' : 'ใช่');
        moreDone = true;
        continue;
      }
      switch (atPos?.key ?? '') {
        case 'semester':
          await text(SUP, '2');
          break;
        case 'visit_mode':
          await text(SUP, 'ลงพื้นที่ที่โรงเรียน');
          break;
        case 'strengths':
          await text(SUP, 'ครูใช้สื่อหลากหลาย');
          break;
        case 'improve':
          await text(SUP, 'การวัดผลตามสภาพจริง');
          break;
        case 'suggestions':
          await text(SUP, 'จัด PLC ทุกสัปดาห์');
          break;
        case 'best_practice_found':
          await text(SUP, 'ใช่');
          break;
        case 'best_practice':
          await text(SUP, 'ธนาคารขยะรีไซเคิลโดยนักเรียน');
          break;
        case 'evidence': {
          const img = ev.image({ user: SUP });
          h.line.setContent(img.message.id, JPEG, 'image/jpeg');
          await say(img);
          await text(SUP, 'เสร็จ');
          break;
        }
        case 'action_what':
          await text(SUP, 'จัดทำแผนการวัดผลตามสภาพจริง');
          break;
        case 'action_owner':
          await text(SUP, 'ครูวิชาการ');
          break;
        case 'action_due':
          await text(SUP, '15/12/2569');
          break;
        case 'decision':
          await text(SUP, 'ยังไม่ผ่าน');
          break;
        case 'next_visit':
          await text(SUP, '16/12/2569');
          break;
        default:
          await text(SUP, '๔'); // ratings
      }
    }
    const last = replyTexts(h.line.replies().at(-1)?.body).join('\n');
    expect(last).toMatch(/ยังไม่ผ่านเกณฑ์ ควรนัดนิเทศติดตามผล/);
    // The follow-up date written in the form rides on the planning button (issue 17).
    expect(last).toContain('กำหนดนิเทศติดตาม โรงเรียนบ้านหนองน้ำใส ตามที่บันทึกไว้: วันพุธที่ 16 ธันวาคม พ.ศ. 2569');
    followUpTap = lastButtons().get('นัดนิเทศติดตาม') ?? '';
    expect(followUpTap).toBe(`a=vfollow&v=${visit1}&d=2026-12-16`);
    const v = await one<{ status: string; decision: string; response_id: string }>(
      h.db.db,
      sql`SELECT status, decision, response_id FROM visits WHERE id = ${visit1}`,
    );
    expect(v).toMatchObject({ status: 'done', decision: 'not_yet' });
    expect(
      await count(
        h.db.db,
        sql`responses WHERE id = ${v.response_id} AND status = 'submitted' AND subject_key = ${visit1}`,
      ),
    ).toBe(1);
    expect(
      await count(
        h.db.db,
        sql`answers WHERE response_id = ${v.response_id} AND item_key = 'school' AND value #>> '{}' = ${school1}`,
      ),
    ).toBe(1);
    expect(
      await count(h.db.db, sql`visit_actions WHERE visit_id = ${visit1} AND status = 'open' AND due_on = '2026-12-15'`),
    ).toBe(1);
    // The principal's summary goes out in their next bundle (Monday's), as a message of its own beside the card.
    await tick(h.deps, at('2026-11-30T01:01:00Z'));
    const summary = JSON.stringify(pushesTo(PRI).at(-1)?.body);
    expect(summary).toMatch(/สรุปผลการนิเทศ/);
    expect(summary).toContain('จัดทำแผนการวัดผลตามสภาพจริง');
    // The findings card puts the school's own rating and the gap beside the supervisor's.
    expect(summary).toContain('4 ดีเลิศ · ตนเอง 5 · ต่าง -1');
    expect(summary).toContain('4 ดีเลิศ · ตนเอง 2 · ต่าง +2');
    expect(summary).toContain(`a=vack&v=${visit1}`);
  });
});

describe('the principal closes the loop', () => {
  it('another school’s principal cannot acknowledge or close its follow-ups', async () => {
    expect((await tap(PRI2, `a=vack&v=${visit1}`)).join()).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    const action = await one<{ id: string }>(h.db.db, sql`SELECT id FROM visit_actions WHERE visit_id = ${visit1}`);
    expect((await tap(PRI2, `a=vdone&x=${action.id}`)).join()).toMatch(/ไม่พบข้อตกลงนี้/);
    expect((await tap(SUP, `a=vack&v=${visit1}`)).join()).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    expect(await count(h.db.db, sql`visits WHERE acknowledged_at IS NOT NULL`)).toBe(0);
  });

  it('acknowledges once (a replayed tap changes nothing), comments, and the supervisor hears of both', async () => {
    expect((await tap(PRI, `a=vack&v=${visit1}`)).join()).toMatch(/รับทราบผลการนิเทศ โรงเรียนบ้านหนองน้ำใส แล้ว/);
    expect((await tap(PRI, `a=vack&v=${visit1}`)).join()).toMatch(/รับทราบผลการนิเทศครั้งนี้ไปแล้ว/);
    expect((await tap(PRI, `a=vcom&v=${visit1}`)).join()).toMatch(/พิมพ์ความคิดเห็น/);
    expect((await text(PRI, 'ขอบคุณครับ จะดำเนินการตามข้อเสนอแนะ')).join()).toMatch(/บันทึกความคิดเห็น/);
    const v = await one<{ acknowledged_by: string | null; principal_comment: string }>(
      h.db.db,
      sql`SELECT acknowledged_by, principal_comment FROM visits WHERE id = ${visit1}`,
    );
    expect(v.principal_comment).toBe('ขอบคุณครับ จะดำเนินการตามข้อเสนอแนะ');
    expect(await count(h.db.db, sql`outbox_items WHERE key = ${`visit:${visit1}:ack`}`)).toBe(1);
    expect(await count(h.db.db, sql`outbox_items WHERE key LIKE ${`visit:${visit1}:comment:%`}`)).toBe(1);
  });

  it('is reminded of the follow-up the day before it is due and marks it done', async () => {
    await tick(h.deps, at('2026-12-14T01:01:00Z'));
    const reminder = pushesTo(PRI)
      .map((p) => JSON.stringify(p.body))
      .filter((p) => p.includes('ข้อตกลงจากการนิเทศ'));
    expect(reminder).toHaveLength(1);
    expect(reminder[0]).toContain('ข้อตกลงจากการนิเทศ โรงเรียนบ้านหนองน้ำใส');
    expect(reminder[0]).toContain('ครบกำหนด วันอังคารที่ 15 ธันวาคม พ.ศ. 2569');
    expect(reminder[0]).toMatch(/a=vdone&x=[0-9a-f-]{36}/);
    h.clock.now = at('2026-12-14T02:00:00Z');
  });
});

describe('the follow-up visit', () => {
  it('is offered after a not-yet decision, and opens with the previous findings and the open actions', async () => {
    // The record's follow-up date comes first: a button at 09:00 that day, and the picker opens on it.
    const ask = (await tap(SUP, followUpTap)).join();
    expect(ask).toMatch(/นิเทศติดตาม โรงเรียนบ้านหนองน้ำใส: วันที่บันทึกไว้ในแบบคือ วันพุธที่ 16 ธันวาคม พ.ศ. 2569/);
    expect(JSON.stringify(h.line.replies().at(-1)?.body)).toContain('"initial":"2026-12-16T09:00"');
    await tap(SUP, lastButtons().get('16 ธ.ค. 2569 09:00') ?? '');
    await tap(SUP, lastButtons().get('นิเทศติดตามผล') ?? '');
    expect(replyTexts(h.line.replies().at(-1)?.body).join()).toMatch(/16 ธ(\.ค\.|ันวาคม).*09:00/);
    // Another time instead: the purpose stays, and the confirmation follows the typed time.
    expect((await tap(SUP, lastButtons().get('เปลี่ยนเวลา') ?? '')).join()).toMatch(/วันที่บันทึกไว้ในแบบ/);
    await text(SUP, 'พรุ่งนี้ 9 โมงครึ่ง');
    expect((await text(SUP, 'ยืนยัน')).join()).toMatch(/บันทึกนัดนิเทศ/);
    const f = await one<{ id: string; follow_up_of: string; purpose_th: string }>(
      h.db.db,
      sql`SELECT id, follow_up_of, purpose_th FROM visits WHERE follow_up_of IS NOT NULL`,
    );
    expect(f).toMatchObject({ follow_up_of: visit1, purpose_th: 'นิเทศติดตามผล' });
    // The same term: the follow-up uses the school's self-assessment of the term (reopened, due at the new
    // visit), already submitted, rather than a new empty one.
    const sa = await one<{ cp: string; closed: boolean; due: string; n: number }>(
      h.db.db,
      sql`SELECT v.self_assessment_campaign_id AS cp, c.closed_at IS NOT NULL AS closed, c.due_at::text AS due,
                 (SELECT count(*)::int FROM campaigns x WHERE x.office_id = c.office_id AND x.system
                     AND x.school_ids = c.school_ids) AS n
            FROM visits v JOIN campaigns c ON c.id = v.self_assessment_campaign_id WHERE v.id = ${f.id}`,
    );
    expect(sa).toMatchObject({ cp: selfAssessment, closed: false, n: 1 });
    expect(new Date(sa.due).getTime()).toBeGreaterThan(at('2026-11-27T00:00:00Z'));
    expect(await count(h.db.db, sql`pending_assignments WHERE campaign_id = ${selfAssessment}`)).toBe(0);
    // Since the first visit the principal heard of their findings and follow-ups, never of the self-assessment.
    const since = pushesTo(PRI)
      .slice(principalPushesAfterVisit)
      .map((p) => JSON.stringify(p.body));
    expect(since.length).toBeGreaterThan(0);
    expect(since.join()).not.toContain('ก่อนรับการนิเทศ โรงเรียนบ้านหนองน้ำใส ภาคเรียนที่');
    h.clock.now = at('2026-12-15T04:00:00Z');
    const opening = (await text(SUP, 'บันทึกนิเทศ')).join('\n');
    expect(opening).toMatch(/ผลการนิเทศครั้งก่อน/);
    expect(opening).toMatch(/ผลการประเมิน: ยังไม่ผ่าน/);
    expect(opening).toMatch(/จุดที่ควรพัฒนา: การวัดผลตามสภาพจริง/);
    expect(opening).toMatch(/ข้อตกลงที่ยังค้าง \(1\):\n1\. จัดทำแผนการวัดผลตามสภาพจริง — ครูวิชาการ/);
    await text(SUP, 'เมนู');
    // ตารางนิเทศ: the planned visits, then the recorded one, and the open follow-ups of all their schools.
    const list = (await text(SUP, 'ตารางนิเทศ')).join('\n');
    expect(list).toMatch(/นิเทศแล้ว 1 ครั้ง/);
    expect(list).toMatch(/ข้อตกลงจากการนิเทศที่ยังค้าง \(1\):\n1\. โรงเรียนบ้านหนองน้ำใส: จัดทำแผนการวัดผลตามสภาพจริง/);
    const card = JSON.stringify(h.line.replies().at(-1)?.body);
    expect(card).toContain('นิเทศแล้ว · ยังไม่ผ่าน');
  });

  it('the principal marks the follow-up done from the reminder', async () => {
    const reminder = pushesTo(PRI)
      .map((p) => JSON.stringify(p.body))
      .filter((p) => p.includes('ข้อตกลงจากการนิเทศ'))
      .join();
    const done = /"data":"(a=vdone&x=[0-9a-f-]{36})"/.exec(reminder)?.[1] ?? '';
    expect((await tap(PRI, done)).join()).toMatch(/ดำเนินการข้อตกลงนี้แล้ว/);
    expect((await tap(PRI, done)).join()).toMatch(/ไม่พบข้อตกลงนี้/);
    expect(await count(h.db.db, sql`visit_actions WHERE status = 'done'`)).toBe(1);
  });
});

describe('coverage', () => {
  it('counts visits done against planned this semester per supervisor and cluster, and schools not yet visited', async () => {
    const iso = new Date(h.clock.now).toISOString();
    const rows = await visitsThisSemester(h.db.db, [demo.office.id], iso);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ office_id: demo.office.id, done: 1, planned: 2 });
    const cov = await coverage(h.db.db, demo.office.id, iso);
    expect(cov.filter((r) => r.kind === 'supervisor')).toEqual([expect.objectContaining({ done: 1, planned: 2 })]);
    expect(cov.find((r) => r.kind === 'cluster' && r.name === 'กลุ่มเครือข่ายพัฒนาคุณภาพการศึกษาดอกคูน')).toMatchObject({
      done: 1,
      planned: 2,
    });
    expect(cov.filter((r) => r.kind === 'unvisited')).toHaveLength(11);
    expect(h.logs.join('\n')).not.toContain(SUP);
  });
});

describe('the visit records’ internal campaign', () => {
  it('is marked system and never shows as one of the office’s campaigns: lists, pages, exports, edits', async () => {
    const sys = await one<{ id: string; due: string; title_th: string }>(
      h.db.db,
      sql`SELECT id, due_at::text AS due, title_th FROM campaigns
            WHERE office_id = ${demo.office.id} AND system AND cardinality(roles) = 0`,
    );
    expect(sys.title_th).toBe('บันทึกการนิเทศ (ระบบ)');
    expect(sys.due).not.toMatch(/^9999/);
    expect(await count(h.db.db, sql`responses WHERE campaign_id = ${sys.id}`)).toBeGreaterThan(0);
    const auth = { authorization: `Bearer ${ADMIN}` };
    const base = `/admin/api/v1/offices/${demo.office.id}`;
    const list = await (
      await h.fetch(`${base}/campaigns?limit=500`, { headers: auth })
    ).json<{
      items: { id: string; titleTh: string }[];
    }>();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.map((c) => c.id)).not.toContain(sys.id);
    const cookie = await signInCookie(h);
    for (const page of ['campaigns', 'exports']) {
      const html = await (await h.fetch(`/admin/offices/${demo.office.id}/${page}`, { headers: { cookie } })).text();
      expect(html).toContain(list.items[0]?.titleTh ?? '-'); // the office's own campaigns are there
      expect(html).not.toContain('(ระบบ)');
      expect(html).not.toContain('10542');
    }
    for (const kind of ['responses', 'completion'])
      expect((await h.fetch(`${base}/exports/${kind}?campaign=${sys.id}`, { headers: auth })).status).toBe(404);
    const patch = await h.fetch(`${base}/campaigns/${sys.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ close: true }),
    });
    expect(patch.status).toBe(404);
    const taken = await h.fetch(`${base}/campaigns`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        titleTh: 'บันทึกการนิเทศ (ระบบ)',
        checklistKey: 'supervision-visit',
        roles: ['supervisor'],
        dueAt: '2027-01-31',
      }),
    });
    expect(taken.status).toBe(400);
    expect(JSON.stringify(await taken.json())).toContain('สงวนไว้สำหรับระบบ');
  });
});
