// The honours page (issue 15 item 6) in Chromium, driven as the admin does it on the demo office with its story:
// the admin signs in from chat, goes from the reports page to the honours page, chooses two criteria in order and
// ranks, reads the ranking with each school's figures and reason, ticks two schools, writes a title and message,
// picks the audience, previews the notice and publishes it; the page then lists the published list, and publishing
// the same list again tells nobody twice. Every step goes
// through the page's own forms, so a broken field name, action or hidden field fails here.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { audiences } from '../../src/honours/honours.th.js';
import { msg } from '../../src/i18n/msg.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { ev, userId } from '../support/events.js';
import { ADMIN, persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

const TITLE = 'ประกาศยกย่องโรงเรียนคุณภาพ ภาคเรียนที่ 2/2569';
const MESSAGE = 'ขอแสดงความยินดีกับโรงเรียนที่มีผลการพัฒนาโดดเด่น';
let h: Harness;
let demo: DemoSeed;
let chromium: Browser | undefined;

/** Links `role`'s persona in chat (an invite code, then confirming the account); answers its LINE user id. */
async function link(role: 'admin' | 'principal'): Promise<string> {
  const user = userId(`honours-browser-${role}`);
  await h.post(ev.text(persona(demo, role).inviteCode, { user }));
  await h.post(ev.text('ใช่', { user }));
  return user;
}

interface Ranked {
  schools: { schoolId: string; code: string; name: string; rank: number; why: string }[];
}

beforeAll(async () => {
  h = await startHarness({ listen: true }); // Friday 20 November 2026, term 2 of 2569
  demo = await seedDemo(h.db.db, h.clock.now, { story: true });
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
});

describe('honouring schools in Chromium', () => {
  it('the admin ranks by chosen criteria, ticks two schools, previews, publishes, and sees the list', async () => {
    await link('principal'); // the one principal on LINE: the audience "principals" is one person
    const admin = await link('admin');
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user: admin }));
    const signin = new RegExp(`${h.base ?? ''}/admin/signin/[A-Za-z0-9_-]{43}`).exec(replyTexts(reply).join('\n'));
    const page = await (chromium as Browser).context.newPage();
    await page.goto(signin?.[0] ?? '');
    await page.getByRole('button', { name: msg.web.signin.linkButton }).click();
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1`);

    // From the reports page to the honours page.
    await page.locator('nav.office a', { hasText: 'รายงาน' }).click();
    await page.locator('a[data-link=honours]').click();
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1/honours`);

    // Criteria in order: the follow-ups closed first, then the SAR level, no third; term 2.
    const criteria = page.locator('form[data-form=criteria]');
    await criteria.getByLabel(msg.web.honours.by(1)).selectOption('actions');
    await criteria.getByLabel(msg.web.honours.by(2)).selectOption('sar');
    await criteria.getByLabel(msg.web.honours.by(3)).selectOption('');
    await criteria.getByLabel(msg.web.honours.term).selectOption('2');
    await criteria.getByRole('button', { name: msg.web.honours.rank }).click();
    await page.waitForURL(/\/honours\?year=2569&term=2&by=actions&by=sar&by=$/);

    // The ranking as the API ranks it for the same choice, each row with its two figures and a reason.
    const api = await h.fetch('/admin/api/v1/offices/DEMO1/honours?year=2569&term=2&by=actions,sar', {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const expected = (await api.json<Ranked>()).schools;
    const byDefault = await h.fetch('/admin/api/v1/offices/DEMO1/honours?year=2569&term=2', {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    // The choice matters: the default criteria (SAR first) order the schools otherwise.
    expect((await byDefault.json<Ranked>()).schools.map((s) => s.code)).not.toEqual(expected.map((s) => s.code));
    const rows = page.locator('table[data-list=ranking] tbody tr');
    expect(await rows.count()).toBe(expected.length);
    expect(await Promise.all((await rows.all()).map((tr) => tr.getAttribute('data-school')))).toEqual(
      expected.map((s) => s.code),
    );
    const heads = await page.locator('table[data-list=ranking] thead th').allInnerTexts();
    expect(heads).toEqual([
      msg.web.honours.cols.pick,
      msg.web.honours.cols.rank,
      msg.web.honours.cols.school,
      msg.honours.criterion('actions'),
      msg.honours.criterion('sar'),
      msg.web.honours.cols.why,
    ]);
    const [first, second] = expected;
    if (first === undefined || second === undefined) throw new Error('the demo office ranks fewer than 2 schools');
    const top = rows.first();
    expect(await top.locator('[data-why]').innerText()).toBe(first.why);
    expect(first.why).not.toBe('');
    expect(await top.locator('[data-figure=sar]').innerText()).not.toBe('');
    // Two schools ticked by their names; the rest left.
    const honour = async () => {
      await page.getByRole('checkbox', { name: first.name }).check();
      await page.getByRole('checkbox', { name: second.name }).check();
      const form = page.locator('form[data-form=honour]');
      await form.getByLabel(msg.web.honours.titleField).fill(TITLE);
      await form.getByLabel(msg.web.honours.messageField).fill(MESSAGE);
      await form.getByLabel(msg.web.honours.audienceField).selectOption('principals');
      await form.getByRole('button', { name: msg.web.honours.preview }).click();
      await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1/honours/preview`);
    };
    await honour();

    // The preview: the notice as it will be read, and nothing sent yet.
    const preview = page.locator('[data-preview]');
    expect(await preview.locator('h2').innerText()).toBe(TITLE);
    expect(await preview.locator('p').innerText()).toBe(
      [MESSAGE, `${first.rank}. ${first.name}`, `${second.rank}. ${second.name}`].join('\n'),
    );
    expect(await page.getByText(audiences.principals).count()).toBe(1);
    expect(await count(h.db.db, sql`outbox_items WHERE kind = 'notice'`)).toBe(0);
    await page.getByRole('button', { name: msg.web.honours.publish }).click();

    // Published to the one linked principal; the page lists it with its schools and reasons.
    await page.waitForURL(/\/honours\?year=2569&term=2&published=1$/);
    expect(await page.getByRole('status').innerText()).toBe(msg.honours.published(1));
    const list = page.locator('section[data-honour-list]');
    expect(await list.count()).toBe(1);
    expect(await list.locator('h3').innerText()).toBe(TITLE);
    expect(await list.locator('li').allInnerTexts()).toEqual([
      `${first.name} — ${first.why}`,
      `${second.name} — ${second.why}`,
    ]);
    expect(await count(h.db.db, sql`outbox_items WHERE kind = 'notice'`)).toBe(1);

    // The same choice made and published again: nobody is told twice.
    await page.goto(`${h.base ?? ''}/admin/offices/DEMO1/honours?year=2569&term=2&by=actions&by=sar`);
    await honour();
    await page.getByRole('button', { name: msg.web.honours.publish }).click();
    await page.waitForURL(/\/honours\?year=2569&term=2&published=again$/);
    expect(await page.getByRole('status').innerText()).toBe(msg.honours.republished);
    expect(await page.locator('section[data-honour-list]').count()).toBe(1);
    expect(await count(h.db.db, sql`outbox_items WHERE kind = 'notice'`)).toBe(1);
    expect(await count(h.db.db, sql`honour_lists`)).toBe(1);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'honours.publish'`)).toBe(1);
    await page.close();
  }, 120_000);
});
