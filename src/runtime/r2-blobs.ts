// Workers' blob store: an R2 bucket bound as EVIDENCE in wrangler.toml.
import type { BlobStore } from '../checklists/evidence.js';

export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(key, data, contentType) {
      await bucket.put(key, data, { httpMetadata: { contentType } });
    },
    async get(key) {
      const obj = await bucket.get(key);
      if (obj === null) return null;
      return {
        data: new Uint8Array(await obj.arrayBuffer()),
        contentType: obj.httpMetadata?.contentType ?? 'application/octet-stream',
      };
    },
    async delete(key) {
      // R2's delete succeeds for a missing key.
      await bucket.delete(key);
    },
  };
}
