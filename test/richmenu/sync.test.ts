// `richmenu sync` against the fake LINE server, which checks every call against LINE's spec and keeps LINE's
// state (menus, images, aliases, links): four menus the first time, nothing the second, one replaced menu (and
// its people moved to it, the old one deleted) after a definition changes, and a run stopped half-way finishing
// cleanly when repeated. One CLI run shows the command end to end.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import type { Channel } from '../../src/line/channels.js';
import { encryptSecret } from '../../src/crypto/secrets.js';
import { upsertChannel } from '../../src/line/channels.queries.js';
import { imageUrl, richMenuSync } from '../../src/richmenu/cli.js';
import { aliasOf, MENUS, type MenuRole, menuRoles } from '../../src/richmenu/definitions.js';
import { createRichMenuApi } from '../../src/richmenu/line.js';
import { type SyncDeps, syncChannel } from '../../src/richmenu/sync.js';
import { tick } from '../../src/scheduler/tick.js';
import { cliTarget } from '../support/cli.js';
import { startFakeLine, type FakeLine } from '../support/fake-line.js';
import { SECRET, SECRETS_KEY, startHarness, TOKEN, type Harness } from '../support/harness.js';

let h: Harness;
let demo: DemoSeed;
let env: Channel;

const image = (role: MenuRole) => Promise.resolve(new Uint8Array(readFileSync(imageUrl(role))));
const depsFor = (line: FakeLine, menus = MENUS): SyncDeps => ({
  db: h.db.db,
  log: h.deps.log,
  image,
  menus,
  api: (ch) =>
    createRichMenuApi({ channelAccessToken: ch.accessToken, apiBaseUrl: line.url, dataApiBaseUrl: line.url }),
});

async function stored(channelId: string): Promise<Map<string, { id: string; hash: string }>> {
  const rows = await queryRows<{ role: string; rich_menu_id: string; content_hash: string }>(
    h.db.db,
    sql`SELECT role, rich_menu_id, content_hash FROM rich_menus WHERE channel_id = ${channelId}`,
  );
  return new Map(rows.map((r) => [r.role, { id: r.rich_menu_id, hash: r.content_hash }]));
}

/** LINE's state agrees with ours: one menu per role, with its image, its alias pointing at it, nothing else. */
async function expectInSync(line: FakeLine, channelId: string, token?: string): Promise<void> {
  const rows = await stored(channelId);
  const state = line.richMenus(token);
  expect([...rows.keys()].sort()).toEqual([...menuRoles].sort());
  expect([...state.menus.keys()].sort()).toEqual([...rows.values()].map((r) => r.id).sort());
  for (const [role, row] of rows) {
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/); // no sweep left to do
    expect(state.menus.get(row.id)?.image).toEqual({
      contentType: 'image/png',
      bytes: expect.any(Number),
      width: 2500,
      height: 1686,
    });
    expect(state.aliases.get(aliasOf(role as MenuRole))).toBe(row.id);
  }
  expect(line.invalid()).toEqual([]);
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  const ch = h.deps.channels.envChannel();
  if (ch === null) throw new Error('the harness has an env channel');
  env = ch;
}, 180_000); // a database, the demo office and (for some) four menus, on a shared two-core machine
afterAll(() => h.close());

