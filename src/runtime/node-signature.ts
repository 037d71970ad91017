// Node's check of LINE's x-line-signature: node:crypto's HMAC, synchronous on the server's thread (a few µs for a
// webhook body), where WebCrypto's verify hops to the libuv thread pool and back. Same rule as
// src/line/signature.ts: strict base64 of 32 bytes, compared in constant time.
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { type SignatureCheck, signatureMac } from '../line/signature.js';
import { memoize } from '../objects/memo.js';

/** Each channel secret as a KeyObject, made once: createHmac would convert the string on every call. */
const keyOf = memoize((secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8')), 1_000);

export const nodeSignatureCheck: SignatureCheck = (secret, rawBody, signature) => {
  const mac = signatureMac(signature);
  if (mac === undefined) return false;
  return timingSafeEqual(createHmac('sha256', keyOf(secret)).update(rawBody).digest(), mac);
};
