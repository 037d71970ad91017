// The simulator's clock: real time plus an offset that only grows, so "next morning" moves every part of the app
// that reads deps.now() (conversations, due dates, the tick) at once, and time keeps flowing after the jump.
// Never backwards: invites, outbox leases and processed events all assume time does not run back.

/** Bangkok has had no daylight saving since 1920, so local time is UTC+7 all year. */
const BANGKOK_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export class DevClock {
  private offset = 0;
  constructor(private readonly real: () => number = Date.now) {}

  readonly now = (): number => this.real() + this.offset;

  /** Moves to `at`; a time not after now is refused (false). */
  moveTo(at: number): boolean {
    const now = this.now();
    if (!Number.isFinite(at) || at <= now) return false;
    this.offset += at - now;
    return true;
  }
}

/** Midnight (Bangkok) of the local day of `at`, as UTC ms. */
function localMidnight(at: number): number {
  return Math.floor((at + BANGKOK_OFFSET_MS) / DAY_MS) * DAY_MS - BANGKOK_OFFSET_MS;
}

/** 08:00 Bangkok on the day after `at`'s local day. */
export function nextMorning(at: number): number {
  return localMidnight(at) + DAY_MS + 8 * 3_600_000;
}

/** 08:00 Bangkok on the next Monday strictly after `at`'s local day: when the weekly digests go out. */
export function nextMonday(at: number): number {
  const midnight = localMidnight(at);
  const weekday = new Date(midnight + BANGKOK_OFFSET_MS).getUTCDay(); // 0 Sunday … 6 Saturday
  const days = (8 - weekday) % 7 || 7;
  return midnight + days * DAY_MS + 8 * 3_600_000;
}

/** `YYYY-MM` of `at` in Bangkok: the month LINE's quota counts in for a Thai office. */
export function bangkokMonth(at: number): string {
  return new Date(at + BANGKOK_OFFSET_MS).toISOString().slice(0, 7);
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`, Bangkok) as UTC ms; NaN when malformed. */
export function parseLocal(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return NaN;
  return Date.parse(`${value}:00+07:00`);
}

/** The inverse of parseLocal, for the input's value. */
export function toLocalInput(at: number): string {
  return new Date(at + BANGKOK_OFFSET_MS).toISOString().slice(0, 16);
}
