// `npm run cli -- chat --as <persona>`: the simulator in a terminal, talking to a running `npm start` through
// /dev/api (the same path as the page: signed webhooks in, the real LINE client's replies and pushes out).
// Messages are printed as text, Flex as its lines with progress bars drawn in characters, and every tappable
// thing (quick replies, Flex buttons) as a numbered choice. Commands start with a slash.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { thaiLongDate, thaiTime } from '../time/thai.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);

interface Entry {
  seq: number;
  at: number;
  from: 'user' | 'bot';
  via?: string;
  message: Json;
}

const HELP = `คำสั่ง: /1 = แตะตัวเลือกที่ 1 · หมายเลข = แตะตัวเลือก หรือเป็นคำตอบเมื่อข้อถามตัวเลข · ข้อความอื่น = พิมพ์ส่ง
  /morning  เช้าวันถัดไป 08:00    /week  จันทร์หน้า 08:00    /time 2026-11-23T08:00  ไปยังเวลานั้น
  /photo <ไฟล์>  ส่งรูป    /help  คำสั่ง    /quit  ออก`;

/**
 * Whether a bare number typed at this message is an answer rather than a tap: the question asks for a number or a
 * level ("พิมพ์ 1–5", "พิมพ์ตัวเลข", "พิมพ์หมายเลข"), so "4" means 4 and not the fourth chip (a rating's chips run
 * 5 to 1). Anywhere else a number taps that choice; "/4" always taps.
 */
export function takesNumber(message: Json | undefined): boolean {
  if (message === undefined) return false;
  const text = message.type === 'text' ? (str(message.text) ?? '') : '';
  return /พิมพ์\s*(?:ตัวเลข|หมายเลข|ระดับ|[0-9๐-๙])/.test(text);
}

/** A progress bar's track (a box with a percentage-wide child) drawn as ▓ and ░. */
function bar(node: Json): string | undefined {
  const [fill] = list(node.contents);
  const width = /^(\d+(?:\.\d+)?)%$/.exec(str(fill?.width) ?? '');
  if (node.type !== 'box' || width === null || list(node.contents).length !== 1) return undefined;
  const p = Math.round(Number(width[1]) / 10);
  return `${'▓'.repeat(p)}${'░'.repeat(10 - p)}`;
}

/** A Flex component's lines; tappable actions are appended to `actions` and shown as [n]. */
function flexLines(node: Json, actions: Json[]): string[] {
  const progress = bar(node);
  if (progress !== undefined) return [progress];
  switch (node.type) {
    case 'bubble':
      return (['header', 'hero', 'body', 'footer'] as const).flatMap((k) =>
        isRecord(node[k]) ? flexLines(node[k], actions) : [],
      );
    case 'carousel':
      return list(node.contents).flatMap((b, i) => [...(i > 0 ? ['┄┄┄┄┄┄┄┄┄┄'] : []), ...flexLines(b, actions)]);
    case 'box': {
      const parts = list(node.contents).map((c) => flexLines(c, actions));
      // A row of short texts reads best on one line, as LINE shows it.
      if (node.layout !== 'vertical' && parts.every((p) => p.length <= 1))
        return [
          parts
            .map((p) => p[0] ?? '')
            .filter((s) => s !== '')
            .join('  '),
        ].filter((s) => s !== '');
      return parts.flat();
    }
    case 'text': {
      const spans = list(node.contents);
      return [spans.length > 0 ? spans.map((s) => str(s.text) ?? '').join('') : (str(node.text) ?? '')];
    }
    case 'button': {
      if (!isRecord(node.action)) return [];
      actions.push(node.action);
      return [`[${actions.length}] ${str(node.action.label) ?? ''}`];
    }
    case 'separator':
      return ['──────────'];
    case 'image':
      return ['[รูปภาพ]'];
    default:
      return [];
  }
}

export function render(entry: Entry, actions: Json[]): string {
  const m = entry.message;
  const who = entry.from === 'user' ? '  คุณ ▸' : entry.via === 'reply' ? 'นิเทศ ◂' : `นิเทศ ◂ (${entry.via ?? 'push'})`;
  let body: string[];
  if (m.type === 'text') body = [str(m.text) ?? ''];
  else if (m.type === 'flex' && isRecord(m.contents)) body = flexLines(m.contents, actions);
  else if (m.type === 'image') body = ['[รูปภาพ]'];
  else body = [`[${String(m.type)}] ${str(m.altText) ?? ''}`];
  const quick = isRecord(m.quickReply) ? list(m.quickReply.items) : [];
  const chips = quick.flatMap((q) => {
    if (!isRecord(q.action)) return [];
    actions.push(q.action);
    return [`(${actions.length}) ${str(q.action.label) ?? ''}`];
  });
  const lines = [...body, ...(chips.length > 0 ? [chips.join('  ')] : [])];
  return `${who} ${lines.join('\n').replace(/\n/g, '\n        ')}`;
}

