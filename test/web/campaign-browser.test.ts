// The admin journey's last step in Chromium with JavaScript on, at a phone's width (390 px): create and announce a
// campaign on its page. The audience count updates live as roles and clusters are ticked (the page's one script,
// counting through audience()), a Thai B.E. date is typed, and the new campaign is listed. With
// NITHET_SCREENSHOTS=1 the form and the checklist preview are saved to docs/ (how docs/web-*.png are made).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { buildDeps } from '../../src/deps.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { createLogger } from '../../src/log.js';
import { fsBlobStore } from '../../src/runtime/fs-blobs.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { count } from '../support/sql.js';

const ADMIN_TOKEN = 'browser-admin-token-0123456789';
const SHOTS = process.env.NITHET_SCREENSHOTS === '1';

let db: TestDatabase;
let server: ServerType;
let chromium: Browser | undefined;
let blobDir: string;
let base: string;
let seed: DemoSeed;

beforeAll(async () => {
  db = await createTestDatabase();
  blobDir = mkdtempSync(join(tmpdir(), 'nithet-web-'));
  const now = Date.parse('2026-11-20T02:00:00Z');
  const config = parseEnv({
    LINE_CHANNEL_SECRET: 'b'.repeat(32),
    LINE_CHANNEL_ACCESS_TOKEN: 'browser-test-access-token',
    LINE_API_BASE_URL: 'http://127.0.0.1:9',
    LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
    ADMIN_TOKEN,
    LOG_LEVEL: 'error',
  });
  const deps = buildDeps({
    config,
    db: db.db,
    log: createLogger('error', () => {}),
    blobs: fsBlobStore(blobDir),
    now: () => now,
    defer: () => {},
  });
  seed = await seedDemo(db.db, now);
  const app = createApp(() => deps);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chromium = await launchChromium({ javaScriptEnabled: true });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db?.close();
  rmSync(blobDir, { recursive: true, force: true });
});

describe('campaigns in Chromium at 390 px', () => {
  it('creates and announces a campaign, the audience counted live as the form changes', async () => {
    const page = await (chromium as Browser).context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin`);
    await page.getByLabel('รหัสผู้ดูแลระบบ (ADMIN_TOKEN)').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ / Sign in' }).click();
    await page.waitForURL(`${base}/admin/offices`);
    await page.goto(`${base}/admin/offices/${seed.office.code}/campaigns/new`);
    // Nothing wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    await page.getByLabel('ชื่อการติดตาม / Title').fill('สำรวจความพร้อมรับการนิเทศ ภาคเรียนที่ 2/2569');
    await page.getByLabel('แบบที่ใช้ (ฉบับ) / Checklist and version').selectOption('needs-survey@1');
    const out = page.locator('#audience-count');
    await page.getByLabel('ครู', { exact: true }).check();
    const teachers = await count(
      db.db,
      sql`people WHERE office_id = ${seed.office.id}::uuid AND role = 'teacher' AND status <> 'erased'`,
    );
    await expect.poll(() => out.getAttribute('data-people')).toBe(String(teachers));
    await page.locator('input[name=clusterCodes][value=C1]').check();
    const inC1 = await count(
      db.db,
      sql`people p JOIN schools s ON s.id = p.school_id JOIN clusters cl ON cl.id = s.cluster_id
           WHERE p.office_id = ${seed.office.id}::uuid AND p.role = 'teacher' AND p.status <> 'erased' AND cl.code = 'C1'`,
    );
    expect(inC1).toBeLessThan(teachers);
    await expect.poll(() => out.getAttribute('data-people')).toBe(String(inC1));
    await page.locator('#dueAt').fill('31/1/2570');
    await page.getByLabel(/ประกาศเมื่อเปิด/).check();
    if (SHOTS) await page.screenshot({ path: 'docs/web-campaign-form.png', fullPage: true });
    await page.getByRole('button', { name: 'สร้างการติดตาม / Create' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\?saved=1$/);
    expect(await page.getByRole('status').innerText()).toContain('บันทึกแล้ว');
    expect(
      await count(
        db.db,
        sql`campaigns WHERE title_th = 'สำรวจความพร้อมรับการนิเทศ ภาคเรียนที่ 2/2569' AND announce
             AND due_at = '2027-01-31T16:59:59Z'`,
      ),
    ).toBe(1);
    if (SHOTS) {
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${base}/admin/offices/${seed.office.code}/checklists/needs-survey/1`);
      await page.screenshot({ path: 'docs/web-checklist-preview.png' });
      await page.goto(`${base}/admin/offices/${seed.office.code}/calendar?year=2570`);
      await page.screenshot({ path: 'docs/web-calendar.png' });
    }
  }, 120_000);
});
