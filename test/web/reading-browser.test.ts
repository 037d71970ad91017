// Reading the work in a real browser (issue 13, item 6), on the demo office with its story and one photo added to
// an assigned school's SAR:
// - a supervisor types เข้าเว็บ, opens the link, goes from their dashboard to one assigned school's page, reads its
//   SAR against its targets, opens the SAR's answers and the photo (served by the scoped evidence route);
// - a director opens the reports page and downloads the office's report as XLSX.
// With NITHET_SCREENSHOTS=1 the school page and the campaign's responses page are saved to docs/ (web-school.png,
// web-responses.png).
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { addPhoto, PNG } from '../support/evidence.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { msg } from '../../src/i18n/msg.js';

const SHOTS = process.env.NITHET_SCREENSHOTS === '1';
let h: Harness;
let demo: DemoSeed;
let chromium: Browser | undefined;
const school = DEMO_SCHOOLS[1] as (typeof DEMO_SCHOOLS)[number]; // cluster C1: the supervisor persona's
const ids = { school: '', sar: '', campaign: '', photo: '' };

/** Links `role`'s persona in chat, asks for the web, and signs in in a new page; returns the page on the dashboard. */
async function signIn(role: 'supervisor' | 'director') {
  const user = userId(`reading-browser-${role}`);
  await h.post(ev.text(persona(demo, role).inviteCode, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
  const link = new RegExp(`${h.base ?? ''}/admin/signin/[A-Za-z0-9_-]{43}`).exec(replyTexts(reply).join('\n'))?.[0];
  expect(link).toMatch(/\/admin\/signin\/[A-Za-z0-9_-]{43}$/);
  const page = await (chromium as Browser).context.newPage();
  await page.goto(link ?? '');
  await page.getByRole('button', { name: msg.web.signin.linkButton }).click();
  await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1`);
  return page;
}

beforeAll(async () => {
  h = await startHarness({ listen: true });
  demo = await seedDemo(h.db.db, h.clock.now, { story: true });
  const sar = await one<{ school: string; response: string; campaign: string }>(
    h.db.db,
    sql`SELECT s.id AS school, r.id AS response, r.campaign_id AS campaign
          FROM schools s
          JOIN responses r ON r.school_id = s.id AND r.status = 'submitted'
          JOIN checklists ck ON ck.id = r.checklist_id AND ck.key = 'sar-basic'
         WHERE s.code = ${school.code}`,
  );
  ids.school = sar.school;
  ids.sar = sar.response;
  ids.campaign = sar.campaign;
  ids.photo = await addPhoto(h, demo.office.id, ids.sar);
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
});

describe('reading the work in Chromium', () => {
  it('a supervisor signs in from chat, reads an assigned school’s SAR and opens its photo', async () => {
    const page = await signIn('supervisor');
    await page.locator(`[data-list=my-schools] a`, { hasText: school.nameTh }).click();
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1/schools/${ids.school}`);
    expect(await page.locator('h1').innerText()).toBe(school.nameTh);
    // The SAR: a level and the target (4) the school set, for each standard.
    const s1 = page.locator('[data-outcome=s1_level]');
    expect(await s1.locator('td').nth(1).innerText()).toBe('4');
    expect(await s1.locator('[data-figure=met]').innerText()).toMatch(/ถึงเป้าหมาย|ต่ำกว่าเป้าหมาย/);
    // The photo shows on the page, loaded through the evidence route.
    const img = page.locator(`img[src$="/evidence/${ids.photo}"]`);
    await img.waitFor();
    if (SHOTS) await page.screenshot({ path: 'docs/web-school.png', fullPage: true });

    // The SAR's answers, then the photo itself.
    await page.locator(`[data-outcomes="${ids.sar}"] a`).first().click();
    await page.waitForURL(`${h.base ?? ''}/admin/offices/DEMO1/responses/${ids.sar}`);
    expect(await page.locator('[data-item=s1_target] th').innerText()).toContain('ค่าเป้าหมายของมาตรฐานที่ 1');
    const [photo] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/evidence/${ids.photo}`)),
      page.locator(`a[data-evidence="${ids.photo}"]`).click(),
    ]);
    expect(photo.status()).toBe(200);
    expect(await photo.headerValue('content-type')).toBe('image/png');
    // The click navigated to the photo, so its body is gone from the page; fetch it again with the same session.
    expect(new Uint8Array(await (await page.request.get(photo.url())).body())).toEqual(PNG);
    expect(
      await count(h.db.db, sql`audit_log WHERE action = 'evidence.view' AND target_id = ${ids.photo}`),
    ).toBeGreaterThanOrEqual(2); // the thumbnail on the school page and the photo opened here

    if (SHOTS) {
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${h.base ?? ''}/admin/offices/DEMO1/responses/campaigns/${ids.campaign}`);
      await page.screenshot({ path: 'docs/web-responses.png', fullPage: true });
    }
    await page.close();
  });

  it('a director downloads the office report as XLSX from the reports page', async () => {
    const page = await signIn('director');
    await page.locator('nav.office a', { hasText: 'รายงาน' }).click();
    const form = page.locator('form[data-report=office]');
    await form.locator('select[name=format]').selectOption('xlsx');
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button').click()]);
    expect(download.suggestedFilename()).toMatch(/^report-office-DEMO1-25\d\d.*\.xlsx$/);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a ZIP: the XLSX container
    expect(bytes.length).toBeGreaterThan(1000);
    await page.close();
  });
});