export async function chatInTerminal(opts: { url: string; as: string }): Promise<number> {
  const api = (path: string) => `${opts.url.replace(/\/$/, '')}/dev/api/${path}`;
  const as = encodeURIComponent(opts.as);
  const get = async () => {
    const res = await fetch(api(`chat?as=${as}`));
    if (res.status === 404)
      throw new Error(`no persona "${opts.as}" (try director, supervisor, principal, teacher, admin)`);
    if (!res.ok) throw new Error(`/dev answered ${res.status}: is \`npm start\` running in dev mode?`);
    return res.json<{ persona: { name: string }; pushesThisMonth: number; entries: Entry[] }>();
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(api(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Json;
    if (!res.ok) process.stdout.write(`! ${str(json.error) ?? res.status}\n`);
    return json;
  };

  let seen = 0;
  let lastFrom: Entry['from'] = 'user';
  /** The bot's latest message: whether a typed number answers it (takesNumber). */
  let lastBot: Json | undefined;
  /** Choices of the bot's messages since the person last spoke, numbered as printed. */
  let choices: Json[] = [];
  /** Lines typed at this prompt and not yet seen in the chat: already on screen, so not printed twice. */
  const typed: string[] = [];
  const show = async () => {
    const chat = await get();
    for (const e of chat.entries.filter((x) => x.seq > seen)) {
      if (e.from === 'bot') {
        if (lastFrom === 'user') choices = [];
        lastBot = e.message;
        process.stdout.write(`${render(e, choices)}\n`);
      } else {
        // The replay shows both sides: the person's taps, their lines from the page or an earlier run. A line
        // just typed here is already on the screen.
        const text = e.message.type === 'text' ? str(e.message.text) : undefined;
        const i = text === undefined ? -1 : typed.indexOf(text);
        if (i >= 0) typed.splice(i, 1);
        else process.stdout.write(`${render(e, [])}\n`);
      }
      lastFrom = e.from;
      seen = e.seq;
    }
    return chat;
  };

  let chat;
  try {
    chat = await show();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stdout.write(`— แชตในฐานะ ${chat.persona.name} —\n${HELP}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // Pushes (reminders, digests) arrive without a turn of ours: check now and then while waiting for input.
  const poller = setInterval(() => void show().catch(() => {}), 3000);
  try {
    for (;;) {
      const line = (await rl.question('> ').catch(() => '/quit')).trim();
      if (line === '') continue;
      if (line === '/quit' || line === '/exit') return 0;
      if (line === '/help') {
        process.stdout.write(`${HELP}\n`);
        continue;
      }
      if (line === '/morning' || line === '/week' || line.startsWith('/time ')) {
        const to = line === '/morning' ? 'next-morning' : line === '/week' ? 'next-week' : line.slice(6).trim();
        const r = await post('clock', { to });
        if (typeof r.now === 'number')
          process.stdout.write(
            `เวลา ${thaiLongDate(r.now)} ${thaiTime(r.now)} น. · push ${String(r.sent)} · โควตาเดือนนี้ ${String(r.pushesThisMonth)}\n`,
          );
      } else if (line.startsWith('/photo ')) {
        const data = await readFile(line.slice(7).trim()).catch(() => null);
        if (data === null) {
          process.stdout.write('! อ่านไฟล์ไม่ได้\n');
          continue;
        }
        const form = new FormData();
        form.append('file', new Blob([data], { type: 'image/jpeg' }), 'photo.jpg');
        await fetch(api(`upload?as=${as}`), { method: 'POST', body: form });
      } else if (
        /^\/\d{1,2}$/.test(line) ||
        (/^\d{1,2}$/.test(line) && !takesNumber(lastBot) && choices[Number(line) - 1] !== undefined)
      ) {
        const a = choices[Number(line.replace('/', '')) - 1];
        if (a === undefined) {
          process.stdout.write(`! ไม่มีตัวเลือกที่ ${line.replace('/', '')} (no such choice)\n`);
          continue;
        }
        if (a.type === 'message') await post(`act?as=${as}`, { type: 'text', text: str(a.text) ?? '' });
        else if (a.type === 'postback')
          await post(`act?as=${as}`, { type: 'postback', data: str(a.data) ?? '', displayText: str(a.displayText) });
        else if (a.type === 'datetimepicker') {
          const mode = a.mode === 'time' ? 'time' : a.mode === 'datetime' ? 'datetime' : 'date';
          const hint = mode === 'date' ? 'YYYY-MM-DD' : mode === 'time' ? 'HH:mm' : 'YYYY-MM-DDTHH:mm';
          const value = (await rl.question(`${str(a.label) ?? ''} (${hint}): `)).trim();
          await post(`act?as=${as}`, { type: 'postback', data: str(a.data) ?? '', params: { [mode]: value } });
        } else if (a.type === 'camera' || a.type === 'cameraRoll') process.stdout.write('ส่งรูปด้วย /photo <ไฟล์>\n');
        else if (a.type === 'uri') process.stdout.write(`${str(a.uri) ?? ''}\n`);
      } else {
        typed.push(line);
        await post(`act?as=${as}`, { type: 'text', text: line });
      }
      await show();
    }
  } finally {
    clearInterval(poller);
    rl.close();
  }
}
