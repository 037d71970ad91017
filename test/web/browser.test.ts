// The web admin pages in a real browser (Debian's Chromium through playwright-core) against the real app on a
// loopback port, with the demo office: sign in (a wrong token first), open the dashboard, filter the people,
// issue an invite and read its code, then find that action in the audit log. No page script is involved: every
// step is a link or a form, as it must work without JavaScript.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { type BrowserContext } from 'playwright-core';
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
import { logLeaks } from '../support/harness.js';
import { count } from '../support/sql.js';

const ADMIN_TOKEN = 'browser-admin-token-0123456789';

let db: TestDatabase;
let server: ServerType;
let chromiumRun: Browser | undefined;
let browser: BrowserContext;
let blobDir: string;
let base: string;
let seed: DemoSeed;
const logs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  blobDir = mkdtempSync(join(tmpdir(), 'nithet-web-'));
  const now = Date.parse('2026-11-20T02:00:00Z');
  const config = parseEnv({
    LINE_CHANNEL_SECRET: 'b'.repeat(32),
    LINE_CHANNEL_ACCESS_TOKEN: 'browser-test-access-token',
    // Nothing here sends to LINE; a closed loopback port makes any attempt fail fast.
    LINE_API_BASE_URL: 'http://127.0.0.1:9',
    LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
  });
  const deps = buildDeps({
    config,
    db: db.db,
    log: createLogger('info', (l) => logs.push(l)),
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
  chromiumRun = await launchChromium({ javaScriptEnabled: false });
  browser = chromiumRun.context;
});

afterAll(async () => {
  await chromiumRun?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db?.close();
  rmSync(blobDir, { recursive: true, force: true });
});

describe('web admin pages in Chromium (JavaScript off)', () => {
  it('signs in, reads the dashboard, filters people, issues an invite, finds it in the audit log, opens PDPA requests', async () => {
    const page = await browser.newPage();

    // Without a session, a page sends the browser to the sign-in form.
    await page.goto(`${base}/admin/offices`);
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(await page.locator('html').getAttribute('lang')).toBe('th');

    const token = page.getByLabel('รหัสผู้ดูแลระบบ (ADMIN_TOKEN)');
    await token.fill('wrong-token-0123456789');
    const refused = page.waitForResponse((r) => r.url().endsWith('/admin/login'));
    await page.getByRole('button', { name: 'เข้าสู่ระบบ / Sign in' }).click();
    expect((await refused).status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('รหัสผู้ดูแลระบบไม่ถูกต้อง');

    await page.getByLabel('รหัสผู้ดูแลระบบ (ADMIN_TOKEN)').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ / Sign in' }).click();
    await page.waitForURL(`${base}/admin/offices`);
    const cookies = await browser.cookies(`${base}/admin/offices`);
    expect(cookies.find((c) => c.name === 'nithet_admin')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // The dashboard of the demo office: every demo campaign is open, none answered yet.
    await page.getByRole('link', { name: seed.office.nameTh }).click();
    await page.waitForURL(`${base}/admin/offices/${seed.office.code}`);
    const completion = page.getByRole('table', { name: 'ความคืบหน้าการตอบ / Completion of open campaigns' });
    const openCampaigns = await count(
      db.db,
      sql`campaigns WHERE office_id = ${seed.office.id}::uuid AND closed_at IS NULL`,
    );
    expect(openCampaigns).toBeGreaterThan(0);
    expect(await completion.locator('tbody tr').count()).toBe(openCampaigns);
    const submitted = await completion.locator('[data-figure=submitted]').allInnerTexts();
    expect(submitted.every((s) => s === '0')).toBe(true);
    const expected = await completion.locator('[data-figure=expected]').allInnerTexts();
    expect(expected.some((s) => Number(s) > 0)).toBe(true);

    // People: only teachers after the filter, and no LINE user id anywhere on the page.
    await page.getByRole('link', { name: 'บุคลากรและรหัสเชิญ / People and invites' }).click();
    await page.getByLabel('บทบาท / Role').selectOption({ label: 'ครู' });
    await page.getByRole('button', { name: 'กรอง / Filter' }).click();
    await page.waitForURL(/\/people\?role=teacher/);
    const people = page.getByRole('table', { name: 'บุคลากรและรหัสเชิญ / People and invites' });
    // Column 1 is the admin's select box, 2 the name (a row header), 3 the role.
    const roles = await people.locator('tbody tr td:nth-child(3)').allInnerTexts();
    const teachers = await count(db.db, sql`people WHERE office_id = ${seed.office.id}::uuid AND role = 'teacher'`);
    expect(roles).toHaveLength(Math.min(50, teachers)); // one page of 50
    expect(teachers).toBeGreaterThan(0);
    expect(new Set(roles)).toEqual(new Set(['ครู']));
    expect(await page.content()).not.toMatch(/U[0-9a-f]{32}/);

    // A new invite for the first teacher listed: the code is shown once, on the page that issued it.
    const firstRow = people.locator('tbody tr').first();
    const name = (await firstRow.locator('th').innerText()).split('\n')[0] ?? '';
    await firstRow.getByRole('button', { name: /ออกรหัสเชิญใหม่/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('ออกรหัสเชิญแล้ว / Invite issued');
    expect(await page.locator('main').innerText()).toContain(name);
    expect(await page.locator('output.code').innerText()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    // The audit log: the issue is the newest row; the action filter keeps only such rows.
    await page.getByRole('link', { name: 'บันทึกการใช้งาน / Audit log' }).click();
    const actions = () => page.locator('[data-figure=action]').allInnerTexts();
    expect((await actions())[0]).toBe('invites.issue');
    expect(await actions()).toContain('people.read');
    await page.getByLabel('การกระทำ / Action').selectOption('invites.issue');
    await page.getByRole('button', { name: 'กรอง / Filter' }).click();
    await page.waitForURL(/\/audit\?action=invites\.issue/);
    expect(new Set(await actions())).toEqual(new Set(['invites.issue']));
    expect(await page.locator('tbody tr').first().innerText()).toMatch(/25\d\d \d\d:\d\d น\./);

    // PDPA requests: none in the demo office yet; the page says so and counts zero open.
    await page.getByRole('link', { name: 'คำขอตาม PDPA / PDPA requests' }).click();
    await page.waitForURL(/\/pdpa$/);
    expect(await page.locator('[data-figure=pdpa-open]').innerText()).toBe('0');
    expect(await page.locator('main').innerText()).toContain('ยังไม่มีคำขอ');

    // Signing out ends the session: the pages send the browser back to the form.
    await page.getByRole('button', { name: 'ออกจากระบบ / Sign out' }).click();
    await page.waitForURL(`${base}/admin`);
    await page.goto(`${base}/admin/offices/${seed.office.code}`);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.close();

    expect(logLeaks(logs, [ADMIN_TOKEN])).toEqual([]);
  });
});
