// The person picker (fields.tsx) in Chromium with JavaScript off, as the admin uses it at a big office: on the
// office groups page they choose a group, type part of a name and press Enter (the search button is the form's
// first, so Enter searches), the same form comes back with the group still chosen and the matches as radios, they
// pick the person and add them. Every step goes through the page's own form, so a broken formaction, field name or
// kept value fails here.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { msg } from '../../src/i18n/msg.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
let chromium: Browser | undefined;

beforeAll(async () => {
  h = await startHarness({ listen: true });
  demo = await seedDemo(h.db.db, h.clock.now);
  chromium = await launchChromium({ javaScriptEnabled: false });
  // 600 staff, more than the old list's 500, and a group to put one in.
  await h.db.db.execute(sql`
    INSERT INTO people (office_id, role, display_name, external_id)
    SELECT ${demo.office.id}::uuid, 'supervisor', 'ศน.ทดลองเลือก ' || lpad(g::text, 3, '0'), 'browser-pick-' || g
      FROM generate_series(1, 600) g`);
  await h.db.db.execute(sql`
    INSERT INTO office_groups (office_id, code, name_th) VALUES (${demo.office.id}::uuid, 'policy', 'กลุ่มนโยบายและแผน')`);
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
});

describe('the person picker in Chromium without JavaScript', () => {
  it('the admin searches by name, picks one of the matches and adds them to a group', async () => {
    const user = userId('picker-browser-admin');
    await h.post(ev.text(persona(demo, 'admin').inviteCode, { user }));
    await h.post(ev.text('ใช่', { user }));
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
    const signin = new RegExp(`${h.base ?? ''}/admin/signin/[A-Za-z0-9_-]{43}`).exec(replyTexts(reply).join('\n'));
    const page = await (chromium as Browser).context.newPage();
    await page.goto(signin?.[0] ?? '');
    await page.getByRole('button', { name: msg.web.signin.linkButton }).click();
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1`);
    await page.goto(`${h.base ?? ''}/admin/offices/DEMO1/office-sar/groups`);

    const form = page.locator('form#add-member');
    await form.getByLabel(msg.web.officeSar.group).selectOption('policy');
    await expect(form.locator('input[type=radio]').count()).resolves.toBe(0);
    await form.getByLabel(msg.web.people.pickFind).fill('ทดลองเลือก 599');
    await form.getByLabel(msg.web.people.pickFind).press('Enter');
    await page.waitForURL(/\/office-sar\/groups\?code=policy&who=.*#add-member$/);

    const again = page.locator('form#add-member');
    await expect(again.getByLabel(msg.web.officeSar.group).inputValue()).resolves.toBe('policy');
    await expect(again.locator('input[type=radio]').count()).resolves.toBe(1);
    await again.getByLabel(/ศน\.ทดลองเลือก 599/).check();
    await again.getByRole('button', { name: msg.web.officeSar.add, exact: true }).click();
    await page.waitForURL(/\/office-sar\/groups\?saved=1$/);

    const added = await one<{ name: string }>(
      h.db.db,
      sql`SELECT p.display_name AS name FROM office_groups g JOIN people p ON p.id = ANY(g.member_ids)
           WHERE g.office_id = ${demo.office.id}::uuid AND g.code = 'policy'`,
    );
    expect(added.name).toBe('ศน.ทดลองเลือก 599');
    await page.close();
  });
});
