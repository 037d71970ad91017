// Fuzzing the webhook's front door: 10,000 unsigned, mis-signed, malformed (not JSON, not UTF-8, not a LINE
// body) and oversized requests. Each is refused with the one status its fault calls for (401, 400, 413),
// never a 5xx, and none of them writes anything: the database (a cluster of this file's own) has the same
// rows and has handed out no transaction id afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLineBody } from '../../src/line/signature.js';
import { WEBHOOK_BODY_LIMIT } from '../../src/line/webhook.routes.js';
import { callbackRequest } from '../../src/line/webhook.schema.js';
import { seedDemo } from '../../src/demo/seed.js';
import { body as lineBody, ev, userId } from '../support/events.js';
import { SECRET, type Harness } from '../support/harness.js';
import { harnessOn, startOwnPostgres, writeFingerprint, type OwnPostgres } from './own-postgres.js';

const RUNS = Number(process.env.NITHET_FUZZ_REFUSED_RUNS ?? 10_000);

let own: OwnPostgres;
let h: Harness;
beforeAll(async () => {
  own = await startOwnPostgres();
  h = await harnessOn(own);
  await seedDemo(h.db.db, h.clock.now);
});
afterAll(async () => {
  try {
    await h?.close();
  } finally {
    own?.destroy();
  }
});

type Fault = 'unsigned' | 'mis-signed' | 'not-json' | 'not-utf8' | 'not-line' | 'oversized';
interface Attempt {
  fault: Fault;
  bytes: Uint8Array;
  signature: string | undefined;
  /** Send a Content-Length header (otherwise the body streams, as chunked transfer would). */
  declareLength: boolean;
}
const expected: Record<Fault, number> = {
  unsigned: 401,
  'mis-signed': 401,
  'not-json': 400,
  'not-utf8': 400,
  'not-line': 400,
  oversized: 413,
};

const utf8 = (s: string) => new TextEncoder().encode(s);
const sign = (bytes: Uint8Array) => signLineBody(SECRET, bytes);

/** A plausible webhook body with a user's text, so refused bodies carry personal data the logs must not. */
const plausible = fc
  .record({ n: fc.nat(), text: fc.string({ unit: 'grapheme', maxLength: 200 }) })
  .map(({ n, text }) => JSON.stringify(lineBody(ev.text(text, { user: userId(`fuzz-refused-${n}`) }))));

const anyBody = fc.oneof(
  plausible.map(utf8),
  fc.uint8Array({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 500 }).map(utf8),
  fc.jsonValue().map((v) => utf8(JSON.stringify(v))),
);

const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  // A real body cut short.
  plausible.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
  fc.constantFrom('', ' ', '{', '{"events":[}', 'null,', '\u0000', "{'events': []}", '{"events": [NaN]}'),
);

/** Byte sequences a strict UTF-8 decoder refuses: stray continuation, overlong, surrogate, truncated, 0xFF. */
const badUtf8Seq = fc.constantFrom(
  [0x80],
  [0xc0, 0xaf],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xe0, 0xb8],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
  [0xfe, 0xff],
);
const notUtf8 = fc.tuple(plausible, badUtf8Seq, fc.double({ min: 0, max: 1, noNaN: true })).map(([s, seq, at]) => {
  const bytes = utf8(s);
  const i = Math.floor(at * bytes.length);
  return Uint8Array.from([...bytes.slice(0, i), ...seq, ...bytes.slice(i)]);
});

const notLine = fc
  .oneof(
    fc.jsonValue(),
    fc.record({ destination: fc.jsonValue(), events: fc.jsonValue() }, { requiredKeys: [] }),
    fc.record({ events: fc.array(fc.constant({}), { minLength: 1001, maxLength: 1100 }) }),
    fc.record({ destination: fc.string({ minLength: 101, maxLength: 200 }), events: fc.constant([]) }),
  )
  .filter((v) => !callbackRequest.safeParse(v).success)
  .map((v) => utf8(JSON.stringify(v)));

const oversized = fc.nat({ max: 4096 }).map((extra) => {
  const bytes = new Uint8Array(WEBHOOK_BODY_LIMIT + 1 + extra);
  bytes.fill(0x20);
  bytes[0] = 0x7b; // '{'
  return bytes;
});

