// Node's check of LINE's x-line-signature: node:crypto's HMAC, synchronous on the server's thread (a few µs for a
// webhook body), where WebCrypto's verify hops to the libuv thread pool and back. Same rule as
// src/line/signature.ts: strict base64 of 32 bytes, compared in constant time.
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { type SignatureCheck, signatureMac } from '../line/signature.js';

/** Each channel secret as a KeyObject, made once: createHmac would convert the string on every call. */
const keys = new Map<string, KeyObject>();
const MAX_KEYS = 1_000;

function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export const nodeSignatureCheck: SignatureCheck = (secret, rawBody, signature) => {
  const mac = signatureMac(signature);
  if (mac === undefined) return false;
  return timingSafeEqual(createHmac('sha256', keyOf(secret)).update(rawBody).digest(), mac);
};
