// The office's day is its own time zone's: an office in Asia/Tokyo (UTC+9, two hours ahead of Bangkok) has a
// meeting at 00:30 on Thursday its time (Wednesday 22:30 in Bangkok), so the invitation's reminders fall at Tokyo's
// midnights of Wednesday and Thursday; a resolution's due day and "today" (which refuses a due day in the past) are
// Tokyo's too. With a Bangkok midnight written into the code, each of these lands a day or two hours off.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { persona, startHarness, type Harness } from '../support/harness.js';
import { adminApi, type Api } from '../admin/api.js';

let h: Harness;
let api: Api;
let demo: DemoSeed;
const DIRECTOR = userId('zone-director');
let directorId = '';

const dueOf = async (prefix: string) =>
  queryRows<{ key: string; due: string }>(
    h.db.db,
    sql`SELECT key, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS due FROM outbox_items
         WHERE person_id = ${directorId}::uuid AND key LIKE ${`${prefix}%`} ORDER BY due_at`,
  );

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  demo = await seedDemo(h.db.db, h.clock.now);
  await h.db.db.execute(sql`UPDATE offices SET time_zone = 'Asia/Tokyo' WHERE code = 'DEMO1'`);
  await h.post(ev.text(persona(demo, 'director').inviteCode, { user: DIRECTOR }));
  await h.post(ev.text('ใช่', { user: DIRECTOR })); // whose account it is: confirmed
  const [d] = await queryRows<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${DIRECTOR}`);
  directorId = d?.id ?? '';
  const added = await api('POST', '/offices/DEMO1/committee/members', {
    members: [{ personId: directorId, committeeRole: 'chair' }],
  });
  expect(added.json).toEqual({ upserted: 1 });
}, 180_000);
afterAll(() => h.close());

describe('an office in another time zone', () => {
  it("a meeting's reminders fall at the office's midnights", async () => {
    // Thursday 26 November 2026, 00:30 in Tokyo.
    const res = await api('POST', '/offices/DEMO1/committee/meetings', {
      titleTh: 'ประชุมเที่ยงคืนครึ่ง',
      startsAt: '2026-11-25T15:30:00Z',
      placeTh: 'ห้องประชุม',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const id = res.json.id as string;
    expect(await dueOf(`ktpn:${id}:`)).toEqual([
      { key: `ktpn:${id}:invite`, due: expect.any(String) as string },
      // Midnight of Wednesday 25 and Thursday 26 November in Tokyo (Bangkok's would be 17:00Z on the 24th and 25th).
      { key: `ktpn:${id}:eve`, due: '2026-11-24T15:00Z' },
      { key: `ktpn:${id}:day`, due: '2026-11-25T15:00Z' },
    ]);
    const [campaign] = await queryRows<{ title_th: string }>(
      h.db.db,
      sql`SELECT c.title_th FROM campaigns c JOIN committee_meetings m ON m.campaign_id = c.id WHERE m.id = ${id}`,
    );
    expect(campaign?.title_th).toContain('26 พ.ย. 2569');
  });

  it("a resolution: today is the office's (a due day already past there is refused); reminders at its midnights", async () => {
    // 01:00 Thursday 26 November in Tokyo; still Wednesday 25 (23:00) in Bangkok.
    h.clock.now = Date.parse('2026-11-25T16:00:00Z');
    const [meeting] = (await api('GET', '/offices/DEMO1/committee/meetings')).json.items as { id: string }[];
    const path = `/offices/DEMO1/committee/meetings/${meeting?.id}/resolutions`;
    const late = await api('POST', path, {
      resolutions: [{ titleTh: 'เมื่อวาน', ownerId: directorId, dueOn: '2026-11-25' }],
    });
    expect(late.status).toBe(400);
    expect(late.json.error?.issues?.[0]?.field).toBe('dueOn');
    const ok = await api('POST', path, {
      resolutions: [{ titleTh: 'ติดตามผล', ownerId: directorId, dueOn: '2026-11-30' }],
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    const [task] = ok.json.ids as string[];
    expect((await dueOf(`task:${task}:`)).map((r) => [r.key.split(':')[2], r.due])).toEqual([
      ['new', '2026-11-25T16:00Z'],
      ['eve', '2026-11-28T15:00Z'],
      ['due', '2026-11-29T15:00Z'],
    ]);
    const summary = await api('GET', '/offices/DEMO1/committee/summary');
    expect(summary.json).toMatchObject({ resolutionsOpen: 1, resolutionsOverdue: 0 });
  });
});
