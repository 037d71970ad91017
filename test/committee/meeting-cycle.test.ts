// One ก.ต.ป.น. meeting cycle (seed 004) walked through the tick clock: the secretary adds members (an outside expert
// with no school among them) and plans a meeting; the invitation reaches each member in their daily bundle, the
// reminder the day before and on the day; a member answers attendance in chat; the secretary records the minutes
// and a resolution with its owner and due date; the owner is reminded the day before and on the day, and once the
// follow-up is done nothing more is sent. Never more than one push per person per day.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { adminApi, type Api } from '../admin/api.js';

let h: Harness;
let api: Api;
let demo: DemoSeed;
const EXPERT = userId('ktpn-expert');
const DIRECTOR = userId('ktpn-director');
/** 08:00 Bangkok on a day of the week starting Monday 23 November 2026. */
const at8 = (day: number) => Date.parse(`2026-11-${String(23 + day).padStart(2, '0')}T01:00:00Z`);
let expertId = '';
let directorId = '';
let meetingId = '';

const texts = (bodies: unknown[]) => bodies.flatMap((b) => replyTexts(b)).join('\n');
const pushesTo = (user: string) =>
  h.line
    .pushes()
    .filter((p) => (p.body as { to?: string }).to === user)
    .map((p) => JSON.stringify(p.body));

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  demo = await seedDemo(h.db.db, h.clock.now);
  await h.post(ev.text(persona(demo, 'director').inviteCode, { user: DIRECTOR }));
  await h.post(ev.text('ใช่', { user: DIRECTOR })); // whose account it is: confirmed
  const added = await api('POST', '/offices/DEMO1/people', {
    people: [{ displayName: 'นางสมมุติ ทรงคุณวุฒิ', role: 'committee', externalId: 'ktpn-expert-1' }],
  });
  expect(added.status, JSON.stringify(added.json)).toBe(200);
  const [row] = added.json.people as { id: string; inviteCode: string }[];
  expertId = row?.id ?? '';
  await h.post(ev.text(row?.inviteCode ?? '', { user: EXPERT }));
  const welcome = JSON.stringify(await h.post(ev.text('ใช่', { user: EXPERT }))); // whose account: confirmed
  expect(welcome).toContain('กรรมการ ก.ต.ป.น.');
  const [d] = await queryRows<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE line_user_id = ${DIRECTOR}`);
  directorId = d?.id ?? '';
}, 180_000);
afterAll(() => h.close());

describe('a committee meeting cycle', () => {
  it('members: an outside expert with no school and the office director as chair; a stranger id is refused', async () => {
    const bad = await api('POST', '/offices/DEMO1/committee/members', {
      members: [{ personId: '00000000-0000-4000-8000-000000000000', committeeRole: 'member' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([{ row: 0, field: 'personId', message: 'no such person in this office' }]);
    const ok = await api('POST', '/offices/DEMO1/committee/members', {
      members: [
        { personId: directorId, committeeRole: 'chair' },
        { personId: expertId, committeeRole: 'expert' },
      ],
    });
    expect(ok.json).toEqual({ upserted: 2 });
    const list = await api('GET', '/offices/DEMO1/committee/members');
    expect(list.json.items).toEqual([
      expect.objectContaining({ personId: directorId, committeeRole: 'chair' }),
      expect.objectContaining({ personId: expertId, committeeRole: 'expert', schoolNameTh: null, role: 'committee' }),
    ]);
  });

  it('a meeting in the past is refused, naming the field; one on Wednesday is planned with its notices', async () => {
    const past = await api('POST', '/offices/DEMO1/committee/meetings', {
      titleTh: 'ประชุมย้อนหลัง',
      startsAt: '2026-11-01T02:00:00Z',
      placeTh: 'ห้องประชุม',
    });
    expect(past.status).toBe(400);
    expect(past.json.error?.issues?.[0]?.field).toBe('startsAt');
    const res = await api('POST', '/offices/DEMO1/committee/meetings', {
      titleTh: 'ประชุมคณะกรรมการ ก.ต.ป.น. ครั้งที่ 1/2570',
      // Wednesday 25 November 2026, 09:30 Bangkok.
      startsAt: '2026-11-25T02:30:00Z',
      placeTh: 'ห้องประชุมสำนักงานเขตสมมุติ',
      agenda: [{ titleTh: 'รับรองรายงานการประชุมครั้งที่แล้ว' }, { titleTh: 'แผนการติดตามภาคเรียนที่ 2' }],
      documents: [{ titleTh: 'ร่างแผนการติดตาม', url: 'https://example.org/ktpn/plan.pdf' }],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    // Two members × (invitation, the day before, the day).
    expect(res.json).toMatchObject({ status: 'planned', queued: 6 });
    meetingId = res.json.id as string;
  });

  it('Monday: the invitation arrives in the daily bundle, with the agenda and the attendance button', async () => {
    h.line.reset();
    await tick(h.deps, at8(0));
    const toExpert = pushesTo(EXPERT);
    expect(toExpert).toHaveLength(1);
    expect(toExpert[0]).toContain('หนังสือเชิญประชุม');
    expect(toExpert[0]).toContain('แผนการติดตามภาคเรียนที่ 2');
    expect(toExpert[0]).not.toContain('พรุ่งนี้ประชุม');
    expect(pushesTo(DIRECTOR).join('\n')).toContain('หนังสือเชิญประชุม');
  });

  it('the expert answers attendance in chat from the invitation', async () => {
    const push = pushesTo(EXPERT)[0] ?? '';
    const data = /"data":"([^"]*)"/.exec(push.replace(/\\"/g, '"'))?.[1];
    expect(data).toBeDefined();
    const first = texts(await h.post(ev.postback(data ?? '', { user: EXPERT })));
    expect(first).toContain('ท่านจะเข้าร่วมประชุมครั้งนี้หรือไม่');
    // Attending: the delegate question is skipped; the optional note skipped by typing; then review and send.
    expect(texts(await h.post(ev.text('ใช่ครับ', { user: EXPERT })))).toContain('หมายเหตุถึงฝ่ายเลขานุการ');
    expect(texts(await h.post(ev.text('ข้าม', { user: EXPERT })))).toContain('ตรวจทานคำตอบ');
    expect(texts(await h.post(ev.text('ส่งคำตอบ', { user: EXPERT })))).toContain('เรียบร้อยแล้ว');
    const submitted = await queryRows<{ status: string }>(
      h.db.db,
      sql`SELECT r.status FROM responses r JOIN committee_meetings m ON m.campaign_id = r.campaign_id
           WHERE m.id = ${meetingId} AND r.subject_key = ${expertId}`,
    );
    expect(submitted).toEqual([{ status: 'submitted' }]);
    const view = await api('GET', `/offices/DEMO1/committee/meetings/${meetingId}`);
    expect(view.json.attendance).toEqual({ attend: 1, absent: 0, unanswered: 1 });
    expect(view.json.members).toEqual(
      expect.arrayContaining([expect.objectContaining({ personId: expertId, attend: 'yes' })]),
    );
  });

  it('Tuesday: the reminder the day before; Wednesday: the one on the day; one push a day each', async () => {
    h.line.reset();
    await tick(h.deps, at8(1));
    expect(pushesTo(EXPERT)).toHaveLength(1);
    expect(pushesTo(EXPERT)[0]).toContain('พรุ่งนี้ประชุม');
    await tick(h.deps, at8(1) + 3_600_000);
    expect(pushesTo(EXPERT)).toHaveLength(1);
    h.line.reset();
    await tick(h.deps, at8(2));
    expect(pushesTo(EXPERT)).toHaveLength(1);
    expect(pushesTo(EXPERT)[0]).toContain('วันนี้ประชุม');
  });

  it('minutes and a resolution with owner and due date; a due date in the past is refused', async () => {
    h.clock.now = at8(2) + 4 * 3_600_000;
    const held = await api('PATCH', `/offices/DEMO1/committee/meetings/${meetingId}`, {
      status: 'held',
      minutesTh: 'ที่ประชุมรับรองรายงานและเห็นชอบแผนการติดตามภาคเรียนที่ 2',
    });
    expect(held.json).toMatchObject({ status: 'held' });
    const late = await api('POST', `/offices/DEMO1/committee/meetings/${meetingId}/resolutions`, {
      resolutions: [{ titleTh: 'ย้อนหลัง', ownerId: expertId, dueOn: '2026-11-01' }],
    });
    expect(late.status).toBe(400);
    expect(late.json.error?.issues).toEqual([
      { row: 0, field: 'dueOn', message: expect.stringContaining('กำหนดเสร็จ') },
    ]);
    const res = await api('POST', `/offices/DEMO1/committee/meetings/${meetingId}/resolutions`, {
      // Due Monday 30 November.
      resolutions: [{ titleTh: 'สรุปผลการติดตามการใช้หลักสูตรเสนอที่ประชุมครั้งหน้า', ownerId: expertId, dueOn: '2026-11-30' }],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
  });

  it('the follow-up: assigned Thursday; on Monday, its due day, one push carries the reminder', async () => {
    h.line.reset();
    await tick(h.deps, at8(3));
    expect(pushesTo(EXPERT)).toHaveLength(1);
    expect(pushesTo(EXPERT)[0]).toContain('งานที่ท่านรับผิดชอบ');
    h.line.reset();
    // Monday 30 November: the day-before reminder (queued for Sunday, no bundle on a weekend) and the day's one
    // come together in one push.
    await tick(h.deps, at8(7));
    expect(pushesTo(EXPERT)).toHaveLength(1);
    expect(pushesTo(EXPERT)[0]).toContain('ครบกำหนดวันนี้');
  });

  it('done: the follow-up closes, and the summary for the committee counts it', async () => {
    const [task] = (await api('GET', '/offices/DEMO1/tasks?source=resolution')).json.items as { id: string }[];
    const done = await api('POST', `/offices/DEMO1/tasks/${task?.id}/done`, { noteTh: 'เสนอที่ประชุมแล้ว' });
    expect(done.json).toMatchObject({ status: 'done', noteTh: 'เสนอที่ประชุมแล้ว' });
    const summary = await api('GET', '/offices/DEMO1/committee/summary');
    expect(summary.json).toMatchObject({ members: 2, meetingsHeld: 1, resolutionsOpen: 0, resolutionsDone: 1 });
  });
});
