// The embedded database's folder lock (issue 12.7): taken atomically, a dead holder's lock taken over by exactly
// one of several processes starting together, a lock naming this process's own pid told apart (held here: refused;
// a previous incarnation's: stale), and released only by its holder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseLocked, lockDataDir } from '../../src/db/lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nithet-lockfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, 'nithet.lock');

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the folder lock', () => {
  it('names its holder, refuses a second open in the same process, and is gone after release', () => {
    const lock = lockDataDir(dir, dir);
    expect(readFileSync(lockPath(), 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f-]{36}$`));
    expect(() => lockDataDir(dir, dir)).toThrow(DatabaseLocked);
    lock.verify();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    // Free again.
    lockDataDir(dir, dir).release();
  });

  it("takes over a dead process's lock, also an older lock holding only a pid", () => {
    writeFileSync(lockPath(), `${deadPid()} 00000000-0000-0000-0000-000000000000`);
    const a = lockDataDir(dir, dir);
    a.release();
    writeFileSync(lockPath(), String(deadPid()));
    const b = lockDataDir(dir, dir);
    expect(readFileSync(lockPath(), 'utf8').startsWith(`${process.pid} `)).toBe(true);
    b.release();
  });

  it("takes over a lock naming this pid that this process does not hold (a restarted container's)", () => {
    writeFileSync(lockPath(), `${process.pid} 11111111-1111-1111-1111-111111111111`);
    const lock = lockDataDir(dir, dir);
    expect(readFileSync(lockPath(), 'utf8')).not.toContain('11111111');
    lock.release();
  });

  it('refuses while a live process holds it, naming that pid, and leaves its lock alone', () => {
    writeFileSync(lockPath(), `${process.ppid} 22222222-2222-2222-2222-222222222222`);
    expect(() => lockDataDir(dir, dir)).toThrow(`pid ${process.ppid}`);
    expect(readFileSync(lockPath(), 'utf8')).toContain('22222222');
  });

  it('verify notices when another process has taken the lock', () => {
    const lock = lockDataDir(dir, dir);
    writeFileSync(lockPath(), `${process.ppid} 33333333-3333-3333-3333-333333333333`);
    expect(() => lock.verify()).toThrow(DatabaseLocked);
    lock.release();
    // Not ours any more: left alone.
    expect(readFileSync(lockPath(), 'utf8')).toContain('33333333');
  });

  it("exactly one of several processes starting together takes over a dead holder's lock", async () => {
    for (let round = 0; round < 2; round++) {
      writeFileSync(lockPath(), `${deadPid()} 44444444-4444-4444-4444-444444444444`);
      const children = Array.from({ length: 6 }, () => contender(dir));
      await Promise.all(children.map((c) => c.said('ready')));
      // All six are loaded: they try at the same instant, a moment from now.
      const startAt = Date.now() + 200;
      for (const c of children) c.stdin.write(`${startAt}\n`);
      const results = await Promise.all(children.map((c) => c.said('won', 'locked')));
      // Only now may the winner let go: every other attempt met its lock.
      for (const c of children) c.stdin.end();
      await Promise.all(children.map((c) => c.exited));
      expect(
        results.filter((r) => r === 'won'),
        `round ${round}: ${results.join(',')}`,
      ).toHaveLength(1);
      expect(results.filter((r) => r === 'locked')).toHaveLength(5);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 120_000);
});

/** test/support/lock-child.ts as a process: `said(...words)` waits for its next line among them. */
function contender(lockDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/lock-child.ts', lockDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    timeout: 30_000,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    stdin: child.stdin,
    exited,
    async said(...words: string[]): Promise<string> {
      const next = await lines.next();
      const line = next.done === true ? `(exited ${String(await exited)})` : String(next.value);
      if (!words.includes(line)) throw new Error(`lock child said ${line}, expected ${words.join(' or ')}`);
      return line;
    },
  };
}
