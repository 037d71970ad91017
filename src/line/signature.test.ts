import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSignatureCheck } from '../runtime/node-signature.js';
import { signLineBody, verifyLineSignature } from './signature.js';

const enc = new TextEncoder();

// WebCrypto's (Workers) and node:crypto's (Node) checks answer alike on every case.
describe.each([
  ['WebCrypto', verifyLineSignature],
  ['node:crypto', nodeSignatureCheck],
])('the LINE signature check (%s)', (_name, verifyLineSignature) => {
  // The fixed vector from LINE's own SDK tests (line-bot-sdk-nodejs, validate-signature.spec).
  const body = enc.encode(JSON.stringify({ hello: 'world' }));
  it('accepts LINE SDK test vector', async () => {
    expect(await verifyLineSignature('test_secret', body, 't7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=')).toBe(true);
  });
  it('rejects the same vector with one character changed', async () => {
    expect(await verifyLineSignature('test_secret', body, 't7Hn4ZDHqs6e+wdvi5TyQivzie0DmMUmuXEBqyyE/tM=')).toBe(false);
  });

  it('agrees with node:crypto on Thai and emoji bodies, byte for byte', async () => {
    const raw = enc.encode('{"text":"สวัสดีครับ ๑๒๓ 👩🏽‍🏫"}');
    const expected = createHmac('sha256', 'ch-secret').update(raw).digest('base64');
    expect(await signLineBody('ch-secret', raw)).toBe(expected);
    expect(await verifyLineSignature('ch-secret', raw, expected)).toBe(true);
    // Re-encoding the same text differently (escaped unicode) is a different body and must fail.
    expect(await verifyLineSignature('ch-secret', enc.encode('{"text":"\\u0e2a"}'), expected)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not base64', '!!!not-base64!!!'],
    ['base64 of the wrong length', btoa('short')],
    ['right length, wrong secret', createHmac('sha256', 'other').update('{}').digest('base64')],
  ])('rejects a %s signature', async (_, sig) => {
    expect(await verifyLineSignature('ch-secret', enc.encode('{}'), sig)).toBe(false);
  });
});
