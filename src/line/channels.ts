// Which LINE channel a webhook is for, with its secret and token. The env channel ('default') comes from
// config; registered channels from the database, decrypted, and cached briefly per isolate (one lookup per
// request would otherwise be a round trip on every webhook).
import type { Config } from '../config/env.js';
import { decryptSecret } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { defaultPrivacyNotice } from '../i18n/th.js';
import { BANGKOK } from '../time/thai.js';
import { findChannel } from './channels.queries.js';

export const ENV_CHANNEL_ID = 'default';

export interface Channel {
  id: string;
  officeId: string | null;
  secret: string;
  accessToken: string;
  privacyNotice: string;
  timeZone: string;
}

const CACHE_MS = 60_000;

export class ChannelResolver {
  private cache = new Map<string, { channel: Channel | null; until: number }>();
  constructor(
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  envChannel(): Channel | null {
    const { lineChannelSecret: secret, lineChannelAccessToken: accessToken } = this.config;
    if (secret === undefined || accessToken === undefined) return null;
    return {
      id: ENV_CHANNEL_ID,
      officeId: null,
      secret,
      accessToken,
      privacyNotice: defaultPrivacyNotice,
      timeZone: BANGKOK,
    };
  }

  async registered(db: Db, id: string): Promise<Channel | null> {
    if (id === ENV_CHANNEL_ID || !/^[a-z0-9][a-z0-9-]{2,62}$/.test(id)) return null;
    const hit = this.cache.get(id);
    if (hit !== undefined && hit.until > this.now()) return hit.channel;
    const channel = await this.load(db, id);
    this.cache.set(id, { channel, until: this.now() + CACHE_MS });
    return channel;
  }

  /** After an admin changes a channel, drop it so the next webhook reads the new credentials. */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private async load(db: Db, id: string): Promise<Channel | null> {
    const row = await findChannel(db, id);
    const key = this.config.secretsKey;
    if (row === undefined || row.secret_enc === null || row.access_token_enc === null || key === undefined) return null;
    return {
      id: row.id,
      officeId: row.office_id,
      secret: await decryptSecret(key, row.secret_enc),
      accessToken: await decryptSecret(key, row.access_token_enc),
      privacyNotice: row.privacy_notice_th ?? defaultPrivacyNotice,
      timeZone: row.time_zone ?? BANGKOK,
    };
  }
}
