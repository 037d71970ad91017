// The one-time sign-in link from chat, in a real browser (Debian's Chromium): a linked supervisor types เข้าเว็บ,
// opens the link the bot replied with, presses the button and lands on their office's dashboard, signed in, with
// the supervisor's menu. Pins the link page's Referrer-Policy: under `no-referrer` Chromium posts the button's
// form with `Origin: null` and no Referer, which the pages' same-origin check refuses (403); `same-origin` sends
// the page's own origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { t } from '../../src/web/web.th.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { msg } from '../../src/i18n/msg.js';

let h: Harness;
let demo: DemoSeed;
let chromium: Browser | undefined;
const user = userId('browser-signin-supervisor');

beforeAll(async () => {
  h = await startHarness({ listen: true });
  demo = await seedDemo(h.db.db, h.clock.now);
  await h.post(ev.text(persona(demo, 'supervisor').inviteCode, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
});

describe('sign-in from a chat link in Chromium', () => {
  it('a supervisor opens the link from เข้าเว็บ, presses the button and lands signed in on their dashboard', async () => {
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
    const link = new RegExp(`${h.base ?? ''}/admin/signin/[A-Za-z0-9_-]{43}`).exec(replyTexts(reply).join('\n'))?.[0];
    expect(link).toBeDefined();
    const page = await (chromium as Browser).context.newPage();
    const opened = await page.goto(link ?? '');
    expect(opened?.status()).toBe(200);
    expect(await opened?.headerValue('referrer-policy')).toBe('same-origin');

    const posted = page.waitForRequest((r) => r.method() === 'POST');
    await page.getByRole('button', { name: msg.web.signin.linkButton }).click();
    const post = await posted;
    expect(await post.headerValue('origin')).toBe(h.base);
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1`);
    expect(await page.locator('h1').innerText()).toBe(t.dashboard);
    expect(await page.locator('header.top').innerText()).toContain(t.signOut.split(' /')[0] ?? '');
    const menu = await page.locator('nav.office a').allInnerTexts();
    // The schools list and the reports are cut to their schools.
    expect(menu).toEqual([t.dashboard, t.campaigns, 'โรงเรียน / Schools', 'รายงาน / Reports']);
    expect(await page.locator('[data-list=my-schools] li').count()).toBeGreaterThan(0);

    // The link worked once: opening it again says so.
    const again = await page.goto(link ?? '');
    expect(again?.status()).toBe(410);
    await page.close();
  });
});
