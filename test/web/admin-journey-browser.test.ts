// The admin's whole journey in Chromium (issue 13.6), as an office clerk would make it: sign in from a chat link
// (เข้าเว็บ through the webhook, the link in the bot's reply), import people from an XLSX with one bad row (the
// row and column named), fix the file and import it, open the school's printable invite sheet, then create and
// announce a campaign. With NITHET_SCREENSHOTS=1 it saves docs/web-people.png, docs/web-imports-preview.png,
// docs/web-settings.png and docs/web-assignments.png.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { t } from '../../src/web/web.th.js';
import { xlsx } from '../imports/xlsx-fixture.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { msg } from '../../src/i18n/msg.js';

const SHOTS = process.env.NITHET_SCREENSHOTS === '1';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const school = DEMO_SCHOOLS[4] ?? { code: '', nameTh: '' };

let h: Harness;
let demo: DemoSeed;
let chromium: Browser | undefined;
const user = userId('journey-admin');

beforeAll(async () => {
  h = await startHarness({ listen: true });
  demo = await seedDemo(h.db.db, h.clock.now);
  await h.post(ev.text(persona(demo, 'admin').inviteCode, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
});

describe('the admin journey in Chromium', () => {
  it('signs in from chat, imports people (a bad row, then fixed), prints the invite sheet, announces a campaign', async () => {
    const base = h.base ?? '';
    const office = `${base}/admin/offices/DEMO1`;
    // 1. เข้าเว็บ in chat; the reply holds the one-time link.
    const [reply] = await h.post(ev.text('เข้าเว็บ', { user }));
    const link = new RegExp(`${base}/admin/signin/[A-Za-z0-9_-]{43}`).exec(replyTexts(reply).join('\n'))?.[0];
    expect(link).toMatch(/\/admin\/signin\/[A-Za-z0-9_-]{43}$/);
    const page = await (chromium as Browser).context.newPage();
    await page.goto(link ?? '');
    await page.getByRole('button', { name: msg.web.signin.linkButton }).click();
    await page.waitForURL(office);
    expect(await page.locator('h1').innerText()).toBe(t.dashboard);

    // 2. People from an XLSX with one bad row: the preview names its row and column, and nothing is written.
    const header = ['ชื่อ-สกุล', 'บทบาท', 'รหัสโรงเรียน', 'รหัสบุคลากร'];
    const rows = (role: string) => [
      header,
      ['ครูเดินทาง หนึ่ง', 'ครู', school.code, 'journey-1'],
      ['ครูเดินทาง สอง', role, school.code, 'journey-2'],
    ];
    const upload = async (file: Uint8Array) => {
      await page.goto(`${office}/imports`);
      await page.locator('input[name=kind][value=people]').check();
      await page.locator('#file').setInputFiles({ name: 'people.xlsx', mimeType: XLSX, buffer: Buffer.from(file) });
      await page.getByRole('button', { name: msg.web.imports.check }).click();
      await page.waitForLoadState();
    };
    await upload(await xlsx(rows('ภารโรง')));
    const bad = page.locator('#import-issues tbody tr');
    expect(await bad.count()).toBe(1);
    const cells = await bad.first().locator('td').allInnerTexts();
    expect(cells.slice(0, 2)).toEqual(['3', 'บทบาท']);
    if (SHOTS) await page.screenshot({ path: 'docs/web-imports-preview.png', fullPage: true });
    expect(await count(h.db.db, sql`people WHERE external_id LIKE 'journey-%'`)).toBe(0);

    // 3. The fixed file: checked, confirmed, imported with invites.
    await upload(await xlsx(rows('ครู')));
    expect(await page.locator('[data-figure=created]').innerText()).toBe('2');
    await page.getByRole('button', { name: msg.web.imports.confirm }).click();
    await page.waitForLoadState();
    expect(await page.locator('[data-figure=written]').innerText()).toBe('2');
    expect(await count(h.db.db, sql`people WHERE external_id LIKE 'journey-%'`)).toBe(2);

    // 4. The school's printable invite sheet: confirmed, then one card per unlinked person.
    const schoolId = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${school.code}`)).id;
    await page.goto(`${office}/invite-sheets`);
    await page.getByRole('link', { name: `${msg.web.sheets.prepare}: ${school.nameTh}` }).click();
    await page.waitForURL(`${office}/invite-sheets/${schoolId}`);
    await page.getByRole('button', { name: msg.web.sheets.issue }).click();
    await page.waitForLoadState();
    const unlinked = await count(
      h.db.db,
      sql`people WHERE school_id = ${schoolId}::uuid AND line_user_id IS NULL AND status <> 'erased'`,
    );
    expect(await page.locator('article.card').count()).toBe(unlinked);
    expect(await page.locator('article.card h2').allInnerTexts()).toContain('ครูเดินทาง สอง');

    // 5. A campaign for teachers, announced when it opens.
    await page.goto(`${office}/campaigns/new`);
    await page.getByLabel('ชื่อการติดตาม / Title').fill('สำรวจความต้องการ เส้นทางผู้ดูแล');
    await page.getByLabel('แบบที่ใช้ (ฉบับ) / Checklist and version').selectOption('needs-survey@1');
    await page.getByLabel('ครู', { exact: true }).check();
    await page.locator('#dueAt').fill('31/1/2570');
    await page.getByLabel(/ประกาศเมื่อเปิด/).check();
    await page.getByRole('button', { name: 'สร้างการติดตาม / Create' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\?saved=1$/);
    expect(await count(h.db.db, sql`campaigns WHERE title_th = 'สำรวจความต้องการ เส้นทางผู้ดูแล' AND announce`)).toBe(1);

    if (SHOTS) {
      await page.goto(`${office}/people?school=${schoolId}`);
      await page.screenshot({ path: 'docs/web-people.png', fullPage: true });
      await page.goto(`${office}/settings`);
      await page.screenshot({ path: 'docs/web-settings.png', fullPage: true });
      await page.goto(`${office}/assignments`);
      await page.screenshot({ path: 'docs/web-assignments.png', fullPage: true });
    }
    await page.close();
  }, 180_000);
});
