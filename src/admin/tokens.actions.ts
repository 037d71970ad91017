// Creating and revoking an office admin token: one implementation for the admin API (src/admin/tokens.routes.ts)
// and the settings page, so both write, audit and answer alike. The token is answered once, at creation; only its
// SHA-256 is kept. Revoking also ends the page sessions the token started; each change and its audit row commit
// together. Who may call these is the caller's rule: never an office token itself (a token mints no credentials).
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { newOfficeToken, tokenHash } from './auth.js';
import { revokeSessionsOfToken } from './sessions.queries.js';
import { insertToken, revokeToken, type TokenView } from './tokens.queries.js';

export const tokenBody = z.strictObject({ label: z.string().trim().min(1).max(200) });

/** A new token for the office: its row and the plain token, which exists only in this answer. */
export async function createOfficeToken(
  db: Db,
  officeId: string,
  label: string,
  actor: string,
): Promise<{ row: TokenView; token: string }> {
  const token = newOfficeToken();
  const row = await db.transaction(async (tx) => {
    const row = await insertToken(tx, officeId, label, await tokenHash(token));
    await audit(tx, {
      actor,
      officeId,
      action: 'admin_token.create',
      targetType: 'admin_token',
      targetId: row.id,
      detail: { label: row.label },
    });
    return row;
  });
  return { row, token };
}

/** Revokes a token of the office (a second revoke keeps the first time) and the sessions it started; 404 if none. */
export async function revokeOfficeToken(
  db: Db,
  officeId: string,
  id: string,
  at: number,
  actor: string,
): Promise<TokenView> {
  return db.transaction(async (tx) => {
    const revoked = await revokeToken(tx, officeId, id, at);
    if (revoked === undefined) throw new AppError('not_found', 'No such token in this office');
    await revokeSessionsOfToken(tx, id, at);
    await audit(tx, { actor, officeId, action: 'admin_token.revoke', targetType: 'admin_token', targetId: id });
    return revoked;
  });
}
