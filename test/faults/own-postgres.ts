// A throwaway PostgreSQL cluster for fault tests, so they can stop, crash and restart a server without touching
// the shared one on 5432: initdb into a temp dir owned by `postgres`, a free port, pg_ctl for start and stop.
// destroy() stops it and deletes the directory; an exit hook does the same if a test run dies first.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { startHarness, type Harness } from '../support/harness.js';

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** `immediate` is a crash (no shutdown checkpoint, clients cut); `fast` a clean stop. */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A server binary's command line as the `postgres` user when we are root (initdb and postgres refuse root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}
const run = async (cmd: string, args: string[]) => {
  await promisify(execFile)(...asPostgres(cmd, args), { timeout: 60_000 });
};
/** Synchronous, for the exit hook (no event loop left there). */
const runSync = (cmd: string, args: string[]) => {
  execFileSync(...asPostgres(cmd, args), { stdio: 'ignore', timeout: 60_000 });
};

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'nithet-faults-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort();
  let destroyed = false;
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const stop = (mode: 'immediate' | 'fast') => pgCtl('-m', mode, '-w', 'stop');
  const start = () =>
    pgCtl(
      '-o',
      // fsync off: a crash of this server is simulated (immediate stop), not of the machine. Autovacuum off:
      // its ANALYZE would be a write transaction of its own, and the fuzz tests count them.
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c autovacuum=off -c max_connections=60`,
      '-l',
      join(dir, 'log'),
      '-w',
      'start',
    );
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    try {
      runSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', destroy);
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await start();
  } catch (err) {
    destroy();
    throw err;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop, start, destroy };
}

/** The test harness with its database on `own` instead of the shared server. */
export async function harnessOn(own: OwnPostgres, opts: { poolSize?: number } = {}): Promise<Harness> {
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = own.url;
  try {
    return await startHarness(opts);
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

/**
 * What would change if anything wrote: the cluster's next transaction id (only a writing transaction takes
 * one; this server is ours alone and runs no autovacuum) and the row count of every table.
 */
export async function writeFingerprint(h: Harness): Promise<{ nextXid: string; rows: Record<string, number> }> {
  const [xid] = await queryRows<{ x: string }>(h.db.db, sql`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`);
  const tables = await queryRows<{ t: string; n: number }>(
    h.db.db,
    sql`SELECT table_name AS t,
               (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text::int AS n
          FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return { nextXid: xid?.x ?? '', rows: Object.fromEntries(tables.map((r) => [r.t, r.n])) };
}
