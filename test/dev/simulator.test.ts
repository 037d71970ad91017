// The /dev chat simulator in a real browser (Debian's Chromium through playwright-core) against the real app on a
// loopback port: the same wiring as `npm start` in dev mode (generated channel credentials, the LINE client
// pointed at the app's fake LINE API, a movable clock, the demo office). A teacher answers a checklist by tapping
// and typing up to its review; a director gets Monday's digest by moving the clock and asks for the names.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { buildDeps } from '../../src/deps.js';
import { seedDemo } from '../../src/demo/seed.js';
import { createDevClock, createDevKit, devEnv } from '../../src/dev/wiring.js';
import { createLogger } from '../../src/log.js';
import { fsBlobStore } from '../../src/runtime/fs-blobs.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let server: ServerType;
let chromiumRun: Browser | undefined;
let browser: BrowserContext;
let base: string;
let blobDir: string;
const pending = new Set<Promise<unknown>>();

beforeAll(async () => {
  db = await createTestDatabase();
  blobDir = mkdtempSync(join(tmpdir(), 'nithet-dev-'));
  // The port is known only once listening; the app behind it is built right after.
  let handler: (req: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req) => handler(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const config = parseEnv(devEnv({ LOG_LEVEL: 'warn' }, port));
  const clock = createDevClock();
  const deps = buildDeps({
    config,
    db: db.db,
    log: createLogger('warn', () => {}),
    blobs: fsBlobStore(blobDir),
    now: clock.now,
    defer: (work) => {
      const p = work.finally(() => pending.delete(p));
      pending.add(p);
    },
  });
  const seed = await seedDemo(db.db, clock.now());
  const kit = createDevKit({ config, clock, seed, selfUrl: base });
  if (kit === undefined) throw new Error('dev mode expected');
  const app = createApp(() => deps, { extraRoutes: kit.mount });
  handler = (req) => app.fetch(req);
  // A fresh profile each run: playwright-core takes it as the persistent context's directory.
  chromiumRun = await launchChromium();
  browser = chromiumRun.context;
});

afterAll(async () => {
  await chromiumRun?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await Promise.allSettled([...pending]);
  await db?.close();
  rmSync(blobDir, { recursive: true, force: true });
});

async function open(persona: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/dev?as=${persona}`);
  return page;
}

/** The seq of the chat's last bot message: a tap or a typed line is done when a newer one is shown. */
const lastBotSeq = async (page: Page) =>
  (await page.locator('#chat .row.bot').count()) === 0
    ? 0
    : Number((await page.locator('#chat .row.bot').last().getAttribute('data-seq')) ?? 0);

async function untilBotAnswers(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await lastBotSeq(page);
  await act();
  await expect.poll(() => lastBotSeq(page), { timeout: 10_000 }).toBeGreaterThan(before);
}

const tap = (page: Page, label: string) =>
  untilBotAnswers(page, () => page.locator('#quick .chip', { hasText: label }).first().click());
const type = (page: Page, text: string) =>
  untilBotAnswers(page, async () => {
    await page.fill('#composer input[name=text]', text);
    await page.press('#composer input[name=text]', 'Enter');
  });
const lastBotText = (page: Page) => page.locator('#chat .row.bot').last().innerText();

describe('/dev chat simulator in Chromium', () => {
  it('a teacher links by invite code, opens เช็กลิสต์, answers by tapping and typing, and sees the review', async () => {
    const page = await open('teacher-1-1');
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ยินดีต้อนรับสู่ นิเทศ');
    // The welcome Flex is drawn as a bubble with its header, not as alt text.
    await expect.poll(() => page.locator('#chat .fx-bubble .fx-header').first().innerText()).toContain('ยินดีต้อนรับ');

    await tap(page, 'เช็กลิสต์');
    const list = page.locator('#chat .fx-bubble').last();
    expect(await list.innerText()).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ');
    await untilBotAnswers(page, () => list.locator('button', { hasText: 'เริ่ม' }).click());
    expect(await lastBotText(page)).toContain('ข้อ 1/7');

    // Several choices: tap two, then เสร็จ; the question shows the ticks as it goes.
    await tap(page, 'ภาษาไทย');
    await tap(page, 'คณิตศาสตร์');
    expect(await lastBotText(page)).toMatch(/☑ 2\. ภาษาไทย/);
    await tap(page, 'เสร็จ');
    expect(await lastBotText(page)).toContain('ข้อ 2/7');
    await type(page, '1, 2'); // typed numbers work the same as taps

    // The rest: a tap on the first choice where there are choices, a typed answer where there are none.
    for (let i = 0; i < 12; i++) {
      const text = await lastBotText(page);
      if (text.includes('ตรวจทาน')) break;
      const chips = page.locator('#quick .chip');
      const labels = await chips.allInnerTexts();
      if (labels.includes('เสร็จ')) {
        await tap(page, labels[0] ?? '');
        await tap(page, 'เสร็จ');
      } else if (/^1\. /m.test(text) && labels.length > 0) await tap(page, labels[0] ?? '');
      else await type(page, 'ต้องการคำแนะนำเรื่องการวัดผลแบบใหม่');
    }
    const review = await page.locator('#chat').innerText();
    expect(review).toContain('ตรวจทาน');
    expect(review).toContain('ภาษาไทย, คณิตศาสตร์');
    expect(review).toContain('ต้องการคำแนะนำเรื่องการวัดผลแบบใหม่');
    const submit = page.locator('#chat button, #quick .chip').filter({ hasText: 'ส่งคำตอบ' }).last();
    expect(await submit.isVisible()).toBe(true);
    await untilBotAnswers(page, () => submit.click());
    expect(await lastBotText(page)).toMatch(/ส่ง.*เรียบร้อย|ได้รับคำตอบ/);
    // Replies are free: nothing counted against the office's LINE quota yet.
    expect(await page.locator('.quota-used').innerText()).toBe('0');
    await page.close();
  });

  it('a director moves the clock to Monday 08:00, gets the digest with progress bars, and taps ดูรายชื่อ', async () => {
    const page = await open('director');
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ดร.วรวุฒิ ตัวอย่างดี');

    await untilBotAnswers(page, () => page.locator('[data-clock="next-week"]').click());
    await expect.poll(() => page.locator('.clock').innerText()).toContain('วันจันทร์');
    const digest = page.locator('#chat .row.bot').last();
    expect(await digest.locator('.push-tag').innerText()).toBe('push');
    expect(await digest.innerText()).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ');
    // A progress bar: a filled box whose width is a percentage, inside its track.
    const bars = digest.locator('.fx-box[style*="height:6px"] > .fx-box[style*="width:"]');
    expect(await bars.count()).toBeGreaterThan(0);
    // The push is counted as the office's LINE quota would count it.
    await expect.poll(() => page.locator('.quota-used').innerText()).toBe('1');

    // The teachers' survey has its own bubble in the carousel, with its own "ดูรายชื่อ".
    const survey = digest.locator('.fx-bubble', { hasText: 'สำรวจสภาพปัญหาและความต้องการการนิเทศ' }).first();
    await untilBotAnswers(page, () => survey.locator('button', { hasText: 'ดูรายชื่อ' }).click());
    const names = await lastBotText(page);
    expect(names).toContain('ยังไม่ได้ส่ง');
    expect(names).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ');
    expect(names).toMatch(/• ครู/);
    await page.screenshot({ path: join(blobDir, 'director.png') });
    await page.close();
  });

  it('serves no /dev and no fake LINE API when a LINE secret is configured and DEV is unset', async () => {
    const env = { LINE_CHANNEL_SECRET: 'a'.repeat(32), LINE_CHANNEL_ACCESS_TOKEN: 'real-token-0123456789' };
    expect(devEnv(env, 8787)).toBe(env); // nothing generated, LINE's real hosts kept
    const config = parseEnv(devEnv(env, 8787));
    expect(config.devMode).toBe(false);
    expect(config.lineApiBaseUrl).toBe('https://api.line.me');
    const clock = createDevClock();
    const seed = { office: { id: '', code: '', nameTh: '' }, personas: [] };
    const kit = createDevKit({ config, clock, seed, selfUrl: 'http://127.0.0.1:1' });
    expect(kit).toBeUndefined();
    const deps = buildDeps({
      config,
      db: db.db,
      log: createLogger('warn', () => {}),
      blobs: fsBlobStore(blobDir),
      defer: () => {},
    });
    const app = createApp(() => deps, kit === undefined ? {} : { extraRoutes: kit.mount });
    for (const path of ['/dev', '/dev?as=teacher', '/dev/api/chat?as=teacher', '/v2/bot/message/quota'])
      expect((await app.request(path)).status, path).toBe(404);
    expect((await app.request('/dev/api/clock', { method: 'POST', body: '{"to":"next-week"}' })).status).toBe(404);
  });
});
