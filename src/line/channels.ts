// Which LINE channel a webhook is for, with its secret and token. The env channel ('default') comes from
// config; registered channels from the database, decrypted, and cached briefly per isolate (one lookup per
// request would otherwise be a round trip on every webhook).
import type { Config } from '../config/env.js';
import { decryptSecret } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { defaultPrivacyNotice } from '../i18n/th.js';
import { BANGKOK } from '../time/thai.js';
import { envOfficeId, findChannel } from './channels.queries.js';

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
/** Entries kept at most: unknown ids are cached too (as null), and a flood of made-up ids must not grow the map. */
export const CHANNEL_CACHE_MAX = 1000;
/**
 * The env channel's office when none can be told (DEFAULT_OFFICE unset, several offices): an id no office has, so
 * every invite code there is answered "another office's code" instead of linking anyone anywhere.
 */
export const NO_OFFICE = '00000000-0000-0000-0000-000000000000';

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

  /**
   * The env channel as the webhook serves it: it belongs to DEFAULT_OFFICE (by code), or to the deployment's only
   * office when DEFAULT_OFFICE is unset; only that office's invite codes link there. Looked up once a minute.
   */
  async envChannelOf(db: Db): Promise<Channel | null> {
    const channel = this.envChannel();
    if (channel === null) return null;
    const at = this.now();
    if (this.envOffice === undefined || this.envOffice.until <= at) {
      this.envOffice = { id: (await envOfficeId(db, this.config.defaultOffice)) ?? NO_OFFICE, until: at + CACHE_MS };
    }
    return { ...channel, officeId: this.envOffice.id };
  }
  private envOffice: { id: string; until: number } | undefined;

  /** How many channel ids are cached (tests: the cap holds). */
  cacheSize(): number {
    return this.cache.size;
  }

  async registered(db: Db, id: string): Promise<Channel | null> {
    if (id === ENV_CHANNEL_ID || !/^[a-z0-9][a-z0-9-]{2,62}$/.test(id)) return null;
    const hit = this.cache.get(id);
    if (hit !== undefined && hit.until > this.now()) return hit.channel;
    const channel = await this.load(db, id);
    this.cache.delete(id);
    // Oldest first out (a Map keeps insertion order).
    while (this.cache.size >= CHANNEL_CACHE_MAX) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
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
