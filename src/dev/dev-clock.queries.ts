// SQL for the simulator's stored clock (one row, dev mode only): read at start, written on every move.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';

export interface StoredClock {
  /** The simulated time the clock last moved to (ms). */
  simulatedAt: number;
  /** The real time of that move (ms). */
  realAt: number;
}

export async function loadDevClock(db: Db): Promise<StoredClock | undefined> {
  const rows = await queryRows<{ simulated_ms: number; real_ms: number }>(
    db,
    sql`SELECT (extract(epoch FROM simulated_at) * 1000)::float8 AS simulated_ms,
               (extract(epoch FROM real_at) * 1000)::float8 AS real_ms
          FROM dev_clock WHERE id = 1`,
  );
  const row = rows[0];
  return row === undefined ? undefined : { simulatedAt: Number(row.simulated_ms), realAt: Number(row.real_ms) };
}

export async function saveDevClock(db: Db, clock: StoredClock): Promise<void> {
  await db.execute(
    sql`INSERT INTO dev_clock (id, simulated_at, real_at)
        VALUES (1, ${new Date(clock.simulatedAt).toISOString()}::timestamptz,
                ${new Date(clock.realAt).toISOString()}::timestamptz)
        ON CONFLICT (id) DO UPDATE SET simulated_at = excluded.simulated_at, real_at = excluded.real_at`,
  );
}
