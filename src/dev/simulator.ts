// What a person does in LINE, done for a persona: each action becomes a LINE webhook event, signed with the
// channel secret and posted over HTTP to the app's own POST /webhook, exactly as LINE delivers it. The bot's
// answers come back through the real LINE client to DevLine, so the chat shows what LINE would have received.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Deps } from '../deps.js';
import { signLineBody } from '../line/signature.js';
import { tick, type TickResult } from '../scheduler/tick.js';
import { thaiShortDate, thaiTime } from '../time/thai.js';
import type { DevClock } from './clock.js';
import { saveDevClock } from './dev-clock.queries.js';
import type { DevLine } from './dev-line.js';
import type { Persona } from './personas.js';

/** A reply normally arrives within milliseconds of the webhook's 200; past this the chat simply polls. */
const REPLY_WAIT_MS = 5_000;
/** The bot's own id as LINE puts it in `destination`. */
const DESTINATION = `U${'d'.repeat(32)}`;

export type UserAction =
  | { type: 'text'; text: string }
  | { type: 'postback'; data: string; displayText?: string; params?: Record<string, string> }
  | { type: 'image'; data: Uint8Array; contentType: string };

export interface SimulatorOptions {
  line: DevLine;
  clock: DevClock;
  personas: Persona[];
  /** The env channel's secret (generated in memory in dev mode); used only to sign. */
  channelSecret: string;
  /** Where this app listens, e.g. http://127.0.0.1:8787: events go to `${selfUrl}/webhook`. */
  selfUrl: string;
}

/**
 * What the person picked in a date/time picker, as a Thai reader writes it ("11 ธ.ค. 2569", "09:00 น.",
 * "11 ธ.ค. 2569 เวลา 09:00 น."), not LINE's ISO value; a value that is not a date or time is shown as it came.
 */
export function pickedLabel(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, v]) => {
      if (key === 'time' && /^\d{2}:\d{2}$/.test(v)) return `${v} น.`;
      if (key === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return thaiShortDate(Date.parse(`${v}T12:00:00+07:00`));
      if (key === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) {
        const at = Date.parse(`${v}:00+07:00`);
        return `${thaiShortDate(at)} เวลา ${thaiTime(at)} น.`;
      }
      return v;
    })
    .join(' ');
}

/** ULID-shaped like LINE's webhookEventId (26 characters of Crockford base32). */
function eventId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}

export class DevSimulator {
  readonly line: DevLine;
  readonly clock: DevClock;
  readonly personas: Persona[];
  private readonly linking = new Map<string, Promise<void>>();
  private messageSeq = 0;

  constructor(private readonly opts: SimulatorOptions) {
    this.line = opts.line;
    this.clock = opts.clock;
    this.personas = opts.personas;
  }

  /**
   * On a persona's first open, it follows the bot and types its invite code, as a new user would; a persona
   * already linked (an earlier run on the same data) is left as it is.
   */
  ensureLinked(deps: Pick<Deps, 'db'>, persona: Persona): Promise<void> {
    let work = this.linking.get(persona.key);
    if (work === undefined) {
      work = (async () => {
        const rows = await queryRows<{ n: number }>(
          deps.db,
          sql`SELECT count(*)::int AS n FROM people WHERE line_user_id = ${persona.lineUserId}`,
        );
        if ((rows[0]?.n ?? 0) > 0) return;
        await this.deliver(persona, { type: 'follow', follow: { isUnblocked: false } });
        await this.act(persona, { type: 'text', text: persona.inviteCode });
        await this.act(persona, { type: 'text', text: 'ใช่' }); // whose account it is, confirmed
      })();
      this.linking.set(persona.key, work);
      // A failed link (the server still starting) is tried again on the next open.
      work.catch(() => this.linking.delete(persona.key));
    }
    return work;
  }

  /** Shows the person's message in their chat, sends the event, and waits for the bot's reply. */
  async act(persona: Persona, action: UserAction): Promise<void> {
    const id = String(700000000000000000n + BigInt(++this.messageSeq));
    switch (action.type) {
      case 'text':
        this.line.add(persona.lineUserId, 'user', { type: 'text', text: action.text });
        await this.deliver(persona, {
          type: 'message',
          message: { type: 'text', id, quoteToken: randomBytes(12).toString('hex'), text: action.text },
        });
        return;
      case 'postback':
        // LINE shows a postback's displayText as the person's message; a postback without one shows nothing.
        if (action.displayText !== undefined)
          this.line.add(persona.lineUserId, 'user', { type: 'text', text: action.displayText });
        else if (action.params !== undefined)
          this.line.add(persona.lineUserId, 'user', { type: 'text', text: pickedLabel(action.params) });
        await this.deliver(persona, {
          type: 'postback',
          postback: { data: action.data, ...(action.params === undefined ? {} : { params: action.params }) },
        });
        return;
      case 'image': {
        const contentId = this.line.putContent(action.data, action.contentType);
        this.line.add(persona.lineUserId, 'user', {
          type: 'image',
          originalContentUrl: `/dev/media/${contentId}`,
          previewImageUrl: `/dev/media/${contentId}`,
        });
        await this.deliver(persona, {
          type: 'message',
          message: {
            type: 'image',
            id: contentId,
            quoteToken: randomBytes(12).toString('hex'),
            contentProvider: { type: 'line' },
          },
        });
        return;
      }
    }
  }

  /** Moves the app's clock to `at` and runs the scheduled work as the cron would at that instant. */
  async advance(deps: Deps, at: number): Promise<TickResult | null> {
    if (!this.clock.moveTo(at)) return null;
    // Stored before the tick: what the tick writes is then never ahead of the clock a restart comes back to.
    await saveDevClock(deps.db, this.clock.snapshot());
    return tick(deps, at);
  }

  private async deliver(persona: Persona, event: Record<string, unknown>): Promise<void> {
    const replyToken = randomBytes(16).toString('hex');
    const withReply = event.type !== 'unfollow';
    if (withReply) this.line.expectReply(replyToken, persona.lineUserId);
    const raw = JSON.stringify({
      destination: DESTINATION,
      events: [
        {
          ...event,
          mode: 'active',
          timestamp: this.clock.now(),
          source: { type: 'user', userId: persona.lineUserId },
          webhookEventId: eventId(),
          deliveryContext: { isRedelivery: false },
          ...(withReply ? { replyToken } : {}),
        },
      ],
    });
    const res = await fetch(`${this.opts.selfUrl}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-line-signature': await signLineBody(this.opts.channelSecret, raw),
      },
      body: raw,
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    if (withReply) await this.line.waitForReply(replyToken, REPLY_WAIT_MS);
  }
}
