// Import files kept between the check and the confirm (PDPA: a people sheet lists staff names, so nothing keeps it
// longer than the work needs): the confirm deletes its file, and the office's retention unit deletes a file left
// unconfirmed for UPLOAD_KEEP_MS. The row is forgotten only after the store's delete succeeded (retried next run).
import type { BlobStore } from '../checklists/evidence.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { forgetUpload, recordUpload, uploadsBefore } from './imports.queries.js';

/** An unconfirmed import file is deleted a day after its check. */
export const UPLOAD_KEEP_MS = 86_400_000;
const PURGE_BATCH = 200;

export const uploadKey = (officeId: string, sha: string) => `imports/${officeId}/${sha}`;

interface Deps {
  db: Db;
  blobs: BlobStore;
}

/** Keeps a checked file for its confirm, recorded so that retention deletes it if no confirm comes. */
export async function keepUpload(
  deps: Deps,
  officeId: string,
  sha: string,
  file: { data: Uint8Array; contentType: string },
  at: number,
): Promise<void> {
  await recordUpload(deps.db, officeId, sha, new Date(at).toISOString());
  await deps.blobs.put(uploadKey(officeId, sha), file.data, file.contentType);
}

/** Deletes a kept file (its confirm ran). */
export async function dropUpload(deps: Deps, officeId: string, sha: string): Promise<void> {
  await deps.blobs.delete(uploadKey(officeId, sha));
  await forgetUpload(deps.db, officeId, sha);
}

/** Deletes the office's import files unconfirmed since before `at - UPLOAD_KEEP_MS`; returns how many went. */
export async function purgeStaleUploads(deps: Deps & { log: Logger }, officeId: string, at: number): Promise<number> {
  let purged = 0;
  for (const sha of await uploadsBefore(deps.db, officeId, new Date(at - UPLOAD_KEEP_MS).toISOString(), PURGE_BATCH)) {
    try {
      await dropUpload(deps, officeId, sha);
      purged++;
    } catch (err) {
      deps.log.warn('import file not deleted yet; retried next run', { upload: sha, ...errorFields(err) });
    }
  }
  return purged;
}
