// Ids of the rows a turn creates, derived in the pure layer from the event that caused them: the same event (a
// retry after a lost race, a redelivery) gives the same ids, and replies can carry real ids, because no id waits
// for the database. `seed` is the channel and webhookEventId (unique per channel); each kind of row a turn may
// create has its own slot, so one turn never derives the same id twice. Not a secret: ids name rows, they grant
// nothing (every query checks the office and the person's scope).

/** The kinds of rows a turn creates, each its own index under the event's seed. */
export const ID_SLOT = { response: 0, evidence: 1, visit: 2, campaign: 3, feedback: 4 } as const;
export type IdSlot = keyof typeof ID_SLOT;

/** cyrb128: a small, well-mixed 128-bit string hash (not cryptographic; its inputs are unique event ids). */
function hash128(s: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

/** A UUID (version 8, RFC 9562's custom form) for row `slot` of the turn caused by event `seed`. */
export function rowId(seed: string, slot: IdSlot): string {
  const [a, b, c, d] = hash128(`${seed}#${ID_SLOT[slot]}`);
  const h = hex(a) + hex(b) + hex(c) + hex(d);
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
