// Pacing for LINE's per-channel rate limits. LINE answers 429 past 2,000 push or 200 multicast requests per
// second per channel; we aim at 75% of that so a burst of retries from several workers never trips it.

/** Requests per second we allow ourselves per channel: 75% of LINE's documented limits. */
export const SEND_RATES = { push: 1_500, multicast: 150 } as const;

/**
 * A token bucket as a GCRA (one "theoretical arrival time" instead of a token count): each request reserves the
 * next free slot synchronously, before it sleeps, so workers sharing a bucket never take the same slot. `burst`
 * requests may go at once; after that one every 1/rate seconds.
 */
export class TokenBucket {
  private tat = 0;
  private readonly interval: number;
  private readonly tolerance: number;

  constructor(
    perSecond: number,
    burst: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.interval = 1000 / perSecond;
    this.tolerance = this.interval * Math.max(0, burst - 1);
  }

  /** Milliseconds the caller must wait for its slot (0 when within the burst); the slot is taken either way. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(this.tat, now);
    this.tat = slot + this.interval;
    return Math.max(0, slot - this.tolerance - now);
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.sleep(wait);
  }
}
