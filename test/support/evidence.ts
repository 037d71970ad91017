// A stored evidence photo for tests of the reading pages: the blob in the harness's store, its evidence_files row,
// and the photo item's answer pointing at it (as the webhook and the evidence fetch leave them).
import { sql } from 'drizzle-orm';
import type { Harness } from './harness.js';

/** A valid 1×1 PNG (a browser draws it), for type checks and byte-for-byte comparisons. */
export const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** Stores `data` as the photo answering item `itemKey` of response `responseId`; returns the evidence id. */
export async function addPhoto(
  h: Harness,
  officeId: string,
  responseId: string,
  itemKey = 's1_evidence',
  data: Uint8Array = PNG,
): Promise<string> {
  const id = crypto.randomUUID();
  const key = `evidence/${officeId}/${responseId}/${id}`;
  await h.deps.blobs.put(key, data, 'image/png');
  await h.db.db.execute(sql`
    INSERT INTO evidence_files (id, office_id, response_id, item_key, channel_id, line_message_id, status,
                                content_type, size_bytes, storage_key)
    VALUES (${id}, ${officeId}, ${responseId}, ${itemKey}, 'default', ${`m-${id}`}, 'stored', 'image/png',
            ${data.length}, ${key})`);
  await h.db.db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    VALUES (${responseId}, ${itemKey}, 0, ${JSON.stringify([id])}::jsonb, now())
    ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE SET value = excluded.value`);
  return id;
}
