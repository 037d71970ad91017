// CPU accounting from Linux /proc, so a bench can say where the cores went: this thread, this process, its own
// Postgres backends, the whole machine (other engineers' test runs share it). Every reader returns undefined where /proc is missing, and the bench reports "n/a".
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 on Linux whatever the kernel's HZ

/** utime + stime of a /proc/<pid>/stat or /proc/thread-self/stat line, in ms. */
function statCpuMs(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    // The command name may contain spaces and parentheses; the fields after its closing parenthesis do not.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms used so far by the calling thread (the main thread or a worker). */
export const threadCpuMs = () => statCpuMs('/proc/thread-self/stat');

/** CPU ms used so far by this whole process: every thread, libuv's pool and V8's GC threads included. */
export const processCpuMs = () => statCpuMs('/proc/self/stat');

/** CPU ms used so far by each live process named `comm` whose command line contains `match`, by pid. */
export function processesCpuMs(comm: string, match: string): Map<number, number> | undefined {
  const out = new Map<number, number>();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
        // Postgres backends retitle themselves "postgres: user database host(port) state".
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) continue;
      } catch {
        continue; // exited while we looked
      }
      const ms = statCpuMs(`/proc/${pid}/stat`);
      if (ms !== undefined) out.set(Number(pid), ms);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** CPU used between two processesCpuMs readings: processes that started count whole, ones that exited not at all. */
export function processesDelta(
  a: Map<number, number> | undefined,
  b: Map<number, number> | undefined,
): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  let total = 0;
  for (const [pid, ms] of b) total += ms - (a.get(pid) ?? 0);
  return total;
}

/** Busy and total CPU ms of the whole machine, all cores. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already inside user
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    const ms = (t: number) => (t * 1000) / TICKS_PER_SECOND;
    return { busy: ms(total - idle), total: ms(total) };
  } catch {
    return undefined;
  }
}

/** b − a, or undefined when either reading is missing. */
export const delta = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : b - a;

/** CPU ms used so far by process `pid` (all its threads), e.g. a child the bench started. */
export const pidCpuMs = (pid: number) => statCpuMs(`/proc/${pid}/stat`);
