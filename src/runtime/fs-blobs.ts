// Node's blob store: files under DATA_DIR/blobs, written atomically (temp file + rename). Keys are ours (uuids),
// but are still checked so a key can never climb out of the folder.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BlobStore } from '../checklists/evidence.js';

export function fsBlobStore(root: string): BlobStore {
  const base = resolve(root, 'blobs');
  const pathOf = (key: string) => {
    if (!/^[A-Za-z0-9/_-]+$/.test(key) || key.includes('..')) throw new Error('bad blob key');
    return join(base, key);
  };
  return {
    async put(key, data, contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, data);
      await rename(`${path}.tmp`, path);
      await writeFile(`${path}.type`, contentType);
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [data, type] = await Promise.all([readFile(path), readFile(`${path}.type`, 'utf8')]);
        return { data: new Uint8Array(data), contentType: type };
      } catch {
        return null;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      // force: a file already gone is not an error, so a retried delete succeeds.
      await rm(path, { force: true });
      await rm(`${path}.type`, { force: true });
    },
  };
}
