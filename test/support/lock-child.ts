// A process contending for the embedded database's folder lock (test/db/lock-file.test.ts): it waits until the
// given instant, so several start their attempt together, tries once, says "won" or "locked", and holds a won lock
// for a while so the others meet it alive.
import { DatabaseLocked, lockDataDir } from '../../src/db/lock.js';

const [dir = '', startAt = '0', holdMs = '1500'] = process.argv.slice(2);
// Sleep until just before the instant, then spin: a timer alone would spread the attempts by its own jitter.
const lead = Number(startAt) - Date.now() - 30;
if (lead > 0) await new Promise((resolve) => setTimeout(resolve, lead));
while (Date.now() < Number(startAt)) {
  // Spin.
}
try {
  const lock = lockDataDir(dir, dir);
  process.stdout.write('won\n');
  setTimeout(() => lock.release(), Number(holdMs));
} catch (err) {
  if (!(err instanceof DatabaseLocked)) throw err;
  process.stdout.write('locked\n');
}
