// Encrypts registered channels' secrets and access tokens at rest with AES-GCM. The key is derived from
// SECRETS_KEY (SHA-256 of the passphrase), so rotating it means re-registering channels. Format: v1.<iv>.<ct>.

const enc = new TextEncoder();
const dec = new TextDecoder();
const keys = new Map<string, Promise<CryptoKey>>();

function aesKey(passphrase: string): Promise<CryptoKey> {
  let k = keys.get(passphrase);
  if (k === undefined) {
    k = crypto.subtle
      .digest('SHA-256', enc.encode(passphrase))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']));
    keys.set(passphrase, k);
  }
  return k;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function encryptSecret(passphrase: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await aesKey(passphrase), enc.encode(plain)),
  );
  return `v1.${b64(iv)}.${b64(ct)}`;
}

export async function decryptSecret(passphrase: string, sealed: string): Promise<string> {
  const [version, iv, ct] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || ct === undefined) throw new Error('Unknown secret format');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv) }, await aesKey(passphrase), unb64(ct));
  return dec.decode(plain);
}
