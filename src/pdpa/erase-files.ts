// The blobs of erased evidence (see erase.queries.ts): deleted from the store by the retention unit, each file's
// keys cleared only once its deletes succeeded, so a failure is logged and retried by the next run.
import type { BlobStore } from '../checklists/evidence.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { erasedEvidenceBlobs, forgetErasedBlobs } from './erase.queries.js';

const PURGE_BATCH = 200;

/** Deletes erased evidence blobs of the office (null: any office); returns how many files were purged. */
export async function purgeErasedEvidence(
  deps: { db: Db; blobs: BlobStore; log: Logger },
  officeId: string | null,
): Promise<number> {
  let purged = 0;
  for (const file of await erasedEvidenceBlobs(deps.db, officeId, PURGE_BATCH)) {
    try {
      for (const key of file.keys) await deps.blobs.delete(key);
      await forgetErasedBlobs(deps.db, file.id);
      purged++;
    } catch (err) {
      deps.log.warn('erased evidence not deleted yet; retried next run', { evidence: file.id, ...errorFields(err) });
    }
  }
  return purged;
}
