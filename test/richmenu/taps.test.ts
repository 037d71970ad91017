// Every tile of every role's menu, tapped by a linked person of that role through the signed webhook, the real
// parser and transition: none may be answered the way an unknown postback is (the home menu again), nor as
// "not understood" or a stale button. The home tile is the one whose answer is the menu, by its global command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalCommand } from '../../src/conversation/transition.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { sar } from '../../src/i18n/sar.th.js';
import { th } from '../../src/i18n/th.js';
import { parsePostbackData } from '../../src/line/messages.js';
import { layout, MENUS } from '../../src/richmenu/definitions.js';
import { body, ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let demo: DemoSeed;

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

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  for (const def of MENUS) {
    await say(ev.text(persona(demo, def.role).inviteCode, { user: userId(`rm-tap-${def.role}`) }));
    const reply = await say(ev.text('ใช่', { user: userId(`rm-tap-${def.role}`) })); // whose account: confirmed
    expect(reply.join()).toMatch(/ยินดีต้อนรับ/);
  }
}, 180_000); // a database, the demo office and (for some) four menus, on a shared two-core machine
afterAll(() => h.close());

describe.each(MENUS.map((m) => [m.role, m] as const))('the %s menu', (role, def) => {
  const user = userId(`rm-tap-${role}`);

  it.each(layout(def).map((t) => [t.th, t] as const))('%s is understood', async (_label, tile) => {
    // What an unknown postback gets, from the same (home) state.
    const unknown = await say(ev.postback('a=no-such-action', { user }));
    const answer =
      tile.action.type === 'postback'
        ? await say(ev.postback(tile.action.data, { user }))
        : await say(ev.text(tile.action.text, { user }));
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.join('\n')).not.toContain(th.notUnderstood);
    expect(answer.join('\n')).not.toContain(th.staleButton);
    if (tile.action.type === 'postback' && globalCommand(parsePostbackData(tile.action.data)?.action ?? '') === 'menu')
      expect(answer).toEqual(unknown);
    else expect(answer).not.toEqual(unknown);
    // Back home before the next tile (a tap may have opened a flow, e.g. planning a visit).
    await say(ev.text('ยกเลิก', { user }));
  });
});

describe("the director's SAR tile", () => {
  it('sends a=sar and gets the SAR summary (the demo office has no SAR campaign yet: the reply says so)', async () => {
    const def = MENUS.find((m) => m.role === 'director');
    const tile = def === undefined ? undefined : layout(def).find((t) => t.th === 'สรุป SAR');
    expect(tile?.row).toBe('top');
    expect(tile?.action).toEqual({ type: 'postback', data: 'a=sar', displayText: 'สรุป SAR' });
    const answer = await say(ev.postback('a=sar', { user: userId('rm-tap-director') }));
    expect(answer).toEqual([sar.noCampaign]);
  });
  it("is on no other role's menu (the synthesis spans the whole office)", () => {
    for (const def of MENUS.filter((m) => m.role !== 'director'))
      expect(layout(def).map((t) => t.action)).not.toContainEqual(expect.objectContaining({ data: 'a=sar' }));
  });
});
