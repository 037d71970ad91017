// The tick's rich menu step: a person linked in chat gets their role's menu on the next tick, a role change moves
// them, a role without a menu (admin) unlinks, blocked and erased people are left alone, 1,200 people take three
// bulk calls, and a failed call leaves exactly its people pending for the next tick.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { imageUrl } from '../../src/richmenu/cli.js';
import { createRichMenuApi } from '../../src/richmenu/line.js';
import { syncChannel } from '../../src/richmenu/sync.js';
import { tick } from '../../src/scheduler/tick.js';
import { body, ev, userId } from '../support/events.js';
import { persona, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
let menuOf: Map<string, string>;

const bulkLinks = () => h.line.requests.filter((r) => r.path === '/v2/bot/richmenu/bulk/link');
const linkedTo = (user: string) => h.line.richMenus().links.get(user);
const menuRoleOf = async (user: string) =>
  (
    await one<{ rich_menu_role: string | null }>(
      h.db.db,
      sql`SELECT rich_menu_role FROM people WHERE line_user_id = ${user}`,
    )
  ).rich_menu_role;
const run = () => tick(h.deps, h.clock.now);

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  const env = h.deps.channels.envChannel();
  if (env === null) throw new Error('the harness has an env channel');
  await syncChannel(
    {
      db: h.db.db,
      log: h.deps.log,
      image: (role) => Promise.resolve(new Uint8Array(readFileSync(imageUrl(role)))),
      api: (ch) =>
        createRichMenuApi({ channelAccessToken: ch.accessToken, apiBaseUrl: h.line.url, dataApiBaseUrl: h.line.url }),
    },
    env,
  );
  const rows = await queryRows<{ role: string; rich_menu_id: string }>(
    h.db.db,
    sql`SELECT role, rich_menu_id FROM rich_menus WHERE channel_id = 'default'`,
  );
  menuOf = new Map(rows.map((r) => [r.role, r.rich_menu_id]));
}, 180_000); // a database, the demo office and (for some) four menus, on a shared two-core machine
afterAll(() => h.close());
beforeEach(() => h.line.reset());

