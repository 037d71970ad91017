// Fuzzing what LINE may really send, correctly signed: unknown event and message types, unknown fields, huge
// Thai and emoji text, random postback data, stickers, images, locations, group and room sources, missing or
// odd fields, duplicated ids. Two runs, because the full path costs two database round trips per event:
//  - 100,000 payloads through everything in front of the database: signature check on the raw bytes, strict
//    UTF-8 and JSON decoding, the body and event schemas, toInput and the pure transition, each user's state
//    carried from one event to the next and through a JSON round trip, as the database would store it;
//  - E2E_RUNS payloads through the real webhook (Node, node-postgres pool, a PostgreSQL of this file's own):
//    never a 5xx, every reply LINE-valid, each event id processed at most once, memory bounded, and no user id
//    or user text in the logs (every generated text and postback carries a marker the logs are searched for).
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toInput } from '../../src/conversation/input.js';
import { parseState, type ConversationState } from '../../src/conversation/state.js';
import { transition } from '../../src/conversation/transition.js';
import { seedDemo } from '../../src/demo/seed.js';
import { signLineBody, verifyLineSignature } from '../../src/line/signature.js';
import { callbackRequest, eventBase } from '../../src/line/webhook.schema.js';
import { testCtx, testPerson } from '../support/conversation.js';
import { DESTINATION } from '../support/events.js';
import { SECRET, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { harnessOn, startOwnPostgres, type OwnPostgres } from './own-postgres.js';

const PURE_RUNS = Number(process.env.NITHET_FUZZ_PURE_RUNS ?? 100_000);
const E2E_RUNS = Number(process.env.NITHET_FUZZ_E2E_RUNS ?? 3_000);
/** Heap growth allowed across a run, after a full GC at both ends. */
const HEAP_BOUND_MB = 48;

let own: OwnPostgres;
let h: Harness;
beforeAll(async () => {
  own = await startOwnPostgres();
  h = await harnessOn(own, { poolSize: 10 });
  await seedDemo(h.db.db, h.clock.now);
});
afterAll(async () => {
  try {
    await h?.close();
  } finally {
    own?.destroy();
  }
});

// ---- what LINE might send -------------------------------------------------------------------------------

/** Text a log must never show: each carries a marker that a single regex finds. */
const MARKER = /ฟซ\d+ซฟ/;
let markers = 0;
const marked = (s: string) => {
  const m = `ฟซ${markers++}ซฟ`;
  const at = Math.floor(s.length / 2);
  return s.slice(0, at) + m + s.slice(at);
};
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
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
const unknownFields = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});
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

const event = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('message') },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'follow',
          'unfollow',
          'postback',
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
        ),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    ),
    eventId,
    fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }) },
      { weight: 1, arbitrary: fc.oneof(fc.double(), fc.constant(undefined), fc.string()) },
    ),
    source,
    maybe(hex(32)),
    message,
    fc.record(
      {
        data: postbackData.map(marked),
        params: maybe(
          fc.dictionary(
            fc.constantFrom('date', 'time', 'datetime', 'newRichMenuAliasId', 'x'),
            fc.jsonValue({ maxDepth: 0 }),
          ),
        ),
      },
      { requiredKeys: ['data'] },
    ),
    fc.constantFrom('active', 'standby', undefined),
    fc.boolean(),
    unknownFields,
  )
  .map(([type, webhookEventId, timestamp, src, replyToken, msg, postback, mode, redelivery, extra]) => ({
    ...extra,
    type,
    webhookEventId,
    timestamp,
    source: src,
    replyToken,
    mode,
    deliveryContext: { isRedelivery: redelivery },
    ...(type === 'message' ? { message: msg } : {}),
    ...(type === 'postback' ? { postback } : {}),
  }));

const payload = fc
  .record({
    destination: fc.oneof(
      { weight: 9, arbitrary: fc.constant(DESTINATION) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    events: fc.array(event, { minLength: 1, maxLength: 5 }),
    extra: unknownFields,
  })
  .map(({ destination, events, extra }) => ({ ...extra, destination, events }));

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};

// ---- the runs --------------------------------------------------------------------------------------------

describe('validly signed random payloads', () => {
  it(`${PURE_RUNS} pass signature, decoding, schemas, toInput and transition without a throw`, async () => {
    const states = new Map<string, ConversationState>();
    const linked = testPerson();
    let inputs = 0;
    const heapBefore = heapMb();
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const raw = new TextEncoder().encode(JSON.stringify(p));
        const signature = await signLineBody(SECRET, raw);
        // Plain checks in this loop: expect() would cost more than what it checks, 100,000 times over.
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
          // Half the users are linked teachers, half strangers; the state goes on as the database would keep it.
          const ctx = testCtx({ person: user.charCodeAt(user.length - 1) % 2 === 0 ? linked : null });
          const result = transition(states.get(user) ?? parseState(null).state, input, ctx);
          const stored = parseState(JSON.parse(JSON.stringify(result.state)));
          if (!stored.ok) throw new Error('state lost in a JSON round trip');
          states.set(user, stored.state);
          if (result.replies.length > 5) throw new Error(`${result.replies.length} replies`);
        }
      }),
      { numRuns: PURE_RUNS },
    );
    const ms = performance.now() - t0;
    const growth = heapMb() - heapBefore;
    console.log(
      `[faults] fuzz pure: ${JSON.stringify({ runs: PURE_RUNS, inputs, ms: Math.round(ms), heapGrowthMb: Math.round(growth * 10) / 10 })}`,
    );
    expect(inputs).toBeGreaterThan(PURE_RUNS);
    expect(growth).toBeLessThan(HEAP_BOUND_MB);
  }, 600_000);

  it(`${E2E_RUNS} through the real webhook and database: never 5xx, LINE-valid replies, clean logs, bounded memory`, async () => {
    const statuses: Record<number, number> = {};
    const sentIds = new Set<string>();
    const processedBefore = await count(h.db.db, sql`processed_events`);
    const logsBefore = h.logs.length;
    const heapBefore = heapMb();
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const res = await h.webhook(p);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        expect(res.status).toBe(200);
        for (const e of p.events) if (typeof e.webhookEventId === 'string') sentIds.add(e.webhookEventId);
      }),
      { numRuns: E2E_RUNS },
    );
    const ms = performance.now() - t0;
    await h.settle();
    const growth = heapMb() - heapBefore;
    const processed = (await count(h.db.db, sql`processed_events`)) - processedBefore;
    const logs = h.logs.slice(logsBefore);
    console.log(
      `[faults] fuzz end to end: ${JSON.stringify({
        runs: E2E_RUNS,
        ms: Math.round(ms),
        perSecond: Math.round((E2E_RUNS * 1000) / ms),
        statuses,
        eventIds: sentIds.size,
        processed,
        replies: h.line.replies().length,
        logLines: logs.length,
        heapGrowthMb: Math.round(growth * 10) / 10,
      })}`,
    );
    expect(statuses).toEqual({ 200: E2E_RUNS });
    // At most once each (a primary key would refuse more), and the bulk of them really went through a turn.
    expect(processed).toBeLessThanOrEqual(sentIds.size);
    expect(processed).toBeGreaterThan(E2E_RUNS / 2);
    expect(h.line.invalid().map((r) => r.errors)).toEqual([]);
    expect(growth).toBeLessThan(HEAP_BOUND_MB);
    // Log hygiene at fuzz scale: no generated text or postback (marker), user, group or room id.
    const leaks = logs.filter((l) => MARKER.test(l) || /[UCR][0-9a-f]{32}/.test(l));
    expect(leaks.slice(0, 5)).toEqual([]);
  }, 600_000);
});
