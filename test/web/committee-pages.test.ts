// The ก.ต.ป.น. committee's pages over HTTP (issue 16): the secretary (an admin) adds a member, plans a meeting
// (its invitation queued for the linked members, as the API does), records the minutes and a resolution with its
// owner and due date (a follow-up with reminders), closes the follow-up, adds to the monitoring plan; a bad field is
// named beside it and nothing is written; cancelling asks first. A director reads the same pages without a form
// and may write nothing; a supervisor may not open them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { personCookie, postFields } from '../support/web.js';

let h: Harness;
let demo: DemoSeed;
let admin: string;
let director: string;
let supervisor: string;
let directorId = '';
let meetingId = '';
const BASE = '/admin/offices/DEMO1';

const get = async (path: string, cookie: string) => {
  const res = await h.fetch(`${BASE}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  demo = await seedDemo(h.db.db, h.clock.now);
  admin = await personCookie(h, demo, 'admin');
  director = await personCookie(h, demo, 'director');
  supervisor = await personCookie(h, demo, 'supervisor');
  directorId = (
    await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${userId('web-director')}`)
  ).id;
}, 180_000);
afterAll(() => h.close());

describe('the committee pages, as the secretary', () => {
  it('adds the director as chair; the member is listed', async () => {
    const empty = await get('/committee', admin);
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('id="personId-picker"');
    expect(empty.html).not.toContain('type="radio" name="personId"'); // nobody listed before a search
    // The picker's search: the form again with the role kept and the director among the matches, audited.
    const name = (await one<{ n: string }>(h.db.db, sql`SELECT display_name AS n FROM people WHERE id = ${directorId}`))
      .n;
    const found = await get(`/committee?personId=&committeeRole=chair&who=${encodeURIComponent(name)}`, admin);
    expect(found.html).toContain(`type="radio" name="personId" value="${directorId}"`);
    expect(found.html).toMatch(/<option value="chair" selected="">/);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'people.read' AND detail->>'picker' = 'committee'`)).toBe(
      1,
    );
    const res = await postFields(h, `${BASE}/committee/members`, admin, {
      personId: directorId,
      committeeRole: 'chair',
    });
    expect(res.status).toBe(303);
    const page = await get('/committee', admin);
    expect(page.html).toContain(`data-member="${directorId}"`);
    expect(page.html).toContain('ประธาน');
    expect(page.html).toMatch(/data-figure="members">1</);
  });

  it('a meeting with a bad date and no place: 400, errors beside the fields, nothing written', async () => {
    const res = await postFields(h, `${BASE}/committee/meetings`, admin, {
      titleTh: 'ประชุมครั้งที่ 1/2570',
      date: '2026-13-40',
      time: '09:30',
      placeTh: '',
      agenda: '',
      documents: 'ไม่มีลิงก์',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="date-error"');
    expect(html).toContain('id="placeTh-error"');
    expect(html).toContain('id="documents-error"');
    expect(html).toContain('value="ประชุมครั้งที่ 1/2570"');
    expect(await count(h.db.db, sql`committee_meetings`)).toBe(0);
  });

  it('a meeting in the past is refused beside its date', async () => {
    const res = await postFields(h, `${BASE}/committee/meetings`, admin, {
      titleTh: 'ย้อนหลัง',
      date: '2026-11-01',
      time: '09:30',
      placeTh: 'ห้องประชุม',
      agenda: '',
      documents: '',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="date-error"');
  });

  it('plans a meeting: agenda, documents, the invitation queued for the linked member', async () => {
    const res = await postFields(h, `${BASE}/committee/meetings`, admin, {
      titleTh: 'ประชุม ก.ต.ป.น. ครั้งที่ 1/2570',
      date: '2026-11-27',
      time: '09:30',
      placeTh: 'ห้องประชุมสำนักงานเขตสมมุติ',
      agenda: 'รับรองรายงานการประชุม\nแผนการติดตามภาคเรียนที่ 2',
      documents: 'ร่างแผน | https://example.org/ktpn/plan.pdf',
    });
    expect(res.status).toBe(303);
    meetingId = /\/committee\/meetings\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const m = await one<{ starts_at: string; place_th: string }>(
      h.db.db,
      sql`SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS starts_at, place_th
            FROM committee_meetings WHERE id = ${meetingId}::uuid`,
    );
    // 09:30 in Bangkok, the office's zone.
    expect(m).toEqual({ starts_at: '2026-11-27 02:30', place_th: 'ห้องประชุมสำนักงานเขตสมมุติ' });
    expect(
      await count(
        h.db.db,
        sql`outbox_items WHERE person_id = ${directorId}::uuid AND key LIKE ${`ktpn:${meetingId}:%`}`,
      ),
    ).toBe(3);
    const page = await get(`/committee/meetings/${meetingId}`, admin);
    expect(page.html).toContain('แผนการติดตามภาคเรียนที่ 2');
    expect(page.html).toContain('href="https://example.org/ktpn/plan.pdf"');
    expect(page.html).toContain('09:30 น.');
  });

  it('minutes and held; a resolution due in the past is refused beside its field; a good one is a follow-up', async () => {
    // The owner is found by name: the resolution's typed title is kept through the search.
    const name = (await one<{ n: string }>(h.db.db, sql`SELECT display_name AS n FROM people WHERE id = ${directorId}`))
      .n;
    const qs = new URLSearchParams({ titleTh: 'ร่างมติ', ownerId: '', dueOn: '', who: name });
    const found = await get(`/committee/meetings/${meetingId}?${qs.toString()}`, admin);
    expect(found.html).toContain(`type="radio" name="ownerId" value="${directorId}"`);
    expect(found.html).toContain('value="ร่างมติ"');
    const minutes = await postFields(h, `${BASE}/committee/meetings/${meetingId}`, admin, {
      minutesTh: 'ที่ประชุมเห็นชอบแผนการติดตาม',
      held: '1',
    });
    expect(minutes.status).toBe(303);
    const late = await postFields(h, `${BASE}/committee/meetings/${meetingId}/resolutions`, admin, {
      titleTh: 'ย้อนหลัง',
      ownerId: directorId,
      dueOn: '2026-11-01',
    });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('id="dueOn-error"');
    const ok = await postFields(h, `${BASE}/committee/meetings/${meetingId}/resolutions`, admin, {
      titleTh: 'สรุปผลการติดตามเสนอที่ประชุมครั้งหน้า',
      ownerId: directorId,
      dueOn: '2026-12-04',
    });
    expect(ok.status).toBe(303);
    const task = await one<{ id: string; owner_id: string; due_on: string }>(
      h.db.db,
      sql`SELECT id, owner_id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM office_tasks
           WHERE source = 'resolution' AND source_id = ${meetingId}::uuid`,
    );
    expect(task).toMatchObject({ owner_id: directorId, due_on: '2026-12-04' });
    expect(await count(h.db.db, sql`outbox_items WHERE key LIKE ${`task:${task.id}:%`}`)).toBe(3);
    const page = await get(`/committee/meetings/${meetingId}`, admin);
    expect(page.html).toContain('ที่ประชุมเห็นชอบแผนการติดตาม');
    expect(page.html).toContain(`data-task="${task.id}"`);
    expect(page.html).toContain('data-figure="status">ประชุมแล้ว');

    const done = await postFields(h, `${BASE}/committee/tasks/${task.id}/done`, admin, {
      noteTh: 'เสนอแล้ว',
      back: `/committee/meetings/${meetingId}`,
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${BASE}/committee/meetings/${meetingId}?saved=1`);
    expect(
      await one<{ status: string }>(h.db.db, sql`SELECT status FROM office_tasks WHERE id = ${task.id}::uuid`),
    ).toEqual({ status: 'done' });
    expect(await count(h.db.db, sql`audit_log WHERE action = 'task.done' AND actor LIKE 'person:%'`)).toBe(1);
  });

  it('the monitoring plan: an end before the start is named; a good item is listed', async () => {
    const item = {
      academicYear: '2570',
      area: 'academic',
      titleTh: 'การใช้หลักสูตรสถานศึกษา',
      tools: 'ktpn-attendance',
      startsOn: '2026-12-01',
      endsOn: '2026-11-01',
    };
    const bad = await postFields(h, `${BASE}/committee/plan`, admin, item);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="endsOn-error"');
    const ok = await postFields(h, `${BASE}/committee/plan`, admin, { ...item, endsOn: '2027-02-28' });
    expect(ok.status).toBe(303);
    expect((await get('/committee', admin)).html).toContain('การใช้หลักสูตรสถานศึกษา');
  });

  it('cancelling asks first: a POST without the confirmation changes nothing', async () => {
    await postFields(h, `${BASE}/committee/meetings`, admin, {
      titleTh: 'ประชุมที่จะยกเลิก',
      date: '2026-12-10',
      time: '13:30',
      placeTh: 'ห้องประชุม',
      agenda: '',
      documents: '',
    });
    const m = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM committee_meetings WHERE title_th = 'ประชุมที่จะยกเลิก'`,
    );
    const ask = await get(`/committee/meetings/${m.id}/cancel`, admin);
    expect(ask.html).toContain('name="confirm" value="yes"');
    const sneaky = await postFields(h, `${BASE}/committee/meetings/${m.id}/cancel`, admin, {});
    expect(sneaky.status).toBe(303);
    const status = () =>
      one<{ status: string }>(h.db.db, sql`SELECT status FROM committee_meetings WHERE id = ${m.id}::uuid`);
    expect(await status()).toEqual({ status: 'planned' });
    await postFields(h, `${BASE}/committee/meetings/${m.id}/cancel`, admin, { confirm: 'yes' });
    expect(await status()).toEqual({ status: 'cancelled' });
    expect(await count(h.db.db, sql`outbox_items WHERE key LIKE ${`ktpn:${m.id}:%`} AND bundled_on IS NULL`)).toBe(0);
  });
});

describe('who may', () => {
  it('a director reads the pages with no form, and a POST is refused with nothing written', async () => {
    const page = await get('/committee', director);
    expect(page.status).toBe(200);
    expect(page.html).toContain('ประชุม ก.ต.ป.น. ครั้งที่ 1/2570');
    expect(page.html).not.toContain('<form method="post" action="/admin/offices/DEMO1/committee');
    const meeting = await get(`/committee/meetings/${meetingId}`, director);
    expect(meeting.status).toBe(200);
    expect(meeting.html).not.toContain('/resolutions"');
    const before = await count(h.db.db, sql`committee_meetings`);
    const res = await postFields(h, `${BASE}/committee/meetings`, director, {
      titleTh: 'ไม่ควรเกิด',
      date: '2026-12-20',
      time: '09:00',
      placeTh: 'ห้อง',
      agenda: '',
      documents: '',
    });
    expect(res.status).toBe(403);
    expect(await count(h.db.db, sql`committee_meetings`)).toBe(before);
  });

  it('a supervisor may not open them', async () => {
    expect((await get('/committee', supervisor)).status).toBe(403);
    expect((await get(`/committee/meetings/${meetingId}`, supervisor)).status).toBe(403);
  });
});