const wrongSignature = (bytes: Uint8Array) =>
  fc.oneof(
    fc.base64String({ minLength: 4, maxLength: 64 }),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789+/= -_'), maxLength: 60 }),
    fc.constant(''),
    // Signed with another channel's secret, or the right secret over other bytes, or one character changed.
    fc.constant(signLineBody('b'.repeat(32), bytes)),
    fc.constant(signLineBody(SECRET, Uint8Array.from([...bytes, 0x20]))),
    fc.nat().map(async (n) => {
      const good = await sign(bytes);
      // Among the first 42 characters: the 43rd carries 2 padding bits, so some changes there decode to the
      // same 32 bytes (the same MAC, rightly accepted; found by this fuzz).
      const i = n % 42;
      return good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
    }),
  );

const signed = (fault: Fault, bytes: fc.Arbitrary<Uint8Array>) =>
  fc.tuple(bytes, fc.boolean()).map(([b, declareLength]) => ({ fault, bytes: b, declareLength, sign: true }));

const attempt: fc.Arbitrary<Promise<Attempt>> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(anyBody, fc.boolean())
      .map(([bytes, declareLength]) =>
        Promise.resolve({ fault: 'unsigned' as const, bytes, signature: undefined, declareLength }),
      ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(anyBody, fc.boolean()).chain(([bytes, declareLength]) =>
      wrongSignature(bytes).map(async (sig) => ({
        fault: 'mis-signed' as const,
        bytes,
        signature: await sig,
        declareLength,
      })),
    ),
  },
  ...(
    [
      ['not-json', notJson.map(utf8), 3],
      ['not-utf8', notUtf8, 3],
      ['not-line', notLine, 3],
      ['oversized', oversized, 1],
    ] as const
  ).map(([fault, bytes, weight]) => ({
    weight,
    arbitrary: signed(fault, bytes).map(async (a) => ({ ...a, signature: await sign(a.bytes) })),
  })),
  // Oversized and unsigned or mis-signed: the size limit answers first, before any signature work.
  {
    weight: 1,
    arbitrary: fc
      .tuple(oversized, fc.boolean())
      .map(([bytes, declareLength]) =>
        Promise.resolve({ fault: 'oversized' as const, bytes, signature: 'bm90IGEgc2lnbmF0dXJl', declareLength }),
      ),
  },
);

async function post(a: Attempt): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (a.signature !== undefined) headers['x-line-signature'] = a.signature;
  if (a.declareLength) headers['content-length'] = String(a.bytes.length);
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers };
  if (a.declareLength) init.body = a.bytes;
  else {
    // A stream has no length: the route has to count while it reads.
    const chunk = 64 * 1024;
    const bytes = a.bytes;
    let at = 0;
    init.body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) c.close();
        else {
          c.enqueue(bytes.slice(at, at + chunk));
          at += chunk;
        }
      },
    });
    init.duplex = 'half';
  }
  return (await h.fetch('/webhook', init)).status;
}

describe(`${RUNS} refused webhook requests`, () => {
  it('are each answered 401, 400 or 413 as their fault calls for, never 5xx, and write nothing', async () => {
    const before = await writeFingerprint(h);
    const logsBefore = h.logs.length;
    const seen: Record<string, Record<number, number>> = {};
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(attempt, async (pending) => {
        const a = await pending;
        const status = await post(a);
        const byStatus = (seen[a.fault] ??= {});
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        expect(status, a.fault).toBe(expected[a.fault]);
      }),
      { numRuns: RUNS },
    );
    const ms = performance.now() - t0;
    await h.settle();
    const after = await writeFingerprint(h);
    console.log(`[faults] fuzz refused: ${JSON.stringify({ runs: RUNS, ms: Math.round(ms), seen })}`);

    expect(after).toEqual(before);
    for (const fault of Object.keys(expected)) expect(seen[fault], fault).toBeDefined();
    expect(h.logs.slice(logsBefore).some((l) => /fuzz-refused|U[0-9a-f]{32}/.test(l))).toBe(false);
  });
});
