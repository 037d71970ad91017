// What LINE might send, as fast-check arbitraries: every event type LINE documents and some it does not,
// unknown fields, huge Thai and emoji text, random postback data, group and room sources, odd or missing
// fields, and event ids that repeat. Every generated text and postback carries a marker (MARKER) so a single
// regex can tell whether any of it reached a log. Also the path in front of the database, run per payload.
import fc from 'fast-check';
import { toInput } from '../../src/conversation/input.js';
import type { ConversationState } from '../../src/conversation/state.js';
import { flows } from '../../src/flows/index.js';
import { transition } from '../../src/conversation/transition.js';
import { signLineBody, verifyLineSignature } from '../../src/line/signature.js';
import { callbackRequest, eventBase } from '../../src/line/webhook.schema.js';
import { testCtx, testPerson } from '../support/conversation.js';
import { DESTINATION } from '../support/events.js';
import { HARNESS_EPOCH, SECRET } from '../support/harness.js';

/** Text a log must never show: each carries a marker that a single regex finds. */
export const MARKER = /ฟซ\d+ซฟ/;
let markers = 0;
const marked = (s: string) => {
  const m = `ฟซ${markers++}ซฟ`;
  const at = Math.floor(s.length / 2);
  return s.slice(0, at) + m + s.slice(at);
};
/** n lowercase hex digits (stringMatching would be several times slower, and generation is the fuzz's cost). */
const hex = (n: number) =>
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { minLength: Math.ceil(n / 4), maxLength: Math.ceil(n / 4) })
    .map((xs) =>
      xs
        .map((x) => x.toString(16).padStart(4, '0'))
        .join('')
        .slice(0, n),
    );
const USERS = Array.from({ length: 200 }, (_, i) => `U${(i * 7919 + 17).toString(16).padStart(32, '0')}`);

const thai = fc.string({
  unit: fc.constantFrom(...'กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋์ ๐๑๒๓๔๕๖๗๘๙'),
  maxLength: 400,
});
const emoji = fc.string({
  unit: fc.constantFrom('😀', '🙏', '👍🏽', '🇹🇭', '❤️', '👨‍👩‍👧', '\u200b', '\u0e47'),
  maxLength: 100,
});
const anyText = fc.oneof(
  { weight: 4, arbitrary: thai },
  { weight: 2, arbitrary: emoji },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  // Words and commands people really type, in the middle of noise.
  {
    weight: 2,
    arbitrary: fc.constantFrom('สถานะ', 'ตั้งค่า', 'ส่ง', 'ใช่', 'ไม่ใช่', '๑', '1, 2', 'ยกเลิก', 'เมนู', 'ABCD-1234'),
  },
  // Huge: up to 5,000 characters (LINE's limit) and beyond.
  {
    weight: 1,
    arbitrary: fc
      .tuple(thai, emoji, fc.integer({ min: 1, max: 60 }))
      .map(([t, e, n]) => `${t}${e}`.repeat(n).slice(0, 6000)),
  },
);
const postbackData = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc
    .tuple(
      fc.constantFrom('a=open', 'a=ans', 'a=submit', 'a=menu', 'a=set', 'a=visit', 'a=more', 'a=back'),
      fc.uuid(),
      fc.nat(99),
      fc.string({ maxLength: 20 }),
    )
    .map(([a, id, s, v]) => `${a}&c=${id}&s=${s}&v=${encodeURIComponent(v)}`),
  fc.string({ minLength: 1990, maxLength: 2100 }),
);
const unknownFields = fc.option(
  fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ nested: [1] })),
    { maxKeys: 3 },
  ),
  { nil: {}, freq: 3 },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });

