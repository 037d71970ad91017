// The in-app stand-in for LINE's Messaging API that the simulator points the real LINE client at
// (LINE_API_BASE_URL = LINE_DATA_API_BASE_URL = http://127.0.0.1:<port>). It is served at LINE's own paths,
// /v2/bot/…, at the root of the app: the LINE SDK resolves its paths against the host and drops any base path,
// so /dev/line/v2/… cannot be reached through it. Only in dev mode, and only with the generated token. It keeps, per LINE user id,
// what LINE would have shown in that chat: the person's own messages (recorded by the simulator) and the bot's
// replies and pushes (recorded here), and counts pushes the way LINE counts them against the monthly quota.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { readJsonBody } from '../http/body.js';
import { localMonth } from './clock.js';

/** One bubble in a chat: what the person sent, or a LINE message object the bot sent. */
export interface ChatEntry {
  seq: number;
  at: number;
  from: 'user' | 'bot';
  /** How the bot's message reached the chat; a reply is free, a push counts against the quota. */
  via?: 'reply' | 'push' | 'multicast';
  message: Record<string, unknown>;
}

/**
 * Messages per month on LINE Official Account's free plan in Thailand. The fake never refuses past it: the
 * panel shows the count so a developer sees what a week of reminders would cost an office.
 */
export const FREE_PLAN_MESSAGES = 300;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asMessages = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

export class DevLine {
  private seq = 0;
  private chats = new Map<string, ChatEntry[]>();
  private replyTokens = new Map<string, string>();
  private retryKeys = new Set<string>();
  private content = new Map<string, { data: Uint8Array; contentType: string }>();
  private pushLog: { at: number; recipients: number }[] = [];
  private waiters = new Set<() => void>();
  private messageSeq = 0;

  constructor(
    /** The generated channel access token: calls without it are refused as LINE would. */
    private readonly accessToken: string,
    private readonly now: () => number,
  ) {}

  /** Bumps on every change to any chat: the page polls it. */
  get version(): number {
    return this.seq;
  }

  chat(userId: string): ChatEntry[] {
    return this.chats.get(userId) ?? [];
  }

  add(userId: string, from: ChatEntry['from'], message: Record<string, unknown>, via?: ChatEntry['via']): void {
    let list = this.chats.get(userId);
    if (list === undefined) this.chats.set(userId, (list = []));
    list.push({ seq: ++this.seq, at: this.now(), from, message, ...(via === undefined ? {} : { via }) });
    for (const w of [...this.waiters]) w();
  }

  /** The simulator registers each reply token it sends so the reply lands in the right chat. */
  expectReply(replyToken: string, userId: string): void {
    this.replyTokens.set(replyToken, userId);
  }

  /** Resolves when a reply for `replyToken` arrived (true) or after `ms` (false): most events get one. */
  waitForReply(replyToken: string, ms: number): Promise<boolean> {
    if (!this.replyTokens.has(replyToken)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (this.replyTokens.has(replyToken)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, ms);
      this.waiters.add(check);
    });
  }

  /** Stores an uploaded photo as LINE content and returns the message id the image event will carry. */
  putContent(data: Uint8Array, contentType: string): string {
    const id = String(600000000000000000n + BigInt(++this.messageSeq));
    this.content.set(id, { data, contentType });
    return id;
  }

  getContent(id: string): { data: Uint8Array; contentType: string } | undefined {
    return this.content.get(id);
  }

  /** Messages counted against the quota in the Bangkok calendar month of `at` (a multicast counts per person). */
  pushesInMonth(at: number): number {
    const month = localMonth(at);
    return this.pushLog.filter((p) => localMonth(p.at) === month).reduce((n, p) => n + p.recipients, 0);
  }

  routes(): Hono<AppEnv> {
    const app = new Hono<AppEnv>();
    app.use('/v2/bot/*', async (c, next) => {
      if (c.req.header('authorization') !== `Bearer ${this.accessToken}`)
        return c.json({ message: 'Authentication failed. Confirm that the access token is valid.' }, 401);
      await next();
    });
    app.post('/v2/bot/message/reply', async (c) => {
      const body: unknown = await readJsonBody(c.req.raw);
      const token = isRecord(body) && typeof body.replyToken === 'string' ? body.replyToken : '';
      const user = this.replyTokens.get(token);
      // LINE takes a reply token once: a second reply to the same event is a bug the simulator should show.
      if (user === undefined) return c.json({ message: 'Invalid reply token' }, 400);
      this.replyTokens.delete(token);
      const messages = asMessages(isRecord(body) ? body.messages : undefined);
      for (const m of messages) this.add(user, 'bot', m, 'reply');
      if (messages.length === 0) for (const w of [...this.waiters]) w();
      return c.json({ sentMessages: messages.map(() => ({ id: String(++this.messageSeq), quoteToken: 'q' })) });
    });
    const send = (kind: 'push' | 'multicast', to: string[], body: Record<string, unknown>, key?: string) => {
      // A retry key LINE already accepted is answered 409 and not sent again, as the outbox relies on.
      if (key !== undefined && this.retryKeys.has(key)) return false;
      if (key !== undefined) this.retryKeys.add(key);
      const messages = asMessages(body.messages);
      for (const user of to) for (const m of messages) this.add(user, 'bot', m, kind);
      this.pushLog.push({ at: this.now(), recipients: to.length * messages.length });
      return true;
    };
    app.post('/v2/bot/message/push', async (c) => {
      const body: unknown = await readJsonBody(c.req.raw);
      if (!isRecord(body) || typeof body.to !== 'string')
        return c.json({ message: 'The request body is invalid' }, 400);
      const ok = send('push', [body.to], body, c.req.header('x-line-retry-key'));
      if (!ok) return c.json({ message: 'The retry key is already accepted' }, 409);
      return c.json({ sentMessages: asMessages(body.messages).map(() => ({ id: String(++this.messageSeq) })) });
    });
    app.post('/v2/bot/message/multicast', async (c) => {
      const body: unknown = await readJsonBody(c.req.raw);
      if (!isRecord(body) || !Array.isArray(body.to)) return c.json({ message: 'The request body is invalid' }, 400);
      const to = body.to.filter((t): t is string => typeof t === 'string');
      const ok = send('multicast', to, body, c.req.header('x-line-retry-key'));
      if (!ok) return c.json({ message: 'The retry key is already accepted' }, 409);
      return c.json({});
    });
    app.get('/v2/bot/message/quota', (c) => c.json({ type: 'limited', value: FREE_PLAN_MESSAGES }));
    app.get('/v2/bot/message/quota/consumption', (c) => c.json({ totalUsage: this.pushesInMonth(this.now()) }));
    app.get('/v2/bot/message/:id/content', (c) => {
      const found = this.content.get(c.req.param('id'));
      if (found === undefined) return c.json({ message: 'Not found' }, 404);
      return c.body(found.data.slice().buffer, 200, { 'content-type': found.contentType });
    });
    app.get('/v2/bot/profile/:userId', (c) =>
      c.json({ userId: c.req.param('userId'), displayName: 'ผู้ใช้ทดลอง', language: 'th' }),
    );
    return app;
  }
}
