// A process contending for the embedded database's folder lock (test/db/lock-file.test.ts). It says "ready" once
// loaded and waits for the parent's start instant on stdin, so several start their attempt together however long
// each took to load; it tries once, says "won" or "locked", and holds a won lock until the parent closes stdin
// (after hearing from every process), so the others meet it alive.
import { createInterface } from 'node:readline';
import { DatabaseLocked, lockDataDir } from '../../src/db/lock.js';

const [dir = ''] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
const startAt = Number((await lines.next()).value);
// Sleep until just before the instant, then spin: a timer alone would spread the attempts by its own jitter.
const lead = startAt - Date.now() - 30;
if (lead > 0) await new Promise((resolve) => setTimeout(resolve, lead));
while (Date.now() < startAt) {
  // Spin.
}
try {
  const lock = lockDataDir(dir, dir);
  process.stdout.write('won\n');
  while (!(await lines.next()).done) {
    // Hold until stdin ends.
  }
  lock.release();
} catch (err) {
  if (!(err instanceof DatabaseLocked)) throw err;
  process.stdout.write('locked\n');
}
process.exit(0);
