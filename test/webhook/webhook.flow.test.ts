// The webhook end to end: signed events in, committed state and LINE-valid replies out, exactly once.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { body, ev, userId } from '../support/events.js';
import { persona as demoPersona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]); // every request we sent LINE matched its OpenAPI spec
  h.line.reset();
});

const persona = (role: string) => demoPersona(demo, role);

/** Posts events, waits for the replies, and returns the texts of the replies in order. */
const send = async (...events: unknown[]) => (await h.post(...events)).map(replyTexts);

describe('onboarding through the webhook', () => {
  it('follow → privacy notice → invite code (typed with Thai digits, lower case, spaces) → whose account → ใช่ → linked, welcomed by role', async () => {
    const user = userId('onboard-1');
    const [notice] = await send(ev.follow({ user }));
    expect(notice?.[0]).toMatch(/PDPA/);
    expect(notice?.[1]).toMatch(/รหัสเชิญ/);

    const teacher = persona('teacher');
    const thaiTyped = teacher.inviteCode
      .toLowerCase()
      .replace(/[0-9]/g, (d) => String.fromCharCode(0x0e50 + Number(d)))
      .replace('-', ' ');
    // Whose account it is comes before linking (issue 17): name, role and school; ไม่ใช่ leaves the code unused.
    const [whose] = await send(ev.text(thaiTyped, { user }));
    expect(whose?.[0]).toContain(`บัญชีของ ${teacher.name} (ครู) ${teacher.school ?? ''} ใช่ไหม?`);
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user}`)).toBe(0);
    const [notMine] = await send(ev.text('ไม่ใช่ค่ะ', { user }));
    expect(notMine?.[0]).toMatch(/ยังไม่ได้เชื่อมบัญชี/);
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user}`)).toBe(0);
    expect(
      await count(
        h.db.db,
        sql`invites i JOIN people p ON p.id = i.person_id
      WHERE p.display_name = ${teacher.name} AND i.used_at IS NULL AND i.revoked_at IS NULL`,
      ),
    ).toBeGreaterThan(0);
    // A plain "ใช่" with no code waiting is not a code.
    expect((await send(ev.text('ใช่', { user })))[0]?.[0]).toMatch(/รหัสเชิญมี 8 ตัว/);
    expect((await send(ev.text(thaiTyped, { user })))[0]?.[0]).toMatch(/ใช่ไหม\?/);
    const [welcome] = await send(ev.text('ใช่', { user }));
    expect(welcome?.[0]).toContain(`ยินดีต้อนรับ คุณ${teacher.name} (ครู)`);

    const person = await one<{ status: string; channel_id: string; role: string }>(
      h.db.db,
      sql`SELECT status, channel_id, role FROM people WHERE line_user_id = ${user}`,
    );
    expect(person).toEqual({ status: 'active', channel_id: 'default', role: 'teacher' });
    const [status] = await send(ev.text('สถานะ', { user }));
    expect(status?.[0]).toContain(`โรงเรียน: ${teacher.school ?? ''}`);
  });

  it('an invite code inside a sentence links (รหัส xxxx-xxxx ค่ะ)', async () => {
    const user = userId('onboard-sentence');
    await send(ev.follow({ user }));
    const person = await one<{ id: string; office_id: string; display_name: string }>(
      h.db.db,
      sql`SELECT id, office_id, display_name FROM people WHERE external_id = 'demo-teacher-2-2'`,
    );
    const { issueInvites } = await import('../../src/onboarding/invites.js');
    const [invite] = await issueInvites(h.db.db, person.office_id, [person.id], h.clock.now);
    const typed = (invite?.code ?? '').toLowerCase(); // as printed: K7M2-Q9XP
    expect((await send(ev.text(`รหัส ${typed} ค่ะ`, { user })))[0]?.[0]).toContain(`บัญชีของ ${person.display_name}`);
    const [welcome] = await send(ev.text('ใช่ค่ะ', { user }));
    expect(welcome?.[0]).toContain(`ยินดีต้อนรับ คุณ${person.display_name}`);
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user} AND status = 'active'`)).toBe(1);
  });

  it('a used code is refused for a second LINE account', async () => {
    const [reply] = await send(ev.text(persona('teacher').inviteCode, { user: userId('onboard-2') }));
    expect(reply?.some((t) => /ถูกใช้ไปแล้ว/.test(t))).toBe(true);
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${userId('onboard-2')}`)).toBe(0);
  });

  it('stickers, images and locations where a code is expected get a kind word and the same question', async () => {
    const user = userId('onboard-3');
    await send(ev.follow({ user }));
    const replies = await send(ev.sticker({ user }), ev.image({ user }), ev.location({ user }));
    expect(replies.map((r) => r.length)).toEqual([2, 2, 2]);
    expect(replies.map((r) => r[1])).toEqual(Array(3).fill(expect.stringMatching(/รหัสเชิญ/)));
  });

  it('processes the events of one delivery oldest first, whatever their order in the body', async () => {
    const user = userId('onboard-4');
    const principal = persona('principal');
    const follow = ev.follow({ user, timestamp: h.clock.now + 1_000 });
    const code = ev.text(principal.inviteCode, { user, timestamp: h.clock.now + 2_000 });
    const [first, second] = await send(code, follow);
    expect(first?.[0]).toMatch(/PDPA/); // the follow, processed first
    expect(second?.[0]).toContain('ผู้อำนวยการโรงเรียน');
  });

  it('refuses an event older than the 7-day dedupe window as a replay: 200, nothing processed, nothing said', async () => {
    const user = userId('replay-1');
    const old = ev.text('เมนู', { user, timestamp: h.clock.now - 7 * 86_400_000 - 1 });
    expect(await send(old)).toEqual([]);
    expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id = ${old.webhookEventId}`)).toBe(0);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = ${user}`)).toBe(0);
  });

  it('takes a 5,000-character Thai and emoji message without trouble', async () => {
    const user = userId('onboard-5');
    await send(ev.follow({ user }));
    const long = 'ก'.repeat(4990) + '😀😀😀😀😀';
    expect(long.length).toBe(5000);
    const [reply] = await send(ev.text(long, { user }));
    expect(reply?.[0]).toMatch(/8 ตัว/);
  });

  it('unfollow marks the person blocked; following again reactivates', async () => {
    const user = userId('onboard-6');
    await send(ev.text(persona('supervisor').inviteCode, { user }));
    await send(ev.text('ใช่', { user })); // whose account it is: confirmed
    expect(await send(ev.unfollow({ user }))).toEqual([]);
    const status = async () =>
      (await one<{ status: string }>(h.db.db, sql`SELECT status FROM people WHERE line_user_id = ${user}`)).status;
    expect(await status()).toBe('blocked');
    const [back] = await send(ev.follow({ user }));
    expect(back?.[0]).toMatch(/ยินดีต้อนรับกลับ/);
    expect(await status()).toBe('active');
  });
});

