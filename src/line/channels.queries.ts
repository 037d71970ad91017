// SQL for LINE channels: the webhook's lookup of a registered channel, and the admin's registration.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface ChannelRow extends Record<string, unknown> {
  id: string;
  office_id: string | null;
  secret_enc: string | null;
  access_token_enc: string | null;
  privacy_notice_th: string | null;
  time_zone: string | null;
}

export async function findChannel(db: Db, id: string): Promise<ChannelRow | undefined> {
  const rows = await queryRows<ChannelRow>(
    db,
    sql`SELECT ch.id, ch.office_id, ch.secret_enc, ch.access_token_enc, o.privacy_notice_th, o.time_zone
          FROM line_channels ch LEFT JOIN offices o ON o.id = ch.office_id
         WHERE ch.id = ${id}`,
  );
  return rows[0];
}

export async function upsertChannel(
  db: Db,
  row: {
    id: string;
    officeId: string;
    name: string;
    lineChannelId: string | null;
    secretEnc: string;
    tokenEnc: string;
  },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO line_channels (id, office_id, name, line_channel_id, secret_enc, access_token_enc)
    VALUES (${row.id}, ${row.officeId}, ${row.name}, ${row.lineChannelId}, ${row.secretEnc}, ${row.tokenEnc})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, line_channel_id = excluded.line_channel_id,
      secret_enc = excluded.secret_enc, access_token_enc = excluded.access_token_enc, updated_at = now()
    WHERE line_channels.office_id = excluded.office_id`);
}

/** The env channel's office: DEFAULT_OFFICE's id, or without it the deployment's only office; else undefined. */
export async function envOfficeId(db: Db, code: string | undefined): Promise<string | undefined> {
  const rows = await queryRows<{ id: string }>(
    db,
    code === undefined ? sql`SELECT id FROM offices LIMIT 2` : sql`SELECT id FROM offices WHERE code = ${code}`,
  );
  return rows.length === 1 ? rows[0]?.id : undefined;
}
