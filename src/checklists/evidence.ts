// Evidence photos: the webhook stores LINE's message id with the answer; after the commit the photo is fetched
// from LINE's content API and kept in the blob store (R2 on Workers, disk on Node). The tick retries what failed.
import type { Db } from '../db/client.js';
import { ContentRefused, type LineApi } from '../line/client.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { markEvidence, type PendingEvidence } from './evidence.queries.js';

export interface BlobStore {
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<{ data: Uint8Array; contentType: string } | null>;
}

/** Photos only: LINE sends JPEG; PNG and WebP come from some clients and file uploads. */
export const EVIDENCE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic']);
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_ATTEMPTS = 5;

/** Where the web shows an evidence file (src/web/pages/evidence.ts checks the reader's scope on every request). */
export const evidenceWebPath = (officeCode: string, evidenceId: string) =>
  `/admin/offices/${encodeURIComponent(officeCode)}/evidence/${evidenceId}`;
/** The whole download, headers and body: a stalled body is a failed attempt, retried by the tick. */
export const EVIDENCE_TIMEOUT_MS = 30_000;

export async function fetchEvidence(
  deps: { db: Db; blobs: BlobStore; log: Logger; lineApi: LineApi },
  file: PendingEvidence,
): Promise<'stored' | 'failed' | 'retry'> {
  try {
    const content = await deps.lineApi.getContent(file.lineMessageId, {
      maxBytes: EVIDENCE_MAX_BYTES,
      types: EVIDENCE_TYPES,
      timeoutMs: EVIDENCE_TIMEOUT_MS,
    });
    const storageKey = `evidence/${file.officeId}/${file.responseId}/${file.id}`;
    await deps.blobs.put(storageKey, content.data, content.contentType);
    await markEvidence(deps.db, file.id, {
      status: 'stored',
      storageKey,
      contentType: content.contentType,
      size: content.data.length,
    });
    return 'stored';
  } catch (err) {
    if (err instanceof ContentRefused) {
      // Not a photo, or too large: the same answer every time, so no retry.
      await markEvidence(deps.db, file.id, { status: 'failed', error: err.message });
      return 'failed';
    }
    deps.log.warn('evidence fetch failed', { evidence: file.id, ...errorFields(err) });
    const last = file.attempts + 1 >= EVIDENCE_MAX_ATTEMPTS;
    await markEvidence(deps.db, file.id, { status: last ? 'failed' : 'pending', error: 'fetch failed', attempt: true });
    return last ? 'failed' : 'retry';
  }
}
