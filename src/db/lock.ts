// The embedded database's folder lock: one process at a time opens a PGlite folder (src/db/node.ts).
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg } from '../i18n/msg.js';

/** Another process (pid) holds the embedded database's folder: opening it too would lose one side's writes. */
export class DatabaseLocked extends Error {
  override name = 'DatabaseLocked';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(msg.database.locked(dir, pid));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
};

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

const unlinkQuiet = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
};

const codeOf = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/** The lock files this process holds (path → the token written in it). */
const heldLocks = new Map<string, string>();

/** `pid token` (or an older lock's bare pid); undefined when unreadable. */
function lockHolder(text: string): { pid: number; token: string } | undefined {
  const [pid, token] = text.trim().split(/\s+/);
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 ? { pid: n, token: token ?? '' } : undefined;
}

export interface DataDirLock {
  /** Throws DatabaseLocked if the lock file no longer names this holder (another process took it meanwhile). */
  verify(): void;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/**
 * PGlite is one process's database: two processes opening the same folder each write their own copy and one loses.
 * The folder is taken with a lock file naming the holder (`pid token`). It is written whole under a private name
 * and then hard-linked into place, which fails if a lock exists (link is atomic, as O_EXCL is, and nobody can read
 * a half-written lock). A lock whose process is gone is cleared by exactly one
 * process, the one that creates the takeover file; the others are told the folder is locked. A lock naming this process's own pid that this process does not
 * hold is a previous incarnation's (a container restarts with the same pid): stale. One this process holds is
 * refused: the same folder opened twice in one process is two databases too.
 */
export function lockDataDir(dir: string, shownAs: string): DataDirLock {
  const path = join(dir, 'nithet.lock');
  if (heldLocks.has(path)) throw new DatabaseLocked(shownAs, process.pid);
  const nonce = randomUUID();
  const token = `${process.pid} ${nonce}`;
  const mine = `${path}.${process.pid}.${nonce}`;
  writeFileSync(mine, token, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, path);
        heldLocks.set(path, token);
        return {
          verify() {
            let now = '';
            try {
              now = readFileSync(path, 'utf8');
            } catch {
              // Gone: someone removed it.
            }
            if (now !== token) throw new DatabaseLocked(shownAs, lockHolder(now)?.pid ?? 0);
          },
          release() {
            if (heldLocks.get(path) !== token) return;
            heldLocks.delete(path);
            try {
              if (readFileSync(path, 'utf8') === token) unlinkSync(path);
            } catch {
              // Already gone.
            }
          },
        };
      } catch (err) {
        if (codeOf(err) !== 'EEXIST') throw err;
      }
      let seen: string;
      try {
        seen = readFileSync(path, 'utf8');
      } catch (err) {
        if (codeOf(err) === 'ENOENT') continue; // removed meanwhile: try again
        throw err;
      }
      const holder = lockHolder(seen);
      if (holder !== undefined && holder.pid !== process.pid && alive(holder.pid)) {
        throw new DatabaseLocked(shownAs, holder.pid);
      }
      // Left by a process that is gone. Only one process may clear a stale lock: the one that creates the takeover
      // file (O_EXCL). Moving the lock aside without it let a third process link its own lock into the gap while a
      // second put back a live one it had moved by mistake, so two processes held the folder.
      const takeover = `${path}.takeover`;
      try {
        writeFileSync(takeover, token, { flag: 'wx' });
      } catch (err) {
        if (codeOf(err) !== 'EEXIST') throw err;
        // Someone is clearing it now, or died doing so (then their takeover file is cleared for the next start).
        const by = lockHolder(readText(takeover));
        if (by !== undefined && by.pid !== process.pid && !alive(by.pid)) unlinkQuiet(takeover);
        throw new DatabaseLocked(shownAs, holder?.pid ?? 0);
      }
      try {
        // Nobody else clears it while we hold the takeover file, and no one can link over an existing lock, so
        // the lock is still the stale one we read unless its own process released it.
        if (readText(path) === seen) unlinkQuiet(path);
      } finally {
        unlinkQuiet(takeover);
      }
    }
    throw new DatabaseLocked(shownAs, 0);
  } finally {
    try {
      unlinkSync(mine);
    } catch {
      // Already gone.
    }
  }
}