describe('richmenu sync', () => {
  it('creates a menu, its image and its alias per role, each validated first', async () => {
    const r = await syncChannel(depsFor(h.line), env);
    expect(r.created.sort()).toEqual([...menuRoles].sort());
    await expectInSync(h.line, 'default');
    const calls = h.line.richMenuCalls().map((c) => `${c.method} ${c.path.replace(/richmenu-[0-9a-f]+/, 'ID')}`);
    // validate → create → image → alias, per role; then the list for the sweep (nothing to delete).
    expect(calls.slice(0, 4)).toEqual([
      'POST /v2/bot/richmenu/validate',
      'POST /v2/bot/richmenu',
      'POST /v2/bot/richmenu/ID/content',
      'POST /v2/bot/richmenu/alias',
    ]);
    expect(calls.filter((c) => c === 'POST /v2/bot/richmenu/validate')).toHaveLength(4);
    expect(calls.at(-1)).toBe('GET /v2/bot/richmenu/list');
    expect(r.deleted).toBe(0);
    const upload = h.line.richMenuCalls().find((c) => c.path.endsWith('/content'));
    expect(upload?.headers['content-type']).toBe('image/png');
  });

  it('makes no LINE call when nothing changed', async () => {
    h.line.reset();
    const r = await syncChannel(depsFor(h.line), env);
    expect(r.unchanged).toHaveLength(4);
    expect(r.created).toEqual([]);
    expect(h.line.richMenuCalls()).toEqual([]);
  });

  it('replaces only the changed menu, moves its people to it and deletes the old one', async () => {
    // Two teachers linked in chat, given the current teacher menu by the tick.
    const teachers = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND role = 'teacher' ORDER BY id LIMIT 2`,
    );
    const users = ['Ua1', 'Ua2'].map((u) => u.padEnd(33, '0'));
    for (const [i, t] of teachers.entries())
      await h.db.db.execute(
        sql`UPDATE people SET channel_id = 'default', line_user_id = ${users[i]}, status = 'active' WHERE id = ${t.id}`,
      );
    await tick(h.deps, h.clock.now);
    const before = await stored('default');
    const oldTeacher = before.get('teacher')?.id ?? '';
    expect(h.line.richMenus().links.get(users[0] ?? '')).toBe(oldTeacher);

    h.line.reset();
    const changed = MENUS.map((m) => (m.role === 'teacher' ? { ...m, chatBarText: 'เมนูครู (ใหม่)' } : m));
    const r = await syncChannel(depsFor(h.line, changed), env);
    expect(r).toMatchObject({ created: ['teacher'], deleted: 1, linked: 2 });
    const after = await stored('default');
    const newTeacher = after.get('teacher')?.id ?? '';
    expect(newTeacher).not.toBe(oldTeacher);
    for (const role of ['principal', 'supervisor', 'director']) expect(after.get(role)).toEqual(before.get(role));
    const state = h.line.richMenus();
    expect(state.menus.has(oldTeacher)).toBe(false);
    expect(state.aliases.get('nithet-teacher')).toBe(newTeacher);
    expect(users.map((u) => state.links.get(u))).toEqual([newTeacher, newTeacher]);
    expect(h.line.richMenuCalls().filter((c) => c.path === '/v2/bot/richmenu')).toHaveLength(1);
    // The alias existed: it was updated, not created again.
    expect(h.line.richMenuCalls().some((c) => c.path === '/v2/bot/richmenu/alias/nithet-teacher')).toBe(true);
    const roles = await queryRows<{ rich_menu_role: string | null }>(
      h.db.db,
      sql`SELECT rich_menu_role FROM people WHERE line_user_id = ANY(${sql.param(users)}::text[])`,
    );
    expect(roles.map((x) => x.rich_menu_role)).toEqual(['teacher', 'teacher']);
    await expectInSync(h.line, 'default');
    h.line.reset();
    await tick(h.deps, h.clock.now);
    expect(h.line.richMenuCalls()).toEqual([]); // nobody left pending
    await syncChannel(depsFor(h.line, changed), env);
    expect(h.line.richMenuCalls()).toEqual([]);
  });

  it('finishes cleanly when run again after stopping half-way', async () => {
    // A channel of its own, on a LINE of its own (LINE keeps menus per channel).
    const line = await startFakeLine();
    try {
      await h.db.db.execute(sql`INSERT INTO line_channels (id, name) VALUES ('rm-crash', 'crash test')`);
      const ch: Channel = { ...env, id: 'rm-crash', accessToken: 'crash-channel-token' };
      line.failNext('/content', 500, 1, undefined, 2); // the third image upload fails
      await expect(syncChannel(depsFor(line), ch)).rejects.toMatchObject({ status: 500 });
      expect([...(await stored('rm-crash')).keys()]).toHaveLength(2);
      expect(line.richMenus().menus.size).toBe(3); // the third has no image and nothing refers to it

      const again = await syncChannel(depsFor(line), ch);
      expect(again.unchanged).toHaveLength(2);
      expect(again.created).toHaveLength(2);
      expect(again.deleted).toBe(1); // the stray of the stopped run
      await expectInSync(line, 'rm-crash');

      // Stopped after storing, before deleting the old menu: the next run only deletes.
      const oldDirector = (await stored('rm-crash')).get('director')?.id ?? '';
      line.failNext('/v2/bot/richmenu/list', 500);
      const changed = MENUS.map((m) => (m.role === 'director' ? { ...m, chatBarText: 'ผอ.เขต' } : m));
      await expect(syncChannel(depsFor(line, changed), ch)).rejects.toMatchObject({ status: 500 });
      expect(line.richMenus().menus.size).toBe(5);
      line.reset();
      const finish = await syncChannel(depsFor(line, changed), ch);
      expect(finish).toMatchObject({ created: [], deleted: 1 });
      expect(line.richMenuCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
        'GET /v2/bot/richmenu/list',
        `DELETE /v2/bot/richmenu/${oldDirector}`,
      ]);
      await expectInSync(line, 'rm-crash');
      line.reset();
      await syncChannel(depsFor(line, changed), ch);
      expect(line.richMenuCalls()).toEqual([]);
    } finally {
      await line.close();
    }
  });
});

describe('syncing every channel with credentials', () => {
  it('syncs the env channel and each registered channel on its own LINE account', async () => {
    const officeToken = 'office-channel-token-0123456789';
    await upsertChannel(h.db.db, {
      id: 'rm-office',
      officeId: demo.office.id,
      name: 'office channel',
      lineChannelId: null,
      secretEnc: await encryptSecret(SECRETS_KEY, 'o'.repeat(32)),
      tokenEnc: await encryptSecret(SECRETS_KEY, officeToken),
    });
    const lines: string[] = [];
    expect(await richMenuSync(h.deps, undefined, (l) => lines.push(l))).toBe(0);
    expect(lines).toContain('rm-office: 4 created, 0 unchanged, 0 deleted, 0 people linked');
    expect(lines.some((l) => l.startsWith('default: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('rm-crash'))).toBe(false); // no credentials: not a channel to sync
    await expectInSync(h.line, 'rm-office', officeToken);
    await expectInSync(h.line, 'default', TOKEN);
    expect(lines.join('\n')).not.toMatch(/U[0-9a-f]{32}/);
  });
});

describe('npm run cli -- richmenu sync', () => {
  it('syncs the env channel from the committed images, then has nothing to do', async () => {
    const line = await startFakeLine();
    const t = await cliTarget('nithet-richmenu-');
    try {
      Object.assign(t.env, {
        LINE_CHANNEL_SECRET: SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
        LINE_API_BASE_URL: line.url,
        LINE_DATA_API_BASE_URL: line.url,
      });
      const first = await t.cli('richmenu', 'sync');
      expect(first.stderr).toContain('default teacher: created richmenu-');
      expect(first.code).toBe(0);
      expect(line.richMenus().menus.size).toBe(4);
      expect([...line.richMenus().aliases.keys()].sort()).toEqual(menuRoles.map((r) => aliasOf(r)).sort());
      expect(line.invalid()).toEqual([]);
      line.reset();
      const second = await t.cli('richmenu', 'sync');
      expect(second.code).toBe(0);
      expect(second.stderr).toContain('default: 0 created, 4 unchanged');
      expect(line.richMenuCalls()).toEqual([]);
      expect((await t.cli('richmenu', 'sync', '--channel', 'nope')).code).toBe(1);
    } finally {
      await t.close();
      await line.close();
    }
  }, 120_000);
});
