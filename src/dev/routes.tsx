/** @jsxImportSource hono/jsx */
// /dev: the chat simulator (mounted by node.ts only in dev mode). One server-rendered page with a small inline
// script; the chat, quick replies and panels are re-rendered on the server and swapped in, so there is no
// front-end build. /dev/api/… is what the page and `npm run cli -- chat` call. (The fake LINE API the app's
// real LINE client talks to is mounted by wiring.ts at LINE's own paths.)
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../deps.js';
import { readCapped, readJsonBody } from '../http/body.js';
import { thaiLongDate, thaiTime } from '../time/thai.js';
import { nextMonday, nextMorning, parseLocal, toLocalInput } from './clock.js';
import { FREE_PLAN_MESSAGES } from './dev-line.js';
import { findPersona, type Persona, ROLE_TH } from './personas.js';
import { CameraIcon, ChatLog, QuickReplies } from './render.js';
import type { DevSimulator, UserAction } from './simulator.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.js';
import type { Role } from '../db/schema.js';
import { HEIGHT, layout, MENUS, WIDTH } from '../richmenu/definitions.js';

const fontRequire = createRequire(import.meta.url);
/** The Sarabun files the page's @font-face rules name: Thai and Latin, regular and bold. */
const FONT_FILES = new Set(
  ['thai', 'latin'].flatMap((script) => [400, 700].map((w) => `sarabun-${script}-${w}-normal.woff2`)),
);

