// Evidence photos and documents: the webhook stores LINE's message id with the answer; after the commit the file
// is fetched from LINE's content API and kept in the blob store (R2 on Workers, disk on Node). The tick retries
// what failed. A document is kept only when its first bytes are what its name says (PDF, Word, Excel); a file
// that is refused or that LINE no longer gives leaves its answer, and the person is told in their next bundle.
import type { Db } from '../db/client.js';
import { ContentRefused, type LineApi } from '../line/client.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { loseEvidence, lostEvidenceContext, markEvidence, type PendingEvidence } from './evidence.queries.js';
import { DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, sniffDocument } from './items/document.js';
import { msg } from '../i18n/msg.js';

export interface BlobStore {
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<{ data: Uint8Array; contentType: string } | null>;
  /** Removes the file; a key that is already gone is not an error (deletes are retried). */
  delete(key: string): Promise<void>;
}

/** Photos only: LINE sends JPEG; PNG and WebP come from some clients and file uploads. */
export const EVIDENCE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic']);
/** What LINE may call a document: its own type, or a generic one; the first bytes decide (sniffDocument). */
const DOCUMENT_WIRE_TYPES = new Set([
  ...Object.values(DOCUMENT_TYPES).map((t) => t.contentType),
  'application/octet-stream',
  'application/zip',
  'application/x-zip-compressed',
  'application/x-cfb',
]);
export const EVIDENCE_MAX_BYTES = DOCUMENT_MAX_BYTES;
export const EVIDENCE_MAX_ATTEMPTS = 5;

/** Where the web shows an evidence file (src/web/pages/evidence.ts checks the reader's scope on every request). */
export const evidenceWebPath = (officeCode: string, evidenceId: string) =>
  `/admin/offices/${encodeURIComponent(officeCode)}/evidence/${evidenceId}`;
/** The whole download, headers and body: a stalled body is a failed attempt, retried by the tick. */
export const EVIDENCE_TIMEOUT_MS = 30_000;

export async function fetchEvidence(
  deps: { db: Db; blobs: BlobStore; log: Logger; lineApi: LineApi },
  file: PendingEvidence,
  at: number,
): Promise<'stored' | 'failed' | 'retry'> {
  try {
    const content = await deps.lineApi.getContent(file.lineMessageId, {
      maxBytes: EVIDENCE_MAX_BYTES,
      types: file.fileName === null ? EVIDENCE_TYPES : DOCUMENT_WIRE_TYPES,
      timeoutMs: EVIDENCE_TIMEOUT_MS,
    });
    const contentType = file.fileName === null ? content.contentType : sniffDocument(file.fileName, content.data);
    if (contentType === null) throw new ContentRefused('type', 'not a PDF, Word or Excel file as its name says');
    const storageKey = `evidence/${file.officeId}/${file.responseId}/${file.id}`;
    await deps.blobs.put(storageKey, content.data, contentType);
    const thumbKey = file.fileName === null ? await storePreview(deps, file, storageKey) : null;
    await markEvidence(deps.db, file.id, {
      status: 'stored',
      storageKey,
      contentType,
      size: content.data.length,
      ...(thumbKey === null ? {} : { thumbKey }),
    });
    return 'stored';
  } catch (err) {
    if (err instanceof ContentRefused) {
      // Not a photo or document, or too large: the same answer every time, so no retry; the person is told why.
      await giveUp(deps.db, file, err.message, msg.checklist.fileRefused(shortName(file.fileName), err.reason), at);
      return 'failed';
    }
    deps.log.warn('evidence fetch failed', { evidence: file.id, ...errorFields(err) });
    if (file.attempts + 1 < EVIDENCE_MAX_ATTEMPTS) {
      await markEvidence(deps.db, file.id, { status: 'pending', error: 'fetch failed', attempt: true });
      return 'retry';
    }
    // LINE keeps content only for a while: the item is unanswered again and the person asked to send the file again.
    await giveUp(deps.db, file, 'fetch failed', msg.checklist.fileLost(shortName(file.fileName)), at);
    return 'failed';
  }
}

/** What LINE's preview of a photo may be: a Flex image loads JPEG or PNG only, and a preview is small. */
const PREVIEW_TYPES = new Set(['image/jpeg', 'image/png']);
const PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * LINE's own small preview of a photo, kept beside it for the review card's thumbnail (src/checklists/thumbs.ts):
 * no image library downscales here. Without one (LINE gave none) the card names the photo without a picture.
 */
async function storePreview(
  deps: { blobs: BlobStore; log: Logger; lineApi: LineApi },
  file: PendingEvidence,
  storageKey: string,
): Promise<string | null> {
  try {
    const preview = await deps.lineApi.getPreview(file.lineMessageId, {
      maxBytes: PREVIEW_MAX_BYTES,
      types: PREVIEW_TYPES,
      timeoutMs: EVIDENCE_TIMEOUT_MS,
    });
    const key = `${storageKey}-thumb`;
    await deps.blobs.put(key, preview.data, preview.contentType);
    return key;
  } catch (err) {
    deps.log.info('evidence preview not kept', { evidence: file.id, ...errorFields(err) });
    return null;
  }
}

/** A name as sent can be long; the notice names it in a card row. */
const shortName = (name: string | null) => (name === null || name.length <= 80 ? name : `${name.slice(0, 79)}…`);

/** The file is not kept: out of its answer (the item is asked again), and the person's next bundle says why. */
async function giveUp(db: Db, file: PendingEvidence, error: string, text: string, at: number): Promise<void> {
  const lost = await lostEvidenceContext(db, file.id);
  const item = {
    k: 'notice' as const,
    t: msg.checklist.fileLostTitle(lost?.title ?? ''),
    text,
    ...(lost === null ? {} : { c: lost.campaignId }),
  };
  await loseEvidence(db, file.id, error, { personId: lost?.personId ?? null, item }, at);
}
