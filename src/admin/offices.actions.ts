// Changing an office's settings, shared by the admin API (PATCH /offices/:office) and the settings page: one
// schema, one statement, one audit row in the same transaction, and the channel cache dropped so chat shows a new
// privacy notice at once.
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { patchOffice } from './org.queries.js';

const hour = z.number().int().min(0).max(23);

/** A LINE Official Account's basic id ("@123abcde") or premium id ("@nithet"), as the LINE console shows it. */
export const LINE_BASIC_ID = /^@[a-z0-9._-]{2,40}$/;

export const officePatch = z.strictObject({
  nameTh: z.string().trim().min(1).max(200).optional(),
  nameEn: z.string().trim().min(1).max(200).nullable().optional(),
  quietStart: hour.optional(),
  quietEnd: hour.optional(),
  // Sent as one LINE text message, whose limit is 5,000 characters. Null restores the built-in notice.
  privacyNoticeTh: z.string().trim().min(20).max(5000).nullable().optional(),
  lineBasicId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(LINE_BASIC_ID, 'a LINE basic id such as @123abcde')
    .nullable()
    .optional(),
});

export type OfficePatchBody = z.infer<typeof officePatch>;

/** Applies a validated patch with its audit row; forgets the cached channels of the office. */
export async function updateOffice(
  deps: { db: Db; channels: { forget(id: string): void } },
  officeId: string,
  actor: string,
  body: OfficePatchBody,
): Promise<void> {
  const channelIds = await deps.db.transaction(async (tx) => {
    const ids = await patchOffice(tx, officeId, body);
    await audit(tx, {
      actor,
      officeId,
      action: 'office.update',
      targetType: 'office',
      targetId: officeId,
      detail: { fields: Object.keys(body) },
    });
    return ids;
  });
  for (const id of channelIds) deps.channels.forget(id);
}
