// The simulator's clock: real time plus an offset that only grows, so "next morning" moves every part of the app
// that reads deps.now() (conversations, due dates, the tick) at once, and time keeps flowing after the jump.
// Never backwards: invites, outbox leases and processed events all assume time does not run back.
// The offset is stored in the database (dev_clock, dev-clock.queries.ts) on every move and restored at start, so a
// restart goes on where the demo's data is instead of jumping back to the real date.
import { BANGKOK, localDate } from '../time/thai.js';
import { addDays, localInstant, parseLocalDateTime, toLocalDateTime } from '../time/zone.js';
import type { StoredClock } from './dev-clock.queries.js';

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

  /** What to store: the simulated time and the real time it stands for. */
  snapshot(): StoredClock {
    const real = this.real();
    return { simulatedAt: real + this.offset, realAt: real };
  }

  /** Takes back a stored offset at start; never moves the clock back (a stored time behind real time is ignored). */
  restore(stored: StoredClock | undefined): void {
    if (stored === undefined) return;
    const offset = stored.simulatedAt - stored.realAt;
    if (Number.isFinite(offset) && offset > this.offset) this.offset = offset;
  }
}

/** 08:00 on the day after `at`'s local day in `tz` (the simulator's office; Bangkok unless said). */
export function nextMorning(at: number, tz: string = BANGKOK): number {
  return localInstant(addDays(localDate(at, tz), 1), 8, 0, tz);
}

/** 08:00 on the next Monday strictly after `at`'s local day in `tz`: when the weekly digests go out. */
export function nextMonday(at: number, tz: string = BANGKOK): number {
  const today = localDate(at, tz);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  const days = (8 - weekday) % 7 || 7;
  return localInstant(addDays(today, days), 8, 0, tz);
}

/** `YYYY-MM` of `at` in `tz`: the month LINE's quota counts in for a Thai office. */
export function localMonth(at: number, tz: string = BANGKOK): string {
  return localDate(at, tz).slice(0, 7);
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`) in `tz` as UTC ms; NaN when malformed. */
export const parseLocal = (value: string, tz: string = BANGKOK): number => parseLocalDateTime(value, tz);

/** The inverse of parseLocal, for the input's value. */
export const toLocalInput = (at: number, tz: string = BANGKOK): string => toLocalDateTime(at, tz);