const message = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('text'),
      id: hex(16),
      quoteToken: fc.constant('q'),
      text: anyText.map(marked),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('text'),
      id: hex(16),
      text: anyText.map(marked),
      mention: fc.record({
        mentionees: fc.array(
          fc.record({
            index: fc.nat(10),
            length: fc.nat(10),
            type: fc.constantFrom('user', 'all'),
            isSelf: fc.boolean(),
          }),
          { maxLength: 3 },
        ),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('sticker'),
      id: hex(16),
      packageId: fc.constant('446'),
      stickerId: fc.constant('1988'),
      stickerResourceType: fc.constantFrom('STATIC', 'ANIMATION', 'PER_STICKER_TEXT'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('image', 'video', 'audio'),
      id: hex(16),
      contentProvider: fc.constant({ type: 'line' }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('file'), id: hex(16), fileName: anyText.map(marked), fileSize: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('location'),
      id: hex(16),
      latitude: fc.double(),
      longitude: fc.double(),
      address: anyText.map(marked),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.string({ maxLength: 10 }), id: fc.jsonValue() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const source = fc.oneof(
  { weight: 8, arbitrary: fc.record({ type: fc.constant('user'), userId: fc.constantFrom(...USERS) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('group'),
      groupId: hex(32).map((x) => `C${x}`),
      userId: maybe(fc.constantFrom(...USERS)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('room'),
      roomId: hex(32).map((x) => `R${x}`),
      userId: maybe(fc.constantFrom(...USERS)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 1 }),
      fc.record({ type: fc.constant('user'), userId: fc.string({ maxLength: 120 }) }),
    ),
  },
);

let ids = 0;
const eventId = fc.oneof(
  { weight: 20, arbitrary: fc.constant(null).map(() => `FUZZ${(ids++).toString(36).padStart(22, '0')}`) },
  // An id seen before (a redelivery), an odd one, or a broken one (the event is then skipped as unreadable).
  {
    weight: 2,
    arbitrary: fc.nat(50).map(
      (n) =>
        `FUZZ${Math.max(0, ids - 1 - n)
          .toString(36)
          .padStart(22, '0')}`,
    ),
  },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 120 }), fc.constant(undefined), fc.nat()) },
);

const postback = fc.record(
  {
    data: postbackData.map(marked),
    params: maybe(
      fc.dictionary(
        fc.constantFrom('date', 'time', 'datetime', 'newRichMenuAliasId', 'x'),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
      ),
    ),
  },
  { requiredKeys: ['data'] },
);

/** The type first, then only the parts that type carries. */
const typed = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => ({ type: 'message', message: m })) },
  { weight: 2, arbitrary: postback.map((p) => ({ type: 'postback', postback: p })) },
  // A postback or message without its content.
  { weight: 1, arbitrary: fc.constantFrom({ type: 'postback' }, { type: 'message' }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        'follow',
        'unfollow',
        'join',
        'leave',
        'memberJoined',
        'memberLeft',
        'beacon',
        'accountLink',
        'things',
        'unsend',
        'videoPlayComplete',
        'membership',
      )
      .map((type) => ({ type })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((type) => ({ type })) },
);

const event = fc
  .record({
    typed,
    webhookEventId: eventId,
    // Mostly inside the dedupe window of the harness's clock (so they reach the database), some far outside it
    // (refused as replays, or from the future), some not numbers at all.
    timestamp: fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: HARNESS_EPOCH - 6 * 86_400_000, max: HARNESS_EPOCH + 3_600_000 }) },
      { weight: 3, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }) },
      { weight: 1, arbitrary: fc.oneof(fc.double(), fc.constant(undefined), fc.string()) },
    ),
    source,
    replyToken: maybe(hex(32)),
    mode: fc.constantFrom('active', 'standby', undefined),
    redelivery: fc.boolean(),
    extra: unknownFields,
  })
  .map(({ typed: t, redelivery, extra, ...rest }) => ({
    ...extra,
    ...rest,
    ...t,
    deliveryContext: { isRedelivery: redelivery },
  }));

export const payload = fc
  .record({
    destination: fc.oneof(
      { weight: 9, arbitrary: fc.constant(DESTINATION) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    events: fc.array(event, { minLength: 1, maxLength: 5 }),
    extra: unknownFields,
  })
  .map(({ destination, events, extra }) => ({ ...extra, destination, events }));

const linked = testPerson();

/**
 * One payload through everything in front of the database: signature on the raw bytes, strict UTF-8 and JSON,
 * the body and event schemas, toInput and the pure transition, each user's state carried on (through a JSON
 * round trip, as the database keeps it) in `states`. Throws on anything wrong; returns how many inputs ran.
 * Plain checks, not expect(): at 100,000 payloads expect() would cost more than what it checks.
 */
export async function throughPurePath(p: unknown, states: Map<string, ConversationState>): Promise<number> {
  let inputs = 0;
  const raw = new TextEncoder().encode(JSON.stringify(p));
  const signature = await signLineBody(SECRET, raw);
  if (!(await verifyLineSignature(SECRET, raw, signature))) throw new Error('signature refused');
  const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw));
  const body = callbackRequest.safeParse(json);
  if (!body.success) throw new Error('body refused');
  for (const e of body.data.events) {
    const parsed = eventBase.safeParse(e);
    if (!parsed.success || parsed.data.source?.type !== 'user') continue;
    const input = toInput(parsed.data);
    if (input === null) continue;
    inputs++;
    const user = parsed.data.source.userId;
    // Half the users are linked teachers, half strangers.
    const ctx = testCtx({ person: user.charCodeAt(user.length - 1) % 2 === 0 ? linked : null });
    const result = transition(flows, states.get(user) ?? flows.parseState(null).state, input, ctx);
    const stored = flows.parseState(JSON.parse(JSON.stringify(result.state)));
    if (!stored.ok) throw new Error('state lost in a JSON round trip');
    states.set(user, stored.state);
    if (result.replies.length > 5) throw new Error(`${result.replies.length} replies`);
  }
  return inputs;
}