describe('settings through the webhook', () => {
  it('changes the reminder hour (typed in Thai digits) and mutes, stored on the person', async () => {
    const user = userId('settings-1');
    const office = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'DEMO1'`);
    const person = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE external_id = 'demo-teacher-2-1'`,
    );
    const { issueInvites } = await import('../../src/onboarding/invites.js');
    const [invite] = await issueInvites(h.db.db, office.id, [person.id], h.clock.now);
    await send(ev.text(invite?.code ?? '', { user }));
    await send(ev.text('ใช่', { user })); // whose account it is: confirmed
    await send(ev.text('ตั้งค่า', { user }));
    await send(ev.text('เปลี่ยนเวลาแจ้งเตือน', { user }));
    const [done] = await send(ev.text('๙ โมง', { user }));
    expect(done?.[0]).toContain('09:00 น.');
    await send(ev.text('ตั้งค่า', { user }));
    await send(ev.text('ปิดการแจ้งเตือน', { user }));
    const row = await one<{ reminder_hour: number; muted: boolean }>(
      h.db.db,
      sql`SELECT reminder_hour, muted FROM people WHERE id = ${person.id}`,
    );
    expect(row).toEqual({ reminder_hour: 9, muted: true });
  });
});

describe('exactly once', () => {
  it('one event delivered 3 times (including a redelivery) → one effect, one reply', async () => {
    const user = userId('dup-1');
    const event = ev.text(persona('director').inviteCode, { user });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const redelivered = i === 0 ? event : { ...event, deliveryContext: { isRedelivery: true } };
      statuses.push((await h.webhook(body(redelivered))).status);
    }
    await h.settle();
    expect(statuses).toEqual([200, 200, 200]);
    expect(h.line.replies()).toHaveLength(1);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = ${user} AND state->'flow' ? 'confirm'`)).toBe(1);
    expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id = ${event.webhookEventId}`)).toBe(1);
    const conv = await one<{ version: number }>(
      h.db.db,
      sql`SELECT version FROM conversations WHERE line_user_id = ${user}`,
    );
    expect(conv.version).toBe(1);
  });

  it('the same event delivered 3 times concurrently → still one effect and one reply', async () => {
    const user = userId('dup-2');
    const event = ev.text(persona('admin').inviteCode, { user });
    const results = await Promise.all([1, 2, 3].map(() => h.webhook(body(event))));
    await h.settle();
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.line.replies()).toHaveLength(1);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = ${user} AND state->'flow' ? 'confirm'`)).toBe(1);
  });

  it('20 concurrent events for one user: none lost, none doubled, no deadlock', async () => {
    const user = userId('conc-1');
    await send(ev.follow({ user }));
    const before = await one<{ version: number }>(
      h.db.db,
      sql`SELECT version FROM conversations WHERE line_user_id = ${user}`,
    );
    h.line.reset();
    const events = Array.from({ length: 20 }, (_, i) => ev.text(`ข้อความที่ ${i + 1}`, { user }));
    const results = await Promise.all(events.map((e) => h.webhook(body(e))));
    await h.settle();
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const after = await one<{ version: number }>(
      h.db.db,
      sql`SELECT version FROM conversations WHERE line_user_id = ${user}`,
    );
    expect(after.version - before.version).toBe(20);
    expect(h.line.replies()).toHaveLength(20);
    const ids = events.map((e) => e.webhookEventId);
    expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id = ANY(${sql.param(ids)}::text[])`)).toBe(
      20,
    );
  });

  it('two LINE users racing for one invite code: exactly one is linked', async () => {
    const office = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'DEMO1'`);
    const person = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE external_id = 'demo-supervisor-2'`,
    );
    const { issueInvites } = await import('../../src/onboarding/invites.js');
    const [invite] = await issueInvites(h.db.db, office.id, [person.id], h.clock.now);
    const code = invite?.code ?? '';
    const racers = [userId('race-a'), userId('race-b'), userId('race-c')];
    await Promise.all(racers.map((user) => h.webhook(body(ev.text(code, { user })))));
    await h.settle();
    await Promise.all(racers.map((user) => h.webhook(body(ev.text('ใช่', { user })))));
    await h.settle();
    expect(
      await count(h.db.db, sql`people WHERE id = ${person.id} AND line_user_id = ANY(${sql.param(racers)}::text[])`),
    ).toBe(1);
    const texts = h.line.replies().flatMap((r) => replyTexts(r.body));
    expect(texts.filter((t) => t.includes('ยินดีต้อนรับ คุณ'))).toHaveLength(1);
    expect(texts.filter((t) => /ถูกใช้ไปแล้ว/.test(t))).toHaveLength(2);
  });
});

describe('groups and rooms', () => {
  it('says once, when mentioned or when joining, that the bot works 1:1; keeps no conversation', async () => {
    const quiet = await send(ev.groupText('คุยกันในกลุ่ม', false));
    expect(quiet).toEqual([]);
    const mentioned = await send(ev.groupText('@นิเทศ ช่วยด้วย', true));
    expect(mentioned[0]?.[0]).toMatch(/แชตส่วนตัว 1:1/);
    const joined = await send(ev.join());
    expect(joined[0]?.[0]).toMatch(/แชตส่วนตัว 1:1/);
    expect(await count(h.db.db, sql`conversations WHERE line_user_id LIKE 'C%'`)).toBe(0);
  });
});
