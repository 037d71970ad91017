// Webhook payloads shaped as vendor/line-openapi/webhook.yml describes them, with fresh ids per call.
import { randomBytes } from 'node:crypto';

export const DESTINATION = `U${'0'.repeat(32)}`;
let clock = Date.parse('2026-11-20T01:00:00Z');

export const userId = (n: number | string = 1) =>
  `U${Buffer.from(String(n)).toString('hex').padStart(32, 'a').slice(-32)}`;

/** ULID-shaped ids (26 chars of Crockford base32), unique per call. */
export function eventId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}

interface Common {
  user?: string;
  timestamp?: number;
  id?: string;
  redelivery?: boolean;
}

/**
 * The app's clock, when a harness runs: events are stamped no earlier than it (the webhook refuses stale ones).
 * `undefined` (a harness closing) goes back to the real clock. Files share this module in a worker (the db project
 * does not isolate them), so the stamps restart from each new clock rather than from the last file's.
 */
let appClock: (() => number) | undefined;
export function followAppClock(now: (() => number) | undefined): void {
  appClock = now;
  clock = 0;
}

/** The clock events follow now (a harness's, or undefined for the real one). */
export function followedClock(): (() => number) | undefined {
  return appClock;
}

function base(type: string, o: Common) {
  // Without a harness the app reads the real clock (the Worker, a CLI's app): stamp events with it then.
  clock = Math.max(clock + 1000, appClock === undefined ? Date.now() : appClock());
  return {
    type,
    mode: 'active',
    timestamp: o.timestamp ?? clock,
    source: { type: 'user', userId: o.user ?? userId() },
    webhookEventId: o.id ?? eventId(),
    deliveryContext: { isRedelivery: o.redelivery ?? false },
  };
}

const replyToken = () => randomBytes(16).toString('hex');
/** LINE's message ids are unique numeric strings; evidence is deduplicated by them. */
const messageId = () => String(BigInt(`0x${randomBytes(7).toString('hex')}`));

export const ev = {
  text: (text: string, o: Common = {}) => ({
    ...base('message', o),
    replyToken: replyToken(),
    message: { type: 'text', id: messageId(), quoteToken: 'q', text },
  }),
  follow: (o: Common = {}) => ({ ...base('follow', o), replyToken: replyToken(), follow: { isUnblocked: false } }),
  unfollow: (o: Common = {}) => base('unfollow', o),
  postback: (data: string, o: Common & { params?: Record<string, string> } = {}) => ({
    ...base('postback', o),
    replyToken: replyToken(),
    postback: { data, ...(o.params ? { params: o.params } : {}) },
  }),
  sticker: (o: Common = {}) => ({
    ...base('message', o),
    replyToken: replyToken(),
    message: {
      type: 'sticker',
      id: messageId(),
      quoteToken: 'q',
      packageId: '446',
      stickerId: '1988',
      stickerResourceType: 'STATIC',
    },
  }),
  image: (o: Common = {}) => ({
    ...base('message', o),
    replyToken: replyToken(),
    message: { type: 'image', id: messageId(), quoteToken: 'q', contentProvider: { type: 'line' } },
  }),
  /** A file sent in the chat (PDF, Word, …): LINE tells its name and size. */
  file: (fileName: string, fileSize: number, o: Common = {}) => ({
    ...base('message', o),
    replyToken: replyToken(),
    message: { type: 'file', id: messageId(), quoteToken: 'q', fileName, fileSize },
  }),
  location: (o: Common = {}) => ({
    ...base('message', o),
    replyToken: replyToken(),
    message: { type: 'location', id: messageId(), latitude: 13.75, longitude: 100.5, address: 'x' },
  }),
  groupText: (text: string, mentionSelf: boolean, o: Common = {}) => ({
    ...base('message', o),
    source: { type: 'group', groupId: `C${'1'.repeat(32)}`, userId: o.user ?? userId() },
    replyToken: replyToken(),
    message: {
      type: 'text',
      id: messageId(),
      quoteToken: 'q',
      text,
      ...(mentionSelf ? { mention: { mentionees: [{ index: 0, length: 4, type: 'user', isSelf: true }] } } : {}),
    },
  }),
  join: (o: Common = {}) => ({
    ...base('join', o),
    source: { type: 'group', groupId: `C${'2'.repeat(32)}` },
    replyToken: replyToken(),
  }),
};

export const body = (...events: unknown[]) => ({ destination: DESTINATION, events });
