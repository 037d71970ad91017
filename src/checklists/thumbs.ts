// Thumbnails of evidence photos for the chat's review card. A LINE client loads a Flex image by its URL with no
// session, so the web's evidence route (scoped, signed in) cannot serve it. Instead each thumbnail URL is signed:
// HMAC-SHA256 with a key derived from SECRETS_KEY over the evidence id and an expiry, nothing else (no name,
// office or person in the URL). It serves only LINE's own small preview of the photo (stored by the evidence
// fetch as thumb_key), never the original, and only while the URL is fresh. Without SECRETS_KEY or an https
// base URL (LINE loads https only) there are no thumbnails: the card lists the files by name alone.

const enc = new TextEncoder();
/** How long a review card's thumbnails load: a review is read when it is sent, and sent again when reopened. */
export const THUMB_TTL_MS = 24 * 3_600_000;
const HOUR = 3_600_000;
/** Path of the route (src/checklists/thumbs.routes.ts): /evidence-thumbs/:id/:exp/:sig. */
export const THUMB_PATH = '/evidence-thumbs';

const keys = new Map<string, Promise<CryptoKey>>();
function macKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (k === undefined) {
    // Domain-separated from SECRETS_KEY's other use (the AES key of channel secrets).
    k = crypto.subtle
      .digest('SHA-256', enc.encode(`nithet-evidence-thumb-v1\n${secret}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
    keys.set(secret, k);
  }
  return k;
}

const message = (id: string, exp: number) => enc.encode(`${id}\n${exp}`);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The expiry of a URL made at `now`, in seconds, rounded up to the hour so a review re-sent soon reuses its URLs. */
export const thumbExpiry = (now: number) => Math.ceil((now + THUMB_TTL_MS) / HOUR) * (HOUR / 1000);

export async function thumbUrl(secret: string, base: string, id: string, now: number): Promise<string> {
  const exp = thumbExpiry(now);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await macKey(secret), message(id, exp)));
  return `${base}${THUMB_PATH}/${id}/${exp}/${hex(sig)}`;
}

/** Whether a URL's parts are one this server signed and still fresh at `now` (the MAC checked in constant time). */
export async function thumbValid(secret: string, id: string, exp: string, sig: string, now: number): Promise<boolean> {
  if (!/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return false;
  const expires = Number(exp) * 1000;
  if (expires <= now || expires > now + THUMB_TTL_MS + HOUR) return false;
  const mac = Uint8Array.from(sig.match(/../g) ?? [], (h) => parseInt(h, 16));
  return crypto.subtle.verify('HMAC', await macKey(secret), mac, message(id, Number(exp)));
}

/** The signer a turn uses, or null when thumbnails cannot be offered (no key, or a base LINE will not load). */
export function thumbSigner(
  secret: string | undefined,
  base: string,
  now: number,
): ((id: string) => Promise<string>) | null {
  if (secret === undefined || !base.startsWith('https://')) return null;
  const origin = base.replace(/\/$/, '');
  return (id) => thumbUrl(secret, origin, id, now);
}
