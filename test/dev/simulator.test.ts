// The /dev chat simulator in a real browser (Debian's Chromium through playwright-core) against the real app on a
// loopback port: the same wiring as `npm start` in dev mode (generated channel credentials, the LINE client
// pointed at the app's fake LINE API, a movable clock, the demo office with its first-start story). A teacher
// answers a checklist by tapping and typing up to its review; a director gets Monday's digest by moving the clock
// and asks for the names. Each role is walked through its rich menu on a 390 px phone or the desktop layout, with
// screenshots in docs/; the page's own font, the clock panel and the newest message's place are checked.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { pickedLabel } from '../../src/dev/simulator.js';
import { takesNumber } from '../../src/dev/terminal.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let server: ServerType;
let chromiumRun: Browser | undefined;
let browser: BrowserContext;
let base: string;
let blobDir: string;
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
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
  const seed = await seedDemo(db.db, clock.now(), { story: true });
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

async function open(persona: string, width = 1200): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize(width < 500 ? { width, height: 844 } : { width, height: 900 });
  await page.goto(`${base}/dev?as=${persona}`);
  return page;
}

/** Screenshots for docs/: the simulator as each role sees it (committed, referenced from README). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page.screenshot({ path: join(DOCS, `simulator-${name}.png`) });
}

/** The newest message is inside the chat's visible box: not under the quick replies or the rich menu. */
async function newestInView(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const chat = await page.locator('#chat').boundingBox();
      const last = await page.locator('#chat .row').last().boundingBox();
      if (chat === null || last === null) return 'no box';
      return last.y + last.height <= chat.y + chat.height + 1
        ? 'in view'
        : `${last.y + last.height} > ${chat.y + chat.height}`;
    })
    .toBe('in view');
}