/** Evidence photos are at most a few megabytes from a phone; more is refused before it reaches memory twice. */
const UPLOAD_LIMIT = 10 * 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An action from the page or the CLI, checked field by field: it becomes a signed webhook event. */
function parseAction(body: unknown): UserAction | null {
  if (!isRecord(body)) return null;
  if (body.type === 'text' && typeof body.text === 'string' && body.text.trim() !== '')
    return { type: 'text', text: body.text.slice(0, 5000) };
  if (body.type === 'postback' && typeof body.data === 'string') {
    const params = isRecord(body.params)
      ? Object.fromEntries(Object.entries(body.params).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : undefined;
    return {
      type: 'postback',
      data: body.data.slice(0, 300),
      ...(typeof body.displayText === 'string' ? { displayText: body.displayText } : {}),
      ...(params === undefined ? {} : { params }),
    };
  }
  return null;
}

/** What the page's clock and quota show: sent with every refresh, written into the panel's fields in place. */
function liveView(sim: DevSimulator) {
  const now = sim.clock.now();
  const used = sim.line.pushesInMonth(now);
  return {
    now,
    clockLabel: `${thaiLongDate(now)} เวลา ${thaiTime(now)} น.`,
    clockInput: toLocalInput(now + 3_600_000),
    pushes: used.toLocaleString('en-US'),
    pushPercent: Math.min(100, Math.round((used / FREE_PLAN_MESSAGES) * 100)),
  };
}

/**
 * The clock and the quota. Rendered once with the page: the script only rewrites the label, the count and the bar
 * in place, so the buttons are never re-rendered under the pointer and the time field keeps what is being typed.
 */
function Panel(props: { sim: DevSimulator }): Child {
  const live = liveView(props.sim);
  return (
    <div class="panel-inner">
      <section>
        <h2>นาฬิกาของระบบ</h2>
        <p class="clock" data-now={String(live.now)}>
          {live.clockLabel}
        </p>
        <div class="clock-buttons">
          <button type="button" data-clock="next-morning">
            เช้าวันถัดไป (08:00)
          </button>
          <button type="button" data-clock="next-week">
            สัปดาห์หน้า (จันทร์ 08:00)
          </button>
        </div>
        <form class="clock-form">
          <input type="datetime-local" name="at" value={live.clockInput} aria-label="เลือกเวลา" />
          <button type="submit">ไปยังเวลานี้</button>
        </form>
        <p class="hint">เลื่อนเวลาแล้วระบบจะทำงานตามรอบ (tick): สรุปรายสัปดาห์และการแจ้งเตือนจะเข้าแชตของแต่ละคน</p>
      </section>
      <section>
        <h2>โควตาข้อความ LINE เดือนนี้</h2>
        <p class="quota">
          ส่งแบบ push แล้ว <strong class="quota-used">{live.pushes}</strong> /{' '}
          {FREE_PLAN_MESSAGES.toLocaleString('en-US')} ข้อความ
        </p>
        <div class="quota-track">
          <div class="quota-fill" style={`width:${live.pushPercent}%`} />
        </div>
        <p class="hint">
          นับเหมือน LINE: ข้อความตอบกลับ (reply) ไม่นับ ข้อความ push นับทีละผู้รับ (multicast นับตามจำนวนผู้รับ) · เทียบกับแพ็กเกจฟรี{' '}
          {FREE_PLAN_MESSAGES} ข้อความ/เดือน
        </p>
      </section>
    </div>
  );
}

/**
 * The persona's rich menu under the composer, as LINE shows it: the role's committed image with its tap areas
 * laid over it at the definition's bounds, and the chat bar that folds it away.
 */
function RichMenu(props: { role: Role }): Child {
  const def = MENUS.find((m) => m.role === props.role);
  if (def === undefined) return null;
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  return (
    <div class="richmenu open">
      <button type="button" class="richmenu-bar" data-richmenu-toggle aria-expanded="true">
        {def.chatBarText}
        <svg viewBox="0 0 10 6" width="10" height="6" aria-hidden="true" focusable="false">
          <path d="M0 0h10L5 6z" fill="currentColor" />
        </svg>
      </button>
      <div class="richmenu-image" style={`background-image:url(/dev/richmenu/${def.role}.png)`}>
        {layout(def).map((t) => (
          <button
            type="button"
            class="richmenu-area"
            aria-label={t.th}
            title={t.th}
            data-action={JSON.stringify(t.action.type === 'message' ? { ...t.action, label: t.th } : t.action)}
            style={`left:${pct(t.bounds.x, WIDTH)};top:${pct(t.bounds.y, HEIGHT)};width:${pct(t.bounds.width, WIDTH)};height:${pct(t.bounds.height, HEIGHT)}`}
          />
        ))}
      </div>
    </div>
  );
}

function Page(props: { sim: DevSimulator; persona: Persona | undefined }): Child {
  const { sim, persona } = props;
  const entries = persona === undefined ? [] : sim.line.chat(persona.lineUserId);
  return (
    <html lang="th">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>นิเทศ · ตัวจำลองแชต LINE</title>
        <link
          rel="preload"
          href="/dev/fonts/sarabun-thai-400-normal.woff2"
          as="font"
          type="font/woff2"
          crossorigin=""
        />
        <style>{PAGE_CSS}</style>
      </head>
      <body data-persona={persona?.key ?? ''}>
        <header class="top">
          <strong>นิเทศ</strong> · ตัวจำลองแชต LINE (โหมดพัฒนา)
        </header>
        <main>
          <nav class="personas">
            <h2>เลือกบุคคลตัวอย่าง</h2>
            {sim.personas.map((p) => (
              <a
                class={`persona ${p.key === persona?.key ? 'active' : ''}`}
                href={`/dev?as=${encodeURIComponent(p.key)}`}
              >
                <span class="persona-name">{p.name}</span>
                <span class="persona-role">
                  {ROLE_TH[p.role]}
                  {p.school === null ? '' : ` · ${p.school}`}
                </span>
              </a>
            ))}
          </nav>
          <section class="phone">
            {persona === undefined ? (
              <p class="pick">เลือกบุคคลทางซ้ายเพื่อเริ่มแชตกับบอท (ระบบจะเชื่อมบัญชีด้วยรหัสเชิญให้อัตโนมัติ)</p>
            ) : (
              <>
                <div class="chat-head">
                  <span>นิเทศ</span>
                  <small>
                    คุณคือ {persona.name} ({ROLE_TH[persona.role]})
                  </small>
                </div>
                <div id="chat" class="chat">
                  <ChatLog entries={entries} />
                </div>
                <div id="quick">
                  <QuickReplies entries={entries} />
                </div>
                <form id="composer" class="composer">
                  <label class="photo-button" title="ส่งรูปภาพ" aria-label="ส่งรูปภาพ">
                    <CameraIcon />
                    <input type="file" accept="image/*" class="photo-input" hidden />
                  </label>
                  <input name="text" autocomplete="off" placeholder="พิมพ์ข้อความ" aria-label="ข้อความ" />
                  <button type="submit">ส่ง</button>
                </form>
                <RichMenu role={persona.role} />
              </>
            )}
          </section>
          <aside class="panel">
            <p id="status" role="status" />
            <div id="panel">
              <Panel sim={sim} />
            </div>
          </aside>
        </main>
        <script dangerouslySetInnerHTML={{ __html: PAGE_SCRIPT }} />
      </body>
    </html>
  );
}

/** A JSX element as its HTML (Hono's elements render with toString, possibly async). */
const html = async (node: Child): Promise<string> =>
  typeof node === 'object' && node !== null && !Array.isArray(node) && 'toString' in node
    ? String(await (node as { toString(): string | Promise<string> }).toString())
    : '';

export function devRoutes(sim: DevSimulator): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const personaOf = (key: string | undefined) => (key === undefined ? undefined : findPersona(sim.personas, key));

  // The simulator is for the person at this machine. Its POSTs move the clock and act as people, so: the host asked
  // for must be this machine's own name (a rebound DNS name is refused), and a browser's Origin must be that host
  // (another site's page cannot post here). The terminal client (`npm run cli -- chat`) sends no Origin.
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'POST') {
      const own = new URL(c.req.url);
      const origin = c.req.header('origin');
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(own.hostname);
      let sameOrigin = origin === undefined;
      if (origin !== undefined) {
        try {
          sameOrigin = new URL(origin).host === own.host;
        } catch {
          sameOrigin = false;
        }
      }
      if (!loopback || !sameOrigin) return c.json({ error: 'cross-site or foreign-host request refused' }, 403);
    }
    await next();
  });

  app.get('/', async (c) => {
    const persona = personaOf(c.req.query('as'));
    if (persona !== undefined) await sim.ensureLinked(c.var.deps, persona);
    return c.html(<Page sim={sim} persona={persona} />);
  });

  app.get('/api/personas', (c) =>
    c.json(sim.personas.map(({ key, role, name, school }) => ({ key, role, name, school }))),
  );

  /** The page's refresh: the chat and its quick replies rendered as on first load, and the clock's and quota's fields. */
  app.get('/api/view', async (c) => {
    const persona = personaOf(c.req.query('as'));
    const entries = persona === undefined ? [] : sim.line.chat(persona.lineUserId);
    return c.json({
      version: sim.line.version,
      chat: await html(<ChatLog entries={entries} />),
      quick: await html(<QuickReplies entries={entries} />),
      ...liveView(sim),
    });
  });

  /** The page's own fonts (Sarabun, SIL Open Font License, from the @fontsource/sarabun package): no CDN. */
  app.get('/fonts/:file', async (c) => {
    const file = c.req.param('file');
    if (!FONT_FILES.has(file)) return c.notFound();
    // A development dependency: an install without them serves the page in the fallback font.
    const data = await Promise.resolve()
      .then(() => readFile(fontRequire.resolve(`@fontsource/sarabun/files/${file}`)))
      .catch(() => null);
    if (data === null) return c.notFound();
    return c.body(new Uint8Array(data), 200, {
      'content-type': 'font/woff2',
      'cache-control': 'public, max-age=86400',
    });
  });

  /** The rich menu images as they are uploaded to LINE (assets/richmenu, drawn by scripts/richmenu-images.ts). */
  app.get('/richmenu/:file', async (c) => {
    const role = /^([a-z]+)\.png$/.exec(c.req.param('file'))?.[1];
    if (role === undefined || !MENUS.some((m) => m.role === role)) return c.notFound();
    const data = await readFile(new URL(`../../assets/richmenu/${role}.png`, import.meta.url));
    return c.body(new Uint8Array(data), 200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' });
  });

  /** The chat as LINE message objects, for `cli chat`. */
  app.get('/api/chat', async (c) => {
    const persona = personaOf(c.req.query('as'));
    if (persona === undefined) return c.json({ error: 'unknown persona' }, 404);
    await sim.ensureLinked(c.var.deps, persona);
    const now = sim.clock.now();
    return c.json({
      persona: { key: persona.key, name: persona.name, role: persona.role },
      now,
      pushesThisMonth: sim.line.pushesInMonth(now),
      entries: sim.line.chat(persona.lineUserId),
    });
  });

  app.post('/api/act', async (c) => {
    const persona = personaOf(c.req.query('as'));
    const action = parseAction(await readJsonBody(c.req.raw).catch(() => null));
    if (persona === undefined || action === null) return c.json({ error: 'bad request' }, 400);
    await sim.ensureLinked(c.var.deps, persona);
    await sim.act(persona, action);
    return c.json({ ok: true });
  });

  app.post('/api/upload', async (c) => {
    const persona = personaOf(c.req.query('as'));
    if (persona === undefined) return c.json({ error: 'unknown persona' }, 404);
    const raw = await readCapped(c.req.raw, UPLOAD_LIMIT + 64 * 1024).catch(() => null);
    if (raw === null) return c.json({ error: 'too large' }, 413);
    const form = await new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body: raw }).formData();
    // Typed through Workers' types as a string; on Node an uploaded file is a Blob.
    const file: unknown = form.get('file');
    if (!(file instanceof Blob)) return c.json({ error: 'no file' }, 400);
    const data = new Uint8Array(await file.arrayBuffer());
    if (data.length > UPLOAD_LIMIT) return c.json({ error: 'too large' }, 413);
    await sim.ensureLinked(c.var.deps, persona);
    await sim.act(persona, { type: 'image', data, contentType: file.type === '' ? 'image/jpeg' : file.type });
    return c.json({ ok: true });
  });

  app.get('/media/:id', (c) => {
    const found = sim.line.getContent(c.req.param('id'));
    if (found === undefined) return c.notFound();
    return c.body(found.data.slice().buffer, 200, { 'content-type': found.contentType });
  });

  /** Moves the clock (never back) and runs the tick at the new time, as the cron would. */
  app.post('/api/clock', async (c) => {
    const body: unknown = await readJsonBody(c.req.raw).catch(() => null);
    const now = sim.clock.now();
    const to = isRecord(body) ? body.to : undefined;
    const at =
      to === 'next-morning'
        ? nextMorning(now)
        : to === 'next-week'
          ? nextMonday(now)
          : typeof to === 'string'
            ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(to)
              ? parseLocal(to)
              : Date.parse(to)
            : NaN;
    if (Number.isNaN(at)) return c.json({ error: 'to: next-morning, next-week or a time' }, 400);
    const result = await sim.advance(c.var.deps, at);
    if (result === null) return c.json({ error: 'เลื่อนเวลาได้เฉพาะไปข้างหน้า (the clock only moves forward)' }, 409);
    return c.json({
      now: sim.clock.now(),
      digestsPlanned: result.digestsPlanned,
      sent: result.sent?.sent ?? 0,
      pushesThisMonth: sim.line.pushesInMonth(sim.clock.now()),
    });
  });

  return app;
}
