// Node's check of LINE's x-line-signature: node:crypto's HMAC, synchronous on the server's thread (a few µs for a
// webhook body), where WebCrypto's verify hops to the libuv thread pool and back. Same rule as
// src/line/signature.ts: strict base64 of 32 bytes, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type SignatureCheck, signatureMac } from '../line/signature.js';

export const nodeSignatureCheck: SignatureCheck = (secret, rawBody, signature) => {
  const mac = signatureMac(signature);
  if (mac === undefined) return false;
  return timingSafeEqual(createHmac('sha256', secret).update(rawBody).digest(), mac);
};