/** A tap on the rich menu's tile named `label` (its tap area), answered by the bot. */
const menuTap = (page: Page, label: string) =>
  untilBotAnswers(page, () => page.locator(`.richmenu-area[aria-label="${label}"]`).click());

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
    await untilBotAnswers(page, () => list.locator('button', { hasText: 'เริ่ม' }).first().click());
    expect(await lastBotText(page)).toContain('ข้อ 1/ประมาณ 8');

    // Several choices: tap two, then เสร็จ; each tap answers with one short line of what is picked.
    await tap(page, 'ภาษาไทย');
    await tap(page, 'คณิตศาสตร์');
    expect(await lastBotText(page)).toMatch(/เลือกแล้ว: ภาษาไทย, คณิตศาสตร์/);
    await tap(page, 'เสร็จ');
    expect(await lastBotText(page)).toContain('ข้อ 2/ประมาณ 8');
    await type(page, '1, 2'); // typed numbers work the same as taps

    // The rest: a tap on the first choice where there are choices, a typed answer where there are none.
    for (let i = 0; i < 12; i++) {
      const text = await lastBotText(page);
      if (text.includes('ตรวจทาน')) break;
      const chips = page.locator('#quick .chip');
      const labels = await chips.allInnerTexts();
      if (labels.includes('เสร็จ')) {
        await tap(page, labels.find((l) => l !== 'เสร็จ') ?? '');
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
    // The digest's carousel (the SAR synthesis of a SAR due last week may follow it in the same push).
    const digest = page.locator('#chat .row.bot', { hasText: 'สำรวจสภาพปัญหาและความต้องการการนิเทศ' }).last();
    expect(await digest.locator('.push-tag').innerText()).toBe('push');
    expect(await digest.innerText()).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ');
    // A progress bar: a filled box whose width is a percentage, inside its track.
    const bars = digest.locator('.fx-box[style*="height:6px"] > .fx-box[style*="width:"]');
    expect(await bars.count()).toBeGreaterThan(0);
    // The push is counted as the office's LINE quota would count it: the whole office's pushes of that tick.
    const counted = await (await fetch(`${base}/dev/api/chat?as=director`)).json<{ pushesThisMonth: number }>();
    expect(counted.pushesThisMonth).toBeGreaterThan(1);
    await expect.poll(() => page.locator('.quota-used').innerText()).toBe(String(counted.pushesThisMonth));

    // The teachers' survey has its own bubble in the carousel, with its own "ดูรายชื่อ".
    const survey = digest.locator('.fx-bubble', { hasText: 'สำรวจสภาพปัญหาและความต้องการการนิเทศ' }).first();
    await untilBotAnswers(page, () => survey.locator('button', { hasText: 'ดูรายชื่อ' }).click());
    const names = await lastBotText(page);
    expect(names).toContain('ยังไม่ได้ส่ง');
    expect(names).toContain('สำรวจสภาพปัญหาและความต้องการการนิเทศ');
    expect(names).toMatch(/• ครู/);
    await page.close();
  });

  it('a teacher on a 390 px phone: the chat fills the screen, the rich menu opens the checklists, the newest message stays in view', async () => {
    const page = await open('teacher-1-1', 390);
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ยินดีต้อนรับ');
    const chat = await page.locator('#chat').boundingBox();
    expect(chat?.width).toBeGreaterThanOrEqual(380);
    expect(chat?.y).toBeLessThan(200);
    expect(chat?.height).toBeGreaterThan(150);
    // The teacher's rich menu under the composer: its image and a tap area per tile.
    expect(await page.locator('.richmenu-bar').innerText()).toContain('เมนูครู');
    expect(await page.locator('.richmenu-area').count()).toBe(6);
    await menuTap(page, 'เช็กลิสต์');
    // The story left this teacher an overdue survey and a current one.
    expect(await page.locator('#chat .fx-bubble').last().innerText()).toContain('รอบต้นภาคเรียน');
    await newestInView(page);
    await shot(page, 'teacher-phone');
    // Folding the menu gives the chat the room, and the newest message is still in view.
    await page.locator('.richmenu-bar').click();
    expect(await page.locator('.richmenu-image').isVisible()).toBe(false);
    await newestInView(page);
    await page.close();
  });

  it('a principal on a 390 px phone: the menu’s ค้างส่ง names the school’s overdue SAR; a question’s chips never cover the newest message', async () => {
    const page = await open('principal-1', 390);
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ยินดีต้อนรับ');
    await menuTap(page, 'ค้างส่ง');
    // The story's SAR was due yesterday and this principal's school has not sent it.
    const names = await lastBotText(page);
    expect(names).toContain('(SAR)');
    expect(names).toContain('โรงเรียนบ้านหนองน้ำใส');
    await newestInView(page);
    await menuTap(page, 'เช็กลิสต์');
    await untilBotAnswers(page, () =>
      page.locator('#chat .fx-bubble').last().locator('button', { hasText: 'เริ่ม' }).first().click(),
    );
    expect(await page.locator('#quick .chip').count()).toBeGreaterThan(0);
    await newestInView(page);
    await shot(page, 'principal-phone');
    await page.close();
  });

  it('a supervisor: นัดนิเทศ ranks never-visited schools first; a picked date shows in Thai, not ISO', async () => {
    const page = await open('supervisor-1');
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ยินดีต้อนรับ');
    await menuTap(page, 'นัดนิเทศ');
    const ranking = await lastBotText(page);
    const first = /1\. (โรงเรียน\S+)/.exec(ranking)?.[1];
    // Never visited (บ้านหนองน้ำใส, บ้านนาคำ's neighbours 0 and 5) rank above those visited this term.
    expect(['โรงเรียนบ้านหนองน้ำใส', 'โรงเรียนบ้านโนนสูง']).toContain(first);
    expect(ranking.indexOf('โรงเรียนบ้านโนนสูง')).toBeLessThan(ranking.indexOf('โรงเรียนบ้านดอนแก้ว'));
    await tap(page, 'หนองน้ำใส');
    const picker = page.locator('#quick .picker, #chat .picker').last();
    await expect.poll(() => picker.count()).toBe(1);
    const value = (await picker.locator('input').getAttribute('min')) ?? '';
    const date = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
    expect(date).toBeDefined();
    const mode = await picker.locator('input').getAttribute('type');
    const input = mode === 'datetime-local' ? `${date ?? ''}T09:30` : (date ?? '');
    await picker.locator('input').fill(input);
    await untilBotAnswers(page, () => picker.locator('button').click());
    const mine = await page.locator('#chat .row.user').last().innerText();
    expect(mine).toContain(pickedLabel({ [mode === 'datetime-local' ? 'datetime' : 'date']: input }));
    expect(mine).toMatch(/25\d\d/); // a Buddhist-Era year
    expect(mine).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await shot(page, 'supervisor');
    await page.close();
  });

  it('a director: สรุป SAR shows the schools that sent their SAR; the clock label follows the clock without re-rendering its buttons', async () => {
    const page = await open('director');
    await expect.poll(() => page.locator('#chat').innerText()).toContain('ยินดีต้อนรับ');
    await menuTap(page, 'สรุป SAR');
    const card = await page.locator('#chat .row.bot').last().innerText();
    expect(card).toContain('SAR');
    expect(card).toMatch(/6\s*\/\s*12|6 จาก 12/);

    // Mark the buttons, move the clock, and find the same nodes with a new label.
    const before = await page.locator('.clock').innerText();
    await page.evaluate(`for (const b of document.querySelectorAll('[data-clock]')) b.mark = 1`);
    await page.locator('[data-clock="next-morning"]').hover();
    await page.locator('[data-clock="next-morning"]').click();
    await expect.poll(() => page.locator('.clock').innerText()).not.toBe(before);
    expect(await page.locator('.clock').innerText()).toContain('08:00');
    await page.waitForTimeout(1_700); // a poll or two
    const marked = await page.evaluate(
      `[...document.querySelectorAll('[data-clock]')].filter((b) => b.mark === 1).length`,
    );
    expect(marked).toBe(2);
    await shot(page, 'director');
    await page.close();
  });

  it('carries its own font (Sarabun from the app, no other host) and no emoji in its own chrome', async () => {
    const page = await browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).host));
    await page.goto(`${base}/dev?as=teacher-1-1`);
    await page.evaluate('document.fonts.ready.then(() => true)');
    expect(await page.evaluate("document.fonts.check('16px Sarabun', 'นิเทศ')")).toBe(true);
    expect([...hosts]).toEqual([new URL(base).host]);
    const font = await fetch(`${base}/dev/fonts/sarabun-thai-400-normal.woff2`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect((await fetch(`${base}/dev/fonts/..%2F..%2Fpackage.json`)).status).toBe(404);
    const chrome = await page.evaluate(`(() => {
      const clone = document.body.cloneNode(true);
      for (const sel of ['#chat', '#quick', 'script']) clone.querySelector(sel)?.remove();
      return clone.innerText ?? clone.textContent;
    })()`);
    expect(String(chrome)).not.toMatch(/\p{Extended_Pictographic}/u);
    await page.close();
  });

  it('cli chat replays both sides, takes /n as a tap and a number as the answer where the question asks for one', async () => {
    // The terminal client against this server: what the teacher did on the page is replayed, theirs and the bot's.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'chat', '--as', 'teacher-1-1', '--url', base],
      {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain('แชตในฐานะ');
      expect(out).toContain('คุณ ▸ เช็กลิสต์'); // the person's own tap, replayed
      expect(out).toContain('นิเทศ ◂');
      child.stdin.write('/99\n');
      await expect.poll(() => out, { timeout: 10_000 }).toContain('ไม่มีตัวเลือกที่ 99');
    } finally {
      child.stdin.end();
      child.kill();
    }
    // A rating question asks for a typed level: "4" is the level 4, not the fourth chip (the chips run 5 to 1).
    expect(takesNumber({ type: 'text', text: 'ข้อ 3/23\nหลักสูตร\nแตะระดับคุณภาพ หรือพิมพ์ 1–5 (5 = ยอดเยี่ยม)' })).toBe(true);
    expect(takesNumber({ type: 'text', text: 'จำนวนนักเรียน\nพิมพ์ตัวเลข 0–2,000' })).toBe(true);
    expect(takesNumber({ type: 'text', text: 'เลือกเช็กลิสต์ที่ต้องการ' })).toBe(false);
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