describe('linking rich menus on the tick', () => {
  const teacher = userId('rm-link-teacher');

  it('gives a person linked in chat their role’s menu on the next tick, once', async () => {
    const res = await h.webhook(body(ev.text(persona(demo, 'teacher').inviteCode, { user: teacher })));
    expect(res.status).toBe(200);
    await h.settle();
    await h.webhook(body(ev.text('ใช่', { user: teacher }))); // whose account it is: confirmed
    await h.settle();
    expect(await menuRoleOf(teacher)).toBeNull();
    expect(linkedTo(teacher)).toBeUndefined(); // the chat turn itself makes no rich menu call

    const r = await run();
    expect(r.richMenus).toMatchObject({ linked: 1, pending: 0, calls: 1 });
    expect(bulkLinks()).toHaveLength(1);
    expect(bulkLinks()[0]?.body).toEqual({ richMenuId: menuOf.get('teacher'), userIds: [teacher] });
    expect(linkedTo(teacher)).toBe(menuOf.get('teacher'));
    expect(await menuRoleOf(teacher)).toBe('teacher');
    expect(h.line.pushes()).toEqual([]); // linking is not a message

    h.line.reset();
    expect((await run()).richMenus).toMatchObject({ linked: 0, calls: 0 });
    expect(h.line.richMenuCalls()).toEqual([]);
  });

  it('moves a person to the new role’s menu after a role change', async () => {
    await h.db.db.execute(sql`UPDATE people SET role = 'principal' WHERE line_user_id = ${teacher}`);
    expect((await run()).richMenus).toMatchObject({ linked: 1 });
    expect(linkedTo(teacher)).toBe(menuOf.get('principal'));
    expect(await menuRoleOf(teacher)).toBe('principal');
  });

  it('unlinks the old menu when the new role has none (admin), and then leaves them be', async () => {
    await h.db.db.execute(sql`UPDATE people SET role = 'admin' WHERE line_user_id = ${teacher}`);
    expect((await run()).richMenus).toMatchObject({ unlinked: 1, calls: 1 });
    expect(h.line.requests.filter((r) => r.path === '/v2/bot/richmenu/bulk/unlink')[0]?.body).toEqual({
      userIds: [teacher],
    });
    expect(linkedTo(teacher)).toBeUndefined();
    expect(await menuRoleOf(teacher)).toBeNull();
    h.line.reset();
    expect((await run()).richMenus).toMatchObject({ calls: 0 });
    expect(h.line.richMenuCalls()).toEqual([]);
  });

  it('links a person again when they link a new LINE account', async () => {
    const [oldUser, newUser] = [userId('rm-link-phone-1'), userId('rm-link-phone-2')];
    const principal = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND role = 'principal' AND line_user_id IS NULL
          ORDER BY id LIMIT 1`,
    );
    for (const user of [oldUser, newUser]) {
      const [invite] = await issueInvites(h.db.db, demo.office.id, [principal.id], h.clock.now);
      expect((await h.webhook(body(ev.text(invite?.code ?? '', { user })))).status).toBe(200);
      await h.settle();
      await h.webhook(body(ev.text('ใช่', { user }))); // whose account it is: confirmed
      await h.settle();
      expect((await run()).richMenus).toMatchObject({ linked: 1 });
      expect(linkedTo(user)).toBe(menuOf.get('principal'));
    }
  });

  it('does not link blocked or erased people', async () => {
    const blocked = userId('rm-link-blocked');
    await h.db.db.execute(sql`
      INSERT INTO people (office_id, role, display_name, status, channel_id, line_user_id)
      VALUES (${demo.office.id}, 'teacher', 'ครูทดสอบ บล็อก', 'blocked', 'default', ${blocked}),
             (${demo.office.id}, 'teacher', 'ครูทดสอบ ลบแล้ว', 'erased', 'default', NULL)`);
    expect((await run()).richMenus).toMatchObject({ calls: 0 });
    expect(linkedTo(blocked)).toBeUndefined();
    // Unblocking (a follow) makes them active: the next tick links them.
    await h.db.db.execute(sql`UPDATE people SET status = 'active' WHERE line_user_id = ${blocked}`);
    expect((await run()).richMenus).toMatchObject({ linked: 1 });
    expect(linkedTo(blocked)).toBe(menuOf.get('teacher'));
  });

  it('links 1,200 people with three bulk calls of at most 500', async () => {
    await h.db.db.execute(sql`
      INSERT INTO people (office_id, role, display_name, status, channel_id, line_user_id)
      SELECT ${demo.office.id}, 'teacher', 'ครูทดสอบ ' || n, 'active', 'default', 'U' || md5('rm-bulk-' || n)
        FROM generate_series(1, 1200) AS n`);
    const r = await run();
    expect(r.richMenus).toMatchObject({ linked: 1200, pending: 0, calls: 3 });
    expect(bulkLinks().map((c) => (c.body as { userIds: string[] }).userIds.length)).toEqual([500, 500, 200]);
    expect(h.line.invalid()).toEqual([]);
    expect(
      await count(
        h.db.db,
        sql`people WHERE line_user_id LIKE 'U%' AND rich_menu_role IS DISTINCT FROM role AND status = 'active' AND role <> 'admin'`,
      ),
    ).toBe(0);
  });

  it('leaves the people of a failed call pending and links exactly them on the next tick', async () => {
    await h.db.db.execute(sql`
      INSERT INTO people (office_id, role, display_name, status, channel_id, line_user_id)
      SELECT ${demo.office.id}, 'supervisor', 'ศึกษานิเทศก์ทดสอบ ' || n, 'active', 'default', 'U' || md5('rm-retry-' || n)
        FROM generate_series(1, 600) AS n`);
    h.line.failNext('/v2/bot/richmenu/bulk/link', 500);
    const first = await run();
    expect(first.richMenus).toMatchObject({ linked: 100, pending: 500, calls: 2 });
    const failed = (bulkLinks()[0]?.body as { userIds: string[] }).userIds;
    expect(failed.some((u) => linkedTo(u) !== undefined)).toBe(false);
    expect(h.logs.some((l) => l.includes('richmenu link failed') && l.includes('"status":500'))).toBe(true);

    h.line.reset();
    const second = await run();
    expect(second.richMenus).toMatchObject({ linked: 500, pending: 0, calls: 1 });
    expect((bulkLinks()[0]?.body as { userIds: string[] }).userIds.sort()).toEqual([...failed].sort());
    expect(failed.every((u) => linkedTo(u) === menuOf.get('supervisor'))).toBe(true);
    h.line.reset();
    expect((await run()).richMenus).toMatchObject({ calls: 0 });
  });
});
