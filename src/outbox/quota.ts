// A channel's monthly message quota as LINE reports it, read before a large send so an office that would run
// out part-way is paused up front instead of half its people getting a reminder and half not.
import { messagingApi } from '@line/bot-sdk';
import type { Channel } from '../line/channels.js';
import { BANGKOK } from '../time/thai.js';

/**
 * The zone of LINE's quota month: push_usage months, the pause until next month and the dashboard's month all use
 * this one. Not the office's zone (officeTimeZone): the quota belongs to the channel's LINE Official Account, which
 * LINE resets at one instant for the whole account, Thai time for these offices' accounts; offices.time_zone is
 * our own setting and may differ (tests set Asia/Tokyo), and the quota month must not move with it.
 */
export const QUOTA_TZ = BANGKOK;

export interface PushQuota {
  /** Messages per month; null when LINE sets no limit (quota type "none"). */
  limit: number | null;
  /** Messages counted against the quota so far this month (each recipient of a multicast counts). */
  used: number;
}

export type QuotaReader = (channel: Pick<Channel, 'accessToken'>) => Promise<PushQuota>;

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`LINE quota: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `apiBaseUrl` is config's LINE_API_BASE_URL (the fake LINE server in tests). */
export function createQuotaReader(opts: { apiBaseUrl: string; timeoutMs?: number }): QuotaReader {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return async (channel) => {
    const client = new messagingApi.MessagingApiClient({
      channelAccessToken: channel.accessToken,
      baseURL: opts.apiBaseUrl,
    });
    const [quota, consumption] = await within(
      Promise.all([client.getMessageQuota(), client.getMessageQuotaConsumption()]),
      timeoutMs,
    );
    return {
      limit: quota.type === 'limited' ? (quota.value ?? null) : null,
      used: consumption.totalUsage,
    };
  };
}
