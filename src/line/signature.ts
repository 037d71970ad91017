// Verifies LINE's x-line-signature: base64(HMAC-SHA256(channel secret, raw body)), checked on the raw bytes
// before any parsing, with WebCrypto's verify (constant-time) on Workers; Node checks the same bytes with
// node:crypto (src/runtime/node-signature.ts), synchronously, without WebCrypto's hop to the libuv thread pool.

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    // A deployment has a handful of channels; the cache stays tiny.
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(value: string): Uint8Array | undefined {
  if (value.length === 0 || value.length % 4 !== 0 || !base64Pattern.test(value)) return undefined;
  const binary = atob(value);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The MAC a header carries: strict base64 of 32 bytes (SHA-256), else undefined (it cannot match). */
export function signatureMac(signature: string | undefined | null): Uint8Array | undefined {
  if (signature === undefined || signature === null) return undefined;
  const mac = decodeBase64(signature.trim());
  return mac === undefined || mac.length !== 32 ? undefined : mac;
}

/** A signature check (the runtime's: WebCrypto here and on Workers, node:crypto on Node). */
export type SignatureCheck = (
  secret: string,
  rawBody: Uint8Array,
  signature: string | undefined | null,
) => boolean | Promise<boolean>;

export async function verifyLineSignature(
  secret: string,
  rawBody: Uint8Array,
  signature: string | undefined | null,
): Promise<boolean> {
  const mac = signatureMac(signature);
  if (mac === undefined) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), mac, rawBody);
}

export async function signLineBody(secret: string, rawBody: Uint8Array | string): Promise<string> {
  const bytes = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), bytes));
  let binary = '';
  for (const b of mac) binary += String.fromCharCode(b);
  return btoa(binary);
}
