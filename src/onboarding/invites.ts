// Issuing invite codes: generated here, shown once to whoever asked, stored only as hashes.
import type { Db } from '../db/client.js';
import { formatInviteCode, generateInviteCode, hashInviteCode } from './invite-code.js';
import { replaceInvites } from './invites.queries.js';

export const DEFAULT_INVITE_DAYS = 30;

export interface IssuedInvite {
  personId: string;
  /** Plain code, formatted "XXXX-XXXX"; never stored. */
  code: string;
  expiresAt: string;
}

export async function issueInvites(
  db: Db,
  officeId: string,
  personIds: string[],
  now: number,
  days = DEFAULT_INVITE_DAYS,
): Promise<IssuedInvite[]> {
  const expiresAt = new Date(now + days * 86_400_000).toISOString();
  const plain = personIds.map((personId) => ({ personId, code: generateInviteCode() }));
  const hashed = await Promise.all(
    plain.map(async (p) => ({ personId: p.personId, codeHash: await hashInviteCode(p.code) })),
  );
  const issued = new Set(await replaceInvites(db, officeId, hashed, expiresAt, new Date(now).toISOString()));
  return plain
    .filter((p) => issued.has(p.personId))
    .map((p) => ({ personId: p.personId, code: formatInviteCode(p.code), expiresAt }));
}
